// Encoding detection and conversion to UTF-8 (ICU charset detection and converters).
#pragma once

#include <string>
#include <string_view>

namespace dossier::detail {

/// Input decoded to UTF-8.
struct Decoded {
  std::string utf8;           ///< Valid UTF-8, NFC, BOM removed, CRLF/CR line ends turned into LF.
  std::string encoding;       ///< Canonical name of the source encoding: "UTF-8", "windows-1252",
                              ///< "UTF-32LE", ... or "UTF-8 (N invalid bytes replaced)" ("1 invalid
                              ///< byte") when UTF-8 with bad bytes was read with U+FFFD for them.
  bool converted = false;     ///< True when the bytes were not already UTF-8 (a non-UTF-8 decoder
                              ///< ran, or bad bytes in UTF-8 became U+FFFD).
  std::string ignored_label;  ///< The declared label when ICU did not know it and detection
                              ///< decided instead (trimmed, printable ASCII with '?' for other
                              ///< bytes, at most 32 bytes then "..."), so that callers can warn.
};

/// True when `bytes` looks like a binary file rather than text: a NUL byte in the first 8 KiB,
/// or more than 10% of that prefix in C0 control bytes other than tab, LF, CR and form feed.
/// UTF-16 is judged by code units, not bytes: with a BOM it is text (so is UTF-32 with a BOM;
/// UTF-32 without one is binary); without one (recognised by
/// NUL bytes on one parity only) it is binary only if it holds U+0000 or over 10% controls.
bool looks_binary(std::string_view bytes) noexcept;

/// Decodes text of unknown or declared encoding to UTF-8.
/// Order: a BOM (UTF-8, UTF-32LE/BE, UTF-16LE/BE; FF FE 00 00 is UTF-32LE, never UTF-16LE
/// starting with U+0000) wins, and stray bad sequences after it become U+FFFD; then
/// `declared` (e.g. an HTML meta charset, any name ICU knows; "iso-8859-1" and "us-ascii" are
/// read as windows-1252, as browsers do) if the bytes convert without error — except that bytes
/// that are valid or mostly valid UTF-8 (below) with multi-byte sequences overrule a declared
/// legacy encoding (mislabelled pages), a declared UTF-16/32 is ignored unless the bytes hold
/// NULs (markup cannot be UTF-16 without a BOM), and a declared encoding that does not read
/// ASCII as ASCII (EBCDIC, UTF-7, BOCU-1: the label was found by reading bytes as ASCII) is
/// ignored as if absent, and so is a label ICU does not know (a typo such as "windwos-1252";
/// Decoded::ignored_label then names it); then UTF-16 without a BOM, recognised by NUL bytes on one
/// parity (Latin text in it is otherwise valid UTF-8); then valid UTF-8 is taken as is; then mostly
/// valid UTF-8 is read with U+FFFD for each invalid sequence (see Decoded::encoding): at least 4
/// valid multi-byte sequences and at least 3 per invalid byte (with a declared UTF-8, 1 and 1),
/// or a single sequence cut short at the very end after other UTF-8 text (or, alone, a lead byte
/// that windows-1252 would read as an upper-case letter right after a lower-case word); then
/// ICU's charset detector, limited to encodings common in scraped archives and trusted over
/// windows-1252 only on clear evidence (windows-1252 for any Latin-1 guess); windows-1252 as the
/// last resort for 8-bit text (its five unassigned bytes map to C1 controls, as in browsers).
/// Linear in the input; the common case (valid UTF-8, no BOM, no CR, NFC) is one scan and a copy.
/// Throws Error(kParse, "...") with the reason when the bytes cannot be decoded at all (e.g.
/// UTF-16 without BOM that is not valid, or binary bytes as looks_binary() sees them that are
/// neither UTF-8 nor UTF-16).
Decoded decode_to_utf8(std::string_view bytes, std::string_view declared = {});

}  // namespace dossier::detail
