// Encoding detection and conversion to UTF-8: BOM, declared charset, UTF-8, ICU detector, 1252.
#include "text/encoding.hpp"

#include <dossier/error.hpp>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {
namespace {

constexpr std::size_t kSniffBytes = 8192;  // prefix examined by looks_binary and UTF-16 sniffing
constexpr std::size_t kDetectorWindow = 64 * 1024;       // bytes handed to ICU's detector
constexpr std::size_t kNfcChunk = std::size_t{1} << 20;  // NFC is checked chunk by chunk
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;
constexpr std::uint64_t kCarriageReturns = 0x0D0D0D0D0D0D0D0DULL;
// Bytes that are not UTF-8 are read as UTF-8 with U+FFFD anyway when valid multi-byte sequences
// clearly dominate: legacy 8-bit text is valid UTF-8 only by freak chance (an upper-case accented
// letter followed by a C1 punctuation byte), and CJK double-byte text, where chance pairs are
// common, has far more invalid bytes than valid pairs.
constexpr std::size_t kMinValidSequences = 4;  // without a UTF-8 label
constexpr std::size_t kValidPerBadByte = 3;    // without a UTF-8 label; with one, 1
// An unknown label is quoted in Decoded::ignored_label up to this many bytes.
constexpr std::size_t kMaxLabelShown = 32;
// What a label found by scanning bytes as ASCII must read as itself: markup punctuation, and '+'
// and '&', which UTF-7 and IMAP's variant of it use as shift characters.
constexpr std::string_view kAsciiProbe = "<meta charset=\"a+b\"> 09AZaz./:;-_'&#?%!,()[]{}@";

struct ConverterCloser {
  void operator()(UConverter* c) const noexcept { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

struct DetectorCloser {
  void operator()(UCharsetDetector* d) const noexcept { ucsdet_close(d); }
};
using DetectorPtr = std::unique_ptr<UCharsetDetector, DetectorCloser>;

// What one pass over the input tells us, so that the common case needs no second look.
struct Utf8Scan {
  std::size_t first_invalid = std::string_view::npos;
  bool non_ascii = false;
  bool has_cr = false;
  // A lead byte >= 0xCC starts a code point >= U+0300; below that every character is NFC
  // quick-check "yes" and cannot combine with its neighbours, so text without one is NFC.
  bool maybe_not_nfc = false;

  [[nodiscard]] bool valid() const noexcept { return first_invalid == std::string_view::npos; }
};

constexpr bool has_zero_byte(std::uint64_t v) noexcept {
  return ((v - kLowBits) & ~v & kHighBits) != 0;
}

Utf8Scan scan_utf8(std::string_view bytes) noexcept {
  Utf8Scan scan;
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time: most of every corpus.
    if (i + 8 <= n) {
      std::uint64_t word = 0;
      std::memcpy(&word, s + i, 8);
      if ((word & kHighBits) == 0) {
        if (!scan.has_cr && has_zero_byte(word ^ kCarriageReturns)) scan.has_cr = true;
        i += 8;
        continue;
      }
    }
    const std::uint8_t byte = s[i];
    if (byte < 0x80) {
      if (byte == '\r') scan.has_cr = true;
      ++i;
      continue;
    }
    scan.non_ascii = true;
    if (byte >= 0xCC) scan.maybe_not_nfc = true;
    // U8_NEXT takes int32_t offsets; decode from a window so that huge inputs are safe.
    const std::size_t window = std::min<std::size_t>(n - i, 4);
    int32_t offset = 0;
    UChar32 c = 0;
    U8_NEXT(s + i, offset, static_cast<int32_t>(window), c);
    if (c < 0) {
      scan.first_invalid = i;
      return scan;
    }
    i += static_cast<std::size_t>(offset);
  }
  return scan;
}

// CRLF and lone CR become LF, in place, moving the text between CRs in blocks.
void fix_line_ends(std::string& text) {
  const std::size_t first = text.find('\r');
  if (first == std::string::npos) return;
  char* const data = text.data();
  const std::size_t n = text.size();
  std::size_t read = first;
  std::size_t write = first;
  while (read < n) {  // data[read] is a CR
    data[write++] = '\n';
    ++read;
    if (read < n && data[read] == '\n') ++read;
    const void* next = std::memchr(data + read, '\r', n - read);
    const std::size_t end =
        next == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(next) - data);
    std::memmove(data + write, data + read, end - read);
    write += end - read;
    read = end;
  }
  text.resize(write);
}

// End of the run of ASCII bytes that starts at `i`, eight bytes at a time where possible.
std::size_t ascii_run_end(std::string_view bytes, std::size_t i) noexcept {
  const std::size_t n = bytes.size();
  while (i + 8 <= n) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, 8);
    if ((word & kHighBits) != 0) break;
    i += 8;
  }
  while (i < n && static_cast<unsigned char>(bytes[i]) < 0x80) ++i;
  return i;
}

