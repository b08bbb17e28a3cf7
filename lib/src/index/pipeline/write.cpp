// The write stage (see write.hpp): the ordered writer and its two destinations.
#include "index/pipeline/write.hpp"

#include "index/pipeline/merge.hpp"
#include "index/records.hpp"
#include "schema/schema.hpp"

#include <algorithm>
#include <utility>

namespace dossier::detail {
namespace fs = std::filesystem;

namespace {

std::string id_term(const std::string& id) {
  return bounded_term(prefix_of("id"), id);
}

Failure failure_of(const Diagnostic& d) {
  return {d.path, d.message};
}

}  // namespace

// --- IndexDestination

IndexDestination::IndexDestination(Xapian::WritableDatabase& db, const CorpusConfig& config,
                                   std::size_t commit_every)
    : db_(db), commit_every_(commit_every), states_(load_file_states(db)) {
  begin();
  if (wants_synonyms(db_, config)) write_synonyms(db_, config);
}

void IndexDestination::begin() {
  if (!in_transaction_) {
    db_.begin_transaction();
    in_transaction_ = true;
  }
}

void IndexDestination::commit() {
  for (const auto& [word, count] : spelling_) db_.add_spelling(word, count);
  spelling_.clear();
  if (in_transaction_) db_.commit_transaction();
  in_transaction_ = false;
  pending_ = 0;
}

bool IndexDestination::remove(const std::string& id) {
  const auto term = id_term(id);
  if (!db_.term_exists(term)) return false;
  db_.delete_document(term);
  return true;
}

void IndexDestination::add(ArticleDocuments& documents, std::size_t /*seq*/) {
  for (auto& doc : documents.sections) db_.add_document(doc);
  ++pending_;
}

void IndexDestination::add_words(SpellingWords&& words, std::size_t /*seq*/) {
  for (const auto& [word, count] : words) spelling_[word] += count;
}

void IndexDestination::record_state(const std::string& key, std::string value) {
  db_.set_metadata(key, value);
}

void IndexDestination::end_unit() {
  // Commit at any unit boundary, also inside a large JSON Lines file: a killed run loses at
  // most one batch. A file's state is recorded only with its last unit, so a file cut off
  // between commits is simply read again (its articles replaced by id).
  if (pending_ >= commit_every_) {
    commit();
    begin();
  }
}

void IndexDestination::finish(bool /*interrupted*/) {
  commit();
  db_.commit();
}

void IndexDestination::abandon() noexcept {
  if (!in_transaction_) return;
  try {
    db_.cancel_transaction();
  } catch (...) {
  }
  in_transaction_ = false;
}

// --- ShardDestination

ShardDestination::ShardDestination(const fs::path& target, Xapian::WritableDatabase& db,
                                   const CorpusConfig& config, unsigned title_weight,
                                   std::size_t commit_every, bool keep_partial)
    : target_(target),
      db_(db),
      config_(config),
      title_weight_(title_weight),
      keep_partial_(keep_partial),
      batches_(kShards) {
  for (std::size_t s = 0; s < kShards; ++s) {
    paths_.push_back(target_ / ("shard-" + std::to_string(s)));
    shards_.push_back(std::make_unique<ShardWriter>(paths_.back(), commit_every / 2));
  }
}

bool ShardDestination::remove(const std::string& id) {
  // The earlier record may be in either shard; queue order keeps this before the next add.
  for (auto& batch : batches_) batch.ops.push_back({id_term(id), {}});
  return false;
}

void ShardDestination::add(ArticleDocuments& documents, std::size_t seq) {
  auto& batch = batches_[seq % kShards];
  for (auto& doc : documents.sections) batch.ops.push_back({{}, std::move(doc)});
  ++batch.articles;
}

void ShardDestination::add_words(SpellingWords&& words, std::size_t seq) {
  batches_[seq % kShards].words = std::move(words);
}

void ShardDestination::record_state(const std::string& key, std::string value) {
  if (!value.empty()) file_states_.emplace_back(key, std::move(value));
}

void ShardDestination::end_unit() {
  for (std::size_t s = 0; s < kShards; ++s) {
    if (!batches_[s].ops.empty() || !batches_[s].words.empty()) {
      shards_[s]->push(std::exchange(batches_[s], ShardBatch{}));
    }
  }
}

void ShardDestination::finish(bool interrupted) {
  if (interrupted && !keep_partial_) {
    abandon();  // an interrupted rebuild is given up (IndexWriter::index keeps the old index)
    return;
  }
  for (auto& s : shards_) s->end_input();
  for (auto& s : shards_) s->finish();
  shards_.clear();
  merge_shards(paths_, target_);
  db_ = open_writable(target_, Xapian::DB_OPEN | Xapian::DB_NO_SYNC, {});
  write_format_record(db_, title_weight_);
  if (wants_synonyms(db_, config_)) write_synonyms(db_, config_);
  for (const auto& [key, value] : file_states_) db_.set_metadata(key, value);
  db_.commit();
}

void ShardDestination::abandon() noexcept {
  shards_.clear();  // abandons the shards: the build is given up
}

// --- OrderedWriter

void OrderedWriter::write(ParsedUnit&& out) {
  const std::size_t seq = seq_++;
  auto& p = plan_.files[out.file];
  if (out.failure) report_.failed.push_back(failure_of(*out.failure));
  if (out.late_failure) report_.failed.push_back(failure_of(*out.late_failure));
  for (const auto& d : p.sidecar_diagnostics) report_.warnings.push_back(d);
  p.sidecar_diagnostics.clear();
  for (const auto& d : out.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) {
      files_with_errors_.insert(out.file);
      report_.failed.push_back(
          {d.path, (d.line > 0 ? "line " + std::to_string(d.line) + ": " : "") + d.message});
    } else {
      report_.warnings.push_back(d);
    }
  }
  destination_.add_words(std::move(out.words), seq);
  for (std::size_t i = 0; i < out.documents.size(); ++i) {
    write_article(out.documents[i], out.articles[i], out.file);
    destination_.add(out.documents[i], seq);
  }
  if (out.last) end_file(out);
  destination_.end_unit();
}

