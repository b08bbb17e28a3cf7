// The one place that translates Xapian's exceptions into dossier::Error.
#pragma once

#include <string>

namespace dossier::detail {

/// Call from a catch block: rethrows the current exception as dossier::Error when it is a
/// Xapian::Error (DatabaseLockError -> kLocked, DatabaseNotFoundError/OpeningError -> kNotFound,
/// DatabaseCorruptError -> kCorrupt, DatabaseVersionError -> kIndexVersion, other database
/// errors -> kIo, QueryParserError -> kParse, the rest -> kInternal), prefixing `context`.
/// dossier::Error is rethrown unchanged; std::bad_alloc and std::system_error (a thread that
/// cannot start) become kIo, any other exception kInternal: nothing else leaves the library.
[[noreturn]] void rethrow_as_dossier_error(const std::string& context);

}  // namespace dossier::detail
