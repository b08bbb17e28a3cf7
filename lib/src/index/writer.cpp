// IndexWriter: walk, change detection, parallel parsing and analysis, ordered single-writer
// commits in Xapian transactions (two shard writers merged by compaction for --full), removal
// of vanished files, stats, compaction.
#include <dossier/index_writer.hpp>

#include "index/analysis.hpp"
#include "index/document.hpp"
#include "index/index_folder.hpp"
#include "index/topics.hpp"
#include "ingest/ingest_internal.hpp"
#include "ingest/normalise.hpp"
#include "ingest/sidecar.hpp"
#include "ingest/walk.hpp"
#include "schema/schema.hpp"
#include "text/encoding.hpp"
#include "xapian/errors.hpp"

#include <dossier/error.hpp>
#include <dossier/text.hpp>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <unistd.h>

namespace dossier {
namespace fs = std::filesystem;
using detail::ArticleDocuments;
using detail::bounded_term;
using detail::prefix_of;

namespace {

using detail::kAnalysisKey;
using detail::kFormatKey;
using detail::kSynonymsKey;
constexpr std::string_view kStatePrefix = "F";
constexpr std::size_t kJsonlChunkBytes = std::size_t{1} << 20U;
// --full writes through this many shard writers, whatever --jobs is, so that the merged index
// is the same for any number of workers.
constexpr std::size_t kShards = 2;
// Units queued per shard writer before the ordering thread waits: bounds memory.
constexpr std::size_t kShardQueue = 4;
// Distinct spelling words a shard holds before adding them to its database (see ShardWriter).
constexpr std::size_t kSpellingFlushWords = 200000;
// The most worker threads IndexOptions::jobs may ask for.
constexpr unsigned kMaxJobs = 256;

// What the index remembers about one source file, to skip it when unchanged.
struct FileState {
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // nanoseconds since the file clock's epoch
  std::uint64_t hash = 0;
  std::string sidecar;          // signature of its sidecar, "" when none
  std::int64_t indexed_at = 0;  // file-clock time when this state was taken
  std::vector<std::string> ids;
};

// A file modified within this long of being indexed may have changed again in the same clock
// tick without its mtime moving (the "racy timestamp" problem git also guards against).
constexpr std::int64_t kRacyNanoseconds = 2'000'000'000;

std::string state_key(const std::string& path) {
  return bounded_term(kStatePrefix, path);
}

std::string encode_state(const std::string& path, const FileState& s) {
  nlohmann::json j;
  j["path"] = path;
  j["size"] = s.size;
  j["mtime"] = s.mtime;
  j["hash"] = s.hash;
  j["sidecar"] = s.sidecar;
  j["indexed_at"] = s.indexed_at;
  j["ids"] = s.ids;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::pair<std::string, FileState>> decode_state(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    FileState s;
    s.size = j.at("size").get<std::uint64_t>();
    s.mtime = j.at("mtime").get<std::int64_t>();
    s.hash = j.at("hash").get<std::uint64_t>();
    s.sidecar = j.at("sidecar").get<std::string>();
    s.indexed_at = j.value("indexed_at", std::int64_t{0});
    s.ids = j.at("ids").get<std::vector<std::string>>();
    return std::make_pair(j.at("path").get<std::string>(), std::move(s));
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // unreadable state: the file is simply re-indexed
  }
}

std::int64_t mtime_of(const fs::path& path, std::error_code& ec) {
  const auto t = fs::last_write_time(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(t.time_since_epoch().count());
}

// "size:mtime" of the sidecar a file would use, "" when it has none.
std::string sidecar_signature(const fs::path& file) {
  for (const char* suffix : {".meta.yaml", ".meta.yml", ".meta.json"}) {
    for (const auto& candidate : {fs::path(file.string() + suffix),
                                  fs::path((file.parent_path() / file.stem()).string() + suffix)}) {
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec)) {
        return candidate.filename().string() + ":" + std::to_string(fs::file_size(candidate, ec)) +
               ":" + std::to_string(mtime_of(candidate, ec));
      }
    }
  }
  return {};
}

// The system's reason for the last failed call, for messages ("Permission denied").
std::string last_error() {
  return errno != 0 ? std::strerror(errno) : "read error";
}

// A file's size and modification time, to notice a file that changes while it is read.
struct Stamp {
  std::uint64_t size = 0;
  std::int64_t mtime = 0;
  bool operator==(const Stamp&) const = default;
};

std::optional<Stamp> stamp_of(const fs::path& path) {
  std::error_code ec;
  Stamp s;
  s.size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  s.mtime = mtime_of(path, ec);
  if (ec) return std::nullopt;
  return s;
}

enum class ReadOutcome { kOk, kTooLarge, kError, kChanged };

// Reads a whole document once, at most `limit` bytes: the bytes hashed are the bytes parsed. A
// file whose size or time moves while it is read (or whose length disagrees with its size) is
// read again once, then reported as changing.
ReadOutcome read_document(const fs::path& path, std::size_t limit, std::string& bytes, Stamp& stamp,
                          std::string& error) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto before = stamp_of(path);
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!before || !in) {
      error = last_error();
      return ReadOutcome::kError;
    }
    bytes.assign(std::min<std::uint64_t>(before->size, limit) + 1, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) {
      error = last_error();
      return ReadOutcome::kError;
    }
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > limit) return ReadOutcome::kTooLarge;
    const auto after = stamp_of(path);
    if (after && *after == *before && bytes.size() == before->size) {
      stamp = *before;
      return ReadOutcome::kOk;
    }
  }
  bytes.clear();
  return ReadOutcome::kChanged;
}