// How bytes that failed scan_utf8 stand against UTF-8 (the same maximal-subpart rule as
// U8_NEXT: each invalid subpart is one unit, which becomes one U+FFFD).
struct Utf8Damage {
  std::size_t sequences = 0;  // valid multi-byte sequences
  std::size_t bad_bytes = 0;
  std::size_t bad_runs = 0;
  std::size_t tail = 0;      // length of a truncated sequence (a valid prefix) ending the input
  std::size_t last_bad = 0;  // offset of the last invalid subpart
};

Utf8Damage assess_utf8(std::string_view bytes) noexcept {
  Utf8Damage damage;
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t n = bytes.size();
  for (std::size_t i = ascii_run_end(bytes, 0); i < n; i = ascii_run_end(bytes, i)) {
    const std::size_t window = std::min<std::size_t>(n - i, 4);
    int32_t offset = 0;
    UChar32 c = 0;
    U8_NEXT(s + i, offset, static_cast<int32_t>(window), c);
    const auto length = static_cast<std::size_t>(offset);
    if (c >= 0) {
      ++damage.sequences;
    } else {
      ++damage.bad_runs;
      damage.bad_bytes += length;
      damage.last_bad = i;
      // A lead byte whose sequence the input ends too early for (U8_NEXT took its whole tail).
      const bool lead = s[i] >= 0xC2 && s[i] <= 0xF4;
      const auto needed = static_cast<std::size_t>(U8_COUNT_TRAIL_BYTES(s[i])) + 1;
      damage.tail = lead && i + length == n && length < needed ? length : 0;
    }
    i += length;
  }
  return damage;
}

// True when bytes with some invalid sequences are still UTF-8 text with a few damaged bytes:
// valid multi-byte sequences clearly outnumber bad bytes (a UTF-8 label lowers the bar), or the
// only damage is a sequence cut off by truncation after other UTF-8 text.
bool mostly_utf8(std::string_view bytes, const Utf8Damage& damage, bool utf8_label) noexcept {
  if (damage.bad_bytes == 0) return true;
  const std::size_t min_sequences = utf8_label ? 1 : kMinValidSequences;
  const std::size_t per_bad_byte = utf8_label ? 1 : kValidPerBadByte;
  if (damage.sequences >= min_sequences && damage.sequences >= per_bad_byte * damage.bad_bytes) {
    return true;
  }
  if (damage.bad_runs != 1 || damage.tail == 0) return false;
  if (damage.sequences > 0) return true;
  // One lead byte at the very end and nothing else: in windows-1252 bytes C2-DE (but D7, the
  // multiplication sign) are upper-case letters, which no language glues to the end of a
  // lower-case word ("caf\xC3"); a final lower-case accent ("caf\xE9", "Fu\xDF") is 8-bit text.
  const auto lead = static_cast<unsigned char>(bytes[damage.last_bad]);
  const char before = damage.last_bad > 0 ? bytes[damage.last_bad - 1] : ' ';
  return damage.tail == 1 && lead >= 0xC2 && lead <= 0xDE && lead != 0xD7 && before >= 'a' &&
         before <= 'z';
}

