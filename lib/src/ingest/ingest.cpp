// ingest_file / ingest_bytes: choose a parser, decode, parse, apply sidecars, normalise.
#include <dossier/ingest.hpp>

#include "ingest/ingest_internal.hpp"
#include "ingest/normalise.hpp"
#include "ingest/sidecar.hpp"
#include "ingest/source.hpp"
#include "parsers/parsers.hpp"
#include "text/encoding.hpp"
#include "text/fold.hpp"
#include "text/normalize.hpp"

#include <dossier/error.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <new>

namespace dossier {
namespace {

using detail::Aliases;
using detail::NormaliseContext;
using detail::ParseContext;
using detail::RawRecord;

Diagnostic error_at(const std::filesystem::path& path, std::size_t line, std::string message) {
  return {Diagnostic::Severity::kError, path.string(), line, std::move(message)};
}

// Reports repeated ids within one file; the later record wins (docs/ingest.md), as a re-export
// that appends corrected records expects.
void resolve_duplicates(IngestResult& result, const std::filesystem::path& path) {
  std::map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < result.articles.size(); ++i) last[result.articles[i].id] = i;
  if (last.size() == result.articles.size()) return;
  std::vector<Article> kept;
  kept.reserve(last.size());
  for (std::size_t i = 0; i < result.articles.size(); ++i) {
    auto& article = result.articles[i];
    const auto winner = last[article.id];
    if (winner != i) {
      result.diagnostics.push_back(
          {Diagnostic::Severity::kWarning, path.string(), article.source_line,
           "duplicate id '" + article.id + "': this record is replaced by the one at line " +
               std::to_string(result.articles[winner].source_line)});
      continue;
    }
    kept.push_back(std::move(article));
  }
  result.articles = std::move(kept);
}

void keep(std::optional<Article> article, IngestResult& result) {
  if (article) result.articles.push_back(std::move(*article));
}

// One whole-file document (text, Markdown, HTML) from bytes.
void ingest_document(std::string_view bytes, Format format, const ParseContext& parse,
                     const NormaliseContext& normalise, IngestResult& result) {
  const auto& path = normalise.path;
  if (bytes.empty()) {
    result.diagnostics.push_back(error_at(path, 0, "empty file: nothing to index"));
    return;
  }
  if (detail::looks_binary(bytes)) {
    result.diagnostics.push_back(
        error_at(path, 0, "binary file (NUL or control bytes), not text: skipped"));
    return;
  }
  RawRecord record;
  if (format == Format::kHtml) {
    record = detail::parse_html(bytes, parse);  // honours the page's own charset
  } else {
    detail::Decoded decoded;
    try {
      decoded = detail::decode_to_utf8(bytes);
    } catch (const Error& e) {
      result.diagnostics.push_back(error_at(path, 0, std::string(e.what()) + ": skipped"));
      return;
    }
    record = format == Format::kMarkdown ? detail::parse_markdown(decoded.utf8, parse)
                                         : detail::parse_plaintext(decoded.utf8, parse);
    if (decoded.converted) {
      record.diagnostics.push_back({Diagnostic::Severity::kWarning, path.string(), 0,
                                    decoded.encoding.rfind("UTF-8", 0) == 0
                                        ? "invalid UTF-8: " + decoded.encoding
                                        : "not UTF-8: read as " + decoded.encoding});
    }
  }
  keep(detail::normalise(std::move(record), normalise, result.diagnostics), result);
}

void ingest_jsonl_line(std::string_view line, std::size_t number, std::size_t max_bytes,
                       const ParseContext& parse, const NormaliseContext& normalise,
                       IngestResult& result) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // blank line
  if (line.size() > max_bytes) {
    result.diagnostics.push_back(error_at(normalise.path, number,
                                          "record of " + std::to_string(line.size()) +
                                              " bytes exceeds the limit of " +
                                              std::to_string(max_bytes) + ": skipped"));
    return;
  }
  if (const auto bad = detail::first_invalid_utf8(line); bad != std::string_view::npos) {
    result.diagnostics.push_back(error_at(normalise.path, number,
                                          "invalid UTF-8 at column " + std::to_string(bad + 1) +
                                              " (JSON must be UTF-8): record skipped"));
    return;
  }
  keep(detail::normalise(detail::parse_json_record(line, number, parse), normalise,
                         result.diagnostics),
       result);
}

// Whole JSON Lines records from `bytes`, the first being line `first_line`.
void ingest_jsonl_lines(std::string_view bytes, std::size_t first_line, std::size_t max_bytes,
                        const ParseContext& parse, const NormaliseContext& normalise,
                        IngestResult& result) {
  std::size_t number = first_line;
  std::size_t start = 0;
  while (start < bytes.size()) {
    auto end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    auto line = bytes.substr(start, end - start);
    if (number == 1 && line.substr(0, 3) == "\xef\xbb\xbf") line.remove_prefix(3);  // UTF-8 BOM
    ingest_jsonl_line(line, number++, max_bytes, parse, normalise, result);
    start = end + 1;
  }
}

template <class Fn>
IngestResult guarded(const std::filesystem::path& path, Fn&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    IngestResult result;
    result.diagnostics.push_back(error_at(path, 0, "out of memory while reading: skipped"));
    return result;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInternal) throw;
    IngestResult result;
    result.diagnostics.push_back(error_at(path, 0, e.what()));
    return result;
  } catch (const std::exception& e) {
    // A dependency failed in a way we did not foresee: a bug, reported as such.
    throw Error(ErrorCode::kInternal, path.string() + ": " + e.what());
  }
}

}  // namespace

std::string_view to_string(Format format) noexcept {
  switch (format) {
    case Format::kAuto:
      return "auto";
    case Format::kPlainText:
      return "text";
    case Format::kMarkdown:
      return "markdown";
    case Format::kHtml:
      return "html";
    case Format::kJsonLines:
      return "jsonl";
  }
  return "unknown";
}

