// The query syntax, table-driven: query string -> canonical description of the Xapian query
// that runs (docs/query-syntax.md), on a small index of invented sample articles.
#include <dossier/dossier.hpp>

#include "schema/schema.hpp"
#include "search/query.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

// Invented sample articles: enough vocabulary for wildcards, spelling and synonyms.
const fs::path& sample_index() {
  static const fs::path db = [] {
    // Per process: ctest runs test cases as parallel processes.
    const fs::path root = fs::path(DOSSIER_TEST_TMP) / ("query-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "docs");
    const auto write = [&](const char* name, const char* text) {
      std::ofstream(root / "docs" / name) << text;
    };
    write("a.md",
          "---\ntitle: Negotiations on rare earths\nauthors: [Ana Sánchez]\n"
          "organisation: Sample Institute\ndate: 2019-03-04\n---\n"
          "Negotiators negotiated the rare earth export controls. North Korea was absent.\n");
    write("b.md",
          "---\ntitle: Tariffs and soybeans\nauthors: [Neil Thomas]\n"
          "organisation: Sample Institute\ndate: 2018-11-02\n---\n"
          "Tariff threats and soybean sales dominated the trade war over China in 2018, "
          "2017 and 1999, before the G20 and G7 summits of 10years.\n");
    write("c.md",
          "---\ntitle: Constitution notes\nauthors: [Ana Sánchez, Neil Thomas]\n"
          "organisation: Other Centre\ndate: 2020\n---\n"
          "The constitution of the alliance was discussed; sanctions were negotiable.\n");
    dossier::CorpusConfig config;
    config.synonyms = {{"dprk", {"north korea"}}, {"prc", {"china"}}};
    config.organisation_aliases = {{"SI", "Sample Institute"}};
    auto writer = dossier::IndexWriter::open(root / "db", config);
    const auto report = writer.index({root / "docs"});
    REQUIRE(report.failed.empty());
    return root / "db";
  }();
  // Removed when the process ends.
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(db.parent_path(), ec);
    }
  } cleanup;
  return db;
}

