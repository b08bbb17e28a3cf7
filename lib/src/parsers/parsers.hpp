// One parser per input format: decoded input -> RawRecord(s). Chosen by ingest/ingest.cpp.
#pragma once

#include "parsers/raw_record.hpp"

#include <dossier/config.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// What every parser knows about its input besides the bytes.
struct ParseContext {
  std::string path;                      ///< For diagnostics.
  const CorpusConfig* config = nullptr;  ///< Never null when called from ingest.
};

/// Plain text laid out like the client's seed article (docs/ingest.md): title line, byline, date
/// line, "- By Name" signed sections, promotional tail blocks removed. Input: decoded UTF-8.
RawRecord parse_plaintext(std::string_view utf8, const ParseContext& context);

/// Markdown with optional YAML front matter. Input: decoded UTF-8.
RawRecord parse_markdown(std::string_view utf8, const ParseContext& context);

/// A saved HTML page. Input: the raw bytes (the parser honours the page's declared charset).
/// Metadata comes from JSON-LD, <meta> tags and, where those are silent, visible bylines and
/// <time> elements, then date and byline lines in title-block furniture (an article <header>,
/// "entry-meta", "post-date"...; such dates are given in ISO form unless the line is only a
/// date); the body is the article container without boilerplate, one paragraph per line, with
/// h1-h3 headings as sections, and never holds U+0000 or other C0 controls. Does not throw for
/// bad input: undecodable bytes or a page without article text give an error Diagnostic and an
/// empty body; malformed JSON-LD, or JSON-LD nested over 64 brackets deep, is ignored with a
/// warning; UTF-8 with a few invalid bytes is read with U+FFFD and a warning. Linear in the
/// page size. Never prints (libxml2's error handlers are silenced per thread).
RawRecord parse_html(std::string_view bytes, const ParseContext& context);

/// One JSON Lines record (a JSON object as text) at 1-based `line`. Malformed JSON gives a
/// RawRecord with an error diagnostic and no body.
RawRecord parse_json_record(std::string_view json, std::size_t line, const ParseContext& context);

}  // namespace dossier::detail