std::optional<Format> parse_format(std::string_view name) noexcept {
  static const std::pair<std::string_view, Format> kNames[] = {
      {"auto", Format::kAuto},       {"text", Format::kPlainText},
      {"txt", Format::kPlainText},   {"markdown", Format::kMarkdown},
      {"md", Format::kMarkdown},     {"html", Format::kHtml},
      {"htm", Format::kHtml},        {"jsonl", Format::kJsonLines},
      {"ndjson", Format::kJsonLines}};
  for (const auto& [n, f] : kNames) {
    if (n == name) return f;
  }
  return std::nullopt;
}

std::optional<Format> format_for_path(const std::filesystem::path& path) noexcept {
  try {
    auto ext = detail::lower_ascii(path.extension().string());
    if (!ext.empty()) ext.erase(0, 1);
    if (ext == "markdown") return Format::kMarkdown;
    if (ext == "auto") return std::nullopt;
    return parse_format(ext);
  } catch (...) {
    return std::nullopt;
  }
}

IngestResult ingest_bytes(std::string_view bytes, const std::filesystem::path& path,
                          const CorpusConfig& config, Format format) {
  return guarded(path, [&] {
    IngestResult result;
    if (format == Format::kAuto) {
      const auto chosen = format_for_path(path);
      if (!chosen) {
        result.diagnostics.push_back(error_at(
            path, 0, "unknown file type '" + path.extension().string() + "': choose a format"));
        return result;
      }
      format = *chosen;
    }
    const Aliases aliases(config);
    const ParseContext parse{path.string(), &config};
    const NormaliseContext normalise{config, aliases, path, nullptr};
    if (format == Format::kJsonLines) {
      ingest_jsonl_lines(bytes, 1, IngestOptions{}.max_file_bytes, parse, normalise, result);
    } else {
      ingest_document(bytes, format, parse, normalise, result);
    }
    resolve_duplicates(result, path);
    return result;
  });
}

IngestResult ingest_file(const std::filesystem::path& given, const CorpusConfig& config,
                         const IngestOptions& options) {
  // Ids derived from paths must not depend on the working directory: use the absolute path.
  std::error_code canonical_ec;
  auto path = std::filesystem::weakly_canonical(std::filesystem::absolute(given), canonical_ec);
  if (canonical_ec) path = given;
  return guarded(path, [&] {
    IngestResult result;
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
      result.diagnostics.push_back(error_at(path, 0, "no such file"));
      return result;
    }
    if (std::filesystem::is_directory(status)) {
      result.diagnostics.push_back(error_at(path, 0, "is a directory, not a file"));
      return result;
    }
    Format format = options.format;
    if (format == Format::kAuto) {
      const auto chosen = format_for_path(path);
      if (!chosen) {
        result.diagnostics.push_back(error_at(
            path, 0,
            "unknown file type '" + path.extension().string() +
                "': expected .txt, .md, .html, .htm, .jsonl or .ndjson (or give a format)"));
        return result;
      }
      format = *chosen;
    }
    const Aliases aliases(config);
    const ParseContext parse{path.string(), &config};
    std::optional<RawRecord> sidecar;
    if (options.use_sidecars) sidecar = detail::read_sidecar(path, result.diagnostics);
    const NormaliseContext normalise{config, aliases, path, sidecar ? &*sidecar : nullptr};

    // The same reader as the index writer's: the same limits, refusals and messages.
    detail::SourceRequest request;
    request.path = path;
    request.name = path.string();
    request.format = format;
    request.max_file_bytes = options.max_file_bytes;
    detail::read_source(request, [&](detail::SourceUnit&& unit, const detail::SourceRead&) {
      if (unit.failure) {
        result.diagnostics.push_back(std::move(*unit.failure));
        return true;
      }
      result.diagnostics.insert(result.diagnostics.end(), unit.notes.begin(), unit.notes.end());
      if (format == Format::kJsonLines) {
        ingest_jsonl_lines(unit.bytes, unit.first_line, options.max_file_bytes, parse, normalise,
                           result);
      } else {
        ingest_document(unit.bytes, format, parse, normalise, result);
      }
      if (unit.late_failure) result.diagnostics.push_back(std::move(*unit.late_failure));
      return true;
    });
    if (format == Format::kJsonLines) resolve_duplicates(result, path);
    return result;
  });
}

namespace detail {

IngestResult ingest_document_bytes(std::string_view bytes, Format format,
                                   const NormaliseContext& context) {
  return guarded(context.path, [&] {
    IngestResult result;
    const ParseContext parse{context.path.string(), &context.config};
    ingest_document(bytes, format, parse, context, result);
    return result;
  });
}

IngestResult ingest_jsonl_chunk(std::string_view bytes, std::size_t first_line,
                                std::size_t max_record_bytes, const NormaliseContext& context) {
  return guarded(context.path, [&] {
    IngestResult result;
    const ParseContext parse{context.path.string(), &context.config};
    ingest_jsonl_lines(bytes, first_line, max_record_bytes, parse, context, result);
    return result;
  });
}

std::optional<Format> resolve_format(const std::filesystem::path& path, Format requested) noexcept {
  if (requested != Format::kAuto) return requested;
  return format_for_path(path);
}

}  // namespace detail

std::string to_string(const Diagnostic& diagnostic) {
  std::string out = diagnostic.path;
  if (diagnostic.line > 0) out += ":" + std::to_string(diagnostic.line);
  out += diagnostic.severity == Diagnostic::Severity::kError ? ": error: " : ": warning: ";
  out += diagnostic.message;
  return out;
}

}  // namespace dossier
