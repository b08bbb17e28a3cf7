// Sidecar metadata files beside input files: how a researcher corrects metadata without
// editing the source.
#include "ingest/sidecar.hpp"

#include "parsers/yaml_metadata.hpp"
#include "text/encoding.hpp"

#include <dossier/error.hpp>

#include <fstream>
#include <sstream>

namespace dossier::detail {
namespace {

constexpr const char* kSuffixes[] = {".meta.yaml", ".meta.yml", ".meta.json"};

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool is_sidecar_path(const std::filesystem::path& path) {
  const auto name = path.filename().string();
  for (const char* suffix : kSuffixes) {
    if (ends_with(name, suffix)) return true;
  }
  return false;
}

std::optional<std::filesystem::path> find_sidecar(const std::filesystem::path& input) {
  std::vector<std::filesystem::path> candidates;
  for (const char* suffix : kSuffixes) candidates.push_back(input.string() + suffix);
  if (input.has_extension()) {
    for (const char* suffix : kSuffixes) {
      candidates.push_back((input.parent_path() / input.stem()).string() + suffix);
    }
  }
  for (auto& candidate : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return std::move(candidate);
  }
  return std::nullopt;
}

std::optional<RawRecord> read_sidecar(const std::filesystem::path& input,
                                      std::vector<Diagnostic>& diagnostics) {
  if (const auto candidate = find_sidecar(input)) {
    const auto name = candidate->string();
    std::ifstream in(*candidate, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || in.bad()) {
      diagnostics.push_back(
          {Diagnostic::Severity::kWarning, name, 0, "cannot read sidecar: ignored"});
      return std::nullopt;
    }
    // Sidecars are written by hand in any editor: decode them like any text file.
    std::string utf8;
    try {
      utf8 = decode_to_utf8(text.str()).utf8;
    } catch (const Error& e) {
      diagnostics.push_back(
          {Diagnostic::Severity::kWarning, name, 0, std::string(e.what()) + " (sidecar ignored)"});
      return std::nullopt;
    }
    auto record = metadata_from_yaml(utf8, Origin::kSidecar, name, 1);
    if (!record.diagnostics.empty()) {
      for (auto& d : record.diagnostics) {
        d.severity = Diagnostic::Severity::kWarning;
        d.message += " (sidecar ignored)";
        diagnostics.push_back(std::move(d));
      }
      return std::nullopt;
    }
    return record;
  }
  return std::nullopt;
}

}  // namespace dossier::detail