std::uint64_t hash_file(const fs::path& path, bool& ok) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::uint64_t hash = 14695981039346656037ULL;
  std::string buffer(1U << 16U, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash = detail::fnv1a64(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())),
                           hash);
  }
  ok = ok && !in.bad();
  return hash;
}

std::string date_from_slot(const std::string& value) {
  if (value.empty()) return {};
  const auto n = static_cast<int>(Xapian::sortable_unserialise(value));
  Date d{n / 10000, n / 100 % 100, n % 100, Date::Precision::kDay};
  if (d.month == 0)
    d.precision = Date::Precision::kYear;
  else if (d.day == 0)
    d.precision = Date::Precision::kMonth;
  return d.iso();
}

void check_format(const Xapian::Database& db, const fs::path& path) {
  detail::check_index_format(db, path.string(), true);
}

// One piece of work for a parser thread: a whole document, or a run of JSON Lines.
struct Unit {
  std::size_t seq = 0;
  std::size_t file = 0;
  Format format = Format::kAuto;
  std::string bytes;
  std::size_t first_line = 1;
  bool last = true;                // the file's last unit: its state can be recorded
  bool unchanged = false;          // content hash matched: only the state is refreshed
  std::optional<Failure> failure;  // rejected before parsing
  // Found after reading (the file changed meanwhile): its records still count, but the file's
  // state is not recorded, so that the next run reads it again.
  std::optional<Failure> late_failure;
  std::vector<Diagnostic> notes;  // problems found while reading (over-long records)
};

struct Output {
  std::size_t seq = 0;
  std::size_t file = 0;
  bool last = true;
  bool unchanged = false;
  std::vector<Article> articles;
  std::vector<ArticleDocuments> documents;
  std::vector<Diagnostic> diagnostics;
  std::unordered_map<std::string, Xapian::termcount> words;
  std::optional<Failure> failure;
  std::optional<Failure> late_failure;
};

struct PlannedFile {
  fs::path path;
  std::string key;  // canonical path string
  Format format = Format::kAuto;
  FileState state;  // new signature (ids filled by the writer)
  const FileState* previous = nullptr;
  std::shared_ptr<detail::RawRecord> sidecar;
  std::vector<Diagnostic> sidecar_diagnostics;
  std::uint64_t bytes = 0;
};

}  // namespace

struct IndexWriter::Impl {
  fs::path path;        // the index the user named
  fs::path write_path;  // where this writer writes (a sibling folder during --full)
  CorpusConfig config;
  IndexOptions options;
  Xapian::WritableDatabase db;
  Xapian::WritableDatabase lock_holder;  // the old index, locked during --full
  std::unique_ptr<detail::TopicTagger> tagger;
  std::unique_ptr<detail::Aliases> aliases;

  IndexReport run(const std::vector<fs::path>& roots, const ProgressCallback& progress,
                  const std::stop_token& stop_token);
  void write_synonyms();
  void write_format();
  fs::path shard_path(std::size_t shard) const {
    return write_path / ("shard-" + std::to_string(shard));
  }
  void finish_full_rebuild();
  void abandon_full_rebuild();
};

namespace {

Xapian::WritableDatabase open_writable(const fs::path& path, int flags,
                                       std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    try {
      return Xapian::WritableDatabase(path.string(), flags);
    } catch (const Xapian::DatabaseLockError&) {
      if (std::chrono::steady_clock::now() >= deadline) {
        throw Error(ErrorCode::kLocked,
                    path.string() + ": index is locked by another indexer (use --wait to wait)");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } catch (...) {
      detail::rethrow_as_dossier_error(path.string());
    }
  }
}

// One unit's share of work for a shard writer, applied in order.
struct ShardOp {
  std::string delete_term;    // non-empty: delete the documents indexed by this term
  Xapian::Document document;  // otherwise: add this document
};

struct ShardBatch {
  std::vector<ShardOp> ops;
  std::unordered_map<std::string, Xapian::termcount> words;  // for the spelling dictionary
  std::size_t articles = 0;
};

// A thread writing batches into its own database (no fsync: it is merged, then discarded).
// Xapian's inversion in add_document is most of an indexer's CPU, so two of these let a --full
// rebuild use two cores for it. The batches it gets, and so its content, depend only on the
// input, never on timing.
class ShardWriter {
 public:
  ShardWriter(const fs::path& path, std::size_t commit_every)
      : db_(open_writable(path, Xapian::DB_CREATE | Xapian::DB_NO_SYNC, {})),
        commit_every_(std::max<std::size_t>(1, commit_every)),
        thread_([this] { loop(); }) {}
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;
  ~ShardWriter() { abandon(); }

