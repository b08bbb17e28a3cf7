// dossier-search's printers on hand-built results: golden files (tests/data/output/, regenerate
// with DOSSIER_UPDATE_GOLDEN=1) and table-driven tests of escaping, keys and wrapping.
#include "output.hpp"

#include <dossier/text.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using dossier::FacetCount;
using dossier::Highlight;
using dossier::Hit;
using dossier::SearchRequest;
using dossier::SearchResults;
using dossier::Snippet;
using dossier::cli::Format;
using dossier::cli::RenderOptions;

// Byte offsets of `needle` in `text` (n-th occurrence), so fixtures stay readable.
Highlight span_of(const std::string& text, const std::string& needle, std::size_t nth = 0) {
  std::size_t at = text.find(needle);
  for (std::size_t k = 0; k < nth && at != std::string::npos; ++k) at = text.find(needle, at + 1);
  REQUIRE(at != std::string::npos);
  return {at, at + needle.size()};
}

Snippet snippet(const std::string& text, const std::vector<std::string>& marked) {
  Snippet s;
  s.text = text;
  for (const std::string& m : marked) s.highlights.push_back(span_of(text, m));
  return s;
}

SearchRequest sample_request() {
  SearchRequest request;
  request.query = "sanctoins (russia";
  request.organisations = {"RAND Corporation", "CSIS"};
  request.from = "2015";
  request.facets = {"org", "author"};
  request.timeline = dossier::TimelineUnit::kYear;
  return request;
}

// Invented sample results: three hits covering multi-author, non-ASCII names, a title with a
// comma and quotes, multi-byte text around highlights, and an article with no date or url.
SearchResults sample_results() {
  SearchResults results;
  results.total = {17, 15, 21, false};

  Hit first;
  first.rank = 1;
  first.score = 12.5;
  first.percent = 100;
  first.id = "https://www.rand.org/pubs/commentary/2019/03/smart-sanctions.html";
  first.title = "Sanctions, \"Smart\" or Blunt? Russia & the EU's 5% Rule";
  first.authors = {"María Sánchez", "John Smith Jr."};
  first.organisation = "RAND Corporation";
  first.date = "2019-03-14";
  first.type = "commentary";
  first.topics = {"sanctions", "Russia"};
  first.language = "en";
  first.url = "https://www.rand.org/pubs/commentary/2019/03/smart-sanctions.html?a=1&b={2}";
  first.path = "corpus/rand/smart-sanctions.html";
  first.summary = "Why \"smart\" sanctions on Russia are neither smart nor blunt.";
  first.section = {1, 3, "The view from Moscow", {"John Smith Jr."}, true, 1200, 2400};
  first.snippets = {
      snippet("…the EU's sanctions on Россия are “smart” — targeted at oligarchs, not at "
              "ordinary Russians…",
              {"sanctions", "Россия", "Russians"}),
      snippet("Since 2014, Brussels has renewed the sanctions every six months; each renewal is a "
              "negotiation among 28 governments with very different exposure to Russian trade…",
              {"sanctions", "Russian"}),
  };
  first.explanation = {{"sanction", 7.25}, {"russia", 5.25}};

  Hit second;
  second.rank = 2;
  second.score = 9.75;
  second.percent = 78;
  second.id = "csis-relief-2019";
  second.title = "Sanctions Relief and Its Discontents";
  second.authors = {"Sánchez, María"};
  second.organisation = "CSIS";
  second.date = "2019-11";
  second.type = "report";
  second.topics = {"sanctions"};
  second.language = "en";
  second.url = "https://www.csis.org/analysis/sanctions-relief";
  second.path = "corpus/csis/relief.md";
  second.section = {0, 1, "", {}, false, 0, 900};
  second.snippets = {
      snippet("Relief from sanctions is a bargaining chip only if it is credible.", {"sanctions"})};
  second.explanation = {{"sanction", 6.5}};

  Hit third;
  third.rank = 3;
  third.score = 4.125;
  third.percent = 33;
  third.id = "corpus/misc/hearings.jsonl:42";
  third.title = "NATO's Budget: 2% of GDP & #Burden_Sharing";
  third.authors = {"Ursula von der Leyen", "Li Wei", "Ole Ødegård"};
  third.type = "testimony";
  third.topics = {};
  third.language = "en";
  third.path = "corpus/misc/hearings.jsonl";
  third.line = 42;
  third.section = {2, 4, "Questions from the committee", {}, false, 5000, 7000};
  third.snippets = {snippet(
      "In Chinese commentary Russia and the alliance appear as "
      "俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与"
      "北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗"
      "斯"
      "与北约俄罗斯与北约 in most sanctions coverage.",
      {"Russia",
       "俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯"
       "与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约",
       "sanctions"})};
  third.explanation = {{"sanction", 2.0625}, {"russia", 2.0625}};

  results.hits = {first, second, third};
  results.facets = {
      {"org", {{"RAND Corporation", 12}, {"CSIS", 3}, {"Brookings Institution", 1}}, 5, 1},
      {"author", {{"María Sánchez", 4}, {"John Smith Jr.", 2}}, 2, 0},
  };
  results.timeline_unit = dossier::TimelineUnit::kYear;
  results.timeline = {{"2015", 3}, {"2016", 0}, {"2017", 0}, {"2018", 7}, {"2019", 12}};
  results.undated = 2;
  results.suggestion = "sanctions russia";
  results.corrected = false;
  results.warnings = {
      "could not parse the query (unbalanced parenthesis at 11); searched for its words instead"};
  results.query_description =
      "Query((Zsanctoin@1 AND Zrussia@2)) FILTER org:(csis OR rand corporation) date:2015..";
  return results;
}

