// TopicTagger: taxonomy queries evaluated on section documents built as the indexer builds them.
#include "index/topics.hpp"

#include "analysis/analysis.hpp"

#include <dossier/config.hpp>
#include <dossier/error.hpp>
#include <dossier/ingest.hpp>

#include <catch2/catch.hpp>

#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;
using dossier::TopicRule;
using dossier::detail::Analyzer;
using dossier::detail::fold_for_analysis;
using dossier::detail::make_query_parser;
using dossier::detail::TopicMatch;
using dossier::detail::TopicTagger;

namespace {

// Mirrors the indexer (index/document.cpp): per section, the title unprefixed (weighted) and
// S-prefixed, a position gap, then the section text; everything folded first.
std::vector<Xapian::Document> section_documents(Analyzer& analyzer, std::string_view title,
                                                const std::vector<std::string>& sections,
                                                std::string_view language = "en") {
  auto& generator = analyzer.generator(language);
  const std::string folded_title = fold_for_analysis(title);
  std::vector<Xapian::Document> docs;
  for (const auto& text : sections) {
    Xapian::Document doc;
    generator.set_document(doc);
    generator.set_termpos(0);
    if (!folded_title.empty()) {
      generator.index_text(folded_title, 3);
      generator.index_text(folded_title, 1, "S");
      generator.increase_termpos(100);
    }
    generator.index_text(fold_for_analysis(text));
    docs.push_back(std::move(doc));
  }
  return docs;
}

TopicTagger make_tagger(const std::vector<TopicRule>& rules) {
  return TopicTagger(rules, make_query_parser("en"), &fold_for_analysis);
}

// The terms of the one rule "t" when it matches, or {"<no match>"}.
std::vector<std::string> run_one(const std::string& query, unsigned min_terms,
                                 const std::vector<std::string>& sections,
                                 const std::string& title = "") {
  const auto tagger = make_tagger({{"t", query, min_terms}});
  Analyzer analyzer;
  const auto matches = tagger.match(section_documents(analyzer, title, sections));
  if (matches.empty()) return {"<no match>"};
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].name == "t");
  return matches[0].terms;
}

const std::vector<std::string> kNoMatch{"<no match>"};

std::vector<std::string> names_of(const std::vector<TopicMatch>& matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) out.push_back(m.name);
  return out;
}

struct Case {
  const char* what;
  const char* query;
  unsigned min_terms;
  std::vector<std::string> sections;
  std::vector<std::string> expected;  // the matched leaves, or kNoMatch
};

void run_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    CAPTURE(c.what, c.query, c.min_terms, c.sections);
    CHECK(run_one(c.query, c.min_terms, c.sections) == c.expected);
  }
}

}  // namespace

TEST_CASE("Single terms, stemmed like the index", "[topics]") {
  run_cases({
      {"plural stems to the indexed term",
       "soybeans",
       1,
       {"China buys soybean futures."},
       {"soybean"}},
      {"absent term", "soybeans", 1, {"China buys corn."}, kNoMatch},
      {"capitalised text", "taiwan", 1, {"TAIWAN and Taipei."}, {"taiwan"}},
      {"accented query folded like the text", "Sánchez", 1, {"Pedro Sanchez spoke."}, {"sanchez"}},
      {"accented text folded like the query", "sanchez", 1, {"Pedro Sánchez spoke."}, {"sanchez"}},
      {"a number-letter token", "5g", 1, {"Huawei 5G networks."}, {"5g"}},
      {"the title counts (it is in every section)", "taiwan", 1, {"Nothing relevant."}, kNoMatch},
  });
  CHECK(run_one("taiwan", 1, {"Nothing relevant."}, "Taiwan votes") ==
        std::vector<std::string>{"taiwan"});
}

TEST_CASE("OR collects every matching alternative, min_terms counts distinct leaves", "[topics]") {
  run_cases({
      {"one of two required", "tariff* OR soybeans", 2, {"New tariffs announced."}, kNoMatch},
      {"two of two required",
       "tariff* OR soybeans",
       2,
       {"Tariffs on soybeans."},
       {"soybean", "tariff"}},
      {"one required, both reported",
       "tariff* OR soybeans",
       1,
       {"Tariffs on soybeans."},
       {"soybean", "tariff"}},
      {"implicit OR (default operator)",
       "tariff soybeans",
       2,
       {"Tariffs on soybeans."},
       {"soybean", "tariff"}},
      {"a term and a wildcard hitting it are one leaf",
       "tariff* OR tariff",
       2,
       {"Tariffs, tariffs."},
       kNoMatch},
      {"repeated occurrences are one leaf", "tariff OR wto", 2, {"Tariff after tariff."}, kNoMatch},
      {"lower-case 'or' is an operator, not a leaf",
       "taiwan or korea",
       2,
       {"Taiwan or something."},
       kNoMatch},
      {"lower-case 'or' still ORs", "taiwan or korea", 1, {"Korea."}, {"korea"}},
      {"min_terms 0 behaves as 1", "taiwan", 0, {"Taiwan."}, {"taiwan"}},
      {"min_terms 0 still needs a match", "taiwan", 0, {"Korea."}, kNoMatch},
  });
}

