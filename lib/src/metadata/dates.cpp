// Date parsing: ISO 8601, RFC 2822, month-name and numeric forms, and date lines in short text.
#include "metadata/dates.hpp"

#include "text/ascii.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dossier::detail {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

struct Name {
  std::string_view word;  // lower case
  int value;
};

constexpr std::array<Name, 24> kMonthWords = {{
    {"jan", 1},  {"january", 1},  {"feb", 2},    {"february", 2},  {"mar", 3},  {"march", 3},
    {"apr", 4},  {"april", 4},    {"may", 5},    {"jun", 6},       {"june", 6}, {"jul", 7},
    {"july", 7}, {"aug", 8},      {"august", 8}, {"sep", 9},       {"sept", 9}, {"september", 9},
    {"oct", 10}, {"october", 10}, {"nov", 11},   {"november", 11}, {"dec", 12}, {"december", 12},
}};

// 0 is Sunday, as day_of_week() counts.
// clang-format off
constexpr std::array<Name, 18> kWeekdayWords = {{
    {"sun", 0}, {"sunday", 0}, {"mon", 1}, {"monday", 1}, {"tue", 2}, {"tues", 2},
    {"tuesday", 2}, {"wed", 3}, {"weds", 3}, {"wednesday", 3}, {"thu", 4}, {"thur", 4},
    {"thurs", 4}, {"thursday", 4}, {"fri", 5}, {"friday", 5}, {"sat", 6}, {"saturday", 6}}};
// clang-format on

// Words that may stand beside the date in a date line ("Last updated on ...").
constexpr std::array<std::string_view, 12> kLabels = {
    "published", "posted", "updated",  "date",     "dated",      "on",
    "last",      "first",  "modified", "released", "originally", "publication"};

constexpr std::size_t kMaxDateLine = 80;

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != b[i]) return false;
  }
  return true;
}

template <std::size_t N>
int lookup(const std::array<Name, N>& table, std::string_view word) noexcept {
  for (const Name& name : table) {
    if (iequals(word, name.word)) return name.value;
  }
  return -1;
}

bool is_label(std::string_view word) noexcept {
  for (const std::string_view label : kLabels) {
    if (iequals(word, label)) return true;
  }
  return false;
}

// Length of the white space at s[i] (ASCII, no-break, thin, narrow no-break, ideographic), or 0.
std::size_t space_length(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U;
  };
  switch (byte(0)) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\f':
    case '\v':
      return 1;
    case 0xC2:
      return byte(1) == 0xA0 ? 2 : 0;
    case 0xE2:
      return byte(1) == 0x80 && ((byte(2) >= 0x80 && byte(2) <= 0x8A) || byte(2) == 0xAF) ? 3 : 0;
    case 0xE3:
      return byte(1) == 0x80 && byte(2) == 0x80 ? 3 : 0;
    default:
      return 0;
  }
}

std::string_view trim(std::string_view s) noexcept {
  std::size_t begin = 0;
  while (begin < s.size()) {
    const std::size_t n = space_length(s, begin);
    if (n == 0) break;
    begin += n;
  }
  std::size_t end = begin;  // one past the last byte that is not white space
  for (std::size_t i = begin; i < s.size();) {
    const std::size_t n = space_length(s, i);
    if (n == 0) {
      end = ++i;
    } else {
      i += n;
    }
  }
  return s.substr(begin, end - begin);
}

