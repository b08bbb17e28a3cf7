// Normalisation: a parser's RawRecord (plus sidecar and configuration) -> an Article.
#pragma once

#include "parsers/raw_record.hpp"

#include <dossier/article.hpp>
#include <dossier/config.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dossier::detail {

/// Alias tables of a CorpusConfig keyed by fold_key, built once per batch.
struct Aliases {
  std::map<std::string, std::string> authors;        ///< fold_key(variant) -> canonical.
  std::map<std::string, std::string> organisations;  ///< fold_key(variant) -> canonical.

  explicit Aliases(const CorpusConfig& config);
};

/// Everything normalisation needs besides the record.
struct NormaliseContext {
  const CorpusConfig& config;
  const Aliases& aliases;
  std::filesystem::path path;          ///< The input file, as given.
  const RawRecord* sidecar = nullptr;  ///< Metadata that overrides the file's, or null.
};

/// Builds the Article for `record`, applying precedence sidecar > file metadata > text
/// heuristics > configuration defaults. Returns nullopt when the record is rejected (it has an
/// error diagnostic, or no text at all); every diagnostic goes to `diagnostics` (file-level)
/// or, for a kept article, into Article::diagnostics.
std::optional<Article> normalise(RawRecord record, const NormaliseContext& context,
                                 std::vector<Diagnostic>& diagnostics);

}  // namespace dossier::detail
