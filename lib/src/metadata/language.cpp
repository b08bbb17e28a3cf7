// Language tags and detection (placeholder until the language work lands).
#include "metadata/language.hpp"

namespace dossier::detail {

std::string normalize_language_tag(std::string_view declared) {
  return std::string(declared.substr(0, 2));
}

std::string detect_language(std::string_view /*text*/) {
  return "en";
}

}  // namespace dossier::detail
