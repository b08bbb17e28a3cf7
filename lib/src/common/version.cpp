// The version of the loaded library and of the libraries it runs on.
#include <dossier/version.hpp>

#include <unicode/uversion.h>
#include <xapian.h>

namespace dossier {

std::string_view version() noexcept {
  return kVersionString;
}

std::string dependency_versions() {
  UVersionInfo icu{};
  u_getVersion(icu);  // the ICU actually loaded, not the headers'
  char icu_text[U_MAX_VERSION_STRING_LENGTH] = {};
  u_versionToString(icu, icu_text);
  return std::string("Xapian ") + Xapian::version_string() + ", ICU " + icu_text;
}

}  // namespace dossier