  // Waits while the queue is full; throws the error that stopped the shard, if any.
  void push(ShardBatch batch) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return error_ || queue_.size() < kShardQueue; });
    if (error_) std::rethrow_exception(error_);
    queue_.push_back(std::move(batch));
    ready_.notify_one();
  }

  // No more batches: the shard writes what is queued, adds its spelling words, commits and
  // closes its database. Call it on every shard before finish(), so that they end in parallel.
  void end_input() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    ready_.notify_all();
  }

  // Waits for the shard to end (see end_input); throws the shard's error.
  void finish() {
    end_input();
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(error_);
  }

  // Stops without committing (the rebuild is being given up).
  void abandon() noexcept {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    ready_.notify_all();
    if (thread_.joinable()) thread_.join();
    try {
      db_.close();
    } catch (...) {
    }
  }

 private:
  void loop() {
    try {
      // The spelling dictionary goes in at the end, not with every commit: each commit
      // rewrites (and deflates) every fragment list a batch touches, which cost about a sixth
      // of a --full run's CPU. Xapian holds added spelling words in memory until the commit
      // (about 750 bytes a word), so a vocabulary larger than kSpellingFlushWords goes in by
      // parts: memory stays bounded, and the fragment lists are rewritten a few times only.
      std::unordered_map<std::string, Xapian::termcount> spelling;
      std::size_t pending = 0;
      auto commit = [&] {
        db_.commit();
        pending = 0;
      };
      auto add_spelling = [&] {
        std::size_t added = 0;
        for (const auto& [word, count] : spelling) {
          db_.add_spelling(word, count);
          if (++added % 4096 == 0 && stopped()) return false;
        }
        spelling = {};
        return true;
      };
      while (true) {
        ShardBatch batch;
        {
          std::unique_lock lock(mutex_);
          ready_.wait(lock, [&] { return stop_ || done_ || !queue_.empty(); });
          if (stop_) return;
          if (queue_.empty()) break;  // done_, everything written
          batch = std::move(queue_.front());
          queue_.pop_front();
        }
        space_.notify_all();
        for (auto& op : batch.ops) {
          if (op.delete_term.empty()) {
            db_.add_document(op.document);
          } else if (db_.term_exists(op.delete_term)) {
            db_.delete_document(op.delete_term);
          }
        }
        for (const auto& [word, count] : batch.words) spelling[word] += count;
        pending += batch.articles;
        if (spelling.size() >= kSpellingFlushWords) {
          if (!add_spelling()) return;
          commit();
        } else if (pending >= commit_every_) {
          commit();
        }
      }
      if (!add_spelling()) return;
      commit();
      db_.close();
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      space_.notify_all();
    }
  }

  // Whether abandon() asked the thread to stop (checked in long loops, not only between batches).
  bool stopped() {
    std::lock_guard lock(mutex_);
    return stop_;
  }

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

}  // namespace

IndexWriter::IndexWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;
IndexWriter::~IndexWriter() {
  if (!impl_) return;
  try {
    impl_->db.close();  // releases the lock; uncommitted transactions are discarded
  } catch (...) {
  }
}

IndexWriter IndexWriter::open(const fs::path& db, CorpusConfig config, IndexOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->path = db;
  impl->config = std::move(config);
  if (options.title_weight < 1 || options.title_weight > 20) {
    throw Error(ErrorCode::kInvalidArgument,
                "title weight " + std::to_string(options.title_weight) + " out of range 1..20");
  }
  if (options.jobs > kMaxJobs) {
    throw Error(ErrorCode::kInvalidArgument, "jobs " + std::to_string(options.jobs) +
                                                 " out of range 0.." + std::to_string(kMaxJobs) +
                                                 " (0: one per core)");
  }
  if (options.commit_every == 0) {
    throw Error(ErrorCode::kInvalidArgument, "commit_every 0 out of range: at least 1 article");
  }
  if (options.ingest.max_file_bytes == 0) {
    throw Error(ErrorCode::kInvalidArgument, "max_file_bytes 0 out of range: at least 1 byte");
  }
  impl->options = options;
  std::error_code ec;
  // Only a missing or empty folder, or one that is already a Dossier index, is ever written to.
  detail::prepare_index_folder(db);

  if (options.full) {
    // Build inside the index folder and replace the index's files when complete: a killed --full
    // run leaves the old index untouched. The old index's lock is held meanwhile, so no other
    // writer interferes.
    impl->lock_holder = open_writable(db, Xapian::DB_CREATE_OR_OPEN, options.lock_wait);
    detail::recover_index_folder(db);
    impl->write_path = db / detail::kRebuildFolder;
    fs::create_directories(impl->write_path, ec);
    if (ec) {
      throw Error(ErrorCode::kIo,
                  impl->write_path.string() + ": cannot create rebuild folder: " + ec.message());
    }
    // The shard writers of run() create their databases in this folder and the merged index is
    // compacted into it (impl->db is opened there only then). No fsync while building: the new
    // folder is invisible until the swap, and a crash loses only the rebuild. Everything is
    // synced once before the swap.
  } else {
    impl->write_path = db;
    impl->db = open_writable(db, Xapian::DB_CREATE_OR_OPEN, options.lock_wait);
    detail::recover_index_folder(db);
    try {
      check_format(impl->db, db);
      const auto written = detail::title_weight_of(impl->db);
      if (written != 0 && written != options.title_weight) {
        throw Error(ErrorCode::kIndexVersion, db.string() + ": index written with title weight " +
                                                  std::to_string(written) + ", not " +
                                                  std::to_string(options.title_weight) +
                                                  "; rebuild the index (dossier-index --full)");
      }
    } catch (...) {
      impl->db.close();
      throw;
    }
  }
  try {
    if (!options.full) {
      // A new index gets its format record at once, not with the first batch: a reader that
      // comes before that batch finds an empty Dossier index.
      impl->write_format();
      impl->db.commit();
    }
    impl->aliases = std::make_unique<detail::Aliases>(impl->config);
    if (!impl->config.topics.empty()) {
      impl->tagger = std::make_unique<detail::TopicTagger>(
          impl->config.topics, detail::make_query_parser("en"), &detail::fold_for_analysis);
    }
  } catch (const Error&) {
    throw;
  } catch (...) {
    detail::rethrow_as_dossier_error(db.string());
  }
  return IndexWriter(std::move(impl));
}

IndexReport IndexWriter::index(const std::vector<fs::path>& roots, const ProgressCallback& progress,
                               std::stop_token stop) {
  try {
    auto report = impl_->run(roots, progress, stop);
    if (impl_->options.full) {
      if (report.interrupted) {
        impl_->abandon_full_rebuild();
      } else {
        impl_->finish_full_rebuild();
      }
    }
    return report;
  } catch (const Error&) {
    throw;
  } catch (...) {
    detail::rethrow_as_dossier_error(impl_->path.string());
  }
}

