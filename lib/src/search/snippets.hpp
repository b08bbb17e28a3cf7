// Snippets: the passages of a hit's text that best show why it matched, cut on ICU sentence
// boundaries, with every occurrence of a query term highlighted in the form it takes in the
// text. Words are found and analysed exactly as the indexer's TermGenerator does (same
// character classes, same folding, same stemmer), so a highlight is a query term and nothing
// else.
#pragma once

#include <dossier/search.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dossier::detail {

/// What to highlight, in the analysed form the query produced (folded, lower-cased, stemmed
/// like the index's unprefixed terms: "sanction", "rare", "earth").
struct HighlightTerms {
  /// Terms highlighted wherever they occur, with a weight for passage scoring (the caller
  /// passes an idf-like weight; rarer terms make better passages).
  std::unordered_map<std::string, double> terms;
  /// Phrases: term sequences highlighted as ONE span (first word to last word) where the
  /// words occur consecutively. A term only in phrases is highlighted only inside them.
  std::vector<std::vector<std::string>> phrases;
};

/// A word of a text as the indexer sees it: byte range in the text and its term.
struct WordSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string term;
};

struct SnippetOptions {
  std::size_t passages = 3;     ///< Maximum passages.
  std::size_t max_bytes = 300;  ///< Maximum bytes of a passage ("…" included; none below 7).
};

/// Makes snippets. Keeps stemmers and ICU break iterators between calls (they are costly to
/// create). Not thread-safe: one per Searcher.
class SnippetMaker {
 public:
  SnippetMaker();
  ~SnippetMaker();
  SnippetMaker(const SnippetMaker&) = delete;
  SnippetMaker& operator=(const SnippetMaker&) = delete;

  /// The words of `text` (valid UTF-8) with their terms, as TermGenerator would index them
  /// for an article in `language` (BCP 47 tag; the stemmer is stemmer_name(language)).
  std::vector<WordSpan> words(std::string_view text, std::string_view language);

  /// Up to options.passages passages of `text`, chosen by the density and weight of query-term
  /// matches, each cut on sentence boundaries (shortened at word boundaries when a sentence is
  /// longer than options.max_bytes), in text order. A passage that does not start at the text's
  /// start begins with "…"; one that does not end at the text's end (or a sentence end) ends
  /// with "…". With no match in the text (a title-only match, browse mode), one passage: the
  /// text's opening. Empty text: no passages. Highlights are byte ranges into each passage's
  /// text, never splitting a UTF-8 sequence.
  std::vector<Snippet> make(std::string_view text, std::string_view language,
                            const HighlightTerms& terms, const SnippetOptions& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::detail