TEST_CASE("Wildcards match the document's terms by prefix", "[topics]") {
  run_cases({
      {"tariff* matches tariffs", "tariff*", 1, {"Steep tariffs."}, {"tariff"}},
      {"each matching term is a leaf",
       "cyber*",
       2,
       {"Cyber attacks and cybersecurity."},
       {"cyber", "cybersecur"}},
      {"nested patterns, each hit once",
       "cyber* OR cybersec*",
       2,
       {"Cybersecurity and cyberwar."},
       {"cybersecur", "cyberwar"}},
      {"nested pattern alone", "cyber* OR cybersec*", 1, {"Cybersecurity."}, {"cybersecur"}},
      {"several patterns in one document",
       "arm* OR tariff* OR zz*",
       3,
       {"Armies, armaments and tariffs."},
       {"armament", "armi", "tariff"}},
      {"a pattern past the last term", "zz* OR abc*", 1, {"Armies."}, kNoMatch},
      {"a capitalised pattern is folded", "Tariff*", 1, {"Steep tariffs."}, {"tariff"}},
      {"no term with the prefix", "tariff*", 1, {"Trade war."}, kNoMatch},
      // The index holds stems: "missiles" is "missil", which "missile*" does not prefix (the
      // same as searching the index with Xapian).
      {"the pattern is not stemmed", "missile*", 1, {"Ballistic missiles."}, kNoMatch},
      {"prefixed title terms are not hit", "tai*", 1, {"Taiwan."}, {"taiwan"}},
  });
}

TEST_CASE("Phrases need adjacent positions in order within one document", "[topics]") {
  run_cases({
      {"stemmed phrase",
       "\"rare earth\"",
       1,
       {"Exports of rare earths resume."},
       {"\"rare earth\""}},
      {"words apart", "\"rare earth\"", 1, {"Rare and earth."}, kNoMatch},
      {"wrong order", "\"rare earth\"", 1, {"The earth is rare."}, kNoMatch},
      {"across a sentence end it is still adjacent",
       "\"rare earth\"",
       1,
       {"It was rare. Earth moved."},
       {"\"rare earth\""}},
      {"three words", "\"kim jong un\"", 1, {"Leader Kim Jong Un met."}, {"\"kim jong un\""}},
      {"three words, one missing", "\"kim jong un\"", 1, {"Kim Jong met Un."}, kNoMatch},
      {"hyphenated word is a phrase",
       "\"moon jae-in\"",
       1,
       {"President Moon Jae-in said."},
       {"\"moon jae in\""}},
      {"hyphenated word unquoted",
       "inter-korean",
       1,
       {"Inter-Korean talks."},
       {"\"inter korean\""}},
      {"typographic quotes make a phrase",
       "\u201ctrade war\u201d",
       1,
       {"The trade war."},
       {"\"trade war\""}},
      {"phrase and term are separate leaves",
       "\"trade war\" OR tariff*",
       2,
       {"A trade war of tariffs."},
       {"\"trade war\"", "tariff"}},
      {"a phrase's words alone are not leaves",
       "\"trade war\" OR soybeans",
       2,
       {"Trade is not war, soybeans."},
       kNoMatch},
      {"repeated word needs two occurrences", "\"very very\"", 1, {"Very good."}, kNoMatch},
      {"repeated word adjacent, reported stemmed",
       "\"very very\"",
       1,
       {"Very very good."},
       {"\"veri veri\""}},
      {"no phrase from title into body", "\"busan taiwan\"", 1, {"Taiwan."}, kNoMatch},
      {"unbalanced quote is a phrase to the end",
       "\"trade war",
       1,
       {"A trade war."},
       {"\"trade war\""}},
  });
  // The title ends with "Busan" and the body starts with "Taiwan": the indexer's gap keeps
  // them apart.
  CHECK(run_one("\"busan taiwan\"", 1, {"Taiwan."}, "Meeting in Busan") == kNoMatch);
}