// UTF-8 with each invalid subpart replaced by U+FFFD (as U8_NEXT delimits them).
std::string decode_utf8_lossy(std::string_view bytes) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t n = bytes.size();
  std::string out;
  out.reserve(n + n / 8);
  std::size_t copied = 0;  // bytes[0, copied) are in `out`
  for (std::size_t i = ascii_run_end(bytes, 0); i < n; i = ascii_run_end(bytes, i)) {
    const std::size_t window = std::min<std::size_t>(n - i, 4);
    int32_t offset = 0;
    UChar32 c = 0;
    U8_NEXT(s + i, offset, static_cast<int32_t>(window), c);
    if (c < 0) {
      out.append(bytes, copied, i - copied);
      out += kReplacement;
      copied = i + static_cast<std::size_t>(offset);
    }
    i += static_cast<std::size_t>(offset);
  }
  out.append(bytes, copied, std::string_view::npos);
  return out;
}

std::string lossy_utf8_name(std::size_t bad_bytes) {
  return "UTF-8 (" + std::to_string(bad_bytes) +
         (bad_bytes == 1 ? " invalid byte replaced)" : " invalid bytes replaced)");
}

const icu::Normalizer2& nfc_instance() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) {
    throw Error(ErrorCode::kInternal,
                std::string("ICU NFC normaliser unavailable: ") + u_errorName(status));
  }
  return *nfc;
}

// Brings valid UTF-8 to NFC. Works on chunks that end before an ASCII byte: an ASCII character
// never combines with what precedes it and has combining class 0, so normalisation never crosses
// such a boundary. Only chunks that fail the check are rewritten, which keeps memory and time
// linear and lets huge inputs (beyond ICU's int32_t lengths) through.
void to_nfc(std::string& text) {
  const icu::Normalizer2& nfc = nfc_instance();
  std::string out;
  bool changed = false;
  std::size_t copied = 0;  // text[0, copied) is already represented in `out`
  std::size_t begin = 0;
  const std::size_t n = text.size();
  while (begin < n) {
    std::size_t end = n;
    if (n - begin > kNfcChunk) {
      end = begin + kNfcChunk;
      while (end < n && static_cast<unsigned char>(text[end]) >= 0x80) ++end;
    }
    const std::string_view chunk(text.data() + begin, end - begin);
    const bool maybe = std::any_of(chunk.begin(), chunk.end(),
                                   [](char c) { return static_cast<unsigned char>(c) >= 0xCC; });
    if (maybe) {
      if (chunk.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
        throw Error(ErrorCode::kParse, "cannot normalise text: over 2 GiB without an ASCII byte");
      }
      const icu::StringPiece piece(chunk.data(), static_cast<int32_t>(chunk.size()));
      UErrorCode status = U_ZERO_ERROR;
      if (!nfc.isNormalizedUTF8(piece, status) || U_FAILURE(status)) {
        if (!changed) {
          out.reserve(n + n / 16);
          changed = true;
        }
        out.append(text, copied, begin - copied);
        status = U_ZERO_ERROR;
        icu::StringByteSink<std::string> sink(&out);
        nfc.normalizeUTF8(0, piece, sink, nullptr, status);
        if (U_FAILURE(status)) {
          throw Error(ErrorCode::kInternal,
                      std::string("ICU NFC normalisation failed: ") + u_errorName(status));
        }
        copied = end;
      }
    }
    begin = end;
  }
  if (changed) {
    out.append(text, copied, std::string::npos);
    text.swap(out);
  }
}

// The last two steps every decoded text goes through.
Decoded finish(std::string text, std::string encoding, bool converted, bool maybe_cr,
               bool maybe_not_nfc) {
  if (maybe_cr) fix_line_ends(text);
  if (maybe_not_nfc) to_nfc(text);
  return Decoded{std::move(text), std::move(encoding), converted, {}};
}

// windows-1252 as browsers decode it (WHATWG): the five unassigned bytes 0x81, 0x8D, 0x8F, 0x90
// and 0x9D map to the C1 controls of the same value, so decoding never fails. Done by hand
// because it is the fallback for most legacy text and a table beats a converter round trip.
constexpr std::array<char16_t, 32> kWindows1252C1 = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

char32_t windows_1252_char(unsigned char byte) noexcept {
  return byte < 0xA0 ? kWindows1252C1[byte - 0x80U] : char32_t{byte};
}

