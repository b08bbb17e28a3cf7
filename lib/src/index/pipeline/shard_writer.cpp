// A shard writer (see shard_writer.hpp).
#include "index/pipeline/shard_writer.hpp"

#include "index/records.hpp"

#include <algorithm>

namespace dossier::detail {

ShardWriter::ShardWriter(const std::filesystem::path& path, std::size_t commit_every)
    : db_(open_writable(path, Xapian::DB_CREATE | Xapian::DB_NO_SYNC, {})),
      commit_every_(std::max<std::size_t>(1, commit_every)),
      thread_([this] { loop(); }) {}

void ShardWriter::push(ShardBatch batch) {
  std::unique_lock lock(mutex_);
  space_.wait(lock, [&] { return error_ || queue_.size() < kQueue; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(batch));
  ready_.notify_one();
}

void ShardWriter::end_input() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  ready_.notify_all();
}

void ShardWriter::finish() {
  end_input();
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(error_);
}

void ShardWriter::abandon() noexcept {
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

void ShardWriter::loop() {
  try {
    // The spelling dictionary goes in at the end, not with every commit: each commit rewrites
    // (and deflates) every fragment list a batch touches, which cost about a sixth of a --full
    // run's CPU. Xapian holds added spelling words in memory until the commit (about 750 bytes
    // a word), so a vocabulary larger than kSpellingFlushWords goes in by parts: memory stays
    // bounded, and the fragment lists are rewritten a few times only.
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
bool ShardWriter::stopped() {
  std::lock_guard lock(mutex_);
  return stop_;
}

}  // namespace dossier::detail
