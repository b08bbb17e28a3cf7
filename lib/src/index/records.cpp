// Index records besides documents (see records.hpp).
#include "index/records.hpp"

#include "analysis/analysis.hpp"
#include "schema/schema.hpp"
#include "xapian/errors.hpp"

#include <dossier/error.hpp>
#include <dossier/text.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <thread>
#include <vector>

namespace dossier::detail {

void write_format_record(Xapian::WritableDatabase& db, unsigned title_weight) {
  if (db.get_metadata(kFormatKey).empty()) {
    db.set_metadata(kFormatKey, std::to_string(kIndexFormatVersion));
    db.set_metadata(kAnalysisKey, analysis_description(title_weight));
  }
}

bool wants_synonyms(const Xapian::Database& db, const CorpusConfig& config) {
  return !config.synonyms.empty() || !config.author_aliases.empty() ||
         !config.organisation_aliases.empty() || !db.get_metadata(kSynonymsKey).empty();
}

void write_synonyms(Xapian::WritableDatabase& db, const CorpusConfig& config) {
  nlohmann::json all = nlohmann::json::object();
  Xapian::Stem stem(stemmer_name("en"));
  std::vector<std::string> old_keys(db.synonym_keys_begin(), db.synonym_keys_end());
  for (const auto& key : old_keys) db.clear_synonyms(key);
  for (const auto& [term, equivalents] : config.synonyms) {
    all[term] = equivalents;
    const auto key = fold_for_analysis(fold_key(term));
    for (const auto& e : equivalents) {
      const auto value = fold_for_analysis(fold_key(e));
      db.add_synonym(key, value);
      db.add_synonym(stem(key), stem(value));
    }
  }
  db.set_metadata(kSynonymsKey, all.dump());
  // Aliases too, so that a searcher resolves --org RAND like the indexer did.
  nlohmann::json alias_table = {{"author", config.author_aliases},
                                {"org", config.organisation_aliases}};
  db.set_metadata(kAliasesKey, alias_table.dump());
}

Xapian::WritableDatabase open_writable(const std::filesystem::path& path, int flags,
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
      rethrow_as_dossier_error(path.string());
    }
  }
}

}  // namespace dossier::detail
