// The shared analysis: ICU folding, caching Snowball stemmers, TermGenerator and QueryParser
// configured identically.
#include "analysis/analysis.hpp"

#include "schema/schema.hpp"
#include "text/normalize.hpp"

#include <dossier/error.hpp>

#include <algorithm>
#include <vector>

namespace dossier::detail {
namespace {

// Wraps a Snowball stemmer with a cache (stemming is a large share of TermGenerator's time and
// vocabulary is Zipfian) and counts the words it is asked about, which are exactly the words
// TermGenerator indexed: the spelling dictionary (less the words is_spelling_word() leaves
// out), without a second tokenizer. One hash lookup per token serves both: the cache entry holds
// the stem and the word's count since the last take(), and the entries counted since then are
// listed in `touched_`.
class CachingStemmer : public Xapian::StemImplementation {
 public:
  using Counts = std::unordered_map<std::string, Xapian::termcount>;

  CachingStemmer(const std::string& language, std::size_t limit)
      : inner_(language), limit_(limit) {}

  std::string operator()(const std::string& word) override {
    auto it = cache_.find(word);
    if (it == cache_.end()) {
      // Stem first: if Snowball throws, no half-made entry stays behind.
      std::string stem = inner_(word);
      if (cache_.size() >= limit_) {  // bounded memory on huge vocabularies
        move_counts(spilled_);
        cache_.clear();
      }
      it = cache_.emplace(word, Entry{std::move(stem), 0, is_spelling_word(word)}).first;
    }
    Entry& entry = it->second;
    if (entry.spell) {
      if (entry.count == 0) touched_.push_back(&*it);
      ++entry.count;
    }
    return entry.stem;
  }

  std::string get_description() const override {
    return "caching(" + inner_.get_description() + ")";
  }

  // Adds the words counted since the last call to `out` and resets their counts.
  void take(Counts& out) {
    for (auto& [word, count] : spilled_) out[word] += count;
    spilled_.clear();
    move_counts(out);
  }

 private:
  // Adds the counts of the touched cache entries to `out` and resets them.
  void move_counts(Counts& out) {
    for (auto* node : touched_) {
      out[node->first] += node->second.count;
      node->second.count = 0;
    }
    touched_.clear();
  }

