// Integration tests of the Searcher: real indexes of corpus/ and thinktank-2019 built with the
// IndexWriter, queried through the public API only.
#include <dossier/dossier.hpp>

#include "source_counts.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using dossier::Error;
using dossier::ErrorCode;
using dossier::Searcher;
using dossier::SearchRequest;
using dossier::SearchResults;

namespace {

const char* const kCorpus = DOSSIER_SOURCE_DIR "/corpus";
const char* const kCorpusConfig = DOSSIER_SOURCE_DIR "/corpus/dossier.yaml";
const char* const kThinktank = DOSSIER_SHARED_DIR "/corpora/thinktank-2019/thinktank-2019.jsonl";
const char* const kSeedTitle = "Asia ASAP: Trump and Xi Meet in Busan";

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(DOSSIER_TEST_TMP) / "searcher" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// An index of `input`: the one the ctest fixture built ("fixture: index ..."), else one built
// here once per process (running the binary by hand), in a folder of its own.
fs::path fixture_index(const char* name, const char* input) {
  const fs::path fixture = fs::path(DOSSIER_FIXTURE_DIR) / name;
  if (fs::exists(fixture / "iamglass")) return fixture;
  const auto path = scratch(std::string(name) + "-" + std::to_string(::getpid())) / "db";
  auto writer = dossier::IndexWriter::open(path, dossier::CorpusConfig::load(kCorpusConfig));
  const auto report = writer.index({input});
  REQUIRE(report.failed.empty());
  return path;
}

const fs::path& corpus_index() {
  static const fs::path db = fixture_index("corpus", kCorpus);
  return db;
}

// "" when ../shared is absent.
const fs::path& thinktank_index() {
  static const fs::path db =
      fs::exists(kThinktank) ? fixture_index("thinktank", kThinktank) : fs::path();
  return db;
}

std::string seed_id() {
  return fs::canonical(DOSSIER_SOURCE_DIR "/corpus/000_42de43b9164fe9cf.txt").string();
}

// The highlighted pieces of all of a hit's snippets, lower-cased ASCII.
std::vector<std::string> highlighted(const dossier::Hit& hit) {
  std::vector<std::string> out;
  for (const auto& s : hit.snippets) {
    for (const auto& h : s.highlights) {
      auto piece = s.text.substr(h.begin, h.end - h.begin);
      std::transform(piece.begin(), piece.end(), piece.begin(), [](unsigned char c) {
        return static_cast<char>(c < 0x80 ? std::tolower(c) : c);
      });
      out.push_back(piece);
    }
  }
  return out;
}

std::size_t count_all(Searcher& searcher, SearchRequest request) {
  request.exact_total = true;
  request.limit = 0;
  const auto r = searcher.search(request);
  REQUIRE(r.total.exact);
  return r.total.estimate;
}

}  // namespace

TEST_CASE("An author filter finds what that author wrote: the seed's rare earth section",
          "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest request;
  request.query = "rare earth";
  request.authors = {"Neil Thomas"};
  auto r = searcher.search(request);
  REQUIRE(r.hits.size() == 1);
  const auto& hit = r.hits[0];
  CHECK(hit.id == seed_id());
  CHECK(hit.title == kSeedTitle);
  CHECK(hit.section.count == 4);
  CHECK(hit.section.authors == std::vector<std::string>{"Neil Thomas"});
  REQUIRE_FALSE(hit.snippets.empty());
  const auto marks = highlighted(hit);
  REQUIRE_FALSE(marks.empty());
  for (const auto& m : marks) {
    CAPTURE(m);
    CHECK((m == "rare" || m == "earth" || m == "earths"));
  }

  // The same through the query syntax, and with a differently written name.
  request.authors.clear();
  request.query = "author:\"NEIL  THOMAS\" rare earth";
  r = searcher.search(request);
  REQUIRE(r.hits.size() == 1);
  CHECK(r.hits[0].section.authors == std::vector<std::string>{"Neil Thomas"});

  // Rorry Daniels's section never mentions rare earths: no match at all.
  request.query = "rare earth";
  request.authors = {"Rorry Daniels"};
  r = searcher.search(request);
  CHECK(r.hits.empty());
  CHECK(r.total.upper == 0);
  request.authors.clear();
  request.query = "author:\"Rorry Daniels\" rare earth";
  CHECK(searcher.search(request).total.upper == 0);
}

TEST_CASE("One result per article, with its best section", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest request;
  request.query = "Busan";  // the title: every one of the seed's four sections matches
  request.limit = 50;
  const auto r = searcher.search(request);
  std::set<std::string> ids;
  for (const auto& h : r.hits) CHECK(ids.insert(h.id).second);
  CHECK(ids.count(seed_id()) == 1);
}

TEST_CASE("Phrases are stemmed and highlighted as one span", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest request;
  request.query = "\"rare earth\"";
  request.limit = 20;
  const auto r = searcher.search(request);
  REQUIRE_FALSE(r.hits.empty());
  bool seed_found = false;
  for (const auto& hit : r.hits) {
    if (hit.id != seed_id()) continue;
    seed_found = true;
    const auto marks = highlighted(hit);
    REQUIRE_FALSE(marks.empty());
    for (const auto& m : marks) {
      CAPTURE(m);
      CHECK((m == "rare earth" || m == "rare earths"));
    }
  }
  CHECK(seed_found);
}

TEST_CASE("Browse mode: no query, every article passing the filters", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  const auto stats = dossier::index_stats(corpus_index());
  SearchRequest request;
  request.facets = {"org", "type", "year"};
  request.facet_limit = 0;
  request.limit = 5;
  auto r = searcher.search(request);
  CHECK(r.browse);
  CHECK(r.total.exact);
  CHECK(r.total.estimate == stats.articles);
  REQUIRE(r.facets.size() == 3);
  std::size_t by_type = r.facets[1].missing;
  for (const auto& v : r.facets[1].values) by_type += v.count;
  CHECK(by_type == stats.articles);
  // Browse results are newest first.
  for (std::size_t i = 1; i < r.hits.size(); ++i) CHECK(r.hits[i - 1].date >= r.hits[i].date);

  request.types = {"address"};
  request.facets = {"org"};
  r = searcher.search(request);
  REQUIRE(r.facets.size() == 1);
  REQUIRE(r.facets[0].values.size() == 1);
  CHECK(r.facets[0].values[0].value == "Office of the President of the United States");
  CHECK(r.facets[0].values[0].count == r.total.estimate);
  CHECK(r.total.estimate == 233);
}

TEST_CASE("Filters: values of one field ORed, fields ANDed, partial dates", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest all;
  const auto total = count_all(searcher, all);
  SearchRequest addresses;
  addresses.types = {"address"};
  SearchRequest commentary;
  commentary.types = {"commentary"};
  SearchRequest either;
  either.types = {"address", "Commentary"};
  CHECK(count_all(searcher, either) ==
        count_all(searcher, addresses) + count_all(searcher, commentary));
  CHECK(count_all(searcher, either) < total);

  SearchRequest nineteenth;
  nineteenth.from = "1800";
  nineteenth.to = "1899";
  const auto n19 = count_all(searcher, nineteenth);
  CHECK(n19 > 90);
  CHECK(n19 < 110);
  SearchRequest by_query;
  by_query.query = "year:1800..1899";
  CHECK(count_all(searcher, by_query) == n19);
  SearchRequest by_date;
  by_date.query = "date:1800..1899-12-31";
  CHECK(count_all(searcher, by_date) == n19);

  // Fields ANDed: an address that is also commentary does not exist.
  SearchRequest both;
  both.types = {"address"};
  both.topics = {};
  both.from = "2025-10";
  both.to = "2025-10";
  CHECK(count_all(searcher, both) == 0);
  SearchRequest october;
  october.from = "2025-10";
  october.to = "2025-10";
  const auto r = searcher.search(october);
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& h : r.hits) CHECK(h.date.rfind("2025-10", 0) == 0);
}