TEST_CASE("NEAR and ADJ: all words within the window", "[topics]") {
  run_cases({
      {"NEAR any order", "trade NEAR war", 1, {"A war over trade."}, {"\"trade war\""}},
      {"NEAR default window 10",
       "trade NEAR war",
       1,
       {"Trade one two three four five six seven eight war."},
       {"\"trade war\""}},
      {"NEAR beyond the window",
       "trade NEAR war",
       1,
       {"Trade one two three four five six seven eight nine ten war."},
       kNoMatch},
      {"NEAR/2 within",
       "tariff NEAR/2 soybeans",
       1,
       {"Soybeans face tariffs."},
       {"\"tariff soybean\""}},
      {"NEAR/2 beyond", "tariff NEAR/2 soybeans", 1, {"Soybeans face new high tariffs."}, kNoMatch},
      {"NEAR of three",
       "rare NEAR earth NEAR china",
       1,
       {"China and its earth, rare."},
       {"\"rare earth china\""}},
      {"NEAR of three, one missing", "rare NEAR earth NEAR china", 1, {"Rare earth."}, kNoMatch},
      {"ADJ keeps the order", "export ADJ/2 controls", 1, {"Controls on exports."}, kNoMatch},
      {"ADJ within the window",
       "export ADJ/2 controls",
       1,
       {"Export of controls."},
       {"\"export control\""}},
      {"ADJ beyond the window", "export ADJ/2 controls", 1, {"Export of chip controls."}, kNoMatch},
  });
}

TEST_CASE("AND, AND NOT, XOR and love/hate", "[topics]") {
  run_cases({
      {"AND both", "taiwan AND strait", 1, {"The Taiwan Strait."}, {"strait", "taiwan"}},
      {"AND one", "taiwan AND strait", 1, {"Taiwan."}, kNoMatch},
      {"AND leaves count for min_terms",
       "taiwan AND strait",
       2,
       {"Taiwan Strait."},
       {"strait", "taiwan"}},
      {"AND NOT kept", "korea AND NOT north", 1, {"South Korea."}, {"korea"}},
      {"AND NOT excluded", "korea AND NOT north", 1, {"North Korea."}, kNoMatch},
      {"NOT as binary", "korea NOT north", 1, {"North Korea."}, kNoMatch},
      {"the excluded side is never a leaf",
       "(korea OR seoul) AND NOT (pyongyang AND nukes)",
       2,
       {"Seoul, Korea, Pyongyang."},
       {"korea", "seoul"}},
      {"AND NOT with a phrase",
       "korea AND NOT \"north korea\"",
       1,
       {"Korea, north of here."},
       {"korea"}},
      {"XOR one", "taiwan XOR china", 1, {"Taiwan."}, {"taiwan"}},
      {"XOR both", "taiwan XOR china", 1, {"Taiwan and China."}, kNoMatch},
      {"XOR neither", "taiwan XOR china", 1, {"Korea."}, kNoMatch},
      {"love: required missing", "+taiwan china", 1, {"China."}, kNoMatch},
      {"love: optional adds a leaf", "+taiwan china", 2, {"Taiwan, China."}, {"china", "taiwan"}},
      {"love: optional absent", "+taiwan china", 1, {"Taiwan."}, {"taiwan"}},
      {"hate", "taiwan -golf", 1, {"Taiwan golf."}, kNoMatch},
      {"nested",
       "(tariff* OR wto) AND (china OR beijing)",
       2,
       {"Beijing and the WTO."},
       {"beij", "wto"}},
  });
}

TEST_CASE("An article's sections: leaves add up, positions and AND stay per section", "[topics]") {
  run_cases({
      {"terms split across sections count together",
       "tariff* OR soybeans",
       2,
       {"Tariffs rose.", "Soybeans fell."},
       {"soybean", "tariff"}},
      {"a phrase split across sections does not match",
       "\"rare earth\"",
       1,
       {"This is rare", "Earth is large."},
       kNoMatch},
      {"AND needs both in one section", "taiwan AND strait", 1, {"Taiwan.", "A strait."}, kNoMatch},
      {"AND NOT in one section does not veto another",
       "korea AND NOT north",
       1,
       {"North Korea.", "South Korea."},
       {"korea"}},
      {"excluded section contributes nothing",
       "(korea OR seoul) AND NOT north",
       2,
       {"North Korea, Seoul.", "Korea."},
       kNoMatch},
      {"a phrase in one section, a term in another",
       "\"rare earth\" OR lithium",
       2,
       {"Rare earths.", "Lithium mines."},
       {"\"rare earth\"", "lithium"}},
      {"the same leaf in two sections is one",
       "tariff OR wto",
       2,
       {"Tariffs.", "More tariffs."},
       kNoMatch},
      {"no sections", "taiwan", 1, {}, kNoMatch},
  });
}

