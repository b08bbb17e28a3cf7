// libFuzzer target: the date normaliser (metadata dates, date lines of running text, query
// date bounds) on arbitrary text, with invariants on what it accepts.
#include "fuzz_common.hpp"
#include "metadata/dates.hpp"
#include "search/query.hpp"

#include <optional>

namespace {

using dossier::Date;
using dossier::fuzz::fail;

void check_date(const Date& date) {
  if (date.empty()) return;
  if (date.year < 1000 || date.year > 9999) fail("year out of 1000..9999");
  if (date.precision == Date::Precision::kYear && (date.month != 0 || date.day != 0)) {
    fail("year precision with a month or day");
  }
  if (date.precision >= Date::Precision::kMonth && (date.month < 1 || date.month > 12)) {
    fail("month out of range");
  }
  if (date.precision == Date::Precision::kMonth && date.day != 0) fail("month precision, a day");
  if (date.precision == Date::Precision::kDay &&
      !dossier::detail::valid_ymd(date.year, date.month, date.day)) {
    fail("impossible day accepted");
  }
  // The ISO form the index stores must read back as the same date.
  const auto iso = date.iso();
  const auto again = dossier::detail::parse_date(iso, dossier::DateOrder::kMonthDayYear);
  if (!again || !(*again == date)) fail("ISO form does not read back:", iso);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto order : {dossier::DateOrder::kMonthDayYear, dossier::DateOrder::kDayMonthYear}) {
    std::string why_not;
    const auto date = dossier::detail::parse_date(text, order, &why_not);
    if (date) {
      check_date(*date);
    } else if (why_not.empty()) {
      fail("rejected date without a reason");
    }
    if (const auto line = dossier::detail::find_date_line(text, order)) {
      check_date(*line);
      if (line->precision < Date::Precision::kMonth) fail("date line with a lone year");
    }
  }
  int low = 0;
  int high = 0;
  if (dossier::detail::parse_partial_date(text, low, high) && low > high) {
    fail("partial date range inverted");
  }
  return 0;
}
