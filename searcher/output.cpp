// dossier-search's printers: which format was asked for, and which printer writes it (one per
// format in searcher/output/: text, JSON / JSON Lines, CSV, BibTeX and RIS; docs/output-schema.md).
#include "output.hpp"

#include "output/internal.hpp"

#include <array>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace dossier::cli {
namespace {

std::string total_text(const Total& total) {
  if (total.exact) return std::to_string(total.estimate);
  return "about " + std::to_string(total.estimate) + " (between " + std::to_string(total.lower) +
         " and " + std::to_string(total.upper) + ")";
}

}  // namespace

// render() calls the printers and helpers by their short names, as when they were all here.
using namespace detail;

bool parse_format(std::string_view name, Format& format) {
  static constexpr std::array<std::pair<std::string_view, Format>, 6> kFormats{{
      {"text", Format::kText},
      {"json", Format::kJson},
      {"jsonl", Format::kJsonl},
      {"csv", Format::kCsv},
      {"bibtex", Format::kBibtex},
      {"ris", Format::kRis},
  }};
  for (const auto& [known, value] : kFormats) {
    if (name == known) {
      format = value;
      return true;
    }
  }
  return false;
}

void render(std::ostream& out, const SearchRequest& request, const SearchResults& results,
            Format format, const RenderOptions& options) {
  if (options.count_only) {
    if (format == Format::kJson || format == Format::kJsonl) {
      const Json j{{"format_version", kOutputFormatVersion}, {"total", total_json(results.total)}};
      out << dump(j, format == Format::kJson ? 2 : -1) << '\n';
    } else {
      out << total_text(results.total) << '\n';
    }
    return;
  }
  switch (format) {
    case Format::kText:
      out << print_text(request, results, options);
      return;
    case Format::kJson:
      out << dump(to_json(request, results, options), 2) << '\n';
      return;
    case Format::kJsonl:
      out << dump(to_json(request, results, options), -1) << '\n';
      return;
    case Format::kCsv:
      out << print_csv(results);
      return;
    case Format::kBibtex:
      out << print_bibtex(results);
      return;
    case Format::kRis:
      out << print_ris(results);
      return;
  }
}

}  // namespace dossier::cli
