// What the index remembers about each source file (size, time, content hash, sidecar, the
// articles it gave), so that an unchanged file is skipped and a vanished one is cleaned up.
// Stored as index metadata under kStatePrefix (docs/index-format.md).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dossier::detail {

/// Metadata key prefix of file states: "F" + canonical path (bounded_term).
inline constexpr std::string_view kStatePrefix = "F";

/// A file modified within this long of being indexed may have changed again in the same clock
/// tick without its mtime moving (the "racy timestamp" problem git also guards against).
inline constexpr std::int64_t kRacyNanoseconds = 2'000'000'000;

/// What the index remembers about one source file. Thread safety: a value type.
struct FileState {
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  ///< Nanoseconds since the file clock's epoch.
  std::uint64_t hash = 0;
  std::string sidecar;          ///< Signature of its sidecar, "" when none.
  std::int64_t indexed_at = 0;  ///< File-clock time when this state was taken.
  std::vector<std::string> ids;
};

/// The metadata key of `path`'s state.
std::string state_key(const std::string& path);
/// The stored form of a state (one line of JSON, with the path).
std::string encode_state(const std::string& path, const FileState& state);
/// Path and state from their stored form; nullopt when unreadable (the file is re-indexed).
std::optional<std::pair<std::string, FileState>> decode_state(const std::string& text);
/// Every readable file state in `db`, by path.
std::map<std::string, FileState> load_file_states(const Xapian::Database& db);
/// How many file states `db` holds.
std::size_t count_file_states(const Xapian::Database& db);
/// "name:size:mtime" of the sidecar `file` would use (ingest/sidecar.hpp), "" when it has none.
std::string sidecar_signature(const std::filesystem::path& file);

}  // namespace dossier::detail
