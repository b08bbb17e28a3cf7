// The article model: plain value types for one piece of commentary and its signed sections.
#pragma once

#include <dossier/export.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dossier {

/// A calendar date that keeps its precision: "2025" is a year, not 1 January 2025.
/// Thread safety: a value type.
struct Date {
  /// How much of the date is known.
  enum class Precision { kNone, kYear, kMonth, kDay };

  int year = 0;   ///< 1..9999 when precision is at least kYear.
  int month = 0;  ///< 1..12 when precision is at least kMonth, else 0.
  int day = 0;    ///< 1..31 (valid for the month) when precision is kDay, else 0.
  Precision precision = Precision::kNone;  ///< Default: no date.

  /// True when no date is known.
  [[nodiscard]] bool empty() const noexcept { return precision == Precision::kNone; }
  /// ISO 8601 at its precision: "2025", "2025-10", "2025-10-30", or "" when empty.
  [[nodiscard]] DOSSIER_EXPORT std::string iso() const;
  /// Sortable number YYYYMMDD, unknown parts as 00 ("2025" -> 20250000); 0 when empty.
  [[nodiscard]] DOSSIER_EXPORT int yyyymmdd() const noexcept;

  friend bool operator==(const Date&, const Date&) = default;
};

/// Where a metadata value came from, so that `--inspect` can explain every field.
enum class Origin {
  kNone,           ///< Not set.
  kSidecar,        ///< NAME.meta.yaml / NAME.meta.json beside the file.
  kFrontMatter,    ///< YAML front matter of a Markdown file.
  kJsonField,      ///< A field of a JSON Lines record.
  kJsonLd,         ///< schema.org JSON-LD in an HTML page.
  kMetaTag,        ///< An HTML <meta> element.
  kHtmlElement,    ///< Visible HTML structure: <title>, <h1>, <time datetime>.
  kByline,         ///< A visible byline ("By A and B", "Commentary from A, B, and C").
  kTextHeuristic,  ///< Text layout: first line as title, a date line near the top.
  kConfiguration,  ///< corpus/dossier.yaml defaults and aliases.
  kFileName,       ///< The file name (a last-resort title, or a date in the name).
  kDerived,        ///< Computed: ids from url or path, detected language.
};

/// Stable lower-case name of an origin ("sidecar", "json-ld", "meta-tag", ...). Never throws.
DOSSIER_EXPORT std::string_view to_string(Origin origin) noexcept;

/// A problem found while reading input. Never fatal for a batch: the file is skipped (error) or
/// read with a fallback (warning). Thread safety: a value type.
struct Diagnostic {
  /// kWarning: the article was kept; kError: the file or record was rejected.
  enum class Severity { kWarning, kError };

  Severity severity = Severity::kWarning;
  std::string path;      ///< The input file.
  std::size_t line = 0;  ///< 1-based line where known (JSON Lines record, front matter), else 0.
  std::string message;   ///< What and why, one line.

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

/// A part of an article with its own heading and, often, its own signature ("- By Neil Thomas").
/// Thread safety: a value type.
struct Section {
  std::string heading;               ///< Display heading; "" for untitled text before a heading.
  std::vector<std::string> authors;  ///< Its own byline if it has one, else the article's authors.
  bool signed_section = false;       ///< True when `authors` came from a byline of this section.
  std::size_t begin = 0;             ///< Byte offset of the section text in Article::body.
  std::size_t end = 0;               ///< One past the last byte of the section text.

  friend bool operator==(const Section&, const Section&) = default;
};

/// One article, normalised. Text fields are valid NFC UTF-8. `body` is the searchable text as it
/// should be displayed (typographic quotes kept), without boilerplate; sections partition it.
/// Thread safety: a value type.
struct Article {
  std::string id;                    ///< Stable identity: metadata id, else url, else path.
  std::string title;                 ///< Never empty after ingest (falls back to the file name).
  std::string summary;               ///< Abstract or description; may be empty.
  std::string organisation;          ///< Canonical organisation name; may be empty.
  std::vector<std::string> authors;  ///< Canonical display names, in byline order, no repeats.
  Date date;                         ///< Publication date with its precision; may be empty.
  std::vector<std::string> topics;   ///< Topic names from metadata (taxonomy topics come later).
  std::string type;                  ///< commentary, report, op-ed, testimony, transcript, ...
  std::string language = "en";       ///< BCP 47 tag; selects the stemmer.
  std::string url;                   ///< Canonical URL where known.
  std::string source_path;           ///< The input file, as given to the ingester.
  std::size_t source_line = 0;       ///< 1-based record line for JSON Lines input, else 0.
  std::string body;                  ///< The searchable text.
  std::vector<Section> sections;     ///< In text order; byte ranges into `body`.
  std::map<std::string, Origin> origins;  ///< Field name ("title", "date", ...) -> where from.
  std::vector<Diagnostic> diagnostics;    ///< Warnings about this article.

  friend bool operator==(const Article&, const Article&) = default;
};

/// The text of `section`, a view into `article.body` (empty if the range is out of bounds).
DOSSIER_EXPORT std::string_view section_text(const Article& article,
                                             const Section& section) noexcept;

/// The key Dossier compares authors by (see fold_key): "WENDY CUTLER" and "Wendy  Cutler" meet.
DOSSIER_EXPORT std::string author_key(std::string_view name);

}  // namespace dossier
