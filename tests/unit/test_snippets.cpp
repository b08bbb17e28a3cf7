// Snippets: words() agrees with the indexer's TermGenerator, and make() chooses, trims and
// highlights passages as documented.
#include "search/snippets.hpp"

#include "analysis/analysis.hpp"

#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using dossier::Snippet;
using dossier::detail::HighlightTerms;
using dossier::detail::SnippetMaker;
using dossier::detail::SnippetOptions;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string fixture(const std::string& name) {
  return read_text(std::string(DOSSIER_TEST_DATA) + "/snippets/" + name);
}

std::string seed_article() {
  return read_text(std::string(DOSSIER_SOURCE_DIR) + "/corpus/000_42de43b9164fe9cf.txt");
}

// Neil Thomas's signed section of the seed article (its text, as the indexer sees a section).
std::string neil_thomas_section() {
  const std::string article = seed_article();
  const std::string byline = "- By Neil Thomas\n";
  const auto begin = article.find(byline);
  const auto end = article.find("Dive Deeper with ASPI:");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  return article.substr(begin + byline.size(), end - begin - byline.size());
}

// The terms the indexer's TermGenerator gives fold_for_analysis(text), in position order.
// Languages without a stemmer are compared with STEM_NONE: Xapian 1.4's STEM_ALL indexes
// nothing at all without a stemmer.
std::vector<std::string> indexed_terms(const std::string& text, const std::string& language) {
  dossier::detail::Analyzer analyzer;
  Xapian::TermGenerator plain;
  plain.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  Xapian::TermGenerator& generator =
      dossier::detail::stemmer_name(language).empty() ? plain : analyzer.generator(language);
  Xapian::Document doc;
  generator.set_document(doc);
  generator.index_text(dossier::detail::fold_for_analysis(text));
  std::vector<std::string> by_position;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
      if (by_position.size() < *p) by_position.resize(*p);
      REQUIRE(by_position[*p - 1].empty());  // one term per position
      by_position[*p - 1] = *t;
    }
  }
  for (const auto& term : by_position) REQUIRE(!term.empty());  // no gaps
  return by_position;
}

// "" when words() gives exactly TermGenerator's terms, else where and how they first differ.
std::string disagreement(SnippetMaker& maker, const std::string& text,
                         const std::string& language) {
  const auto expected = indexed_terms(text, language);
  const auto words = maker.words(text, language);
  std::size_t i = 0;
  while (i < expected.size() && i < words.size() && expected[i] == words[i].term) ++i;
  if (i == expected.size() && i == words.size()) return {};
  std::ostringstream out;
  out << "word " << i << " of " << words.size() << " (TermGenerator: " << expected.size()
      << "): TermGenerator '" << (i < expected.size() ? expected[i] : "<end>") << "', words() '"
      << (i < words.size() ? words[i].term : "<end>") << "'";
  if (i < words.size()) {
    const auto from = words[i].begin > 40 ? words[i].begin - 40 : 0;
    out << " at byte " << words[i].begin << " in ..." << text.substr(from, words[i].end - from + 40)
        << "...";
  }
  return out.str();
}

// A snippet with its highlights in brackets: "…the [rare earth] export…".
std::string render(const Snippet& snippet) {
  std::string out;
  std::size_t at = 0;
  for (const auto& h : snippet.highlights) {
    out.append(snippet.text, at, h.begin - at);
    out += '[';
    out.append(snippet.text, h.begin, h.end - h.begin);
    out += ']';
    at = h.end;
  }
  out.append(snippet.text, at, std::string::npos);
  return out;
}

std::vector<std::string> render_all(const std::vector<Snippet>& snippets) {
  std::vector<std::string> out;
  for (const auto& s : snippets) out.push_back(render(s));
  return out;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80          ? 1
                    : (c >> 5U) == 6  ? 2
                    : (c >> 4U) == 14 ? 3
                    : (c >> 3U) == 30 ? 4
                                      : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0U) != 0x80U) return false;
    }
    i += n;
  }
  return true;
}

bool char_boundary(const std::string& s, std::size_t at) {
  return at == s.size() || (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0U) != 0x80U);
}

// Invariants every snippet keeps, whatever the input.
void check_invariants(const std::vector<Snippet>& snippets, const SnippetOptions& options) {
  CHECK(snippets.size() <= options.passages);
  for (const auto& s : snippets) {
    CAPTURE(s.text);
    CHECK(!s.text.empty());
    CHECK(s.text.size() <= options.max_bytes);
    CHECK(valid_utf8(s.text));
    CHECK(s.text.find("  ") == std::string::npos);
    CHECK(s.text.find('\n') == std::string::npos);
    std::size_t previous_end = 0;
    for (const auto& h : s.highlights) {
      CHECK(h.begin < h.end);
      CHECK(h.begin >= previous_end);
      CHECK(h.end <= s.text.size());
      CHECK(char_boundary(s.text, h.begin));
      CHECK(char_boundary(s.text, h.end));
      previous_end = h.end;
    }
  }
}

}  // namespace

