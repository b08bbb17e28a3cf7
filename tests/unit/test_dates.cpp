// Date parsing: every accepted form with its precision, every rejection with its reason, and
// date lines in short text.
#include "metadata/dates.hpp"

#include <catch2/catch.hpp>

#include <string>

using dossier::Date;
using dossier::DateOrder;
using dossier::detail::find_date_line;
using dossier::detail::parse_date;
using dossier::detail::valid_ymd;

namespace {

constexpr auto kMdy = DateOrder::kMonthDayYear;
constexpr auto kDmy = DateOrder::kDayMonthYear;
constexpr auto kYear = Date::Precision::kYear;
constexpr auto kMonth = Date::Precision::kMonth;
constexpr auto kDay = Date::Precision::kDay;

}  // namespace

TEST_CASE("parse_date accepts the documented forms and keeps their precision", "[dates]") {
  struct Case {
    const char* input;
    DateOrder order;
    int year;
    int month;
    int day;
    Date::Precision precision;
  };
  const Case cases[] = {
      // ISO 8601 and its relatives.
      {"2025-10-30", kMdy, 2025, 10, 30, kDay},
      {"2025-10", kMdy, 2025, 10, 0, kMonth},
      {"2025", kMdy, 2025, 0, 0, kYear},
      {"2025-1-5", kMdy, 2025, 1, 5, kDay},
      {"2025-10-30T08:00:00Z", kMdy, 2025, 10, 30, kDay},
      {"2025-10-30T23:30:00-05:00", kMdy, 2025, 10, 30, kDay},  // the date as written, no shift
      {"2025-10-30T08:00:00.123+0100", kMdy, 2025, 10, 30, kDay},
      {"2025-10-30t08:00", kMdy, 2025, 10, 30, kDay},
      {"2025-10-30T08", kMdy, 2025, 10, 30, kDay},
      {"2025-10-30 08:00", kMdy, 2025, 10, 30, kDay},
      {"2025-10-30 08:00:00 UTC", kMdy, 2025, 10, 30, kDay},
      {"2025-10-30T24:00:00Z", kMdy, 2025, 10, 30, kDay},
      {"20251030", kMdy, 2025, 10, 30, kDay},
      {"20251030T080000Z", kMdy, 2025, 10, 30, kDay},
      {"2025/10/30", kMdy, 2025, 10, 30, kDay},
      {"2025.10.30", kDmy, 2025, 10, 30, kDay},
      {"2025/10", kMdy, 2025, 10, 0, kMonth},
      // Month names.
      {"October 30, 2025", kMdy, 2025, 10, 30, kDay},
      {"Oct. 30, 2025", kMdy, 2025, 10, 30, kDay},
      {"Oct 30 2025", kMdy, 2025, 10, 30, kDay},
      {"oct 30 2025", kMdy, 2025, 10, 30, kDay},
      {"OCTOBER 30, 2025", kDmy, 2025, 10, 30, kDay},
      {"Sept. 3, 2025", kMdy, 2025, 9, 3, kDay},
      {"Sep 3, 2025", kMdy, 2025, 9, 3, kDay},
      {"September 3rd, 2025", kMdy, 2025, 9, 3, kDay},
      {"Oct.30,2025", kMdy, 2025, 10, 30, kDay},
      {"Oct-30-2025", kMdy, 2025, 10, 30, kDay},
      {"30 October 2025", kMdy, 2025, 10, 30, kDay},
      {"30 Oct. 2025", kMdy, 2025, 10, 30, kDay},
      {"30 October, 2025", kMdy, 2025, 10, 30, kDay},
      {"30th of October 2025", kMdy, 2025, 10, 30, kDay},
      {"1st May 2025", kMdy, 2025, 5, 1, kDay},
      {"30-Oct-2025", kMdy, 2025, 10, 30, kDay},
      {"October 2025", kMdy, 2025, 10, 0, kMonth},
      {"Oct. 2025", kMdy, 2025, 10, 0, kMonth},
      {"October, 2025", kMdy, 2025, 10, 0, kMonth},
      {"Thursday, October 30, 2025", kMdy, 2025, 10, 30, kDay},
      {"Thu Oct 30 2025", kMdy, 2025, 10, 30, kDay},
      {"Thurs., Oct. 30, 2025", kMdy, 2025, 10, 30, kDay},
      {"October 30, 2025 8:30 AM EDT", kMdy, 2025, 10, 30, kDay},
      {"October 30, 2025 at 8:30 p.m.", kMdy, 2025, 10, 30, kDay},
      {"October 30, 2025, 8pm", kMdy, 2025, 10, 30, kDay},
      {"February 29, 2024", kMdy, 2024, 2, 29, kDay},  // leap year
      {"29 February 2000", kMdy, 2000, 2, 29, kDay},   // divisible by 400
      // RFC 2822.
      {"Thu, 30 Oct 2025 08:00:00 +0000", kMdy, 2025, 10, 30, kDay},
      {"Thu, 30 Oct 2025 23:59:60 -0500 (EST)", kMdy, 2025, 10, 30, kDay},
      {"30 Oct 2025 08:00 GMT", kMdy, 2025, 10, 30, kDay},
      {"Fri, 31 Oct 2025 00:00:00 +0000 (UTC)", kMdy, 2025, 10, 31, kDay},
      // Numeric: the order decides only when both parts could be months.
      {"10/30/2025", kMdy, 2025, 10, 30, kDay},
      {"10/30/2025", kDmy, 2025, 10, 30, kDay},  // 30 cannot be a month
      {"30/10/2025", kMdy, 2025, 10, 30, kDay},
      {"30.10.2025", kMdy, 2025, 10, 30, kDay},
      {"10-30-2025", kMdy, 2025, 10, 30, kDay},
      {"03/04/2019", kMdy, 2019, 3, 4, kDay},
      {"03/04/2019", kDmy, 2019, 4, 3, kDay},
      {"3.4.2019", kDmy, 2019, 4, 3, kDay},
      {"12/12/2019", kDmy, 2019, 12, 12, kDay},
      {"10/30/2025 14:05", kMdy, 2025, 10, 30, kDay},
      // White space around and inside, including no-break spaces.
      {"  2025-10-30 \n", kMdy, 2025, 10, 30, kDay},
      {"October\u00a030,\u00a02025", kMdy, 2025, 10, 30, kDay},
      {"\u2009October 30, 2025\u202f", kMdy, 2025, 10, 30, kDay},
      {"1000-01-01", kMdy, 1000, 1, 1, kDay},
      {"9999-12-31", kMdy, 9999, 12, 31, kDay},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input, c.order);
    std::string why;
    const auto date = parse_date(c.input, c.order, &why);
    CAPTURE(why);
    REQUIRE(date.has_value());
    CHECK(date->year == c.year);
    CHECK(date->month == c.month);
    CHECK(date->day == c.day);
    CHECK(date->precision == c.precision);
  }
}

