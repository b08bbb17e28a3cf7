// Ingest: input files (plain text, Markdown, HTML, JSON Lines) -> normalised Article values.
#pragma once

#include <dossier/article.hpp>
#include <dossier/config.hpp>
#include <dossier/export.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dossier {

/// Input formats. kAuto chooses by file extension (docs/ingest.md).
enum class Format { kAuto, kPlainText, kMarkdown, kHtml, kJsonLines };

/// Stable name of a format ("auto", "text", "markdown", "html", "jsonl"). Never throws.
DOSSIER_EXPORT std::string_view to_string(Format format) noexcept;
/// Parses a format name as printed by to_string(); also accepts "txt", "md", "htm", "ndjson".
DOSSIER_EXPORT std::optional<Format> parse_format(std::string_view name) noexcept;
/// The format for a path's extension (.txt .md .markdown .html .htm .jsonl .ndjson), or nullopt.
DOSSIER_EXPORT std::optional<Format> format_for_path(const std::filesystem::path& path) noexcept;

/// How to read input. Every field documents its default. Thread safety: a value type.
struct IngestOptions {
  /// Format of every file; kAuto (default) chooses by extension.
  Format format = Format::kAuto;
  /// Files larger than this are rejected with a diagnostic, so memory stays bounded.
  /// JSON Lines files are streamed record by record and have no total limit; this caps a single
  /// record instead. Default 64 MiB.
  std::size_t max_file_bytes = std::size_t{64} << 20U;
  /// Apply NAME.meta.yaml / NAME.meta.json sidecars found beside a file. Default true.
  bool use_sidecars = true;
};

/// What reading one file produced (thread safety: a value type). A file that cannot be read gives
/// no articles and at least one error diagnostic; a JSON Lines file with bad lines keeps its good
/// lines.
struct IngestResult {
  std::vector<Article> articles;        ///< In file order.
  std::vector<Diagnostic> diagnostics;  ///< File-level problems (article-level ones are in each
                                        ///< Article::diagnostics).
};

/// Reads and parses one file. Never throws for bad input (it becomes diagnostics); throws
/// dossier::Error(kInternal) only on bugs or resource exhaustion. Thread-safe: distinct calls
/// may run concurrently with the same config.
[[nodiscard]] DOSSIER_EXPORT IngestResult ingest_file(const std::filesystem::path& path,
                                                      const CorpusConfig& config,
                                                      const IngestOptions& options = {});

/// Parses bytes already in memory as if read from `path` (which names the source in
/// diagnostics, selects the parser when `format` is kAuto, and is not opened; sidecars are not
/// applied). Thread-safe.
[[nodiscard]] DOSSIER_EXPORT IngestResult ingest_bytes(std::string_view bytes,
                                                       const std::filesystem::path& path,
                                                       const CorpusConfig& config,
                                                       Format format = Format::kAuto);

/// The input files under `roots`, found by the walk IndexWriter::index uses. Thread safety: a
/// value type.
struct InputFiles {
  std::vector<std::filesystem::path> files;  ///< Absolute, in root order, then name order.
  /// Errors: missing roots, folders or files that cannot be read (each by its own path, with the
  /// system's reason), named files of an unknown type. Warnings: links to folders (not
  /// followed), broken links.
  std::vector<Diagnostic> diagnostics;
};

/// Finds the inputs under `roots` (files and folders, read recursively): files of a known type
/// (options.format, or the extension under Format::kAuto) that are not sidecars, hidden, or
/// inside a Dossier index folder. A folder that cannot be read is reported and the walk carries
/// on. Never throws for file system problems. Thread-safe.
[[nodiscard]] DOSSIER_EXPORT InputFiles find_inputs(const std::vector<std::filesystem::path>& roots,
                                                    const IngestOptions& options = {});

/// One article as a single-line JSON object (the `--inspect` schema, docs/ingest.md): every
/// field, sections with heading/authors/byte range, body, origins and diagnostics.
[[nodiscard]] DOSSIER_EXPORT std::string to_json(const Article& article);

/// A diagnostic as "path:line: warning|error: message" (line omitted when unknown).
[[nodiscard]] DOSSIER_EXPORT std::string to_string(const Diagnostic& diagnostic);

}  // namespace dossier
