// Ingest entry points for the indexer's pipeline: bytes already read, JSON Lines in chunks.
#pragma once

#include "ingest/normalise.hpp"
#include "parsers/raw_record.hpp"

#include <dossier/ingest.hpp>

#include <filesystem>
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

/// The format of `path` under `requested` (kAuto: by extension), or nullopt if unknown.
std::optional<Format> resolve_format(const std::filesystem::path& path, Format requested) noexcept;

}  // namespace dossier::detail
