// Index folders: the marker, the refusal to write into anything else, and the replacement of
// an index's own files (never anyone else's) after a rebuild or a compaction.
#include "format/index_folder.hpp"

#include "schema/schema.hpp"
#include "xapian/errors.hpp"

#include <dossier/error.hpp>
#include <dossier/version.hpp>

#include <xapian.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace dossier::detail {
namespace fs = std::filesystem;

namespace {

// Files a Xapian glass database consists of: version file, lock file, tables, changesets.
bool is_xapian_file(std::string_view name) {
  if (name == "iamglass" || name == "flintlock") return true;
  if (name.size() > 6 && name.ends_with(".glass")) return true;
  if (name.starts_with("changes") && name.size() > 7) {
    return std::all_of(name.begin() + 7, name.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  return false;
}

std::string marker_text() {
  return std::string("{\"what\": \"Dossier index\", \"format\": ") +
         std::to_string(kIndexFormatVersion) + ", \"written_by\": \"dossier " +
         std::string(version()) + "\"}\n";
}

// Writes the file through a temporary name and a rename, synced: never half a marker.
void write_file_atomically(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(ErrorCode::kIo, path.parent_path().string() +
                                    ": cannot write the index marker: " + std::strerror(errno));
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = written ? errno : saved;
    ::unlink(temporary.c_str());
    throw Error(ErrorCode::kIo, path.parent_path().string() +
                                    ": cannot write the index marker: " + std::strerror(error));
  }
}

[[noreturn]] void refuse(const fs::path& dir) {
  throw Error(ErrorCode::kInvalidArgument,
              dir.string() + " is not a Dossier index and is not empty");
}

// An index written before the marker existed: only Xapian's files, and Dossier's format record.
bool is_unmarked_index(const fs::path& dir, const std::vector<std::string>& names) {
  if (std::find(names.begin(), names.end(), "iamglass") == names.end()) return false;
  if (!std::all_of(names.begin(), names.end(), [](const auto& n) { return is_xapian_file(n); })) {
    return false;
  }
  try {
    const Xapian::Database db(dir.string());
    return !db.get_metadata(kFormatKey).empty();
  } catch (const Xapian::Error&) {
    return false;
  }
}

}  // namespace

bool is_index_folder(const fs::path& dir) noexcept {
  std::error_code ec;
  return fs::is_regular_file(dir / kMarkerFile, ec);
}

void prepare_index_folder(const fs::path& dir) {
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw Error(ErrorCode::kIo, dir.string() + ": " + ec.message());
  }
  if (!fs::exists(status)) {
    fs::create_directories(dir, ec);
    if (ec) {
      throw Error(ErrorCode::kIo, dir.string() + ": cannot create index folder: " + ec.message());
    }
  } else if (!fs::is_directory(status)) {
    throw Error(ErrorCode::kIo, dir.string() + ": not a folder");
  }
  if (is_index_folder(dir)) return;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) throw Error(ErrorCode::kIo, dir.string() + ": cannot read index folder: " + ec.message());
  if (!names.empty() && !is_unmarked_index(dir, names)) refuse(dir);
  write_file_atomically(dir / kMarkerFile, marker_text());
}

void replace_index_files(const fs::path& dir, const fs::path& replacement) {
  std::error_code ec;
  const fs::path replaced = dir / kReplacedFolder;
  fs::remove_all(replaced, ec);
  fs::create_directory(replaced, ec);
  if (ec) {
    throw Error(ErrorCode::kIo, replaced.string() + ": cannot create folder: " + ec.message());
  }
  auto move = [](const fs::path& from, const fs::path& to) {
    std::error_code move_ec;
    fs::rename(from, to, move_ec);
    if (move_ec) {
      throw Error(ErrorCode::kIo,
                  from.string() + ": cannot move to " + to.string() + ": " + move_ec.message());
    }
  };
  // The old version file goes first, so that a reader opening meanwhile finds no database
  // rather than a version file that does not match its tables; the new one comes in last.
  std::vector<std::string> old_files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (is_xapian_file(name) && name != "flintlock" && name != "iamglass")
      old_files.push_back(name);
  }
  if (ec) throw Error(ErrorCode::kIo, dir.string() + ": cannot read index folder: " + ec.message());
  try {
    if (fs::exists(dir / "iamglass", ec)) move(dir / "iamglass", replaced / "iamglass");
    for (const auto& name : old_files) move(dir / name, replaced / name);
  } catch (...) {
    recover_index_folder(dir);
    throw;
  }
  std::vector<std::string> new_files;
  for (fs::directory_iterator it(replacement, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (is_xapian_file(name) && name != "flintlock" && name != "iamglass")
      new_files.push_back(name);
  }
  if (ec) {
    throw Error(ErrorCode::kIo, replacement.string() + ": cannot read folder: " + ec.message());
  }
  try {
    for (const auto& name : new_files) move(replacement / name, dir / name);
    move(replacement / "iamglass", dir / "iamglass");
  } catch (...) {
    recover_index_folder(dir);  // the old files go back
    throw;
  }
  write_file_atomically(dir / kMarkerFile, marker_text());
  // Make the renames durable before the old files go.
  if (const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  fs::remove_all(replacement, ec);
  fs::remove_all(replaced, ec);
}

void recover_index_folder(const fs::path& dir) noexcept {
  std::error_code ec;
  const fs::path replaced = dir / kReplacedFolder;
  if (fs::is_directory(replaced, ec) && !fs::exists(dir / "iamglass", ec)) {
    // A replacement stopped before the new version file was in place: the old files are all
    // in `replaced` (the version file moved first), so moving them back restores the old index.
    for (fs::directory_iterator it(replaced, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code move_ec;
      fs::rename(it->path(), dir / it->path().filename(), move_ec);
    }
  }
  for (const char* name : {kRebuildFolder, kCompactFolder, kReplacedFolder}) {
    fs::remove_all(dir / name, ec);
  }
}

}  // namespace dossier::detail
