// Article -> Xapian documents (one per section), following the schema table.
#pragma once

#include "index/analysis.hpp"
#include "index/topics.hpp"
#include "text/hash.hpp"

#include <dossier/article.hpp>

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// `prefix` + `value`, shortened to fit Xapian's term length limit: values longer than 200
/// bytes keep their first 180 bytes plus '#' and a 64-bit hash of the whole value.
std::string bounded_term(std::string_view prefix, std::string_view value);

/// Joins facet values for a multi-valued value slot (separator U+001F) and splits them back.
std::string join_values(const std::vector<std::string>& values);
std::vector<std::string> split_values(std::string_view joined);

/// A section document's stored data: the record as one line of JSON (everything the searcher
/// prints), a newline, then the section's text verbatim, so that readers parse only the small
/// JSON part and take the text as is (docs/index-format.md).
struct StoredData {
  std::string_view json;
  std::string_view text;
};
StoredData split_stored(std::string_view data) noexcept;

/// The documents of one article, ready for the writer.
struct ArticleDocuments {
  std::string id;
  std::vector<Xapian::Document> sections;
  std::vector<TopicMatch> topics;  ///< Taxonomy topics assigned, with their triggering terms.
};

/// Which authors a section is attributed to for author filtering: its signers if it is signed;
/// otherwise the article's authors who signed no section (so a joint introduction in an
/// article where every author signed a section is attributed to none of them individually).
std::vector<std::string> attributed_authors(const Article& article, const Section& section);

/// Builds the section documents: free text (title x title_weight and S-prefixed, summary, heading
/// x2 and XH-prefixed, section text) with positions, boolean terms, value slots and stored data
/// (see docs/index-format.md). `tagger` may be null (no taxonomy).
ArticleDocuments build_documents(const Article& article, Analyzer& analyzer,
                                 const TopicTagger* tagger,
                                 unsigned title_weight = kDefaultTitleWeight);

}  // namespace dossier::detail