std::string render(const SearchRequest& request, const SearchResults& results, Format format,
                   const RenderOptions& options) {
  std::ostringstream out;
  dossier::cli::render(out, request, results, format, options);
  return out.str();
}

RenderOptions plain_options() {
  RenderOptions options;
  options.db = "index/demo";
  return options;
}

std::string golden_path(const std::string& name) {
  return std::string(DOSSIER_TEST_DATA) + "/output/" + name;
}

// Compares with a golden file; DOSSIER_UPDATE_GOLDEN=1 rewrites it (review the diff by eye).
void check_golden(const std::string& name, const std::string& actual) {
  CAPTURE(name);
  const char* update = std::getenv("DOSSIER_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden_path(name), std::ios::binary) << actual;
    WARN("rewrote golden " << name);
    return;
  }
  std::ifstream in(golden_path(name), std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream expected;
  expected << in.rdbuf();
  CHECK(actual == expected.str());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Terminal columns: one per code point, two for the CJK ideographs the fixtures use.
std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0U) != 0x80U) ++n;
    if (byte >= 0xE4U && byte <= 0xE9U) ++n;
  }
  return n;
}

// Visible width of a line: ANSI escape sequences removed, columns counted.
std::size_t visible_width(const std::string& line) {
  std::string visible;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b') {
      while (i < line.size() && line[i] != 'm') ++i;
      continue;
    }
    visible += line[i];
  }
  return code_points(visible);
}

}  // namespace

TEST_CASE("golden: every format on the sample results", "[output]") {
  const SearchRequest request = sample_request();
  const SearchResults results = sample_results();
  RenderOptions options = plain_options();

  check_golden("text.txt", render(request, results, Format::kText, options));
  check_golden("csv.csv", render(request, results, Format::kCsv, options));
  check_golden("bibtex.bib", render(request, results, Format::kBibtex, options));
  check_golden("ris.ris", render(request, results, Format::kRis, options));
  check_golden("jsonl.jsonl", render(request, results, Format::kJsonl, options));

  options.explain = true;
  check_golden("json.json", render(request, results, Format::kJson, options));
  check_golden("text-explain.txt", render(request, results, Format::kText, options));

  options = plain_options();
  options.color = true;
  check_golden("text-color.txt", render(request, results, Format::kText, options));

  options = plain_options();
  options.width = 40;
  check_golden("text-40.txt", render(request, results, Format::kText, options));

  options = plain_options();
  options.count_only = true;
  check_golden("count.txt", render(request, results, Format::kText, options));
  check_golden("count.json", render(request, results, Format::kJson, options));
}

