// Unit tests for author names: byline splitting, cleaning, plausibility and byline lines.
#include "metadata/authors.hpp"

#include <dossier/text.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using dossier::detail::byline_names;
using dossier::detail::clean_author;
using dossier::detail::plausible_author;
using dossier::detail::split_authors;
using Names = std::vector<std::string>;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// An independent check of what an author name coming out of the pipeline must never look like.
// Deliberately not written in terms of plausible_author, so it can catch that function's gaps.
bool looks_implausible(const std::string& name, std::string& why) {
  if (name.empty()) return why = "empty", true;
  if (name.front() == ' ' || name.back() == ' ') return why = "untrimmed", true;
  if (name.find("  ") != std::string::npos) return why = "double space", true;
  for (const char c : name) {
    if (c >= '0' && c <= '9') return why = "digit", true;
    if (c == ',' || c == ';' || c == '|' || c == '@' || c == '(' || c == '\n' || c == '\t') {
      return why = "punctuation", true;
    }
  }
  if (name.find("\xe2\x80\x8b") != std::string::npos) return why = "zero-width space", true;
  const auto first = static_cast<unsigned char>(name.front());
  if (!(first >= 'A' && first <= 'Z') && first < 0x80) return why = "not capitalised", true;
  std::size_t words = 1;
  for (const char c : name) words += c == ' ' ? 1U : 0U;
  if (words > 6) return why = "too many words", true;
  for (const char* bad : {"day", "January", "February", "March", "October", "by ", "By ", "Fellow",
                          "Director", "Researcher", "Blogger", "Analyst"}) {
    if (name.find(bad) != std::string::npos) return why = std::string("contains ") + bad, true;
  }
  return false;
}

}  // namespace

