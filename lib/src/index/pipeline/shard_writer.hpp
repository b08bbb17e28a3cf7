// Part of stage 5 (write) for a build from nothing (--full, or the first build of an index): a
// thread writing batches into its own database, without fsync (it is merged, then discarded).
// Xapian's inversion in add_document is most of an indexer's CPU, so two of these let a build
// use two cores for it. The batches it gets, and so its content, depend only on the input,
// never on timing.
// Owns: its database and thread. Hands on: a committed shard database, for the merge stage.
#pragma once

#include <xapian.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace dossier::detail {

/// One operation of a batch, applied in order.
struct ShardOp {
  std::string delete_term;    ///< Non-empty: delete the documents indexed by this term.
  Xapian::Document document;  ///< Otherwise: add this document.
};

/// One unit's share of work for a shard writer.
struct ShardBatch {
  std::vector<ShardOp> ops;
  std::unordered_map<std::string, Xapian::termcount> words;  ///< For the spelling dictionary.
  std::size_t articles = 0;
};

/// Thread safety: push, end_input, finish and abandon are called by one thread (the writer).
class ShardWriter {
 public:
  /// Units queued before push() waits: bounds memory.
  static constexpr std::size_t kQueue = 4;
  /// Distinct spelling words held before adding them to the database (see loop()).
  static constexpr std::size_t kSpellingFlushWords = 200000;

  /// Creates the database at `path` and starts the thread; commits every `commit_every`
  /// articles (at least 1).
  ShardWriter(const std::filesystem::path& path, std::size_t commit_every);
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;
  ~ShardWriter() { abandon(); }

  /// Waits while the queue is full; throws the error that stopped the shard, if any.
  void push(ShardBatch batch);
  /// No more batches: the shard writes what is queued, adds its spelling words, commits and
  /// closes its database. Call it on every shard before finish(), so that they end in parallel.
  void end_input();
  /// Waits for the shard to end (see end_input); throws the shard's error.
  void finish();
  /// Stops without committing (the build is being given up).
  void abandon() noexcept;

 private:
  void loop();
  bool stopped();

  Xapian::WritableDatabase db_;
  std::size_t commit_every_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::deque<ShardBatch> queue_;
  bool done_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts once everything above is constructed
};

}  // namespace dossier::detail