TEST_CASE("words() finds and analyses words as TermGenerator does, with original byte ranges",
          "[snippets]") {
  struct Case {
    const char* text;
    const char* language;
    std::vector<std::pair<std::string, std::string>> expected;  // {original bytes, term}
  };
  const std::vector<Case> cases = {
      {"Sanctions were Sanctioned",
       "en",
       {{"Sanctions", "sanction"}, {"were", "were"}, {"Sanctioned", "sanction"}}},
      {"Pedro Sánchez", "en", {{"Pedro", "pedro"}, {"Sánchez", "sanchez"}}},
      {"Sa\u0301nchez", "en", {{"Sa\u0301nchez", "sanchez"}}},
      // Initials (only while the text keeps its case: ASCII and common typography).
      {"The U.S. and U.S.A. and U.N",
       "en",
       {{"The", "the"},
        {"U.S.", "us"},
        {"and", "and"},
        {"U.S.A.", "usa"},
        {"and", "and"},
        {"U.N", "un"}}},
      {"U.S.-China", "en", {{"U.S.", "us"}, {"China", "china"}}},
      {"I.B.M.x", "en", {{"I", "i"}, {"B", "b"}, {"M", "m"}, {"x", "x"}}},
      // ICU folding lower-cases the whole text when it holds other characters: no initials.
      {"Sánchez, U.S.", "en", {{"Sánchez", "sanchez"}, {"U", "u"}, {"S", "s"}}},
      // Infixes.
      {"don't don’t AT&T M&S",
       "en",
       {{"don't", "don't"}, {"don’t", "don't"}, {"AT&T", "at&t"}, {"M&S", "m&s"}}},
      {"1,000,000 3.14 10;20 a,b",
       "en",
       {{"1,000,000", "1,000,000"}, {"3.14", "3.14"}, {"10;20", "10;20"}, {"a", "a"}, {"b", "b"}}},
      {"zero\u200Bwidth", "en", {{"zero\u200Bwidth", "zerowidth"}}},
      // Suffixes.
      {"C++ and C# and fish+chips and C+++",
       "en",
       {{"C++", "c++"},
        {"and", "and"},
        {"C#", "c#"},
        {"and", "and"},
        {"fish", "fish"},
        {"chips", "chip"},
        {"and", "and"},
        {"C+++", "c+++"}}},
      {"C++++ x", "en", {{"C", "c"}, {"x", "x"}}},  // more than three: none kept
      // Hyphens, URLs, e-mail addresses: split.
      {"rare-earth rare–earths",
       "en",
       {{"rare", "rare"}, {"earth", "earth"}, {"rare", "rare"}, {"earths", "earth"}}},
      {"https://www.csis.org/analysis?id=42",
       "en",
       {{"https", "https"},
        {"www", "www"},
        {"csis", "csis"},
        {"org", "org"},
        {"analysis", "analysi"},
        {"id", "id"},
        {"42", "42"}}},
      {"n.thomas@example.org",
       "en",
       {{"n", "n"}, {"thomas", "thoma"}, {"example", "exampl"}, {"org", "org"}}},
      // Compatibility characters: one original character may give a word, or two.
      {"ﬁnance", "en", {{"ﬁnance", "financ"}}},
      {"½", "en", {{"½", "1⁄2"}}},
      // CJK runs are one word (no n-grams), emoji are not words.
      {"中国 🙂 smile", "en", {{"中国", "中国"}, {"smile", "smile"}}},
      // Longer than 64 bytes: not indexed, no position.
      {"short aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa end",
       "en",
       {{"short", "short"}, {"end", "end"}}},
      // Stemmers by language; none: unstemmed.
      {"Les sanctions économiques",
       "fr",
       {{"Les", "le"}, {"sanctions", "sanction"}, {"économiques", "econom"}}},
      {"sanctions", "", {{"sanctions", "sanctions"}}},
      {"sanctions", "zz", {{"sanctions", "sanctions"}}},
      {"", "en", {}},
      {" \n\t ", "en", {}},
  };
  SnippetMaker maker;
  for (const auto& c : cases) {
    CAPTURE(c.text, c.language);
    const std::string text = c.text;
    const auto words = maker.words(text, c.language);
    std::vector<std::string> got;
    for (const auto& w : words) {
      REQUIRE(w.begin < w.end);
      REQUIRE(w.end <= text.size());
      got.push_back(text.substr(w.begin, w.end - w.begin) + " -> " + w.term);
    }
    std::vector<std::string> expected;
    for (const auto& [bytes, term] : c.expected) expected.push_back(bytes + " -> " + term);
    CHECK(got == expected);
  }
}

