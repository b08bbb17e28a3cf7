// Article -> Xapian documents (one per section), following the schema table.
#pragma once

#include "analysis/analysis.hpp"
#include "format/stored.hpp"
#include "index/topics.hpp"
#include "text/hash.hpp"

#include <dossier/article.hpp>

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// The documents of one article, ready for the writer.
struct ArticleDocuments {
  std::string id;
  std::vector<Xapian::Document> sections;
  std::vector<TopicMatch> topics;  ///< Taxonomy topics assigned, with their triggering terms.
};

/// Builds the section documents: free text (title x title_weight and S-prefixed, summary, heading
/// x2 and XH-prefixed, section text) with positions; then every field's boolean terms, value
/// slot and stored value as its row of the schema table says (see docs/index-format.md). `tagger`
/// may be null (no taxonomy).
ArticleDocuments build_documents(const Article& article, Analyzer& analyzer,
                                 const TopicTagger* tagger,
                                 unsigned title_weight = kDefaultTitleWeight);

}  // namespace dossier::detail
