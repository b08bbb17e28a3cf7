// JSON Lines records: one article per line, common field names recognised (parsers/fields.cpp),
// extra names mapped by the corpus configuration.
#include "metadata/authors.hpp"
#include "parsers/fields.hpp"
#include "parsers/parsers.hpp"
#include "parsers/text_layout.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>

namespace dossier::detail {
namespace {

using nlohmann::json;

// Deepest bracket nesting a record may have (docs/ingest.md, "Limits"). Real exports nest a few
// levels; each level costs nlohmann about 60 bytes per input byte, so a 64 MiB line of "[" would
// take 4 GB. Deeper records are rejected before they are parsed.
constexpr std::size_t kMaxJsonNesting = 64;

// Byte offset (0-based) of the bracket that opens level kMaxJsonNesting + 1, or npos. Brackets
// inside strings do not count.
std::size_t too_deep_at(std::string_view text) noexcept {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonNesting) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

std::string scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  if (value.is_object()) {
    for (const char* key : {"name", "title", "value", "@value"}) {
      if (auto it = value.find(key); it != value.end() && it->is_string()) {
        return it->get<std::string>();
      }
    }
  }
  return {};
}

std::vector<std::string> list_text(const json& value, bool names) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& item : value) {
      if (auto text = scalar_text(item); !trim(text).empty()) out.emplace_back(trim(text));
    }
    return out;
  }
  const auto text = scalar_text(value);
  if (trim(text).empty()) return out;
  if (names) return split_authors(text);
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find_first_of(",;", start);
    if (end == std::string::npos) end = text.size();
    if (auto item = trim(std::string_view(text).substr(start, end - start)); !item.empty()) {
      out.emplace_back(item);
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

RawRecord parse_json_record(std::string_view text, std::size_t line, const ParseContext& context) {
  RawRecord record;
  record.line = line;
  json value;
  if (const auto at = too_deep_at(text); at != std::string_view::npos) {
    record.diagnostics.push_back({Diagnostic::Severity::kError, context.path, line,
                                  "JSON nested deeper than " + std::to_string(kMaxJsonNesting) +
                                      " levels at column " + std::to_string(at + 1) +
                                      ": record skipped"});
    return record;
  }
  try {
    value = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte is 1-based within the line.
    record.diagnostics.push_back(
        {Diagnostic::Severity::kError, context.path, line,
         "malformed JSON at column " + std::to_string(e.byte) + ": record skipped"});
    return record;
  } catch (const json::out_of_range&) {
    // A number beyond a double's range ("1e999"): nlohmann refuses the whole record.
    record.diagnostics.push_back({Diagnostic::Severity::kError, context.path, line,
                                  "malformed JSON: a number out of range: record skipped"});
    return record;
  }
  if (!value.is_object()) {
    record.diagnostics.push_back({Diagnostic::Severity::kError, context.path, line,
                                  "a JSON Lines record must be an object, not " +
                                      std::string(value.type_name()) + ": record skipped"});
    return record;
  }

  auto apply = [&](Field field, const json& v) {
    switch (field) {
      case Field::kAuthors:
        RawRecord::offer(record.authors, list_text(v, true), Origin::kJsonField);
        break;
      case Field::kTopics:
        RawRecord::offer(record.topics, list_text(v, false), Origin::kJsonField);
        break;
      case Field::kBody:
        if (record.body.empty() && v.is_string()) record.body = v.get<std::string>();
        break;
      default:
        if (auto* target = text_field(record, field)) {
          RawRecord::offer(*target, std::string(trim(scalar_text(v))), Origin::kJsonField);
        }
    }
  };

  // Configured names first: they say what this corpus means by its own fields.
  if (context.config != nullptr) {
    for (const auto& [target, names] : context.config->jsonl_fields) {
      const auto field = field_for_key(target);
      if (!field) continue;
      for (const auto& name : names) {
        if (auto it = value.find(name); it != value.end() && !it->is_null()) apply(*field, *it);
      }
    }
  }
  // Then the built-in names, in their order of preference whatever the record's key order.
  std::vector<std::tuple<std::size_t, Field, const json*>> found;
  for (const auto& [key, v] : value.items()) {
    std::size_t rank = 0;
    if (v.is_null()) continue;
    if (const auto field = field_for_key(key, &rank)) found.emplace_back(rank, *field, &v);
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  for (const auto& [rank, field, v] : found) apply(field, *v);
  return record;
}

}  // namespace dossier::detail
