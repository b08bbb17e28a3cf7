// Date parsing: the forms found in think-tank metadata and text, with their precision.
#pragma once

#include <dossier/article.hpp>
#include <dossier/config.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace dossier::detail {

/// Parses one date value as written in metadata. Accepts, with surrounding white space:
/// ISO 8601 ("2025-10-30", "2025-10", "2025", "2025-10-30T08:00:00Z", "2025-10-30 08:00",
/// "20251030", "20251030T080000Z"), "October 30, 2025", "Oct. 30, 2025", "Oct 30 2025",
/// "September 3rd, 2025", "30 October 2025", "30 Oct. 2025", "30th of October 2025",
/// "30-Oct-2025", "October 2025", "Thursday, October 30, 2025", RFC 2822
/// ("Thu, 30 Oct 2025 08:00:00 +0000"), numeric "10/30/2025", "30.10.2025", "10-30-2025" (order
/// from `order` when ambiguous; unambiguous when a part exceeds 12), "2025/10/30", "2025.10.30".
/// English month names and abbreviations, any case, "Sept." too. A time of day ("08:00",
/// "8:30 pm", "at 8:30 a.m.") and zone ("Z", "+01:00", "-0500", "EDT", "(UTC)") may follow a full
/// date; both are dropped without converting the date to another zone. An out-of-range time is
/// an error. A weekday must match the date.
/// Returns nullopt and sets `*why_not` (if given) when the text is not a date or is an
/// impossible one ("February 30, 2025": "day 30 does not exist in February 2025"; "2025-13":
/// "month 13 is not a month"). Never guesses: two-digit years are rejected. Years must be
/// 1000..9999.
std::optional<Date> parse_date(std::string_view text, DateOrder order,
                               std::string* why_not = nullptr);

/// Finds a date in a short line of running text such as "Published: October 30, 2025",
/// "October 30, 2025 | Commentary", "Updated 30 Oct 2025". Only lines of at most 80 bytes
/// (after trimming) qualify. The line is split into fields at "|", "•", "·", "—", "–" and " - ";
/// the field holding the date may contain besides it only punctuation and a few labels
/// (published, posted, updated, date, dated, on, last, first, modified, released, originally,
/// publication), so a sentence that mentions a date is not taken for a date line. The date must
/// have at least month precision (a lone year is more often a heading or a number).
std::optional<Date> find_date_line(std::string_view line, DateOrder order);

/// True for a valid Gregorian date (handles leap years).
bool valid_ymd(int year, int month, int day) noexcept;

}  // namespace dossier::detail
