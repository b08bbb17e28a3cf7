// dossier::Error, the one exception type that leaves Dossier's public API, and its codes.
#pragma once

#include <dossier/export.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace dossier {

/// What went wrong, coarsely: binaries map each code to a documented exit status.
enum class ErrorCode {
  kInvalidArgument,  ///< A caller-supplied value is malformed (bad UTF-8, bad option value).
  kNotFound,         ///< A file, directory, index or document does not exist.
  kIo,               ///< Reading or writing failed (permissions, disk full, ...).
  kParse,            ///< Input could not be parsed (configuration, document, query).
  kIndexVersion,     ///< The index was written by another format or analysis: rebuild it.
  kLocked,           ///< Another writer holds the index lock.
  kCorrupt,          ///< The index or a stored record is damaged.
  kInternal,         ///< A bug in Dossier or an unexpected failure of a dependency.
};

/// Stable lower-case name of a code ("invalid-argument", "not-found", ...). Never throws.
DOSSIER_EXPORT std::string_view to_string(ErrorCode code) noexcept;

/// The exception thrown by every public Dossier function that can fail. The message names the
/// path, field or query position involved. No Xapian or ICU exception escapes the library: they
/// are translated into this type at the boundary.
/// Thread safety: a value type; distinct objects may be used from distinct threads.
class DOSSIER_EXPORT Error : public std::runtime_error {
 public:
  /// Creates an error with a code and a human-readable, one-line message.
  Error(ErrorCode code, const std::string& message);

  /// The coarse category of the failure.
  [[nodiscard]] ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace dossier