// A date value as Xapian's query descriptions print it (non-printable bytes as \\xHH).
std::string serialised(int yyyymmdd) {
  std::string out;
  for (const char c : Xapian::sortable_serialise(yyyymmdd)) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 32 || b >= 127) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[b >> 4U];
      out += kHex[b & 15U];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("Query syntax: query string -> canonical query", "[query]") {
  auto searcher = dossier::Searcher::open(sample_index());
  struct Case {
    std::string query;
    std::string expected;
  };
  const Case cases[] = {
      // Words: all must match, stemmed like the documents.
      {"rare earth", "Query((rare@1 AND earth@2))"},
      {"sanctions", "Query(sanction@1)"},
      {"Sánchez", "Query(sanchez@1)"},  // accent folded like the index
      {"SANCTIONS", "Query(sanction@1)"},
      // Phrases: stemmed, so "rare earths" matches "rare earth".
      {"\"rare earths\"", "Query((rare@1 PHRASE 2 earth@2))"},
      {"\xe2\x80\x9crare earth\xe2\x80\x9d", "Query((rare@1 PHRASE 2 earth@2))"},  // “ ”
      {"\"the war\"", "Query((the@1 PHRASE 2 war@2))"},  // stopwords stay in phrases
      // Operators.
      {"rare OR earth", "Query((rare@1 OR earth@2))"},
      {"rare NOT earth", "Query((rare@1 AND_NOT earth@2))"},
      {"rare AND (earth OR china)", "Query((rare@1 AND (earth@2 OR china@3)))"},
      {"+rare -earth", "Query((rare@1 AND_NOT earth@2))"},
      {"rare NEAR earth", "Query((rare@1 NEAR 11 earth@2))"},
      {"rare NEAR/3 earth", "Query((rare@1 NEAR 4 earth@2))"},
      {"rare ADJ/2 earth", "Query((rare@1 PHRASE 3 earth@2))"},
      {"NOT earth", "Query((<alldocuments> AND_NOT earth@1))"},
      {"-earth", "Query((<alldocuments> AND_NOT earth@1))"},
      {"-earth -china", "Query((<alldocuments> AND_NOT (earth@1 OR china@2)))"},
      // Stopwords are left out of free text.
      {"the war", "Query(war@2)"},
      // Fields.
      {"title:tariffs", "Query(Stariff@1)"},
      {"heading:notes", "Query(XHnote@1)"},
      {"author:\"Neil Thomas\"", "Query(0 * Aneil thomas)"},
      {"author:\"NEIL  THOMAS\"", "Query(0 * Aneil thomas)"},
      {"author:\"Ana Sanchez\" rare", "Query((rare@1 FILTER Aana sanchez))"},
      {"org:SI", "Query(0 * XOsample institute)"},  // alias from the configuration
      {"org:\"Sample Institute\" topic:trade", "Query(0 * (XOsample institute AND Ktrade))"},
      {"author:\"Neil Thomas\" author:\"Ana Sánchez\"",
       "Query(0 * (Aneil thomas OR Aana sanchez))"},
      {"type:Commentary lang:EN", "Query(0 * (Len AND Tcommentary))"},
      {"year:2019", "Query(0 * XY2019)"},
      {"month:2019-03", "Query(0 * XM201903)"},
      {"id:sample-1", "Query(0 * XIsample-1)"},
      // Ranges.
      {"year:2015..2019", "Query(VALUE_RANGE 6 2015 2019)"},
      {"date:2019-01-01..2019-03-31",
       "Query(VALUE_RANGE 0 " + serialised(20190101) + " " + serialised(20190331) + ")"},
      {"date:2019..2020",
       "Query(VALUE_RANGE 0 " + serialised(20190000) + " " + serialised(20201231) + ")"},
      {"date:2019-03",
       "Query(VALUE_RANGE 0 " + serialised(20190300) + " " + serialised(20190331) + ")"},
      // Wildcards expand over the words as written, then stem: negotiat* covers negotiations,
      // negotiators, negotiated, negotiable.
      {"negotiat*", "Query(negoti)"},
      {"constitu*", "Query(constitut)"},
      {"sa*", "Query((sale SYNONYM sanction))"},  // sales, sanctions
      {"tariff*", "Query(tariff)"},
      {"title:negotiat*", "Query(Snegoti)"},
      {"rare negotiat*", "Query((rare@1 AND negoti))"},
      {"zzyzx*", "Query()"},  // nothing to expand to: no match, not an error
      // Words that start with a digit are not in the spelling list: such wildcards expand over
      // the index's terms. Words with a digit later ("g20") are in it.
      {"201*", "Query((2017 SYNONYM 2018))"},
      {"1999*", "Query(1999)"},
      {"10years*", "Query(10year)"},  // the stem of a whole word is a prefix too
      {"g*", "Query((g20 SYNONYM g7))"},
      {"title:201*", "Query()"},  // only body terms hold these numbers
      // Synonyms from the index.
      {"dprk", "Query((dprk@1 OR (north@2 PHRASE 2 korea@3)))"},
      {"prc tariffs", "Query(((prc@1 OR china@2) AND tariff@3))"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(searcher.describe(c.query) == c.expected);
  }
}

TEST_CASE("Query syntax: --any ranks documents matching any word", "[query]") {
  auto searcher = dossier::Searcher::open(sample_index());
  CHECK(searcher.describe("rare earth", dossier::MatchMode::kAny) == "Query((rare@1 OR earth@2))");
  CHECK(searcher.describe("rare earth", dossier::MatchMode::kAll) == "Query((rare@1 AND earth@2))");
}

TEST_CASE("Query syntax: queries with nothing to search for are refused clearly", "[query]") {
  auto searcher = dossier::Searcher::open(sample_index());
  struct Case {
    const char* query;
    const char* message;
  };
  const Case cases[] = {
      {"the", "only stopwords"},
      {"the of and", "only stopwords"},
      {"?!", "no words to search for"},
      {"...", "no words to search for"},
      {"date:2019-13..2020", "not a date"},
      {"date:2019-02-30", "not a date"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    try {
      searcher.describe(c.query);
      FAIL("expected an error");
    } catch (const dossier::Error& e) {
      CHECK(e.code() == dossier::ErrorCode::kInvalidArgument);
      CHECK_THAT(e.what(), Catch::Matchers::Contains(c.message));
    }
  }
}

TEST_CASE("Query syntax: a query that does not parse is retried as words", "[query]") {
  auto searcher = dossier::Searcher::open(sample_index());
  dossier::SearchRequest request;
  const char* broken[] = {"rare AND", "AND rare", "rare OR OR earth"};
  for (const char* q : broken) {
    CAPTURE(q);
    request.query = q;
    const auto r = searcher.search(request);
    REQUIRE_FALSE(r.warnings.empty());
    CHECK_THAT(r.warnings[0], Catch::Matchers::Contains("did not parse"));
    CHECK(r.total.upper > 0);
  }
}

TEST_CASE("Partial dates cover their whole year or month", "[query]") {
  struct Case {
    const char* text;
    bool ok;
    int low;
    int high;
  };
  const Case cases[] = {
      {"2019", true, 20190000, 20191231},
      {"2019-03", true, 20190300, 20190331},
      {"2019-03-31", true, 20190331, 20190331},
      {"2019/3/4", true, 20190304, 20190304},
      {"2019-3", true, 20190300, 20190331},
      {"2019-13", false, 0, 0},
      {"2019-02-30", false, 0, 0},
      {"19", false, 0, 0},
      {"2019-", false, 0, 0},
      {"march", false, 0, 0},
      {"", false, 0, 0},
      {"2019-03-04x", false, 0, 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    int low = 0;
    int high = 0;
    REQUIRE(dossier::detail::parse_partial_date(c.text, low, high) == c.ok);
    if (c.ok) {
      CHECK(low == c.low);
      CHECK(high == c.high);
    }
  }
}

TEST_CASE("The spelling dictionary leaves out words that start with a digit", "[query]") {
  const Xapian::Database db(sample_index().string());
  const auto in_dictionary = [&](const std::string& word) {
    auto it = db.spellings_begin();
    it.skip_to(word);
    return it != db.spellings_end() && *it == word;
  };
  CHECK(in_dictionary("tariff"));
  CHECK(in_dictionary("g20"));
  CHECK(in_dictionary("summits"));
  CHECK_FALSE(in_dictionary("2018"));
  CHECK_FALSE(in_dictionary("1999"));
  CHECK(db.term_exists("2018"));  // still indexed and searchable
}

TEST_CASE("Spelling suggestions replace only words the index has never seen", "[query]") {
  auto searcher = dossier::Searcher::open(sample_index());
  struct Case {
    const char* query;
    const char* suggestion;
  };
  const Case cases[] = {
      {"constitutoin", "constitution"},
      {"soybaens tariffs", "soybeans tariffs"},
      {"rare earth", ""},          // known words stay
      {"author:Thomsa rare", ""},  // field values are not words to correct
      {"negotiatoin*", ""},        // nor wildcard prefixes
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    dossier::SearchRequest request;
    request.query = c.query;
    CHECK(searcher.search(request).suggestion == c.suggestion);
  }
}

// Issue #11, hostile queries: each is searched or refused with a clear message
// (docs/query-syntax.md, "Limits"), through describe() (parsing) and search() (spelling too).
TEST_CASE("Hostile queries: over-long, invalid UTF-8 and too many words are refused", "[query]") {
  auto searcher = dossier::Searcher::open(sample_index());
  std::string ten_thousand;
  while (ten_thousand.size() < 10'000) ten_thousand += "tariffs ";
  ten_thousand.resize(10'000);  // 1,250 words
  std::string many_words;
  for (int i = 0; i < 1025; ++i) many_words += "w" + std::to_string(i) + " ";
  std::string huge;
  while (huge.size() <= 16'384) huge += "rare earth ";
  struct Case {
    std::string query;
    const char* message;
  };
  const Case cases[] = {
      {ten_thousand, "the query has 1250 words, more than the limit of 1024"},
      {many_words, "the query has 1025 words, more than the limit of 1024"},
      {huge, "bytes long, more than the limit of 16384"},
      {"rare \xff\xfe earth", "the query is not valid UTF-8 (byte 6)"},
      {"sanctions \xe2\x80", "not valid UTF-8 (byte 11)"},
      {"\xc0\xaf trade", "not valid UTF-8 (byte 1)"},
      {"trade \xed\xa0\x80", "not valid UTF-8 (byte 7)"},
      {"\x01\x02\x7f", "no words to search for"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query.substr(0, 60));
    for (const bool full_search : {false, true}) {
      try {
        if (full_search) {
          dossier::SearchRequest request;
          request.query = c.query;
          searcher.search(request);
        } else {
          searcher.describe(c.query);
        }
        FAIL("expected an error");
      } catch (const dossier::Error& e) {
        CHECK(e.code() == dossier::ErrorCode::kInvalidArgument);
        CHECK_THAT(e.what(), Catch::Matchers::Contains(c.message));
      }
    }
  }
}

TEST_CASE("Hostile queries: control characters, unbalanced syntax and many terms are searched",
          "[query]") {
  auto searcher = dossier::Searcher::open(sample_index());
  std::string ored = "rare";
  for (int i = 0; i < 999; ++i) ored += " OR w" + std::to_string(i);
  std::string nested(4000, '(');
  nested += "rare";
  nested.append(4000, ')');
  struct Case {
    std::string query;
    const char* description;  // "" when any description will do
  };
  const Case cases[] = {
      // Control characters separate words, like white space; C1 controls (U+0085) too.
      {"rare\x01"
       "earth",
       "Query((rare@1 AND earth@2))"},
      {"rare\x1b[31mearth", ""},
      {"rare\xc2\x85"
       "earth\x7f",
       "Query((rare@1 AND earth@2))"},
      {std::string("rare\0earth", 10), "Query((rare@1 AND earth@2))"},
      {"\"rare earth", ""},
      {"((rare earth", ""},
      {"rare) earth))", ""},
      {"\"\"\"rare", ""},
      {std::string(10'000, 'a'), ""},  // one word of 10,000 letters: under the limits
      {ored, ""},                      // 1,000 ORed words: under the limit of 1,024
      {nested, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query.substr(0, 60));
    const auto described = searcher.describe(c.query);
    if (*c.description != '\0') CHECK(described == c.description);
    dossier::SearchRequest request;
    request.query = c.query;
    const auto results = searcher.search(request);
    CHECK(results.total.lower <= results.total.upper);
  }
}

TEST_CASE("Hostile queries: a one-letter wildcard expands within its limit or is refused",
          "[query]") {
  auto searcher = dossier::Searcher::open(sample_index());
  dossier::SearchRequest request;
  request.query = "s*";
  request.wildcard_limit = 2;
  try {
    searcher.search(request);
    FAIL("expected an error");
  } catch (const dossier::Error& e) {
    CHECK(e.code() == dossier::ErrorCode::kInvalidArgument);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("wildcard 's*' matches more than 2 terms"));
  }
  request.wildcard_limit = 500;
  CHECK(searcher.search(request).total.upper > 0);
}

TEST_CASE("The schema table decides which fields the query syntax knows, and how", "[query]") {
  // Every row with a QueryAs is registered from the table: `name:value` becomes a term under
  // the row's prefix (or the date slot's range), and a row without one stays plain words.
  Xapian::Database db(sample_index().string());
  dossier::detail::QueryBuilder builder(db);
  for (const auto& field : dossier::detail::kSchema) {
    CAPTURE(field.name);
    const std::string value = field.query == dossier::detail::QueryAs::kMonth  ? "2019-03"
                              : field.query == dossier::detail::QueryAs::kDate ? "2019-03-04"
                              : field.query == dossier::detail::QueryAs::kTerm ? "2019"
                                                                               : "sample";
    const auto parsed = builder.parse(std::string(field.name) + ":" + value + " tariffs",
                                      dossier::MatchMode::kAll, 100);
    const auto description = parsed.query.get_description();
    CAPTURE(description);
    const std::string prefix(field.prefix);
    switch (field.query) {
      case dossier::detail::QueryAs::kNot:
        // Not a field: `name:value` is searched as words, no filter.
        CHECK(description.find("FILTER") == std::string::npos);
        break;
      case dossier::detail::QueryAs::kWords:
        CHECK(description.find(prefix + "sampl") != std::string::npos);
        break;
      case dossier::detail::QueryAs::kKey:
        CHECK(description.find("FILTER " + prefix + "sample") != std::string::npos);
        break;
      case dossier::detail::QueryAs::kTerm:
        CHECK(description.find("FILTER " + prefix + "2019") != std::string::npos);
        break;
      case dossier::detail::QueryAs::kMonth:
        CHECK(description.find("FILTER " + prefix) != std::string::npos);
        break;
      case dossier::detail::QueryAs::kDate:
        CHECK(description.find("VALUE_RANGE 0") != std::string::npos);
        break;
    }
  }
}
