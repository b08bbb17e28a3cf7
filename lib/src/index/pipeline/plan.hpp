// Stage 2 of the indexing pipeline (walk -> plan -> read -> parse -> write -> merge): which of
// the walked files must be read. A file whose size, time and sidecar match what the index
// remembers is skipped; the others are planned, with their sidecar read once.
// Owns: the planned files. Hands on: the plan, read by the read stage and the write stage.
#pragma once

#include "index/file_state.hpp"
#include "parsers/raw_record.hpp"

#include <dossier/ingest.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace dossier::detail {

/// One file to read. The read stage fills in `state`'s size, time and hash from the bytes it
/// read; the write stage fills in its ids.
struct PlannedFile {
  std::filesystem::path path;
  std::string key;  ///< Canonical path string: the file's name in states and diagnostics.
  Format format = Format::kAuto;
  FileState state;                      ///< The new state.
  const FileState* previous = nullptr;  ///< What the index remembers, if anything.
  std::shared_ptr<RawRecord> sidecar;
  std::vector<Diagnostic> sidecar_diagnostics;
  std::uint64_t bytes = 0;
};

/// Thread safety: built by one thread; afterwards each PlannedFile is written by the read stage
/// before its units are handed on, and by the write stage after.
struct Plan {
  std::vector<PlannedFile> files;
  std::size_t unchanged_articles = 0;  ///< Articles of the files skipped.
  std::uint64_t bytes_total = 0;       ///< Bytes of the planned files.
  std::set<std::string> seen;          ///< Every walked file (skipped or not), by key.
};

/// Plans `files` (from the walk) against `states` (what the index remembers; `states` must
/// outlive the plan). With `full`, nothing is skipped.
Plan make_plan(const std::vector<std::filesystem::path>& files,
               const std::map<std::string, FileState>& states, const IngestOptions& options,
               bool full);

}  // namespace dossier::detail