TEST_CASE("Filters by field name: the same as the named ones, and every stored field returned",
          "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest named;
  named.types = {"address"};
  named.limit = 1000;
  SearchRequest by_name;
  by_name.filters["type"] = {"Address"};
  by_name.limit = 1000;
  const auto a = searcher.search(named);
  const auto b = searcher.search(by_name);
  REQUIRE(a.total.estimate > 0);
  CHECK(a.total.estimate == b.total.estimate);
  CHECK(a.query_description == b.query_description);

  // year: a filter field with no named member of its own.
  SearchRequest year;
  year.filters["year"] = {"1862"};
  const auto in_1862 = searcher.search(year);
  REQUIRE_FALSE(in_1862.hits.empty());
  for (const auto& h : in_1862.hits) CHECK(h.date.rfind("1862", 0) == 0);

  // Hit::fields holds every stored field by name, the same values as the named members.
  const auto& hit = in_1862.hits.front();
  CHECK(hit.fields.at("id") == std::vector<std::string>{hit.id});
  CHECK(hit.fields.at("title") == std::vector<std::string>{hit.title});
  CHECK(hit.fields.at("author") == hit.authors);
  CHECK(hit.fields.at("org") == std::vector<std::string>{hit.organisation});
  CHECK(hit.fields.at("date") == std::vector<std::string>{hit.date});
  CHECK(hit.fields.at("lang") == std::vector<std::string>{hit.language});
  for (const auto& f : dossier::schema_fields()) {
    CAPTURE(f.name);
    if (f.stored && f.name != "line") CHECK(hit.fields.count(f.name) == 1);
  }

  SearchRequest unknown;
  unknown.filters["colour"] = {"red"};
  CHECK_THROWS_WITH(
      searcher.search(unknown),
      Catch::Contains("filter on 'colour': not a filter field") && Catch::Contains("author"));
  SearchRequest not_a_filter;
  not_a_filter.filters["title"] = {"x"};
  CHECK_THROWS_AS(searcher.search(not_a_filter), dossier::Error);
}

TEST_CASE("Sorting by date puts undated articles last both ways", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  for (const auto order : {dossier::SortOrder::kNewest, dossier::SortOrder::kOldest}) {
    SearchRequest request;
    request.query = "policy";
    request.sort = order;
    request.limit = 1000;
    request.snippets = 0;
    const auto r = searcher.search(request);
    REQUIRE(r.hits.size() > 10);
    bool undated_seen = false;
    for (std::size_t i = 0; i < r.hits.size(); ++i) {
      const auto& d = r.hits[i].date;
      if (d.empty()) {
        undated_seen = true;
        continue;
      }
      CHECK_FALSE(undated_seen);  // a dated article after an undated one
      if (i > 0 && !r.hits[i - 1].date.empty()) {
        if (order == dossier::SortOrder::kNewest) {
          CHECK(r.hits[i - 1].date.substr(0, 4) >= d.substr(0, 4));
        } else {
          CHECK(r.hits[i - 1].date.substr(0, 4) <= d.substr(0, 4));
        }
      }
    }
  }
}

TEST_CASE("Did you mean: a misspelt word is corrected from the index", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest request;
  request.query = "constitutoin";
  auto r = searcher.search(request);
  CHECK(r.suggestion == "constitution");
  CHECK(r.corrected);
  CHECK_FALSE(r.hits.empty());

  request.correct_spelling = false;
  r = searcher.search(request);
  CHECK(r.suggestion.empty());
  CHECK(r.hits.empty());

  // Words the index knows are never "corrected".
  request.correct_spelling = true;
  request.query = "rare earth";
  r = searcher.search(request);
  CHECK(r.suggestion.empty());
  CHECK_FALSE(r.corrected);
}

