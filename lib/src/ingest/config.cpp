// CorpusConfig: parsing corpus/dossier.yaml (docs/corpus-config.md) with yaml-cpp.
#include <dossier/config.hpp>

#include <dossier/error.hpp>

#include "text/normalize.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace dossier {
namespace {

// Parsing context: names the file and line in every message.
class Reader {
 public:
  explicit Reader(std::string_view origin) : origin_(origin) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
    const YAML::Mark mark = node.Mark();
    std::string where = origin_;
    if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1);
    // Keys and values are quoted as yaml-cpp gives them back, which need not be UTF-8.
    throw Error(ErrorCode::kParse, where + ": " + detail::to_valid_utf8(what));
  }

  std::string scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) fail(node, "'" + key + "' must be a text value");
    return node.as<std::string>();
  }

  std::vector<std::string> scalars(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> out;
    if (node.IsScalar()) {
      out.push_back(node.as<std::string>());
    } else if (node.IsSequence()) {
      for (const auto& item : node) out.push_back(scalar(item, key));
    } else if (!node.IsNull()) {
      fail(node, "'" + key + "' must be a text value or a list of them");
    }
    return out;
  }

  void require_map(const YAML::Node& node, const std::string& key) const {
    if (!node.IsMap()) fail(node, "'" + key + "' must be a mapping");
  }

  void only_keys(const YAML::Node& node, const std::set<std::string>& allowed,
                 const std::string& where) const {
    for (const auto& item : node) {
      const auto key = item.first.as<std::string>();
      if (allowed.count(key) == 0) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(item.first, "unknown key '" + key + "' in " + where + " (known: " + list + ")");
      }
    }
  }

 private:
  std::string origin_;
};

const std::set<std::string> kTopLevelKeys = {
    "date_order",           "folders", "jsonl_fields", "author_aliases",
    "organisation_aliases", "topics",  "synonyms",     "boilerplate"};
const std::set<std::string> kFolderKeys = {"organisation", "type", "language"};
const std::set<std::string> kTopicKeys = {"name", "query", "min_terms"};
const std::set<std::string> kJsonlTargets = {"id",           "title",  "authors", "date",
                                             "organisation", "topics", "type",    "url",
                                             "summary",      "body",   "language"};

// canonical: [variant, ...] -> variant -> canonical (the canonical name maps to itself too).
void read_aliases(const Reader& reader, const YAML::Node& node, const std::string& key,
                  std::map<std::string, std::string>& out) {
  reader.require_map(node, key);
  for (const auto& item : node) {
    const auto canonical = reader.scalar(item.first, key);
    out[canonical] = canonical;
    for (auto& variant : reader.scalars(item.second, key + ": " + canonical)) {
      out[variant] = canonical;
    }
  }
}

}  // namespace

