// What does a result look like in a spreadsheet? RFC 4180 CSV, one row per hit, with text cells
// defused against formula injection.
#include "output/internal.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::cli::detail {
namespace {

// Whether a spreadsheet (Excel, LibreOffice, Google Sheets) would read a cell starting with `c`
// as a formula: OWASP "CSV Injection" lists = + - @ TAB and CR.
constexpr bool starts_formula(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// How a CSV column is written: numbers Dossier formats itself stay numbers; text that may come
// from a (hostile) document is defused against formula injection.
enum class CsvCell { kNumber, kText };

// One RFC 4180 field. A kText field starting with a formula character gets a leading ' (OWASP's
// advice: spreadsheets show the value as text and hide the quote), then the usual quoting.
void append_csv_field(std::string& out, std::string_view field, CsvCell cell) {
  const bool defuse = cell == CsvCell::kText && !field.empty() && starts_formula(field.front());
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out += '"';
  if (defuse) out += '\'';
  if (!quote) {
    out += field;
    return;
  }
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Passages joined with " … ", without doubling the ellipses the passages already carry.
std::string joined_snippets(const std::vector<Snippet>& snippets) {
  constexpr std::string_view kEllipsis = "…";
  std::string out;
  for (std::size_t i = 0; i < snippets.size(); ++i) {
    std::string_view text = snippets[i].text;
    if (i > 0) {
      while (!out.empty() && (out.back() == ' ' || out.ends_with(kEllipsis))) {
        out.resize(out.back() == ' ' ? out.size() - 1 : out.size() - kEllipsis.size());
      }
      while (text.starts_with(kEllipsis) || text.starts_with(' ')) {
        text.remove_prefix(text.front() == ' ' ? 1 : kEllipsis.size());
      }
      out += " … ";
    }
    out += text;
  }
  return out;
}

}  // namespace

std::string print_csv(const SearchResults& results) {
  // rank and score must stay numbers a spreadsheet can sort (a negative score would otherwise
  // be quoted). The date is defused like text: a normalised ISO date (year 1..9999) never starts
  // with a formula character, so only a corrupt stored date could ever change.
  static constexpr std::array<CsvCell, 10> kCsvColumns{
      CsvCell::kNumber, CsvCell::kNumber, CsvCell::kText, CsvCell::kText, CsvCell::kText,
      CsvCell::kText,   CsvCell::kText,   CsvCell::kText, CsvCell::kText, CsvCell::kText};
  std::string out = "rank,score,id,date,org,authors,title,url,path,snippet\n";
  for (const Hit& hit : results.hits) {
    const std::array<std::string, 10> fields{std::to_string(hit.rank),
                                             format_double(hit.score),
                                             hit.id,
                                             hit.date,
                                             hit.organisation,
                                             join(hit.authors, "; "),
                                             hit.title,
                                             hit.url,
                                             hit.path,
                                             joined_snippets(hit.snippets)};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      append_csv_field(out, fields[i], kCsvColumns[i]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace dossier::cli::detail
