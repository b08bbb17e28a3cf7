// Stage 4 of the indexing pipeline, run by each worker thread: a unit's bytes parsed into
// articles (ingest: parsers, sidecar, normalisation) and analysed into Xapian documents
// (index/document.hpp), with the words seen for the spelling dictionary.
// Owns: one Analyzer per worker. Hands on: a ParsedUnit per unit, in any order, to the channel.
#pragma once

#include "index/document.hpp"
#include "index/pipeline/plan.hpp"
#include "index/topics.hpp"
#include "ingest/normalise.hpp"
#include "ingest/source.hpp"

#include <dossier/article.hpp>
#include <dossier/config.hpp>

#include <xapian.h>

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dossier::detail {

/// What a worker made of one unit. Thread safety: a value type.
struct ParsedUnit {
  std::size_t file = 0;           ///< Index of the file in the plan.
  bool last = true;               ///< The file's last unit: its state can be recorded.
  bool unchanged = false;         ///< Content hash matched: only the state is refreshed.
  std::vector<Article> articles;  ///< Metadata only (text and sections dropped once analysed).
  std::vector<ArticleDocuments> documents;  ///< One per article, same order.
  std::vector<Diagnostic> diagnostics;
  std::unordered_map<std::string, Xapian::termcount> words;
  std::optional<Diagnostic> failure;       ///< Nothing of the file is indexed.
  std::optional<Diagnostic> late_failure;  ///< The file's state is not recorded.
};

/// What every worker shares, read-only. Thread safety: const, shared by the workers.
struct ParseSetup {
  const CorpusConfig& config;
  const Aliases& aliases;
  const TopicTagger* tagger = nullptr;  ///< May be null (no taxonomy).
  unsigned title_weight = kDefaultTitleWeight;
  std::size_t max_record_bytes = 0;
  const Plan& plan;
};

/// One worker's parser. Thread safety: one per thread.
class Parser {
 public:
  explicit Parser(const ParseSetup& setup) : setup_(setup) {}

  /// Parses and analyses `unit` of plan file `file`. Never throws for bad input (it becomes
  /// diagnostics) nor for a bug or a dependency failing on this input (the unit then fails
  /// with "internal error: ...": one file fails, the batch goes on).
  ParsedUnit parse(std::size_t file, SourceUnit unit);

 private:
  const ParseSetup& setup_;
  Analyzer analyzer_;
};

}  // namespace dossier::detail