void IndexWriter::Impl::write_format() {
  if (db.get_metadata(kFormatKey).empty()) {
    db.set_metadata(kFormatKey, std::to_string(detail::kIndexFormatVersion));
    db.set_metadata(kAnalysisKey, detail::analysis_description(options.title_weight));
  }
}

void IndexWriter::Impl::write_synonyms() {
  // Synonyms are keyed by the analysed form of the term, as the QueryParser looks them up.
  nlohmann::json all = nlohmann::json::object();
  auto parser = detail::make_query_parser("en");
  Xapian::Stem stem(detail::stemmer_name("en"));
  std::vector<std::string> old_keys(db.synonym_keys_begin(), db.synonym_keys_end());
  for (const auto& key : old_keys) db.clear_synonyms(key);
  for (const auto& [term, equivalents] : config.synonyms) {
    all[term] = equivalents;
    const auto key = detail::fold_for_analysis(fold_key(term));
    for (const auto& e : equivalents) {
      const auto value = detail::fold_for_analysis(fold_key(e));
      db.add_synonym(key, value);
      db.add_synonym(stem(key), stem(value));
    }
  }
  db.set_metadata(kSynonymsKey, all.dump());
  // Aliases too, so that a searcher resolves --org RAND like the indexer did.
  nlohmann::json alias_table = {{"author", config.author_aliases},
                                {"org", config.organisation_aliases}};
  db.set_metadata(detail::kAliasesKey, alias_table.dump());
}

void IndexWriter::Impl::finish_full_rebuild() {
  db.commit();
  db.close();
  ::sync();  // the rebuilt index is on disk before it replaces the old one
  // The index's own files are replaced while the old index's lock is still held (the lock file
  // itself stays), so no other writer can open the index in between; the user's files in the
  // folder, if any, are never touched.
  detail::replace_index_files(path, write_path);
  lock_holder.close();
  write_path = path;
  options.full = false;
  db = open_writable(path, Xapian::DB_CREATE_OR_OPEN, options.lock_wait);
}

void IndexWriter::Impl::abandon_full_rebuild() {
  // An interrupted rebuild: the old index stays exactly as it was, and this writer goes on
  // writing to it incrementally.
  std::error_code ec;
  fs::remove_all(write_path, ec);
  write_path = path;
  options.full = false;
  db = lock_holder;
  lock_holder = Xapian::WritableDatabase();
  try {
    check_format(db, path);
  } catch (const Error&) {
    db.close();  // an index of another format is only ever rebuilt, never added to
  }
}

