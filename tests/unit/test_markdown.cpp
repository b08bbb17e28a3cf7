// Markdown parser: front matter, headings as sections, bylines, syntax stripped.
#include "parsers/parsers.hpp"

#include <catch2/catch.hpp>

#include <string>

using dossier::Origin;
using dossier::detail::parse_markdown;
using dossier::detail::ParseContext;

namespace {
const dossier::CorpusConfig kConfig;
const ParseContext kContext{"note.md", &kConfig};

std::string section_text(const dossier::detail::RawRecord& r, std::size_t i) {
  return r.body.substr(r.sections[i].begin, r.sections[i].end - r.sections[i].begin);
}
}  // namespace

TEST_CASE("Front matter gives metadata under every common key name", "[markdown]") {
  const char* text =
      "---\n"
      "headline: Deterrence in the Taiwan Strait\n"
      "author: [Jane Doe, John Roe]\n"
      "date: 2024-05-02\n"
      "publisher: CSIS\n"
      "tags: taiwan, deterrence; alliances\n"
      "type: Commentary\n"
      "url: https://example.org/a\n"
      "lang: en-US\n"
      "description: A short summary.\n"
      "layout: post\n"
      "---\n"
      "Body text.\n";
  const auto r = parse_markdown(text, kContext);
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.title);
  CHECK(r.title->value == "Deterrence in the Taiwan Strait");
  CHECK(r.title->origin == Origin::kFrontMatter);
  REQUIRE(r.authors);
  CHECK(r.authors->value == std::vector<std::string>{"Jane Doe", "John Roe"});
  REQUIRE(r.date);
  CHECK(r.date->value == "2024-05-02");
  REQUIRE(r.organisation);
  CHECK(r.organisation->value == "CSIS");
  REQUIRE(r.topics);
  CHECK(r.topics->value == std::vector<std::string>{"taiwan", "deterrence", "alliances"});
  CHECK(r.type->value == "Commentary");
  CHECK(r.url->value == "https://example.org/a");
  CHECK(r.language->value == "en-US");
  CHECK(r.summary->value == "A short summary.");
  CHECK(r.body == "Body text.");
}

TEST_CASE("Preferred key wins whatever the order in the file", "[markdown]") {
  const auto r = parse_markdown("---\nheadline: Second\ntitle: First\n---\ntext\n", kContext);
  REQUIRE(r.title);
  CHECK(r.title->value == "First");
}

TEST_CASE("Headings become sections, a By line under a heading signs it", "[markdown]") {
  const char* text =
      "# The Summit\n"
      "By Jane Doe and John Roe\n"
      "\n"
      "Lead paragraph with **bold**, _emphasis_, `code` and a [link](https://x.org).\n"
      "\n"
      "## Trade\n"
      "\n"
      "By Jane Doe\n"
      "\n"
      "Tariffs were cut.\n"
      "Second line of the same paragraph.\n"
      "\n"
      "Security\n"
      "--------\n"
      "\n"
      "- first point\n"
      "- second point\n"
      "\n"
      "> A quoted line.\n"
      "\n"
      "![chart](chart.png)\n"
      "Footnoted claim[^1].\n"
      "\n"
      "[^1]: A source.\n";
  const auto r = parse_markdown(text, kContext);
  REQUIRE(r.title);
  CHECK(r.title->value == "The Summit");
  REQUIRE(r.authors);
  CHECK(r.authors->origin == Origin::kByline);
  REQUIRE(r.sections.size() == 3);
  CHECK(r.sections[0].heading.empty());
  CHECK(section_text(r, 0) == "Lead paragraph with bold, emphasis, code and a link.");
  CHECK(r.sections[1].heading == "Trade");
  CHECK(r.sections[1].authors == std::vector<std::string>{"Jane Doe"});
  CHECK(section_text(r, 1) == "Tariffs were cut. Second line of the same paragraph.");
  CHECK(r.sections[2].heading == "Security");
  CHECK(r.sections[2].authors.empty());
  CHECK(section_text(r, 2) == "first point\nsecond point\nA quoted line.\nFootnoted claim.");
  for (const char* markup : {"**", "](", "# ", "![", "[^", "`"}) {
    CAPTURE(markup);
    CHECK(r.body.find(markup) == std::string::npos);
  }
}

TEST_CASE("Code fences keep their text, rules, tables and HTML are stripped", "[markdown]") {
  const char* text =
      "Title\n=====\n\nIntro <span class=\"x\">inline</span> html &amp; entity.\n\n---\n\n"
      "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode line\n```\n";
  const auto r = parse_markdown(text, kContext);
  REQUIRE(r.title);
  CHECK(r.title->value == "Title");
  CHECK(r.body.find("Intro inline html & entity.") != std::string::npos);
  CHECK(r.body.find("---") == std::string::npos);
  CHECK(r.body.find("code line") != std::string::npos);
  CHECK(r.body.find("```") == std::string::npos);
  CHECK(r.body.find("<span") == std::string::npos);
}

TEST_CASE("Malformed front matter is a warning with its line, the text is kept", "[markdown]") {
  struct Case {
    const char* name;
    const char* text;
    std::size_t line;
  };
  const Case cases[] = {
      {"bad YAML", "---\ntitle: ok\nauthors: [unclosed\n---\nText body.\n", 0},
      {"not a mapping", "---\n- a\n- b\n---\nText body.\n", 2},
      {"never closed", "---\ntitle: x\nText body.\n", 1},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = parse_markdown(c.text, kContext);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].severity == dossier::Diagnostic::Severity::kWarning);
    if (c.line != 0) CHECK(r.diagnostics[0].line == c.line);
    CHECK(r.diagnostics[0].line >= 1);
    CHECK(r.body.find("Text body.") != std::string::npos);
  }
}
