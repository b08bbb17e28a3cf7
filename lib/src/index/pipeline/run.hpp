// The indexing pipeline, stage by stage:
//
//   walk (ingest/walk) -> plan (plan.hpp) -> read (read.hpp, one thread) -> parse (parse.hpp,
//   --jobs workers) -> write (write.hpp, this thread, in read order) -> merge (merge.hpp,
//   builds from nothing only)
//
// run_pipeline() wires them: it owns the threads and the channel between them, and turns a
// failure in any thread into an exception on the caller's thread (never an exception leaving a
// thread, which would end the host program).
#pragma once

#include "index/pipeline/write.hpp"
#include "index/topics.hpp"
#include "ingest/normalise.hpp"

#include <dossier/config.hpp>
#include <dossier/index_writer.hpp>

#include <filesystem>
#include <stop_token>
#include <vector>

namespace dossier::detail {

/// What a run needs besides its roots and destination. Thread safety: read-only during a run.
struct PipelineSetup {
  const CorpusConfig& config;
  const Aliases& aliases;
  const TopicTagger* tagger = nullptr;  ///< May be null (no taxonomy).
  const IndexOptions& options;
  std::filesystem::path index;      ///< The index folder: never walked.
  bool build_from_nothing = false;  ///< Nothing counts as unchanged (--full, a first build).
};

/// Indexes `roots` into `destination` and finishes it (commit, or merge). Throws
/// dossier::Error (or a Xapian error, translated by the caller) when writing fails; the
/// destination is then abandoned.
IndexReport run_pipeline(const std::vector<std::filesystem::path>& roots,
                         const PipelineSetup& setup, Destination& destination,
                         const ProgressCallback& progress, const std::stop_token& stop);

}  // namespace dossier::detail