TEST_CASE("parse_date rejects non-dates and impossible dates with a reason", "[dates]") {
  struct Case {
    const char* input;
    DateOrder order;
    const char* why;
  };
  const Case cases[] = {
      {"", kMdy, "empty date"},
      {"   ", kMdy, "empty date"},
      {"February 30, 2025", kMdy, "day 30 does not exist in February 2025"},
      {"February 29, 2025", kMdy, "day 29 does not exist in February 2025"},
      {"29 February 1900", kMdy, "day 29 does not exist in February 1900"},
      {"2025-02-30", kMdy, "day 30 does not exist in February 2025"},
      {"April 31, 2025", kMdy, "day 31 does not exist in April 2025"},
      {"October 0, 2025", kMdy, "day 0 does not exist in October 2025"},
      {"2025-13-01", kMdy, "month 13 is not a month"},
      {"2025-13", kMdy, "month 13 is not a month"},
      {"2025-00-10", kMdy, "month 0 is not a month"},
      {"20251330", kMdy, "month 13 is not a month"},
      {"13/13/2025", kMdy, "neither 13 nor 13 is a month"},
      {"00/10/2025", kMdy, "month 0 is not a month"},
      {"10/30/25", kMdy, "two-digit year '25' is ambiguous"},
      {"Oct 30, 25", kMdy, "two-digit year '25' is ambiguous"},
      {"30 Oct 25", kMdy, "two-digit year '25' is ambiguous"},
      {"0999-10-30", kMdy, "year 999 is outside 1000..9999"},
      {"10/30/02025", kMdy, "year '02025' does not have four digits"},
      {"12345", kMdy, "'12345' is not a date"},
      {"Octember 30, 2025", kMdy, "'Octember' is not a month or weekday name"},
      {"30 Octember 2025", kMdy, "'Octember' is not a month name"},
      {"October", kMdy, "'October' is not followed by a day or year"},
      {"October 30", kMdy, "October 30 has no year"},
      {"30 October", kMdy, "30 October has no year"},
      {"30", kMdy, "'30' alone is not a date"},
      {"Friday, October 30, 2025", kMdy, "October 30, 2025 is a Thursday, not a Friday"},
      {"Thursday, October 2025", kMdy, "a weekday needs a full date"},
      {"Thursday", kMdy, "a weekday without a date"},
      {"yesterday", kMdy, "'yesterday' is not a month or weekday name"},
      {"n/a", kMdy, "'n' is not a month or weekday name"},
      {"2025-10-30T25:00:00Z", kMdy, "hour 25 is not a time of day"},
      {"2025-10-30T08:61", kMdy, "minute or second out of range"},
      {"2025-10-30Tnoon", kMdy, "unexpected text after the date: 'Tnoon'"},
      {"2025-10-30T123", kMdy, "malformed time of day after 'T'"},
      {"October 30, 2025 13:00 pm", kMdy, "hour 13 is not a time of day"},
      {"10/30", kMdy, "a numeric date needs day, month and year"},
      {"10/30-2025", kMdy, "a numeric date needs day, month and year"},
      {"2025-10-30 and more", kMdy, "unexpected text after the date: 'and more'"},
      {"October 30, 2025, 8", kMdy, "unexpected text after the date: ', 8'"},
      {"~2025", kMdy, "no date found"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input, c.order);
    std::string why;
    const auto date = parse_date(c.input, c.order, &why);
    CHECK_FALSE(date.has_value());
    CHECK_THAT(why, Catch::Contains(c.why));
  }
  // why_not is optional.
  CHECK_FALSE(parse_date("February 30, 2025", kMdy).has_value());
}

