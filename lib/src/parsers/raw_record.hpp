// RawRecord: what a format parser extracts from one input, before metadata normalisation.
#pragma once

#include <dossier/article.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dossier::detail {

/// A value and where it came from.
template <class T>
struct Sourced {
  T value{};
  Origin origin = Origin::kNone;
};

/// A section as a parser sees it. `authors` holds names from the section's own byline, already
/// split into one name per entry but not yet cleaned; empty means "inherits the article's".
struct RawSection {
  std::string heading;
  std::vector<std::string> authors;
  std::size_t begin = 0;  ///< Byte offset in RawRecord::body.
  std::size_t end = 0;    ///< One past the end.
};

/// Metadata as found in the input: strings exactly as written (dates unparsed, author names
/// uncleaned), each with its origin. Normalisation (ingest/normalise.cpp) turns this into an
/// Article: cleans and dedupes authors, parses dates, applies aliases, sidecars and defaults.
struct RawRecord {
  std::optional<Sourced<std::string>> id;
  std::optional<Sourced<std::string>> title;
  std::optional<Sourced<std::string>> summary;
  std::optional<Sourced<std::string>> organisation;
  std::optional<Sourced<std::string>> date;  ///< Unparsed, e.g. "Oct. 30, 2025".
  std::optional<Sourced<std::string>> type;
  std::optional<Sourced<std::string>> language;
  std::optional<Sourced<std::string>> url;
  std::optional<Sourced<std::vector<std::string>>> authors;  ///< One name per entry, uncleaned.
  std::optional<Sourced<std::vector<std::string>>> topics;

  std::string body;                  ///< Valid UTF-8 display text, boilerplate removed.
  std::vector<RawSection> sections;  ///< In text order, ranges into `body`.
  std::size_t line = 0;              ///< 1-based record line (JSON Lines), else 0.
  std::vector<Diagnostic> diagnostics;

  /// Sets `field` unless it already holds a non-empty value: parsers call this in their own
  /// order of preference, most trusted source first.
  template <class T>
  static void offer(std::optional<Sourced<T>>& field, T value, Origin origin) {
    if (field && !field->value.empty()) return;
    if (value.empty()) return;
    field = Sourced<T>{std::move(value), origin};
  }
};

}  // namespace dossier::detail