TEST_CASE("golden: no matches, corrected query, browse", "[output]") {
  SearchRequest request;
  request.query = "sanctoins";
  SearchResults none;
  none.suggestion = "sanctions";
  none.query_description = "Query(Zsanctoin@1)";
  check_golden("text-no-matches.txt", render(request, none, Format::kText, plain_options()));
  check_golden("json-no-matches.json", render(request, none, Format::kJson, plain_options()));

  SearchResults corrected = sample_results();
  corrected.hits.resize(1);
  corrected.total = {1, 1, 1, true};
  corrected.facets.clear();
  corrected.timeline_unit = dossier::TimelineUnit::kNone;
  corrected.timeline.clear();
  corrected.warnings.clear();
  corrected.suggestion = "sanctions";
  corrected.corrected = true;
  check_golden("text-corrected.txt", render(request, corrected, Format::kText, plain_options()));

  SearchRequest browse_request;
  browse_request.organisations = {"RAND Corporation"};
  browse_request.limit = 0;
  browse_request.timeline = dossier::TimelineUnit::kMonth;
  SearchResults browse;
  browse.browse = true;
  browse.total = {1, 1, 1, true};
  browse.timeline_unit = dossier::TimelineUnit::kMonth;
  browse.timeline = {{"2019-01", 1}};
  browse.facets = {{"type", {}, 0, 1}};
  check_golden("text-browse.txt", render(browse_request, browse, Format::kText, plain_options()));
}

TEST_CASE("parse_format accepts exactly the six names", "[output]") {
  struct Case {
    const char* name;
    bool ok;
    Format format;
  };
  const Case cases[] = {
      {"text", true, Format::kText},     {"json", true, Format::kJson},
      {"jsonl", true, Format::kJsonl},   {"csv", true, Format::kCsv},
      {"bibtex", true, Format::kBibtex}, {"ris", true, Format::kRis},
      {"", false, Format::kText},        {"JSON", false, Format::kText},
      {"json ", false, Format::kText},   {"xml", false, Format::kText},
      {"bib", false, Format::kText},     {"tex", false, Format::kText},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Format format = Format::kText;
    CHECK(dossier::cli::parse_format(c.name, format) == c.ok);
    if (c.ok) CHECK(format == c.format);
  }
}

TEST_CASE("CSV quotes fields per RFC 4180", "[output]") {
  struct Case {
    std::string title;
    std::string field;
  };
  const Case cases[] = {
      {"plain", "plain"},
      {"a, b", "\"a, b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\rlf", "\"cr\rlf\""},
      {"", ""},
      {"Sánchez; “quoted”", "Sánchez; “quoted”"},
      {" padded ", " padded "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.title);
    SearchResults results;
    Hit hit;
    hit.rank = 1;
    hit.score = 1.5;
    hit.id = "x";
    hit.title = c.title;
    results.hits = {hit};
    const std::string csv = render({}, results, Format::kCsv, plain_options());
    CHECK(csv ==
          "rank,score,id,date,org,authors,title,url,path,snippet\n1,1.5,x,,,," + c.field + ",,,\n");
  }
}

TEST_CASE("CSV joins passages without doubling ellipses", "[output]") {
  struct Case {
    std::vector<std::string> passages;
    std::string expected;
  };
  const Case cases[] = {
      {{}, ""},
      {{"One."}, "One."},
      {{"One.", "Two."}, "One. … Two."},
      {{"…one…", "…two…"}, "…one … two…"},
      {{"one… ", " …two"}, "one … two"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.passages);
    SearchResults results;
    Hit hit;
    hit.rank = 1;
    hit.id = "x";
    for (const std::string& p : c.passages) hit.snippets.push_back({p, {}});
    results.hits = {hit};
    const std::vector<std::string> lines =
        lines_of(render({}, results, Format::kCsv, plain_options()));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "1,0,x,,,,,,," + c.expected);
  }
}