TEST_CASE("The evaluator agrees with Xapian's own matcher", "[topics]") {
  // Every query against every text: the tagger (min_terms 1) must match exactly the documents
  // that Xapian's Enquire returns from an index of the same documents.
  const std::vector<std::string> queries = {
      "taiwan",
      "tariff*",
      "cyber* OR cybersec*",
      "\"rare earth\"",
      "\"kim jong un\"",
      "trade NEAR war",
      "tariff NEAR/2 soybeans",
      "rare NEAR earth NEAR china",
      "export ADJ/2 controls",
      "taiwan AND strait",
      "korea AND NOT north",
      "korea AND NOT \"north korea\"",
      "taiwan XOR china",
      "+taiwan china",
      "taiwan -golf",
      "(tariff* OR wto) AND (china OR beijing)",
      "\"very very\" OR \"moon jae-in\"",
  };
  const std::vector<std::string> texts = {
      "The Taiwan Strait and China.",
      "North Korea tested a missile; South Korea protested.",
      "Korea, north of here, golf.",
      "Exports of rare earths from China resume, earth is rare.",
      "Rare and earth.",
      "Tariffs on soybeans: a war over trade at the WTO.",
      "Trade one two three four five six seven eight nine ten war.",
      "Soybeans face new high tariffs in Beijing.",
      "Controls on exports; export of controls; export of chip controls.",
      "Cybersecurity and cyberwar, very very much.",
      "Leader Kim Jong Un met President Moon Jae-in.",
      "Taiwan golf.",
      "Nothing to see.",
  };
  Analyzer analyzer;
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  std::vector<std::vector<Xapian::Document>> docs;
  for (const auto& text : texts) {
    docs.push_back(section_documents(analyzer, "", {text}));
    db.add_document(docs.back()[0]);
  }
  auto parser = make_query_parser("en");
  parser.set_database(db);
  parser.set_default_op(Xapian::Query::OP_OR);
  for (const auto& q : queries) {
    const auto tagger = make_tagger({{"t", q, 1}});
    Xapian::Enquire enquire(db);
    enquire.set_query(parser.parse_query(
        fold_for_analysis(q), Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                                  Xapian::QueryParser::FLAG_LOVEHATE |
                                  Xapian::QueryParser::FLAG_WILDCARD |
                                  Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE));
    std::vector<bool> expected(texts.size(), false);
    const auto mset = enquire.get_mset(0, db.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) expected[*it - 1] = true;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      CAPTURE(q, texts[i]);
      CHECK(!tagger.match(docs[i]).empty() == expected[i]);
    }
  }
}

TEST_CASE("Several topics come back in taxonomy order with their own leaves", "[topics]") {
  const auto tagger = make_tagger({
      {"zeta", "taiwan", 1},
      {"alpha", "tariff* OR \"trade war\"", 1},
      {"unmatched", "lithium", 1},
      {"beta", "taiwan OR tariff*", 2},
  });
  Analyzer analyzer;
  const auto matches =
      tagger.match(section_documents(analyzer, "", {"Taiwan faces a trade war.", "Tariffs!"}));
  REQUIRE(matches.size() == 3);
  CHECK(matches[0].name == "zeta");
  CHECK(matches[0].terms == std::vector<std::string>{"taiwan"});
  CHECK(matches[1].name == "alpha");
  CHECK(matches[1].terms == std::vector<std::string>{"\"trade war\"", "tariff"});
  CHECK(matches[2].name == "beta");
  CHECK(matches[2].terms == std::vector<std::string>{"taiwan", "tariff"});
  // The tagger is reusable: a second article gets a fresh evaluation.
  CHECK(tagger.match(section_documents(analyzer, "", {"Nothing."})).empty());
}

TEST_CASE("descriptions() gives the parsed queries in taxonomy order", "[topics]") {
  const auto tagger =
      make_tagger({{"trade", "tariff* OR \"trade war\"", 1}, {"taiwan", "Taiwan AND NOT golf", 1}});
  CHECK(tagger.descriptions() ==
        std::vector<std::string>{"Query((WILDCARD SYNONYM tariff OR (trade@2 PHRASE 2 war@3)))",
                                 "Query((taiwan@1 AND_NOT golf@2))"});
  CHECK(make_tagger({}).descriptions().empty());
}

