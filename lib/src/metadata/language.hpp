// Language of a text, as a BCP 47 tag, for choosing the stemmer.
#pragma once

#include <string>
#include <string_view>

namespace dossier::detail {

/// Normalises a declared language ("en-US", "EN", "English", "en_GB", "fr-FR") to the BCP 47
/// primary tag Dossier stems by ("en", "fr"); returns "" when it is not a language it knows.
std::string normalize_language_tag(std::string_view declared);

/// Guesses the language of `text` from its most frequent function words, among the languages
/// that Xapian's Snowball stemmers cover (en, fr, de, es, it, pt, nl, sv, da, nb, fi, ru, tr, ...
/// at least en, fr, de, es, it, pt, nl). Reads at most the first 16 KiB. Returns "en" when the
/// text is too short (fewer than 20 words) or no language is clearly ahead.
std::string detect_language(std::string_view text);

}  // namespace dossier::detail