int days_in_month(int year, int month) noexcept {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// Sakamoto's method; 0 is Sunday.
int day_of_week(int year, int month, int day) noexcept {
  static constexpr std::array<int, 12> kOffsets = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  if (month < 3) --year;
  return (year + year / 4 - year / 100 + year / 400 +
          kOffsets[static_cast<std::size_t>(month - 1)] + day) %
         7;
}

std::string month_name(int month) {
  return std::string(kMonthNames[static_cast<std::size_t>(month - 1)]);
}

// A recursive-descent scanner over one candidate date. `why` may be null (find_date_line does
// not need reasons), so messages are only built when asked for.
class Parser {
 public:
  Parser(std::string_view text, std::size_t pos, DateOrder order, std::string* why) noexcept
      : s_(text), p_(pos), order_(order), why_(why) {}

  [[nodiscard]] std::size_t pos() const noexcept { return p_; }

  // Parses one date at the current position, leaving pos() after it (and after any time of day
  // and zone, which are dropped).
  bool parse(Date& date) {
    skip_spaces();
    int weekday = -1;
    if (is_alpha(peek())) {
      const std::size_t start = p_;
      const std::string_view w = word();
      weekday = lookup(kWeekdayWords, w);
      if (weekday >= 0) {
        eat('.');
        skip_spaces();
        eat(',');
        skip_spaces();
      } else if (lookup(kMonthWords, w) > 0) {
        p_ = start;
      } else {
        return fail([&] { return "'" + std::string(w) + "' is not a month or weekday name"; });
      }
    }
    if (is_alpha(peek())) {
      if (!month_first(date)) return false;
    } else if (is_digit(peek())) {
      if (!number_first(date)) return false;
    } else {
      return fail([&] {
        return weekday >= 0 ? std::string("a weekday without a date")
                            : std::string("no date found");
      });
    }
    if (weekday >= 0) {
      if (date.precision != Date::Precision::kDay) {
        return fail([] { return std::string("a weekday needs a full date"); });
      }
      const int actual = day_of_week(date.year, date.month, date.day);
      if (actual != weekday) {
        return fail([&] {
          return month_name(date.month) + " " + std::to_string(date.day) + ", " +
                 std::to_string(date.year) + " is a " +
                 std::string(kWeekdayNames[static_cast<std::size_t>(actual)]) + ", not a " +
                 std::string(kWeekdayNames[static_cast<std::size_t>(weekday)]);
        });
      }
    }
    return true;
  }

  // Succeeds only if nothing but white space follows.
  bool expect_end() {
    skip_spaces();
    if (p_ >= s_.size()) return true;
    return fail(
        [&] { return "unexpected text after the date: '" + std::string(s_.substr(p_)) + "'"; });
  }

 private:
  struct Number {
    int value = 0;
    std::size_t digits = 0;
  };

  enum class TimeResult { kNone, kOk, kBad };

  template <typename Make>
  bool fail(Make make) {
    if (why_ != nullptr) *why_ = make();
    return false;
  }

  [[nodiscard]] char peek(std::size_t k = 0) const noexcept {
    return p_ + k < s_.size() ? s_[p_ + k] : '\0';
  }

  bool eat(char c) noexcept {
    if (peek() != c) return false;
    ++p_;
    return true;
  }

  void skip_spaces() noexcept {
    while (p_ < s_.size()) {
      const std::size_t n = space_length(s_, p_);
      if (n == 0) return;
      p_ += n;
    }
  }

  std::string_view word() noexcept {
    const std::size_t start = p_;
    while (is_alpha(peek())) ++p_;
    return s_.substr(start, p_ - start);
  }

  // All the digits at the position; the value saturates, the digit count does not.
  Number number() noexcept {
    Number n;
    while (is_digit(peek())) {
      if (n.digits < 9) n.value = n.value * 10 + (peek() - '0');
      ++n.digits;
      ++p_;
    }
    return n;
  }

  // "st", "nd", "rd", "th" after a day number, not followed by another letter.
  void ordinal_suffix() noexcept {
    if (!is_alpha(peek()) || !is_alpha(peek(1)) || is_alpha(peek(2))) return;
    const char a = ascii_lower(peek());
    const char b = ascii_lower(peek(1));
    if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
        (a == 't' && b == 'h')) {
      p_ += 2;
    }
  }

  // Separators between the parts of a written-out date: spaces, a comma, or a hyphen
  // ("30-Oct-2025").
  void part_separator() noexcept {
    skip_spaces();
    if (eat(',') || eat('-')) skip_spaces();
  }

  bool year(const Number& n, int& out) {
    if (n.digits == 2) {
      return fail([&] {
        return "two-digit year '" + std::string(s_.substr(p_ - 2, 2)) +
               "' is ambiguous; write the year in full";
      });
    }
    if (n.digits != 4) {
      return fail([&] {
        return "year '" + std::string(s_.substr(p_ - n.digits, n.digits)) +
               "' does not have four digits";
      });
    }
    if (n.value < 1000) {
      return fail([&] { return "year " + std::to_string(n.value) + " is outside 1000..9999"; });
    }
    out = n.value;
    return true;
  }

  bool finish_date(Date& date, int y, int m, int d, Date::Precision precision) {
    if (m < 1 || m > 12) {
      return fail([&] { return "month " + std::to_string(m) + " is not a month"; });
    }
    if (precision == Date::Precision::kDay && (d < 1 || d > days_in_month(y, m))) {
      return fail([&] {
        return "day " + std::to_string(d) + " does not exist in " + month_name(m) + " " +
               std::to_string(y);
      });
    }
    date.year = y;
    date.month = precision == Date::Precision::kYear ? 0 : m;
    date.day = precision == Date::Precision::kDay ? d : 0;
    date.precision = precision;
    return true;
  }

  // "October 30, 2025", "Oct. 30 2025", "Sept 3rd, 2025", "Oct-30-2025", "October 2025".
  bool month_first(Date& date) {
    const std::string_view w = word();
    const int m = lookup(kMonthWords, w);
    if (m <= 0) return fail([&] { return "'" + std::string(w) + "' is not a month name"; });
    eat('.');
    part_separator();
    if (!is_digit(peek())) {
      return fail([&] { return "'" + std::string(w) + "' is not followed by a day or year"; });
    }
    const Number first = number();
    if (first.digits == 4) {
      int y = 0;
      return year(first, y) && finish_date(date, y, m, 0, Date::Precision::kMonth);
    }
    if (first.digits > 2) {
      return fail([&] {
        return "'" + std::string(s_.substr(p_ - first.digits, first.digits)) +
               "' is neither a day nor a four-digit year";
      });
    }
    ordinal_suffix();
    part_separator();
    if (!is_digit(peek())) {
      return fail(
          [&] { return month_name(m) + " " + std::to_string(first.value) + " has no year"; });
    }
    int y = 0;
    if (!year(number(), y) || !finish_date(date, y, m, first.value, Date::Precision::kDay)) {
      return false;
    }
    return time_suffix(false) != TimeResult::kBad;
  }

  bool number_first(Date& date) {
    const Number first = number();
    if (first.digits == 8) return compact(date, first);
    if (first.digits == 4) return year_first(date, first);
    if (first.digits == 1 || first.digits == 2) {
      const char sep = peek();
      if ((sep == '/' || sep == '.' || sep == '-') && is_digit(peek(1))) {
        return numeric(date, first, sep);
      }
      return day_first(date, first);
    }
    return fail([&] {
      return "'" + std::string(s_.substr(p_ - first.digits, first.digits)) + "' is not a date";
    });
  }

  // "20251030", optionally with an ISO basic time ("20251030T080000Z").
  bool compact(Date& date, const Number& n) {
    const int y = n.value / 10000;
    if (y < 1000) {
      return fail([&] { return "year " + std::to_string(y) + " is outside 1000..9999"; });
    }
    if (!finish_date(date, y, (n.value / 100) % 100, n.value % 100, Date::Precision::kDay)) {
      return false;
    }
    return time_suffix(true) != TimeResult::kBad;
  }

  // ISO 8601 "2025-10-30[T08:00:00Z]", "2025-10", "2025", and "2025/10/30", "2025.10.30".
  bool year_first(Date& date, const Number& first) {
    int y = 0;
    if (!year(first, y)) return false;
    const char sep = peek();
    if (!((sep == '-' || sep == '/' || sep == '.') && is_digit(peek(1)))) {
      return finish_date(date, y, 1, 0, Date::Precision::kYear);
    }
    ++p_;
    const Number m = number();
    if (m.digits > 2) return fail([] { return std::string("the month has more than two digits"); });
    if (!(peek() == sep && is_digit(peek(1)))) {
      return finish_date(date, y, m.value, 0, Date::Precision::kMonth);
    }
    ++p_;
    const Number d = number();
    if (d.digits > 2) return fail([] { return std::string("the day has more than two digits"); });
    if (!finish_date(date, y, m.value, d.value, Date::Precision::kDay)) return false;
    return time_suffix(sep == '-') != TimeResult::kBad;
  }

  // "10/30/2025", "30.10.2025", "10-30-2025": the order decides only when both could be months.
  bool numeric(Date& date, const Number& a, char sep) {
    ++p_;
    const Number b = number();
    if (b.digits > 2) {
      return fail([&] {
        return "'" + std::string(s_.substr(p_ - b.digits, b.digits)) + "' is not a day or month";
      });
    }
    if (!(peek() == sep && is_digit(peek(1)))) {
      return fail([] { return std::string("a numeric date needs day, month and year"); });
    }
    ++p_;
    int y = 0;
    if (!year(number(), y)) return false;
    int m = 0;
    int d = 0;
    if (a.value > 12 && b.value > 12) {
      return fail([&] {
        return "neither " + std::to_string(a.value) + " nor " + std::to_string(b.value) +
               " is a month";
      });
    }
    if (a.value > 12) {
      d = a.value;
      m = b.value;
    } else if (b.value > 12) {
      m = a.value;
      d = b.value;
    } else if (order_ == DateOrder::kMonthDayYear) {
      m = a.value;
      d = b.value;
    } else {
      d = a.value;
      m = b.value;
    }
    if (!finish_date(date, y, m, d, Date::Precision::kDay)) return false;
    return time_suffix(false) != TimeResult::kBad;
  }

  // "30 October 2025", "30 Oct. 2025", "30th of October, 2025", "30-Oct-2025", RFC 2822.
  bool day_first(Date& date, const Number& day) {
    ordinal_suffix();
    part_separator();
    if (is_alpha(peek())) {
      const std::size_t save = p_;
      if (iequals(word(), "of")) {
        skip_spaces();
      } else {
        p_ = save;
      }
    }
    if (!is_alpha(peek())) {
      return fail([&] { return "'" + std::to_string(day.value) + "' alone is not a date"; });
    }
    const std::string_view w = word();
    const int m = lookup(kMonthWords, w);
    if (m <= 0) return fail([&] { return "'" + std::string(w) + "' is not a month name"; });
    eat('.');
    part_separator();
    if (!is_digit(peek())) {
      return fail([&] { return std::to_string(day.value) + " " + month_name(m) + " has no year"; });
    }
    int y = 0;
    if (!year(number(), y) || !finish_date(date, y, m, day.value, Date::Precision::kDay)) {
      return false;
    }
    return time_suffix(false) != TimeResult::kBad;
  }

  // An optional time of day after a full date, with an optional zone; both are dropped. `iso`
  // allows the "T" separator. A time that is out of range is an error, not ignored text.
  TimeResult time_suffix(bool iso) {
    const std::size_t save = p_;
    if (iso && (peek() == 'T' || peek() == 't') && is_digit(peek(1))) {
      ++p_;
      const TimeResult r = time_of_day(true);
      if (r == TimeResult::kNone) {
        fail([] { return std::string("malformed time of day after 'T'"); });
        return TimeResult::kBad;
      }
      return r;
    }
    skip_spaces();
    if (eat(',')) skip_spaces();
    if ((peek() == 'a' || peek() == 'A') && ascii_lower(peek(1)) == 't' &&
        space_length(s_, p_ + 2) > 0) {
      p_ += 2;
      skip_spaces();
    }
    if (!is_digit(peek())) {
      p_ = save;
      return TimeResult::kNone;
    }
    const TimeResult r = time_of_day(false);
    if (r == TimeResult::kNone) p_ = save;
    return r;
  }

  TimeResult time_of_day(bool after_t) {
    const Number h = number();
    int hour = h.value;
    int minute = 0;
    int second = 0;
    if (after_t && (h.digits == 4 || h.digits == 6)) {  // ISO basic: T0800, T080000
      hour = h.digits == 4 ? h.value / 100 : h.value / 10000;
      minute = h.digits == 4 ? h.value % 100 : (h.value / 100) % 100;
      second = h.digits == 6 ? h.value % 100 : 0;
    } else {
      if (h.digits > 2) return TimeResult::kNone;
      if (peek() == ':' && is_digit(peek(1))) {
        ++p_;
        const Number m = number();
        if (m.digits != 2) return TimeResult::kNone;
        minute = m.value;
        if (peek() == ':' && is_digit(peek(1))) {
          ++p_;
          const Number sec = number();
          if (sec.digits != 2) return TimeResult::kNone;
          second = sec.value;
          if ((peek() == '.' || peek() == ',') && is_digit(peek(1))) {
            ++p_;
            number();
          }
        }
      } else if (!after_t && !meridiem(/*consume=*/false)) {
        return TimeResult::kNone;  // a bare number after a date is not a time; "8 pm" is
      }
    }
    const bool twelve_hour = meridiem();
    const bool ok = twelve_hour ? hour >= 1 && hour <= 12
                                : hour <= 23 || (hour == 24 && minute == 0 && second == 0);
    if (!ok) {
      fail([&] { return "hour " + std::to_string(hour) + " is not a time of day"; });
      return TimeResult::kBad;
    }
    if (minute > 59 || second > 60) {
      fail([&] {
        return "minute or second out of range in the time " + std::to_string(hour) + ":" +
               std::to_string(minute) + ":" + std::to_string(second);
      });
      return TimeResult::kBad;
    }
    zone();
    return TimeResult::kOk;
  }

  // "am", "pm", "a.m.", "p.m.", any case, with or without a space before.
  bool meridiem(bool consume = true) noexcept {
    const std::size_t save = p_;
    skip_spaces();
    const char c = ascii_lower(peek());
    if (c == 'a' || c == 'p') {
      std::size_t length = 0;
      if (ascii_lower(peek(1)) == 'm' && !is_alpha(peek(2))) length = 2;
      if (peek(1) == '.' && ascii_lower(peek(2)) == 'm' && peek(3) == '.') length = 4;
      if (length > 0) {
        p_ = consume ? p_ + length : save;
        return true;
      }
    }
    p_ = save;
    return false;
  }

  // "Z", "+0000", "-05:00", "+01", "UTC", "GMT", "EDT", and an RFC 2822 comment "(UTC)".
  void zone() noexcept {
    std::size_t save = p_;
    skip_spaces();
    bool numeric_zone = false;
    if ((peek() == 'Z' || peek() == 'z') && !is_alpha(peek(1))) {
      ++p_;
      return;
    }
    if ((peek() == '+' || peek() == '-') && is_digit(peek(1))) {
      ++p_;
      const Number hh = number();
      if (hh.digits == 2 && peek() == ':' && is_digit(peek(1))) {
        ++p_;
        const Number mm = number();
        numeric_zone = mm.digits == 2;
      } else {
        numeric_zone = hh.digits == 2 || hh.digits == 4;
      }
      if (!numeric_zone) {
        p_ = save;
        return;
      }
      save = p_;
      skip_spaces();
    }
    if (is_upper(peek())) {
      const std::size_t start = p_;
      while (is_upper(peek())) ++p_;
      const std::size_t n = p_ - start;
      if (n >= 2 && n <= 5 && !is_alpha(peek())) return;
      p_ = save;
      return;
    }
    if (peek() == '(') {
      const std::size_t close = s_.find(')', p_);
      if (close != std::string_view::npos && close - p_ <= 40) {
        p_ = close + 1;
        return;
      }
    }
    p_ = save;
  }

  std::string_view s_;
  std::size_t p_;
  DateOrder order_;
  std::string* why_;
};

// White space and punctuation that may surround the date in a date line.
std::size_t filler_length(std::string_view s, std::size_t i) noexcept {
  if (const std::size_t n = space_length(s, i); n > 0) return n;
  switch (s[i]) {
    case ':':
    case ',':
    case '.':
    case ';':
    case '(':
    case ')':
    case '[':
    case ']':
    case '*':
    case '_':
    case '#':
    case '>':
    case '"':
    case '\'':
    case '-':
    case '~':
    case '=':
      return 1;
    default:
      return 0;
  }
}

// Skips filler and labels; returns the position of the first other thing, or s.size().
std::size_t skip_filler_and_labels(std::string_view s, std::size_t i) noexcept {
  while (i < s.size()) {
    if (const std::size_t n = filler_length(s, i); n > 0) {
      i += n;
      continue;
    }
    if (!is_alpha(s[i])) return i;
    std::size_t end = i;
    while (end < s.size() && is_alpha(s[end])) ++end;
    if (!is_label(s.substr(i, end - i))) return i;
    i = end;
  }
  return i;
}

std::optional<Date> date_in_segment(std::string_view segment, DateOrder order) {
  const std::size_t start = skip_filler_and_labels(segment, 0);
  if (start >= segment.size()) return std::nullopt;
  Parser parser(segment, start, order, nullptr);
  Date date;
  if (!parser.parse(date)) return std::nullopt;
  // A lone year on a line is more often a heading or a number than a publication date.
  if (date.precision == Date::Precision::kYear) return std::nullopt;
  if (skip_filler_and_labels(segment, parser.pos()) < segment.size()) return std::nullopt;
  return date;
}