TEST_CASE("A fold function is optional", "[topics]") {
  const TopicTagger tagger({{"t", "taiwan", 1}}, make_query_parser("en"), nullptr);
  Analyzer analyzer;
  CHECK(tagger.match(section_documents(analyzer, "", {"Taiwan."})).size() == 1);
}

TEST_CASE("Field prefixes and boolean filters of the search parser work", "[topics]") {
  auto parser = make_query_parser("en");
  parser.add_prefix("title", "S");
  parser.add_boolean_prefix("type", "T");
  const TopicTagger tagger({{"title", "title:taiwan", 1}, {"filtered", "taiwan type:report", 1}},
                           parser, &fold_for_analysis);
  CHECK(tagger.descriptions()[1] == "Query((taiwan@1 FILTER Treport))");
  struct FilterCase {
    const char* title;
    const char* text;
    bool report;
    std::vector<std::string> expected;  // matching topic names
  };
  const FilterCase cases[] = {
      {"Taiwan votes", "Nothing.", false, {"title"}},
      {"", "Taiwan votes.", false, {}},
      {"", "Taiwan votes.", true, {"filtered"}},
      {"Taiwan votes", "More.", true, {"title", "filtered"}},
      {"", "Korea votes.", true, {}},
  };
  Analyzer analyzer;
  for (const auto& c : cases) {
    CAPTURE(c.title, c.text, c.report);
    auto docs = section_documents(analyzer, c.title, {c.text});
    if (c.report) docs[0].add_boolean_term("Treport");
    const auto matches = tagger.match(docs);
    CHECK(names_of(matches) == c.expected);
    for (const auto& m : matches) {
      if (m.name == "title") CHECK(m.terms == std::vector<std::string>{"Staiwan"});
      if (m.name == "filtered") CHECK(m.terms == std::vector<std::string>{"Treport", "taiwan"});
    }
  }
}

