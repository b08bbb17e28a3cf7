// Date parsing (placeholder until the dates work lands).
#include "metadata/dates.hpp"

namespace dossier::detail {

std::optional<Date> parse_date(std::string_view /*text*/, DateOrder /*order*/,
                               std::string* why_not) {
  if (why_not != nullptr) *why_not = "date parsing not implemented yet";
  return std::nullopt;
}

std::optional<Date> find_date_line(std::string_view /*line*/, DateOrder /*order*/) {
  return std::nullopt;
}

bool valid_ymd(int /*year*/, int /*month*/, int /*day*/) noexcept {
  return false;
}

}  // namespace dossier::detail
