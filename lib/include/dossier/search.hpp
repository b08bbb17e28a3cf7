// Searcher: ranked queries over a Dossier index, with highlighted snippets, filters, facets,
// timelines, spelling suggestions and more-like-this. No Xapian or ICU type appears here.
#pragma once

#include <dossier/export.hpp>

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dossier {

/// How the words of a query combine. Thread safety: a value type.
enum class MatchMode {
  kAll,  ///< Every word must match (the default; explicit OR still works).
  kAny,  ///< A ranked OR: documents matching more and rarer words rank higher.
};

/// Result order. Thread safety: a value type.
enum class SortOrder {
  kRelevance,  ///< Best match first (BM25). In browse mode (no query) this means newest.
  kNewest,     ///< Latest publication date first; undated articles last.
  kOldest,     ///< Earliest publication date first; undated articles last.
};

/// Timeline granularity. Thread safety: a value type.
enum class TimelineUnit { kNone, kYear, kMonth };

/// The valid ranges of the numeric fields of SearchRequest and RankingOptions. Searcher::search
/// throws Error(kInvalidArgument) naming the field, its value and its range for a value outside
/// them (and for a non-finite double). Thread safety: constants.
struct SearchLimits {
  static constexpr std::size_t kMaxLimit = 1'000'000;       ///< limit: 0..kMaxLimit
  static constexpr std::size_t kMaxOffset = 1'000'000'000;  ///< offset: 0..kMaxOffset
  static constexpr std::size_t kMaxFacetLimit = 1'000'000;  ///< facet_limit: 0..kMaxFacetLimit
  static constexpr std::size_t kMaxSnippets = 100;          ///< snippets: 0..kMaxSnippets
  static constexpr std::size_t kMinSnippetBytes = 40;       ///< snippet_bytes: kMin..kMax
  static constexpr std::size_t kMaxSnippetBytes = 100'000;
  static constexpr std::size_t kMaxWildcardLimit = 100'000;  ///< wildcard_limit: 1..kMax
  static constexpr double kMaxK1 = 100;                      ///< k1: 0..kMaxK1; b: 0..1
  static constexpr double kMaxProximity = 100;               ///< proximity: 0..kMaxProximity
  static constexpr unsigned kMaxExpandTerms = 1'000;         ///< expand_terms: 0..kMax
  static constexpr unsigned kMaxExpandDocuments = 1'000;     ///< expand_documents: 1..kMax
  static constexpr double kMaxExpandWeight = 100;            ///< expand_weight: 0..kMax
};

/// Ranking parameters (BM25, Xapian's BM25Weight). Defaults are the ones docs/evaluation.md
/// supports. Thread safety: a value type.
struct RankingOptions {
  double k1 = 1.2;  ///< Term frequency saturation.
  double b = 0.75;  ///< Document length normalisation.
  /// Leave stopwords out of free text (never out of phrases).
  bool stopwords = true;
  /// Proximity boosting for multi-word queries: each pair of consecutive query words found
  /// within a few words of each other adds this fraction of their weight (0 = off).
  double proximity = 0;
  /// Pseudo-relevance feedback: expand the query with this many terms from the top documents
  /// (0 = off). Unset (the default): 10 for MatchMode::kAny, where it raised nDCG@10 on all four
  /// test collections (docs/evaluation.md), and off for MatchMode::kAll, where it could only
  /// re-rank and would double the query time.
  std::optional<unsigned> expand_terms;
  /// Top documents the expansion terms are drawn from.
  unsigned expand_documents = 10;
  /// Weight of the expansion terms relative to the query's.
  double expand_weight = 0.2;
};

/// One query. Every field documents its default. Thread safety: a value type.
struct SearchRequest {
  /// Query text in Dossier's query syntax (docs/query-syntax.md). Empty: browse mode, every
  /// article that passes the filters matches.
  std::string query;
  MatchMode mode = MatchMode::kAll;

  /// Filters. Values of one field are ORed, different fields ANDed. Authors, organisations and
  /// topics are matched on their folded keys (case, accents and punctuation do not matter);
  /// an author filter matches the sections that author signed.
  std::vector<std::string> authors;
  std::vector<std::string> organisations;
  std::vector<std::string> topics;
  std::vector<std::string> types;
  std::vector<std::string> languages;
  /// Filters on any filter field by its name (schema_fields() in dossier/schema.hpp, those with
  /// FieldInfo::filter), with the rules above; values join those of the named members ("author"
  /// adds to `authors`). A name that is not a filter field throws Error(kInvalidArgument).
  std::map<std::string, std::vector<std::string>> filters;
  /// Publication date bounds, inclusive, full or partial ISO dates ("2019", "2019-03",
  /// "2019-03-31"); a partial `to` covers its whole year or month. Empty: unbounded. With either
  /// bound set, undated articles do not match.
  std::string from;
  std::string to;

  /// More like this: an article id; its top terms form the query (combined with `query` when
  /// both are given) and the article itself is excluded.
  std::string like;

  SortOrder sort = SortOrder::kRelevance;
  std::size_t offset = 0;  ///< Hits to skip (paging).
  std::size_t limit = 10;  ///< Hits to return; 0 = none (facets/count only).

  /// Facet fields to count over the whole match set: "author", "org", "topic", "type", "lang",
  /// "year", "month". Unknown names throw Error(kInvalidArgument).
  std::vector<std::string> facets;
  std::size_t facet_limit = 10;  ///< Top values per facet (0 = all).
  TimelineUnit timeline = TimelineUnit::kNone;

  std::size_t snippets = 3;          ///< Passages per hit (0 = none).
  std::size_t snippet_bytes = 300;   ///< Maximum length of a passage, in bytes of UTF-8.
  bool correct_spelling = true;      ///< Suggest (and, on no match, use) a spelling correction.
  bool explain = false;              ///< Fill Hit::explanation.
  bool exact_total = false;          ///< Count every match so that total is exact.
  std::size_t wildcard_limit = 500;  ///< Most terms a trailing wildcard may expand to.

  RankingOptions ranking;
};

/// A highlighted range of a snippet: byte offsets [begin, end) into Snippet::text.
/// Thread safety: a value type.
struct Highlight {
  std::size_t begin = 0;
  std::size_t end = 0;
  friend bool operator==(const Highlight&, const Highlight&) = default;
};

/// One passage of a hit's text, plain UTF-8, with "…" where text was skipped.
/// Thread safety: a value type.
struct Snippet {
  std::string text;
  std::vector<Highlight> highlights;  ///< In order, not overlapping.
  friend bool operator==(const Snippet&, const Snippet&) = default;
};

/// The section of an article that matched best. Thread safety: a value type.
struct MatchedSection {
  std::size_t index = 0;             ///< 0-based section number within the article.
  std::size_t count = 1;             ///< Sections in the article.
  std::string heading;               ///< "" for an untitled section.
  std::vector<std::string> authors;  ///< The section's signers (empty when unsigned).
  bool is_signed = false;            ///< The section names its own author(s).
  std::size_t begin = 0;             ///< Byte range of the section in the article body.
  std::size_t end = 0;
};

/// A query term that matched a hit, and its share of the hit's score. Thread safety: a value
/// type.
struct TermWeight {
  std::string term;  ///< As indexed (stemmed, with a field prefix for fielded terms).
  double weight = 0;
  bool expansion = false;  ///< Added by pseudo-relevance feedback, not typed by the user.
};

/// One article in the results. Thread safety: a value type.
struct Hit {
  std::size_t rank = 0;  ///< 1-based position in the whole result list (offset included).
  double score = 0;      ///< BM25 score of the best section (0 in browse mode).
  int percent = 0;       ///< Score as a percentage of the best possible (Xapian's percent).
  std::string id;
  std::string title;
  std::vector<std::string> authors;  ///< All the article's authors.
  std::string organisation;
  std::string date;  ///< ISO date, possibly partial ("2019", "2019-03"); "" when unknown.
  std::string type;
  std::vector<std::string> topics;
  std::string language;
  std::string url;
  std::string path;
  std::size_t line = 0;  ///< Line of the record in a JSON Lines file; 0 otherwise.
  std::string summary;
  /// Every stored field by its name in schema_fields() ("author", "org", "date", ...), the ones
  /// above included: the way to a field that has no member of its own.
  std::map<std::string, std::vector<std::string>> fields;
  MatchedSection section;
  std::vector<Snippet> snippets;
  std::vector<TermWeight> explanation;  ///< Matching terms and weights (request.explain).
};

/// Facet value and number of matching articles carrying it. Thread safety: a value type.
struct FacetCount {
  std::string value;
  std::size_t count = 0;
  friend bool operator==(const FacetCount&, const FacetCount&) = default;
};

/// Counts of one facet field, most frequent first (ties by value). Thread safety: a value type.
struct Facet {
  std::string field;               ///< "author", "org", ...
  std::vector<FacetCount> values;  ///< Top request.facet_limit values.
  std::size_t distinct = 0;        ///< Distinct values in the whole match set.
  std::size_t missing = 0;         ///< Matching articles without a value for the field.
};

/// One period of a timeline ("2019" or "2019-03") and its matching articles, in time order,
/// empty periods between the first and last included. Thread safety: a value type.
struct TimelineBucket {
  std::string period;
  std::size_t count = 0;
  friend bool operator==(const TimelineBucket&, const TimelineBucket&) = default;
};

/// Matching articles: exact when `exact` is set, else an estimate with bounds.
/// Thread safety: a value type.
struct Total {
  std::size_t estimate = 0;
  std::size_t lower = 0;
  std::size_t upper = 0;
  bool exact = false;
};

/// The answer to one SearchRequest. Thread safety: a value type.
struct SearchResults {
  Total total;
  std::vector<Hit> hits;
  std::vector<Facet> facets;  ///< In the order requested.
  TimelineUnit timeline_unit = TimelineUnit::kNone;
  std::vector<TimelineBucket> timeline;
  /// Matching articles not on the timeline: undated, or (monthly timeline) dated only to the
  /// year.
  std::size_t undated = 0;
  /// A spelling correction of the query ("" when none). When the query matched nothing and the
  /// correction matches, the results are for the correction and `corrected` is set.
  std::string suggestion;
  bool corrected = false;
  /// Things the user should know: a query retried as plain words, a filter value no article
  /// has, ... (a correction used is told by `corrected`).
  std::vector<std::string> warnings;
  /// Canonical description of the query that ran (filters included), for tests and --explain.
  std::string query_description;
  bool browse = false;  ///< No query text: all articles passing the filters matched.
};

/// Facts about an open index. Thread safety: a value type.
struct SearcherInfo {
  std::size_t sections = 0;  ///< Xapian documents.
  std::size_t articles = 0;
  int format_version = 0;
};

/// A read-only view of an index. Opening checks the format version and analysis settings.
/// Thread safety: one thread at a time per Searcher; open one Searcher per thread (opening is
/// cheap). Readers see the index as of the last commit and never block the indexer; a search
/// racing a commit is retried on the new revision.
class DOSSIER_EXPORT Searcher {
 public:
  /// Opens the index in folder `db`. Throws Error: kNotFound (no such folder, or not a Dossier
  /// index), kIndexVersion (written by another format version or analysis: rebuild it),
  /// kCorrupt.
  static Searcher open(const std::filesystem::path& db);

  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;
  ~Searcher();

  /// Answers a request. Throws Error: kInvalidArgument for bad request values (unknown facet,
  /// bad date, unknown `like` id, a query of only stopwords or punctuation, a wildcard
  /// expanding beyond request.wildcard_limit); kParse never (a query that does not parse is
  /// retried as plain words with a warning).
  SearchResults search(const SearchRequest& request);

  /// The canonical description of `query` as it would run (no search is done).
  std::string describe(const std::string& query, MatchMode mode = MatchMode::kAll);

  /// Moves to the latest committed revision of the index.
  void refresh();

  SearcherInfo info() const;

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier
