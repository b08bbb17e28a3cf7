// Language of a text, as a BCP 47 tag, for choosing the stemmer.
#pragma once

#include <string>
#include <string_view>

namespace dossier::detail {

/// Normalises a declared language ("en-US", "EN", "English", "en_GB", "fr-FR") to the BCP 47
/// primary tag Dossier stems by ("en", "fr"); returns "" when it is not a language it knows.
/// Accepts BCP 47 tags with '-' or '_' ("zh-Hans-CN" -> "zh"), ISO 639-2 codes ("fre"),
/// deprecated codes ("iw" -> "he", "no" -> "nb"), English names and endonyms in any case and
/// with or without accents ("FRANÇAIS", "francais"), "English (United States)", and the first
/// entry of an Accept-Language list ("en-US,en;q=0.9"). Knows the Snowball languages plus about
/// thirty common unstemmed ones (zh, ja, ko, he, el, pl, ...). Never throws.
std::string normalize_language_tag(std::string_view declared);

/// Guesses the language of `text` from its most frequent function words, among the languages
/// that Xapian's Snowball stemmers cover (en, fr, de, es, it, pt, nl, sv, da, nb, fi, ru, tr, ...
/// at least en, fr, de, es, it, pt, nl). Reads at most the first 16 KiB. Returns "en" when the
/// text is too short (fewer than 20 words) or no language is clearly ahead. Detects en, fr, de,
/// es, it, pt, nl, sv, da, nb, fi, ru, tr, hu, ro, id, ca and ar; "clearly ahead" means function
/// words make up at least a tenth of the words and the winner leads the runner-up by a fifth of
/// its score (words shared by several languages count fractionally). Linear in the bytes read;
/// accepts any bytes (malformed UTF-8 just ends words). Never throws.
std::string detect_language(std::string_view text);

}  // namespace dossier::detail
