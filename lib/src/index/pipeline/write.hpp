// Stage 5 of the indexing pipeline: the parsed units, in read order, into the index. The
// ordered writer keeps the run's report (added, updated, removed, failures, warnings),
// resolves ids repeated across files (the later record wins), removes articles a file no
// longer holds and files that vanished, and records each file's state with its last unit. It
// writes through a Destination: the index itself, in transactions (an incremental run), or
// shard writers merged at the end (a build from nothing: --full, or an index's first build).
// Owns: the report and the run's id bookkeeping. Hands on: documents and file states to the
// destination.
#pragma once

#include "index/document.hpp"
#include "index/file_state.hpp"
#include "index/pipeline/parse.hpp"
#include "index/pipeline/plan.hpp"
#include "index/pipeline/shard_writer.hpp"
#include "ingest/walk.hpp"

#include <dossier/config.hpp>
#include <dossier/index_writer.hpp>

#include <xapian.h>

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace dossier::detail {

using SpellingWords = std::unordered_map<std::string, Xapian::termcount>;

/// Where the ordered writer's changes go. Thread safety: used by the writing thread only.
class Destination {
 public:
  virtual ~Destination() = default;
  /// What the index remembers about files (empty for a build from nothing).
  [[nodiscard]] virtual const std::map<std::string, FileState>& states() const = 0;
  /// Whether articles written earlier may be present: a written article then replaces its old
  /// documents and counts as updated.
  [[nodiscard]] virtual bool has_earlier_articles() const = 0;
  /// Deletes article `id`'s documents; true if there were any. A build from nothing cannot
  /// tell: it queues the deletion in every shard and answers false.
  virtual bool remove(const std::string& id) = 0;
  /// Adds an article's section documents (moved from) as part of unit `seq`.
  virtual void add(ArticleDocuments& documents, std::size_t seq) = 0;
  /// Adds unit `seq`'s words to the spelling dictionary.
  virtual void add_words(SpellingWords&& words, std::size_t seq) = 0;
  /// Records a file's state; an empty value forgets it.
  virtual void record_state(const std::string& key, std::string value) = 0;
  /// A unit ends: a point where the destination may commit.
  virtual void end_unit() = 0;
  /// The run is over. `interrupted`: a stop request cut the reading short.
  virtual void finish(bool interrupted) = 0;
  /// Gives up after a failure: nothing more is committed.
  virtual void abandon() noexcept = 0;
};

/// An incremental run: writes into the index in transactions of at least `commit_every`
/// articles, at unit boundaries, so that a killed run loses at most one batch.
class IndexDestination final : public Destination {
 public:
  IndexDestination(Xapian::WritableDatabase& db, const CorpusConfig& config,
                   std::size_t commit_every);
  [[nodiscard]] const std::map<std::string, FileState>& states() const override { return states_; }
  [[nodiscard]] bool has_earlier_articles() const override { return true; }
  bool remove(const std::string& id) override;
  void add(ArticleDocuments& documents, std::size_t seq) override;
  void add_words(SpellingWords&& words, std::size_t seq) override;
  void record_state(const std::string& key, std::string value) override;
  void end_unit() override;
  void finish(bool interrupted) override;
  void abandon() noexcept override;

 private:
  void begin();
  void commit();

  Xapian::WritableDatabase& db_;
  std::size_t commit_every_;
  std::map<std::string, FileState> states_;
  std::map<std::string, Xapian::termcount> spelling_;
  std::size_t pending_ = 0;
  bool in_transaction_ = false;
};

/// A build from nothing: two shard writers (whatever --jobs is, so that the result is the same
/// for any number of workers) get the units by sequence parity, never by which is free; the
/// merge stage combines them into `target`, which is then opened as `db`.
class ShardDestination final : public Destination {
 public:
  static constexpr std::size_t kShards = 2;
  /// `keep_partial`: an interrupted build is still merged (a first build: there is no old
  /// index to keep); otherwise it is given up.
  ShardDestination(const std::filesystem::path& target, Xapian::WritableDatabase& db,
                   const CorpusConfig& config, unsigned title_weight, std::size_t commit_every,
                   bool keep_partial);
  [[nodiscard]] const std::map<std::string, FileState>& states() const override { return states_; }
  [[nodiscard]] bool has_earlier_articles() const override { return false; }
  bool remove(const std::string& id) override;
  void add(ArticleDocuments& documents, std::size_t seq) override;
  void add_words(SpellingWords&& words, std::size_t seq) override;
  void record_state(const std::string& key, std::string value) override;
  void end_unit() override;
  void finish(bool interrupted) override;
  void abandon() noexcept override;

 private:
  std::filesystem::path target_;
  Xapian::WritableDatabase& db_;
  const CorpusConfig& config_;
  unsigned title_weight_;
  bool keep_partial_;
  std::map<std::string, FileState> states_;  // always empty
  std::vector<std::filesystem::path> paths_;
  std::vector<std::unique_ptr<ShardWriter>> shards_;
  std::vector<ShardBatch> batches_;
  std::vector<std::pair<std::string, std::string>> file_states_;  // written after the merge
};

/// Thread safety: used by the writing thread only.
class OrderedWriter {
 public:
  OrderedWriter(Plan& plan, Destination& destination, IndexReport& report)
      : plan_(plan), destination_(destination), report_(report) {}

  /// Writes the next unit (units come in read order).
  void write(ParsedUnit&& unit);
  /// Removes the articles of files the index remembers that are gone from completely walked
  /// roots. An unreadable folder is not a vanished folder: its files' articles stay.
  void remove_vanished(const Walk& walk);

  [[nodiscard]] std::size_t files_done() const { return files_done_; }
  [[nodiscard]] std::uint64_t bytes_done() const { return bytes_done_; }
  [[nodiscard]] std::size_t articles_done() const { return articles_done_; }

 private:
  void write_article(ArticleDocuments& documents, const Article& article, std::size_t file);
  void end_file(const ParsedUnit& unit);

  Plan& plan_;
  Destination& destination_;
  IndexReport& report_;
  std::size_t seq_ = 0;
  std::unordered_set<std::string> written_ids_;    // ids written in this run, for duplicates
  std::map<std::string, std::string> written_by_;  // id -> "path:line" of its record
  std::map<std::size_t, std::vector<std::string>> file_ids_;
  std::set<std::size_t> files_with_errors_;  // files with an error diagnostic so far
  std::size_t files_done_ = 0;
  std::uint64_t bytes_done_ = 0;
  std::size_t articles_done_ = 0;
};

}  // namespace dossier::detail