TEST_CASE("find_date_line takes date lines and leaves sentences alone", "[dates]") {
  struct Case {
    std::string line;
    DateOrder order;
    int year;  // 0: no date line
    int month;
    int day;
  };
  const Case cases[] = {
      {"Published: October 30, 2025", kMdy, 2025, 10, 30},
      {"October 30, 2025", kMdy, 2025, 10, 30},
      {"30 Oct 2025", kMdy, 2025, 10, 30},
      {"2025-10-30", kMdy, 2025, 10, 30},
      {"Oct. 30, 2025 | Commentary", kMdy, 2025, 10, 30},
      {"Updated Thursday, October 30, 2025", kMdy, 2025, 10, 30},
      {"Updated 30 Oct 2025", kMdy, 2025, 10, 30},
      {"Posted on October 30, 2025", kMdy, 2025, 10, 30},
      {"Last updated: 2025-10-30T08:00:00Z", kMdy, 2025, 10, 30},
      {"DATE: 10/30/2025", kMdy, 2025, 10, 30},
      {"Dated 03/04/2019", kDmy, 2019, 4, 3},
      {"**Published:** October 30, 2025", kMdy, 2025, 10, 30},
      {"_October 30, 2025_", kMdy, 2025, 10, 30},
      {"(October 30, 2025)", kMdy, 2025, 10, 30},
      {"October 30, 2025.", kMdy, 2025, 10, 30},
      {"By Jane Doe | October 30, 2025", kMdy, 2025, 10, 30},
      {"Commentary \u2022 Oct 30, 2025", kMdy, 2025, 10, 30},
      {"October 30, 2025 \u2014 Analysis", kMdy, 2025, 10, 30},
      {"October 30, 2025 - Commentary", kMdy, 2025, 10, 30},
      {"Published October 30, 2025 at 8:30 am ET", kMdy, 2025, 10, 30},
      {"October 2025", kMdy, 2025, 10, 0},
      {"  October 30, 2025  \r", kMdy, 2025, 10, 30},
      // Not date lines.
      {"The meeting on October 30, 2025 was postponed.", kMdy, 0, 0, 0},
      {"to be held October 31, 8:30am U.S. Eastern Time", kMdy, 0, 0, 0},
      {"October 31, 8:30am U.S. Eastern Time", kMdy, 0, 0, 0},
      {"On October 30, 2025 the committee met", kMdy, 0, 0, 0},
      {"Published: soon", kMdy, 0, 0, 0},
      {"2025", kMdy, 0, 0, 0},                      // a lone year is a heading or a number
      {"October 30\u201331, 2025", kMdy, 0, 0, 0},  // a range is not one date
      {"February 30, 2025", kMdy, 0, 0, 0},
      {"10/30/25", kMdy, 0, 0, 0},
      {"", kMdy, 0, 0, 0},
      {"Published:" + std::string(55, ' ') + "October 30, 2025", kMdy, 0, 0,
       0},  // 81 bytes: over the limit
      {"Published:" + std::string(54, ' ') + "October 30, 2025", kMdy, 2025, 10,
       30},  // 80 bytes: at the limit
  };
  for (const auto& c : cases) {
    CAPTURE(c.line, c.order);
    const auto date = find_date_line(c.line, c.order);
    if (c.year == 0) {
      CHECK_FALSE(date.has_value());
      continue;
    }
    REQUIRE(date.has_value());
    CHECK(date->year == c.year);
    CHECK(date->month == c.month);
    CHECK(date->day == c.day);
    CHECK(date->precision == (c.day == 0 ? kMonth : kDay));
  }
}

TEST_CASE("valid_ymd knows month lengths and leap years", "[dates]") {
  struct Case {
    int year;
    int month;
    int day;
    bool expected;
  };
  const Case cases[] = {
      {2025, 10, 30, true}, {2025, 2, 28, true},  {2025, 2, 29, false}, {2024, 2, 29, true},
      {1900, 2, 29, false}, {2000, 2, 29, true},  {2025, 4, 31, false}, {2025, 12, 31, true},
      {2025, 13, 1, false}, {2025, 0, 1, false},  {2025, 1, 0, false},  {2025, 1, 32, false},
      {0, 1, 1, false},     {9999, 12, 31, true}, {10000, 1, 1, false}, {-1, 1, 1, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.year, c.month, c.day);
    CHECK(valid_ymd(c.year, c.month, c.day) == c.expected);
  }
}
