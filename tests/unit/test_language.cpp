// Unit tests for language tags and function-word language detection.
#include "metadata/language.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using dossier::detail::detect_language;
using dossier::detail::normalize_language_tag;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Sample {
  std::string language;
  std::string text;
};

// tests/data/language/samples.tsv: paragraphs written for these tests, one per language.
std::vector<Sample> load_samples() {
  std::vector<Sample> samples;
  std::ifstream in(DOSSIER_TEST_DATA "/language/samples.tsv");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    samples.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return samples;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

TEST_CASE("normalize_language_tag maps declared languages to primary tags", "[language]") {
  struct Case {
    std::string_view declared;
    std::string_view expected;
  };
  const Case cases[] = {
      {"en", "en"},
      {"EN", "en"},
      {" en ", "en"},
      {"en-US", "en"},
      {"en_GB", "en"},
      {"EN-gb", "en"},
      {"English", "en"},
      {"ENGLISH", "en"},
      {"English (United States)", "en"},
      {"en-US,en;q=0.9", "en"},
      {"eng", "en"},
      {"fr", "fr"},
      {"fr-FR", "fr"},
      {"fr_CA", "fr"},
      {"French", "fr"},
      {"fran\xc3\xa7"
       "ais",
       "fr"},
      {"Fran\xc3\xa7"
       "ais",
       "fr"},
      {"FRAN\xc3\x87"
       "AIS",
       "fr"},
      {"francais", "fr"},
      {"fre", "fr"},
      {"de-DE", "de"},
      {"Deutsch", "de"},
      {"ger", "de"},
      {"es-419", "es"},
      {"espa\xc3\xb1ol", "es"},
      {"pt-BR", "pt"},
      {"nl-BE", "nl"},
      {"sv-SE", "sv"},
      {"da-DK", "da"},
      {"nb-NO", "nb"},
      {"no", "nb"},
      {"Norwegian Bokm\xc3\xa5l", "nb"},
      {"nn-NO", "nn"},
      {"fi", "fi"},
      {"ru-RU", "ru"},
      {"\xd0\xa0\xd1\x83\xd1\x81\xd1\x81\xd0\xba\xd0\xb8\xd0\xb9", "ru"},
      {"tr", "tr"},
      {"zh-Hans-CN", "zh"},
      {"zh_TW", "zh"},
      {"\xe4\xb8\xad\xe6\x96\x87", "zh"},
      {"sr-Latn-RS", "sr"},
      {"ja-JP", "ja"},
      {"iw", "he"},
      {"in", "id"},
      // Not a language Dossier knows.
      {"", ""},
      {"   ", ""},
      {"xx", ""},
      {"qaa", ""},
      {"und", ""},
      {"klingon", ""},
      {"x-klingon", ""},
      {"i-klingon", ""},
      {"e", ""},
      {"123", ""},
      {"en-", ""},
      {"-en", ""},
      {"en--US", ""},
      {"en-US-thisistoolong", ""},
      {"en US", ""},
      {"\xff\xfe", ""},
      {"(English)", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.declared);
    CHECK(normalize_language_tag(c.declared) == c.expected);
  }
}

TEST_CASE("detect_language recognises a paragraph in each language", "[language]") {
  const auto samples = load_samples();
  REQUIRE(samples.size() == 18);
  for (const auto& sample : samples) {
    CAPTURE(sample.language, sample.text);
    CHECK(detect_language(sample.text) == sample.language);
    // Case does not matter: the same paragraph in capitals (ASCII letters) gives the same answer.
    CHECK(detect_language(upper_ascii(sample.text)) == sample.language);
  }
}

TEST_CASE("detect_language falls back to English when unsure", "[language]") {
  struct Case {
    std::string_view name;
    std::string text;
  };
  const auto samples = load_samples();
  REQUIRE(samples.size() >= 2);
  REQUIRE(samples[0].language == "en");
  REQUIRE(samples[1].language == "fr");
  const std::string& english = samples[0].text;
  const std::string& french = samples[1].text;
  std::string long_english;
  while (long_english.size() < 16 * 1024) long_english += english + "\n";
  std::string long_french;
  while (long_french.size() < 16 * 1024) long_french += french + "\n";
  const Case cases[] = {
      {"empty", ""},
      {"short French (under 20 words)",
       "Le gouvernement a annonc\xc3\xa9 jeudi la fin des droits "
       "de douane sur les importations."},
      {"numbers and punctuation",
       "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 "
       "-- ... !!! ??? 2025-10-30 8:30"},
      {"names without function words",
       "Xapian ICU libxml2 Catch2 CMake Ninja Tokyo Busan Seoul Beijing Taipei Manila Hanoi "
       "Jakarta Bangkok Canberra Wellington Ottawa Brasilia Nairobi Lagos Cairo"},
      {"French after the first 16 KiB is not read", long_english + french + french + french},
      {"invalid UTF-8", std::string(40, '\xff')},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(detect_language(c.text) == "en");
  }
  // The limit cuts both ways: French text that fills the window is French whatever follows.
  CHECK(detect_language(long_french + long_english + long_english) == "fr");
  // Stray invalid bytes do not derail detection.
  CHECK(detect_language(french + "\xff\xfe\xc3") == "fr");
}

TEST_CASE("detect_language on the client's reference article", "[language]") {
  const std::string text = read_file(DOSSIER_SOURCE_DIR "/corpus/000_42de43b9164fe9cf.txt");
  REQUIRE_FALSE(text.empty());
  CHECK(detect_language(text) == "en");
}

TEST_CASE("detect_language on real English corpora", "[language]") {
  struct Corpus {
    std::string_view path;
    std::string_view field;
    std::size_t records;
  };
  const Corpus corpora[] = {
      // Official English versions of UN General Debate statements, many by non-native authors.
      {"/corpora/un-general-debate-2017/ungd2017.jsonl", "text", 196},
      // Think-tank commentary; bodies of unusable records are outlet names or staff lists.
      {"/corpora/thinktank-2019/thinktank-2019.jsonl", "body", 180},
  };
  for (const auto& corpus : corpora) {
    const std::string path = std::string(DOSSIER_SHARED_DIR) + std::string(corpus.path);
    std::ifstream in(path);
    if (!in) {
      WARN("real-corpus language test skipped: ../shared absent (" << path << ")");
      continue;
    }
    std::size_t records = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      const auto record = nlohmann::json::parse(line);
      ++records;
      const auto& text = record.at(std::string(corpus.field));
      if (!text.is_string()) continue;
      CAPTURE(path, record.at("id").get<std::string>());
      CHECK(detect_language(text.get<std::string>()) == "en");
    }
    CHECK(records == corpus.records);
  }
}

TEST_CASE("detect_language survives arbitrary bytes", "[language]") {
  const std::string_view known[] = {"en", "fr", "de", "es", "it", "pt", "nl", "sv", "da",
                                    "nb", "fi", "ru", "tr", "hu", "ro", "id", "ca", "ar"};
  std::uint32_t state = 99;
  for (std::size_t round = 0; round < 200; ++round) {
    std::string bytes;
    const std::size_t size = round * 97U % 20000U;
    for (std::size_t k = 0; k < size; ++k) {
      state = state * 1664525U + 1013904223U;
      bytes.push_back(static_cast<char>(state >> 24U));
    }
    CAPTURE(round);
    const std::string tag = detect_language(bytes);
    CHECK(std::find(std::begin(known), std::end(known), tag) != std::end(known));
    CHECK(normalize_language_tag(bytes.substr(0, 40)).size() <= 2);
  }
}