// OWASP "CSV Injection": a cell starting with = + - @ TAB or CR opens as a live formula in Excel
// and LibreOffice, so free-text cells get a leading ' (then the usual RFC 4180 quoting).
TEST_CASE("CSV neutralises spreadsheet formulas in text cells", "[output]") {
  struct Case {
    std::string value;
    std::string cell;
  };
  const Case cases[] = {
      {"=HYPERLINK(\"http://evil\",\"click\")",
       "\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""},
      {"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
      {"@SUM(1+1)", "'@SUM(1+1)"},
      {"-2+3", "'-2+3"},
      {"-5% growth", "'-5% growth"},
      {"=1+1, then", "\"'=1+1, then\""},
      {"\t=1+1", "'\t=1+1"},
      {"\r=1+1", "\"'\r=1+1\""},
      {"=", "'="},
      {"'=already quoted", "'=already quoted"},
      // Only the first character matters: formulas further in are plain text to a spreadsheet.
      {"a=1+1", "a=1+1"},
      {" =1+1", " =1+1"},
      {"\n=1+1", "\"\n=1+1\""},
      {"Growth -5%", "Growth -5%"},
      {"5% growth", "5% growth"},
      {"", ""},
      {"＝1+1", "＝1+1"},  // U+FF1D FULLWIDTH EQUALS SIGN: not a formula trigger.
  };
  for (const Case& c : cases) {
    CAPTURE(c.value);
    // Each free-text column on its own, so a wrong column shows up in the failure message.
    struct Column {
      const char* name;
      std::size_t index;
    };
    const Column columns[] = {{"id", 2},  {"org", 4},  {"authors", 5}, {"title", 6},
                              {"url", 7}, {"path", 8}, {"snippet", 9}};
    for (const Column& column : columns) {
      CAPTURE(column.name);
      Hit hit;
      hit.rank = 1;
      hit.score = 1.5;
      hit.date = "2019-03-04";
      hit.id = column.index == 2 ? c.value : "x";
      if (column.index == 4) hit.organisation = c.value;
      if (column.index == 5) hit.authors = {c.value};
      if (column.index == 6) hit.title = c.value;
      if (column.index == 7) hit.url = c.value;
      if (column.index == 8) hit.path = c.value;
      if (column.index == 9) hit.snippets = {{c.value, {}}};
      std::string expected = "rank,score,id,date,org,authors,title,url,path,snippet\n1,1.5,";
      for (std::size_t i = 2; i < 10; ++i) {
        if (i > 2) expected += ',';
        if (i == column.index) {
          expected += c.cell;
        } else if (i == 2) {
          expected += 'x';
        } else if (i == 3) {
          expected += "2019-03-04";
        }
      }
      expected += '\n';
      SearchResults results;
      results.hits = {hit};
      CHECK(render({}, results, Format::kCsv, plain_options()) == expected);
    }
  }
}

TEST_CASE("CSV neutralises only the first author of the joined authors cell", "[output]") {
  struct Case {
    std::vector<std::string> authors;
    std::string cell;
  };
  const Case cases[] = {
      {{"=evil()", "Jane Doe"}, "'=evil(); Jane Doe"},
      {{"Jane Doe", "=evil()"}, "Jane Doe; =evil()"},  // mid-cell: inert in a spreadsheet
      {{"@me", "+you"}, "'@me; +you"},
      {{"-"}, "'-"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.authors);
    Hit hit;
    hit.rank = 1;
    hit.id = "x";
    hit.authors = c.authors;
    SearchResults results;
    results.hits = {hit};
    const std::vector<std::string> lines =
        lines_of(render({}, results, Format::kCsv, plain_options()));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "1,0,x,,," + c.cell + ",,,,");
  }
}

// rank and score are numbers Dossier formats itself; a spreadsheet must still read them as
// numbers, so they are never prefixed, even a (hypothetical) negative score. Dates are
// normalised ISO dates (year 1..9999), which never start with a trigger character.
TEST_CASE("CSV leaves rank, score and valid date cells unchanged", "[output]") {
  struct Case {
    std::size_t rank;
    double score;
    std::string date;
    std::string prefix;
  };
  const Case cases[] = {
      {1, 12.5, "2019-03-04", "1,12.5,x,2019-03-04"},
      {20, 0, "2019-03", "20,0,x,2019-03"},
      {3, 4.125, "2019", "3,4.125,x,2019"},
      {7, -2.5, "0044", "7,-2.5,x,0044"},
      {100000, 1e-7, "", "100000,1e-07,x,"},
      // Not a date Dossier writes (it comes from a corrupt index): defused like text.
      {1, 1, "=1+1", "1,1,x,'=1+1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.prefix);
    Hit hit;
    hit.rank = c.rank;
    hit.score = c.score;
    hit.date = c.date;
    hit.id = "x";
    hit.title = "=1+1";
    SearchResults results;
    results.hits = {hit};
    const std::vector<std::string> lines =
        lines_of(render({}, results, Format::kCsv, plain_options()));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == c.prefix + ",,,'=1+1,,,");
  }
}

TEST_CASE("BibTeX escapes special characters", "[output]") {
  struct Case {
    std::string org;
    std::string expected;
  };
  const Case cases[] = {
      {"AT&T", "AT\\&T"},
      {"100% Think Tank", "100\\% Think Tank"},
      {"$ # _", "\\$ \\# \\_"},
      {"{braces}", "\\{braces\\}"},
      {"a~b^c", "a\\textasciitilde{}b\\textasciicircum{}c"},
      {"back\\slash", "back\\textbackslash{}slash"},
      {"Fundación Ñ", "Fundación Ñ"},
      {"two\nlines", "two lines"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.org);
    SearchResults results;
    Hit hit;
    hit.rank = 1;
    hit.id = "x";
    hit.title = "T";
    hit.type = "report";
    hit.organisation = c.org;
    results.hits = {hit};
    const std::string bib = render({}, results, Format::kBibtex, plain_options());
    CHECK(bib.find("  institution = {" + c.expected + "}") != std::string::npos);
  }
}

TEST_CASE("BibTeX titles protect acronyms and mixed case, types map to entry kinds", "[output]") {
  struct Case {
    std::string title;
    std::string type;
    std::string expected_title;
    std::string entry;
  };
  const Case cases[] = {
      {"NATO at 70", "commentary", "{NATO} at 70", "@article{"},
      {"McCain and the Senate", "op-ed", "{McCain} and the Senate", "@article{"},
      {"The U.S. & China", "report", "The {U.S.} \\& China", "@techreport{"},
      {"Plain title", "testimony", "Plain title", "@misc{"},
      {"Plain title", "", "Plain title", "@misc{"},
      {"Plain title", "Working Paper", "Plain title", "@techreport{"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.title, c.type);
    SearchResults results;
    Hit hit;
    hit.rank = 1;
    hit.id = "x";
    hit.title = c.title;
    hit.type = c.type;
    results.hits = {hit};
    const std::string bib = render({}, results, Format::kBibtex, plain_options());
    CHECK(bib.rfind(c.entry, 0) == 0);
    CHECK(bib.find("  title = {" + c.expected_title + "}") != std::string::npos);
  }
}

TEST_CASE("citation keys are ASCII and unique within one output", "[output]") {
  struct Entry {
    std::vector<std::string> authors;
    std::string org;
    std::string date;
    std::string title;
  };
  struct Case {
    std::vector<Entry> entries;
    std::vector<std::string> keys;
  };
  const Case cases[] = {
      {{{{"María Sánchez"}, "", "2019-03-14", "Sanctions work"}}, {"sanchez2019sanctions"}},
      {{{{"María Sánchez"}, "", "2019", "Sanctions work"},
        {{"Sánchez, María"}, "", "2019-05", "Sanctions fail"},
        {{"M. Sanchez"}, "", "2019", "Sanctions, again"}},
       {"sanchez2019sanctions", "sanchez2019sanctionsa", "sanchez2019sanctionsb"}},
      {{{{"Ursula von der Leyen"}, "", "2020", "The Union"}}, {"vonderleyen2020union"}},
      {{{{"John Smith Jr."}, "", "2018", "A Plan"}}, {"smith2018plan"}},
      {{{{}, "RAND Corporation", "", "An Overview"}}, {"randcorporationoverview"}},
      {{{{}, "", "", ""}}, {"dossier"}},
      {{{{"李伟"}, "CSIS", "2021", "“Quoted” start"}}, {"csis2021quoted"}},
      // A natural key that looks like a collision suffix must not be handed out twice.
      {{{{"Ann Lee"}, "", "2019", "Plan"},
        {{"Ann Lee"}, "", "2019", "Plana"},
        {{"Ann Lee"}, "", "2019", "Plan"}},
       {"lee2019plan", "lee2019plana", "lee2019planb"}},
  };
  for (const Case& c : cases) {
    SearchResults results;
    std::size_t rank = 0;
    for (const Entry& e : c.entries) {
      Hit hit;
      hit.rank = ++rank;
      hit.id = "id" + std::to_string(rank);
      hit.authors = e.authors;
      hit.organisation = e.org;
      hit.date = e.date;
      hit.title = e.title;
      results.hits.push_back(hit);
    }
    std::vector<std::string> keys;
    for (const std::string& line :
         lines_of(render({}, results, Format::kBibtex, plain_options()))) {
      if (line.rfind("@", 0) == 0)
        keys.push_back(line.substr(line.find('{') + 1, line.size() - line.find('{') - 2));
    }
    CAPTURE(c.keys);
    CHECK(keys == c.keys);
  }
}

TEST_CASE("RIS authors are family name first", "[output]") {
  struct Case {
    std::string name;
    std::string expected;
  };
  const Case cases[] = {
      {"María Sánchez", "Sánchez, María"},
      {"Sánchez, María", "Sánchez, María"},
      {"John Smith Jr.", "Smith, John, Jr."},
      {"Ursula von der Leyen", "von der Leyen, Ursula"},
      {"Ludwig van Beethoven", "van Beethoven, Ludwig"},
      {"Madonna", "Madonna"},
      {"  Wendy   Cutler ", "Cutler, Wendy"},
      {"李伟", "李伟"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    SearchResults results;
    Hit hit;
    hit.rank = 1;
    hit.id = "x";
    hit.title = "T";
    hit.authors = {c.name};
    results.hits = {hit};
    const std::string ris = render({}, results, Format::kRis, plain_options());
    CHECK(ris == "TY  - GEN\nTI  - T\nAU  - " + c.expected + "\nER  - \n");
  }
}

TEST_CASE("JSON snippets: html escapes text and marks highlights on code point boundaries",
          "[output]") {
  struct Case {
    std::string text;
    std::vector<Highlight> highlights;
    std::string html;
    std::vector<std::vector<std::size_t>> ranges;
  };
  const Case cases[] = {
      {"a <b> & \"c\" 'd'", {}, "a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", {}},
      {"rare earths", {{0, 11}}, "<mark>rare earths</mark>", {{0, 11}}},
      // "Россия" is 12 bytes; the highlight covers it exactly.
      {"на Россия!", {{5, 17}}, "на <mark>Россия</mark>!", {{5, 17}}},
      // Offsets inside a sequence are widened to whole code points.
      {"на Россия!", {{6, 16}}, "на <mark>Россия</mark>!", {{5, 17}}},
      // Out of range: clamped; empty: dropped.
      {"abc", {{1, 99}, {2, 2}}, "a<mark>bc</mark>", {{1, 3}}},
      // Unsorted, overlapping and touching ranges are merged.
      {"abcdef", {{3, 5}, {0, 2}, {1, 3}}, "<mark>abcde</mark>f", {{0, 5}}},
      {"x<y", {{1, 2}}, "x<mark>&lt;</mark>y", {{1, 2}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    SearchResults results;
    Hit hit;
    hit.rank = 1;
    hit.id = "x";
    hit.snippets = {{c.text, c.highlights}};
    results.hits = {hit};
    const auto j = dossier::cli::to_json({}, results, plain_options());
    const auto& s = j["hits"][0]["snippets"][0];
    CHECK(s["text"] == c.text);
    CHECK(s["html"] == c.html);
    CHECK(s["highlights"] == nlohmann::ordered_json(c.ranges));
  }
}

TEST_CASE("JSON escapes control characters and replaces invalid UTF-8", "[output]") {
  struct Case {
    std::string title;
    std::string expected;  // as it appears in the JSON text
  };
  const Case cases[] = {
      {"tab\there", "\"tab\\there\""},
      {"new\nline", "\"new\\nline\""},
      {"quote\"back\\", "\"quote\\\"back\\\\\""},
      {std::string("nul\0x", 5), "\"nul\\u0000x\""},
      {"esc\x1b[31m", "\"esc\\u001b[31m\""},
      {"unit\x1f", "\"unit\\u001f\""},
      {"bad\xff", "\"bad\xEF\xBF\xBD\""},
      {"Sánchez", "\"Sánchez\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.title);
    SearchResults results;
    Hit hit;
    hit.rank = 1;
    hit.id = "x";
    hit.title = c.title;
    results.hits = {hit};
    const std::string line = render({}, results, Format::kJsonl, plain_options());
    CHECK(line.find("\"title\":" + c.expected) != std::string::npos);
    CHECK(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
    CHECK(line.find(" \n") == std::string::npos);
  }
}

TEST_CASE("text wraps snippets safely: never past the width, never inside a code point",
          "[output]") {
  struct Case {
    std::string text;
    std::vector<std::string> marked;
    std::size_t width;
    bool color;
    std::vector<std::string> expected;  // snippet lines of the hit
  };
  const Case cases[] = {
      {"alpha beta gamma delta epsilon zeta eta theta",
       {"gamma"},
       24,
       false,
       {"   alpha beta **gamma**", "   delta epsilon zeta", "   eta theta"}},
      // Width counts code points, not bytes: Cyrillic fills the line like ASCII.
      {"санкции против России и ответные меры Москвы",
       {"России"},
       24,
       false,
       {"   санкции против", "   **России** и ответные", "   меры Москвы"}},
      // A word longer than a line is cut between code points; markers survive the cut.
      {"俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约俄罗斯与北约",
       {"北约俄罗斯"},
       20,
       false,
       // Ideographs take two columns: 17 columns of room hold 8 of them.
       {"   俄罗斯与**北约俄", "   罗斯**与北约俄罗", "   斯与北约俄罗斯与", "   北约俄罗斯与北约",
        "   俄罗斯与北约"}},
      // Colour is closed at the end of every word, so no line or indent inherits it.
      {"rare earth magnets",
       {"rare earth"},
       20,
       true,
       {"   \x1b[1;33mrare\x1b[0m \x1b[1;33mearth\x1b[0m", "   magnets"}},
      {"one rare earth",
       {"rare earth"},
       20,
       true,
       {"   one \x1b[1;33mrare\x1b[0m \x1b[1;33mearth\x1b[0m"}},
      // A phrase highlight with markers spans the line break.
      {"aaaa bbbb cccc dddd", {"cccc dddd"}, 20, false, {"   aaaa bbbb **cccc", "   dddd**"}},
      // Control characters from a document never reach the terminal.
      {"evil\x1b[2J text\x07", {}, 40, false, {"   evil\xEF\xBF\xBD[2J text\xEF\xBF\xBD"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text, c.width, c.color);
    SearchResults results;
    results.total = {1, 1, 1, true};
    Hit hit;
    hit.rank = 1;
    hit.id = "x";
    hit.title = "T";
    hit.snippets = {snippet(c.text, c.marked)};
    results.hits = {hit};
    RenderOptions options = plain_options();
    options.width = c.width;
    options.color = c.color;
    const std::vector<std::string> lines = lines_of(render({}, results, Format::kText, options));
    // "1 match, showing 1–1", "", "1. T", then the snippet lines.
    REQUIRE(lines.size() >= 3);
    const std::vector<std::string> snippet_lines(lines.begin() + 3, lines.end());
    CHECK(snippet_lines == c.expected);
    for (const std::string& line : lines) {
      CAPTURE(line);
      CHECK(dossier::is_valid_utf8(line));
      CHECK(visible_width(line) <= std::max<std::size_t>(c.width, 20));
    }
  }
}

TEST_CASE("text in colour always resets what it sets", "[output]") {
  RenderOptions options = plain_options();
  options.color = true;
  options.width = 30;
  for (const std::string& line :
       lines_of(render(sample_request(), sample_results(), Format::kText, options))) {
    CAPTURE(line);
    std::size_t opens = 0;
    std::size_t resets = 0;
    for (std::size_t at = line.find('\x1b'); at != std::string::npos;
         at = line.find('\x1b', at + 1)) {
      if (line.compare(at, 4, "\x1b[0m") == 0) {
        ++resets;
      } else {
        ++opens;
      }
    }
    CHECK(opens == resets);
    if (opens > 0) CHECK(line.rfind("\x1b[0m") > line.rfind("\x1b[1"));
  }
}

TEST_CASE("text header and count: exact, estimated, browse, empty", "[output]") {
  struct Case {
    dossier::Total total;
    bool browse;
    std::string header;
    std::string count;
  };
  const Case cases[] = {
      {{0, 0, 0, true}, false, "No matches.", "0"},
      {{1, 1, 1, true}, false, "1 match", "1"},
      {{2, 2, 2, true}, false, "2 matches", "2"},
      {{120, 100, 150, false}, false, "about 120 matches", "about 120 (between 100 and 150)"},
      {{1, 1, 1, true}, true, "1 article", "1"},
      {{40, 30, 50, false}, true, "about 40 articles", "about 40 (between 30 and 50)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.header);
    SearchResults results;
    results.total = c.total;
    results.browse = c.browse;
    CHECK(lines_of(render({}, results, Format::kText, plain_options())).front() == c.header);
    RenderOptions count = plain_options();
    count.count_only = true;
    for (const Format format : {Format::kText, Format::kCsv, Format::kBibtex, Format::kRis}) {
      CHECK(render({}, results, format, count) == c.count + "\n");
    }
    const auto j = nlohmann::json::parse(render({}, results, Format::kJsonl, count));
    CHECK(j["format_version"] == dossier::cli::kOutputFormatVersion);
    CHECK(j["total"]["estimate"] == c.total.estimate);
    CHECK(j["total"]["exact"] == c.total.exact);
    CHECK(j.size() == 2);
  }
}

TEST_CASE("timeline bars scale to the widest count within the width", "[output]") {
  struct Case {
    std::vector<std::size_t> counts;
    std::size_t width;
    std::vector<std::size_t> bars;
  };
  const Case cases[] = {
      // 80 columns: "  2019  12  " leaves 68 for the bar.
      {{12, 6, 0, 1}, 80, {68, 34, 0, 6}},
      // A tiny count still gets one block.
      {{1000, 1}, 80, {66, 1}},
      {{0, 0}, 80, {0, 0}},
      // Narrow terminals: widths below 20 count as 20 and bars keep at least 10 columns.
      {{5}, 5, {10}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.counts, c.width);
    SearchResults results;
    results.timeline_unit = dossier::TimelineUnit::kYear;
    for (std::size_t i = 0; i < c.counts.size(); ++i) {
      results.timeline.push_back({std::to_string(2019 + i), c.counts[i]});
    }
    RenderOptions options = plain_options();
    options.width = c.width;
    const std::vector<std::string> lines = lines_of(render({}, results, Format::kText, options));
    std::vector<std::size_t> bars;
    for (const std::string& line : lines) {
      if (line.rfind("  20", 0) != 0) continue;
      std::size_t blocks = 0;
      for (std::size_t at = line.find("█"); at != std::string::npos; at = line.find("█", at + 1)) {
        ++blocks;
      }
      bars.push_back(blocks);
      if (c.width >= 20) CHECK(visible_width(line) <= c.width);
    }
    CHECK(bars == c.bars);
  }
}