IndexReport IndexWriter::Impl::run(const std::vector<fs::path>& roots,
                                   const ProgressCallback& progress,
                                   const std::stop_token& stop_token) {
  const auto started = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  IndexReport report;

  // 1. Walk every root completely before anything is removed. Each folder or file that cannot
  // be read is reported by its own path; what was indexed from it is kept.
  auto walk = detail::walk_inputs(roots, options.ingest.format, path);
  for (const auto& e : walk.errors) report.failed.push_back({e.path, e.message});
  for (auto& n : walk.notes) report.warnings.push_back(std::move(n));
  if (!walk.unreadable.empty() || walk.roots.size() < roots.size()) report.complete = false;
  std::vector<fs::path> files = std::move(walk.files);
  report.files_seen = files.size();

  // 2. What the index remembers (nothing for a --full rebuild).
  const bool sharded = options.full;
  std::map<std::string, FileState> states;
  if (!sharded) {
    for (auto it = db.metadata_keys_begin(std::string(kStatePrefix));
         it != db.metadata_keys_end(std::string(kStatePrefix)); ++it) {
      if (auto decoded = decode_state(db.get_metadata(*it))) {
        states.emplace(std::move(decoded->first), std::move(decoded->second));
      }
    }
  }

  // 3. Plan: skip files whose size, mtime and sidecar are unchanged, unless the mtime is so close
  // to the moment they were indexed that a later edit could share it; those are hashed.
  const auto planned_at =
      static_cast<std::int64_t>(fs::file_time_type::clock::now().time_since_epoch().count());
  std::vector<PlannedFile> planned;
  std::uint64_t bytes_total = 0;
  for (const auto& file : files) {
    PlannedFile p;
    p.path = file;
    p.key = file.string();
    p.format = *detail::resolve_format(file, options.ingest.format);
    std::error_code ec;
    p.state.size = fs::file_size(file, ec);
    p.state.mtime = mtime_of(file, ec);
    p.state.sidecar = options.ingest.use_sidecars ? sidecar_signature(file) : "";
    p.state.indexed_at = planned_at;
    const auto previous = states.find(p.key);
    if (previous != states.end()) {
      p.previous = &previous->second;
      if (!options.full && previous->second.size == p.state.size &&
          previous->second.mtime == p.state.mtime && previous->second.sidecar == p.state.sidecar &&
          p.state.mtime < previous->second.indexed_at - kRacyNanoseconds) {
        report.unchanged += previous->second.ids.size();
        continue;
      }
    }
    if (options.ingest.use_sidecars) {
      if (auto sidecar = detail::read_sidecar(file, p.sidecar_diagnostics)) {
        p.sidecar = std::make_shared<detail::RawRecord>(std::move(*sidecar));
      }
    }
    p.bytes = p.state.size;
    bytes_total += p.bytes;
    planned.push_back(std::move(p));
  }
  std::set<std::string> seen_paths;
  for (const auto& f : files) seen_paths.insert(f.string());

  // 4. The pipeline: a reader thread makes units, workers parse and analyse, this thread writes
  // in unit order so that the index is the same whatever the number of workers.
  const unsigned jobs =
      options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
  const std::size_t max_in_flight = 4U * jobs + 4U;
  std::mutex mutex;
  std::condition_variable units_ready;
  std::condition_variable outputs_ready;
  std::condition_variable space_free;
  std::deque<Unit> units;
  std::map<std::size_t, Output> outputs;
  bool reading_done = false;
  std::atomic<bool> stop{false};
  std::size_t next_seq = 0;     // next unit the reader creates
  std::size_t written_seq = 0;  // next unit the writer consumes

  auto push_unit = [&](Unit unit) {
    std::unique_lock lock(mutex);
    space_free.wait(lock, [&] { return stop || next_seq - written_seq < max_in_flight; });
    if (stop) return false;
    unit.seq = next_seq++;
    units.push_back(std::move(unit));
    units_ready.notify_one();
    return true;
  };

  // A stop request (SIGINT, SIGTERM in dossier-index) ends the reading: what was read is still
  // written and committed, the rest is left for the next run.
  bool cut_short = false;  // set by the reader, read after it is joined
  auto stopping = [&] {
    if (!stop_token.stop_requested()) return false;
    cut_short = true;
    return true;
  };
  std::exception_ptr thread_error;  // the first failure of the reader or a worker thread
  auto fail_thread = [&] {
    std::lock_guard lock(mutex);
    if (!thread_error) thread_error = std::current_exception();
    stop = true;
    units_ready.notify_all();
    space_free.notify_all();
    outputs_ready.notify_all();
  };

  auto read_all = [&] {
    for (std::size_t f = 0; f < planned.size() && !stop && !stopping(); ++f) {
      auto& p = planned[f];
      Unit unit;
      unit.file = f;
      unit.format = p.format;
      if (p.format != Format::kJsonLines) {
        // One read: the content hashed (which decides "changed" when size or time alone are in
        // doubt) is the content parsed, and the state recorded is that of the bytes indexed.
        std::string error;
        Stamp stamp;
        switch (read_document(p.path, options.ingest.max_file_bytes, unit.bytes, stamp, error)) {
          case ReadOutcome::kOk:
            p.state.size = stamp.size;
            p.state.mtime = stamp.mtime;
            p.state.hash = detail::fnv1a64(unit.bytes);
            if (!options.full && p.previous != nullptr && p.previous->hash == p.state.hash &&
                p.previous->sidecar == p.state.sidecar) {
              unit.unchanged = true;
              unit.bytes = {};
            }
            break;
          case ReadOutcome::kTooLarge:
            unit.bytes = {};
            unit.failure = Failure{p.key, "file exceeds the limit of " +
                                              std::to_string(options.ingest.max_file_bytes >> 20U) +
                                              " MiB: skipped"};
            break;
          case ReadOutcome::kError:
            unit.failure = Failure{p.key, "cannot read file: " + error};
            break;
          case ReadOutcome::kChanged:
            unit.failure = Failure{p.key,
                                   "file changed while being read (twice): skipped; it is read "
                                   "again on the next run"};
            break;
        }
        if (!push_unit(std::move(unit))) return;
        continue;
      }
      // JSON Lines: the content hash first (it decides whether the file changed), then the
      // records in chunks; a file whose size or time moves meanwhile is reported and read again
      // on the next run.
      const auto before = stamp_of(p.path);
      bool ok = true;
      p.state.hash = hash_file(p.path, ok);
      if (!ok) {
        unit.failure = Failure{p.key, "cannot read file: " + last_error()};
        if (!push_unit(std::move(unit))) return;
        continue;
      }
      if (!options.full && p.previous != nullptr && p.previous->hash == p.state.hash &&
          p.previous->sidecar == p.state.sidecar) {
        unit.unchanged = true;
        if (!push_unit(std::move(unit))) return;
        continue;
      }
      // JSON Lines: chunks of whole lines, so that one big export is parsed in parallel.
      // Memory stays bounded: over-long records are skipped by the line reader.
      std::ifstream in(p.path, std::ios::binary);
      {
        char head[8192];
        in.read(head, sizeof head);
        if (detail::looks_binary(std::string_view(head, static_cast<std::size_t>(in.gcount())))) {
          unit.failure = Failure{p.key, "binary file (NUL or control bytes), not JSON Lines"};
          if (!push_unit(std::move(unit))) return;
          continue;
        }
        in.clear();
        in.seekg(0);
      }
      detail::LineReader lines(in, options.ingest.max_file_bytes);
      std::string line;
      std::size_t number = 0;
      std::size_t length = 0;
      Unit chunk;
      chunk.file = f;
      chunk.format = Format::kJsonLines;
      chunk.last = false;
      bool more = true;
      while (more && !stop && !stopping()) {
        more = lines.next(line, number, length);
        if (more) {
          if (chunk.bytes.empty() && chunk.notes.empty()) chunk.first_line = number;
          if (length > line.size()) {
            chunk.notes.push_back(
                {Diagnostic::Severity::kError, p.key, number,
                 "record of " + std::to_string(length) + " bytes exceeds the limit of " +
                     std::to_string(options.ingest.max_file_bytes) + ": skipped"});
            line.clear();  // keeps the line count of the chunk right
          }
          chunk.bytes += line;
          chunk.bytes += '\n';
        }
        if (!more || chunk.bytes.size() >= kJsonlChunkBytes) {
          chunk.last = !more;
          if (!more && number == 0) {
            chunk.notes.push_back(
                {Diagnostic::Severity::kError, p.key, 0, "empty file: nothing to index"});
          }
          if (!more && lines.bad()) {
            chunk.notes.push_back(
                {Diagnostic::Severity::kError, p.key, number, "read error: file truncated here"});
          }
          if (!more && (!before || stamp_of(p.path) != before)) {
            // Its records were whole lines and stay; its state is not recorded.
            chunk.late_failure = Failure{p.key,
                                         "file changed while being read: its complete records were "
                                         "indexed; it is read again on the next run"};
          }
          Unit next;
          next.file = f;
          next.format = Format::kJsonLines;
          next.last = false;
          if (!push_unit(std::exchange(chunk, std::move(next)))) return;
        }
      }
    }
    std::lock_guard lock(mutex);
    reading_done = true;
    units_ready.notify_all();
    outputs_ready.notify_all();  // the writer may be waiting with everything already written
  };

  auto work = [&] {
    detail::Analyzer analyzer;
    while (true) {
      Unit unit;
      {
        std::unique_lock lock(mutex);
        units_ready.wait(lock, [&] { return stop || !units.empty() || reading_done; });
        if (stop || (units.empty() && reading_done)) return;
        unit = std::move(units.front());
        units.pop_front();
      }
      Output out;
      out.seq = unit.seq;
      out.file = unit.file;
      out.last = unit.last;
      out.unchanged = unit.unchanged;
      out.failure = std::move(unit.failure);
      out.late_failure = std::move(unit.late_failure);
      try {
        if (!out.failure && !out.unchanged) {
          const auto& p = planned[unit.file];
          const detail::NormaliseContext context{config, *aliases, p.path, p.sidecar.get()};
          auto result = unit.format == Format::kJsonLines
                            ? detail::ingest_jsonl_chunk(unit.bytes, unit.first_line,
                                                         options.ingest.max_file_bytes, context)
                            : detail::ingest_document_bytes(unit.bytes, unit.format, context);
          out.diagnostics = std::move(unit.notes);
          out.diagnostics.insert(out.diagnostics.end(), result.diagnostics.begin(),
                                 result.diagnostics.end());
          out.documents.reserve(result.articles.size());
          for (auto& article : result.articles) {
            out.documents.push_back(
                detail::build_documents(article, analyzer, tagger.get(), options.title_weight));
            article.body.clear();  // the writer needs metadata only
            article.sections.clear();
          }
          out.articles = std::move(result.articles);
          out.words = analyzer.take_words();
        }
      } catch (const std::exception& e) {
        // A bug or a dependency failing on this input: this file fails, the batch goes on.
        out.documents.clear();
        out.articles.clear();
        out.words.clear();
        (void)analyzer.take_words();  // the failed unit's words must not reach the dictionary
        out.failure = Failure{planned[unit.file].key, std::string("internal error: ") + e.what()};
      }
      std::lock_guard lock(mutex);
      outputs.emplace(out.seq, std::move(out));
      outputs_ready.notify_all();
    }
  };

  std::thread reader;
  std::vector<std::thread> workers;
  auto shutdown = [&] {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    units_ready.notify_all();
    space_free.notify_all();
    outputs_ready.notify_all();
    // Idempotent: it runs again on the error path after a failure past the normal shutdown.
    if (reader.joinable()) reader.join();
    for (auto& w : workers) {
      if (w.joinable()) w.join();
    }
  };
  // No exception may leave a thread (that would end the host program): each one hands its
  // failure to the writer loop below, which rethrows it.
  auto guarded = [&](auto& body) {
    return [&body, &fail_thread] {
      try {
        body();
      } catch (...) {
        fail_thread();
      }
    };
  };
  try {
    reader = std::thread(guarded(read_all));
    workers.reserve(jobs);
    for (unsigned w = 0; w < jobs; ++w) workers.emplace_back(guarded(work));
  } catch (const std::system_error& e) {
    const auto started_threads = workers.size() + (reader.joinable() ? 1U : 0U);
    shutdown();
    throw Error(ErrorCode::kIo, "cannot start the indexing threads (" +
                                    std::to_string(started_threads) + " of " +
                                    std::to_string(jobs + 1) + " started): " + e.what() +
                                    "; nothing was written (try fewer --jobs)");
  }

  // The writer. For --full, this thread keeps the order and the report, and hands the documents
  // to shard writers by unit parity (never by which is free, so the result is deterministic);
  // the shards are merged at the end.
  std::vector<std::unique_ptr<ShardWriter>> shards;
  std::vector<std::pair<std::string, std::string>> shard_states;  // file states, for the merge
  std::unordered_set<std::string> written_ids;    // ids written in this run, for duplicates
  std::map<std::string, std::string> written_by;  // id -> "path:line" of its record
  std::map<std::string, Xapian::termcount> spelling;
  std::map<std::size_t, std::vector<std::string>> file_ids;
  std::set<std::size_t> files_with_errors;  // files with an error diagnostic so far
  std::size_t pending = 0;
  std::size_t files_done = 0;
  std::uint64_t bytes_done = 0;
  std::size_t articles_done = 0;
  auto last_progress = std::chrono::steady_clock::now();
  bool in_transaction = false;

  auto commit = [&] {
    for (const auto& [word, count] : spelling) db.add_spelling(word, count);
    spelling.clear();
    if (in_transaction) db.commit_transaction();
    in_transaction = false;
    pending = 0;
  };
  auto begin = [&] {
    if (!in_transaction) {
      db.begin_transaction();
      in_transaction = true;
    }
  };
  auto delete_article = [&](const std::string& id) {
    const auto term = bounded_term(prefix_of("id"), id);
    if (db.term_exists(term)) {
      db.delete_document(term);
      return true;
    }
    return false;
  };

  const auto wants_synonyms = [&] {
    return !config.synonyms.empty() || !config.author_aliases.empty() ||
           !config.organisation_aliases.empty() || !db.get_metadata(kSynonymsKey).empty();
  };

  try {
    if (sharded) {
      for (std::size_t s = 0; s < kShards; ++s) {
        shards.push_back(std::make_unique<ShardWriter>(shard_path(s), options.commit_every / 2));
      }
    } else {
      begin();
      if (wants_synonyms()) write_synonyms();
    }
    std::vector<ShardBatch> batches(sharded ? kShards : 0);
    while (true) {
      Output out;
      {
        std::unique_lock lock(mutex);
        outputs_ready.wait(lock, [&] {
          return thread_error || outputs.count(written_seq) != 0 ||
                 (reading_done && written_seq == next_seq);
        });
        if (thread_error) std::rethrow_exception(thread_error);
        if (outputs.count(written_seq) == 0) break;  // everything written
        out = std::move(outputs.at(written_seq));
        outputs.erase(written_seq);
        ++written_seq;
        space_free.notify_all();
      }
      auto& p = planned[out.file];
      if (out.failure) {
        report.failed.push_back(*out.failure);
      }
      if (out.late_failure) report.failed.push_back(*out.late_failure);
      for (const auto& d : p.sidecar_diagnostics) report.warnings.push_back(d);
      p.sidecar_diagnostics.clear();
      for (const auto& d : out.diagnostics) {
        if (d.severity == Diagnostic::Severity::kError) {
          files_with_errors.insert(out.file);
          report.failed.push_back(
              {d.path, (d.line > 0 ? "line " + std::to_string(d.line) + ": " : "") + d.message});
        } else {
          report.warnings.push_back(d);
        }
      }
      const std::size_t shard = out.seq % kShards;
      if (sharded) {
        batches[shard].words = std::move(out.words);
      } else {
        for (const auto& [word, count] : out.words) spelling[word] += count;
      }
      for (std::size_t i = 0; i < out.documents.size(); ++i) {
        auto& docs = out.documents[i];
        const auto& article = out.articles[i];
        for (const auto& d : article.diagnostics) report.warnings.push_back(d);
        const std::string where =
            article.source_path +
            (article.source_line > 0 ? ":" + std::to_string(article.source_line) : "");
        if (!written_ids.insert(docs.id).second) {
          report.warnings.push_back({Diagnostic::Severity::kWarning, article.source_path,
                                     article.source_line,
                                     "duplicate id '" + docs.id + "' (also at " +
                                         written_by[docs.id] + "): this later record is kept"});
          if (sharded) {
            // The earlier record may be in either shard; queue order keeps this before the add.
            for (auto& batch : batches) {
              batch.ops.push_back({bounded_term(prefix_of("id"), docs.id), {}});
            }
          } else {
            delete_article(docs.id);
          }
        } else if (!sharded && delete_article(docs.id)) {
          ++report.updated;
        } else {
          ++report.added;
        }
        written_by[docs.id] = where;
        if (sharded) {
          for (auto& doc : docs.sections) batches[shard].ops.push_back({{}, std::move(doc)});
          ++batches[shard].articles;
        } else {
          for (auto& doc : docs.sections) db.add_document(doc);
        }
        file_ids[out.file].push_back(docs.id);
        ++pending;
        ++articles_done;
      }
      if (out.last) {
        auto& state = p.state;
        // A file that gave nothing but errors (empty, binary, only bad records) or changed while
        // read is not recorded as indexed: the next run reads it, and reports it, again.
        const bool record_state =
            !out.failure && !out.late_failure &&
            !(files_with_errors.count(out.file) != 0 && file_ids[out.file].empty());
        files_with_errors.erase(out.file);
        if (out.unchanged) {
          state.ids = p.previous->ids;
          report.unchanged += state.ids.size();
        } else if (!out.failure) {
          state.ids = std::move(file_ids[out.file]);
          file_ids.erase(out.file);
          ++report.files_indexed;
          report.bytes_indexed += p.bytes;
          // Articles the file no longer holds.
          if (p.previous != nullptr) {
            const std::set<std::string> now(state.ids.begin(), state.ids.end());
            for (const auto& id : p.previous->ids) {
              if (now.count(id) == 0 && written_ids.count(id) == 0 && delete_article(id)) {
                ++report.removed;
              }
            }
          }
        }
        if (sharded) {
          if (record_state) shard_states.emplace_back(state_key(p.key), encode_state(p.key, state));
        } else if (record_state) {
          db.set_metadata(state_key(p.key), encode_state(p.key, state));
        } else if (p.previous != nullptr) {
          // An unreadable or oversized file keeps its old articles; its state is dropped so
          // that the next run tries again.
          db.set_metadata(state_key(p.key), "");
        }
        ++files_done;
        bytes_done += p.bytes;
      }
      // Commit at any unit boundary, also inside a large JSON Lines file: a killed run loses at
      // most one batch. A file's state is recorded only with its last unit, so a file cut off
      // between commits is simply read again (its articles replaced by id).
      if (sharded) {
        for (std::size_t s = 0; s < kShards; ++s) {
          if (!batches[s].ops.empty() || !batches[s].words.empty()) {
            shards[s]->push(std::exchange(batches[s], ShardBatch{}));
          }
        }
      } else if (pending >= options.commit_every) {
        commit();
        begin();
      }
      if (progress &&
          std::chrono::steady_clock::now() - last_progress > std::chrono::milliseconds(200)) {
        last_progress = std::chrono::steady_clock::now();
        progress(
            {files_done, planned.size(), articles_done, bytes_done, bytes_total, seconds(), false});
      }
    }
    shutdown();
    report.interrupted = cut_short;
    if (cut_short) report.complete = false;

    if (sharded && cut_short) {
      // An interrupted rebuild is given up (IndexWriter::index keeps the old index).
      shards.clear();
    } else if (sharded) {
      // Merge the shards into the rebuild folder (Xapian renumbers the documents: shard 0's
      // first, then shard 1's), then add what belongs to the whole index.
      for (auto& s : shards) s->end_input();
      for (auto& s : shards) s->finish();
      {
        Xapian::Database sources;
        for (std::size_t s = 0; s < kShards; ++s) {
          sources.add_database(Xapian::Database(shard_path(s).string()));
        }
        sources.compact(write_path.string(), Xapian::Compactor::STANDARD);
      }
      shards.clear();
      for (std::size_t s = 0; s < kShards; ++s) fs::remove_all(shard_path(s));
      db = open_writable(write_path, Xapian::DB_OPEN | Xapian::DB_NO_SYNC, {});
      write_format();
      if (wants_synonyms()) write_synonyms();
      for (const auto& [key, value] : shard_states) db.set_metadata(key, value);
      db.commit();
    } else {
      // 5. Files that vanished from completely walked roots.
      for (const auto& state_entry : states) {
        // Not a structured binding: clang before 16 cannot capture one in the lambdas below.
        const auto& file_path = state_entry.first;
        const auto& state = state_entry.second;
        if (seen_paths.count(file_path) != 0) continue;
        auto below = [&](const std::string& folder) {
          return file_path.size() > folder.size() &&
                 file_path.compare(0, folder.size(), folder) == 0 &&
                 (folder.ends_with('/') || file_path[folder.size()] == '/');
        };
        const bool under_root =
            std::any_of(walk.roots.begin(), walk.roots.end(), [&](const auto& root) {
              return root.folder ? below(root.path) : file_path == root.path;
            });
        // An unreadable folder is not a vanished folder: its files' articles stay.
        const bool unreadable = std::any_of(walk.unreadable.begin(), walk.unreadable.end(), below);
        if (!under_root || unreadable) continue;
        for (const auto& id : state.ids) {
          if (written_ids.count(id) == 0 && delete_article(id)) ++report.removed;
        }
        db.set_metadata(state_key(file_path), "");
      }
      commit();
      db.commit();
    }
  } catch (...) {
    shutdown();
    shards.clear();  // abandons the shards: the rebuild is given up, the old index untouched
    if (in_transaction) {
      try {
        db.cancel_transaction();
      } catch (...) {
      }
    }
    throw;
  }
  report.seconds = seconds();
  if (progress) {
    progress({files_done, planned.size(), articles_done, bytes_done, bytes_total, seconds(), true});
  }
  return report;
}

