// Encoding detection and conversion to UTF-8 (ICU charset detection and converters).
#pragma once

#include <string>
#include <string_view>

namespace dossier::detail {

/// Input decoded to UTF-8.
struct Decoded {
  std::string utf8;        ///< Valid UTF-8, NFC, BOM removed, CRLF/CR line ends turned into LF.
  std::string encoding;    ///< Canonical name of the source encoding: "UTF-8", "windows-1252", ...
  bool converted = false;  ///< True when the bytes were not already UTF-8.
};

/// True when `bytes` looks like a binary file rather than text: a NUL byte in the first 8 KiB,
/// or more than 10% of that prefix in C0 control bytes other than tab, LF, CR and form feed.
bool looks_binary(std::string_view bytes) noexcept;

/// Decodes text of unknown or declared encoding to UTF-8.
/// Order: a BOM (UTF-8/UTF-16LE/BE) wins; then `declared` (e.g. an HTML meta charset, any name
/// ICU knows; "iso-8859-1" and "us-ascii" are read as windows-1252, as browsers do) if the bytes
/// convert without error; then valid UTF-8 is taken as is; then ICU's charset detector, limited
/// to encodings common in scraped archives (windows-1252 for any Latin-1 guess); windows-1252 as
/// the last resort for 8-bit text.
/// Throws Error(kParse, "...") with the reason when the bytes cannot be decoded at all (e.g.
/// UTF-16 without BOM that is not valid, or a declared encoding ICU does not know and the bytes
/// are not UTF-8).
Decoded decode_to_utf8(std::string_view bytes, std::string_view declared = {});

}  // namespace dossier::detail
