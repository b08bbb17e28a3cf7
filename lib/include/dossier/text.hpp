// Public text utilities: the ICU normalisation that Dossier applies to names and query keys.
#pragma once

#include <dossier/export.hpp>

#include <string>
#include <string_view>

namespace dossier {

/// Folds text to the key Dossier uses to compare names (authors, organisations, topics):
/// Unicode NFKC case folding, accents removed ("Sánchez" -> "sanchez"), typographic quotes and
/// dashes mapped to ASCII, runs of white space collapsed to one space, ends trimmed.
/// "WENDY  CUTLER" and "Wendy Cutler" give the same key.
/// Throws dossier::Error(kInvalidArgument) when `utf8` is not valid UTF-8.
/// Thread-safe.
DOSSIER_EXPORT std::string fold_key(std::string_view utf8);

/// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
/// Thread-safe; never throws.
DOSSIER_EXPORT bool is_valid_utf8(std::string_view bytes) noexcept;

}  // namespace dossier
