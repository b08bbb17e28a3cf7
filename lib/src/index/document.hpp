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
