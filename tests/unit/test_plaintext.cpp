// Plain-text parser: title, byline, date line, signed sections, boilerplate tail.
#include <dossier/ingest.hpp>

#include "parsers/parsers.hpp"
#include "parsers/text_layout.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

using dossier::detail::parse_plaintext;
using dossier::detail::ParseContext;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string section_body(const dossier::detail::RawRecord& r, std::size_t i) {
  return r.body.substr(r.sections[i].begin, r.sections[i].end - r.sections[i].begin);
}

const dossier::CorpusConfig kConfig;
const ParseContext kContext{"test.txt", &kConfig};

}  // namespace

TEST_CASE("The client's seed article parses into title, authors and four sections", "[plaintext]") {
  const auto text = read(DOSSIER_SOURCE_DIR "/corpus/000_42de43b9164fe9cf.txt");
  REQUIRE(!text.empty());
  const auto r = parse_plaintext(text, kContext);
  REQUIRE(r.title);
  CHECK(r.title->value == "Asia ASAP: Trump and Xi Meet in Busan");
  CHECK(r.title->origin == dossier::Origin::kTextHeuristic);
  REQUIRE(r.authors);
  CHECK(r.authors->value ==
        std::vector<std::string>{"Wendy Cutler", "Rorry Daniels", "Neil Thomas"});
  CHECK(r.authors->origin == dossier::Origin::kByline);

  REQUIRE(r.sections.size() == 4);
  const std::pair<const char*, std::vector<std::string>> expected[] = {
      {"What Happened", {}},
      {"A One-Year Trade Truce", {"Wendy Cutler"}},
      {"Will the Stabilization Last?", {"Rorry Daniels"}},
      {"Buying Time for Beijing", {"Neil Thomas"}},
  };
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(r.sections[i].heading == expected[i].first);
    CHECK(r.sections[i].authors == expected[i].second);
  }
  CHECK(section_body(r, 0).rfind("On Thursday, U.S. President Donald Trump", 0) == 0);
  CHECK(section_body(r, 1).find("rare earth export restrictions") != std::string::npos);
  CHECK(section_body(r, 2).find("rare earth") == std::string::npos);  // Daniels never says it
  CHECK(section_body(r, 3).find("rare earth and other strategic export controls") !=
        std::string::npos);
  // Headings and bylines are not body text; the promotional tail is gone.
  CHECK(r.body.find("- By ") == std::string::npos);
  CHECK(r.body.find("A One-Year Trade Truce") == std::string::npos);
  for (const char* tail : {"Dive Deeper with ASPI", "Sign up for a rapid-response webinar",
                           "Based in NYC?", "Kang Kyung-wha", "recent op-ed for Time"}) {
    CAPTURE(tail);
    CHECK(r.body.find(tail) == std::string::npos);
  }
  // The last section ends where the article ends.
  CHECK(r.sections.back().end == r.body.size());
}

TEST_CASE("Plain-text layout rules", "[plaintext]") {
  struct Case {
    const char* name;
    const char* text;
    const char* title;
    const char* date;  // "" = none
    std::size_t sections;
    const char* first_heading;
  };
  const Case cases[] = {
      {"title and date line",
       "Sanctions Relief\nPublished: March 4, 2019\n\nThe first paragraph is long enough to be a "
       "paragraph of real text, surely.\n",
       "Sanctions Relief", "2019-03-04", 1, ""},
      {"ISO date line",
       "A Title\n2019-03-13\nBody text that is a paragraph of some length to count as one.\n",
       "A Title", "2019-03-13", 1, ""},
      {"date with label after byline",
       "A Title\nBy Jane Doe\nOctober 30, 2025\nBody text that is a paragraph of some length to "
       "count as one.\n",
       "A Title", "2025-10-30", 1, ""},
      {"a sentence mentioning a date is body",
       "A Title\nOn October 30, 2025, the leaders met in Busan and agreed to a truce on trade.\n",
       "A Title", "", 1, ""},
      {"heading without byline",
       "T\nIntro\nThis is a long paragraph after a short heading line without punctuation at all "
       "here.\n",
       "T", "", 1, "Intro"},
      {"leading blank lines",
       "\n\n  \nTitle Here\nBody paragraph that is long enough to be a paragraph of text, yes.\n",
       "Title Here", "", 1, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = parse_plaintext(c.text, kContext);
    REQUIRE(r.title);
    CHECK(r.title->value == c.title);
    if (*c.date != '\0') {
      REQUIRE(r.date);
      CHECK(r.date->value == c.date);
    } else {
      CHECK_FALSE(r.date);
    }
    CHECK(r.sections.size() == c.sections);
    if (!r.sections.empty()) CHECK(r.sections[0].heading == c.first_heading);
  }
}

TEST_CASE("Hard-wrapped plain text is joined into paragraphs", "[plaintext]") {
  const char* text =
      "Newsletter Title\n"
      "\n"
      "This paragraph was wrapped by an e-mail client at about seventy\n"
      "characters per line, the way newsletters arrive in researchers'\n"
      "inboxes, and it should read as one paragraph again.\n"
      "\n"
      "A Second Part\n"
      "\n"
      "Another wrapped paragraph follows the heading, long enough that the\n"
      "heading rule sees a real paragraph after a short unpunctuated line.\n";
  const auto r = parse_plaintext(text, kContext);
  CHECK(r.body.find("seventy characters per line") != std::string::npos);
  REQUIRE(r.sections.size() == 2);
  CHECK(r.sections[1].heading == "A Second Part");
}

TEST_CASE("Configured boilerplate prefixes cut the tail", "[plaintext]") {
  dossier::CorpusConfig config;
  config.boilerplate = {"Media inquiries"};
  const ParseContext context{"x.txt", &config};
  const auto r = parse_plaintext(
      "Title\nA paragraph of text that is the article, long enough to be one.\nMedia inquiries: "
      "press@example.org\nMore promotional text.\n",
      context);
  CHECK(r.body.find("article") != std::string::npos);
  CHECK(r.body.find("press@") == std::string::npos);
  CHECK(r.body.find("promotional") == std::string::npos);
}

TEST_CASE("heading_like and boilerplate_start", "[plaintext]") {
  using dossier::detail::boilerplate_start;
  using dossier::detail::heading_like;
  CHECK(heading_like("What Happened"));
  CHECK(heading_like("Will the Stabilization Last?"));
  CHECK(heading_like("\xe2\x80\x9cNo Surprises\xe2\x80\x9d"));
  CHECK_FALSE(heading_like("This ends with a period."));
  CHECK_FALSE(heading_like("Dive Deeper with ASPI:"));
  CHECK_FALSE(heading_like("- a list item"));
  CHECK_FALSE(heading_like(std::string(120, 'x')));
  const std::vector<std::string> none;
  CHECK(boilerplate_start("Dive Deeper with ASPI:", none));
  CHECK(boilerplate_start("Sign up for a rapid-response webinar", none));
  CHECK(boilerplate_start("SUBSCRIBE to our newsletter", none));
  CHECK(boilerplate_start("Read Neil Thomas\xe2\x80\x99 recent op-ed for Time", none));
  CHECK_FALSE(boilerplate_start("Read the full report here", none));
  CHECK_FALSE(boilerplate_start("Subscribers to the theory of deterrence disagree.", none));
  CHECK_FALSE(boilerplate_start("Subscribe", none) == false);
}
