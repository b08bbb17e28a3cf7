// The directory walk shared by the index writer and --inspect: inputs in a stable order, every
// unreadable folder or file reported by its own path, index folders never entered.
#include "ingest/walk.hpp"

#include "format/index_folder.hpp"
#include "ingest/ingest_internal.hpp"
#include "ingest/sidecar.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <utility>

namespace dossier::detail {
namespace fs = std::filesystem;

namespace {

Diagnostic error_at(const fs::path& path, std::string message) {
  return {Diagnostic::Severity::kError, path.string(), 0, std::move(message)};
}

Diagnostic note_at(const fs::path& path, std::string message) {
  return {Diagnostic::Severity::kWarning, path.string(), 0, std::move(message)};
}

// The identity of a folder: a root named twice (or as itself and through a link) is walked once.
using FolderId = std::pair<dev_t, ino_t>;

class Walker {
 public:
  Walker(Format format, fs::path exclude, const WalkFault& fault, Walk& out)
      : format_(format), exclude_(std::move(exclude)), fault_(fault), out_(out) {}

  // Lists folder `root` and everything below it into `found`.
  void walk_folder(const fs::path& root) {
    std::vector<fs::path> pending{root};
    while (!pending.empty()) {
      const fs::path dir = std::move(pending.back());
      pending.pop_back();
      std::vector<fs::path> subfolders;
      list(dir, subfolders);
      // Depth first, in name order: reversed onto the stack.
      std::sort(subfolders.begin(), subfolders.end());
      pending.insert(pending.end(), subfolders.rbegin(), subfolders.rend());
    }
  }

  // Marks a root folder as visited; false when it was walked already (named twice).
  bool first_visit(const fs::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return true;  // listing it will report the problem
    return visited_.insert({st.st_dev, st.st_ino}).second;
  }

  std::vector<fs::path> found;

 private:
  void unreadable(const fs::path& dir, const std::error_code& ec) {
    out_.unreadable.push_back(dir.string());
    out_.errors.push_back(error_at(dir, "cannot read folder: " + ec.message() +
                                            "; its files were not indexed, and articles already "
                                            "indexed from it are kept"));
  }

  void list(const fs::path& dir, std::vector<fs::path>& subfolders) {
    std::error_code ec;
    if (fault_) ec = fault_(dir);
    fs::directory_iterator it;
    if (!ec) it = fs::directory_iterator(dir, ec);
    if (ec) {
      unreadable(dir, ec);
      return;
    }
    for (const fs::directory_iterator end; it != end;) {
      const auto path = it->path();
      const auto name = path.filename().string();
      if (!name.empty() && name.front() != '.') visit(path, subfolders);
      it.increment(ec);
      if (ec) {
        unreadable(dir, ec);
        return;
      }
    }
  }

  void visit(const fs::path& path, std::vector<fs::path>& subfolders) {
    std::error_code ec;
    const auto link = fs::symlink_status(path, ec);
    const auto status = fs::status(path, ec);
    if (ec) {
      if (fs::is_symlink(link)) {
        out_.notes.push_back(note_at(path, "broken symbolic link (" + ec.message() + "): skipped"));
      } else {
        out_.errors.push_back(error_at(path, "cannot read: " + ec.message()));
      }
      return;
    }
    if (fs::is_directory(status)) {
      if (!exclude_.empty() && fs::equivalent(path, exclude_, ec)) return;
      if (is_index_folder(path)) return;  // a Dossier index is never an input
      if (fs::is_symlink(link)) {
        // As grep -r and ripgrep do: a link may lead anywhere (a home folder, a loop).
        out_.notes.push_back(
            note_at(path, "link to a folder: not followed (name the folder to index it)"));
        return;
      }
      subfolders.push_back(path);
      return;
    }
    if (!fs::is_regular_file(status) || is_sidecar_path(path)) return;
    if (!resolve_format(path, format_)) return;  // not a document type we read
    found.push_back(path);
  }

  Format format_;
  fs::path exclude_;
  const WalkFault& fault_;
  Walk& out_;
  std::set<FolderId> visited_;
};

}  // namespace

Walk walk_inputs(const std::vector<fs::path>& roots, Format format, const fs::path& exclude,
                 const WalkFault& fault) {
  Walk out;
  Walker walker(format, exclude, fault, out);
  for (const auto& root : roots) {
    std::error_code ec;
    const auto canonical = fs::weakly_canonical(fs::absolute(root, ec), ec);
    const auto status = fs::status(canonical, ec);
    if (ec || !fs::exists(status)) {
      out.errors.push_back(error_at(root, ec && ec != std::errc::no_such_file_or_directory
                                              ? "cannot read: " + ec.message()
                                              : "no such file or folder"));
      continue;
    }
    if (!fs::is_directory(status)) {
      if (!resolve_format(canonical, format)) {
        out.errors.push_back(error_at(
            canonical, "unknown file type '" + canonical.extension().string() +
                           "': expected .txt, .md, .html, .htm, .jsonl or .ndjson (or give a "
                           "format)"));
        continue;
      }
      out.roots.push_back({canonical.string(), false});
      out.files.push_back(canonical);
      continue;
    }
    if (is_index_folder(canonical) ||
        (!exclude.empty() && fs::equivalent(canonical, exclude, ec))) {
      out.errors.push_back(error_at(canonical, "is a Dossier index folder, not an input"));
      continue;
    }
    out.roots.push_back({canonical.string(), true});
    if (!walker.first_visit(canonical)) continue;  // the same folder named twice
    walker.found.clear();
    walker.walk_folder(canonical);
    std::sort(walker.found.begin(), walker.found.end());
    out.files.insert(out.files.end(), walker.found.begin(), walker.found.end());
  }
  // A file named twice (a file and its folder) is an input once.
  std::set<fs::path> seen;
  std::vector<fs::path> unique;
  for (auto& f : out.files) {
    if (seen.insert(f).second) unique.push_back(std::move(f));
  }
  out.files = std::move(unique);
  return out;
}

}  // namespace dossier::detail

namespace dossier {

InputFiles find_inputs(const std::vector<std::filesystem::path>& roots,
                       const IngestOptions& options) {
  auto walk = detail::walk_inputs(roots, options.format);
  InputFiles out;
  out.files = std::move(walk.files);
  out.diagnostics = std::move(walk.errors);
  out.diagnostics.insert(out.diagnostics.end(), walk.notes.begin(), walk.notes.end());
  return out;
}

}  // namespace dossier