TEST_CASE("words() agrees with TermGenerator on the seed article and the fixtures", "[snippets]") {
  SnippetMaker maker;
  struct Case {
    std::string name;
    std::string text;
    std::string language;
  };
  const std::vector<Case> cases = {
      {"seed article", seed_article(), "en"},
      {"tricky-unicode.txt", fixture("tricky-unicode.txt"), "en"},
      {"tricky-ascii.txt", fixture("tricky-ascii.txt"), "en"},
      {"tricky-unicode.txt, French", fixture("tricky-unicode.txt"), "fr"},
      {"tricky-unicode.txt, German", fixture("tricky-unicode.txt"), "de"},
      {"tricky-unicode.txt, no stemmer", fixture("tricky-unicode.txt"), "ja"},
      {"French sample", "Les États-Unis ont levé l’embargo ; c’était « inévitable ».", "fr"},
      {"German sample", "Die Bundesregierung prüft Straßenbau-Maßnahmen für 1.000.000 Euro.", "de"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(disagreement(maker, c.text, c.language) == "");
  }
}

TEST_CASE("words() agrees with TermGenerator on State of the Union addresses", "[snippets]") {
  std::ifstream in(std::string(DOSSIER_SOURCE_DIR) + "/corpus/sotu/sotu.jsonl");
  REQUIRE(in.good());
  SnippetMaker maker;
  std::string line;
  std::size_t record = 0;
  std::size_t checked = 0;
  while (std::getline(in, line)) {
    // Every fourth address: all eras and typographic styles, in a few seconds under ASan.
    if (record++ % 4 != 0) continue;
    const auto json = nlohmann::json::parse(line);
    const std::string text = json.at("body").get<std::string>();
    CAPTURE(json.at("id").get<std::string>());
    CHECK(disagreement(maker, text, "en") == "");
    ++checked;
  }
  CHECK(checked >= 50);
}

TEST_CASE("words() agrees with TermGenerator on random mixes of tricky characters", "[snippets]") {
  // Pieces TermGenerator or folding treats specially; random strings of them find the
  // interactions no hand-written case thought of.
  const std::vector<std::string> ascii_pieces = {
      "a", "B", "z",      "U",      "S",      "x",      "7",      "0",   ".",    ",",
      ";", "'", "&",      "+",      "#",      "-",      " ",      " ",   "\n",   "_",
      "@", "/", "\u2019", "\u2018", "\u201c", "\u2014", "\u00a0", "ing", "tion", "s"};
  const std::vector<std::string> unicode_pieces = {
      "é",  "e\u0301", "\u0301", "ß",      "İ",      "ﬁ",      "½", "…",
      "中", "国",      "🙂",   "\u200b", "\u00ad", "\u2060", "·", "\u2044",
      "٣",  "٫",       "ｶ",      "ﾞ",      "\u1100", "\u1161", "Σ", "ʼ",
      "′",  "Ⅻ",       "²",      "\u3000", "\u2028", "Ǆ",      "׳", "\u05f4"};
  SnippetMaker maker;
  std::uint32_t state = 12345;
  const auto next = [&state](std::size_t n) {
    state = state * 1664525U + 1013904223U;  // deterministic everywhere
    return static_cast<std::size_t>(state >> 8U) % n;
  };
  for (int round = 0; round < 3000; ++round) {
    const bool unicode = round % 2 == 1;
    std::string text;
    const std::size_t length = 1 + next(24);
    for (std::size_t i = 0; i < length; ++i) {
      if (unicode && next(3) == 0) {
        text += unicode_pieces[next(unicode_pieces.size())];
      } else {
        text += ascii_pieces[next(ascii_pieces.size())];
      }
    }
    CAPTURE(text);
    REQUIRE(disagreement(maker, text, "en") == "");
  }
}

TEST_CASE("words() survives invalid UTF-8 and gives ranges inside the text", "[snippets]") {
  SnippetMaker maker;
  const std::vector<std::string> inputs = {"abc\xc3(", "\xff\xfe sanctions", "caf\xc3",
                                           std::string("nul\0byte", 8), "\xe2\x80"};
  for (const auto& text : inputs) {
    CAPTURE(text);
    for (const auto& w : maker.words(text, "en")) {
      CHECK(w.begin < w.end);
      CHECK(w.end <= text.size());
    }
  }
  CHECK(maker.words("abc\xc3(", "en").at(0).term == "abc");
}

TEST_CASE("make() chooses, trims and highlights passages", "[snippets]") {
  struct Case {
    const char* name;
    std::string text;
    std::map<std::string, double> terms;
    std::vector<std::vector<std::string>> phrases;
    std::size_t passages;
    std::size_t max_bytes;
    std::vector<std::string> expected;  // rendered, highlights in brackets
  };
  const std::string long_sentence =
      "In a long and winding sentence that goes on and on about many things of little "
      "consequence the new tariff schedule appears somewhere in the middle and then the "
      "sentence keeps going for quite a while longer without saying anything else of note.";
  const std::vector<Case> cases = {
      {"stemmed variants",
       "Sanctions were imposed. The Sanctioned firms objected.",
       {{"sanction", 1}},
       {},
       3,
       300,
       {"[Sanctions] were imposed. The [Sanctioned] firms objected."}},
      {"accent folding",
       "Pedro Sánchez spoke.",
       {{"sanchez", 1}},
       {},
       3,
       300,
       {"Pedro [Sánchez] spoke."}},
      {"a phrase is one span; its words alone are not highlighted",
       "Exports of rare earths rose. Rare metals and scorched earth.",
       {},
       {{"rare", "earth"}},
       3,
       300,
       {"Exports of [rare earths] rose. Rare metals and scorched earth."}},
      {"a term also given alone is highlighted outside the phrase too",
       "Exports of rare earths rose. Rare metals and scorched earth.",
       {{"earth", 1}},
       {{"rare", "earth"}},
       3,
       300,
       {"Exports of [rare earths] rose. Rare metals and scorched [earth]."}},
      {"a hyphenated phrase",
       "New rare-earth magnets.",
       {},
       {{"rare", "earth"}},
       3,
       300,
       {"New [rare-earth] magnets."}},
      {"a phrase over collapsed white space",
       "Exports of rare \n\n  earths rose.",
       {},
       {{"rare", "earth"}},
       3,
       300,
       {"Exports of [rare earths] rose."}},
      {"never a word that is not a query term",
       "The sanctuary is not a sanction.",
       {{"sanction", 1}},
       {},
       3,
       300,
       {"The sanctuary is not a [sanction]."}},
      {"initials keep their period",
       "The U.S. imposed duties.",
       {{"us", 1}},
       {},
       3,
       300,
       {"The [U.S.] imposed duties."}},
      {"white space collapsed, highlights still right",
       "  Tariffs\n\n  rose \t\u00a0 sharply.  ",
       {{"tariff", 1}, {"sharpli", 1}},
       {},
       3,
       300,
       {"[Tariffs] rose [sharply]."}},
      {"a middle sentence starts with an ellipsis",
       "Alpha beta gamma. The tariff rose sharply. Delta epsilon zeta.",
       {{"tariff", 1}},
       {},
       3,
       30,
       {"…The [tariff] rose sharply."}},
      {"short sentences joined while within max_bytes",
       "Alpha beta gamma. The tariff rose sharply. Delta epsilon zeta.",
       {{"tariff", 1}},
       {},
       3,
       50,
       {"…The [tariff] rose sharply. Delta epsilon zeta."}},
      {"joining back to the start drops the leading ellipsis",
       "Alpha beta gamma. The tariff rose sharply. Delta epsilon zeta.",
       {{"tariff", 1}},
       {},
       3,
       70,
       {"Alpha beta gamma. The [tariff] rose sharply. Delta epsilon zeta."}},
      {"a long sentence trimmed around its match at word boundaries",
       long_sentence,
       {{"tariff", 1}},
       {},
       3,
       60,
       {"…the new [tariff] schedule appears somewhere in the…"}},
      {"passages in text order, best terms first",
       "Tariffs matter. Many unrelated words are here to dilute things. Filler sentence two "
       "goes here. Tariffs and sanctions and tariffs.",
       {{"tariff", 1}, {"sanction", 2}},
       {},
       2,
       40,
       {"[Tariffs] matter.", "…[Tariffs] and [sanctions] and [tariffs]."}},
      {"one passage asked, the best one",
       "Tariffs matter. Many unrelated words are here to dilute things. Filler sentence two "
       "goes here. Tariffs and sanctions and tariffs.",
       {{"tariff", 1}, {"sanction", 2}},
       {},
       1,
       40,
       {"…[Tariffs] and [sanctions] and [tariffs]."}},
      {"no match: the opening",
       "First sentence here. Second sentence follows.",
       {{"zebra", 1}},
       {},
       3,
       25,
       {"First sentence here."}},
      {"no match: the opening, joined",
       "First sentence here. Second sentence follows.",
       {{"zebra", 1}},
       {},
       3,
       300,
       {"First sentence here. Second sentence follows."}},
      {"no match: a long opening trimmed",
       long_sentence,
       {},
       {},
       3,
       40,
       {"In a long and winding sentence that…"}},
      {"empty text", "", {{"tariff", 1}}, {}, 3, 300, {}},
      {"white space only", " \n\t\u00a0 ", {{"tariff", 1}}, {}, 3, 300, {}},
      {"no passages asked", "The tariff.", {{"tariff", 1}}, {}, 0, 300, {}},
      {"empty terms and phrases are ignored",
       "The tariff.",
       {{"", 1}, {"tariff", 1}},
       {{}, {""}},
       3,
       300,
       {"The [tariff]."}},
      {"U.S. does not end the sentence",
       "Earlier text here. On Thursday, U.S. President Trump cut the tariff. Later text.",
       {{"tariff", 1}},
       {},
       1,
       60,
       {"…On Thursday, U.S. President Trump cut the [tariff]."}},
      {"Mr. does not end the sentence",
       "Earlier text here. Then Mr. Xi cut the tariff. Later.",
       {{"tariff", 1}},
       {},
       1,
       35,
       {"…Then Mr. Xi cut the [tariff]."}},
      {"no joining over a line break (headings, bylines)",
       "A Heading\nThe tariff rose. Next sentence here.\n- By Someone",
       {{"tariff", 1}},
       {},
       3,
       300,
       {"…The [tariff] rose. Next sentence here."}},
      {"chosen neighbours over a line break make one passage",
       "Tariffs\nrose and rose.",
       {{"tariff", 1}, {"rose", 1}},
       {},
       3,
       300,
       {"[Tariffs] [rose] and [rose]."}},
      {"CJK text trimmed at character boundaries",
       "前文。这是一个很长的句子，没有空格，但是包含，关税，这个词，然后继续说很多很多其他的内容直"
       "到结束。",
       {{"关税", 1}},
       {},
       1,
       60,
       {"…但是包含，[关税]，这个词，然后继续说很…"}},
  };
  SnippetMaker maker;
  for (const auto& c : cases) {
    CAPTURE(c.name, c.text);
    HighlightTerms terms;
    for (const auto& [term, weight] : c.terms) terms.terms[term] = weight;
    terms.phrases = c.phrases;
    SnippetOptions options;
    options.passages = c.passages;
    options.max_bytes = c.max_bytes;
    const auto snippets = maker.make(c.text, "en", terms, options);
    CHECK(render_all(snippets) == c.expected);
    check_invariants(snippets, options);
  }
}

TEST_CASE("make() finds the best passage of a long text full of matches", "[snippets]") {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "Trade talks went on and on. ";
  text += "Tariffs hurt trade. ";
  for (int i = 0; i < 400; ++i) text += "Trade talks went on and on. ";
  SnippetMaker maker;
  HighlightTerms terms;
  terms.terms = {{"trade", 1}, {"tariff", 3}};
  SnippetOptions options;
  options.passages = 1;
  options.max_bytes = 40;
  CHECK(render_all(maker.make(text, "en", terms, options)) ==
        std::vector<std::string>{"…[Tariffs] hurt [trade]."});
  options.passages = 2;
  const auto two = maker.make(text, "en", terms, options);
  REQUIRE(two.size() == 2);
  CHECK(render(two[1]) == "…[Tariffs] hurt [trade].");
  CHECK(render(two[0]) == "[Trade] talks went on and on.");
}

TEST_CASE("make() keeps every passage within max_bytes, on character boundaries", "[snippets]") {
  // Multibyte text around the cut, at every budget from absurdly small to generous.
  const std::vector<std::string> texts = {
      "Ééé ààà ççç ôôô ééé ààà le tarif élevé ççç ôôô ééé ààà ççç ôôô ééé ààà ççç ôôô fin.",
      "中文中文中文中文关税中文中文中文中文中文中文中文中文中文中文中文中文中文。",
      "🙂🙂🙂 tariff 🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂 "
      "🙂🙂🙂🙂🙂🙂🙂🙂 end.",
      neil_thomas_section(),
  };
  SnippetMaker maker;
  HighlightTerms terms;
  terms.terms = {{"tarif", 1}, {"tariff", 1}, {"关税", 1}, {"china", 1}, {"export", 2}};
  terms.phrases = {{"rare", "earth"}};
  for (const auto& text : texts) {
    for (std::size_t max_bytes = 1; max_bytes <= 320; max_bytes += (max_bytes < 40 ? 1 : 17)) {
      for (std::size_t passages = 1; passages <= 3; ++passages) {
        CAPTURE(text, max_bytes, passages);
        SnippetOptions options;
        options.passages = passages;
        options.max_bytes = max_bytes;
        const auto snippets = maker.make(text, "fr", terms, options);
        check_invariants(snippets, options);
        if (max_bytes >= 80) CHECK(!snippets.empty());
      }
    }
  }
}

TEST_CASE("make() on the seed article: a phrase over Neil Thomas's section", "[snippets]") {
  SnippetMaker maker;
  const std::string section = neil_thomas_section();
  HighlightTerms terms;
  terms.phrases = {{"rare", "earth"}};
  const auto snippets = maker.make(section, "en", terms, SnippetOptions{});
  REQUIRE(snippets.size() == 1);
  CHECK(render(snippets[0]) ==
        "…Beijing could use this diplomatic truce to buy time to build the bureaucratic "
        "capacity necessary to implement [rare earth] and other strategic export controls in a "
        "more calibrated, effective fashion. That will give China additional leverage in future "
        "U.S.-China negotiations.");

  // Several terms: up to three passages, in text order, highlights only on query terms.
  terms.terms = {{"china", 1.0}, {"export", 2.0}, {"control", 2.0}, {"sanction", 3.0}};
  SnippetOptions options;
  const auto several = maker.make(section, "en", terms, options);
  check_invariants(several, options);
  REQUIRE(several.size() >= 2);
  std::set<std::string> query = {"china", "export", "control", "rare", "earth"};
  std::size_t previous = 0;
  for (const auto& s : several) {
    CAPTURE(s.text);
    const std::string body = s.text.substr(s.text.rfind("\u2026", 0) == 0 ? 3 : 0, 40);
    const auto at = section.find(body);
    CHECK(at != std::string::npos);
    CHECK(at >= previous);
    previous = at;
    for (const auto& h : s.highlights) {
      for (const auto& w : maker.words(s.text.substr(h.begin, h.end - h.begin), "en")) {
        CHECK(query.count(w.term) == 1);
      }
    }
  }
}

TEST_CASE("make() highlights only query terms in every passage of the corpus texts", "[snippets]") {
  SnippetMaker maker;
  HighlightTerms terms;
  terms.terms = {{"tariff", 2}, {"trade", 1}, {"china", 1}, {"war", 1.5}, {"us", 1}};
  terms.phrases = {{"rare", "earth"}, {"unit", "state"}};
  const std::set<std::string> allowed = {"tariff", "trade", "china", "war",  "us",
                                         "rare",   "earth", "unit",  "state"};
  std::vector<std::string> texts = {seed_article(), neil_thomas_section(),
                                    fixture("tricky-unicode.txt"), fixture("tricky-ascii.txt")};
  std::ifstream in(std::string(DOSSIER_SOURCE_DIR) + "/corpus/sotu/sotu.jsonl");
  std::string line;
  for (int i = 0; i < 40 && std::getline(in, line); ++i) {
    if (i % 8 == 0) texts.push_back(nlohmann::json::parse(line).at("body").get<std::string>());
  }
  for (const auto& text : texts) {
    SnippetOptions options;
    const auto snippets = maker.make(text, "en", terms, options);
    check_invariants(snippets, options);
    for (const auto& s : snippets) {
      CAPTURE(s.text);
      for (const auto& h : s.highlights) {
        const auto words = maker.words(s.text.substr(h.begin, h.end - h.begin), "en");
        CHECK(!words.empty());
        for (const auto& w : words) CHECK(allowed.count(w.term) == 1);
      }
    }
  }
}

TEST_CASE("make() tolerates odd weights and invalid UTF-8", "[snippets]") {
  SnippetMaker maker;
  HighlightTerms terms;
  terms.terms = {{"tariff", -1},
                 {"duti", std::numeric_limits<double>::quiet_NaN()},
                 {"levi", std::numeric_limits<double>::infinity()}};
  SnippetOptions options;
  const auto snippets =
      maker.make("A tariff. A duty. A levy. Nothing else here.", "en", terms, options);
  check_invariants(snippets, options);
  CHECK(render_all(snippets) == std::vector<std::string>{"A [tariff]. A [duty]. A [levy]. "
                                                         "Nothing else here."});
  const auto bad = maker.make("caf\xc3 tariff \xff end.", "en", terms, options);
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].highlights.size() == 1);
}

