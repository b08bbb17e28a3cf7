// Topic tagging: the taxonomy's named Xapian queries evaluated on one document, explainably.
#pragma once

#include <dossier/config.hpp>

#include <xapian.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// One topic assigned to a document, and why.
struct TopicMatch {
  std::string name;                ///< The topic's name from the taxonomy.
  std::vector<std::string> terms;  ///< Distinct matching leaves, sorted: a term ("tariff"), or a
                                   ///< phrase/NEAR as its terms joined by spaces in quotes
                                   ///< ("\"export control\""), as indexed (stemmed). A
                                   ///< wildcard contributes the document terms it matched.
};

/// Compiles a taxonomy once (with the QueryParser that searching uses) and evaluates it on
/// documents built by the indexer. Thread safety: const methods may be called concurrently.
class TopicTagger {
 public:
  /// `parser` must be configured exactly as for searching (stemmer, strategy, default op OR,
  /// flags for phrases, boolean operators, wildcards); topic queries are parsed with it once.
  /// `fold` is applied to each query string first (the analysis's text folding); null means
  /// none. The tagger itself sets default op OR and the flags PHRASE, BOOLEAN, LOVEHATE,
  /// WILDCARD and BOOLEAN_ANY_CASE.
  /// Throws dossier::Error(kParse) naming the topic when a query does not parse, has no terms,
  /// or uses an operator the evaluator does not support (value ranges, posting sources).
  TopicTagger(const std::vector<TopicRule>& rules, Xapian::QueryParser parser,
              std::string (*fold)(std::string_view));

  /// Topics whose query matches `documents` (the section documents of one article, which
  /// together form the article): a topic matches when its query matches at least one
  /// document and the union of distinct matching leaves over all documents has at least
  /// min_terms entries (0 acts as 1). Boolean operators and positions are evaluated within
  /// one document, as Xapian's matcher would; the right side of AND NOT is never a leaf.
  /// Wildcards match the indexed (stemmed) terms by prefix, as in search, so a pattern that is
  /// not a prefix of the stem ("missile*" against "missil") matches nothing. Returns topics in
  /// taxonomy order. Throws dossier::Error only if reading a database-backed document fails.
  std::vector<TopicMatch> match(const std::vector<Xapian::Document>& documents) const;

  /// The rules' parsed queries, for --explain-topics and tests (Xapian's descriptions).
  std::vector<std::string> descriptions() const;

 private:
  struct Rule {
    std::string name;
    Xapian::Query query;
    unsigned min_terms;
  };
  std::vector<Rule> rules_;
  /// The rules compiled once into a flat, immutable program (term ids, wildcard patterns,
  /// phrase windows) so that match() never walks Xapian::Query objects or their descriptions.
  struct Program;
  std::shared_ptr<const Program> program_;
};

}  // namespace dossier::detail
