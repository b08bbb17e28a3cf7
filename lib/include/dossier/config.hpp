// CorpusConfig: per-corpus settings from corpus/dossier.yaml (docs/corpus-config.md).
#pragma once

#include <dossier/export.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dossier {

/// How to read all-numeric dates such as "03/04/2019".
enum class DateOrder {
  kMonthDayYear,  ///< 03/04/2019 is 4 March 2019 (US usage). The default.
  kDayMonthYear,  ///< 03/04/2019 is 3 April 2019.
};

/// Defaults for the files under one folder of the corpus. Empty strings mean "no default".
/// Thread safety: a value type.
struct FolderDefaults {
  std::string organisation;  ///< Organisation of articles that name none. Default: none.
  std::string type;          ///< Document type of articles that give none. Default: none.
  std::string language;      ///< BCP 47 language of articles that give none. Default: detect.
};

/// A taxonomy topic: a named query in Xapian's query syntax (used by the indexer).
/// Thread safety: a value type.
struct TopicRule {
  std::string name;        ///< Topic name as shown in facets ("trade").
  std::string query;       ///< Xapian query: `tariff* OR "trade war" OR soybeans`.
  unsigned min_terms = 1;  ///< Distinct matching terms needed to assign the topic. Default 1.
};

/// Everything a corpus can configure. Every field's default is the empty value, meaning the
/// behaviour described in docs/corpus-config.md. Thread safety: a value type.
struct CorpusConfig {
  /// Folder (relative to `base_dir`, "/"-separated, "" or "." = everything) -> defaults.
  /// All folders containing a file apply, deeper ones overriding per field. Default: none.
  std::map<std::string, FolderDefaults> folders;
  /// JSON Lines field mapping: Dossier field ("title", "authors", "date", "organisation",
  /// "topics", "type", "url", "summary", "body", "id", "language") -> extra source field names,
  /// tried before the built-in names. Default: none (built-in names only).
  std::map<std::string, std::vector<std::string>> jsonl_fields;
  /// Author variant -> canonical name, compared by fold_key. Default: none.
  std::map<std::string, std::string> author_aliases;
  /// Organisation variant ("ASPI") -> canonical name, compared by fold_key. Default: none.
  std::map<std::string, std::string> organisation_aliases;
  /// The topic taxonomy, in order. Default: none.
  std::vector<TopicRule> topics;
  /// Synonym groups: term -> equivalent terms, written into the index. Default: none.
  std::map<std::string, std::vector<std::string>> synonyms;
  /// Extra line prefixes that start a promotional tail block in plain text, in addition to the
  /// built-in ones ("Dive Deeper with", "Sign up for", "Subscribe", "Read ... op-ed").
  std::vector<std::string> boilerplate;
  /// How all-numeric dates are read. Default: month/day/year.
  DateOrder date_order = DateOrder::kMonthDayYear;
  /// Folder that `folders` keys are relative to (the configuration file's folder).
  std::filesystem::path base_dir;

  /// Parses YAML text. `origin` names the source in error messages.
  /// Throws Error(kParse) with the line and key on malformed YAML or a bad value.
  [[nodiscard]] DOSSIER_EXPORT static CorpusConfig from_yaml(std::string_view yaml,
                                                             std::string_view origin);
  /// Reads and parses a YAML file; `base_dir` becomes the file's folder.
  /// Throws Error(kNotFound / kIo / kParse).
  [[nodiscard]] DOSSIER_EXPORT static CorpusConfig load(const std::filesystem::path& file);

  /// The defaults that apply to `path`: matching folders merged, deepest last.
  [[nodiscard]] DOSSIER_EXPORT FolderDefaults defaults_for(const std::filesystem::path& path) const;
};

}  // namespace dossier
