// Metadata from YAML front matter and sidecars, with yaml-cpp.
#include "parsers/yaml_metadata.hpp"

#include "metadata/authors.hpp"
#include "parsers/fields.hpp"
#include "text/normalize.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <tuple>
#include <vector>

namespace dossier::detail {
namespace {

// A scalar, or the "name" of a mapping ({name: Jane Doe, affiliation: ...}).
std::string text_of(const YAML::Node& node) {
  if (node.IsScalar()) return node.as<std::string>();
  if (node.IsMap() && node["name"] && node["name"].IsScalar()) {
    return node["name"].as<std::string>();
  }
  return {};
}

std::vector<std::string> list_of(const YAML::Node& node, bool split_names) {
  std::vector<std::string> out;
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (auto text = text_of(item); !text.empty()) out.push_back(std::move(text));
    }
  } else if (auto text = text_of(node); !text.empty()) {
    if (split_names) return split_authors(text);
    // "a, b; c" in one string: tags and keywords are commonly written that way.
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find_first_of(",;", start);
      if (end == std::string::npos) end = text.size();
      auto item = text.substr(start, end - start);
      const auto first = item.find_first_not_of(" \t");
      const auto last = item.find_last_not_of(" \t");
      if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
      start = end + 1;
    }
  }
  return out;
}

}  // namespace

RawRecord metadata_from_yaml(std::string_view yaml, Origin origin, const std::string& path,
                             std::size_t first_line) {
  RawRecord record;
  auto error = [&](std::size_t line, const std::string& message) {
    record.diagnostics.push_back({Diagnostic::Severity::kError, path, line, message});
  };
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops at 2,000 levels, with the message "bad file".
    const auto line = e.mark.line >= 0 ? first_line + static_cast<std::size_t>(e.mark.line) : 0;
    error(line, "malformed metadata YAML: nested deeper than 2000 levels");
    return record;
  } catch (const YAML::Exception& e) {
    const auto line = e.mark.line >= 0 ? first_line + static_cast<std::size_t>(e.mark.line) : 0;
    error(line, "malformed metadata YAML: " + to_valid_utf8(e.msg));
    return record;
  }
  if (root.IsNull()) return record;
  if (!root.IsMap()) {
    error(first_line, "metadata must be a mapping of keys to values");
    return record;
  }
  try {
    // Keys in their order of preference, whatever order the file has them in. Nodes are never
    // moved or assigned: YAML::Node assignment writes through to the document.
    std::vector<YAML::Node> nodes;
    std::vector<std::tuple<std::size_t, Field, std::size_t>> found;  // rank, field, node index
    for (const auto& item : root) {
      if (!item.first.IsScalar()) continue;
      std::size_t rank = 0;
      if (const auto field = field_for_key(item.first.as<std::string>(), &rank)) {
        found.emplace_back(rank, *field, nodes.size());
        nodes.push_back(item.second);
      }
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
    for (const auto& [rank, field, index] : found) {
      const YAML::Node& node = nodes[index];
      switch (field) {
        case Field::kAuthors:
          RawRecord::offer(record.authors, list_of(node, true), origin);
          break;
        case Field::kTopics:
          RawRecord::offer(record.topics, list_of(node, false), origin);
          break;
        case Field::kBody:
          break;  // metadata never replaces the text
        default:
          if (auto* target = text_field(record, field)) {
            RawRecord::offer(*target, text_of(node), origin);
          }
      }
    }
  } catch (const YAML::Exception& e) {
    const auto line = e.mark.line >= 0 ? first_line + static_cast<std::size_t>(e.mark.line) : 0;
    error(line, "bad metadata value: " + to_valid_utf8(e.msg));
  }
  return record;
}

}  // namespace dossier::detail
