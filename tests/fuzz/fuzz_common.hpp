// Shared checks for the libFuzzer targets: what counts as a bug, and invariants of results.
#pragma once

#include "ingest/ingest_internal.hpp"
#include "ingest/normalise.hpp"
#include "text/normalize.hpp"

#include <dossier/article.hpp>
#include <dossier/config.hpp>
#include <dossier/error.hpp>
#include <dossier/ingest.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::fuzz {

/// Reports a broken invariant and aborts, so that libFuzzer (or the replay driver) records it.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

/// A dossier::Error is an expected outcome of bad input, except kInternal, which means a bug;
/// its message, printed to users, must be valid UTF-8.
inline void check_error(const Error& e) {
  if (e.code() == ErrorCode::kInternal) fail("kInternal error escaped:", e.what());
  if (detail::first_invalid_utf8(e.what()) != std::string_view::npos) {
    fail("invalid UTF-8 in an error message");
  }
}

/// Text the library hands out must be valid UTF-8.
inline void check_utf8(std::string_view text, std::string_view what) {
  if (detail::first_invalid_utf8(text) != std::string_view::npos) fail("invalid UTF-8 in", what);
}

/// Invariants of an ingested article (docs/ingest.md, article.hpp).
inline void check_article(const Article& article) {
  check_utf8(article.title, "title");
  check_utf8(article.summary, "summary");
  check_utf8(article.body, "body");
  check_utf8(article.organisation, "organisation");
  for (const auto& author : article.authors) check_utf8(author, "author");
  for (const auto& topic : article.topics) check_utf8(topic, "topic");
  if (article.title.empty()) fail("empty title");
  std::size_t previous_end = 0;
  for (const auto& section : article.sections) {
    if (section.begin > section.end || section.end > article.body.size()) {
      fail("section range outside the body");
    }
    if (section.begin < previous_end) fail("sections overlap or are out of order");
    previous_end = section.end;
    check_utf8(section.heading, "section heading");
    check_utf8(section_text(article, section), "section text");
  }
  const auto& date = article.date;
  if (!date.empty() && (date.year < 1 || date.year > 9999)) fail("date year out of range");
}

/// The sample corpus's configuration (aliases, folder defaults), loaded once.
inline const CorpusConfig& corpus_config() {
  static const CorpusConfig config = CorpusConfig::load(DOSSIER_SOURCE_DIR "/corpus/dossier.yaml");
  return config;
}

/// Ingests `bytes` as one document of `format` (parser, then normalisation) and checks the
/// articles; the JSON output of each article must be produced without error too.
inline void ingest_and_check(const std::uint8_t* data, std::size_t size, Format format,
                             const char* path) {
  static const detail::Aliases aliases(corpus_config());
  const detail::NormaliseContext context{corpus_config(), aliases, path, nullptr};
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto result = format == Format::kJsonLines
                            ? detail::ingest_jsonl_chunk(bytes, 1, std::size_t{1} << 20U, context)
                            : detail::ingest_document_bytes(bytes, format, context);
    for (const auto& article : result.articles) {
      check_article(article);
      check_utf8(to_json(article), "to_json");
    }
    for (const auto& diagnostic : result.diagnostics) check_utf8(diagnostic.message, "diagnostic");
  } catch (const Error& e) {
    check_error(e);
  }
}

}  // namespace dossier::fuzz