void IndexWriter::compact() {
  auto& impl = *impl_;
  try {
    impl.db.commit();
    const fs::path target = impl.path / detail::kCompactFolder;
    std::error_code ec;
    fs::remove_all(target, ec);
    {
      Xapian::Database source(impl.path.string());
      source.compact(target.string());
    }
    // Replaced while this writer still holds the lock; only the index's own files move.
    detail::replace_index_files(impl.path, target);
    impl.db.close();
    impl.db = open_writable(impl.path, Xapian::DB_CREATE_OR_OPEN, impl.options.lock_wait);
  } catch (const Error&) {
    throw;
  } catch (...) {
    detail::rethrow_as_dossier_error(impl.path.string());
  }
}

IndexStats index_stats(const fs::path& path) {
  try {
    if (!fs::exists(path)) throw Error(ErrorCode::kNotFound, path.string() + ": no index here");
    Xapian::Database db(path.string());
    check_format(db, path);
    IndexStats stats;
    stats.format_version = detail::kIndexFormatVersion;
    stats.sections = db.get_doccount();
    auto count = [&](std::string_view field) {
      const std::string prefix(prefix_of(field));
      std::size_t n = 0;
      for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++n;
      return n;
    };
    stats.articles = count("id");
    stats.authors = count("author");
    stats.organisations = count("org");
    stats.topics = count("topic");
    for (auto it = db.metadata_keys_begin(std::string(kStatePrefix));
         it != db.metadata_keys_end(std::string(kStatePrefix)); ++it) {
      ++stats.files;
    }
    stats.first_date = date_from_slot(db.get_value_lower_bound(detail::kSlotDate));
    stats.last_date = date_from_slot(db.get_value_upper_bound(detail::kSlotDate));
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
      std::error_code size_ec;
      if (entry.is_regular_file(size_ec)) stats.bytes_on_disk += entry.file_size(size_ec);
    }
    return stats;
  } catch (const Error&) {
    throw;
  } catch (...) {
    detail::rethrow_as_dossier_error(path.string());
  }
}

std::vector<TopicExplanation> explain_topics(const fs::path& path, const std::string& id) {
  try {
    Xapian::Database db(path.string());
    check_format(db, path);
    const auto term = bounded_term(prefix_of("id"), id);
    auto it = db.postlist_begin(term);
    if (it == db.postlist_end(term)) {
      throw Error(ErrorCode::kNotFound, path.string() + ": no article with id '" + id + "'");
    }
    const auto stored = db.get_document(*it).get_data();
    const auto data = nlohmann::ordered_json::parse(detail::split_stored(stored).json);
    std::vector<TopicExplanation> out;
    for (const auto& [topic, terms] : data.at("topic_terms").items()) {
      out.push_back({topic, terms.get<std::vector<std::string>>()});
    }
    return out;
  } catch (const Error&) {
    throw;
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::kCorrupt, path.string() + ": stored data unreadable: " + e.what());
  } catch (...) {
    detail::rethrow_as_dossier_error(path.string());
  }
}

}  // namespace dossier
