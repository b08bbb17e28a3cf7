// Stage 3 of the indexing pipeline: the planned files, read in plan order into units of parsing
// work through the one source reader (ingest/source.hpp). A file whose content hash matches what
// the index remembers becomes one "unchanged" unit. A stop request ends the reading between
// units: what was read is still written.
// Owns: the reading thread's file handles. Hands on: units, in order, into the channel; each
// planned file's new size, time and hash.
#pragma once

#include "index/pipeline/channel.hpp"
#include "index/pipeline/plan.hpp"
#include "ingest/source.hpp"

#include <cstddef>
#include <stop_token>

namespace dossier::detail {

/// A unit of work with the index of its file in the plan.
struct ReadUnit {
  std::size_t file = 0;
  SourceUnit source;
};

struct ParsedUnit;
using UnitChannel = OrderedChannel<ReadUnit, ParsedUnit>;

/// Thread safety: run() on one thread; cut_short() after that thread is joined.
class ReadStage {
 public:
  /// `full`: nothing counts as unchanged (a rebuild re-reads everything).
  ReadStage(Plan& plan, std::size_t max_file_bytes, bool full, std::stop_token stop)
      : plan_(plan), max_file_bytes_(max_file_bytes), full_(full), stop_(std::move(stop)) {}

  /// Reads every planned file into `channel`, then closes it.
  void run(UnitChannel& channel);

  /// Whether a stop request ended the reading before the last file.
  [[nodiscard]] bool cut_short() const { return cut_short_; }

 private:
  bool stopping();

  Plan& plan_;
  std::size_t max_file_bytes_;
  bool full_;
  std::stop_token stop_;
  bool cut_short_ = false;
};

}  // namespace dossier::detail
