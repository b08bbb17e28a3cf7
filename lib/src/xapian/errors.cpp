// Translation of Xapian exceptions into dossier::Error at the library boundary.
#include "xapian/errors.hpp"

#include <dossier/error.hpp>

#include <xapian.h>

#include <new>
#include <system_error>

namespace dossier::detail {

void rethrow_as_dossier_error(const std::string& context) {
  try {
    throw;
  } catch (const Xapian::DatabaseLockError& e) {
    throw Error(ErrorCode::kLocked, context + ": index is locked by another indexer");
  } catch (const Xapian::DatabaseNotFoundError& e) {
    throw Error(ErrorCode::kNotFound, context + ": no index here (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseVersionError& e) {
    throw Error(ErrorCode::kIndexVersion,
                context + ": index written by an incompatible Xapian version (" + e.get_msg() +
                    "); rebuild the index");
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw Error(ErrorCode::kCorrupt, context + ": index is damaged (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseOpeningError& e) {
    throw Error(ErrorCode::kNotFound, context + ": cannot open index (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseError& e) {
    throw Error(ErrorCode::kIo, context + ": " + e.get_msg());
  } catch (const Xapian::QueryParserError& e) {
    throw Error(ErrorCode::kParse, context + ": " + e.get_msg());
  } catch (const Xapian::Error& e) {
    throw Error(ErrorCode::kInternal, context + ": " + e.get_type() + ": " + e.get_msg());
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::kIo, context + ": out of memory");
  } catch (const std::system_error& e) {
    throw Error(ErrorCode::kIo, context + ": " + e.what());
  } catch (const std::exception& e) {
    throw Error(ErrorCode::kInternal, context + ": internal error: " + e.what());
  } catch (...) {
    throw Error(ErrorCode::kInternal, context + ": internal error (unknown exception)");
  }
}

}  // namespace dossier::detail