std::string decode_windows_1252(std::string_view bytes) {
  // Two passes, sizing first, so that large inputs are written once without reallocation.
  std::size_t size = bytes.size();
  for (std::size_t i = ascii_run_end(bytes, 0); i < bytes.size(); i = ascii_run_end(bytes, i)) {
    size += windows_1252_char(static_cast<unsigned char>(bytes[i])) < 0x800 ? std::size_t{1}
                                                                            : std::size_t{2};
    ++i;
  }
  std::string out(size, '\0');
  char* o = out.data();
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::size_t end = ascii_run_end(bytes, i);
    std::memcpy(o, bytes.data() + i, end - i);
    o += end - i;
    if (end == bytes.size()) break;
    const char32_t c = windows_1252_char(static_cast<unsigned char>(bytes[end]));
    if (c < 0x800) {
      *o++ = static_cast<char>(0xC0 | (c >> 6));
    } else {
      *o++ = static_cast<char>(0xE0 | (c >> 12));
      *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    }
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
    i = end + 1;
  }
  return out;
}

// Converts with an ICU converter straight into UTF-8 (ucnv_convertEx pivots through a small
// buffer, so no UTF-16 copy of the whole text is made). Strict mode stops at the first byte
// sequence that is illegal or unassigned in `from` and reports its offset in `*bad_offset`;
// lenient mode substitutes U+FFFD. Returns nullopt when strict conversion fails.
std::optional<std::string> convert(std::string_view bytes, UConverter* from, bool strict,
                                   std::size_t* bad_offset) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr utf8(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInternal,
                std::string("ICU UTF-8 converter unavailable: ") + u_errorName(status));
  }
  ucnv_setToUCallBack(from, strict ? UCNV_TO_U_CALLBACK_STOP : UCNV_TO_U_CALLBACK_SUBSTITUTE,
                      nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInternal,
                std::string("ICU converter callback not set: ") + u_errorName(status));
  }
  ucnv_reset(from);

  std::string out(bytes.size() + bytes.size() / 2 + 64, '\0');
  std::array<UChar, 4096> pivot{};
  UChar* pivot_source = pivot.data();
  UChar* pivot_target = pivot.data();
  const char* source = bytes.data();
  const char* const source_end = bytes.data() + bytes.size();
  char* target = out.data();
  bool reset = true;
  for (;;) {
    status = U_ZERO_ERROR;
    ucnv_convertEx(utf8.get(), from, &target, out.data() + out.size(), &source, source_end,
                   pivot.data(), &pivot_source, &pivot_target, pivot.data() + pivot.size(),
                   static_cast<UBool>(reset), /*flush=*/1, &status);
    reset = false;
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      const auto used = static_cast<std::size_t>(target - out.data());
      out.resize(out.size() + out.size() / 2 + 64);
      target = out.data() + used;
      continue;
    }
    if (U_FAILURE(status)) {
      std::array<char, 32> invalid{};
      auto invalid_length = static_cast<int8_t>(invalid.size());
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidChars(from, invalid.data(), &invalid_length, &ignored);
      const auto consumed = static_cast<std::size_t>(source - bytes.data());
      const auto bad = static_cast<std::size_t>(std::max<int8_t>(invalid_length, 0));
      if (bad_offset != nullptr) *bad_offset = consumed >= bad ? consumed - bad : 0;
      return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(target - out.data()));
    return out;
  }
}

// An opened ICU converter and the name Dossier reports for it.
struct Charset {
  ConverterPtr converter;
  std::string name;  // preferred MIME name, else IANA, else ICU's own
  bool windows_1252 = false;
  bool utf8 = false;
  bool utf16_or_32 = false;
};

// Opens `label` in ICU; nullopt when ICU does not know it. ISO-8859-1 and US-ASCII become
// windows-1252, as browsers read them (their C1 range is almost always 1252 punctuation).
std::optional<Charset> open_charset(std::string_view label) {
  const std::string name(label);
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name.c_str(), &status));
  if (U_FAILURE(status) || converter == nullptr) return std::nullopt;
  const char* internal = ucnv_getName(converter.get(), &status);
  if (U_FAILURE(status)) return std::nullopt;
  const char* canonical = nullptr;
  for (const char* standard : {"MIME", "IANA", "WINDOWS"}) {
    UErrorCode ignored = U_ZERO_ERROR;
    canonical = ucnv_getStandardName(internal, standard, &ignored);
    if (canonical != nullptr) break;
  }
  Charset charset;
  charset.name = canonical != nullptr ? canonical : internal;
  if (charset.name == "ISO-8859-1" || charset.name == "US-ASCII" ||
      charset.name == "windows-1252") {
    charset.name = "windows-1252";
    charset.windows_1252 = true;
  }
  charset.utf8 = charset.name == "UTF-8";
  const UConverterType type = ucnv_getType(converter.get());
  charset.utf16_or_32 = type == UCNV_UTF16 || type == UCNV_UTF16_BigEndian ||
                        type == UCNV_UTF16_LittleEndian || type == UCNV_UTF32 ||
                        type == UCNV_UTF32_BigEndian || type == UCNV_UTF32_LittleEndian;
  charset.converter = std::move(converter);
  return charset;
}

