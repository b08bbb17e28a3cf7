// dossier-search's printers: SearchResults as text for people (colour on a terminal, bar-chart
// timelines), JSON / JSON Lines for scripts (docs/output-schema.md), CSV, BibTeX and RIS for
// citing. Pure functions of their inputs: no environment, no terminal queries.
#pragma once

#include <dossier/search.hpp>

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace dossier::cli {

/// Version of the JSON output schema (docs/output-schema.md). Bump on incompatible changes.
inline constexpr int kOutputFormatVersion = 1;

enum class Format { kText, kJson, kJsonl, kCsv, kBibtex, kRis };

/// Parses "text", "json", "jsonl", "csv", "bibtex", "ris"; false for anything else.
bool parse_format(std::string_view name, Format& format);

/// How to print. Decided by the caller (main.cpp reads the terminal and NO_COLOR).
struct RenderOptions {
  bool color = false;       ///< ANSI bold + colour for highlights and headings (text only).
  bool explain = false;     ///< Print the query description and per-hit term weights.
  bool count_only = false;  ///< Print only the number of matches (exact or estimate+bounds).
  std::size_t width = 80;   ///< Terminal width for wrapping snippets and bar charts (text).
  std::string db;           ///< Index path, echoed in JSON ("index").
};

/// The whole result as the JSON object of docs/output-schema.md: format_version, index
/// (options.db, null when empty), query (the
/// request's text and filters), total {estimate, lower, upper, exact}, hits (id, rank, score,
/// percent, then every stored field of dossier::schema_fields() under its record name: title,
/// authors, org, date, type, topics, language, url, path, line, summary; then section {index,
/// count, heading, authors, signed}, snippets [{text, highlights: [[b, e]...], html}] where html
/// escapes the text and wraps highlights in <mark>, explanation when options.explain), facets
/// {field: [{value, count}...]} (+ facet_info {field: {distinct, missing}}), timeline {unit,
/// buckets: [{period, count}...], undated} or null, suggestion (string or null), corrected,
/// warnings [..], query_description, browse.
nlohmann::ordered_json to_json(const SearchRequest& request, const SearchResults& results,
                               const RenderOptions& options);

/// Prints `results` in `format`:
/// - kText: a header line (total; "about N" when not exact), warnings and "Did you mean",
///   then per hit: rank, title, date · org · authors, the matched section's heading/authors
///   when the article has several sections, snippets with highlights (ANSI bold yellow when
///   color, else **word** markers), url or path; then facets as aligned tables and the timeline
///   as a horizontal bar chart (one line per period, bars scaled to width).
/// - kJson: to_json pretty-printed (2 spaces). kJsonl: to_json on one line.
/// - kCsv: RFC 4180 with LF line ends, header rank,score,id,date,org,authors,title,url,path,snippet
///   (authors joined with "; ", snippet = passages joined with " … ", no markers). Every cell
///   but rank and score that starts with = + - @ TAB or CR gets a leading ' so spreadsheets do
///   not run it as a formula (OWASP CSV injection; docs/output-schema.md).
/// - kBibtex: one @article / @techreport / @misc per hit (by type) with a stable key
///   (first author's surname + year + first title word other than a/an/the, ASCII-folded;
///   a, b, c... appended on collisions), title, author (" and "), year, month, date, org as
///   journal / institution / organization, url, note with the path when no url, keywords,
///   language; braces and special characters escaped.
/// - kRis: TY (ELEC/RPRT/GEN by type), TI, AU per author ("Family, Given"), PY, DA, PB (org),
///   UR, L1 (path), KW per topic, LA, AB (summary), ER; CRLF-free, one blank line between
///   records.
/// - count_only: "N" or "about N (between L and U)" in every format but json/jsonl, which print
///   {"format_version", "total"}.
void render(std::ostream& out, const SearchRequest& request, const SearchResults& results,
            Format format, const RenderOptions& options);

}  // namespace dossier::cli