namespace dossier::detail {
// Test hook defined in snippets.cpp: make() without the prefilter, analysing every word.
std::vector<Snippet> make_with_full_scan(SnippetMaker& maker, std::string_view text,
                                         std::string_view language, const HighlightTerms& terms,
                                         const SnippetOptions& options);
}  // namespace dossier::detail

namespace {

// "" when make() gives the same snippets with the prefilter as with the full scan, else both.
std::string fast_path_difference(SnippetMaker& maker, const std::string& text,
                                 const std::string& language, const HighlightTerms& terms,
                                 const SnippetOptions& options) {
  const auto fast = render_all(maker.make(text, language, terms, options));
  const auto full =
      render_all(dossier::detail::make_with_full_scan(maker, text, language, terms, options));
  if (fast == full) return "";
  std::string out = "fast:";
  for (const auto& s : fast) out += "\n  " + s;
  out += "\nfull:";
  for (const auto& s : full) out += "\n  " + s;
  return out;
}

// Deterministic queries drawn from a text's own words: a few terms, and phrases of
// consecutive words, so that most queries match (and some terms are absent, to match none).
class QueryMaker {
 public:
  explicit QueryMaker(std::uint32_t seed) : state_(seed) {}

  std::size_t next(std::size_t n) {
    state_ = state_ * 1664525U + 1013904223U;
    return static_cast<std::size_t>(state_ >> 8U) % n;
  }