std::string_view trim_label(std::string_view label) {
  const auto junk = [](char c) { return c == ' ' || c == '\t' || c == '"' || c == '\''; };
  while (!label.empty() && junk(label.front())) label.remove_prefix(1);
  while (!label.empty() && junk(label.back())) label.remove_suffix(1);
  return label;
}

std::string offset_text(std::size_t offset) {
  return "byte " + std::to_string(offset);
}

// Decoded::ignored_label for an unknown declared label. The label is the caller's text: shown
// as printable ASCII ('?' for anything else) and cut to a bounded size.
std::string shown_label(std::string_view label) {
  std::string shown;
  for (const char c : label.substr(0, kMaxLabelShown)) {
    shown += c >= ' ' && c <= '~' ? c : '?';
  }
  if (label.size() > kMaxLabelShown) shown += "...";
  return shown;
}

// "UTF-32LE" / "UTF-32BE" for a UTF-32 byte order mark, else nullptr. FF FE 00 00 would also
// start UTF-16LE text whose first character is U+0000, which text never holds: UTF-32LE wins.
const char* utf32_bom(std::string_view bytes) noexcept {
  if (bytes.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) return "UTF-32LE";
  if (bytes.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) return "UTF-32BE";
  return nullptr;
}

// "UTF-16LE" / "UTF-16BE" for a UTF-16 byte order mark, else nullptr (check UTF-32 first).
const char* utf16_bom(std::string_view bytes) noexcept {
  if (bytes.substr(0, 2) == "\xFF\xFE") return "UTF-16LE";
  if (bytes.substr(0, 2) == "\xFE\xFF") return "UTF-16BE";
  return nullptr;
}

// UTF-16 without a BOM shows itself in Latin text by NUL bytes on one parity only.
// Returns "UTF-16LE", "UTF-16BE" or nullptr.
const char* sniff_utf16(std::string_view bytes) noexcept {
  const std::string_view prefix = bytes.substr(0, kSniffBytes);
  const std::size_t pairs = prefix.size() / 2;
  if (pairs < 2) return nullptr;
  std::size_t even = 0;
  std::size_t odd = 0;
  for (std::size_t i = 0; i + 1 < prefix.size(); i += 2) {
    if (prefix[i] == '\0') ++even;
    if (prefix[i + 1] == '\0') ++odd;
  }
  if (odd * 4 >= pairs && even * 10 <= odd) return "UTF-16LE";
  if (even * 4 >= pairs && odd * 10 <= even) return "UTF-16BE";
  return nullptr;
}

// Decodes with one of ICU's Unicode converters (always available). Strict failure throws.
Decoded decode_with(std::string_view bytes, const char* name, bool strict) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name, &status));
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInternal,
                std::string("ICU ") + name + " converter unavailable: " + u_errorName(status));
  }
  std::size_t bad = 0;
  std::optional<std::string> text = convert(bytes, converter.get(), strict, &bad);
  if (!text) {
    throw Error(ErrorCode::kParse, std::string("cannot decode text: it looks like ") + name +
                                       " without a byte order mark but is not valid " + name +
                                       " (at " + offset_text(bad) +
                                       (bytes.size() % 2 != 0 ? ", odd length)" : ")"));
  }
  return finish(std::move(*text), name, true, true, true);
}

// UTF-8 with a few bad bytes: U+FFFD for each invalid subpart, and a name that says how many
// bytes were lost, so that callers can warn.
Decoded decode_damaged_utf8(std::string_view bytes, const Utf8Damage& damage) {
  return finish(decode_utf8_lossy(bytes), lossy_utf8_name(damage.bad_bytes), true, true, true);
}

