// The one file-to-units reader: how a source file becomes units of parsing work (a whole
// document, or runs of whole JSON Lines), and every reason a file gives none (size limit,
// binary content, unreadable, changing while read, empty). ingest_file (--inspect) and the index
// writer's read stage both read files through it, so they accept and refuse the same files with
// the same words. Which files are inputs is the walk's question (ingest/walk.hpp).
#pragma once

#include <dossier/article.hpp>
#include <dossier/ingest.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace dossier::detail {

/// A file's size and modification time (nanoseconds since the file clock's epoch): what the
/// index remembers to skip unchanged files, and how a file changing while read is noticed.
struct Stamp {
  std::uint64_t size = 0;
  std::int64_t mtime = 0;
  bool operator==(const Stamp&) const = default;
};

/// The stamp of `path`, or nullopt when it cannot be read.
std::optional<Stamp> stamp_of(const std::filesystem::path& path);
/// The modification time of `path` in nanoseconds (0 and `ec` set on failure).
std::int64_t mtime_of(const std::filesystem::path& path, std::error_code& ec);

/// One piece of parsing work: a whole document, or a run of whole JSON Lines records.
struct SourceUnit {
  Format format = Format::kAuto;
  std::string bytes;
  std::size_t first_line = 1;  ///< JSON Lines: the number of the first line in `bytes`.
  bool last = true;            ///< The file's last unit.
  /// The content matched what was indexed before (SourceRequest::unchanged): nothing to parse.
  bool unchanged = false;
  /// Nothing could be read (unreadable, too large, binary, changing): the file is skipped.
  std::optional<Diagnostic> failure;
  /// Found after reading (a JSON Lines file changed meanwhile): its records still count, but the
  /// file is not recorded as indexed, so that the next run reads it again.
  std::optional<Diagnostic> late_failure;
  /// Problems found while reading: over-long records, a read error, an empty file.
  std::vector<Diagnostic> notes;
};

/// What to read and how. Thread safety: a value type (the callbacks are called on the reading
/// thread).
struct SourceRequest {
  std::filesystem::path path;
  std::string name;  ///< How diagnostics name the file (its canonical path).
  Format format = Format::kPlainText;
  /// Documents: the largest file read; JSON Lines: the largest record (files are streamed).
  std::size_t max_file_bytes = IngestOptions{}.max_file_bytes;
  /// JSON Lines: the size of a unit, in whole lines (the last line may pass it).
  std::size_t chunk_bytes = std::size_t{1} << 20U;
  /// Whether a JSON Lines file is hashed first (a document's bytes are always hashed).
  bool hash = false;
  /// Given the content hash, true when the file is unchanged since it was indexed: the reader
  /// then hands on one `unchanged` unit and reads no further. May be empty.
  std::function<bool(std::uint64_t)> unchanged;
  /// Asked between JSON Lines units: true stops reading (the run is being stopped). May be empty.
  std::function<bool()> stopping;
};

/// What read_source learnt about the file.
struct SourceRead {
  std::uint64_t hash = 0;      ///< FNV-1a of the content (documents, or JSON Lines when hashed).
  std::optional<Stamp> stamp;  ///< Documents: the stamp of the bytes read.
  bool stopped = false;        ///< The sink or SourceRequest::stopping ended the reading early.
};

/// Receives each unit in order, with what is known of the file so far (its hash and stamp are
/// final before its first unit arrives); returns false to stop reading.
using UnitSink = std::function<bool(SourceUnit&&, const SourceRead&)>;

/// Reads `request.path` and hands each unit, in order, to `sink`. A file that cannot be used
/// gives one unit with a failure. Never throws for file system problems (std::bad_alloc may
/// pass).
SourceRead read_source(const SourceRequest& request, const UnitSink& sink);

/// Reads JSON Lines from a stream one line at a time with bounded memory: a line longer than
/// `max_bytes` is skipped to its end (only its length is kept), so a file without newlines
/// never fills memory. Strips a UTF-8 BOM on the first line and a trailing CR.
class LineReader {
 public:
  LineReader(std::istream& in, std::size_t max_bytes) : in_(in), max_(max_bytes) {}
  /// Next line into `line`; false at end of input. `number` is its 1-based line number and
  /// `length` its full length (larger than line.size() when it was too long and skipped).
  bool next(std::string& line, std::size_t& number, std::size_t& length);
  /// True if the stream failed with a read error (not end of file).
  [[nodiscard]] bool bad() const { return in_.bad(); }

 private:
  std::istream& in_;
  std::size_t max_;
  std::size_t number_ = 0;
};

}  // namespace dossier::detail
