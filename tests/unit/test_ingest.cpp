// ingest_file / ingest_bytes end to end: precedence, sidecars, normalisation, bad input.
#include <dossier/error.hpp>
#include <dossier/ingest.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using dossier::CorpusConfig;
using dossier::Diagnostic;
using dossier::Origin;

namespace {

// A fresh folder under the build tree for one test case.
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(DOSSIER_TEST_TMP) / "ingest" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

bool has_error(const dossier::IngestResult& r, const std::string& text) {
  for (const auto& d : r.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError && d.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

const char* kSeed = DOSSIER_SOURCE_DIR "/corpus/000_42de43b9164fe9cf.txt";

}  // namespace

TEST_CASE("The seed with its sidecar gives every field of the article", "[ingest]") {
  const auto config = CorpusConfig::load(DOSSIER_SOURCE_DIR "/corpus/dossier.yaml");
  const auto result = dossier::ingest_file(kSeed, config);
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.articles.size() == 1);
  const auto& a = result.articles[0];
  CHECK(a.title == "Asia ASAP: Trump and Xi Meet in Busan");
  CHECK(a.authors == std::vector<std::string>{"Wendy Cutler", "Rorry Daniels", "Neil Thomas"});
  CHECK(a.date.iso() == "2025-10-30");
  CHECK(a.date.precision == dossier::Date::Precision::kDay);
  CHECK(a.organisation == "Asia Society Policy Institute");
  CHECK(a.type == "commentary");
  CHECK(a.language == "en");
  CHECK(a.origins.at("date") == Origin::kSidecar);
  CHECK(a.origins.at("organisation") == Origin::kSidecar);
  CHECK(a.origins.at("authors") == Origin::kByline);
  CHECK(a.origins.at("title") == Origin::kTextHeuristic);
  REQUIRE(a.sections.size() == 4);
  CHECK(a.sections[0].heading == "What Happened");
  CHECK(a.sections[0].authors == a.authors);  // the introduction is signed by all three
  CHECK_FALSE(a.sections[0].signed_section);
  CHECK(a.sections[3].authors == std::vector<std::string>{"Neil Thomas"});
  CHECK(a.sections[3].signed_section);
  CHECK(dossier::section_text(a, a.sections[3]).find("rare earth") != std::string::npos);
  CHECK(dossier::section_text(a, a.sections[2]).find("rare earth") == std::string::npos);
  CHECK(a.body.find("Dive Deeper") == std::string::npos);

  // --inspect's JSON carries the same, with origins and byte ranges.
  const auto j = nlohmann::json::parse(dossier::to_json(a));
  CHECK(j["title"] == a.title);
  CHECK(j["date"] == "2025-10-30");
  CHECK(j["date_precision"] == "day");
  CHECK(j["origins"]["date"] == "sidecar");
  CHECK(j["sections"][1]["heading"] == "A One-Year Trade Truce");
  CHECK(j["sections"][1]["authors"] == nlohmann::json::array({"Wendy Cutler"}));
  CHECK(j["sections"][1]["begin"] == a.sections[1].begin);
  CHECK(j["body"] == a.body);
}

TEST_CASE("Sidecar keys in any order land in their own fields", "[ingest]") {
  // Regression: sorting YAML::Node values by key preference wrote one node's value into
  // another (YAML::Node assignment writes through), so the organisation became the date.
  const auto dir = scratch("sidecar-order");
  write(dir / "a.txt", "A Title\nA paragraph of text long enough to be the article body here.\n");
  write(dir / "a.txt.meta.yaml", "date: 2025-10-30\norganisation: Asia Society\ntype: op-ed\n");
  const auto result = dossier::ingest_file(dir / "a.txt", CorpusConfig{});
  REQUIRE(result.articles.size() == 1);
  CHECK(result.articles[0].organisation == "Asia Society");
  CHECK(result.articles[0].date.iso() == "2025-10-30");
  CHECK(result.articles[0].type == "op-ed");
}

TEST_CASE("Precedence: sidecar > file metadata > text heuristics > configuration", "[ingest]") {
  const auto dir = scratch("precedence");
  fs::create_directories(dir / "rand");
  write(dir / "rand" / "x.md",
        "---\ntitle: From Front Matter\ndate: 2019-01-02\n---\n# Heading Title\nBy Jane Doe\n\n"
        "Body text of the article, long enough to be a paragraph.\n");
  write(dir / "rand" / "x.meta.json", R"({"date": "2019-02-03"})");
  auto config = CorpusConfig::from_yaml(
      "folders:\n  rand: {organisation: RAND Corporation, type: report}\n", "c.yaml");
  config.base_dir = dir;
  const auto result = dossier::ingest_file(dir / "rand" / "x.md", config);
  REQUIRE(result.articles.size() == 1);
  const auto& a = result.articles[0];
  CHECK(a.date.iso() == "2019-02-03");  // sidecar beats front matter
  CHECK(a.origins.at("date") == Origin::kSidecar);
  CHECK(a.title == "From Front Matter");                     // front matter beats the heading
  CHECK(a.authors == std::vector<std::string>{"Jane Doe"});  // byline fills what is missing
  CHECK(a.organisation == "RAND Corporation");               // configuration fills the rest
  CHECK(a.origins.at("organisation") == Origin::kConfiguration);
  CHECK(a.type == "report");

  // --no-sidecars: the file's own date.
  dossier::IngestOptions options;
  options.use_sidecars = false;
  const auto plain = dossier::ingest_file(dir / "rand" / "x.md", config, options);
  REQUIRE(plain.articles.size() == 1);
  CHECK(plain.articles[0].date.iso() == "2019-01-02");
}

TEST_CASE("Aliases merge author and organisation variants", "[ingest]") {
  const auto config = CorpusConfig::from_yaml(
      "author_aliases:\n  Wendy Cutler: [Wendy S. Cutler]\n"
      "organisation_aliases:\n  Asia Society Policy Institute: [ASPI]\n",
      "c.yaml");
  const auto result = dossier::ingest_bytes(
      R"({"title":"T","authors":["WENDY CUTLER","Wendy  Cutler","Wendy S. Cutler","Neil Thomas"],"org":"aspi","body":"text"})"
      "\n",
      "x.jsonl", config);
  REQUIRE(result.articles.size() == 1);
  CHECK(result.articles[0].authors == std::vector<std::string>{"Wendy Cutler", "Neil Thomas"});
  CHECK(result.articles[0].organisation == "Asia Society Policy Institute");
  CHECK(dossier::author_key("WENDY  CUTLER") == dossier::author_key("Wendy Cutler"));
}

TEST_CASE("Identity: metadata id, else url, else path and line", "[ingest]") {
  const auto result = dossier::ingest_bytes(
      "{\"id\":\"x-1\",\"url\":\"https://a\",\"title\":\"A\",\"body\":\"t\"}\n"
      "{\"url\":\"https://b\",\"title\":\"B\",\"body\":\"t\"}\n"
      "{\"title\":\"C\",\"body\":\"t\"}\n",
      "dir/export.jsonl", CorpusConfig{});
  REQUIRE(result.articles.size() == 3);
  CHECK(result.articles[0].id == "x-1");
  CHECK(result.articles[1].id == "https://b");
  CHECK(result.articles[2].id == "dir/export.jsonl#3");
  CHECK(result.articles[2].origins.at("id") == Origin::kDerived);
}

TEST_CASE("Bad JSON lines are reported with their line, good lines are kept", "[ingest]") {
  const auto result = dossier::ingest_bytes(
      "{\"id\":\"1\",\"title\":\"A\",\"body\":\"good\"}\n"
      "{\"id\":\"2\",\"title\":\n"
      "\n"
      "{\"id\":\"3\",\"title\":\"C\",\"body\":\"caf\xe9\"}\n"
      "{\"id\":\"4\",\"title\":\"\",\"body\":\"  \"}\n"
      "{\"id\":\"1\",\"title\":\"A2\",\"body\":\"newer\"}\n",
      "e.jsonl", CorpusConfig{});
  REQUIRE(result.articles.size() == 1);
  CHECK(result.articles[0].title == "A2");  // the later duplicate wins
  std::vector<std::size_t> lines;
  for (const auto& d : result.diagnostics) lines.push_back(d.line);
  CHECK(lines == std::vector<std::size_t>{2, 4, 5, 1});
  CHECK(has_error(result, "malformed JSON"));
  CHECK(has_error(result, "invalid UTF-8"));
  CHECK(has_error(result, "no article text"));
  CHECK(result.diagnostics.back().message.find("duplicate id '1'") != std::string::npos);
}

TEST_CASE("A JSON Lines record with a title but no text is kept, a title comes from the text",
          "[ingest]") {
  // CACM-style catalogue records: many have a title and no abstract.
  const auto result = dossier::ingest_bytes(
      "{\"id\":\"t1\",\"title\":\"Title only\",\"body\":\"\"}\n"
      "{\"id\":\"t2\",\"body\":\"The opening words of a record that has no title of its "
      "own, long enough to be cut at a word boundary somewhere.\"}\n",
      "records.jsonl", CorpusConfig{});
  REQUIRE(result.articles.size() == 2);
  const auto& titled = result.articles[0];
  CHECK(titled.title == "Title only");
  CHECK(titled.body.empty());
  REQUIRE(titled.sections.size() == 1);
  bool warned = false;
  for (const auto& d : titled.diagnostics) {
    if (d.line == 1 && d.message.find("only the title") != std::string::npos) warned = true;
  }
  CHECK(warned);
  // Not the file name ("records"), which every record of the file shares; a display title only.
  CHECK(result.articles[1].origins.at("title") == Origin::kDerived);
  CHECK(
      result.articles[1].title ==
      "The opening words of a record that has no title of its own, long enough to be\xe2\x80\xa6");
}

TEST_CASE("Bad files give a diagnostic with path and reason, never an exception", "[ingest]") {
  const auto dir = scratch("bad");
  write(dir / "empty.txt", "");
  write(dir / "blank.txt", "\n\n   \n");
  write(dir / "binary.txt", std::string("\x7f"
                                        "ELF\x02\x01\x01\0\0\0\0",
                                        12) +
                                std::string(100, '\0'));
  write(dir / "nul.md", std::string("# Title\n\nText with a NUL \0 byte.\n", 34));
  write(dir / "doc.pdf", "%PDF-1.4");
  write(dir / "big.txt", std::string(2048, 'a'));
  struct Case {
    const char* file;
    const char* reason;
  };
  const Case cases[] = {
      {"empty.txt", "empty file"},
      {"blank.txt", "no article text"},
      {"binary.txt", "binary file"},
      {"nul.md", "binary file"},
      {"doc.pdf", "unknown file type '.pdf'"},
      {"missing.txt", "no such file"},
      {"", "is a directory"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto path = *c.file != '\0' ? dir / c.file : dir;
    const auto result = dossier::ingest_file(path, CorpusConfig{});
    CHECK(result.articles.empty());
    REQUIRE(!result.diagnostics.empty());
    CHECK(result.diagnostics[0].path == path.string());
    CHECK(has_error(result, c.reason));
  }
  dossier::IngestOptions small;
  small.max_file_bytes = 1024;
  const auto big = dossier::ingest_file(dir / "big.txt", CorpusConfig{}, small);
  CHECK(big.articles.empty());
  CHECK(has_error(big, "exceeds the limit"));
}

TEST_CASE("Missing metadata falls back: no title -> first heading -> file name", "[ingest]") {
  const auto dir = scratch("fallback");
  write(dir / "notes-on-trade.md", "Just a paragraph of text without any title at all, long.\n");
  const auto result = dossier::ingest_file(dir / "notes-on-trade.md", CorpusConfig{});
  REQUIRE(result.articles.size() == 1);
  CHECK(result.articles[0].title == "notes-on-trade");
  CHECK(result.articles[0].origins.at("title") == Origin::kFileName);
  REQUIRE(!result.articles[0].diagnostics.empty());
  CHECK(result.articles[0].diagnostics[0].message.find("no title") != std::string::npos);

  write(dir / "h.md", "## First Heading\n\nText under the heading, long enough to count.\n");
  const auto h = dossier::ingest_file(dir / "h.md", CorpusConfig{});
  REQUIRE(h.articles.size() == 1);
  CHECK(h.articles[0].title == "First Heading");
}

TEST_CASE("Unparseable dates are warnings and leave no date", "[ingest]") {
  const auto result = dossier::ingest_bytes(R"({"title":"T","date":"sometime soon","body":"text"})"
                                            "\n",
                                            "d.jsonl", CorpusConfig{});
  REQUIRE(result.articles.size() == 1);
  CHECK(result.articles[0].date.empty());
  REQUIRE(result.articles[0].diagnostics.size() == 1);
  CHECK(result.articles[0].diagnostics[0].message.find("unparseable date 'sometime soon'") !=
        std::string::npos);
  CHECK(result.articles[0].diagnostics[0].line == 1);
}

TEST_CASE("Formats by extension and by name", "[ingest]") {
  CHECK(dossier::format_for_path("a/b.TXT") == dossier::Format::kPlainText);
  CHECK(dossier::format_for_path("b.markdown") == dossier::Format::kMarkdown);
  CHECK(dossier::format_for_path("b.htm") == dossier::Format::kHtml);
  CHECK(dossier::format_for_path("b.ndjson") == dossier::Format::kJsonLines);
  CHECK_FALSE(dossier::format_for_path("b.pdf"));
  CHECK_FALSE(dossier::format_for_path("README"));
  CHECK(dossier::parse_format("markdown") == dossier::Format::kMarkdown);
  CHECK_FALSE(dossier::parse_format("docx"));
  for (auto f : {dossier::Format::kAuto, dossier::Format::kPlainText, dossier::Format::kMarkdown,
                 dossier::Format::kHtml, dossier::Format::kJsonLines}) {
    CHECK(dossier::parse_format(dossier::to_string(f)) == f);
  }
}

TEST_CASE("A 200 MB file is refused before it is read, JSON Lines stream", "[ingest]") {
  const auto dir = scratch("huge");
  const auto path = dir / "huge.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out.seekp((200LL << 20) - 1);
    out.put('x');  // sparse: 200 MB on paper, nothing on disk
  }
  const auto result = dossier::ingest_file(path, CorpusConfig{});
  CHECK(result.articles.empty());
  CHECK(has_error(result, "200 MiB exceeds the limit of 64 MiB"));
}

TEST_CASE("A JSON Lines sidecar applies only collection-wide fields", "[ingest]") {
  // Regression: a sidecar url or id was applied to every record, merging them into one.
  const auto dir = scratch("jsonl-sidecar");
  write(dir / "r.jsonl",
        "{\"title\":\"A\",\"body\":\"one\"}\n{\"title\":\"B\",\"body\":\"two\"}\n"
        "{\"title\":\"C\",\"body\":\"three\"}\n");
  write(dir / "r.jsonl.meta.yaml", "url: https://example.org/archive\norganisation: Brookings\n");
  const auto result = dossier::ingest_file(dir / "r.jsonl", CorpusConfig{});
  REQUIRE(result.articles.size() == 3);
  for (const auto& a : result.articles) {
    CHECK(a.organisation == "Brookings");
    CHECK(a.url.empty());
  }
}

TEST_CASE("Sidecars in another encoding are decoded, not fatal", "[ingest]") {
  // Regression: a Latin-1 sidecar rejected the whole article ("invalid UTF-8 ... to fold").
  const auto dir = scratch("latin1-sidecar");
  write(dir / "a.txt", "Title\nA paragraph of text long enough to be the article body here.\n");
  write(dir / "a.txt.meta.yaml", "type: caf\xe9\norganisation: Soci\xe9t\xe9 G\xe9n\xe9rale\n");
  const auto result = dossier::ingest_file(dir / "a.txt", CorpusConfig{});
  REQUIRE(result.articles.size() == 1);
  CHECK(result.articles[0].title == "Title");
  CHECK(result.articles[0].organisation == "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale");
  CHECK(result.articles[0].type == "cafe");
}

TEST_CASE("A configuration that is not UTF-8 is a parse error with its line", "[ingest]") {
  try {
    (void)CorpusConfig::from_yaml("date_order: mdy\nauthor_aliases:\n  Jos\xe9: [J]\n", "c.yaml");
    FAIL("accepted");
  } catch (const dossier::Error& e) {
    CHECK(e.code() == dossier::ErrorCode::kParse);
    CHECK_THAT(e.what(), Catch::Contains("c.yaml:3: invalid UTF-8"));
  }
}

TEST_CASE("Folder defaults apply whether paths are given absolute or relative", "[ingest]") {
  // Regression: a relative configuration path and an absolute input path never matched.
  const auto dir = scratch("defaults-absolute");
  fs::create_directories(dir / "rand");
  write(dir / "rand" / "x.txt", "Title\nA paragraph of text long enough to be the article body.\n");
  auto config = CorpusConfig::from_yaml("folders:\n  rand: {type: report}\n", "c.yaml");
  config.base_dir = fs::relative(dir, fs::current_path());
  const auto result = dossier::ingest_file(dir / "rand" / "x.txt", config);
  REQUIRE(result.articles.size() == 1);
  CHECK(result.articles[0].type == "report");
  // Ids derived from paths do not depend on how the path was written.
  const auto again = dossier::ingest_file(fs::relative(dir / "rand" / "x.txt"), config);
  REQUIRE(again.articles.size() == 1);
  CHECK(again.articles[0].id == result.articles[0].id);
}

TEST_CASE("A promotional line before the article text does not swallow the article", "[ingest]") {
  // Regression: "Subscribe ..." right under the byline cut everything after it.
  const auto result = dossier::ingest_bytes(
      "Title\nBy Jane Doe\nSubscribe to Asia ASAP to get rapid reactions in your inbox.\n"
      "The first real paragraph of the article, long enough to count as text.\n"
      "The second real paragraph.\n",
      "p.txt", CorpusConfig{});
  REQUIRE(result.articles.size() == 1);
  const auto& body = result.articles[0].body;
  CHECK(body.find("first real paragraph") != std::string::npos);
  CHECK(body.find("second real paragraph") != std::string::npos);
  CHECK(body.find("Subscribe") == std::string::npos);
}

TEST_CASE("Text that is not NFC keeps its sections, with exact ranges", "[ingest]") {
  // Regression: one decomposed character dropped every section of the article.
  const auto result = dossier::ingest_bytes(
      "# T\n\nIntro paragraph.\n\n## Cafe\n\nThe cafe\xcc\x81 closed.\n\n## Later\n\nMore text.\n",
      "n.md", CorpusConfig{});
  REQUIRE(result.articles.size() == 1);
  const auto& a = result.articles[0];
  REQUIRE(a.sections.size() == 3);
  CHECK(dossier::section_text(a, a.sections[1]) == "The caf\xc3\xa9 closed.");
  CHECK(dossier::section_text(a, a.sections[2]) == "More text.");
}

TEST_CASE("Diagnostics are one line, and NUL never reaches the body", "[ingest]") {
  const auto result =
      dossier::ingest_bytes("{\"title\":\"T\",\"date\":\"soon\\nlater\",\"body\":\"a\\u0000b\"}\n",
                            "d.jsonl", CorpusConfig{});
  REQUIRE(result.articles.size() == 1);
  CHECK(result.articles[0].body == "a b");
  for (const auto& d : result.articles[0].diagnostics) {
    CHECK(dossier::to_string(d).find('\n') == std::string::npos);
  }
}

TEST_CASE("A JSON Lines record with a number out of range is skipped, its neighbours kept",
          "[ingest]") {
  // Regression (make fuzz): nlohmann's out_of_range escaped as an internal error, so the
  // indexer failed the whole chunk of up to 1 MiB of records, and ingest_file threw.
  const auto result = dossier::ingest_bytes(
      "{\"id\": \"a\", \"title\": \"A\", \"body\": \"First.\"}\n"
      "{\"id\": \"b\", \"title\": \"B\", \"body\": \"Second.\", \"n\": 1e999}\n"
      "{\"id\": \"c\", \"title\": \"C\", \"body\": \"Third.\"}\n",
      "numbers.jsonl", CorpusConfig{});
  REQUIRE(result.articles.size() == 2);
  CHECK(result.articles[0].id == "a");
  CHECK(result.articles[1].id == "c");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].line == 2);
  CHECK(result.diagnostics[0].message == "malformed JSON: a number out of range: record skipped");
}