// True when `converter` reads ASCII as ASCII. A label found by scanning markup as ASCII cannot
// name an encoding that does not (EBCDIC, UTF-7, BOCU-1...): the markup would not have been
// readable.
bool reads_ascii(UConverter* converter) {
  const std::optional<std::string> text = convert(kAsciiProbe, converter, true, nullptr);
  return text && *text == kAsciiProbe;
}

enum class Family { kLatin1, kUtf16, kMultiByte, kEightBit };

struct Allowed {
  const char* detected;  // name ICU's detector reports
  const char* reported;  // name we convert with and report
  Family family;
};

// Encodings common in scraped archives. ICU's ISO-8859-1 and windows-1252 guesses are both read
// as windows-1252, ISO-8859-9 as windows-1254 (as browsers do).
constexpr std::array<Allowed, 20> kAllowed = {{
    {"ISO-8859-1", "windows-1252", Family::kLatin1},
    {"windows-1252", "windows-1252", Family::kLatin1},
    {"UTF-16LE", "UTF-16LE", Family::kUtf16},
    {"UTF-16BE", "UTF-16BE", Family::kUtf16},
    {"Shift_JIS", "Shift_JIS", Family::kMultiByte},
    {"EUC-JP", "EUC-JP", Family::kMultiByte},
    {"GB18030", "GB18030", Family::kMultiByte},
    {"Big5", "Big5", Family::kMultiByte},
    {"EUC-KR", "EUC-KR", Family::kMultiByte},
    {"ISO-8859-2", "ISO-8859-2", Family::kEightBit},
    {"windows-1250", "windows-1250", Family::kEightBit},
    {"ISO-8859-5", "ISO-8859-5", Family::kEightBit},
    {"windows-1251", "windows-1251", Family::kEightBit},
    {"KOI8-R", "KOI8-R", Family::kEightBit},
    {"ISO-8859-7", "ISO-8859-7", Family::kEightBit},
    {"windows-1253", "windows-1253", Family::kEightBit},
    {"ISO-8859-9", "windows-1254", Family::kEightBit},
    {"windows-1254", "windows-1254", Family::kEightBit},
    {"ISO-8859-6", "ISO-8859-6", Family::kEightBit},
    {"windows-1256", "windows-1256", Family::kEightBit},
}};

// ICU gives every UTF-16 guess a baseline of 10 and multi-byte guesses 10 for a few valid
// pairs; real evidence scores far higher.
constexpr int kMinMultiByteConfidence = 30;
constexpr int kMinUtf16Confidence = 50;
// For short English text with a few accented letters ICU often scores a Central European or
// Turkish code page close to Latin-1 (even level): another 8-bit guess must clearly win.
constexpr int kMinEightBitConfidence = 30;
constexpr int kEightBitMargin = 10;
// Nor can a handful of accented letters ("Jos\xE9 Mar\xEDa") outvote the windows-1252 prior.
constexpr std::size_t kMinEightBitEvidence = 8;  // bytes >= 0x80 in the detector's window

const Allowed* allowed_for(const char* detected) noexcept {
  const auto* found = std::find_if(kAllowed.begin(), kAllowed.end(), [&](const Allowed& a) {
    return std::strcmp(a.detected, detected) == 0;
  });
  return found == kAllowed.end() ? nullptr : found;
}

