// The parse stage (see parse.hpp).
#include "index/pipeline/parse.hpp"

#include "ingest/ingest_internal.hpp"

#include <exception>

namespace dossier::detail {

ParsedUnit Parser::parse(std::size_t file, SourceUnit unit) {
  ParsedUnit out;
  out.file = file;
  out.last = unit.last;
  out.unchanged = unit.unchanged;
  out.failure = std::move(unit.failure);
  out.late_failure = std::move(unit.late_failure);
  if (out.failure || out.unchanged) return out;
  const auto& p = setup_.plan.files[file];
  try {
    const NormaliseContext context{setup_.config, setup_.aliases, p.path, p.sidecar.get()};
    auto result =
        unit.format == Format::kJsonLines
            ? ingest_jsonl_chunk(unit.bytes, unit.first_line, setup_.max_record_bytes, context)
            : ingest_document_bytes(unit.bytes, unit.format, context);
    out.diagnostics = std::move(unit.notes);
    out.diagnostics.insert(out.diagnostics.end(), result.diagnostics.begin(),
                           result.diagnostics.end());
    out.documents.reserve(result.articles.size());
    for (auto& article : result.articles) {
      out.documents.push_back(
          build_documents(article, analyzer_, setup_.tagger, setup_.title_weight));
      article.body.clear();  // the writer needs metadata only
      article.sections.clear();
    }
    out.articles = std::move(result.articles);
    out.words = analyzer_.take_words();
  } catch (const std::exception& e) {
    // A bug or a dependency failing on this input: this file fails, the batch goes on.
    out.documents.clear();
    out.articles.clear();
    out.words.clear();
    (void)analyzer_.take_words();  // the failed unit's words must not reach the dictionary
    out.failure = Diagnostic{Diagnostic::Severity::kError, p.key, 0,
                             std::string("internal error: ") + e.what()};
  }
  return out;
}

}  // namespace dossier::detail
