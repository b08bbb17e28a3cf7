// What does every printer need? UTF-8 that survives bad input, highlights cleaned to code point
// boundaries, and numbers, lists and timeline units written the same way in every format.
#include "output/internal.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::cli::detail {

// ---------------------------------------------------------------------------------------------
// UTF-8 helpers. Printers get text that the library promises is valid UTF-8, but highlight
// offsets and stored fields come from documents: every function here survives bad input.

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::size_t code_point_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80U) return 1;
  std::size_t n = 0;
  if (b0 >= 0xC2U && b0 <= 0xDFU) {
    n = 2;
  } else if (b0 >= 0xE0U && b0 <= 0xEFU) {
    n = 3;
  } else if (b0 >= 0xF0U && b0 <= 0xF4U) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if (!is_continuation(s[i + k])) return 0;
  }
  // Overlongs, surrogates and values past U+10FFFF show in the second byte.
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if ((b0 == 0xE0U && b1 < 0xA0U) || (b0 == 0xEDU && b1 > 0x9FU) || (b0 == 0xF0U && b1 < 0x90U) ||
      (b0 == 0xF4U && b1 > 0x8FU)) {
    return 0;
  }
  return n;
}

std::size_t step(std::string_view s, std::size_t i) {
  return std::max<std::size_t>(1, code_point_length(s, i));
}

std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (const char c : s) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::vector<Highlight> clean_highlights(std::string_view text, const std::vector<Highlight>& in) {
  std::vector<Highlight> spans;
  spans.reserve(in.size());
  for (const Highlight& h : in) {
    std::size_t begin = std::min(h.begin, text.size());
    std::size_t end = std::min(h.end, text.size());
    for (int k = 0; k < 3 && begin > 0 && begin < text.size() && is_continuation(text[begin]);
         ++k) {
      --begin;
    }
    for (int k = 0; k < 3 && end < text.size() && is_continuation(text[end]); ++k) ++end;
    if (begin < end) spans.push_back({begin, end});
  }
  std::sort(spans.begin(), spans.end(),
            [](const Highlight& a, const Highlight& b) { return a.begin < b.begin; });
  std::vector<Highlight> merged;
  merged.reserve(spans.size());
  for (const Highlight& h : spans) {
    if (!merged.empty() && h.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, h.end);
    } else {
      merged.push_back(h);
    }
  }
  return merged;
}

std::string format_double(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return {buffer.data(), result.ptr};
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string_view unit_name(TimelineUnit unit) {
  switch (unit) {
    case TimelineUnit::kYear:
      return "year";
    case TimelineUnit::kMonth:
      return "month";
    case TimelineUnit::kNone:
      break;
  }
  return "none";
}

}  // namespace dossier::cli::detail
