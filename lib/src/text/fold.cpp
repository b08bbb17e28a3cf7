// The folding functions (see fold.hpp).
#include "text/fold.hpp"

#include "text/ascii.hpp"
#include "text/normalize.hpp"

#include <dossier/error.hpp>

namespace dossier {

std::string fold_key(std::string_view utf8) {
  if (const auto bad = detail::first_invalid_utf8(utf8); bad != std::string_view::npos) {
    throw Error(ErrorCode::kInvalidArgument,
                "invalid UTF-8 at byte " + std::to_string(bad) + " of a name to fold");
  }
  return detail::normalize(utf8, detail::kFoldCase | detail::kStripAccents | detail::kAsciiPunct |
                                     detail::kCollapseSpace);
}

}  // namespace dossier

namespace dossier::detail {

std::string fold_for_analysis(std::string_view text) {
  // Fast path: ASCII plus the typographic punctuation of English prose (’ ‘ “ ” – — and the
  // no-break space) is folded byte-wise; only other non-ASCII text goes through ICU.
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto d = static_cast<unsigned char>(text[i + 2]);
      char ascii = 0;
      if (d == 0x98 || d == 0x99) ascii = '\'';
      if (d == 0x9C || d == 0x9D) ascii = '"';
      if (d == 0x93 || d == 0x94) ascii = '-';
      if (ascii != 0) {
        out += ascii;
        i += 2;
        continue;
      }
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      out += ' ';
      ++i;
      continue;
    }
    return normalize(text, kFoldCase | kStripAccents | kAsciiPunct);
  }
  return out;
}

std::string fold_key_or_raw(std::string_view text) {
  try {
    return fold_key(text);
  } catch (const Error&) {
    return std::string(text);
  }
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace dossier::detail