// Where the next field separator starts and how long it is: "|", "•", "·", "—", "–", and " - ".
std::size_t find_separator(std::string_view line, std::size_t from, std::size_t& length) noexcept {
  for (std::size_t i = from; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '|') {
      length = 1;
      return i;
    }
    if (c == '-' && i > 0 && line[i - 1] == ' ' && i + 1 < line.size() && line[i + 1] == ' ') {
      length = 1;
      return i;
    }
    const std::string_view rest = line.substr(i);
    for (const std::string_view sep : {std::string_view("\u2022"), std::string_view("\u00B7"),
                                       std::string_view("\u2014"), std::string_view("\u2013")}) {
      if (rest.substr(0, sep.size()) == sep) {
        length = sep.size();
        return i;
      }
    }
  }
  length = 0;
  return line.size();
}

}  // namespace

bool valid_ymd(int year, int month, int day) noexcept {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::optional<Date> parse_date(std::string_view text, DateOrder order, std::string* why_not) {
  const std::string_view trimmed = trim(text);
  if (trimmed.empty()) {
    if (why_not != nullptr) *why_not = "empty date";
    return std::nullopt;
  }
  Parser parser(trimmed, 0, order, why_not);
  Date date;
  if (!parser.parse(date) || !parser.expect_end()) return std::nullopt;
  return date;
}

std::optional<Date> find_date_line(std::string_view line, DateOrder order) {
  const std::string_view trimmed = trim(line);
  if (trimmed.empty() || trimmed.size() > kMaxDateLine) return std::nullopt;
  std::size_t begin = 0;
  while (begin <= trimmed.size()) {
    std::size_t length = 0;
    const std::size_t end = find_separator(trimmed, begin, length);
    if (std::optional<Date> date = date_in_segment(trimmed.substr(begin, end - begin), order)) {
      return date;
    }
    if (end >= trimmed.size()) break;
    begin = end + length;
  }
  return std::nullopt;
}

}  // namespace dossier::detail
