// The one analysis both sides share: ICU folding, then Xapian's TermGenerator (documents) or
// QueryParser (queries) with the same stemmer and stemming strategy.
#pragma once

#include "text/fold.hpp"

#include <xapian.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dossier::detail {

/// The folding applied before Xapian sees text (fold_for_analysis) lives with every other
/// folding in text/fold.hpp.

/// Lower case as Xapian's QueryParser and TermGenerator apply it (Xapian::Unicode::tolower, per
/// code point, nothing else): for looking words up in the spelling list as they were indexed.
std::string lower_as_xapian(std::string_view text);

/// The Snowball stemmer name Xapian uses for a BCP 47 primary tag ("en" -> "english"), or ""
/// when Xapian has none (the text is then indexed unstemmed).
std::string stemmer_name(std::string_view language);

/// The stemming strategy: every term stemmed, with positions, no unstemmed Z-terms. Stemmed
/// phrase search works ("rare earth" finds "rare earths") and postings are half of STEM_SOME's.
inline constexpr Xapian::TermGenerator::stem_strategy kDocumentStemming =
    Xapian::TermGenerator::STEM_ALL;
inline constexpr Xapian::QueryParser::stem_strategy kQueryStemming = Xapian::QueryParser::STEM_ALL;

/// Title words count this many times (wdf) by default; IndexOptions::title_weight changes it.
inline constexpr unsigned kDefaultTitleWeight = 3;

/// Recorded in the index and compared on open: any change here means "rebuild the index".
/// The title weight is part of it (`title_wdf=N`).
std::string analysis_description(unsigned title_weight = kDefaultTitleWeight);

/// The title weight an index was written with (from its analysis record), or 0 if unknown.
unsigned title_weight_of(const Xapian::Database& db);

/// Throws Error(kIndexVersion) unless `db` (at `path`, for the message) was written with this
/// format version and analysis ("rebuild the index"). An empty database without a format
/// record passes when `allow_empty` (a writer is about to initialise it); otherwise it is "not a
/// Dossier index".
void check_index_format(const Xapian::Database& db, const std::string& path, bool allow_empty);

/// A QueryParser set up like the indexer's TermGenerator for `language` (stemmer, strategy),
/// without database-dependent parts (the searcher adds field prefixes, ranges, database).
Xapian::QueryParser make_query_parser(std::string_view language = "en");

/// Whether an indexed word goes into the spelling dictionary: words that start with a digit
/// ("2019", "1.5", "10am", "1990s") do not; "g20" and "f35" do. Did-you-mean never corrects
/// words with digits, and the searcher expands wildcards whose prefix starts with a digit over
/// the index's terms instead (docs/index-format.md). Such words were 24% of the benchmark
/// corpus's dictionary, and spelling words cost indexing time twice (counting, fragments).
bool is_spelling_word(std::string_view word) noexcept;

/// Per-thread analysis state: one TermGenerator per language with a caching stemmer that also
/// counts the words it sees (the spelling dictionary). Not thread-safe: one per worker thread.
class Analyzer {
 public:
  /// Distinct words each language's stem cache holds before it starts again (memory bound).
  static constexpr std::size_t kStemCacheLimit = 500000;

  explicit Analyzer(std::size_t stem_cache_limit = kStemCacheLimit);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  /// The TermGenerator for `language`, ready for set_document().
  Xapian::TermGenerator& generator(std::string_view language);

  /// Words seen since the last call (lower-cased, unstemmed) with their counts, for the spelling
  /// dictionary (is_spelling_word); clears them.
  std::unordered_map<std::string, Xapian::termcount> take_words();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::detail
