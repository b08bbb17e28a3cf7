// IndexWriter: opening an index for writing (the folder rules, the lock, the format check),
// choosing how a run writes (into the index, or a build from nothing through shards), the
// --full swap, and compaction. The run itself is the pipeline in index/pipeline/.
#include <dossier/index_writer.hpp>

#include "analysis/analysis.hpp"
#include "format/index_folder.hpp"
#include "index/pipeline/run.hpp"
#include "index/pipeline/write.hpp"
#include "index/records.hpp"
#include "index/topics.hpp"
#include "ingest/normalise.hpp"
#include "xapian/errors.hpp"

#include <dossier/error.hpp>

#include <xapian.h>

#include <memory>
#include <optional>
#include <stop_token>
#include <system_error>

#include <unistd.h>

namespace dossier {
namespace fs = std::filesystem;
using detail::open_writable;

namespace {

// The most worker threads IndexOptions::jobs may ask for.
constexpr unsigned kMaxJobs = 256;

void check_format(const Xapian::Database& db, const fs::path& path) {
  detail::check_index_format(db, path.string(), true);
}

}  // namespace

struct IndexWriter::Impl {
  fs::path path;        // the index the user named
  fs::path write_path;  // where this writer writes (DIR/.dossier-rebuild during a build)
  CorpusConfig config;
  IndexOptions options;
  Xapian::WritableDatabase db;
  Xapian::WritableDatabase lock_holder;  // the old index, locked during a build
  // A build from nothing (--full, or the first build of an empty index) goes through shards
  // into write_path and then replaces the index's files. An interrupted first build is still
  // merged: there is no old index to keep.
  bool build = false;
  bool first_build = false;
  std::unique_ptr<detail::TopicTagger> tagger;
  std::unique_ptr<detail::Aliases> aliases;

  IndexReport run(const std::vector<fs::path>& roots, const ProgressCallback& progress,
                  const std::stop_token& stop_token);
  void start_build();
  void finish_build();
  void abandon_build();
};

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
  // Only a missing or empty folder, or one that is already a Dossier index, is ever written to.
  detail::prepare_index_folder(db);

  if (options.full) {
    // Build inside the index folder and replace the index's files when complete: a killed --full
    // run leaves the old index untouched. The old index's lock is held meanwhile, so no other
    // writer interferes.
    impl->lock_holder = open_writable(db, Xapian::DB_CREATE_OR_OPEN, options.lock_wait);
    detail::recover_index_folder(db);
    impl->start_build();
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
      detail::write_format_record(impl->db, options.title_weight);
      impl->db.commit();
      // An index with nothing in it is built like --full builds: through two shard writers,
      // merged at the end (on the benchmark corpus a third faster than writing into the index).
      if (impl->db.get_doccount() == 0 && detail::count_file_states(impl->db) == 0) {
        impl->lock_holder = impl->db;
        impl->db = Xapian::WritableDatabase();
        impl->first_build = true;
        impl->start_build();
      }
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
    try {
      auto report = impl_->run(roots, progress, stop);
      if (impl_->build) {
        if (report.interrupted && !impl_->first_build) {
          impl_->abandon_build();
        } else {
          impl_->finish_build();
        }
      }
      return report;
    } catch (...) {
      if (impl_->build) impl_->abandon_build();
      throw;
    }
  } catch (const Error&) {
    throw;
  } catch (...) {
    detail::rethrow_as_dossier_error(impl_->path.string());
  }
}

IndexReport IndexWriter::Impl::run(const std::vector<fs::path>& roots,
                                   const ProgressCallback& progress,
                                   const std::stop_token& stop_token) {
  const detail::PipelineSetup setup{config, *aliases, tagger.get(), options, path, build};
  if (build) {
    std::optional<detail::ShardDestination> destination;
    try {
      destination.emplace(write_path, db, config, options.title_weight, options.commit_every,
                          first_build);
    } catch (const std::system_error& e) {
      throw Error(ErrorCode::kIo, std::string("cannot start the indexing threads (the shard "
                                              "writers): ") +
                                      e.what() + "; nothing was written");
    }
    return detail::run_pipeline(roots, setup, *destination, progress, stop_token);
  }
  detail::IndexDestination destination(db, config, options.commit_every);
  return detail::run_pipeline(roots, setup, destination, progress, stop_token);
}

void IndexWriter::Impl::start_build() {
  // The shard writers create their databases in this folder and the merged index is compacted
  // into it (db is opened there only then). No fsync while building: the new folder is
  // invisible until the swap, and a crash loses only the build. Everything is synced once
  // before the swap.
  write_path = path / detail::kRebuildFolder;
  std::error_code ec;
  fs::create_directories(write_path, ec);
  if (ec) {
    throw Error(ErrorCode::kIo,
                write_path.string() + ": cannot create rebuild folder: " + ec.message());
  }
  build = true;
}

void IndexWriter::Impl::finish_build() {
  db.commit();
  db.close();
  ::sync();  // the built index is on disk before it replaces the old one
  // The index's own files are replaced while the old index's lock is still held (the lock file
  // itself stays), so no other writer can open the index in between; the user's files in the
  // folder, if any, are never touched.
  detail::replace_index_files(path, write_path);
  lock_holder.close();
  write_path = path;
  build = false;
  first_build = false;
  db = open_writable(path, Xapian::DB_CREATE_OR_OPEN, options.lock_wait);
}

void IndexWriter::Impl::abandon_build() {
  // An interrupted or failed build: the old index stays exactly as it was, and this writer goes
  // on writing to it incrementally.
  try {
    db.close();
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(write_path, ec);
  write_path = path;
  build = false;
  first_build = false;
  db = lock_holder;
  lock_holder = Xapian::WritableDatabase();
  try {
    check_format(db, path);
  } catch (const Error&) {
    db.close();  // an index of another format is only ever rebuilt, never added to
  }
}

void IndexWriter::compact() {
  auto& impl = *impl_;
  try {
    if (impl.build) impl.abandon_build();  // a build not run: the index as it is is compacted
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

}  // namespace dossier