// Asks ICU's detector about a window of the text around the first non-UTF-8 byte (the
// detector's statistics cost time linear in its input, and an ASCII preamble says little).
// Returns the decoded text of the best acceptable guess, or nullopt for "use windows-1252".
std::optional<Decoded> detect_and_convert(std::string_view bytes, std::size_t first_invalid) {
  const std::size_t start =
      first_invalid > kDetectorWindow / 4 ? first_invalid - kDetectorWindow / 4 : 0;
  const std::string_view window = bytes.substr(start, kDetectorWindow);
  UErrorCode status = U_ZERO_ERROR;
  DetectorPtr detector(ucsdet_open(&status));
  if (U_FAILURE(status)) return std::nullopt;
  // Markup would skew the statistics towards ASCII; the filter drops <...>.
  ucsdet_enableInputFilter(detector.get(), 1);
  ucsdet_setText(detector.get(), window.data(), static_cast<int32_t>(window.size()), &status);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
  if (U_FAILURE(status) || matches == nullptr) return std::nullopt;

  struct Guess {
    const Allowed* allowed;
    int32_t confidence;
  };
  std::vector<Guess> guesses;
  int32_t latin1 = 0;
  for (int32_t m = 0; m < count; ++m) {
    UErrorCode match_status = U_ZERO_ERROR;
    const char* name = ucsdet_getName(matches[m], &match_status);
    const int32_t confidence = ucsdet_getConfidence(matches[m], &match_status);
    if (U_FAILURE(match_status) || name == nullptr) continue;
    if (const Allowed* allowed = allowed_for(name)) {
      guesses.push_back({allowed, confidence});
      if (allowed->family == Family::kLatin1) latin1 = std::max(latin1, confidence);
    }
  }
  const auto high_bytes = static_cast<std::size_t>(std::count_if(
      window.begin(), window.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
  // Guesses come best first; the first acceptable one that converts cleanly wins.
  for (const Guess& guess : guesses) {
    const Family family = guess.allowed->family;
    if (family == Family::kLatin1) return std::nullopt;
    const bool trusted =
        (family == Family::kUtf16 && guess.confidence >= kMinUtf16Confidence) ||
        (family == Family::kMultiByte && guess.confidence >= kMinMultiByteConfidence) ||
        (family == Family::kEightBit && guess.confidence >= kMinEightBitConfidence &&
         guess.confidence >= latin1 + kEightBitMargin && high_bytes >= kMinEightBitEvidence);
    if (!trusted) continue;
    UErrorCode open_status = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open(guess.allowed->reported, &open_status));
    if (U_FAILURE(open_status)) continue;
    std::optional<std::string> text = convert(bytes, converter.get(), true, nullptr);
    if (text) return finish(std::move(*text), guess.allowed->reported, true, true, true);
  }
  return std::nullopt;
}

}  // namespace

bool looks_binary(std::string_view bytes) noexcept {
  // UTF-16 and UTF-32 text is full of NUL bytes; with a byte order mark it is unmistakably text.
  if (utf32_bom(bytes) != nullptr || utf16_bom(bytes) != nullptr) return false;
  const std::string_view prefix = bytes.substr(0, kSniffBytes);
  // Without a BOM, UTF-16 is judged by its code units: text has no U+0000 and few controls.
  if (const char* utf16 = sniff_utf16(bytes)) {
    const bool little_endian = std::strcmp(utf16, "UTF-16LE") == 0;
    std::size_t units = 0;
    std::size_t controls = 0;
    for (std::size_t i = 0; i + 1 < prefix.size(); i += 2, ++units) {
      const auto lo = static_cast<unsigned char>(prefix[little_endian ? i : i + 1]);
      const auto hi = static_cast<unsigned char>(prefix[little_endian ? i + 1 : i]);
      if (hi != 0) continue;
      if (lo == 0) return true;
      if (lo < 0x20 && lo != '\t' && lo != '\n' && lo != '\r' && lo != '\f') ++controls;
    }
    return controls * 10 > units;
  }
  std::size_t controls = 0;
  for (const char ch : prefix) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
  }
  return controls * 10 > prefix.size();
}