TEST_CASE("Bad topic queries are parse errors naming the topic", "[topics]") {
  struct BadCase {
    const char* query;
    const char* message_part;
  };
  const BadCase cases[] = {
      {"tariff AND", "cannot parse query 'tariff AND'"},
      {"NOT tariff", "cannot parse query"},
      {"tariff OR OR wto", "cannot parse query"},
      {"", "has no terms"},
      {"*", "has no terms"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    try {
      make_tagger({{"trade", "taiwan", 1}, {"bad topic", c.query, 1}});
      FAIL("no exception");
    } catch (const dossier::Error& e) {
      CHECK(e.code() == dossier::ErrorCode::kParse);
      const std::string what = e.what();
      CAPTURE(what);
      CHECK(what.find("topic 'bad topic': ") == 0);
      CHECK(what.find(c.message_part) != std::string::npos);
    }
  }
}

TEST_CASE("Value ranges cannot tag topics", "[topics]") {
  Xapian::RangeProcessor years(0);  // outlives the parser that refers to it
  auto parser = make_query_parser("en");
  parser.add_rangeprocessor(&years);
  const std::vector<std::string> queries = {"2019..2020", "taiwan AND 1..5", "\"a b\" OR ..5"};
  for (const auto& q : queries) {
    CAPTURE(q);
    try {
      TopicTagger tagger({{"years", q, 1}}, parser, &fold_for_analysis);
      FAIL("no exception");
    } catch (const dossier::Error& e) {
      CHECK(e.code() == dossier::ErrorCode::kParse);
      const std::string what = e.what();
      CAPTURE(what);
      CHECK(what.find("topic 'years': unsupported query construct") == 0);
      CHECK(what.find("VALUE_") != std::string::npos);
    }
  }
}

namespace {

// One article's section documents exactly as the indexer makes them (title, summary and
// heading included), using the text analysis of the article's language.
std::vector<Xapian::Document> article_documents(Analyzer& analyzer,
                                                const dossier::Article& article) {
  auto& generator = analyzer.generator(article.language);
  const std::string title = fold_for_analysis(article.title);
  const std::string summary = fold_for_analysis(article.summary);
  std::vector<Xapian::Document> docs;
  for (const auto& section : article.sections) {
    Xapian::Document doc;
    generator.set_document(doc);
    generator.set_termpos(0);
    generator.index_text(title, 3);
    generator.index_text(title, 1, "S");
    generator.increase_termpos(100);
    if (!summary.empty()) {
      generator.index_text(summary);
      generator.increase_termpos(100);
    }
    if (!section.heading.empty()) {
      const auto heading = fold_for_analysis(section.heading);
      generator.index_text(heading, 2);
      generator.index_text(heading, 1, "XH");
      generator.increase_termpos(100);
    }
    generator.index_text(fold_for_analysis(dossier::section_text(article, section)));
    docs.push_back(std::move(doc));
  }
  return docs;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("The shipped taxonomy on the client's seed article", "[topics]") {
  const auto config = dossier::CorpusConfig::load(DOSSIER_SOURCE_DIR "/corpus/dossier.yaml");
  REQUIRE(config.topics.size() >= 10);
  const TopicTagger tagger(config.topics, make_query_parser("en"), &fold_for_analysis);
  const auto result =
      dossier::ingest_file(DOSSIER_SOURCE_DIR "/corpus/000_42de43b9164fe9cf.txt", config);
  REQUIRE(result.articles.size() == 1);
  REQUIRE(result.articles[0].sections.size() >= 2);
  Analyzer analyzer;
  const auto matches = tagger.match(article_documents(analyzer, result.articles[0]));
  const auto got = names_of(matches);
  for (const auto& m : matches) {
    std::string terms;
    for (const auto& t : m.terms) terms += (terms.empty() ? "" : ", ") + t;
    INFO("seed: " << m.name << ": " << terms);
    CHECK(m.terms.size() >= 1);
  }
  CAPTURE(got);
  for (const char* expected : {"trade", "critical minerals", "Taiwan", "diplomacy"}) {
    CAPTURE(expected);
    CHECK(contains(got, expected));
  }
  for (const char* unexpected : {"energy and climate", "human rights and democracy"}) {
    CAPTURE(unexpected);
    CHECK_FALSE(contains(got, unexpected));
  }
  // The explanation names the seed's own words.
  for (const auto& m : matches) {
    if (m.name == "critical minerals") CHECK(contains(m.terms, "\"rare earth\""));
    if (m.name == "Taiwan") CHECK(contains(m.terms, "\"taiwan strait\""));
    if (m.name == "trade") CHECK(contains(m.terms, "soybean"));
  }
}

TEST_CASE("The shipped taxonomy on the think-tank corpus gives sensible coverage", "[topics]") {
  const fs::path corpus =
      fs::path(DOSSIER_SHARED_DIR) / "corpora" / "thinktank-2019" / "thinktank-2019.jsonl";
  if (!fs::exists(corpus)) {
    WARN("think-tank coverage skipped: ../shared absent (" << corpus.string() << ")");
    return;
  }
  const auto config = dossier::CorpusConfig::load(DOSSIER_SOURCE_DIR "/corpus/dossier.yaml");
  const TopicTagger tagger(config.topics, make_query_parser("en"), &fold_for_analysis);
  const auto result = dossier::ingest_file(corpus, config);
  REQUIRE(result.articles.size() == 180);

  Analyzer analyzer;
  std::map<std::string, int> counts;
  for (const auto& rule : config.topics) counts[rule.name] = 0;
  int tagged = 0;
  int with_text = 0;
  int korea_38north = 0;
  int all_38north = 0;
  for (const auto& article : result.articles) {
    const auto docs = article_documents(analyzer, article);
    const auto got = names_of(tagger.match(docs));
    if (article.body.size() > 200) ++with_text;
    if (!got.empty()) ++tagged;
    for (const auto& n : got) ++counts[n];
    if (article.id.rfind("38north-", 0) == 0) {
      ++all_38north;
      if (contains(got, "Korean Peninsula")) ++korea_38north;
    }
  }
  std::string report;
  for (const auto& [name, n] : counts) report += "\n  " + name + ": " + std::to_string(n);
  WARN("think-tank taxonomy coverage (" << tagged << " of " << result.articles.size()
                                        << " articles tagged):" << report);
  // Every topic is used, none swallows the corpus.
  for (const auto& [name, n] : counts) {
    CAPTURE(name, n);
    CHECK(n >= 1);
    CHECK(n * 10 <= with_text * 7);
  }
  // Half the corpus is domestic policy (health, schools, immigration) outside the taxonomy,
  // but the foreign-policy half is tagged; 38 North writes about Korea.
  CHECK(tagged * 2 >= with_text);
  REQUIRE(all_38north == 9);
  CHECK(korea_38north * 10 >= all_38north * 8);
}
