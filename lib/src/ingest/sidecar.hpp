// Sidecar metadata files: NAME.meta.yaml / NAME.meta.json beside an input file.
#pragma once

#include "parsers/raw_record.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace dossier::detail {

/// True for a path that is itself a sidecar ("x.meta.yaml", "x.meta.yml", "x.meta.json").
bool is_sidecar_path(const std::filesystem::path& path);

/// The sidecar `input` would use: "<file name>.meta.yaml" (e.g. "a.txt.meta.yaml"), then
/// "<stem>.meta.yaml" ("a.meta.yaml"), each also as .yml and .json; nullopt when there is none.
std::optional<std::filesystem::path> find_sidecar(const std::filesystem::path& input);

/// Finds and reads the sidecar of `input`: "<file name>.meta.yaml" (e.g. "a.txt.meta.yaml"),
/// then "<stem>.meta.yaml" ("a.meta.yaml"), each also as .yml and .json. Returns nullopt when
/// there is none. A sidecar that cannot be read or parsed adds a warning to `diagnostics` and
/// is ignored.
std::optional<RawRecord> read_sidecar(const std::filesystem::path& input,
                                      std::vector<Diagnostic>& diagnostics);

}  // namespace dossier::detail
