// The one directory walk: which files under the given roots are inputs, and every folder or file
// that could not be read, each by its own path. Used by the index writer and by --inspect.
#pragma once

#include <dossier/ingest.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

namespace dossier::detail {

/// What a walk found. Thread safety: a value type.
struct Walk {
  /// A root as given, canonical, and whether it is a folder (its vanished files may be removed).
  struct Root {
    std::string path;
    bool folder = false;
  };
  std::vector<Root> roots;                   ///< Roots that exist, canonical.
  std::vector<std::filesystem::path> files;  ///< Inputs, in root order then name order.
  std::vector<std::string> unreadable;       ///< Folders whose listing failed (canonical).
  std::vector<Diagnostic> errors;            ///< Missing roots, unreadable folders and files.
  std::vector<Diagnostic> notes;             ///< Warnings: links walked twice, broken links.
};

/// Test hook: called for every folder before it is listed; a non-zero error makes the walk treat
/// the folder as unreadable with that error (as a permission problem would).
using WalkFault = std::function<std::error_code(const std::filesystem::path&)>;

/// Walks `roots` (files and folders, recursively; links to files are followed, links to folders
/// are not, each one noted): a file
/// is an input when its format is known (`format`, or its extension under kAuto), it is not a
/// sidecar, and neither it nor a folder above it below the root is hidden. Never descends into
/// a Dossier index folder (one holding the marker) nor into `exclude`. A folder that cannot be
/// listed is reported by its own path with the system's reason and the walk carries on. A root
/// given by name is an input whatever its extension when `format` is not kAuto; under kAuto a
/// named file of unknown type is an error. Never throws for file system problems.
Walk walk_inputs(const std::vector<std::filesystem::path>& roots, Format format,
                 const std::filesystem::path& exclude = {}, const WalkFault& fault = {});

}  // namespace dossier::detail