TEST_CASE("Wildcards expand over the words as written, then stem", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest request;
  request.query = "negotiation*";
  request.limit = 5;
  const auto r = searcher.search(request);
  CHECK(r.total.upper > 0);
  CHECK(r.query_description.find("negoti") != std::string::npos);
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& m : highlighted(r.hits[0])) {
    CAPTURE(m);
    CHECK(m.rfind("negotiation", 0) == 0);
  }

  request.query = "c*";
  request.wildcard_limit = 50;
  try {
    searcher.search(request);
    FAIL("a one-letter wildcard should exceed the limit");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kInvalidArgument);
    CHECK(std::string(e.what()).find("make the prefix longer") != std::string::npos);
  }
}

TEST_CASE("Synonyms from the configuration are used at query time", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest plain;
  plain.query = "\"north korea\"";
  SearchRequest synonym;
  synonym.query = "dprk";
  const auto a = count_all(searcher, plain);
  CHECK(a > 0);
  CHECK(count_all(searcher, synonym) >= a);
}

TEST_CASE("More like this finds similar articles, never the article itself", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest request;
  request.like = seed_id();
  request.limit = 5;
  const auto r = searcher.search(request);
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& h : r.hits) CHECK(h.id != seed_id());

  request.like = "no such article";
  CHECK_THROWS_MATCHES(searcher.search(request), Error,
                       Catch::Matchers::Predicate<Error>(
                           [](const Error& e) { return e.code() == ErrorCode::kInvalidArgument; }));
}

TEST_CASE("Explain gives each hit's matching terms and their weights", "[searcher]") {
  auto searcher = Searcher::open(corpus_index());
  SearchRequest request;
  request.query = "tariffs soybeans";
  request.explain = true;
  request.mode = dossier::MatchMode::kAny;
  request.ranking.expand_terms = 0;
  auto r = searcher.search(request);
  REQUIRE_FALSE(r.hits.empty());
  double sum = 0;
  REQUIRE_FALSE(r.hits[0].explanation.empty());
  for (const auto& t : r.hits[0].explanation) {
    CHECK((t.term == "tariff" || t.term == "soybean"));
    CHECK_FALSE(t.expansion);
    sum += t.weight;
  }
  CHECK(sum == Approx(r.hits[0].score).epsilon(0.01));

  // With feedback, the added terms are marked and their shares still add up to the score.
  request.ranking.expand_terms = 10;
  r = searcher.search(request);
  REQUIRE_FALSE(r.hits.empty());
  sum = 0;
  bool feedback_seen = false;
  for (const auto& hit : r.hits) {
    sum = 0;
    for (const auto& t : hit.explanation) {
      sum += t.weight;
      if (t.expansion) {
        feedback_seen = true;
        CHECK((t.term != "tariff" && t.term != "soybean"));
      }
    }
    CHECK(sum == Approx(hit.score).epsilon(0.01));
  }
  CHECK(feedback_seen);
}

TEST_CASE("Bad requests and unusable indexes give clear errors", "[searcher]") {
  const auto dir = scratch("errors");
  const auto code_of = [](auto&& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kInternal;
  };
  CHECK(code_of([&] { Searcher::open(dir / "missing"); }) == ErrorCode::kNotFound);
  fs::create_directories(dir / "empty");
  CHECK(code_of([&] { Searcher::open(dir / "empty"); }) == ErrorCode::kNotFound);

  auto searcher = Searcher::open(corpus_index());
  struct Case {
    const char* what;
    SearchRequest request;
  };
  std::vector<Case> cases(5);
  cases[0] = {"only stopwords", {}};
  cases[0].request.query = "the of and";
  cases[1] = {"only punctuation", {}};
  cases[1].request.query = "?! ...";
  cases[2] = {"unknown facet", {}};
  cases[2].request.facets = {"colour"};
  cases[3] = {"bad date", {}};
  cases[3].request.from = "2019-13";
  cases[4] = {"bad date in the query", {}};
  cases[4].request.query = "date:2019-02-30..2019-03-01";
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK(code_of([&] { searcher.search(c.request); }) == ErrorCode::kInvalidArgument);
  }

  // A query that does not parse is retried as plain words, with a warning.
  SearchRequest broken;
  broken.query = "rare AND";
  const auto r = searcher.search(broken);
  CHECK_FALSE(r.warnings.empty());
  CHECK(r.total.upper > 0);
}

