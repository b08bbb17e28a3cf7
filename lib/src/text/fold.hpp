// Every way Dossier folds or lower-cases text, one named function per purpose. Prose for display
// is never folded (it keeps its NFC form); folding happens where text is compared or analysed.
#pragma once

#include <dossier/text.hpp>  // fold_key: the public key for names

#include <string>
#include <string_view>

namespace dossier::detail {

/// For analysis: text before Xapian's TermGenerator (documents) or QueryParser (queries), alike.
/// Accents removed ("Sánchez" -> "Sanchez"), typographic quotes, apostrophes and dashes to
/// ASCII, NFKC case folding. Pure ASCII is returned as is (Xapian lower-cases it). Input: valid
/// UTF-8.
std::string fold_for_analysis(std::string_view text);

/// For comparing names (authors, organisations, topics) and filter values: dossier::fold_key
/// (dossier/text.hpp). This variant never throws: a value that is not valid UTF-8 is returned as
/// is, so that it simply matches nothing.
std::string fold_key_or_raw(std::string_view text);

/// For ASCII tokens compared without case (file extensions, keywords): A-Z to a-z only.
std::string lower_ascii(std::string_view text);

}  // namespace dossier::detail
