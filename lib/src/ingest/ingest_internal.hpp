// Ingest entry points for the indexer's pipeline: bytes already read, JSON Lines in chunks.
#pragma once

#include "ingest/normalise.hpp"
#include "parsers/raw_record.hpp"

#include <dossier/ingest.hpp>

#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

namespace dossier::detail {

/// Parses one whole document (text, Markdown or HTML) from `bytes` read from `path`.
IngestResult ingest_document_bytes(std::string_view bytes, Format format,
                                   const NormaliseContext& context);

/// Parses JSON Lines records from `bytes` (whole lines), the first being line `first_line`.
/// Records over `max_record_bytes` are rejected. Does not resolve duplicate ids.
IngestResult ingest_jsonl_chunk(std::string_view bytes, std::size_t first_line,
                                std::size_t max_record_bytes, const NormaliseContext& context);

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

/// The format of `path` under `requested` (kAuto: by extension), or nullopt if unknown.
std::optional<Format> resolve_format(const std::filesystem::path& path, Format requested) noexcept;

}  // namespace dossier::detail