void OrderedWriter::write_article(ArticleDocuments& docs, const Article& article,
                                  std::size_t file) {
  for (const auto& d : article.diagnostics) report_.warnings.push_back(d);
  const std::string where =
      article.source_path +
      (article.source_line > 0 ? ":" + std::to_string(article.source_line) : "");
  if (!written_ids_.insert(docs.id).second) {
    report_.warnings.push_back({Diagnostic::Severity::kWarning, article.source_path,
                                article.source_line,
                                "duplicate id '" + docs.id + "' (also at " + written_by_[docs.id] +
                                    "): this later record is kept"});
    destination_.remove(docs.id);
  } else if (destination_.has_earlier_articles() && destination_.remove(docs.id)) {
    ++report_.updated;
  } else {
    ++report_.added;
  }
  written_by_[docs.id] = where;
  file_ids_[file].push_back(docs.id);
  ++articles_done_;
}

void OrderedWriter::end_file(const ParsedUnit& out) {
  auto& p = plan_.files[out.file];
  auto& state = p.state;
  // A file that gave nothing but errors (empty, binary, only bad records) or changed while read
  // is not recorded as indexed: the next run reads it, and reports it, again.
  const bool record = !out.failure && !out.late_failure &&
                      !(files_with_errors_.count(out.file) != 0 && file_ids_[out.file].empty());
  files_with_errors_.erase(out.file);
  if (out.unchanged) {
    state.ids = p.previous->ids;
    report_.unchanged += state.ids.size();
  } else if (!out.failure) {
    state.ids = std::move(file_ids_[out.file]);
    file_ids_.erase(out.file);
    ++report_.files_indexed;
    report_.bytes_indexed += p.bytes;
    // Articles the file no longer holds.
    if (p.previous != nullptr) {
      const std::set<std::string> now(state.ids.begin(), state.ids.end());
      for (const auto& id : p.previous->ids) {
        if (now.count(id) == 0 && written_ids_.count(id) == 0 && destination_.remove(id)) {
          ++report_.removed;
        }
      }
    }
  }
  if (record) {
    destination_.record_state(state_key(p.key), encode_state(p.key, state));
  } else if (p.previous != nullptr) {
    // An unreadable or oversized file keeps its old articles; its state is dropped so that the
    // next run tries again.
    destination_.record_state(state_key(p.key), "");
  }
  ++files_done_;
  bytes_done_ += p.bytes;
}

void OrderedWriter::remove_vanished(const Walk& walk) {
  for (const auto& entry : destination_.states()) {
    // Not a structured binding: clang before 16 cannot capture one in the lambdas below.
    const auto& file_path = entry.first;
    const auto& state = entry.second;
    if (plan_.seen.count(file_path) != 0) continue;
    const auto below = [&](const std::string& folder) {
      return file_path.size() > folder.size() && file_path.compare(0, folder.size(), folder) == 0 &&
             (folder.ends_with('/') || file_path[folder.size()] == '/');
    };
    const bool under_root = std::any_of(
        walk.roots.begin(), walk.roots.end(),
        [&](const auto& root) { return root.folder ? below(root.path) : file_path == root.path; });
    const bool unreadable = std::any_of(walk.unreadable.begin(), walk.unreadable.end(), below);
    if (!under_root || unreadable) continue;
    for (const auto& id : state.ids) {
      if (written_ids_.count(id) == 0 && destination_.remove(id)) ++report_.removed;
    }
    destination_.record_state(state_key(file_path), "");
  }
}

}  // namespace dossier::detail
