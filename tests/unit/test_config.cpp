// CorpusConfig: YAML keys, defaults per folder, aliases, errors with lines.
#include <dossier/config.hpp>
#include <dossier/error.hpp>

#include <catch2/catch.hpp>

#include <string>

using dossier::CorpusConfig;

TEST_CASE("Every configuration key is read", "[config]") {
  const auto config = CorpusConfig::from_yaml(R"(
date_order: day-month-year
folders:
  .: {language: en}
  rand: {organisation: RAND Corporation, type: report}
  rand/blog: {type: blog}
jsonl_fields:
  title: [story_title]
  authors: writers
author_aliases:
  Wendy Cutler: [Wendy S. Cutler, W. Cutler]
organisation_aliases:
  Asia Society Policy Institute: [ASPI]
topics:
  - name: trade
    query: 'tariff* OR "trade war"'
    min_terms: 2
  - {name: taiwan, query: taiwan}
synonyms:
  dprk: [north korea]
boilerplate: [Media inquiries]
)",
                                              "test.yaml");
  CHECK(config.date_order == dossier::DateOrder::kDayMonthYear);
  CHECK(config.folders.size() == 3);
  CHECK(config.jsonl_fields.at("title") == std::vector<std::string>{"story_title"});
  CHECK(config.jsonl_fields.at("authors") == std::vector<std::string>{"writers"});
  CHECK(config.author_aliases.at("W. Cutler") == "Wendy Cutler");
  CHECK(config.author_aliases.at("Wendy Cutler") == "Wendy Cutler");
  CHECK(config.organisation_aliases.at("ASPI") == "Asia Society Policy Institute");
  REQUIRE(config.topics.size() == 2);
  CHECK(config.topics[0].name == "trade");
  CHECK(config.topics[0].query == "tariff* OR \"trade war\"");
  CHECK(config.topics[0].min_terms == 2);
  CHECK(config.topics[1].min_terms == 1);
  CHECK(config.synonyms.at("dprk") == std::vector<std::string>{"north korea"});
  CHECK(config.boilerplate == std::vector<std::string>{"Media inquiries"});

  // Folder defaults merge, deeper folders overriding field by field.
  const auto blog = config.defaults_for("rand/blog/post.md");
  CHECK(blog.organisation == "RAND Corporation");
  CHECK(blog.type == "blog");
  CHECK(blog.language == "en");
  const auto other = config.defaults_for("random/x.md");  // "rand" is not a prefix of "random/"
  CHECK(other.organisation.empty());
  CHECK(other.language == "en");
}

TEST_CASE("An empty configuration is valid and empty", "[config]") {
  const auto config = CorpusConfig::from_yaml("", "empty.yaml");
  CHECK(config.folders.empty());
  CHECK(config.date_order == dossier::DateOrder::kMonthDayYear);
}

TEST_CASE("Configuration errors name the file, line and key", "[config]") {
  struct Case {
    const char* yaml;
    const char* expected;  // substring of the message
  };
  const Case cases[] = {
      {"folders: [a, b]\n", "test.yaml:1: 'folders' must be a mapping"},
      {"\ntopcs: []\n", "test.yaml:2: unknown key 'topcs'"},
      {"date_order: sideways\n", "date_order must be month-day-year or day-month-year"},
      {"topics:\n  - name: x\n", "a topic needs a 'query'"},
      {"topics:\n  - {name: x, query: y, min_terms: 0}\n", "min_terms must be at least 1"},
      {"topics:\n  - {name: x, query: y, min_terms: lots}\n", "min_terms must be a whole number"},
      {"jsonl_fields:\n  headline: [h]\n", "'headline' is not a Dossier field"},
      {"folders:\n  a: {colour: red}\n", "unknown key 'colour'"},
      {"key: [unclosed\n", "test.yaml:2: malformed YAML: end of sequence flow not found"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    try {
      (void)CorpusConfig::from_yaml(c.yaml, "test.yaml");
      FAIL("accepted");
    } catch (const dossier::Error& e) {
      CHECK(e.code() == dossier::ErrorCode::kParse);
      CHECK_THAT(e.what(), Catch::Contains(c.expected));
    }
  }
}

TEST_CASE("load() reports a missing file and sets base_dir", "[config]") {
  try {
    (void)CorpusConfig::load("/nonexistent/dossier.yaml");
    FAIL("accepted");
  } catch (const dossier::Error& e) {
    CHECK(e.code() == dossier::ErrorCode::kNotFound);
  }
  const auto config = CorpusConfig::load(DOSSIER_SOURCE_DIR "/corpus/dossier.yaml");
  CHECK(config.base_dir == std::filesystem::path(DOSSIER_SOURCE_DIR "/corpus"));
  CHECK(config.defaults_for(DOSSIER_SOURCE_DIR "/corpus/sotu/sotu.jsonl").type == "address");
  CHECK(config.topics.size() >= 11);
}