TEST_CASE("A searcher keeps working while the indexer commits", "[searcher]") {
  const auto dir = scratch("concurrent");
  const auto db = dir / "db";
  const auto docs = dir / "docs";
  // Each round replaces every file: Xapian rewrites the blocks an old reader still uses.
  const auto round = [&](int n) {
    fs::remove_all(docs);
    fs::create_directories(docs);
    for (int i = 0; i < 60; ++i) {
      std::ofstream(docs / ("note-" + std::to_string(i) + ".md"))
          << "---\ntitle: Note " << i << " of round " << n << "\n---\nTariffs and soybeans, round "
          << n << " note " << i << " word" << n * 100 + i << ".\n";
    }
    auto writer = dossier::IndexWriter::open(db, dossier::CorpusConfig{});
    writer.index({docs});
  };
  round(0);
  auto searcher = Searcher::open(db);
  SearchRequest request;
  request.query = "soybeans";
  request.exact_total = true;
  request.limit = 20;
  CHECK(searcher.search(request).total.estimate == 60);
  // Several commits behind its reader: Xapian reports DatabaseModifiedError, the searcher
  // moves to the latest revision and answers.
  for (int n = 1; n <= 6; ++n) round(n);
  const auto r = searcher.search(request);
  CHECK(r.total.estimate == 60);
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits[0].title.find("round 6") != std::string::npos);
}

TEST_CASE("Searchers open and refresh and search without errors while the indexer commits",
          "[searcher]") {
  // Regression (make stress): Searcher::open and refresh racing a commit threw "The revision
  // being read has been discarded" or a transient "index is damaged" on a healthy index.
  const auto dir = scratch("open-during-commits");
  const auto db = dir / "db";
  const auto docs = dir / "docs";
  const auto write_round = [&](int n) {
    for (int i = 0; i < 40; ++i) {
      std::ofstream(docs / ("note-" + std::to_string(i) + ".md"))
          << "---\ntitle: Note " << i << " of round " << n << "\n---\nTariffs and soybeans, round "
          << n << " note " << i << " word" << n * 100 + i << ".\n";
    }
  };
  fs::create_directories(docs);
  write_round(0);
  dossier::IndexOptions options;
  options.commit_every = 2;  // many small commits
  dossier::IndexWriter::open(db, dossier::CorpusConfig{}, options).index({docs});
  std::atomic<bool> done{false};
  std::vector<std::string> errors;
  std::size_t searches = 0;
  std::thread reader([&] {
    while (!done.load()) {
      try {
        auto searcher = Searcher::open(db);
        for (int i = 0; i < 3; ++i) {
          SearchRequest request;
          request.query = "soybeans";
          request.snippets = 0;
          (void)searcher.search(request);
          ++searches;
          searcher.refresh();
        }
      } catch (const dossier::Error& e) {
        errors.emplace_back(e.what());
      }
    }
  });
  for (int n = 1; n <= 8; ++n) {
    write_round(n);
    auto writer = dossier::IndexWriter::open(db, dossier::CorpusConfig{}, options);
    writer.index({docs});
  }
  done = true;
  reader.join();
  CAPTURE(searches);
  CHECK(errors.empty());
  if (!errors.empty()) FAIL_CHECK(errors.front());
}

