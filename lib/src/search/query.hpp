// Query building: Dossier's query syntax (docs/query-syntax.md) through Xapian's QueryParser,
// configured from the schema table and with the indexer's analysis, plus the request's filters.
#pragma once

#include <dossier/search.hpp>

#include <xapian.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// A parsed query and what the user should hear about it.
struct ParsedQuery {
  Xapian::Query query;                ///< Empty (MatchNothing) only for an empty query text.
  std::string rewritten;              ///< The string given to QueryParser (after folding,
                                      ///< wildcard and synonym rewriting).
  std::vector<std::string> warnings;  ///< "query did not parse: ...; searched for the words".
  std::vector<std::string> stopped;   ///< Stopwords left out.
};

/// Parses query text and builds filters for one index. Holds a QueryParser, so not
/// thread-safe: one per Searcher.
class QueryBuilder {
 public:
  /// `db` gives spelling data, synonyms (metadata dossier.synonyms) and wildcard vocabulary.
  explicit QueryBuilder(const Xapian::Database& db);
  ~QueryBuilder();
  QueryBuilder(const QueryBuilder&) = delete;
  QueryBuilder& operator=(const QueryBuilder&) = delete;

  /// Re-reads database-dependent state (synonyms) after the database was reopened.
  void refresh(const Xapian::Database& db);

  /// Parses `text`. Throws Error(kInvalidArgument) for a query of only stopwords or
  /// punctuation, a bad date in a date: range, and a wildcard matching more than
  /// `wildcard_limit` words. A query that does not parse is retried as plain words.
  /// `language` (BCP 47) picks the stemmer: the indexer stemmed each article with its own
  /// language's, so a query meant for French articles is stemmed the French way. Stopwords
  /// (an English list) apply to English only.
  ParsedQuery parse(std::string_view text, MatchMode mode, std::size_t wildcard_limit,
                    bool stopwords = true, std::string_view language = "en");

  /// A spelling correction of `text` from the index's spelling data: each plain word that
  /// occurs nowhere in the index is replaced by the most frequent indexed word within two
  /// edits. "" when nothing would change.
  std::string suggest(std::string_view text);

  /// The request's filters (authors, organisations, topics, types, languages, from/to) as one
  /// boolean query, or MatchAll when there are none. Values are folded and resolved through
  /// the index's aliases; a value no article has adds a warning. Throws
  /// Error(kInvalidArgument) for a bad from/to date.
  Xapian::Query filters(const SearchRequest& request, std::vector<std::string>& warnings) const;

  /// Terms of `query` that appear inside phrases (OP_PHRASE), phrase by phrase, and whether each
  /// leaf term also occurs outside any phrase.
  static void collect_phrases(const Xapian::Query& query,
                              std::vector<std::vector<std::string>>& phrases,
                              std::vector<std::string>& loose_terms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Parses a full or partial ISO date ("2019", "2019-03", "2019-03-31") into the range of
/// YYYYMMDD values it covers (unknown parts are 00 in the index, so "2019" covers 20190000 to
/// 20191231). Returns false when `text` is not such a date.
bool parse_partial_date(std::string_view text, int& low, int& high);

}  // namespace dossier::detail
