// Uses libdossier through its installed headers only; exits non-zero if anything is off.
#include <dossier/dossier.hpp>

#include <iostream>

int main() {
  if (dossier::version() != dossier::kVersionString) {
    std::cerr << "header version " << dossier::kVersionString << " but library "
              << dossier::version() << "\n";
    return 1;
  }
  // A real call into the library, through ICU: accents, case and spaces fold away.
  if (dossier::fold_key("  Sánchez   WENDY ") != "sanchez wendy") {
    std::cerr << "fold_key gave '" << dossier::fold_key("  Sánchez   WENDY ") << "'\n";
    return 1;
  }
  // Errors cross the boundary as dossier::Error, a std::exception.
  try {
    (void)dossier::fold_key("\xff");
    std::cerr << "invalid UTF-8 was accepted\n";
    return 1;
  } catch (const dossier::Error& e) {
    if (e.code() != dossier::ErrorCode::kInvalidArgument) return 1;
  }
  std::cout << "libdossier " << dossier::version() << " on " << dossier::dependency_versions()
            << "\n";
  return 0;
}