  struct Entry {
    std::string stem;
    Xapian::termcount count = 0;
    bool spell = false;
  };
  Xapian::Stem inner_;
  std::size_t limit_;
  std::unordered_map<std::string, Entry> cache_;  // nodes stay put when the table rehashes
  std::vector<std::pair<const std::string, Entry>*> touched_;
  Counts spilled_;  // counts of entries dropped with the cache
};

struct LanguageEntry {
  std::string_view tag;
  std::string_view stemmer;
};

// BCP 47 primary tags of Xapian 1.4's Snowball stemmers.
constexpr LanguageEntry kStemmers[] = {
    {"ar", "arabic"},    {"hy", "armenian"},  {"eu", "basque"},     {"ca", "catalan"},
    {"da", "danish"},    {"nl", "dutch"},     {"en", "english"},    {"fi", "finnish"},
    {"fr", "french"},    {"de", "german"},    {"hu", "hungarian"},  {"id", "indonesian"},
    {"ga", "irish"},     {"it", "italian"},   {"lt", "lithuanian"}, {"ne", "nepali"},
    {"nb", "norwegian"}, {"nn", "norwegian"}, {"no", "norwegian"},  {"pt", "portuguese"},
    {"ro", "romanian"},  {"ru", "russian"},   {"es", "spanish"},    {"sv", "swedish"},
    {"ta", "tamil"},     {"tr", "turkish"},
};

}  // namespace

std::string stemmer_name(std::string_view language) {
  for (const auto& entry : kStemmers) {
    if (entry.tag == language) return std::string(entry.stemmer);
  }
  return {};
}

std::string analysis_description(unsigned title_weight) {
  return "fold=nfkc_casefold+strip_accents+ascii_punct;stem=snowball-by-language;"
         "strategy=all(none-without-stemmer);positions=yes;title_wdf=" +
         std::to_string(title_weight) + ";heading_wdf=2;field_gap=100";
}

unsigned title_weight_of(const Xapian::Database& db) {
  const auto stored = db.get_metadata(kAnalysisKey);
  const auto at = stored.find(";title_wdf=");
  if (at == std::string::npos) return 0;
  unsigned weight = 0;
  for (std::size_t i = at + 11; i < stored.size() && stored[i] >= '0' && stored[i] <= '9'; ++i) {
    weight = weight * 10 + static_cast<unsigned>(stored[i] - '0');
    if (weight > 1000) return 0;
  }
  return weight;
}

void check_index_format(const Xapian::Database& db, const std::string& path, bool allow_empty) {
  const auto format = db.get_metadata(kFormatKey);
  if (format.empty()) {
    if (allow_empty && db.get_doccount() == 0) return;  // a fresh database
    throw Error(ErrorCode::kIndexVersion,
                path + ": not a Dossier index (no format record); rebuild the index");
  }
  if (format != std::to_string(kIndexFormatVersion)) {
    throw Error(ErrorCode::kIndexVersion, path + ": index format " + format +
                                              " but this Dossier reads format " +
                                              std::to_string(kIndexFormatVersion) +
                                              "; rebuild the index (dossier-index --full)");
  }
  if (db.get_metadata(kAnalysisKey) != analysis_description(title_weight_of(db))) {
    throw Error(ErrorCode::kIndexVersion,
                path +
                    ": index written with other analysis settings; rebuild the index "
                    "(dossier-index --full)");
  }
}

Xapian::QueryParser make_query_parser(std::string_view language) {
  Xapian::QueryParser parser;
  if (auto name = stemmer_name(language); !name.empty()) {
    parser.set_stemmer(Xapian::Stem(name));
    parser.set_stemming_strategy(kQueryStemming);
  } else {
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
  }
  return parser;
}

struct Analyzer::Impl {
  std::vector<CachingStemmer*> stemmers;  // owned by the generators' Xapian::Stem
  std::size_t stem_cache_limit = kStemCacheLimit;
  std::map<std::string, Xapian::TermGenerator, std::less<>> generators;
};

Analyzer::Analyzer(std::size_t stem_cache_limit) : impl_(std::make_unique<Impl>()) {
  impl_->stem_cache_limit = std::max<std::size_t>(1, stem_cache_limit);
}
Analyzer::~Analyzer() = default;

Xapian::TermGenerator& Analyzer::generator(std::string_view language) {
  auto it = impl_->generators.find(language);
  if (it != impl_->generators.end()) return it->second;
  Xapian::TermGenerator generator;
  if (auto name = stemmer_name(language); !name.empty()) {
    auto* stemmer = new CachingStemmer(name, impl_->stem_cache_limit);
    generator.set_stemmer(Xapian::Stem(stemmer));
    impl_->stemmers.push_back(stemmer);
    generator.set_stemming_strategy(kDocumentStemming);
  } else {
    // Xapian 1.4's STEM_ALL without a stemmer indexes no terms at all: words stay as written.
    // (Such words are not in the spelling dictionary, which the caching stemmer feeds.)
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  }
  return impl_->generators.emplace(std::string(language), std::move(generator)).first->second;
}

std::unordered_map<std::string, Xapian::termcount> Analyzer::take_words() {
  std::unordered_map<std::string, Xapian::termcount> words;
  for (auto* stemmer : impl_->stemmers) stemmer->take(words);
  return words;
}

bool is_spelling_word(std::string_view word) noexcept {
  return word.empty() || word.front() < '0' || word.front() > '9';
}

std::string lower_as_xapian(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(*it));
  }
  return out;
}

}  // namespace dossier::detail
