// ICU normalisation: NFC, case folding, accent stripping, punctuation mapping, space collapsing.
#include "text/normalize.hpp"

#include <dossier/error.hpp>
#include <dossier/text.hpp>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>

namespace dossier::detail {
namespace {

const icu::Normalizer2& instance(const icu::Normalizer2* (*get)(UErrorCode&), const char* what) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = get(status);
  if (U_FAILURE(status) || n == nullptr) {
    throw Error(ErrorCode::kInternal,
                std::string("ICU ") + what + " normaliser unavailable: " + u_errorName(status));
  }
  return *n;
}

// Typographic punctuation that researchers type in ASCII: quotes, apostrophes, primes, dashes.
UChar32 ascii_punct(UChar32 c) {
  switch (c) {
    case 0x2018:  // ‘
    case 0x2019:  // ’
    case 0x201A:  // ‚
    case 0x201B:  // ‛
    case 0x2032:  // ′
    case 0x02BC:  // ʼ modifier letter apostrophe
      return '\'';
    case 0x201C:  // “
    case 0x201D:  // ”
    case 0x201E:  // „
    case 0x201F:  // ‟
    case 0x2033:  // ″
    case 0x00AB:  // «
    case 0x00BB:  // »
      return '"';
    case 0x2010:  // hyphen
    case 0x2011:  // non-breaking hyphen
    case 0x2012:  // figure dash
    case 0x2013:  // en dash
    case 0x2014:  // em dash
    case 0x2015:  // horizontal bar
    case 0x2212:  // minus sign
      return '-';
    default:
      return c;
  }
}

}  // namespace

std::string normalize(std::string_view utf8, unsigned flags) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  UErrorCode status = U_ZERO_ERROR;
  if ((flags & kStripAccents) != 0U) {
    text = instance(&icu::Normalizer2::getNFDInstance, "NFD").normalize(text, status);
    icu::UnicodeString stripped;
    for (int32_t i = 0; i < text.length();) {
      const UChar32 c = text.char32At(i);
      if (u_charType(c) != U_NON_SPACING_MARK) stripped.append(c);
      i += U16_LENGTH(c);
    }
    text = std::move(stripped);
  }
  if ((flags & kFoldCase) != 0U) {
    text = instance(&icu::Normalizer2::getNFKCCasefoldInstance, "NFKC_Casefold")
               .normalize(text, status);
  } else {
    text = instance(&icu::Normalizer2::getNFCInstance, "NFC").normalize(text, status);
  }
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInternal,
                std::string("ICU normalisation failed: ") + u_errorName(status));
  }
  if ((flags & (kAsciiPunct | kCollapseSpace)) != 0U) {
    icu::UnicodeString out;
    bool pending_space = false;
    for (int32_t i = 0; i < text.length();) {
      UChar32 c = text.char32At(i);
      i += U16_LENGTH(c);
      if ((flags & kCollapseSpace) != 0U && u_isUWhiteSpace(c)) {
        pending_space = !out.isEmpty();
        continue;
      }
      if ((flags & kAsciiPunct) != 0U) c = ascii_punct(c);
      if (pending_space) out.append(static_cast<UChar>(' '));
      pending_space = false;
      out.append(c);
    }
    text = std::move(out);
  }
  std::string result;
  text.toUTF8String(result);
  return result;
}

std::string to_nfc(std::string utf8) {
  // Pure ASCII is always NFC; most corpus text is, so skip ICU entirely for it.
  const bool ascii = std::all_of(utf8.begin(), utf8.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return utf8;
  const auto& nfc = instance(&icu::Normalizer2::getNFCInstance, "NFC");
  UErrorCode status = U_ZERO_ERROR;
  const auto text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (nfc.quickCheck(text, status) == UNORM_YES && U_SUCCESS(status)) return utf8;
  return normalize(utf8, kNfcOnly);
}

std::size_t first_invalid_utf8(std::string_view bytes) noexcept {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto length = static_cast<int32_t>(bytes.size());
  int32_t i = 0;
  while (i < length) {
    // ASCII fast path: most of every corpus.
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0) return static_cast<std::size_t>(start);
  }
  return std::string_view::npos;
}

std::string to_valid_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    const std::size_t bad = first_invalid_utf8(bytes);
    out.append(bytes.substr(0, bad));
    if (bad == std::string_view::npos) break;
    out += "\xEF\xBF\xBD";
    bytes.remove_prefix(bad + 1);
  }
  return out;
}

}  // namespace dossier::detail

namespace dossier {

bool is_valid_utf8(std::string_view bytes) noexcept {
  return detail::first_invalid_utf8(bytes) == std::string_view::npos;
}

}  // namespace dossier