  HighlightTerms query(const std::vector<dossier::detail::WordSpan>& words) {
    HighlightTerms terms;
    if (words.empty()) {
      terms.terms = {{"absent", 1.0}};
      return terms;
    }
    const std::size_t count = 1 + next(3);
    for (std::size_t i = 0; i < count; ++i) {
      terms.terms[words[next(words.size())].term] = 0.5 + static_cast<double>(next(8)) / 2;
    }
    if (next(4) == 0) terms.terms["zyzzyva"] = 1.0;
    const std::size_t phrases = next(3);
    for (std::size_t i = 0; i < phrases; ++i) {
      const std::size_t length = 2 + next(2);
      const std::size_t at = next(words.size());
      std::vector<std::string> phrase;
      for (std::size_t k = at; k < words.size() && k < at + length; ++k) {
        phrase.push_back(words[k].term);
      }
      terms.phrases.push_back(phrase);
    }
    return terms;
  }

  SnippetOptions options() {
    SnippetOptions options;
    options.passages = 1 + next(4);
    options.max_bytes = 40 + next(360);
    return options;
  }

 private:
  std::uint32_t state_;
};

}  // namespace

TEST_CASE("make() is the same with the prefilter as with a full scan: edge cases", "[snippets]") {
  // Each case is built to catch a prefilter that skips a chunk it should not: the word holding
  // the query term must be highlighted in `expected` (with the full scan too).
  struct Case {
    std::string name;
    std::string text;
    std::string language;
    std::map<std::string, double> terms;
    std::vector<std::vector<std::string>> phrases;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"y -> i in the stem's second letter",
       "He was dying. They were lying.",
       "en",
       {{"die", 1}, {"lie", 1}},
       {},
       "He was [dying]. They were [lying]."},
      {"y -> i later in the word",
       "A levy and a duty.",
       "en",
       {{"levi", 1}, {"duti", 1}},
       {},
       "A [levy] and a [duty]."},
      {"initials",
       "The U.S. and the U.K. met.",
       "en",
       {{"us", 1}, {"uk", 1}},
       {},
       "The [U.S.] and the [U.K.] met."},
      {"upper case",
       "SANCTIONS. Sanctioned.",
       "en",
       {{"sanction", 1}},
       {},
       "[SANCTIONS]. [Sanctioned]."},
      {"curly quotes and dashes around words",
       "“Sanctions”—tariffs–and ‘trade’.",
       "en",
       {{"sanction", 1}, {"tariff", 1}, {"trade", 1}},
       {},
       "“[Sanctions]”—[tariffs]–and ‘[trade]’."},
      {"soft hyphen between the first letters",
       "New s\u00ADanctions now.",
       "en",
       {{"sanction", 1}},
       {},
       "New [s\u00ADanctions] now."},
      {"zero-width space between the first letters",
       "New s\u200Banctions now.",
       "en",
       {{"sanction", 1}},
       {},
       "New [s\u200Banctions] now."},
      {"ligature folding to the first letters",
       "The \uFB01nal word.",
       "en",
       {{"final", 1}},
       {},
       "The [\uFB01nal] word."},
      {"full-width letters",
       "Ｔａｒｉｆｆｓ rose.",
       "en",
       {{"tariff", 1}},
       {},
       "[Ｔａｒｉｆｆｓ] rose."},
      {"accented first letter",
       "Élan and élite.",
       "en",
       {{"elan", 1}, {"elit", 1}},
       {},
       "[Élan] and [élite]."},
      {"full-width periods: case-folded text, so no initials",
       "The U\uFF0ES\uFF0E met.",
       "en",
       {{"u", 1}, {"us", 1}},
       {},
       "The [U]\uFF0ES\uFF0E met."},
      {"phrase across a punctuation-only chunk",
       "Rare -- earths are rare.",
       "en",
       {},
       {{"rare", "earth"}},
       "[Rare -- earths] are rare."},
      {"phrase over a dropped long word",
       "Rare " + std::string(70, 'x') + " earths and rare things.",
       "en",
       {},
       {{"rare", "earth"}},
       "[Rare " + std::string(70, 'x') + " earths] and rare things."},
      {"phrase over many chunks without words",
       "rare " + std::string(30, '-') + " " + std::string(30, '=') + " " + std::string(30, '*') +
           " earths.",
       "en",
       {},
       {{"rare", "earth"}},
       "[rare " + std::string(30, '-') + " " + std::string(30, '=') + " " + std::string(30, '*') +
           " earths]."},
      {"phrase broken by a word far away",
       "rare " + std::string(100, '-') + " cheap earths.",
       "en",
       {{"cheap", 1}},
       {{"rare", "earth"}},
       "rare " + std::string(100, '-') + " [cheap] earths."},
      {"no stemmer",
       "Die Straße und die Strassen.",
       "ja",
       {{"strasse", 1}, {"strassen", 1}},
       {},
       "Die [Straße] und die [Strassen]."},
      {"stemmer without the prefix property (full scan)",
       "Les États-Unis.",
       "fr",
       {{"etat", 1}},
       {},
       "Les [États]-Unis."},
      {"infix apostrophe",
       "O’Neill and o'clock.",
       "en",
       {{"o'neil", 1}, {"o'clock", 1}},
       {},
       "[O’Neill] and [o'clock]."},
      {"digits",
       "In 1,000 years and 1990s.",
       "en",
       {{"1,000", 1}, {"1990s", 1}},
       {},
       "In [1,000] years and [1990s]."},
  };
  SnippetMaker maker;
  for (const auto& c : cases) {
    CAPTURE(c.name, c.text);
    HighlightTerms terms;
    terms.terms = {c.terms.begin(), c.terms.end()};
    terms.phrases = c.phrases;
    SnippetOptions options;
    CHECK(render_all(maker.make(c.text, c.language, terms, options)) ==
          std::vector<std::string>{c.expected});
    CHECK(fast_path_difference(maker, c.text, c.language, terms, options) == "");
  }
}