Decoded decode_to_utf8(std::string_view bytes, std::string_view declared) {
  // 1. A byte order mark wins. Its encoding is then certain, so stray bad sequences become
  // U+FFFD rather than making the whole file unreadable.
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    const std::string_view rest = bytes.substr(3);
    const Utf8Scan scan = scan_utf8(rest);
    if (scan.valid()) {
      return finish(std::string(rest), "UTF-8", false, scan.has_cr, scan.maybe_not_nfc);
    }
    return decode_damaged_utf8(rest, assess_utf8(rest));
  }
  // UTF-32 before UTF-16: the UTF-32LE BOM starts with the UTF-16LE one.
  if (const char* name = utf32_bom(bytes)) {
    return decode_with(bytes.substr(4), name, /*strict=*/false);
  }
  if (const char* name = utf16_bom(bytes)) {
    return decode_with(bytes.substr(2), name, /*strict=*/false);
  }

  const Utf8Scan scan = scan_utf8(bytes);
  const auto as_utf8 = [&] {
    return finish(std::string(bytes), "UTF-8", false, scan.has_cr, scan.maybe_not_nfc);
  };
  // Only bytes that fail the scan are looked at again, once, and only when it matters.
  std::optional<Utf8Damage> damage;
  const auto damaged_utf8 = [&](bool utf8_label) {
    if (scan.valid()) return false;
    if (!damage) damage = assess_utf8(bytes);
    return mostly_utf8(bytes, *damage, utf8_label);
  };

  // 2. The declared encoding, if the bytes convert without error.
  bool unknown_declared = false;
  bool utf8_label = false;
  const std::string_view label = trim_label(declared);
  if (!label.empty()) {
    std::optional<Charset> charset = open_charset(label);
    if (!charset) {
      unknown_declared = true;
    } else if (!charset->utf8 && !charset->windows_1252 && !charset->utf16_or_32 &&
               !reads_ascii(charset->converter.get())) {
      charset.reset();  // as if undeclared
    }
    if (charset) {
      utf8_label = charset->utf8;
      if (charset->utf8) {
        if (scan.valid()) return as_utf8();
      } else if (charset->utf16_or_32) {
        // A charset found in markup cannot be UTF-16 (the markup was read as ASCII); believe
        // it only when the bytes have the NUL bytes that UTF-16 text must have.
        if (bytes.substr(0, kSniffBytes).find('\0') != std::string_view::npos) {
          std::optional<std::string> text = convert(bytes, charset->converter.get(), true, nullptr);
          if (text) return finish(std::move(*text), charset->name, true, true, true);
        }
      } else if (scan.valid() ? scan.non_ascii : damaged_utf8(false)) {
        // Mislabelled pages are common, and legacy text is valid UTF-8 with multi-byte
        // sequences only by freak chance: the bytes overrule the label.
        return scan.valid() ? as_utf8() : decode_damaged_utf8(bytes, *damage);
      } else if (charset->windows_1252) {
        // Pure ASCII reads the same in UTF-8: nothing was converted. (The scan stops at the
        // first invalid byte, so its has_cr is only trusted when the bytes are valid.)
        const bool ascii = scan.valid();
        return finish(decode_windows_1252(bytes), "windows-1252", !ascii, !ascii || scan.has_cr,
                      false);
      } else if (std::optional<std::string> text =
                     convert(bytes, charset->converter.get(), true, nullptr)) {
        // ASCII under an ASCII-compatible label comes out unchanged: nothing was converted.
        const bool same = scan.valid() && *text == bytes;
        return finish(std::move(*text), charset->name, !same, true, true);
      }
    }
  }

  // 3-6 decide from the bytes alone, as if nothing (or an unknown label) was declared.
  const auto detect = [&] {
    // 3. UTF-16 without a BOM: Latin text in it is valid UTF-8 full of NULs, so look first.
    if (const char* utf16 = sniff_utf16(bytes)) return decode_with(bytes, utf16, /*strict=*/true);

    // 4. Valid UTF-8 as is; UTF-8 with a few bad bytes (a stray byte, a truncated end) with
    // U+FFFD for them, rather than the whole text as mojibake.
    if (scan.valid()) return as_utf8();
    if (damaged_utf8(utf8_label)) return decode_damaged_utf8(bytes, *damage);

    if (looks_binary(bytes)) {
      throw Error(ErrorCode::kParse,
                  "cannot decode text: the bytes look binary (NUL or control bytes) and are "
                  "neither UTF-8 nor UTF-16");
    }

    // 5. ICU's detector, limited to encodings common in scraped archives.
    if (std::optional<Decoded> detected = detect_and_convert(bytes, scan.first_invalid)) {
      return std::move(*detected);
    }

    // 6. windows-1252 reads any 8-bit text.
    return finish(decode_windows_1252(bytes), "windows-1252", true, true, false);
  };

  Decoded decoded = detect();
  // A misspelt label ("windwos-1252", "utf-8x") is common in saved pages and says nothing;
  // rejecting the page for it would lose the text. Name it, so that callers can warn.
  if (unknown_declared) decoded.ignored_label = shown_label(label);
  return decoded;
}

}  // namespace dossier::detail
