// What both the writer and the readers must agree on in each section document, besides the
// schema table: over-long terms shortened the same way, multi-valued value slots, and the stored
// data (a line of JSON, then the section text). docs/index-format.md describes the format.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// `prefix` + `value`, shortened to fit Xapian's term length limit: values longer than 200
/// bytes keep their first 180 bytes plus '#' and a 64-bit hash of the whole value.
std::string bounded_term(std::string_view prefix, std::string_view value);

/// Joins facet values for a multi-valued value slot (separator U+001F) and splits them back.
std::string join_values(const std::vector<std::string>& values);
std::vector<std::string> split_values(std::string_view joined);

/// A section document's stored data: the record as one line of JSON (everything the searcher
/// prints), a newline, then the section's text verbatim, so that readers parse only the small
/// JSON part and take the text as is (docs/index-format.md).
struct StoredData {
  std::string_view json;
  std::string_view text;
};
StoredData split_stored(std::string_view data) noexcept;

}  // namespace dossier::detail