TEST_CASE("make() is the same with the prefilter as with a full scan: corpus texts", "[snippets]") {
  struct Text {
    std::string name;
    std::string body;
  };
  std::vector<Text> texts = {{"seed article", seed_article()},
                             {"Neil Thomas's section", neil_thomas_section()},
                             {"tricky-unicode.txt", fixture("tricky-unicode.txt")},
                             {"tricky-ascii.txt", fixture("tricky-ascii.txt")}};
  std::ifstream in(std::string(DOSSIER_SOURCE_DIR) + "/corpus/sotu/sotu.jsonl");
  REQUIRE(in.good());
  std::string line;
  for (std::size_t record = 0; std::getline(in, line); ++record) {
    if (record % 4 != 0) continue;  // every fourth address, as the agreement test reads
    const auto json = nlohmann::json::parse(line);
    texts.push_back({json.at("id").get<std::string>(), json.at("body").get<std::string>()});
  }
  REQUIRE(texts.size() >= 60);
  SnippetMaker maker;
  QueryMaker queries(20240607);
  std::size_t compared = 0;
  std::size_t with_highlights = 0;
  for (const auto& text : texts) {
    CAPTURE(text.name);
    const auto words = maker.words(text.body, "en");
    for (int q = 0; q < 12; ++q) {
      const HighlightTerms terms = queries.query(words);
      const SnippetOptions options = queries.options();
      std::string query;
      for (const auto& [term, weight] : terms.terms) query += term + " ";
      for (const auto& phrase : terms.phrases) {
        query += "\"";
        for (const auto& word : phrase) query += word + " ";
        query += "\" ";
      }
      CAPTURE(query, options.passages, options.max_bytes);
      const auto snippets = maker.make(text.body, "en", terms, options);
      with_highlights += std::any_of(snippets.begin(), snippets.end(),
                                     [](const Snippet& s) { return !s.highlights.empty(); });
      CHECK(fast_path_difference(maker, text.body, "en", terms, options) == "");
      ++compared;
    }
  }
  CHECK(compared >= 700);
  CHECK(with_highlights * 10 >= compared * 9);  // the queries really match
}