TEST_CASE("A query filtered to one language is stemmed in that language", "[searcher]") {
  const auto dir = scratch("language");
  fs::create_directories(dir / "docs");
  std::ofstream(dir / "docs" / "fr.md")
      << "---\ntitle: Les accords\nlanguage: fr\n---\nDes accords commerciaux et des tarifs.\n";
  std::ofstream(dir / "docs" / "en.md")
      << "---\ntitle: Trade deals\nlanguage: en\n---\nCommercial agreements and tariffs.\n";
  {
    auto writer = dossier::IndexWriter::open(dir / "db", dossier::CorpusConfig{});
    REQUIRE(writer.index({dir / "docs"}).failed.empty());
  }
  auto searcher = Searcher::open(dir / "db");
  SearchRequest request;
  request.query = "commercial";
  request.languages = {"fr"};
  auto r = searcher.search(request);
  // French stemming: "commercial" and "commerciaux" share the stem "commercial".
  REQUIRE(r.hits.size() == 1);
  CHECK(r.hits[0].title == "Les accords");
  REQUIRE_FALSE(r.hits[0].snippets.empty());
  REQUIRE(r.hits[0].snippets[0].highlights.size() == 1);
  const auto& s = r.hits[0].snippets[0];
  CHECK(s.text.substr(s.highlights[0].begin, s.highlights[0].end - s.highlights[0].begin) ==
        "commerciaux");
  // English stemming ("commerci") finds the English article only.
  request.languages = {"en"};
  r = searcher.search(request);
  REQUIRE(r.hits.size() == 1);
  CHECK(r.hits[0].title == "Trade deals");
}

TEST_CASE("thinktank-2019: facet counts equal counts from the source records", "[searcher]") {
  if (thinktank_index().empty()) {
    WARN("thinktank-2019 test skipped: ../shared absent");
    return;
  }
  const auto source = dossier_test::count_thinktank(kThinktank);
  const auto& per_org = source.per_org;
  const auto& per_author = source.per_author;
  const auto& per_year = source.per_year;
  const auto& per_month = source.per_month;
  const auto& per_type = source.per_type;
  dossier_test::Counts rand_per_year;
  for (const char* key : {"rand corporation", "rand"}) {
    if (auto it = source.per_org_year.find(key); it != source.per_org_year.end()) {
      for (const auto& [year, n] : it->second) rand_per_year[year] += n;
    }
  }
  const auto records = source.records;
  REQUIRE(records == 180);

  auto searcher = Searcher::open(thinktank_index());
  SearchRequest request;
  request.facets = {"org", "author", "year", "month", "type"};
  request.facet_limit = 0;
  request.timeline = dossier::TimelineUnit::kYear;
  const auto r = searcher.search(request);
  CHECK(r.total.estimate == 180);
  REQUIRE(r.facets.size() == 5);
  const auto folded = [](const dossier::Facet& f) {
    std::map<std::string, std::size_t> out;
    for (const auto& v : f.values) out[dossier::fold_key(v.value)] += v.count;
    return out;
  };
  CHECK(folded(r.facets[0]) == per_org);
  CHECK(folded(r.facets[1]) == per_author);
  CHECK(folded(r.facets[2]) == per_year);
  CHECK(folded(r.facets[3]) == per_month);
  if (!per_type.empty()) CHECK(folded(r.facets[4]) == per_type);
  // A three-author article counts once for each author: the author counts add up to the
  // number of (article, author) pairs, more than the number of articles.
  std::size_t pairs = 0;
  for (const auto& [name, n] : per_author) pairs += n;
  std::size_t counted = 0;
  for (const auto& v : r.facets[1].values) counted += v.count;
  CHECK(counted == pairs);
  CHECK(counted > 180);
  // Most frequent first.
  for (std::size_t i = 1; i < r.facets[0].values.size(); ++i) {
    CHECK(r.facets[0].values[i - 1].count >= r.facets[0].values[i].count);
  }

  // The timeline covers every article, in time order.
  std::map<std::string, std::size_t> timeline;
  for (const auto& b : r.timeline) timeline[b.period] = b.count;
  CHECK(timeline == per_year);
  CHECK(r.undated == 0);

  // One institute's output over time.
  SearchRequest rand;
  rand.organisations = {"RAND Corporation"};
  rand.timeline = dossier::TimelineUnit::kYear;
  const auto rr = searcher.search(rand);
  std::map<std::string, std::size_t> rand_timeline;
  for (const auto& b : rr.timeline) {
    if (b.count > 0) rand_timeline[b.period] = b.count;
  }
  CHECK(rand_timeline == rand_per_year);

  // With a query, each facet value's count equals the number of matches filtered by it.
  SearchRequest china;
  china.query = "china";
  china.facets = {"org"};
  china.facet_limit = 0;
  const auto cr = searcher.search(china);
  REQUIRE_FALSE(cr.facets[0].values.empty());
  for (const auto& v : cr.facets[0].values) {
    SearchRequest filtered = china;
    filtered.facets.clear();
    filtered.organisations = {v.value};
    CAPTURE(v.value);
    CHECK(count_all(searcher, filtered) == v.count);
  }
}