TEST_CASE("split_authors separates the names of a byline", "[authors]") {
  struct Case {
    std::string_view byline;
    Names expected;
  };
  const Case cases[] = {
      {"By Jane Doe and John Smith", {"Jane Doe", "John Smith"}},
      {"by Jane Doe", {"Jane Doe"}},
      {"BY: Jane Doe", {"Jane Doe"}},
      {"By Alice Adams, Bob Brown and Carol Clark", {"Alice Adams", "Bob Brown", "Carol Clark"}},
      {"Alice Adams, Bob Brown, and Carol Clark", {"Alice Adams", "Bob Brown", "Carol Clark"}},
      {"Alice Adams, Bob Brown, & Carol Clark", {"Alice Adams", "Bob Brown", "Carol Clark"}},
      {"Alice Adams & Bob Brown", {"Alice Adams", "Bob Brown"}},
      {"Alice Adams; Bob Brown", {"Alice Adams", "Bob Brown"}},
      {"Alice Adams\nBob Brown\n", {"Alice Adams", "Bob Brown"}},
      {"Alice Adams,\nand Bob Brown", {"Alice Adams", "Bob Brown"}},
      {" \n  Alice Adams and Bob Brown", {"Alice Adams", "Bob Brown"}},
      {"ALICE ADAMS AND BOB BROWN", {"ALICE ADAMS", "BOB BROWN"}},
      {"Tom Anderson and Sandra Andrews", {"Tom Anderson", "Sandra Andrews"}},
      {"Alice Adams, April Ryan, Theresa May", {"Alice Adams", "April Ryan", "Theresa May"}},
      {"Ursula von der Leyen and Jos\xc3\xa9 Ramos-Horta",
       {"Ursula von der Leyen", "Jos\xc3\xa9 Ramos-Horta"}},
      // Affiliations after a comma stay with their name.
      {"Wendy Cutler, Senior Fellow at ASPI", {"Wendy Cutler, Senior Fellow at ASPI"}},
      {"Wendy Cutler, Vice President at ASPI, and Neil Thomas, Fellow",
       {"Wendy Cutler, Vice President at ASPI", "Neil Thomas, Fellow"}},
      {"Jane Doe, Senior Fellow at the Center for Strategic and International Studies",
       {"Jane Doe, Senior Fellow at the Center for Strategic and International Studies"}},
      {"Jane Doe, Director, Asia Program, and John Smith",
       {"Jane Doe, Director, Asia Program", "John Smith"}},
      {"Dr. Jane Doe, Ph.D., Senior Fellow at RAND",
       {"Dr. Jane Doe, Ph.D., Senior Fellow at RAND"}},
      {"by Allie Funk, Research Analyst, Freedom on the Net",
       {"Allie Funk, Research Analyst, Freedom on the Net"}},
      {"by Nick Bailey, Senior Program Associate, Africa",
       {"Nick Bailey, Senior Program Associate, Africa"}},
      {"by D.E., Eurasia Researcher", {"D.E., Eurasia Researcher"}},
      {"Martin Luther King, Jr. and Coretta Scott King",
       {"Martin Luther King, Jr.", "Coretta Scott King"}},
      {"Jane Doe, MD, MPH and John Smith", {"Jane Doe, MD, MPH", "John Smith"}},
      // Scraper debris: empty pieces, repeats, a date glued to the byline.
      {", Gabriel Coll, , Andrew Philip Hunter, Gabriel Coll",
       {"Gabriel Coll", "Andrew Philip Hunter"}},
      {"Kody Carmody, Diana RamosTuesday, January 22, 2019",
       {"Kody Carmody", "Diana RamosTuesday, January 22, 2019"}},
      {" Shai Akabas, Jack Rametta \n\nWednesday, March 6, 2019\n",
       {"Shai Akabas", "Jack Rametta", "Wednesday, March 6, 2019"}},
      {"", {}},
      {"   \n ; ,", {}},
      {"by", {"by"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.byline);
    CHECK(split_authors(c.byline) == c.expected);
  }
}

TEST_CASE("clean_author strips titles, degrees and affiliations", "[authors]") {
  struct Case {
    std::string_view name;
    std::string_view expected;
  };
  const Case cases[] = {
      {"Jane Doe", "Jane Doe"},
      {"Dr. Jane Doe, Ph.D., Senior Fellow at RAND", "Jane Doe"},
      {"Dr Jane Doe", "Jane Doe"},
      {"Prof. Jane Doe", "Jane Doe"},
      {"Professor Jane Doe", "Jane Doe"},
      {"Amb. Kathleen Stephens", "Kathleen Stephens"},
      {"Ambassador Kathleen Stephens", "Kathleen Stephens"},
      {"Mr. John Smith", "John Smith"},
      {"Ms. Jane Doe", "Jane Doe"},
      {"Hon. Jane Doe", "Jane Doe"},
      {"The Honorable Jane Doe", "Jane Doe"},
      {"Sen. Elizabeth Warren", "Elizabeth Warren"},
      {"Rep. Jane Doe", "Jane Doe"},
      {"General Stanley A. McChrystal (ret.)", "Stanley A. McChrystal"},
      {"Gen. Stanley A. McChrystal (Ret.)", "Stanley A. McChrystal"},
      {"Lt. Gen. H.R. McMaster", "H.R. McMaster"},
      {"CDR Bob Jones", "Bob Jones"},
      {"Jane Doe, PhD", "Jane Doe"},
      {"Jane Doe PhD", "Jane Doe"},
      {"Jane Doe Ph.D.", "Jane Doe"},
      {"Jane Doe MD", "Jane Doe"},
      {"Jane Doe, J.D.", "Jane Doe"},
      {"Jane Doe, Senior Fellow at CSIS", "Jane Doe"},
      {"Jane Doe | RAND", "Jane Doe"},
      {"Jane Doe - Senior Fellow", "Jane Doe"},
      {"Jane Doe \xe2\x80\x94 Senior Fellow", "Jane Doe"},
      {"Jane Doe (RAND)", "Jane Doe"},
      {"by Daniel Samet, Guest Blogger", "Daniel Samet"},
      {"Martin Luther King, Jr.", "Martin Luther King Jr."},
      // Names that must survive untouched.
      {"Michael E. O'Hanlon", "Michael E. O'Hanlon"},
      {"Daniel R. DePetris", "Daniel R. DePetris"},
      {"Moon Jae-in", "Moon Jae-in"},
      {"Ursula von der Leyen", "Ursula von der Leyen"},
      {"Jos\xc3\xa9 Ramos-Horta", "Jos\xc3\xa9 Ramos-Horta"},
      {"Jack Ma", "Jack Ma"},
      {"He Lifeng", "He Lifeng"},
      {"Amartya Sen", "Amartya Sen"},
      {"D.E.", "D.E."},
      {"Dennis N Epple", "Dennis N Epple"},
      {"Frank ODonnell", "Frank ODonnell"},
      // ALL-CAPS names become title case per word.
      {"WENDY CUTLER", "Wendy Cutler"},
      {"MICHAEL E. O'HANLON", "Michael E. O'Hanlon"},
      {"MOON JAE-IN", "Moon Jae-In"},
      {"JOS\xc3\x89 RAMOS-HORTA", "Jos\xc3\xa9 Ramos-Horta"},
      {"JACK MA", "Jack Ma"},
      {"DR. WENDY CUTLER, PH.D.", "Wendy Cutler"},
      // Punctuation, quotes and white space.
      {"Neil Thomas.", "Neil Thomas"},
      {"Daniel R.", "Daniel R."},
      {"\xe2\x80\x9cJane Doe\xe2\x80\x9d", "Jane Doe"},
      {"\"Jane Doe\",", "Jane Doe"},
      {"  Jane \t  Doe  ", "Jane Doe"},
      {"\xe2\x80\x8bNeil Bhatiya", "Neil Bhatiya"},
      {"Neil\xc2\xa0"
       "Bhatiya",
       "Neil Bhatiya"},
      {"- Jane Doe", "Jane Doe"},
      // Scraper debris.
      {"Michael ThorningFriday", "Michael Thorning"},
      {"Michael ThorningFriday, January 11, 2019", "Michael Thorning"},
      // Nothing name-like left.
      {"", ""},
      {"   ", ""},
      {"---", ""},
      {"(RAND)", ""},
      {"12345", ""},
      {"Dr.", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(clean_author(c.name) == c.expected);
  }
}

TEST_CASE("plausible_author rejects strings that are not names", "[authors]") {
  struct Case {
    std::string_view name;
    std::string_view site_name;
    bool expected;
  };
  const std::string long_name(101, 'a');
  const Case cases[] = {
      {"Wendy Cutler", "", true},
      {"D.E.", "", true},
      {"Moon Jae-in", "", true},
      {"Jos\xc3\xa9 Ramos-Horta", "", true},
      {"Ursula von der Leyen", "", true},
      {"Asia Society Policy Institute", "", true},
      {"G20 Research Group", "", true},
      {"Staff", "", false},
      {"STAFF", "", false},
      {"Follow", "", false},
      {"Share", "", false},
      {"Share on Twitter", "", false},
      {"Follow @ASPI", "", false},
      {"Admin", "", false},
      {"Editor(s)", "", false},
      {"Editors", "", false},
      {"The Editors", "", false},
      {"Guest", "", false},
      {"Anonymous", "", false},
      {"Contributor", "", false},
      {"no author", "", false},
      {"Unknown", "", false},
      {"admin@example.org", "", false},
      {"https://example.org/people/jane-doe", "", false},
      {"www.example.org", "", false},
      {"example.org", "", false},
      {"October 30, 2025", "", false},
      {"30 October 2025", "", false},
      {"2025-10-30", "", false},
      {"8:30am", "", false},
      {"2019", "", false},
      {"Tuesday", "", false},
      {"March", "", false},
      {"nesday", "", false},
      {"", "", false},
      {"   ", "", false},
      {"---", "", false},
      {"A B C D E F G H I", "", false},
      {long_name, "", false},
      {"\xff\xfe", "", false},
      {"Asia Society", "ASIA  SOCIETY", false},
      {"Asia Society", "Brookings", true},
      {"Sanchez Institute", "S\xc3\xa1nchez Institute", false},
      {"Wendy Cutler", "\xff", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name, c.site_name);
    CHECK(plausible_author(c.name, c.site_name) == c.expected);
  }
}

TEST_CASE("byline_names finds names in byline lines only", "[authors]") {
  struct Case {
    std::string_view line;
    Names expected;
  };
  const std::string long_line = "By Jane Doe and " + std::string(190, 'x');
  const Case cases[] = {
      {"ASPI Expert Commentary from Wendy Cutler, Rorry Daniels, and Neil Thomas.",
       {"Wendy Cutler", "Rorry Daniels", "Neil Thomas"}},
      {"- By Wendy Cutler", {"Wendy Cutler"}},
      {"-By Wendy Cutler", {"Wendy Cutler"}},
      {"\xe2\x80\x94 By Rorry Daniels", {"Rorry Daniels"}},
      {"By Jane Doe and John Smith", {"Jane Doe", "John Smith"}},
      {"by Jane Doe", {"Jane Doe"}},
      {"BY WENDY CUTLER", {"Wendy Cutler"}},
      {"Written by Jane Doe", {"Jane Doe"}},
      {"Authors: Jane Doe; John Smith", {"Jane Doe", "John Smith"}},
      {"Author: Jane Doe", {"Jane Doe"}},
      {"Analysis by Jane Doe, Senior Fellow at CSIS", {"Jane Doe"}},
      {"Commentary by Daniel R. DePetris", {"Daniel R. DePetris"}},
      {"By Dr. Jane Doe, Ph.D., Senior Fellow at RAND", {"Jane Doe"}},
      {"By Amb. Kathleen Stephens and Michael E. O'Hanlon",
       {"Kathleen Stephens", "Michael E. O'Hanlon"}},
      {"By Ursula von der Leyen", {"Ursula von der Leyen"}},
      {"By Jane Doe on October 30, 2025", {"Jane Doe"}},
      {"By Jane Doe | October 30, 2025", {"Jane Doe"}},
      {"By Jane Doe | Oct. 30, 2025", {"Jane Doe"}},
      {"By Jane Doe 30 October 2025", {"Jane Doe"}},
      {"By Jane Doe, Thursday, October 30, 2025", {"Jane Doe"}},
      {"By Jane Doe and JANE DOE", {"Jane Doe"}},
      {"By April Ryan", {"April Ryan"}},
      // Not bylines.
      {"The panel discussion will feature Wendy Cutler, Shay Wester, Michelle Ye Hee Lee, and "
       "Emma Chanlett-Avery.",
       {}},
      {"Jane Doe", {}},
      {"By the end of the year, tariffs will fall.", {}},
      {"By 2030, the economy will have doubled.", {}},
      {"By contrast, Beijing drove a hard bargain.", {}},
      {"By Thursday, the talks had collapsed.", {}},
      {"By China's standards, this is modest.", {}},
      {"By Staff", {}},
      {"By Jane Doe and others", {}},
      {"By Land and Sea", {}},
      {"By D.E.", {"D.E."}},
      {"Bypassing Congress, the White House acted alone.", {}},
      {"Standby Jane Doe", {}},
      {"Follow", {}},
      {"Share on Twitter", {}},
      {"By", {}},
      {"By ", {}},
      {"", {}},
      {long_line, {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    CHECK(byline_names(c.line) == c.expected);
  }
}

TEST_CASE("byline_names on the client's reference article", "[authors]") {
  const std::string text = read_file(DOSSIER_SOURCE_DIR "/corpus/000_42de43b9164fe9cf.txt");
  REQUIRE_FALSE(text.empty());
  std::vector<Names> found;
  for (const auto& line : lines_of(text)) {
    auto names = byline_names(line);
    if (!names.empty()) found.push_back(std::move(names));
  }
  const std::vector<Names> expected = {{"Wendy Cutler", "Rorry Daniels", "Neil Thomas"},
                                       {"Wendy Cutler"},
                                       {"Rorry Daniels"},
                                       {"Neil Thomas"}};
  CHECK(found == expected);
}

TEST_CASE("split and clean reproduce the think-tank corpus author lists", "[authors]") {
  const std::string path =
      std::string(DOSSIER_SHARED_DIR) + "/corpora/thinktank-2019/thinktank-2019.jsonl";
  std::ifstream in(path);
  if (!in) {
    WARN("thinktank-2019 test skipped: ../shared absent (" << path << ")");
    return;
  }
  std::size_t records = 0;
  std::size_t agreements = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line);
    ++records;
    // raw_author is a string, a list of strings (Stimson) or null.
    std::vector<std::string> raws;
    const auto& raw = record.at("raw_author");
    if (raw.is_string()) raws.push_back(raw.get<std::string>());
    if (raw.is_array()) {
      for (const auto& item : raw) raws.push_back(item.get<std::string>());
    }
    Names ours;
    std::vector<std::string> keys;
    for (const auto& r : raws) {
      for (const auto& piece : split_authors(r)) {
        std::string name = clean_author(piece);
        if (!plausible_author(name, record.at("org").get<std::string>())) continue;
        std::string key = dossier::fold_key(name);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
        keys.push_back(std::move(key));
        ours.push_back(std::move(name));
      }
    }
    const std::string id = record.at("id").get<std::string>();
    for (const auto& name : ours) {
      std::string why;
      CAPTURE(id, name);
      CHECK_FALSE(looks_implausible(name, why));
      if (!why.empty()) INFO(why);
    }
    const auto theirs = record.at("authors").get<Names>();
    if (ours == theirs) {
      ++agreements;
    } else {
      std::string ours_text;
      for (const auto& n : ours) ours_text += "[" + n + "] ";
      std::string theirs_text;
      for (const auto& n : theirs) theirs_text += "[" + n + "] ";
      WARN("author lists differ for " << id << ": ours " << ours_text << "vs file " << theirs_text);
    }
  }
  CHECK(records == 180);
  // The differences are the file's own leftovers ("Dr. Jason Dempsey", "CDR Bob Jones",
  // "General Stanley A. McChrystal (ret.)"), which clean_author removes on purpose.
  CHECK(agreements >= 177);
}

TEST_CASE("author functions survive arbitrary input", "[authors]") {
  // Deterministic pseudo-random bylines assembled from the pieces that steer the scanners,
  // including malformed UTF-8 and invisible characters. Nothing may throw, and whatever
  // byline_names returns must be valid UTF-8 that plausible_author accepts.
  const std::string_view parts[] = {"By ",      "by",
                                    ",",        ", and ",
                                    " and ",    " & ",
                                    ";",        "\n",
                                    " ",        "Jane",
                                    "DOE",      "Doe",
                                    "Dr.",      "Ph.D.",
                                    "Jr.",      "(",
                                    ")",        "|",
                                    " - ",      "\xe2\x80\x94",
                                    "\xff",     "\xc3",
                                    "\xc3\xa9", "\xe2\x80\x8b",
                                    "'",        "-",
                                    ".",        "2025",
                                    "October",  "Fellow at",
                                    "von",      "O'",
                                    "JAE-IN",   "Commentary from ",
                                    "Monday",   "@",
                                    "http://",  "\t"};
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1664525U + 1013904223U;
    return state >> 8U;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string input;
    const std::size_t count = 1 + next() % 12;
    for (std::size_t k = 0; k < count; ++k) input += parts[next() % std::size(parts)];
    CAPTURE(input);
    CHECK_NOTHROW(split_authors(input));
    CHECK_NOTHROW(clean_author(input));
    CHECK_NOTHROW(plausible_author(input, input));
    std::vector<std::string> names;
    CHECK_NOTHROW(names = byline_names(input));
    for (const auto& name : names) {
      CAPTURE(name);
      CHECK(dossier::is_valid_utf8(name));
      CHECK(plausible_author(name));
    }
  }
}