TEST_CASE("make() is the same with the prefilter as with a full scan: random tricky texts",
          "[snippets]") {
  const std::vector<std::string> pieces = {
      "a",    "B",      "y",      "U",    "S",      "sa",     "ying",   "ies",    "7",
      ".",    ",",      "'",      "&",    "+",      "#",      "-",      " ",      " ",
      " ",    "\n",     "\t",     "_",    "\u2019", "\u2018", "\u201c", "\u2014", "\u00a0",
      "ing",  "tion",   "s",      "é",    "É",      "\u0301", "ß",      "ﬁ",      "…",
      "中",   "\u200b", "\u00ad", "·",    "ｓ",     "Ａ",     "．",     "\u3000", "İ",
      "\xff", "dying",  "U.S.",   "rare", "earths", "x"};
  SnippetMaker maker;
  QueryMaker random(777);
  const std::vector<std::string> languages = {"en", "ja", "de"};
  std::size_t compared = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t length = 1 + random.next(40);
    for (std::size_t i = 0; i < length; ++i) text += pieces[random.next(pieces.size())];
    const std::string& language = languages[static_cast<std::size_t>(round) % languages.size()];
    const HighlightTerms terms = random.query(maker.words(text, language));
    const SnippetOptions options = random.options();
    CAPTURE(round, text, language);
    CHECK(fast_path_difference(maker, text, language, terms, options) == "");
    ++compared;
  }
  CHECK(compared == 3000);
}