CorpusConfig CorpusConfig::from_yaml(std::string_view yaml, std::string_view origin) {
  const Reader reader(origin);
  if (const auto bad = detail::first_invalid_utf8(yaml); bad != std::string_view::npos) {
    const auto line = 1 + static_cast<std::size_t>(std::count(
                              yaml.begin(), yaml.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    throw Error(ErrorCode::kParse, std::string(origin) + ":" + std::to_string(line) +
                                       ": invalid UTF-8 (save the configuration as UTF-8)");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    std::string where(origin);
    if (e.mark.line >= 0) where += ":" + std::to_string(e.mark.line + 1);
    throw Error(ErrorCode::kParse, where + ": malformed YAML: " + detail::to_valid_utf8(e.msg));
  }
  CorpusConfig config;
  if (root.IsNull()) return config;  // an empty file is a valid, empty configuration
  try {
    reader.require_map(root, "the configuration");
    reader.only_keys(root, kTopLevelKeys, "the configuration");

    if (const auto node = root["date_order"]) {
      const auto value = reader.scalar(node, "date_order");
      if (value == "month-day-year" || value == "mdy") {
        config.date_order = DateOrder::kMonthDayYear;
      } else if (value == "day-month-year" || value == "dmy") {
        config.date_order = DateOrder::kDayMonthYear;
      } else {
        reader.fail(node,
                    "date_order must be month-day-year or day-month-year, not '" + value + "'");
      }
    }
    if (const auto node = root["folders"]) {
      reader.require_map(node, "folders");
      for (const auto& item : node) {
        auto folder = item.first.IsNull() ? std::string() : reader.scalar(item.first, "folders");
        if (folder == ".") folder.clear();
        while (!folder.empty() && folder.back() == '/') folder.pop_back();
        reader.require_map(item.second, "folders: " + folder);
        reader.only_keys(item.second, kFolderKeys, "folders: " + folder);
        FolderDefaults defaults;
        if (const auto v = item.second["organisation"]) {
          defaults.organisation = reader.scalar(v, "organisation");
        }
        if (const auto v = item.second["type"]) defaults.type = reader.scalar(v, "type");
        if (const auto v = item.second["language"]) {
          defaults.language = reader.scalar(v, "language");
        }
        config.folders[folder] = defaults;
      }
    }
    if (const auto node = root["jsonl_fields"]) {
      reader.require_map(node, "jsonl_fields");
      for (const auto& item : node) {
        const auto target = reader.scalar(item.first, "jsonl_fields");
        if (kJsonlTargets.count(target) == 0) {
          reader.fail(item.first, "jsonl_fields: '" + target + "' is not a Dossier field");
        }
        config.jsonl_fields[target] = reader.scalars(item.second, "jsonl_fields: " + target);
      }
    }
    if (const auto node = root["author_aliases"]) {
      read_aliases(reader, node, "author_aliases", config.author_aliases);
    }
    if (const auto node = root["organisation_aliases"]) {
      read_aliases(reader, node, "organisation_aliases", config.organisation_aliases);
    }
    if (const auto node = root["topics"]) {
      if (!node.IsSequence()) reader.fail(node, "'topics' must be a list");
      for (const auto& item : node) {
        reader.require_map(item, "topics");
        reader.only_keys(item, kTopicKeys, "a topic");
        TopicRule rule;
        if (!item["name"]) reader.fail(item, "a topic needs a 'name'");
        if (!item["query"]) reader.fail(item, "a topic needs a 'query'");
        rule.name = reader.scalar(item["name"], "name");
        rule.query = reader.scalar(item["query"], "query");
        if (const auto v = item["min_terms"]) {
          int n = 0;
          try {
            n = v.as<int>();
          } catch (const YAML::Exception&) {
            reader.fail(v, "min_terms must be a whole number");
          }
          if (n < 1) reader.fail(v, "min_terms must be at least 1");
          rule.min_terms = static_cast<unsigned>(n);
        }
        config.topics.push_back(std::move(rule));
      }
    }
    if (const auto node = root["synonyms"]) {
      reader.require_map(node, "synonyms");
      for (const auto& item : node) {
        const auto term = reader.scalar(item.first, "synonyms");
        config.synonyms[term] = reader.scalars(item.second, "synonyms: " + term);
      }
    }
    if (const auto node = root["boilerplate"]) {
      config.boilerplate = reader.scalars(node, "boilerplate");
    }
  } catch (const YAML::Exception& e) {
    std::string where(origin);
    if (e.mark.line >= 0) where += ":" + std::to_string(e.mark.line + 1);
    throw Error(ErrorCode::kParse, where + ": " + detail::to_valid_utf8(e.msg));
  }
  return config;
}

CorpusConfig CorpusConfig::load(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    throw Error(ErrorCode::kNotFound, file.string() + ": configuration file not found");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::kIo, file.string() + ": cannot open configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::kIo, file.string() + ": cannot read configuration file");
  auto config = from_yaml(text.str(), file.string());
  config.base_dir = file.parent_path();
  return config;
}

FolderDefaults CorpusConfig::defaults_for(const std::filesystem::path& path) const {
  // Relative to the configuration's folder; "/"-separated, compared component-wise.
  // Both sides absolute, so that a relative configuration path and an absolute input path (or
  // the other way round) still relate. Without a base folder, paths are taken as given.
  std::string relative = path.lexically_normal().generic_string();
  if (!base_dir.empty()) {
    std::error_code ec;
    const auto absolute_path = std::filesystem::absolute(path, ec).lexically_normal();
    const auto base = std::filesystem::absolute(base_dir, ec).lexically_normal();
    const auto rel = absolute_path.lexically_relative(base);
    if (!rel.empty() && rel.native().rfind("..", 0) != 0) relative = rel.generic_string();
  }
  // Every matching folder contributes, deeper folders overriding shallower ones field by field.
  std::vector<std::pair<std::size_t, const FolderDefaults*>> matches;
  for (const auto& [folder, defaults] : folders) {
    if (folder.empty() || (relative.size() > folder.size() && relative.rfind(folder, 0) == 0 &&
                           relative[folder.size()] == '/')) {
      matches.emplace_back(folder.size(), &defaults);
    }
  }
  std::sort(matches.begin(), matches.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  FolderDefaults result;
  for (const auto& [length, defaults] : matches) {
    if (!defaults->organisation.empty()) result.organisation = defaults->organisation;
    if (!defaults->type.empty()) result.type = defaults->type;
    if (!defaults->language.empty()) result.language = defaults->language;
  }
  return result;
}

}  // namespace dossier