TEST_CASE("Numeric request fields out of range are refused with their range", "[searcher]") {
  // Regression: limit -1 (SIZE_MAX) showed everything, offset -5 wrapped, expand -3 added ~60
  // terms, and k1 inf and expand_weight nan were accepted.
  auto searcher = Searcher::open(corpus_index());
  const auto inf = std::numeric_limits<double>::infinity();
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  const struct {
    const char* message;
    std::function<void(dossier::SearchRequest&)> set;
  } cases[] = {
      {"limit 18446744073709551615 out of range 0..1000000",
       [](auto& r) { r.limit = static_cast<std::size_t>(-1); }},
      {"offset 18446744073709551611 out of range 0..1000000000",
       [](auto& r) { r.offset = static_cast<std::size_t>(-5); }},
      {"expand_terms 4294967293 out of range 0..1000",
       [](auto& r) { r.ranking.expand_terms = static_cast<unsigned>(-3); }},
      {"k1 inf out of range 0..100", [&](auto& r) { r.ranking.k1 = inf; }},
      {"expand_weight nan out of range 0..100", [&](auto& r) { r.ranking.expand_weight = nan; }},
      {"b -0.1 out of range 0..1", [](auto& r) { r.ranking.b = -0.1; }},
      {"proximity -1 out of range 0..100", [](auto& r) { r.ranking.proximity = -1; }},
      {"snippet_bytes 0 out of range 40..100000", [](auto& r) { r.snippet_bytes = 0; }},
      {"snippets 1000 out of range 0..100", [](auto& r) { r.snippets = 1000; }},
      {"wildcard_limit 0 out of range 1..100000", [](auto& r) { r.wildcard_limit = 0; }},
      {"expand_documents 0 out of range 1..1000", [](auto& r) { r.ranking.expand_documents = 0; }},
      {"facet_limit 18446744073709551615 out of range 0..1000000",
       [](auto& r) { r.facet_limit = static_cast<std::size_t>(-1); }},
  };
  for (const auto& c : cases) {
    CAPTURE(c.message);
    dossier::SearchRequest request;
    request.query = "tariffs";
    c.set(request);
    try {
      (void)searcher.search(request);
      FAIL("accepted");
    } catch (const dossier::Error& e) {
      CHECK(e.code() == dossier::ErrorCode::kInvalidArgument);
      CHECK(std::string(e.what()) == c.message);
    }
  }
  // The limits themselves are accepted.
  dossier::SearchRequest edge;
  edge.query = "tariffs";
  edge.limit = dossier::SearchLimits::kMaxLimit;
  edge.offset = dossier::SearchLimits::kMaxOffset;
  edge.ranking.b = 1;
  CHECK_NOTHROW(searcher.search(edge));
}
