// HTML parser: metadata precedence, boilerplate removal, sections, charsets and broken pages.
#include "parsers/parsers.hpp"

#include "text/normalize.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

using dossier::Diagnostic;
using dossier::Origin;
using dossier::detail::parse_html;
using dossier::detail::ParseContext;
using dossier::detail::RawRecord;
using dossier::detail::RawSection;
using dossier::detail::Sourced;

namespace {

const dossier::CorpusConfig& config() {
  static const dossier::CorpusConfig value;
  return value;
}

RawRecord parse(std::string_view html, const std::string& path = "page.html") {
  const ParseContext context{path, &config()};
  return parse_html(html, context);
}

std::string read_fixture(const char* name) {
  const auto path = std::filesystem::path(DOSSIER_TEST_DATA) / "html" / name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string text(const std::optional<Sourced<std::string>>& field) {
  return field ? field->value : std::string{};
}

Origin origin(const std::optional<Sourced<std::string>>& field) {
  return field ? field->origin : Origin::kNone;
}

std::vector<std::string> list(const std::optional<Sourced<std::vector<std::string>>>& field) {
  return field ? field->value : std::vector<std::string>{};
}

Origin origin(const std::optional<Sourced<std::vector<std::string>>>& field) {
  return field ? field->origin : Origin::kNone;
}

std::vector<std::string> headings(const RawRecord& record) {
  std::vector<std::string> out;
  for (const RawSection& section : record.sections) out.push_back(section.heading);
  return out;
}

std::string section_text(const RawRecord& record, std::size_t index) {
  const RawSection& section = record.sections.at(index);
  return record.body.substr(section.begin, section.end - section.begin);
}

bool has_diagnostic(const RawRecord& record, Diagnostic::Severity severity,
                    std::string_view fragment) {
  for (const Diagnostic& d : record.diagnostics) {
    if (d.severity == severity && d.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

bool valid_utf8(std::string_view s) {
  return dossier::detail::first_invalid_utf8(s) == std::string_view::npos;
}

// What every successful parse promises about body and sections.
void check_layout(const RawRecord& record) {
  CHECK(valid_utf8(record.body));
  CHECK(record.body.find("\n\n") == std::string::npos);
  CHECK(record.body.find("  ") == std::string::npos);
  CHECK(record.body.find('\t') == std::string::npos);
  CHECK(record.body.find('<') == std::string::npos);
  CHECK(record.body.find("\xC2\xA0") == std::string::npos);
  if (!record.body.empty()) {
    CHECK(record.body.front() != '\n');
    CHECK(record.body.back() != '\n');
    CHECK(record.body.front() != ' ');
  }
  std::size_t previous_end = 0;
  for (const RawSection& section : record.sections) {
    CAPTURE(section.heading, section.begin, section.end);
    REQUIRE(section.begin <= section.end);
    REQUIRE(section.end <= record.body.size());
    CHECK(section.begin >= previous_end);
    const std::string_view part =
        std::string_view(record.body).substr(section.begin, section.end - section.begin);
    CHECK(valid_utf8(part));
    if (!part.empty()) {
      CHECK(part.back() != '\n');
      CHECK(part.front() != '\n');
      CHECK((section.begin == 0 || record.body[section.begin - 1] == '\n'));
      CHECK((section.end == record.body.size() || record.body[section.end] == '\n'));
    }
    CHECK(section.heading.find('\n') == std::string::npos);
    previous_end = section.end;
  }
}

struct FixtureCase {
  const char* file;
  std::string title;
  Origin title_origin;
  std::vector<std::string> authors;
  Origin authors_origin;
  std::string date;
  Origin date_origin;
  std::string organisation;
  std::vector<std::string> topics;
  std::string url;
  std::string language;
  std::string summary;
  std::string type;
  std::vector<std::string> headings;
  std::vector<std::string> present;
  std::vector<std::string> absent;
};

const std::vector<FixtureCase>& fixture_cases() {
  static const std::vector<FixtureCase> cases = {
      {"brookings_two_authors.html",
       "How Middle Powers Can Anchor a Fragmented Trade Order",
       Origin::kMetaTag,
       {"Imogen Castellanos", "Theo Varga-Lindqvist"},
       Origin::kJsonLd,
       "2025-10-28T09:00:00-04:00",
       Origin::kJsonLd,
       "The Brookings Institution",
       {"Trade Policy", "Global Economy", "Multilateralism"},
       "https://www.brookings.edu/articles/how-middle-powers-can-anchor-a-fragmented-trade-order/",
       "en-US",
       "Middle powers can keep rules-based trade alive by pooling their market weight, argue "
       "Imogen Castellanos and Theo Varga-Lindqvist.",
       "Article",
       {"", "Why middle powers matter", "Three practical steps"},
       {"The multilateral trading system is not collapsing all at once; it is fraying at the "
        "edges, one unilateral tariff and one stalled dispute panel at a time.\nFor countries",
        "Import shares of selected middle powers, 2000\xE2\x80\x93"
        "2024.",
        "Second, they should open their plurilateral agreements to any member that meets the "
        "standards.\nThird, they should pool",
        "None of these steps requires the consent of the largest economies, which is precisely "
        "their appeal."},
       {"Topics",
        "Regions",
        "Research & Commentary",
        "Experts",
        "cookie",
        "Skip to main",
        "Share",
        "LinkedIn",
        "Copy link",
        "Print",
        "Subscribe",
        "Sign up",
        "inbox",
        "Related Content",
        "Hidden Costs",
        "Someone Else",
        "Most Popular",
        "Copyright",
        "Privacy Policy",
        "Source: Invented Data Service",
        "dataLayer",
        "margin",
        "October 28",
        "Imogen Castellanos",
        "Commentary",
        "How Middle Powers Can Anchor",
        "Donate"}},
      {"csis_meta_author.html",
       "Critical Minerals and the Refining Bottleneck",
       Origin::kJsonLd,
       {"Marta Quellen"},
       Origin::kMetaTag,
       "2025-09-15T12:00:00-04:00",
       Origin::kMetaTag,
       "Center for Strategic and International Studies",
       {"Energy Security", "Critical Minerals"},
       "https://www.csis.org/analysis/critical-minerals-and-refining-bottleneck",
       "en",
       "Mining is not the constraint; refining capacity is, and it is concentrated in a handful "
       "of places.",
       "article",
       {"", "Where the capacity is", "Permitting timelines", "What allies can do"},
       {"Policymakers talk about critical minerals as if the problem were in the ground.",
        "facilities process most of the world\xE2\x80\x99s supply.",
        "A new refinery can take seven to ten years",
        "but it would change the bargaining position within a decade."},
       {"Analysis", "Marta Quellen", "Published September", "Facebook", "Listen", "Subscribe",
        "newsletter", "cookies", "Podcasts", "Energy and Sustainability", "senior fellow",
        "CSIS does not take", "All rights reserved", "drupalSettings"}},
      {"cfr_no_main.html",
       "Beyond the Strait: Rethinking Maritime Patrols",
       Origin::kHtmlElement,
       {"Rafael Odum"},
       Origin::kByline,
       "2025-08-21T10:15:00Z",
       Origin::kHtmlElement,
       "Council on Foreign Relations",
       {"Maritime Security", "Southeast Asia"},
       "https://www.cfr.org/blog/beyond-strait-rethinking-maritime-patrols",
       "en",
       "Coast guard cooperation, not naval presence, is the cheaper path to stability in "
       "contested waters.",
       "article",
       {"", "A coast guard compact", "Objections and answers"},
       {"For a decade, the default answer to incidents at sea has been more warships.",
        "fishing militias, survey vessels, and water cannons.",
        "the aim is to lower the temperature, not to win a contest of hulls."},
       {"Explore our interactive tracker", "Asia Unbound", "sidebar teaser", "reader comment",
        "Daily News Brief", "East 68th", "Regions", "Home", "Topics", "Maritime Security",
        "Most Popular", "Rafael Odum", "August 21", "Broken headline", "Membership"}},
      {"heritage_site_author.html",
       "Five Questions on Seasonal Farm Labor Visas",
       Origin::kMetaTag,
       {"Tobias Wrenfield"},
       Origin::kByline,
       "2025-07-09",
       Origin::kMetaTag,
       "The Heritage Foundation",
       {"Immigration", "Agriculture"},
       "https://www.heritage.org/immigration/commentary/five-questions-seasonal-farm-labor-visas",
       "en",
       "The seasonal visa program is slow, costly, and rigid. Congress can fix it without "
       "expanding it.",
       "NewsArticle",
       {"", "1. Why is it so slow?", "2. What would a fix cost?"},
       {"Growers in every region describe the same problem: the visa paperwork for a harvest "
        "crew takes longer than the harvest.",
        "Very little. Consolidating review in one agency would save applicants weeks and "
        "taxpayers money."},
       {"Senior Research Fellow", "Follow", "Commentary", "Jul 9", "min read", "Share", "Facebook",
        "Massachusetts", "Issues", "Donate", "Tobias"}},
      {"cnas_malformed.html",
       "Drones at the Water's Edge",
       Origin::kMetaTag,
       {"Aurora Lindqvist"},
       Origin::kMetaTag,
       "03/14/2025",
       Origin::kMetaTag,
       "CNAS",
       {"Defense", "Technology", "Indo-Pacific"},
       "",
       "en-GB",
       "",
       "",
       {"", "Cost comparison", "Recommendations"},
       {"Small uncrewed systems have changed the arithmetic of coastal defense.\n"
        "Three findings stand out:\n"
        "cheap sensors outlast expensive ones;\n"
        "networks matter more than platforms;\n"
        "and training lags procurement.\n"
        "Unit costs fell \xE2\x80\x94 by an order of magnitude. Literal data text followed by "
        "more text.",
        "System | Unit cost\nPatrol drone | $40,000\nCrewed boat | $2 million\n"
        "First point without a closing tag\nSecond point with bold text\nline one\nline two\n"
        "Buy fewer, better-networked sensors and fund the training pipeline first."},
       {"scripted text", "editor's comment", "CDATA", "Hidden tracking", "Decorative", "Tweet",
        "Reports", "Drones at the Water"}},
  };
  return cases;
}

}  // namespace

TEST_CASE("HTML fixtures: metadata, sections and boilerplate-free bodies", "[html]") {
  for (const FixtureCase& c : fixture_cases()) {
    CAPTURE(c.file);
    const RawRecord record = parse(read_fixture(c.file), c.file);
    CAPTURE(record.body);
    CHECK(text(record.title) == c.title);
    CHECK(origin(record.title) == c.title_origin);
    CHECK(list(record.authors) == c.authors);
    CHECK(origin(record.authors) == c.authors_origin);
    CHECK(text(record.date) == c.date);
    CHECK(origin(record.date) == c.date_origin);
    CHECK(text(record.organisation) == c.organisation);
    CHECK(list(record.topics) == c.topics);
    CHECK(text(record.url) == c.url);
    CHECK(text(record.language) == c.language);
    CHECK(text(record.summary) == c.summary);
    CHECK(text(record.type) == c.type);
    CHECK(headings(record) == c.headings);
    for (const std::string& sentence : c.present) {
      CAPTURE(sentence);
      CHECK(record.body.find(sentence) != std::string::npos);
    }
    for (const std::string& boilerplate : c.absent) {
      CAPTURE(boilerplate);
      CHECK(record.body.find(boilerplate) == std::string::npos);
    }
    CHECK_FALSE(has_diagnostic(record, Diagnostic::Severity::kError, ""));
    check_layout(record);
  }
}

TEST_CASE("HTML fixture: signed sections take their bylines out of the body", "[html]") {
  const RawRecord record = parse(read_fixture("aspi_signed_sections.html"));
  CHECK(text(record.title) == "Asia Snapshot: Leaders Meet in Gyeongju");
  // Yoast-style @id references and givenName/familyName resolve to names.
  CHECK(list(record.authors) ==
        std::vector<std::string>{"Harriet Okafor-Lind", "Jun-seo Varela", "Pieter Nakashima"});
  CHECK(origin(record.authors) == Origin::kJsonLd);
  CHECK(text(record.organisation) == "Asia Society Policy Institute");
  CHECK(text(record.summary) ==
        "ASPI experts give their rapid reactions to the leaders' meeting & what comes next.");
  CHECK(list(record.topics) == std::vector<std::string>{"Trade", "Diplomacy", "Korean Peninsula"});
  CHECK(text(record.date) == "2025-11-02T08:00:00-0400");
  // The "Expert Commentary from ..." line is a byline, so no untitled section is left.
  REQUIRE(headings(record) == std::vector<std::string>{"What Happened", "A Pause, Not a Peace",
                                                       "The View from Seoul",
                                                       "Watch the Bureaucracies"});
  CHECK(record.sections[0].authors.empty());
  CHECK(record.sections[1].authors == std::vector<std::string>{"Harriet Okafor-Lind"});
  CHECK(record.sections[2].authors == std::vector<std::string>{"Jun-seo Varela"});
  CHECK(record.sections[3].authors == std::vector<std::string>{"Pieter Nakashima"});
  CHECK(section_text(record, 1) ==
        "The announced package lowers the temperature but leaves every structural dispute in "
        "place, from industrial subsidies to export licensing.\nBoth capitals will use the pause "
        "to build leverage for the next round.");
  CHECK(section_text(record, 2) ==
        "Seoul welcomed the meeting with visible relief, since its exporters sit in the middle "
        "of both supply chains.");
  for (const char* absent : {"By ", "Expert Commentary", "Dive Deeper", "webinar", "Publications",
                             "Massachusetts", "Asia Snapshot: Leaders"}) {
    CAPTURE(absent);
    CHECK(record.body.find(absent) == std::string::npos);
  }
  check_layout(record);
}

TEST_CASE("HTML fixture: a windows-1252 page is decoded from its declared charset", "[html]") {
  const RawRecord record = parse(read_fixture("rand_windows1252.html"));
  CHECK(record.diagnostics.empty());
  CHECK(text(record.title) ==
        "Why \xE2\x80\x9CGood Enough\xE2\x80\x9D Deterrence Isn\xE2\x80\x99t");
  CHECK(list(record.authors) ==
        std::vector<std::string>{"Daniel Okonkwo-Reyes", "Britt Halvorsen"});
  CHECK(text(record.date) == "2025/06/03");
  CHECK(text(record.organisation) == "RAND Corporation");
  CHECK(list(record.topics) ==
        std::vector<std::string>{"Deterrence", "Nuclear Weapons and Warfare", "Arms Control"});
  CHECK(text(record.language) == "en");
  CHECK(text(record.summary) ==
        "Deterrence that is \xE2\x80\x9Cgood enough\xE2\x80\x9D on paper can fail in a crisis "
        "\xE2\x80\x93 and the gaps are predictable.");
  CHECK(headings(record) == std::vector<std::string>{"",
                                                     "The \xE2\x80\x98"
                                                     "credibility\xE2\x80\x99 gap"});
  CHECK(record.body.find("need only be \xE2\x80\x9Cgood enough.\xE2\x80\x9D The phrase") !=
        std::string::npos);
  CHECK(record.body.find("A \xE2\x82\xAC"
                         "2 billion exercise") != std::string::npos);
  for (const char* absent : {"About RAND", "trademark", "June 3", "Okonkwo-Reyes", "Research"}) {
    CAPTURE(absent);
    CHECK(record.body.find(absent) == std::string::npos);
  }
  check_layout(record);
}

TEST_CASE("HTML fixture: a page of chrome only is rejected with its metadata kept", "[html]") {
  const RawRecord record = parse(read_fixture("empty_body.html"), "saved/empty_body.html");
  CHECK(record.body.empty());
  CHECK(record.sections.empty());
  REQUIRE(record.diagnostics.size() == 1);
  CHECK(record.diagnostics[0].severity == Diagnostic::Severity::kError);
  CHECK(record.diagnostics[0].message == "no article text found");
  CHECK(record.diagnostics[0].path == "saved/empty_body.html");
  CHECK(text(record.title) == "Uncrewed Systems and Coastal Defense");
}

TEST_CASE("HTML fixture: malformed JSON-LD is a warning, not a failure", "[html]") {
  const RawRecord record = parse(read_fixture("cfr_no_main.html"), "cfr.html");
  REQUIRE(record.diagnostics.size() == 1);
  CHECK(record.diagnostics[0].severity == Diagnostic::Severity::kWarning);
  CHECK(record.diagnostics[0].path == "cfr.html");
  CHECK(record.diagnostics[0].message.find("JSON-LD block 1 is malformed") == 0);
  CHECK(record.diagnostics[0].message.find('\n') == std::string::npos);
  CHECK(text(record.title) != "Broken headline");
  CHECK(list(record.authors) == std::vector<std::string>{"Rafael Odum"});
}

namespace {

// A page with the given head and body; `article` is appended inside <article> so that the parse
// has text unless the case is about the body.
std::string page(const std::string& head, const std::string& body_before = {},
                 const std::string& article =
                     "<p>The article text says something of substance about trade.</p>") {
  return "<!DOCTYPE html><html><head>" + head + "</head><body>" + body_before + "<article>" +
         article + "</article></body></html>";
}

std::string field(const RawRecord& record, std::string_view name) {
  auto join = [](const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& v : values) out += (out.empty() ? "" : "; ") + v;
    return out;
  };
  if (name == "title") return text(record.title);
  if (name == "authors") return join(list(record.authors));
  if (name == "date") return text(record.date);
  if (name == "organisation") return text(record.organisation);
  if (name == "topics") return join(list(record.topics));
  if (name == "type") return text(record.type);
  if (name == "summary") return text(record.summary);
  if (name == "url") return text(record.url);
  if (name == "language") return text(record.language);
  FAIL("unknown field " << name);
  return {};
}

Origin field_origin(const RawRecord& record, std::string_view name) {
  if (name == "title") return origin(record.title);
  if (name == "authors") return origin(record.authors);
  if (name == "date") return origin(record.date);
  if (name == "organisation") return origin(record.organisation);
  if (name == "topics") return origin(record.topics);
  if (name == "type") return origin(record.type);
  if (name == "summary") return origin(record.summary);
  if (name == "url") return origin(record.url);
  if (name == "language") return origin(record.language);
  return Origin::kNone;
}

struct MetaCase {
  const char* rule;
  std::string html;
  const char* field;
  std::string expected;
  Origin origin;
};

std::string ld(const std::string& json) {
  return "<script type=\"application/ld+json\">" + json + "</script>";
}

}  // namespace

TEST_CASE("HTML metadata: sources and precedence", "[html]") {
  const std::string og_site = "<meta property=\"og:site_name\" content=\"Policy Forum\">";
  const MetaCase cases[] = {
      // Title.
      {"og:title beats everything",
       page("<title>T | Policy Forum</title><meta property=\"og:title\" content=\"OG Title\">" +
                ld(R"({"@type":"Article","headline":"LD Title"})"),
            "", "<h1>H1 Title</h1><p>Text of the article goes here at length.</p>"),
       "title", "OG Title", Origin::kMetaTag},
      {"JSON-LD headline before h1 and <title>",
       page("<title>Tag Title</title>" + ld(R"({"@type":"NewsArticle","headline":"LD Title"})"), "",
            "<h1>H1 Title</h1><p>Text.</p>"),
       "title", "LD Title", Origin::kJsonLd},
      {"JSON-LD name when there is no headline",
       page(ld(R"({"@type":"Report","name":"Report Name"})")), "title", "Report Name",
       Origin::kJsonLd},
      {"h1 of the article before <title>",
       page("<title>Tag Title</title>", "<h1>Site h1 outside</h1>",
            "<h1>Article h1</h1><p>Text.</p>"),
       "title", "Article h1", Origin::kHtmlElement},
      {"a linked logo h1 is not a title",
       page("<title>Real Title</title>",
            "<header><h1><a href=\"/\">Policy Forum</a></h1></header>"),
       "title", "Real Title", Origin::kHtmlElement},
      {"<title> loses a ' | site' suffix",
       page(og_site + "<title>Trade Truce Holds | Policy Forum</title>"), "title",
       "Trade Truce Holds", Origin::kHtmlElement},
      {"<title> loses a ' - publisher' suffix",
       page(
           "<title>Trade Truce Holds - The Policy Forum</title>" +
           ld(R"({"@type":"Article","publisher":{"@type":"Organization","name":"Policy Forum"}})")),
       "title", "Trade Truce Holds", Origin::kHtmlElement},
      {"<title> loses an em-dash suffix",
       page(og_site + "<title>Trade Truce Holds \xE2\x80\x94 Policy Forum</title>"), "title",
       "Trade Truce Holds", Origin::kHtmlElement},
      {"a suffix that is not the site stays",
       page(og_site + "<title>Trade Policy - A Primer</title>"), "title", "Trade Policy - A Primer",
       Origin::kHtmlElement},
      {"an og:title that is only the site name is skipped",
       page(og_site + "<meta property=\"og:title\" content=\"Policy Forum\">", "",
            "<h1>Real Title</h1><p>Text.</p>"),
       "title", "Real Title", Origin::kHtmlElement},
      {"entities in JSON-LD are decoded",
       page(ld(R"({"@type":"Article","headline":"Trump &amp; Xi&#8217;s &quot;Deal&quot;"})")),
       "title", "Trump & Xi\xE2\x80\x99s \"Deal\"", Origin::kJsonLd},
      // Authors.
      {"citation_author, inverted, in order",
       page("<meta name=\"citation_author\" content=\"Doe, Jane\">"
            "<meta name=\"citation_author\" content=\"Roe, John Q.\">" +
            ld(R"({"@type":"Article","author":{"name":"LD Person"}})")),
       "authors", "Jane Doe; John Q. Roe", Origin::kMetaTag},
      {"JSON-LD authors before meta author",
       page("<meta name=\"author\" content=\"Meta Person\">" +
            ld(R"({"@type":"Article","author":[{"@type":"Person","name":"Ann Lee"},"Bo Chen"]})")),
       "authors", "Ann Lee; Bo Chen", Origin::kJsonLd},
      {"JSON-LD @graph with @id references",
       page(ld(R"({"@graph":[{"@type":"WebPage","name":"P"},{"@type":"BlogPosting",
              "author":{"@id":"#p1"}},{"@type":"Person","@id":"#p1","name":"Ann Lee"}]})")),
       "authors", "Ann Lee", Origin::kJsonLd},
      {"JSON-LD in a list of documents",
       page(
           ld(R"([{"@type":"BreadcrumbList"},{"@type":"OpinionNewsArticle","author":"Ann Lee"}])")),
       "authors", "Ann Lee", Origin::kJsonLd},
      {"meta author with two names", page("<meta name=\"author\" content=\"Ann Lee and Bo Chen\">"),
       "authors", "Ann Lee; Bo Chen", Origin::kMetaTag},
      {"article:author URL is not a name",
       page("<meta property=\"article:author\" content=\"https://facebook.com/someone\">"
            "<meta name=\"author\" content=\"Ann Lee\">"),
       "authors", "Ann Lee", Origin::kMetaTag},
      {"DC.creator", page("<meta name=\"DC.creator\" content=\"Lee, Ann\">"), "authors", "Ann Lee",
       Origin::kMetaTag},
      {"the site name is not an author",
       page(og_site + "<meta name=\"author\" content=\"The Policy Forum\">"), "authors", "",
       Origin::kNone},
      {"Staff is not an author", page("<meta name=\"author\" content=\"Staff\">"), "authors", "",
       Origin::kNone},
      {"an organisation author equal to the publisher is skipped for the byline",
       page(ld(R"({"@type":"Article","author":{"@type":"Organization","name":"Policy Forum"},
              "publisher":{"@type":"Organization","name":"Policy Forum"}})"),
            "", "<p>By <a rel=\"author\" href=\"/people/ann-lee\">Ann Lee</a></p><p>Text.</p>"),
       "authors", "Ann Lee", Origin::kByline},
      {"rel=author link with a Follow button",
       page("", "",
            "<div class=\"author-card\"><a rel=\"author\" href=\"/x\">Ann Lee</a>"
            "<a class=\"follow\" href=\"/f\">Follow</a></div><p>Text.</p>"),
       "authors", "Ann Lee", Origin::kByline},
      {"itemprop=author with a nested name",
       page("", "",
            "<span itemprop=\"author\" itemscope><span itemprop=\"name\">Ann Lee</span></span>"
            "<p>Text.</p>"),
       "authors", "Ann Lee", Origin::kByline},
      {"a byline element in running words",
       page("", "<div class=\"byline\">By Ann Lee and Bo Chen</div>"), "authors",
       "Ann Lee; Bo Chen", Origin::kByline},
      {"sibling author elements are one byline",
       page("", "",
            "<p class=\"meta\"><span class=\"author\">Ann Lee</span>, "
            "<span class=\"author\">Bo Chen</span></p><p>Text.</p>"),
       "authors", "Ann Lee; Bo Chen", Origin::kByline},
      {"a byline paragraph at the top of the article",
       page("", "", "<p>By Ann Lee</p><p>Text of the article.</p>"), "authors", "Ann Lee",
       Origin::kByline},
      {"authors of related cards are not the article's",
       page("", "<section class=\"related\"><div class=\"author\">Other Person</div></section>"),
       "authors", "", Origin::kNone},
      // Dates.
      {"JSON-LD datePublished first",
       page("<meta property=\"article:published_time\" content=\"2025-01-02\">" +
            ld(R"({"@type":"Article","datePublished":"2025-01-01"})")),
       "date", "2025-01-01", Origin::kJsonLd},
      {"citation_publication_date before article:published_time",
       page("<meta property=\"article:published_time\" content=\"2025-01-02\">"
            "<meta name=\"citation_publication_date\" content=\"2025/01/03\">"),
       "date", "2025/01/03", Origin::kMetaTag},
      {"article:published_time",
       page("<meta property=\"article:published_time\" content=\"2025-01-02T08:00:00Z\">"), "date",
       "2025-01-02T08:00:00Z", Origin::kMetaTag},
      {"DC.date", page("<meta name=\"DC.date\" content=\"2024-12-31\">"), "date", "2024-12-31",
       Origin::kMetaTag},
      {"<time datetime> when no metadata",
       page("", "", "<p><time datetime=\"2025-03-04\">March 4</time></p><p>Text.</p>"), "date",
       "2025-03-04", Origin::kHtmlElement},
      {"<time> text without datetime",
       page("", "", "<p><time>March 4, 2025</time></p><p>Text.</p>"), "date", "March 4, 2025",
       Origin::kHtmlElement},
      {"a time in a related card is not the article's",
       page("", "<aside><time datetime=\"2020-01-01\">old</time></aside>"), "date", "",
       Origin::kNone},
      {"a date line at the top of the article",
       page("", "", "<p>October 30, 2025</p><p>Text of the article.</p>"), "date",
       "October 30, 2025", Origin::kHtmlElement},
      // Organisation.
      {"JSON-LD publisher before og:site_name",
       page(og_site + ld(R"({"@type":"Article","publisher":{"name":"Policy Forum Inc."}})")),
       "organisation", "Policy Forum Inc.", Origin::kJsonLd},
      {"citation_publisher before og:site_name",
       page(og_site + "<meta name=\"citation_publisher\" content=\"Forum Press\">"), "organisation",
       "Forum Press", Origin::kMetaTag},
      {"og:site_name", page(og_site), "organisation", "Policy Forum", Origin::kMetaTag},
      // Topics.
      {"JSON-LD keywords list, deduplicated",
       page("<meta name=\"keywords\" content=\"x, y\">" +
            ld(R"({"@type":"Article","keywords":["Trade","China","trade"]})")),
       "topics", "Trade; China", Origin::kJsonLd},
      {"article:tag is repeatable",
       page("<meta property=\"article:tag\" content=\"Trade\">"
            "<meta property=\"article:tag\" content=\"China\">"),
       "topics", "Trade; China", Origin::kMetaTag},
      {"keywords are comma-separated",
       page("<meta name=\"keywords\" content=\" Trade ,China,, Tariffs \">"), "topics",
       "Trade; China; Tariffs", Origin::kMetaTag},
      {"news_keywords", page("<meta name=\"news_keywords\" content=\"Trade, China\">"), "topics",
       "Trade; China", Origin::kMetaTag},
      {"JSON-LD articleSection as a last metadata resort",
       page(ld(R"({"@type":"Article","articleSection":["Economy","Asia"]})")), "topics",
       "Economy; Asia", Origin::kJsonLd},
      {"rel=tag links",
       page("", "", "<p>Text.</p><p class=\"x\"><a rel=\"tag\" href=\"/t\">Trade</a></p>"),
       "topics", "Trade", Origin::kHtmlElement},
      // Type, summary, URL, language.
      {"JSON-LD article type", page(ld(R"({"@type":"Report"})")), "type", "Report",
       Origin::kJsonLd},
      {"og:type", page("<meta property=\"og:type\" content=\"article\">"), "type", "article",
       Origin::kMetaTag},
      {"JSON-LD description first",
       page("<meta name=\"description\" content=\"Meta.\">" +
            ld(R"({"@type":"Article","description":"LD."})")),
       "summary", "LD.", Origin::kJsonLd},
      {"meta description", page("<meta name=\"description\" content=\"  A   summary.\n\">"),
       "summary", "A summary.", Origin::kMetaTag},
      {"og:description", page("<meta property=\"og:description\" content=\"OG summary.\">"),
       "summary", "OG summary.", Origin::kMetaTag},
      {"JSON-LD url first",
       page("<meta property=\"og:url\" content=\"https://a.org/og\">" +
            ld(R"({"@type":"Article","url":"https://a.org/ld"})")),
       "url", "https://a.org/ld", Origin::kJsonLd},
      {"og:url before canonical",
       page("<link rel=\"canonical\" href=\"https://a.org/c\">"
            "<meta property=\"og:url\" content=\"https://a.org/og\">"),
       "url", "https://a.org/og", Origin::kMetaTag},
      {"canonical link", page("<link rel=\"canonical\" href=\"https://a.org/c\">"), "url",
       "https://a.org/c", Origin::kHtmlElement},
      {"a relative canonical is useless without a base",
       page("<link rel=\"canonical\" href=\"/c\">"), "url", "", Origin::kNone},
      {"JSON-LD inLanguage first",
       "<html lang=\"fr\"><head>" + ld(R"({"@type":"Article","inLanguage":"en-GB"})") +
           "</head><body><article><p>Text.</p></article></body></html>",
       "language", "en-GB", Origin::kJsonLd},
      {"citation_language before <html lang>",
       "<html lang=\"fr\"><head><meta name=\"citation_language\" content=\"de\"></head>"
       "<body><p>Text.</p></body></html>",
       "language", "de", Origin::kMetaTag},
      {"<html lang>", "<html lang=\"ko\"><body><p>Text.</p></body></html>", "language", "ko",
       Origin::kHtmlElement},
      {"og:locale as a last resort", page("<meta property=\"og:locale\" content=\"en_GB\">"),
       "language", "en-GB", Origin::kMetaTag},
      // JSON-LD robustness.
      {"JSON-LD in a comment wrapper with raw newlines in strings",
       page("<script type=\"application/ld+json\"><!--\n{\"@type\":\"Article\",\"headline\":"
            "\"Two\nLines\"}\n--></script>"),
       "title", "Two Lines", Origin::kJsonLd},
      {"JSON-LD after a malformed block",
       page(ld("{\"@type\": \"Article\",") + ld(R"({"@type":"Article","headline":"Second"})")),
       "title", "Second", Origin::kJsonLd},
      {"WebPage is a fallback only",
       page(ld(R"([{"@type":"WebPage","name":"Page"},{"@type":"Article","headline":"Art"}])")),
       "title", "Art", Origin::kJsonLd},
  };
  for (const MetaCase& c : cases) {
    CAPTURE(c.rule, c.html);
    const RawRecord record = parse(c.html);
    CHECK(field(record, c.field) == c.expected);
    CHECK(field_origin(record, c.field) == c.origin);
    CHECK_FALSE(has_diagnostic(record, Diagnostic::Severity::kError, ""));
  }
}

TEST_CASE("HTML metadata: malformed JSON-LD gives one warning per block", "[html]") {
  const RawRecord record =
      parse(page(ld("{\"@type\": \"Article\",") + ld("not json") + ld(R"({"@type":"Article"})")));
  REQUIRE(record.diagnostics.size() == 2);
  CHECK(record.diagnostics[0].message.find("JSON-LD block 1 is malformed") == 0);
  CHECK(record.diagnostics[1].message.find("JSON-LD block 2 is malformed") == 0);
  CHECK(record.diagnostics[1].severity == Diagnostic::Severity::kWarning);
  CHECK(record.body == "The article text says something of substance about trade.");
}

namespace {

struct BodyCase {
  const char* rule;
  std::string html;
  std::string body;
};

std::string doc(const std::string& body) {
  return "<html><head><title>Doc</title></head><body>" + body + "</body></html>";
}

}  // namespace

TEST_CASE("HTML body: text layout and boilerplate removal", "[html]") {
  const BodyCase cases[] = {
      {"paragraphs become lines", doc("<p>One.</p><p>Two.</p>"), "One.\nTwo."},
      {"white space collapses, entities decode",
       doc("<p>  Tariffs\n\t &amp;   trade&rsquo;s   future  </p>"),
       "Tariffs & trade\xE2\x80\x99s future"},
      {"no-break, thin and zero-width spaces; soft hyphens",
       doc("<p>A&nbsp;B\xC2\xA0"
           "C\xE2\x80\x89"
           "D in\xC2\xAD"
           "ter\xE2\x80\x8Bnational</p>"),
       "A B C D international"},
      {"inline elements join without spaces", doc("<p><b>Wash</b>ington and <i>Beijing</i>.</p>"),
       "Washington and Beijing."},
      {"br breaks lines", doc("<div>Line one<br>Line two<br/><br/>Line three</div>"),
       "Line one\nLine two\nLine three"},
      {"div text blocks and nested blocks",
       doc("<div>Intro text<div>Inner block</div>tail text</div>"),
       "Intro text\nInner block\ntail text"},
      {"lists", doc("<ul><li>First item</li><li>Second <em>item</em></li></ul>"),
       "First item\nSecond item"},
      {"blockquote", doc("<p>He said:</p><blockquote>Deterrence is a choice.</blockquote>"),
       "He said:\nDeterrence is a choice."},
      {"data tables: one row per line",
       doc("<table><tr><th>Year</th><th>Tariff</th></tr><tr><td>2024</td><td></td></tr>"
           "<tr><td>2025</td><td>10%</td></tr></table>"),
       "Year | Tariff\n2024\n2025 | 10%"},
      {"layout tables: cells with paragraphs are blocks",
       doc("<article><table><tr><td><p>First paragraph.</p><p>Second paragraph.</p></td>"
           "<td><p>Third.</p></td></tr></table></article>"),
       "First paragraph.\nSecond paragraph.\nThird."},
      {"pre keeps its lines", doc("<pre>a = 1\n\nb  =  2\n</pre>"), "a = 1\nb = 2"},
      {"scripts, styles, noscript, templates, forms, buttons go",
       doc("<p>Kept.</p><script>var x = '<p>no</p>';</script><style>p{color:red}</style>"
           "<noscript>Enable JavaScript</noscript><template><p>tpl</p></template>"
           "<button>Click</button><form><label>Email</label><input></form><svg><text>s</text></svg>"
           "<iframe src=\"x\">frame</iframe>"),
       "Kept."},
      {"comments and CDATA markers go", doc("<p>A <!-- hidden --> B <![CDATA[C]]> D</p>"),
       "A B C D"},
      {"navigation, header, footer, aside go",
       doc("<header>Site header</header><nav>Menu</nav><p>Kept.</p><aside>Aside</aside>"
           "<footer>Footer</footer>"),
       "Kept."},
      {"boilerplate by class and id",
       doc("<p>Kept.</p><div class=\"share-tools\">Share this</div>"
           "<div class=\"c-newsletter__signup\">Join us</div><div id=\"related-posts\">Rel</div>"
           "<div class=\"cookie_banner\">Cookies</div><div class=\"ad-slot\">Ad</div>"
           "<div class=\"social\">Tweet</div><div class=\"breadcrumb\">Home</div>"
           "<div class=\"pagination\">Next</div><div class=\"author-bio\">Bio</div>"
           "<div class=\"promo\">Promo</div><div class=\"recommended\">Rec</div>"
           "<div class=\"article-tags\">Tag</div><div id=\"comments\">Comment</div>"
           "<div class=\"subscribe-box\">Sub</div><div class=\"sr-only\">Skip</div>"
           "<div class=\"CybotCookiebotDialog\">Consent</div>"),
       "Kept."},
      {"hidden elements go",
       doc("<p>Kept.</p><p style=\"display: none\">A</p><p hidden>B</p>"
           "<p aria-hidden=\"true\">C</p><div role=\"navigation\">D</div>"),
       "Kept."},
      {"taxonomy classes on the article are not boilerplate",
       doc("<article class=\"post category-social-media tag-share-buybacks\">"
           "<p>Social media policy text.</p></article>"),
       "Social media policy text."},
      {"figure captions stay, credits go",
       doc("<figure><img src=\"a.png\"><figcaption>A chart of tariffs."
           "<span class=\"credit\">Photo: Agency</span></figcaption></figure><p>Text.</p>"),
       "A chart of tariffs.\nText."},
      {"link-only list items and short link lines go; linked sentences stay",
       doc("<p>Intro.</p><ul><li><a href=\"/a\">Read this other long article about the "
           "subject of tariffs and trade</a></li></ul><p><a href=\"/pdf\">Download PDF</a></p>"
           "<p><a href=\"/x\">A sentence that is entirely a link but long enough to be real "
           "text in the article body.</a></p><p>See <a href=\"/y\">the report</a>.</p>"),
       "Intro.\nA sentence that is entirely a link but long enough to be real text in the "
       "article body.\nSee the report."},
      {"a date-only paragraph goes, a date in a sentence stays",
       doc("<article><p><time datetime=\"2025-01-01\">Jan 1, 2025</time></p><p>Text.</p>"
           "<p>On <time>Jan 1</time> the truce began.</p></article>"),
       "Text.\nOn Jan 1 the truce began."},
      {"kickers above the title h1 go",
       doc("<article><span>Commentary</span><h1>The Title</h1><p>Text.</p></article>"), "Text."},
      {"a 'Related' heading drops what follows until the next heading",
       doc("<article><p>Text.</p><h2>Related Content</h2><p>Teaser one.</p><p>Teaser two.</p>"
           "<h2>Next Part</h2><p>More text.</p></article>"),
       "Text.\nMore text."},
      {"h4-h6 are lines, not sections",
       doc("<article><p>Text.</p><h4>Minor heading</h4><p>More.</p></article>"),
       "Text.\nMinor heading\nMore."},
      {"a heading repeating the title is dropped",
       "<html><head><meta property=\"og:title\" content=\"The Title\"></head><body><article>"
       "<h2>The Title</h2><p>Text.</p></article></body></html>",
       "Text."},
      {"a wrapper with a boilerplate-looking class keeps a long article",
       doc("<div class=\"page has-comments\"><p>" + std::string(300, 'x') + " " +
           std::string(300, 'y') + "</p></div><div id=\"comments\">Comment text here.</div>"),
       std::string(300, 'x') + " " + std::string(300, 'y')},
      {"an ASP.NET form around the page is not boilerplate",
       doc("<form id=\"aspnetForm\"><nav>Menu</nav><div><p>" + std::string(600, 'z') +
           "</p></div></form>"),
       std::string(600, 'z')},
      {"the biggest <article> wins over teaser cards",
       doc("<article class=\"card\"><p>Teaser.</p></article><article><p>Main article text that "
           "is much longer than the teaser card beside it.</p><p>And a second paragraph.</p>"
           "</article>"),
       "Main article text that is much longer than the teaser card beside it.\nAnd a second "
       "paragraph."},
      {"nested articles: the outer one",
       doc("<article><p>Outer text.</p><article><p>Inner text.</p></article></article>"),
       "Outer text.\nInner text."},
      {"<main> when there is no <article>",
       doc("<div><p>Outside text that is long and not boilerplate at all, but outside.</p></div>"
           "<main><p>Main text that is the article and long enough to count.</p></main>"),
       "Main text that is the article and long enough to count."},
      {"role=main",
       doc("<div><p>Outside text that is long and not boilerplate at all, but outside.</p></div>"
           "<div role=\"main\"><p>Main text that is the article and long enough.</p></div>"),
       "Main text that is the article and long enough."},
      {"densest block: the text, not the link lists beside it",
       doc("<div><div class=\"col\"><ul><li><a href=\"/1\">Link one</a></li><li><a href=\"/2\">"
           "Link two</a></li></ul><p>A short blurb.</p></div><div class=\"text\"><p>" +
           std::string(200, 'a') + "</p><p>" + std::string(200, 'b') + "</p></div></div>"),
       std::string(200, 'a') + "\n" + std::string(200, 'b')},
      {"unclosed tags and stray end tags",
       doc("<div><p>One<p>Two</div></div></span><ul><li>Three<li>Four</ul>"),
       "One\nTwo\nThree\nFour"},
  };
  for (const BodyCase& c : cases) {
    CAPTURE(c.rule, c.html);
    const RawRecord record = parse(c.html);
    CHECK(record.body == c.body);
    CHECK_FALSE(has_diagnostic(record, Diagnostic::Severity::kError, ""));
    check_layout(record);
  }
}

TEST_CASE("HTML sections: headings split the body into byte ranges", "[html]") {
  const RawRecord record = parse(
      doc("<article><h1>Title</h1><p>Lead \xE2\x80\x94 text.</p><h2>First <em>part</em></h2>"
          "<p>By Ann Lee</p><p>Alpha.</p><p>Beta.</p><h3>Empty</h3><h2>Second</h2>"
          "<div class=\"byline\">By <a href=\"/experts/bo-chen\">Bo Chen</a></div><p>Gamma.</p>"
          "<h2></h2><p>Delta.</p></article>"));
  CHECK(record.body == "Lead \xE2\x80\x94 text.\nAlpha.\nBeta.\nGamma.\nDelta.");
  REQUIRE(headings(record) == std::vector<std::string>{"", "First part", "Empty", "Second"});
  CHECK(section_text(record, 0) == "Lead \xE2\x80\x94 text.");
  CHECK(section_text(record, 1) == "Alpha.\nBeta.");
  CHECK(section_text(record, 2).empty());
  CHECK(section_text(record, 3) == "Gamma.\nDelta.");  // an empty <h2> starts nothing
  CHECK(record.sections[0].authors.empty());
  CHECK(record.sections[1].authors == std::vector<std::string>{"Ann Lee"});
  CHECK(record.sections[2].authors.empty());
  CHECK(record.sections[3].authors == std::vector<std::string>{"Bo Chen"});
  // Section bylines are not the article's authors.
  CHECK_FALSE(record.authors.has_value());
  check_layout(record);
}

TEST_CASE("HTML sections: a body that starts with a heading has no untitled section", "[html]") {
  const RawRecord record = parse(doc("<main><h2>Only</h2><p>Text.</p></main>"));
  REQUIRE(record.sections.size() == 1);
  CHECK(record.sections[0].heading == "Only");
  CHECK(record.sections[0].begin == 0);
  CHECK(record.sections[0].end == record.body.size());
}

TEST_CASE("HTML errors: no text, undecodable bytes", "[html]") {
  struct Case {
    const char* rule;
    std::string input;
    std::string message_start;
  };
  const Case cases[] = {
      {"empty input", "", "no article text found"},
      {"white space only", " \n\t ", "no article text found"},
      {"an empty body", "<html><head><title>T</title></head><body></body></html>",
       "no article text found"},
      {"only navigation",
       "<html><body><nav><ul><li><a href=\"/\">Home</a></li></ul></nav>"
       "<footer>Footer</footer></body></html>",
       "no article text found"},
      {"a frameset", "<html><frameset><frame src=\"a.html\"></frameset></html>",
       "no article text found"},
      {"binary bytes", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\x01\0", 20),
       "cannot decode the page"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule);
    const RawRecord record = parse(c.input, "bad.html");
    CHECK(record.body.empty());
    CHECK(record.sections.empty());
    REQUIRE(record.diagnostics.size() == 1);
    CHECK(record.diagnostics[0].severity == Diagnostic::Severity::kError);
    CHECK(record.diagnostics[0].path == "bad.html");
    CHECK(record.diagnostics[0].message.rfind(c.message_start, 0) == 0);
  }
}

TEST_CASE("HTML charset: declarations are honoured", "[html]") {
  struct Case {
    const char* rule;
    std::string html;
    std::string body;
  };
  const std::string cp1252_text = "<p>\x93Quoted\x94 caf\xE9 \x96 it\x92s</p>";
  const std::string utf8_text =
      "\xE2\x80\x9CQuoted\xE2\x80\x9D caf\xC3\xA9 \xE2\x80\x93 it\xE2\x80\x99s";
  const Case cases[] = {
      {"<meta charset>", "<html><head><meta charset=\"windows-1252\"></head><body>" + cp1252_text,
       utf8_text},
      {"http-equiv, single quotes",
       "<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=windows-1252'>"
       "</head><body>" +
           cp1252_text,
       utf8_text},
      {"iso-8859-1 is read as windows-1252",
       "<html><head><meta charset=iso-8859-1></head><body>" + cp1252_text, utf8_text},
      {"declaration after a long comment",
       "<!--" + std::string(2000, '-') + "--><meta charset=\"windows-1252\">" + cp1252_text,
       utf8_text},
      {"UTF-8 with a BOM", "\xEF\xBB\xBF<p>\xE2\x80\x9CQuoted\xE2\x80\x9D</p>",
       "\xE2\x80\x9CQuoted\xE2\x80\x9D"},
      {"UTF-8 that declares it", "<meta charset=\"utf-8\"><p>caf\xC3\xA9</p>", "caf\xC3\xA9"},
      {"UTF-8 mislabelled as windows-1252",
       "<meta charset=\"windows-1252\"><p>caf\xC3\xA9 \xE2\x80\x99</p>",
       "caf\xC3\xA9 \xE2\x80\x99"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule);
    const RawRecord record = parse(c.html);
    CHECK(record.body == c.body);
    CHECK(record.diagnostics.empty());
  }
}

TEST_CASE("HTML robustness: deep nesting and large pages", "[html]") {
  SECTION("5000 unclosed divs") {
    std::string html = "<html><body>";
    for (int i = 0; i < 5000; ++i) html += "<div>";
    html += "<p>Deep text.</p>";
    const RawRecord record = parse(html);
    CHECK(record.body == "Deep text.");
  }
  SECTION("20000 paragraphs") {
    std::string html = "<html><body><article>";
    for (int i = 0; i < 20000; ++i) html += "<p>Paragraph " + std::to_string(i) + ".</p>";
    html += "</article></body></html>";
    const RawRecord record = parse(html);
    CHECK(record.body.rfind("Paragraph 0.\nParagraph 1.\n", 0) == 0);
    CHECK(record.body.size() > 20000 * 12);
    CHECK(record.body.find("Paragraph 19999.") != std::string::npos);
  }
}

TEST_CASE("HTML parsing never writes to stderr", "[html]") {
  std::fflush(stderr);
  char path[] = "/tmp/dossier-html-stderr-XXXXXX";
  const int capture = mkstemp(path);
  REQUIRE(capture >= 0);
  const int saved = dup(2);
  REQUIRE(saved >= 0);
  REQUIRE(dup2(capture, 2) >= 0);
  const RawRecord record = parse(
      "<html><body><p>Broken <b><i>nesting</b></i> &bogus; <unknowntag x=>text</div>"
      "</table><![CDATA[x]]><p a=\"1\" a=\"2\">Dup attrs</body></html></html>");
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  const off_t size = lseek(capture, 0, SEEK_END);
  close(capture);
  unlink(path);
  CHECK(size == 0);
  CHECK(record.body.find("nesting") != std::string::npos);
}

namespace {

std::string nested(std::size_t depth, const std::string& open, const std::string& inner,
                   const std::string& close) {
  std::string out;
  out.reserve(depth * (open.size() + close.size()) + inner.size());
  for (std::size_t i = 0; i < depth; ++i) out += open;
  out += inner;
  for (std::size_t i = 0; i < depth; ++i) out += close;
  return out;
}

const char* const kArticleText =
    "<h1>Korea Talks Stall</h1><p>Negotiations stalled after two days of meetings that ended "
    "early, and both delegations blamed each other.</p>";

}  // namespace

// Regression: text() and add_people() recursed once per array level, so a headline or author
// wrapped in 100,000 brackets overflowed the stack.
TEST_CASE("HTML JSON-LD: deep nesting is ignored with a warning, never a crash", "[html]") {
  struct Case {
    const char* rule;
    std::string json;
    bool ignored;  // the block is rejected with a warning
    const char* title;
    const char* authors;
  };
  const std::size_t deep = 100000;
  const Case cases[] = {
      {"headline in 100,000 arrays",
       R"({"@type":"Article","headline":)" + nested(deep, "[", "\"x\"", "]") + "}", true,
       "Korea Talks Stall", ""},
      {"author in 100,000 arrays",
       R"({"@type":"Article","headline":"LD","author":)" + nested(deep, "[", "\"Ann Lee\"", "]") +
           "}",
       true, "Korea Talks Stall", ""},
      {"objects nested 100,000 deep",
       R"({"@type":"Article","headline":"LD","x":)" + nested(deep, "{\"a\":", "1", "}") + "}", true,
       "Korea Talks Stall", ""},
      {"unclosed arrays", R"({"@type":"Article","headline":)" + std::string(deep, '['), true,
       "Korea Talks Stall", ""},
      {"name of an entity nested deep",
       R"({"@type":"Article","headline":"LD","publisher":{"name":)" +
           nested(deep, "[", "\"P\"", "]") + "}}",
       true, "Korea Talks Stall", ""},
      {"brackets inside strings do not count",
       R"({"@type":"Article","headline":"LD )" + std::string(500, '[') + R"( \" )" +
           std::string(500, '{') + R"(","author":"Ann Lee"})",
       false, "", "Ann Lee"},
      {"moderate nesting is read",
       R"({"@graph":[{"@type":"Article","headline":[["LD"]],"author":[[{"name":"Ann Lee"}],)"
       R"([["Bo Chen"]]]}]})",
       false, "LD", "Ann Lee; Bo Chen"},
      {"nesting past the reader's limit yields nothing from that value",
       R"({"@type":"Article","headline":"LD","author":)" + nested(40, "[", "\"Ann Lee\"", "]") +
           "}",
       false, "LD", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule);
    const RawRecord record =
        parse(page("<title>Korea Talks Stall</title>" + ld(c.json), "", kArticleText));
    CHECK(record.body ==
          "Negotiations stalled after two days of meetings that ended early, and both delegations "
          "blamed each other.");
    CHECK(has_diagnostic(record, Diagnostic::Severity::kWarning, "nested deeper than") ==
          c.ignored);
    if (c.ignored) {
      CHECK(text(record.title) == c.title);
      CHECK(origin(record.title) == Origin::kHtmlElement);
    } else if (*c.title != '\0') {
      CHECK(text(record.title) == c.title);
    } else {
      CHECK_THAT(text(record.title), Catch::StartsWith("LD [[[["));
    }
    CHECK(field(record, "authors") == c.authors);
  }
}

TEST_CASE("HTML JSON-LD fixtures: deep nesting", "[html]") {
  for (const char* file : {"ld_deep_headline.html", "ld_deep_author.html"}) {
    CAPTURE(file);
    const RawRecord record = parse(read_fixture(file));
    CHECK(has_diagnostic(record, Diagnostic::Severity::kWarning, "nested deeper than"));
    CHECK(text(record.title) == "Sample Page About Deep Data");
    CHECK(record.body.find("invented sample text") != std::string::npos);
  }
}

// Regression: every skipped element before the title walked from the title <h1> to the root,
// so 20,000 navigation bars above a title nested 20,000 deep cost 400 million steps (seconds).
TEST_CASE("HTML robustness: furniture before a deeply nested title is linear", "[html]") {
  const std::size_t n = 20000;
  std::string html = "<html><head><title>Deep Title</title></head><body><article>";
  for (std::size_t i = 0; i < n; ++i) html += "<nav>x</nav>";
  for (std::size_t i = 0; i < n; ++i) html += "<div>";
  html += "<h1>Deep Title</h1><p>Text after the deeply nested title.</p>";
  for (std::size_t i = 0; i < n; ++i) html += "</div>";
  html += "</article></body></html>";
  const RawRecord record = parse(html);
  CHECK(record.body == "Text after the deeply nested title.");
  CHECK(text(record.title) == "Deep Title");
}

// Regression: dates and bylines in article-header furniture (<header>, class="date",
// "entry-meta", "post-meta", ...) were dropped with the furniture.
TEST_CASE("HTML visible metadata in title-block furniture", "[html]") {
  const std::string lede =
      "<p>Negotiations stalled after two days of meetings that ended early.</p>";
  struct Case {
    const char* rule;
    std::string html;
    const char* authors;
    Origin authors_origin;
    const char* date;
    Origin date_origin;
  };
  const Case cases[] = {
      {"class=date", page("", "", "<h1>T</h1><div class=\"date\">March 3, 2019</div>" + lede), "",
       Origin::kNone, "March 3, 2019", Origin::kHtmlElement},
      {"class=post-date",
       page("", "", "<h1>T</h1><div class=\"post-date\">March 3, 2019</div>" + lede), "",
       Origin::kNone, "March 3, 2019", Origin::kHtmlElement},
      {"class=published",
       page("", "", "<h1>T</h1><div class=\"published\">March 3, 2019</div>" + lede), "",
       Origin::kNone, "March 3, 2019", Origin::kHtmlElement},
      {"class=entry-meta",
       page("", "", "<h1>T</h1><div class=\"entry-meta\">March 3, 2019</div>" + lede), "",
       Origin::kNone, "March 3, 2019", Origin::kHtmlElement},
      {"an article <header> with byline and date lines",
       page("", "",
            "<header><h1>T</h1><p>By Ann Lee and Bo Chen</p><p>March 3, 2019</p></header>" + lede),
       "Ann Lee; Bo Chen", Origin::kByline, "March 3, 2019", Origin::kHtmlElement},
      {"byline and date in one line",
       page("", "",
            "<h1>T</h1><div class=\"entry-meta\">By Ann Lee and Bo Chen | March 3, 2019</div>" +
                lede),
       "Ann Lee; Bo Chen", Origin::kByline, "2019-03-03", Origin::kHtmlElement},
      {"date first, byline second",
       page("", "",
            "<h1>T</h1><p class=\"post-meta\">March 3, 2019 | By Ann Lee and Bo Chen</p>" + lede),
       "Ann Lee; Bo Chen", Origin::kByline, "2019-03-03", Origin::kHtmlElement},
      {"a labelled date",
       page("", "", "<h1>T</h1><div class=\"meta\">Published: Oct. 30, 2025</div>" + lede), "",
       Origin::kNone, "2025-10-30", Origin::kHtmlElement},
      {"a group byline is no author, its date still counts",
       page("", "",
            "<h1>T</h1><p class=\"post-meta\">March 3, 2019 | By 38 North Staff</p>" + lede),
       "", Origin::kNone, "2019-03-03", Origin::kHtmlElement},
      {"a kicker above the title",
       page("", "", "<div class=\"kicker\">July 2024</div><h1>T</h1>" + lede), "", Origin::kNone,
       "July 2024", Origin::kHtmlElement},
      {"prose in furniture is no date",
       page("", "",
            "<h1>T</h1><div class=\"meta\">The talks of March 3, 2019 ended in failure for "
            "everyone involved.</div>" +
                lede),
       "", Origin::kNone, "", Origin::kNone},
      {"meta tags win",
       page("<meta name=\"author\" content=\"Cy Dunn\">"
            "<meta property=\"article:published_time\" content=\"2020-01-01\">",
            "", "<header><h1>T</h1><p>By Ann Lee</p><p>March 3, 2019</p></header>" + lede),
       "Cy Dunn", Origin::kMetaTag, "2020-01-01", Origin::kMetaTag},
      {"JSON-LD wins",
       page(ld(R"({"@type":"Article","author":"Cy Dunn","datePublished":"2020-01-01"})"), "",
            "<header><h1>T</h1><p>By Ann Lee</p><p>March 3, 2019</p></header>" + lede),
       "Cy Dunn", Origin::kJsonLd, "2020-01-01", Origin::kJsonLd},
      {"a <time> element wins",
       page("", "",
            "<h1>T</h1><div class=\"date\">March 3, 2019</div>"
            "<p><time datetime=\"2019-03-04\">Monday</time></p>" +
                lede),
       "", Origin::kNone, "2019-03-04", Origin::kHtmlElement},
      {"a byline element wins",
       page("", "",
            "<h1>T</h1><div class=\"meta\">By Ann Lee</div><div class=\"byline\">By Bo Chen</div>" +
                lede),
       "Bo Chen", Origin::kByline, "", Origin::kNone},
      {"furniture in related cards says nothing",
       page("", "<aside class=\"related\"><div class=\"date\">May 1, 2001</div></aside>",
            "<h1>T</h1>" + lede),
       "", Origin::kNone, "", Origin::kNone},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule, c.html);
    const RawRecord record = parse(c.html);
    CHECK(record.body == "Negotiations stalled after two days of meetings that ended early.");
    CHECK(field(record, "authors") == c.authors);
    CHECK(origin(record.authors) == c.authors_origin);
    CHECK(text(record.date) == c.date);
    CHECK(origin(record.date) == c.date_origin);
    check_layout(record);
  }
}

TEST_CASE("HTML fixture: a post-meta line gives the date, not the body", "[html]") {
  const RawRecord record = parse(read_fixture("post_meta_date.html"));
  CHECK(text(record.title) == "Harbour Talks Stall");
  CHECK(text(record.date) == "2019-03-03");
  CHECK(list(record.authors).empty());
  CHECK(record.body.find("March 3") == std::string::npos);
  CHECK_THAT(record.body, Catch::StartsWith("Negotiations over the harbour"));
  const RawRecord header = parse(read_fixture("header_byline_date.html"));
  CHECK(list(header.authors) == std::vector<std::string>{"Ann Lee", "Bo Chen"});
  CHECK(text(header.date) == "March 3, 2019");
  CHECK(header.body.find("Ann Lee") == std::string::npos);
}

// U+0000 is never display text, whether it comes from a character reference, a raw byte deep in
// the file or a JSON-LD escape; other C0 controls are invisible too.
TEST_CASE("HTML text never holds NUL or other C0 controls", "[html]") {
  struct Case {
    const char* rule;
    std::string html;
    std::string body;
    std::string title;
  };
  const Case cases[] = {
      {"&#0;", doc("<p>Nul&#0;l here.</p>"), "Null here.", "Doc"},
      {"&#x0; and &#1;", doc("<p>A&#x0;B&#1;C</p>"), "ABC", "Doc"},
      {"a raw NUL byte", doc(std::string("<p>Raw\0byte.</p>", 16)), "Raw byte.",
       "Doc"},  // libxml2 reads NUL as a space
      {"a raw control byte", doc("<p>Bell\x07 and\x1B escape.</p>"), "Bell and escape.", "Doc"},
      {"a JSON-LD \\u0000 escape",
       "<html><head>" + ld(R"({"@type":"Article","headline":"Head\u0000line"})") +
           "</head><body><p>Body text.</p></body></html>",
       "Body text.", "Headline"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule);
    const RawRecord record = parse(c.html);
    CHECK(record.body == c.body);
    CHECK(text(record.title) == c.title);
    CHECK(record.body.find('\0') == std::string::npos);
  }
}

TEST_CASE("HTML charset: a declaration that cannot read ASCII is ignored", "[html]") {
  struct Case {
    const char* rule;
    std::string html;
    std::string body;
  };
  const Case cases[] = {
      {"EBCDIC",
       "<html><head><meta charset=\"cp037\"><title>T</title></head><body><article>"
       "<p>hello world text</p></article></body></html>",
       "hello world text"},
      {"UTF-7", "<html><head><meta charset=\"utf-7\"></head><body><p>C++ &amp; Rust</p>",
       "C++ & Rust"},
      {"EBCDIC with UTF-8 text", "<meta charset=\"ibm-1047\"><p>caf\xC3\xA9</p>", "caf\xC3\xA9"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule);
    const RawRecord record = parse(c.html);
    CHECK(record.body == c.body);
    CHECK(record.diagnostics.empty());
  }
}

// One stray byte no longer turns a UTF-8 page into mojibake; the replacement is reported.
TEST_CASE("HTML charset: a mostly-UTF-8 page is read as UTF-8 with a warning", "[html]") {
  const RawRecord record = parse(
      "<meta charset=\"utf-8\"><title>The Minister\xE2\x80\x99s Tour</title>"
      "<p>\xE2\x80\x9CHistoric\xE2\x80\x9D, said caf\xC3\xA9 owners.\xA0 End.</p>");
  CHECK(text(record.title) == "The Minister\xE2\x80\x99s Tour");
  CHECK(record.body ==
        "\xE2\x80\x9CHistoric\xE2\x80\x9D, said caf\xC3\xA9 owners.\xEF\xBF\xBD End.");
  CHECK(has_diagnostic(record, Diagnostic::Severity::kWarning, "1 invalid byte replaced"));
}

namespace {

std::string read_ingestfix(const char* name) {
  const auto path = std::filesystem::path(DOSSIER_TEST_DATA) / "ingestfix" / name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// `text` as UTF-32 with its byte order mark.
std::string utf32_with_bom(std::u32string_view text, bool little_endian) {
  std::string out = little_endian ? std::string("\xFF\xFE\0\0", 4) : std::string("\0\0\xFE\xFF", 4);
  for (const char32_t c : text) {
    const auto v = static_cast<std::uint32_t>(c);
    for (int i = 0; i < 4; ++i) {
      const int shift = little_endian ? 8 * i : 8 * (3 - i);
      out += static_cast<char>((v >> shift) & 0xFFU);
    }
  }
  return out;
}

}  // namespace

// Regression: a typo in a page's meta charset rejected the page ("declared encoding
// 'windwos-1252' is unknown") instead of falling back to detection.
TEST_CASE("HTML charset: an unknown declared charset is ignored with a warning", "[html]") {
  struct Case {
    const char* rule;
    std::string html;
    std::string body;
    std::string warning;
  };
  const std::string cp1252_text = "<p>\x93Quoted\x94 caf\xE9 \x96 it\x92s</p>";
  const std::string utf8_text =
      "\xE2\x80\x9CQuoted\xE2\x80\x9D caf\xC3\xA9 \xE2\x80\x93 it\xE2\x80\x99s";
  const Case cases[] = {
      {"UTF-8 under a UTF-8 typo",
       "<html><head><meta charset=\"utf-8x\"></head><body>" + std::string("<p>") + utf8_text +
           "</p>",
       utf8_text, "unknown charset 'utf-8x' declared: detected UTF-8"},
      {"windows-1252 under a UTF-8 typo",
       "<html><head><meta charset=\"utf-8x\"></head><body>" + cp1252_text, utf8_text,
       "unknown charset 'utf-8x' declared: detected windows-1252"},
      {"windows-1252 under a windows-1252 typo",
       "<html><head><meta charset=\"windwos-1252\"></head><body>" + cp1252_text, utf8_text,
       "unknown charset 'windwos-1252' declared: detected windows-1252"},
      {"UTF-8 under a windows-1252 typo",
       "<html><head><meta charset=\"windwos-1252\"></head><body><p>" + utf8_text + "</p>",
       utf8_text, "unknown charset 'windwos-1252' declared: detected UTF-8"},
      {"windows-1252 under a Latin-1 typo, http-equiv",
       "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1x\">"
       "</head><body>" +
           cp1252_text,
       utf8_text, "unknown charset 'iso-8859-1x' declared: detected windows-1252"},
      {"an ASCII page", "<meta charset='latin-9x'><p>Plain words.</p>", "Plain words.",
       "unknown charset 'latin-9x' declared: detected UTF-8"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule);
    const RawRecord record = parse(c.html, "typo.html");
    CHECK(record.body == c.body);
    REQUIRE(record.diagnostics.size() == 1);
    CHECK(record.diagnostics[0].severity == Diagnostic::Severity::kWarning);
    CHECK(record.diagnostics[0].path == "typo.html");
    CHECK(record.diagnostics[0].message == c.warning);
  }

  // Damaged UTF-8 under an unknown label: both facts are reported.
  const RawRecord damaged = parse(
      "<meta charset=\"utf-8x\"><p>\xE2\x80\x9CHistoric\xE2\x80\x9D, said caf\xC3\xA9 "
      "owners\xE2\x80\x99 guild.\xA0 End.</p>");
  CHECK(damaged.body ==
        "\xE2\x80\x9CHistoric\xE2\x80\x9D, said caf\xC3\xA9 owners\xE2\x80\x99 "
        "guild.\xEF\xBF\xBD End.");
  CHECK(has_diagnostic(damaged, Diagnostic::Severity::kWarning,
                       "unknown charset 'utf-8x' declared: detected UTF-8 (1 invalid byte "
                       "replaced)"));
  CHECK(has_diagnostic(damaged, Diagnostic::Severity::kWarning, "not valid UTF-8"));
  CHECK_FALSE(has_diagnostic(damaged, Diagnostic::Severity::kError, ""));
}

TEST_CASE("HTML fixture: a windows-1252 page under a misspelt charset", "[html]") {
  const RawRecord record = parse(read_ingestfix("unknown_charset_1252.html"), "typo.html");
  CHECK(text(record.title) == "Caf\u00e9 Diplomacy in Z\u00fcrich");
  CHECK(record.body ==
        "Mar\u00eda S\u00e1nchez argues that \u201cquiet talks\u201d over coffee \u2014 not "
        "summits \u2014 moved the negotiations forward.\n"
        "The delegations met for \u20ac5 espressos, she notes, and no one\u2019s schedule "
        "suffered.");
  CHECK(text(record.url) == "https://www.policyforum.example/research/cafe-diplomacy");
  CHECK(origin(record.url) == Origin::kHtmlElement);
  REQUIRE(record.diagnostics.size() == 1);
  CHECK(record.diagnostics[0].severity == Diagnostic::Severity::kWarning);
  CHECK(record.diagnostics[0].message ==
        "unknown charset 'windwos-1252' declared: detected windows-1252");
  check_layout(record);
}

// Regression: a UTF-32LE page (BOM FF FE 00 00) was read as UTF-16LE, a UTF-32BE one rejected.
TEST_CASE("HTML charset: UTF-32 pages with a byte order mark", "[html]") {
  const std::u32string page_text =
      U"<html><head><meta charset=\"utf-8\"><title>S\u00e1nchez \u2014 \u5317\u4eac</title>"
      U"</head><body><article><p>S\u00e1nchez \u2014 \u5317\u4eac talks.</p></article></body>"
      U"</html>";
  for (const bool little_endian : {true, false}) {
    CAPTURE(little_endian);
    const RawRecord record = parse(utf32_with_bom(page_text, little_endian));
    CHECK(text(record.title) == "S\u00e1nchez \u2014 \u5317\u4eac");
    CHECK(record.body == "S\u00e1nchez \u2014 \u5317\u4eac talks.");
    CHECK(record.diagnostics.empty());
  }
}

// RFC 3986 section 5.4's examples (base http://a/b/c/d;p?q), fragments dropped, and the forms
// saved pages use. Only http(s) results are URLs.
TEST_CASE("HTML url: a relative canonical resolves against <base href>", "[html]") {
  struct Case {
    const char* base;
    const char* href;
    const char* expected;
  };
  const char* rfc = "http://a/b/c/d;p?q";
  const char* site = "https://www.think.example/research/2024/report.html?page=2#top";
  const Case cases[] = {
      // RFC 3986 5.4.1, normal examples.
      {rfc, "g", "http://a/b/c/g"},
      {rfc, "./g", "http://a/b/c/g"},
      {rfc, "g/", "http://a/b/c/g/"},
      {rfc, "/g", "http://a/g"},
      {rfc, "//g", "http://g"},
      {rfc, "?y", "http://a/b/c/d;p?y"},
      {rfc, "g?y", "http://a/b/c/g?y"},
      {rfc, "#s", "http://a/b/c/d;p?q"},
      {rfc, "g#s", "http://a/b/c/g"},
      {rfc, "g?y#s", "http://a/b/c/g?y"},
      {rfc, ";x", "http://a/b/c/;x"},
      {rfc, "g;x", "http://a/b/c/g;x"},
      {rfc, "g;x?y#s", "http://a/b/c/g;x?y"},
      {rfc, ".", "http://a/b/c/"},
      {rfc, "./", "http://a/b/c/"},
      {rfc, "..", "http://a/b/"},
      {rfc, "../", "http://a/b/"},
      {rfc, "../g", "http://a/b/g"},
      {rfc, "../..", "http://a/"},
      {rfc, "../../", "http://a/"},
      {rfc, "../../g", "http://a/g"},
      // RFC 3986 5.4.2, abnormal examples.
      {rfc, "../../../g", "http://a/g"},
      {rfc, "../../../../g", "http://a/g"},
      {rfc, "/./g", "http://a/g"},
      {rfc, "/../g", "http://a/g"},
      {rfc, "g.", "http://a/b/c/g."},
      {rfc, ".g", "http://a/b/c/.g"},
      {rfc, "g..", "http://a/b/c/g.."},
      {rfc, "..g", "http://a/b/c/..g"},
      {rfc, "./../g", "http://a/b/g"},
      {rfc, "./g/.", "http://a/b/c/g/"},
      {rfc, "g/./h", "http://a/b/c/g/h"},
      {rfc, "g/../h", "http://a/b/c/h"},
      {rfc, "g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {rfc, "g;x=1/../y", "http://a/b/c/y"},
      {rfc, "g?y/./x", "http://a/b/c/g?y/./x"},
      {rfc, "g?y/../x", "http://a/b/c/g?y/../x"},
      {rfc, "g#s/./x", "http://a/b/c/g"},
      {rfc, "http:g", ""},  // scheme given: not resolved, and not an http URL
      // A think tank's page.
      {site, "/research/x", "https://www.think.example/research/x"},
      {site, "x", "https://www.think.example/research/2024/x"},
      {site, "a/b", "https://www.think.example/research/2024/a/b"},
      {site, "../a", "https://www.think.example/research/a"},
      {site, "//cdn.think.example/p/q", "https://cdn.think.example/p/q"},
      {site, "?page=3", "https://www.think.example/research/2024/report.html?page=3"},
      {site, "#comments", "https://www.think.example/research/2024/report.html?page=2"},
      {site, "/a/./b/../c#frag", "https://www.think.example/a/c"},
      {site, "https://other.example/y", "https://other.example/y"},
      {site, "mailto:press@think.example", ""},
      {site, "javascript:void(0)", ""},
      {"https://www.think.example", "x", "https://www.think.example/x"},  // empty base path
      {"https://www.think.example?a", "?b", "https://www.think.example?b"},
      {"HTTPS://www.think.example/d/", "x", "https://www.think.example/d/x"},
      {"https://user@www.think.example:8443/d/e", "../x", "https://user@www.think.example:8443/x"},
      // No usable base: a relative canonical says nothing.
      {"", "/research/x", ""},
      {"/relative/base/", "/research/x", ""},
      {"ftp://files.think.example/d/", "x", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.base, c.href);
    const std::string base = *c.base == '\0' ? "" : "<base href=\"" + std::string(c.base) + "\">";
    const RawRecord record =
        parse(page(base + "<link rel=\"canonical\" href=\"" + std::string(c.href) + "\">"));
    CHECK(text(record.url) == c.expected);
    CHECK(origin(record.url) == (*c.expected == '\0' ? Origin::kNone : Origin::kHtmlElement));
  }
}

TEST_CASE("HTML url: the base for relative links, and precedence kept", "[html]") {
  const std::string canonical = "<link rel=\"canonical\" href=\"/research/x\">";
  const std::string citation =
      "<meta name=\"citation_public_url\" content=\"https://a.example/pub/1/full\">";
  const MetaCase cases[] = {
      {"<base href> with a root-relative canonical",
       page("<base href=\"https://a.example/en/\">" + canonical), "url",
       "https://a.example/research/x", Origin::kHtmlElement},
      {"no base at all: the relative canonical is ignored", page(canonical), "url", "",
       Origin::kNone},
      {"a relative og:url is ignored without a base",
       page("<meta property=\"og:url\" content=\"/research/og\">"), "url", "", Origin::kNone},
      {"a relative og:url with <base href>",
       page("<base href=\"https://a.example/en/\"><meta property=\"og:url\" content=\"og\">"),
       "url", "https://a.example/en/og", Origin::kMetaTag},
      {"an absolute citation_public_url beats a relative canonical", page(citation + canonical),
       "url", "https://a.example/pub/1/full", Origin::kMetaTag},
      {"path-relative against the base's directory",
       page("<base href=\"https://a.example/pub/1/full\"><link rel=\"canonical\" href=\"x\">"),
       "url", "https://a.example/pub/1/x", Origin::kHtmlElement},
      {"any absolute URL of the page beats a relative one, even with <base href>",
       page(citation + "<base href=\"https://b.example/\">" + canonical), "url",
       "https://a.example/pub/1/full", Origin::kMetaTag},
      {"a relative <base href> is no base",
       page("<base href=\"/en/\"><link rel=\"canonical\" href=\"x\">"), "url", "", Origin::kNone},
      // Review findings: a DOI is no base, and a host name without a scheme is no path.
      {"a DOI in dc.identifier is not a base for a relative canonical",
       page("<meta name=\"dc.identifier\" content=\"https://doi.org/10.1234/abc\">" + canonical),
       "url", "https://doi.org/10.1234/abc", Origin::kMetaTag},
      {"a schemeless og:url does not beat an absolute canonical",
       page("<meta property=\"og:url\" content=\"www.think.example/research/x\">"
            "<link rel=\"canonical\" href=\"https://www.think.example/research/x\">"),
       "url", "https://www.think.example/research/x", Origin::kHtmlElement},
      {"a schemeless og:url is not resolved as a path",
       page("<base href=\"https://a.example/en/\"><meta property=\"og:url\" "
            "content=\"www.think.example/research/x\">"),
       "url", "", Origin::kNone},
      {"a file name with a dot is a path",
       page("<base href=\"https://a.example/en/\"><link rel=\"canonical\" href=\"report.html\">"),
       "url", "https://a.example/en/report.html", Origin::kHtmlElement},
      {"the first <base href> counts",
       page("<base target=\"_blank\"><base href=\"https://a.example/\">"
            "<base href=\"https://b.example/\">" +
            canonical),
       "url", "https://a.example/research/x", Origin::kHtmlElement},
      // Precedence as before: JSON-LD url, og:url, canonical, then citation/DC URLs.
      {"an absolute og:url still beats a relative canonical",
       page("<base href=\"https://a.example/\"><meta property=\"og:url\" "
            "content=\"https://a.example/og\">" +
            canonical),
       "url", "https://a.example/og", Origin::kMetaTag},
      {"a JSON-LD url is a base but wins itself",
       page(ld(R"({"@type":"Article","url":"https://a.example/ld/page"})") + canonical), "url",
       "https://a.example/ld/page", Origin::kJsonLd},
      {"an absolute canonical still beats citation_public_url",
       page(citation + "<link rel=\"canonical\" href=\"https://a.example/c\">"), "url",
       "https://a.example/c", Origin::kHtmlElement},
      {"an absolute canonical beats a relative og:url",
       page("<meta property=\"og:url\" content=\"/og\">"
            "<link rel=\"canonical\" href=\"https://a.example/c/d\">"),
       "url", "https://a.example/c/d", Origin::kHtmlElement},
      {"a relative JSON-LD url stays ignored",
       page("<base href=\"https://a.example/\">" + ld(R"({"@type":"Article","url":"/ld"})")), "url",
       "", Origin::kNone},
      {"dc.identifier is never resolved (a DOI is not a path)",
       page("<base href=\"https://a.example/\"><meta name=\"dc.identifier\" "
            "content=\"10.1234/abc\">"),
       "url", "", Origin::kNone},
  };
  for (const MetaCase& c : cases) {
    CAPTURE(c.rule, c.html);
    const RawRecord record = parse(c.html);
    CHECK(field(record, c.field) == c.expected);
    CHECK(field_origin(record, c.field) == c.origin);
    CHECK_FALSE(has_diagnostic(record, Diagnostic::Severity::kError, ""));
  }
}
