// Metadata from YAML (Markdown front matter, NAME.meta.yaml and NAME.meta.json sidecars).
#pragma once

#include "parsers/raw_record.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace dossier::detail {

/// Reads a YAML (or JSON) mapping of metadata keys (see fields.hpp) into a RawRecord whose
/// fields carry `origin`. Unknown keys are ignored (front matter often holds layout keys).
/// Malformed YAML, or a document that is not a mapping, gives an error diagnostic naming
/// `path` and the line (`first_line` is the file line where `yaml` starts, 1-based).
RawRecord metadata_from_yaml(std::string_view yaml, Origin origin, const std::string& path,
                             std::size_t first_line);

}  // namespace dossier::detail
