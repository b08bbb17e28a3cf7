// ICU-based text normalisation shared by ingest, indexing and query parsing.
#pragma once

#include <string>
#include <string_view>

namespace dossier::detail {

/// What normalize() does beyond NFC. Combine with |.
enum NormalizeFlags : unsigned {
  kNfcOnly = 0,
  kFoldCase = 1U << 0,       ///< NFKC case folding ("WENDY" -> "wendy", "ﬁ" -> "fi").
  kStripAccents = 1U << 1,   ///< Remove combining marks after decomposition ("é" -> "e").
  kAsciiPunct = 1U << 2,     ///< Typographic quotes, apostrophes and dashes -> ASCII.
  kCollapseSpace = 1U << 3,  ///< Runs of Unicode white space -> one ' ', ends trimmed.
};

/// Normalises valid UTF-8 text. The input must be valid UTF-8 (callers validate first: see
/// utf8_valid()). Returns NFC text with the extra steps that `flags` asks for.
std::string normalize(std::string_view utf8, unsigned flags);

/// `utf8` in NFC, returned as is (no copy) when ICU's quick check says it already is.
std::string to_nfc(std::string utf8);

/// Offset of the first byte that is not part of well-formed UTF-8, or npos if all is valid.
std::size_t first_invalid_utf8(std::string_view bytes) noexcept;

/// `bytes` with U+FFFD for each byte that is not part of well-formed UTF-8: for quoting input in
/// messages, as dependencies (yaml-cpp, nlohmann::json) quote it byte by byte, and a quote may
/// end inside a character.
std::string to_valid_utf8(std::string_view bytes);

}  // namespace dossier::detail
