// IndexWriter: builds and updates a Dossier index from files and folders — incrementally, in
// parallel, crash-safely. index_stats() and explain_topics() read an index without writing.
#pragma once

#include <dossier/article.hpp>
#include <dossier/config.hpp>
#include <dossier/export.hpp>
#include <dossier/ingest.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace dossier {

/// How to index. Every field documents its default. Thread safety: a value type.
struct IndexOptions {
  /// Worker threads for parsing and analysis: 0 (default) = one per core, at most 256 (more is
  /// Error(kInvalidArgument)). The index content is the same whatever the number.
  unsigned jobs = 0;
  /// Rebuild from scratch (a new index replaces the old one when complete). Default false:
  /// incremental.
  bool full = false;
  /// How long to wait for another indexer's lock before failing with ErrorCode::kLocked.
  /// Default 0: fail at once.
  std::chrono::milliseconds lock_wait{0};
  /// Commit after about this many articles (and at the end); at least 1. Default 2000.
  std::size_t commit_every = 2000;
  /// How many times a title word counts (within-document frequency) against once for a body
  /// word: the weight of title matches in BM25. Part of the index's analysis record, so an
  /// existing index with another weight must be rebuilt (full). 1..20, default 3 (chosen with
  /// `make eval`, docs/evaluation.md).
  unsigned title_weight = 3;
  /// Parsing options (format override, size limit, sidecars).
  IngestOptions ingest;
};

/// A file or record that was rejected, and why. Thread safety: a value type.
struct Failure {
  std::string path;    ///< The input file.
  std::string reason;  ///< "line 12: malformed JSON at column 3: record skipped", ...
  friend bool operator==(const Failure&, const Failure&) = default;
};

/// What one index() run did. Counts are of articles, except files_* and failures.
/// Thread safety: a value type.
struct IndexReport {
  std::size_t added = 0;          ///< Articles new to the index.
  std::size_t updated = 0;        ///< Articles re-indexed because their file changed.
  std::size_t unchanged = 0;      ///< Articles of files skipped as unchanged.
  std::size_t removed = 0;        ///< Articles deleted because their file vanished or dropped them.
  std::size_t files_seen = 0;     ///< Input files found by the walk.
  std::size_t files_indexed = 0;  ///< Files (re)read in this run.
  std::uint64_t bytes_indexed = 0;   ///< Bytes of the files (re)read.
  std::vector<Failure> failed;       ///< Rejected files and records, with reasons.
  std::vector<Diagnostic> warnings;  ///< Kept articles' warnings (dates, authors, encodings).
  /// False when a root was missing, a folder could not be read (nothing below it was removed;
  /// other folders were handled normally) or the run was interrupted.
  bool complete = true;
  /// The run was stopped early through its stop token: what was read before was written and
  /// committed (not for a full rebuild, which is given up, leaving the old index), the rest is
  /// left for the next run.
  bool interrupted = false;
  double seconds = 0;  ///< Wall time of the run.
};

/// Progress, reported from the calling thread about every 200 ms and once at the end.
/// Thread safety: a value type.
struct Progress {
  std::size_t files_done = 0;
  std::size_t files_total = 0;
  std::size_t articles = 0;
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0;
  double seconds = 0;
  bool finished = false;
};

/// Called with progress; must not throw.
using ProgressCallback = std::function<void(const Progress&)>;

/// A writable Dossier index. Opening takes the index's write lock (one writer at a time);
/// searchers may read concurrently and see each commit atomically.
/// Thread safety: one thread may use an IndexWriter at a time; it runs its own worker threads.
class DOSSIER_EXPORT IndexWriter {
 public:
  /// Opens the index in folder `db` for writing with `config` (topics, synonyms, aliases,
  /// defaults). A missing or empty folder becomes a new index (with its marker file,
  /// docs/index-format.md); any other folder that is not a Dossier index is refused with
  /// Error(kInvalidArgument) "DIR is not a Dossier index and is not empty", and nothing is
  /// written. Throws Error: kInvalidArgument for options out of range, kLocked when another
  /// writer holds the lock (after options.lock_wait), kIndexVersion when the index was written
  /// with another format or analysis ("rebuild the index": use options.full), kIo / kNotFound
  /// for unusable paths.
  static IndexWriter open(const std::filesystem::path& db, CorpusConfig config,
                          IndexOptions options = {});

  IndexWriter(IndexWriter&&) noexcept;
  IndexWriter& operator=(IndexWriter&&) noexcept;
  ~IndexWriter();

  /// Indexes files and folders (recursively): new and changed files are (re)indexed, unchanged
  /// ones skipped, and articles of files that vanished from a completely walked root removed.
  /// Bad inputs are reported in the result, never thrown; commits happen every
  /// options.commit_every articles, so a killed run loses at most the uncommitted batch and a
  /// re-run finishes the job. A folder or file that cannot be read is reported by its own path
  /// and the rest is indexed; the articles already indexed from it are kept. A stop request on
  /// `stop` ends the run early (IndexReport::interrupted): what was read is written and
  /// committed; a full rebuild is given up and the old index kept. Dossier index folders (the
  /// index itself too) are never read as input. Throws Error(kIo) when the index cannot be
  /// written (disk full) or its threads cannot be started: the last commit stays intact.
  IndexReport index(const std::vector<std::filesystem::path>& roots,
                    const ProgressCallback& progress = {}, std::stop_token stop = {});

  /// Rewrites the index compacted and read-optimised (Xapian's compaction) in place: only the
  /// index's own files are replaced.
  void compact();

 private:
  struct Impl;
  explicit IndexWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Figures about an index (dossier-index --stats). Thread safety: a value type.
struct IndexStats {
  std::size_t articles = 0;
  std::size_t sections = 0;       ///< Xapian documents (one per article section).
  std::size_t authors = 0;        ///< Distinct author keys.
  std::size_t organisations = 0;  ///< Distinct organisations.
  std::size_t topics = 0;         ///< Distinct topics.
  std::size_t files = 0;          ///< Source files recorded.
  std::string first_date;         ///< Earliest publication date (ISO), "" if none.
  std::string last_date;          ///< Latest publication date (ISO), "" if none.
  std::uint64_t bytes_on_disk = 0;
  int format_version = 0;
};

/// Reads figures from the index in `db` without locking it. Throws Error (kNotFound,
/// kIndexVersion, kCorrupt).
DOSSIER_EXPORT IndexStats index_stats(const std::filesystem::path& db);

/// (Thread safety: a value type.) Why an article got its topics: each topic with the terms that
/// triggered it ("metadata" when the topic came from the article's own tags).
struct TopicExplanation {
  std::string topic;
  std::vector<std::string> terms;
  friend bool operator==(const TopicExplanation&, const TopicExplanation&) = default;
};

/// The topics of article `id` and why. Throws Error(kNotFound) for an unknown id.
DOSSIER_EXPORT std::vector<TopicExplanation> explain_topics(const std::filesystem::path& db,
                                                            const std::string& id);

}  // namespace dossier
