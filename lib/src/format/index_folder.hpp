// What belongs to an index folder: the marker that makes a folder a Dossier index, the checks
// before anything is written into a folder, and the file-by-file replacement used by --full and
// compaction. Nothing here ever removes or moves a file that is not the index's own.
#pragma once

#include <filesystem>
#include <string>

namespace dossier::detail {

/// The marker file of a Dossier index folder (docs/index-format.md). A folder holding it is an
/// index: the indexer may write into it, and the directory walk never descends into it.
inline constexpr const char* kMarkerFile = "dossier-index.json";
/// Working folders inside an index folder: a --full rebuild, a compaction, the replaced files.
inline constexpr const char* kRebuildFolder = ".dossier-rebuild";
inline constexpr const char* kCompactFolder = ".dossier-compact";
inline constexpr const char* kReplacedFolder = ".dossier-replaced";

/// Whether `dir` holds the marker file of a Dossier index. Never throws.
bool is_index_folder(const std::filesystem::path& dir) noexcept;

/// Makes `dir` ready to hold an index before anything is written: creates it when missing and
/// writes the marker into a missing or empty folder, or into a folder that holds nothing but a
/// Xapian database with Dossier's format record (an index from before the marker). A folder
/// that already has the marker is left as it is. Anything else is refused, with nothing
/// written: Error(kInvalidArgument) "DIR is not a Dossier index and is not empty". Throws
/// Error(kIo) when the folder cannot be created or read.
void prepare_index_folder(const std::filesystem::path& dir);

/// Replaces the index files in `dir` (Xapian's tables and version file, the marker) by those of
/// the complete index in `replacement` (a folder inside `dir`), then removes `replacement`.
/// Files of `dir` that are not the index's own are never moved or removed. The lock file is kept
/// (another writer waiting on its lock stays excluded). Throws Error(kIo).
void replace_index_files(const std::filesystem::path& dir,
                         const std::filesystem::path& replacement);

/// Finishes or undoes what an interrupted rebuild, compaction or replacement left inside index
/// folder `dir` (call with the index's write lock held): a replacement cut off before the new
/// version file was in place is rolled back, so the old index is whole again; working folders
/// are removed.
void recover_index_folder(const std::filesystem::path& dir) noexcept;

}  // namespace dossier::detail
