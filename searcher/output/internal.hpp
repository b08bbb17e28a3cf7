// What do dossier-search's printers (searcher/output.cpp, searcher/output/*.cpp) share? UTF-8,
// highlight and formatting helpers, the parts of a citation, and one entry point per format.
#pragma once

#include "output.hpp"

#include <dossier/search.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// Internal to dossier-search's printers.
namespace dossier::cli::detail {

using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------
// Shared helpers: output/helpers.cpp.

// UTF-8 helpers. Printers get text that the library promises is valid UTF-8, but highlight
// offsets and stored fields come from documents: every function here survives bad input.

bool is_continuation(char c);
bool is_space(char c);

// Length of the well-formed code point at s[i], or 0 when the byte there starts none.
std::size_t code_point_length(std::string_view s, std::size_t i);

// Bytes to the next code point: a malformed byte counts as one (shown as U+FFFD).
std::size_t step(std::string_view s, std::size_t i);

// A field on one line for formats that are line-based (RIS) or whose readers dislike embedded
// newlines: white space runs collapsed, ends trimmed; other bytes kept.
std::string one_line(std::string_view s);

// Highlights as the printers use them: within the text, on code point boundaries, sorted,
// overlapping or touching ranges merged, empty ones dropped. Offsets come from the library but
// a bad one must never split a UTF-8 sequence in the output.
std::vector<Highlight> clean_highlights(std::string_view text, const std::vector<Highlight>& in);

// Shortest text that reads back as the same double ("12.5", "0.1"); locale-independent.
std::string format_double(double value);

std::string join(const std::vector<std::string>& items, std::string_view separator);

std::string_view unit_name(TimelineUnit unit);

// ---------------------------------------------------------------------------------------------
// What BibTeX and RIS both need: output/citations.cpp.

enum class CitationKind { kArticle, kReport, kOther };

// Think-tank document types as citation types: published commentary is cited like an article,
// reports and papers like technical reports, everything else (testimony, transcripts, ...) as
// miscellany.
CitationKind citation_kind(std::string_view type);

// A stored date ("2025-10-30", "2025-10", "2025") in parts; a part is empty when absent or
// malformed.
struct DateParts {
  std::string year;
  std::string month;  // "01".."12" or ""
  std::string day;
};
DateParts split_date(std::string_view date);

// The words of `s` between white space, as views into `s`.
std::vector<std::string_view> words_of(std::string_view s);

// A display name split into given names, family name (with lower-case particles: "von der
// Leyen") and suffix. "Sánchez, María" is taken as already inverted.
struct NameParts {
  std::string given;
  std::string family;
  std::string suffix;
};
NameParts split_name(std::string_view name);

// ---------------------------------------------------------------------------------------------
// One printer per format (output/text.cpp, json.cpp, csv.cpp, bibtex.cpp, ris.cpp); render()
// in output.cpp chooses.

std::string print_text(const SearchRequest& request, const SearchResults& results,
                       const RenderOptions& options);

Json total_json(const Total& total);
// Invalid UTF-8 in a stored field must not abort a whole result page: replace it with U+FFFD.
std::string dump(const Json& j, int indent);

std::string print_csv(const SearchResults& results);

std::string print_bibtex(const SearchResults& results);

std::string print_ris(const SearchResults& results);

}  // namespace dossier::cli::detail
