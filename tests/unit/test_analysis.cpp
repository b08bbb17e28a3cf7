// The indexer's analysis state: the stem cache that also counts the spelling dictionary's words.
#include "analysis/analysis.hpp"

#include <catch2/catch.hpp>

#include <xapian.h>

#include <map>
#include <string>

using dossier::detail::Analyzer;

namespace {

// Indexes `text` with the analyzer's English generator and returns the words it counted.
std::map<std::string, Xapian::termcount> counted(Analyzer& analyzer, const std::string& text) {
  auto& generator = analyzer.generator("en");
  Xapian::Document doc;
  generator.set_document(doc);
  generator.index_text(text);
  const auto words = analyzer.take_words();
  return {words.begin(), words.end()};
}

}  // namespace

TEST_CASE("The stem cache counts every word, also when it overflows and starts again",
          "[analysis]") {
  // Counts per word, checked against what the text holds, for cache limits from "every word
  // overflows it" to "never full".
  std::string text;
  std::map<std::string, Xapian::termcount> expected;
  const char* const words[] = {"tariffs", "soybeans", "export", "controls", "rare",
                               "earths",  "taiwan",   "korea",  "alliance", "summit"};
  for (int round = 0; round < 7; ++round) {
    for (int w = 0; w < 10; ++w) {
      if ((round + w) % 3 == 0) continue;  // uneven counts
      text += words[w];
      text += ' ';
      ++expected[words[w]];
    }
  }
  for (const std::size_t limit : {1U, 2U, 3U, 7U, 100U}) {
    CAPTURE(limit);
    Analyzer analyzer(limit);
    CHECK(counted(analyzer, text) == expected);
    // Taken counts are reset: the next document starts from zero, overflowed entries included.
    CHECK(counted(analyzer, "tariffs tariffs rare") ==
          std::map<std::string, Xapian::termcount>{{"rare", 1}, {"tariffs", 2}});
    CHECK(analyzer.take_words().empty());
  }
}

TEST_CASE("Words that start with a digit are indexed but not counted for spelling", "[analysis]") {
  struct Case {
    const char* word;
    bool spelling;
  };
  const Case cases[] = {{"2019", false}, {"1990s", false}, {"10am", false},
                        {"g20", true},   {"f35", true},    {"tariff", true}};
  for (const auto& c : cases) {
    CAPTURE(c.word);
    CHECK(dossier::detail::is_spelling_word(c.word) == c.spelling);
    Analyzer analyzer;
    const auto words = counted(analyzer, std::string("the ") + c.word + " summit");
    CHECK(words.count(c.word) == (c.spelling ? 1U : 0U));
    CHECK(words.count("summit") == 1);
  }
}
