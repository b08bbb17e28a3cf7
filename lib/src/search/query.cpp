// Query building: the query string is folded like documents, wildcards and synonyms are
// rewritten into forms the QueryParser analyses like any word, then Xapian's QueryParser (with
// the indexer's stemmer and strategy) parses it with the schema's prefixes and ranges.
#include "search/query.hpp"

#include "analysis/analysis.hpp"
#include "format/stored.hpp"
#include "schema/schema.hpp"
#include "text/normalize.hpp"

#include <dossier/error.hpp>
#include <dossier/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <set>
#include <unordered_set>
#include <utility>

namespace dossier::detail {
namespace {

// Snowball's English stop list (the words of https://snowballstem.org/algorithms/english/stop.txt).
// Left out of free-text queries (never out of phrases); documents keep them.
constexpr const char* kEnglishStopwords[] = {
    "i",          "me",      "my",        "myself",    "we",       "our",        "ours",
    "ourselves",  "you",     "your",      "yours",     "yourself", "yourselves", "he",
    "him",        "his",     "himself",   "she",       "her",      "hers",       "herself",
    "it",         "its",     "itself",    "they",      "them",     "their",      "theirs",
    "themselves", "what",    "which",     "who",       "whom",     "this",       "that",
    "these",      "those",   "am",        "is",        "are",      "was",        "were",
    "be",         "been",    "being",     "have",      "has",      "had",        "having",
    "do",         "does",    "did",       "doing",     "would",    "should",     "could",
    "ought",      "i'm",     "you're",    "he's",      "she's",    "it's",       "we're",
    "they're",    "i've",    "you've",    "we've",     "they've",  "i'd",        "you'd",
    "he'd",       "she'd",   "we'd",      "they'd",    "i'll",     "you'll",     "he'll",
    "she'll",     "we'll",   "they'll",   "isn't",     "aren't",   "wasn't",     "weren't",
    "hasn't",     "haven't", "hadn't",    "doesn't",   "don't",    "didn't",     "won't",
    "wouldn't",   "shan't",  "shouldn't", "can't",     "cannot",   "couldn't",   "mustn't",
    "let's",      "that's",  "who's",     "what's",    "here's",   "there's",    "when's",
    "where's",    "why's",   "how's",     "a",         "an",       "the",        "and",
    "but",        "if",      "or",        "because",   "as",       "until",      "while",
    "of",         "at",      "by",        "for",       "with",     "about",      "against",
    "between",    "into",    "through",   "during",    "before",   "after",      "above",
    "below",      "to",      "from",      "up",        "down",     "in",         "out",
    "on",         "off",     "over",      "under",     "again",    "further",    "then",
    "once",       "here",    "there",     "when",      "where",    "why",        "how",
    "all",        "any",     "both",      "each",      "few",      "more",       "most",
    "other",      "some",    "such",      "no",        "nor",      "not",        "only",
    "own",        "same",    "so",        "than",      "too",      "very",       "will",
    "can",        "just",    "don",       "should've", "now",      "s",          "t",
    "d",          "ll",      "m",         "re",        "ve",       "y",
};

// Field names of the query syntax. Pseudo-fields the rewriter produces are reserved names no
// user would type.
constexpr const char* kWildcardField = "dossierwildcard";
constexpr const char* kWildcardTitleField = "dossierwildcardtitle";
constexpr const char* kWildcardHeadingField = "dossierwildcardheading";

bool is_ascii_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80 || c == '_';
}

bool is_operator(std::string_view chunk) {
  static constexpr std::array<std::string_view, 6> kOps = {"AND", "OR",   "NOT",
                                                           "XOR", "NEAR", "ADJ"};
  for (auto op : kOps) {
    if (chunk == op) return true;
    if (chunk.size() > op.size() + 1 && chunk.substr(0, op.size()) == op &&
        chunk[op.size()] == '/') {
      return true;
    }
  }
  return false;
}

// Bounds on one query (docs/query-syntax.md, "Limits"). The parser, the spelling corrector and
// the matcher all work word by word, so a pasted page would take minutes: it is refused before
// any of them runs. Generous for anything typed or generated from a few phrases.
constexpr std::size_t kMaxQueryBytes = 16384;
constexpr std::size_t kMaxQueryWords = 1024;

// The query text made safe to parse and to quote in messages: control characters (C0 but tab,
// line feed and carriage return, DEL, C1) become spaces, as they separate words in documents
// too. Throws Error(kInvalidArgument) for text over the limits or not valid UTF-8, which would
// otherwise lose its bad bytes in silence.
std::string checked_query_text(std::string_view text) {
  if (text.size() > kMaxQueryBytes) {
    throw Error(ErrorCode::kInvalidArgument, "the query is " + std::to_string(text.size()) +
                                                 " bytes long, more than the limit of " +
                                                 std::to_string(kMaxQueryBytes) + ": shorten it");
  }
  if (const auto bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    throw Error(ErrorCode::kInvalidArgument, "the query is not valid UTF-8 (byte " +
                                                 std::to_string(bad + 1) +
                                                 "): check the terminal's or file's encoding");
  }
  std::string out;
  out.reserve(text.size());
  std::size_t words = 0;  // AND, OR, NEAR/3, ... are not words
  std::size_t word_start = 0;
  bool in_word = false;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const auto c = i < text.size() ? static_cast<unsigned char>(text[i]) : 0U;
    const bool c1 = c == 0xC2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;  // valid: >= 0x80
    const bool control = c1 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
    const bool word_char = !control && is_ascii_word_char(text[i]);
    if (word_char && !in_word) word_start = i;
    if (!word_char && in_word && !is_operator(text.substr(word_start, i - word_start))) ++words;
    in_word = word_char;
    if (i == text.size()) break;
    out += control ? ' ' : text[i];
    if (c1) ++i;
  }
  if (words > kMaxQueryWords) {
    throw Error(ErrorCode::kInvalidArgument,
                "the query has " + std::to_string(words) + " words, more than the limit of " +
                    std::to_string(kMaxQueryWords) + ": keep the distinctive ones");
  }
  return out;
}

// Folds every white-space separated chunk that holds non-ASCII text the way documents are
// folded (accents, typographic quotes and dashes, case). ASCII chunks, and so the operators,
// are left alone: QueryParser lower-cases words itself and needs AND/OR/NOT in capitals.
std::string fold_query(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
      out += ' ';
      ++i;
      continue;
    }
    std::size_t j = i;
    bool ascii = true;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' &&
           text[j] != '\r') {
      if (static_cast<unsigned char>(text[j]) >= 0x80) ascii = false;
      ++j;
    }
    const auto chunk = text.substr(i, j - i);
    if (ascii) {
      out.append(chunk);
    } else {
      out += fold_for_analysis(chunk);
    }
    i = j;
  }
  return out;
}

// A white-space separated piece of a query, outside any phrase, split into affixes and core:
// "+(title:sanction*)" -> lead "+(", core "title:sanction*", tail ")".
struct Chunk {
  std::string lead;
  std::string core;
  std::string tail;
  bool in_phrase = false;  // inside "..." (or holds a quote): left exactly as written
};

std::vector<Chunk> split_chunks(std::string_view text) {
  std::vector<Chunk> chunks;
  bool in_phrase = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool has_quote = false;
    while (j < text.size() && text[j] != ' ') {
      if (text[j] == '"') has_quote = true;
      ++j;
    }
    Chunk c;
    const auto piece = text.substr(i, j - i);
    if (in_phrase || has_quote) {
      c.core = std::string(piece);
      c.in_phrase = true;
      const auto quotes = static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '"'));
      if (quotes % 2 == 1) in_phrase = !in_phrase;
    } else {
      std::size_t b = 0;
      while (b < piece.size() && (piece[b] == '+' || piece[b] == '-' || piece[b] == '(')) ++b;
      std::size_t e = piece.size();
      while (e > b && piece[e - 1] == ')') --e;
      c.lead = std::string(piece.substr(0, b));
      c.core = std::string(piece.substr(b, e - b));
      c.tail = std::string(piece.substr(e));
    }
    chunks.push_back(std::move(c));
    i = j;
  }
  return chunks;
}

bool is_plain_word(std::string_view core) {
  if (core.empty()) return false;
  for (const char c : core) {
    if (!is_ascii_word_char(c) && c != '\'') return false;
  }
  return true;
}

std::string quote_if_needed(const std::string& words) {
  if (words.find(' ') == std::string::npos) return words;
  return "\"" + words + "\"";
}

// Field processor for a boolean field matched on folded keys (author:, org:, topic:, type:,
// lang:): the value is folded exactly as the indexer folded it.
using AliasMap = std::map<std::string, std::string>;  // fold_key(variant) -> fold_key(name)

// The key a filter value is matched on: folded like the indexer folded it, then resolved
// through the configuration's aliases ("RAND" -> "rand corporation").
// The fields SearchRequest::filters accepts, for an error message: "author, topic, ...".
std::string filter_field_names() {
  std::string out;
  for (const auto& f : kSchema) {
    if ((f.kinds & kFilter) == 0U || (f.query != QueryAs::kKey && f.query != QueryAs::kTerm)) {
      continue;
    }
    out += (out.empty() ? "" : ", ") + std::string(f.name);
  }
  return out;
}

std::string filter_key(std::string_view value, const AliasMap* aliases) {
  std::string key = fold_key_or_raw(value);
  if (aliases != nullptr) {
    if (const auto it = aliases->find(key); it != aliases->end()) return it->second;
  }
  return key;
}

class KeyProcessor : public Xapian::FieldProcessor {
 public:
  KeyProcessor(std::string prefix, const AliasMap* aliases)
      : prefix_(std::move(prefix)), aliases_(aliases) {}
  Xapian::Query operator()(const std::string& value) override {
    return Xapian::Query(bounded_term(prefix_, filter_key(value, aliases_)));
  }

 private:
  std::string prefix_;
  const AliasMap* aliases_;
};

// month:2019-03 -> XM201903.
class MonthProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    std::string digits;
    for (const char c : value) {
      if (c >= '0' && c <= '9') digits += c;
    }
    return Xapian::Query(std::string(prefix_of("month")) + digits);
  }
};

Xapian::Query date_range_query(int low, int high) {
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotDate, Xapian::sortable_serialise(low),
                       Xapian::sortable_serialise(high));
}

// Processors never throw through QueryParser (an exception crossing Xapian's parser leaks its
// state): they note the first problem here and match nothing; parse() then throws it.
void note_error(std::string* sink, std::string message) {
  if (sink->empty()) *sink = std::move(message);
}

// date:2019-03 (no range): every date in that month.
class DateProcessor : public Xapian::FieldProcessor {
 public:
  explicit DateProcessor(std::string* errors) : errors_(errors) {}
  Xapian::Query operator()(const std::string& value) override {
    int low = 0;
    int high = 0;
    if (!parse_partial_date(value, low, high)) {
      note_error(errors_, "date:" + value + ": not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
      return Xapian::Query();
    }
    return date_range_query(low, high);
  }

 private:
  std::string* errors_;
};

// date:2019-01-01..2019-03-31, either end may be partial or missing.
class DateRangeProcessor : public Xapian::RangeProcessor {
 public:
  explicit DateRangeProcessor(std::string* errors)
      : Xapian::RangeProcessor(kSlotDate, "date:"), errors_(errors) {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    int low = 0;
    int high = 99999999;
    int ignored = 0;
    if (!begin.empty() && !parse_partial_date(begin, low, ignored)) {
      note_error(errors_, "date:" + begin + "..: not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
      return Xapian::Query();
    }
    if (!end.empty() && !parse_partial_date(end, ignored, high)) {
      note_error(errors_, "date:.." + end + ": not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
      return Xapian::Query();
    }
    return date_range_query(low, high);
  }

 private:
  std::string* errors_;
};

}  // namespace

bool parse_partial_date(std::string_view text, int& low, int& high) {
  int parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t i = 0;
  while (i < text.size() && count < 3) {
    const std::size_t want = count == 0 ? 4 : 2;
    std::size_t digits = 0;
    int value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < want) {
      value = value * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits != want && !(count > 0 && digits == 1)) return false;
    parts[count++] = value;
    if (i == text.size()) break;
    if (text[i] != '-' && text[i] != '/') return false;
    ++i;
    if (i == text.size()) return false;
  }
  if (i != text.size() || count == 0) return false;
  const int year = parts[0];
  const int month = parts[1];
  const int day = parts[2];
  if (count >= 2 && (month < 1 || month > 12)) return false;
  if (count == 3) {
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day < 1 || day > kDays[month - 1]) return false;
  }
  if (count == 1) {
    low = year * 10000;
    high = year * 10000 + 1231;
  } else if (count == 2) {
    low = year * 10000 + month * 100;
    high = year * 10000 + month * 100 + 31;
  } else {
    low = high = year * 10000 + month * 100 + day;
  }
  return true;
}

struct QueryBuilder::Impl {
  Xapian::Database db;
  Xapian::QueryParser parser;
  Xapian::Stem stem{stemmer_name("en")};
  Xapian::SimpleStopper stopper;
  std::unordered_set<std::string> stop_terms;  // stemmed stopwords, as they appear in queries
  std::map<std::string, std::vector<std::string>> synonyms;  // fold_key(term) -> equivalents
  AliasMap author_aliases;
  AliasMap org_aliases;
  std::size_t longest_synonym = 1;  // words in the longest key
  std::size_t wildcard_limit = 500;
  // What a wildcard expands to: OP_SYNONYM, except in a query with NEAR or ADJ, where Xapian
  // accepts only terms and OP_OR ("ex* NEAR controls").
  Xapian::Query::op wildcard_op = Xapian::Query::OP_SYNONYM;
  std::string parse_error;  // noted by the processors during one parse

  Xapian::Query expand_wildcard(const std::string& prefix, const std::string& stem_prefix);
  std::string rewrite(const std::string& folded) const;
  void load_synonyms();
  bool has_spelling(const std::string& word) const {
    auto it = db.spellings_begin();
    it.skip_to(word);
    return it != db.spellings_end() && *it == word;
  }
};

namespace {

// Expands a trailing wildcard over the words of the index as written (the spelling list holds
// them unstemmed), then stems each: "negotiation*" finds "negotiations" although the index
// holds the stem "negoti". The result is Xapian's usual OP_SYNONYM of the matching terms.
class WildcardProcessor : public Xapian::FieldProcessor {
 public:
  using Expand = std::function<Xapian::Query(const std::string&, const std::string&)>;
  WildcardProcessor(Expand expand, std::string prefix)
      : expand_(std::move(expand)), prefix_(std::move(prefix)) {}
  Xapian::Query operator()(const std::string& value) override { return expand_(value, prefix_); }

 private:
  Expand expand_;
  std::string prefix_;
};

}  // namespace

Xapian::Query QueryBuilder::Impl::expand_wildcard(const std::string& word,
                                                  const std::string& prefix) {
  const std::string lowered = lower_as_xapian(word);
  std::set<std::string> terms;
  const auto too_many = [&] {
    if (terms.size() <= wildcard_limit) return false;
    note_error(&parse_error, "wildcard '" + word + "*' matches more than " +
                                 std::to_string(wildcard_limit) + " terms; make the prefix longer");
    return true;
  };
  if (!detail::is_spelling_word(lowered)) {
    // Words that start with a digit are not in the spelling list (docs/index-format.md). The
    // index holds their stems, which the stemmer leaves as written ("2019", "1990s") or
    // shortens ("10years" -> "10year"): the terms that start with the prefix, or with its stem
    // when the prefix is itself a whole word.
    for (const std::string& start : {prefix + lowered, prefix + stem(lowered)}) {
      for (auto it = db.allterms_begin(start); it != db.allterms_end(start); ++it) {
        terms.insert(*it);
        if (too_many()) return Xapian::Query();
      }
    }
  }
  auto it = db.spellings_begin();
  it.skip_to(lowered);
  for (; it != db.spellings_end(); ++it) {
    const std::string candidate = *it;
    if (candidate.compare(0, lowered.size(), lowered) != 0) break;
    terms.insert(prefix + stem(candidate));
    if (too_many()) return Xapian::Query();
  }
  if (terms.empty()) return Xapian::Query();
  // Keep only terms the index holds (the spelling list may remember removed documents).
  std::vector<Xapian::Query> present;
  for (const auto& t : terms) {
    if (db.term_exists(t)) present.emplace_back(t);
  }
  if (present.empty()) return Xapian::Query();
  return Xapian::Query(wildcard_op, present.begin(), present.end());
}

void QueryBuilder::Impl::load_synonyms() {
  synonyms.clear();
  longest_synonym = 1;
  author_aliases.clear();
  org_aliases.clear();
  const auto aliases = nlohmann::json::parse(db.get_metadata(kAliasesKey), nullptr, false);
  if (aliases.is_object()) {
    for (const auto& [field, target] :
         {std::pair{"author", &author_aliases}, std::pair{"org", &org_aliases}}) {
      const auto it = aliases.find(field);
      if (it == aliases.end() || !it->is_object()) continue;
      for (const auto& [variant, name] : it->items()) {
        if (!name.is_string()) continue;
        try {
          (*target)[fold_key(variant)] = fold_key(name.get<std::string>());
        } catch (const Error&) {
          // not UTF-8: the indexer could not have used it either
        }
      }
    }
  }
  const auto stored = db.get_metadata("dossier.synonyms");
  if (stored.empty()) return;
  const auto json = nlohmann::json::parse(stored, nullptr, false);
  if (!json.is_object()) return;
  for (const auto& [term, equivalents] : json.items()) {
    if (!equivalents.is_array()) continue;
    std::string key;
    try {
      key = fold_key(term);
    } catch (const Error&) {
      continue;
    }
    auto& list = synonyms[key];
    for (const auto& e : equivalents) {
      if (e.is_string()) list.push_back(e.get<std::string>());
    }
    longest_synonym = std::max<std::size_t>(
        longest_synonym, 1 + static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')));
  }
}

std::string QueryBuilder::Impl::rewrite(const std::string& folded) const {
  auto chunks = split_chunks(folded);
  // Only excluded words ("-tariffs -china"): QueryParser would drop the minus signs and search
  // for the words; the user means "everything but these".
  const bool all_negated =
      !chunks.empty() && std::all_of(chunks.begin(), chunks.end(), [](const Chunk& c) {
        return !c.in_phrase && c.lead == "-" && c.tail.empty() && !c.core.empty();
      });
  if (all_negated) {
    std::string out = "NOT (";
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      if (i > 0) out += " OR ";
      out += chunks[i].core;
    }
    return out + ")";
  }
  std::string out;
  auto append = [&out](std::string_view piece) {
    if (!out.empty()) out += ' ';
    out.append(piece);
  };
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto& c = chunks[i];
    if (c.in_phrase) {
      append(c.core);
      continue;
    }
    // Trailing wildcard: word* or field:word* (title and heading only: other fields are exact).
    if (c.core.size() >= 2 && c.core.back() == '*' && c.core.find('*') == c.core.size() - 1) {
      std::string field;
      std::string word = c.core.substr(0, c.core.size() - 1);
      if (const auto colon = word.find(':'); colon != std::string::npos) {
        field = word.substr(0, colon);
        word = word.substr(colon + 1);
      }
      const char* pseudo = nullptr;
      if (field.empty()) pseudo = kWildcardField;
      if (field == "title") pseudo = kWildcardTitleField;
      if (field == "heading") pseudo = kWildcardHeadingField;
      if (pseudo != nullptr && is_plain_word(word)) {
        append(c.lead + pseudo + ":" + word + c.tail);
        continue;
      }
    }
    // Synonyms: the longest run of plain words (no affixes inside the run) that is a key.
    if (!synonyms.empty() && is_plain_word(c.core) && !is_operator(c.core) &&
        c.lead.find_first_of("+-") == std::string::npos) {
      bool done = false;
      for (std::size_t n = std::min(longest_synonym, chunks.size() - i); n >= 1 && !done; --n) {
        std::string phrase;
        bool plain = true;
        for (std::size_t k = 0; k < n; ++k) {
          const auto& ck = chunks[i + k];
          if (ck.in_phrase || !is_plain_word(ck.core) || is_operator(ck.core) ||
              (k > 0 && !ck.lead.empty()) || (k + 1 < n && !ck.tail.empty())) {
            plain = false;
            break;
          }
          if (k > 0) phrase += ' ';
          phrase += ck.core;
        }
        if (!plain) continue;
        std::string key;
        try {
          key = fold_key(phrase);
        } catch (const Error&) {
          continue;
        }
        const auto it = synonyms.find(key);
        if (it == synonyms.end()) continue;
        std::string group = c.lead + "(" + quote_if_needed(phrase);
        for (const auto& e : it->second) group += " OR " + quote_if_needed(fold_query(e));
        group += ")" + chunks[i + n - 1].tail;
        append(group);
        i += n - 1;
        done = true;
      }
      if (done) continue;
    }
    append(c.lead + c.core + c.tail);
  }
  return out;
}

QueryBuilder::QueryBuilder(const Xapian::Database& db) : impl_(std::make_unique<Impl>()) {
  auto& im = *impl_;
  im.db = db;
  im.parser = make_query_parser("en");
  im.parser.set_database(db);
  for (const char* word : kEnglishStopwords) {
    im.stopper.add(word);
    im.stop_terms.insert(im.stem(word));
  }
  im.parser.set_stopper(&im.stopper);

  // Every query field of the schema table, by how the query syntax reads it. Boolean fields are
  // exclusive: values of one field ORed, different fields ANDed.
  for (const auto& field : kSchema) {
    const std::string name(field.name);
    const std::string prefix(field.prefix);
    switch (field.query) {
      case QueryAs::kNot:
        break;
      case QueryAs::kWords:
        im.parser.add_prefix(name, prefix);
        break;
      case QueryAs::kKey: {
        const AliasMap* aliases = field.aliases == AliasTable::kAuthor         ? &im.author_aliases
                                  : field.aliases == AliasTable::kOrganisation ? &im.org_aliases
                                                                               : nullptr;
        im.parser.add_boolean_prefix(name, (new KeyProcessor(prefix, aliases))->release(), true);
        break;
      }
      case QueryAs::kTerm:
        im.parser.add_boolean_prefix(name, prefix, true);
        break;
      case QueryAs::kMonth:
        im.parser.add_boolean_prefix(name, (new MonthProcessor())->release(), true);
        break;
      case QueryAs::kDate:
        im.parser.add_boolean_prefix(name, (new DateProcessor(&im.parse_error))->release(), true);
        break;
    }
  }
  const auto expand = [&im](const std::string& word, const std::string& prefix) {
    return im.expand_wildcard(word, prefix);
  };
  im.parser.add_prefix(kWildcardField, (new WildcardProcessor(expand, ""))->release());
  im.parser.add_prefix(kWildcardTitleField,
                       (new WildcardProcessor(expand, std::string(prefix_of("title"))))->release());
  im.parser.add_prefix(
      kWildcardHeadingField,
      (new WildcardProcessor(expand, std::string(prefix_of("heading"))))->release());

  // Ranges (checked before the boolean prefixes: "year:2015..2019" is a range).
  im.parser.add_rangeprocessor((new DateRangeProcessor(&im.parse_error))->release());
  im.parser.add_rangeprocessor((new Xapian::RangeProcessor(kSlotYear, "year:"))->release());

  im.load_synonyms();
}

QueryBuilder::~QueryBuilder() = default;

void QueryBuilder::refresh(const Xapian::Database& db) {
  impl_->db = db;
  impl_->parser.set_database(db);
  impl_->load_synonyms();
}

ParsedQuery QueryBuilder::parse(std::string_view text, MatchMode mode, std::size_t wildcard_limit,
                                bool stopwords, std::string_view language) {
  auto& im = *impl_;
  const auto stemmer = stemmer_name(language);
  im.stem = stemmer.empty() ? Xapian::Stem() : Xapian::Stem(stemmer);
  im.parser.set_stemmer(im.stem);
  im.parser.set_stemming_strategy(stemmer.empty() ? Xapian::QueryParser::STEM_NONE
                                                  : kQueryStemming);
  const bool english = stemmer == stemmer_name("en");
  im.parser.set_stopper(stopwords && english ? &im.stopper : nullptr);
  ParsedQuery result;
  im.wildcard_limit = wildcard_limit;
  // Control characters become spaces, but a query of only them still had something to say.
  const bool nonempty_text = std::any_of(text.begin(), text.end(), [](char c) {
    return c != ' ' && c != '\t' && c != '\n' && c != '\r';
  });
  const std::string checked = checked_query_text(text);
  text = checked;
  const auto folded = fold_query(text);
  result.rewritten = im.rewrite(folded);
  im.parser.set_default_op(mode == MatchMode::kAny ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
  constexpr unsigned kFlags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                              Xapian::QueryParser::FLAG_LOVEHATE |
                              Xapian::QueryParser::FLAG_PURE_NOT;
  const bool positional = result.rewritten.find(kWildcardField) != std::string::npos &&
                          (result.rewritten.find("NEAR") != std::string::npos ||
                           result.rewritten.find("ADJ") != std::string::npos);
  im.wildcard_op = positional ? Xapian::Query::OP_OR : Xapian::Query::OP_SYNONYM;
  try {
    im.parse_error.clear();
    result.query = im.parser.parse_query(result.rewritten, kFlags);
  } catch (const Xapian::UnimplementedError& e) {
    // A query Xapian cannot build (an OP_SYNONYM inside NEAR that the test above missed).
    throw Error(ErrorCode::kInvalidArgument, "query could not be read: " + e.get_msg());
  } catch (const Xapian::QueryParserError& e) {
    // Retry as plain words: everything but letters, digits and apostrophes becomes a space.
    std::string plain;
    for (const char c : folded) plain += is_ascii_word_char(c) || c == '\'' ? c : ' ';
    result.warnings.push_back("query did not parse (" + e.get_msg() +
                              "); searched for its words instead");
    result.rewritten = im.rewrite(plain);
    try {
      im.parse_error.clear();
      result.query = im.parser.parse_query(result.rewritten, 0);
    } catch (const Xapian::QueryParserError& e2) {
      throw Error(ErrorCode::kInvalidArgument, "query could not be read: " + e2.get_msg());
    }
  }
  if (!im.parse_error.empty()) {
    throw Error(ErrorCode::kInvalidArgument, std::exchange(im.parse_error, {}));
  }
  for (auto it = im.parser.stoplist_begin(); it != im.parser.stoplist_end(); ++it) {
    result.stopped.push_back(*it);
  }

  const bool has_wildcard = result.rewritten.find(kWildcardField) != std::string::npos;
  if (nonempty_text && result.query.empty() && !has_wildcard) {
    throw Error(ErrorCode::kInvalidArgument,
                "the query has no words to search for (only punctuation or stopwords)");
  }
  // QueryParser keeps stopwords when nothing else is left; a query of only stopwords finds
  // everything and means nothing, so say so (a quoted phrase of them is allowed).
  if (nonempty_text && english && stopwords && !has_wildcard &&
      folded.find('"') == std::string::npos) {
    bool all_stop = true;
    bool any_term = false;
    for (auto t = result.query.get_unique_terms_begin(); t != result.query.get_unique_terms_end();
         ++t) {
      any_term = true;
      if (im.stop_terms.count(*t) == 0) {
        all_stop = false;
        break;
      }
    }
    if (any_term && all_stop && result.query.get_type() != Xapian::Query::OP_FILTER &&
        result.query.get_type() != Xapian::Query::OP_AND_NOT) {
      throw Error(ErrorCode::kInvalidArgument,
                  "the query has only stopwords (" + std::string(text) +
                      "): add a meaningful word, or quote it as a phrase");
    }
  }
  return result;
}

std::string QueryBuilder::suggest(std::string_view text) {
  auto& im = *impl_;
  // Walk the original text word by word; only words outside field values and operators are
  // candidates, and only when the index has never seen them.
  const std::string checked = checked_query_text(text);
  text = checked;
  std::string out;
  bool changed = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (!is_ascii_word_char(c)) {
      out += c;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && (is_ascii_word_char(text[j]) || text[j] == '\'')) ++j;
    const auto word = text.substr(i, j - i);
    const bool field = j < text.size() && text[j] == ':';
    const bool wildcard = j < text.size() && text[j] == '*';
    const bool after_field = i > 0 && text[i - 1] == ':';
    std::string replacement(word);
    if (!field && !wildcard && !after_field && !is_operator(word) && word.size() >= 3 &&
        std::none_of(word.begin(), word.end(), [](char d) { return d >= '0' && d <= '9'; })) {
      const auto key = lower_as_xapian(fold_for_analysis(word));
      if (!im.has_spelling(key) && !im.db.term_exists(im.stem(key))) {
        const auto suggestion = im.db.get_spelling_suggestion(key, 2);
        if (!suggestion.empty() && suggestion != key) {
          replacement = suggestion;
          changed = true;
        }
      }
    }
    out += replacement;
    i = j;
  }
  return changed ? out : std::string();
}

Xapian::Query QueryBuilder::filters(const SearchRequest& request,
                                    std::vector<std::string>& warnings) const {
  const auto& im = *impl_;
  std::vector<Xapian::Query> all;
  // The named filters of the request and its generic ones, each by its row of the table.
  const std::pair<std::string_view, const std::vector<std::string>*> named[] = {
      {"author", &request.authors},
      {"org", &request.organisations},
      {"topic", &request.topics},
      {"type", &request.types},
      {"lang", &request.languages}};
  for (const auto& [name, values] : request.filters) {
    const auto* field = find_field(name);
    if (field == nullptr || (field->kinds & kFilter) == 0U ||
        (field->query != QueryAs::kKey && field->query != QueryAs::kTerm)) {
      throw Error(ErrorCode::kInvalidArgument, "filter on '" + to_valid_utf8(name) +
                                                   "': not a filter field (" +
                                                   filter_field_names() + ")");
    }
  }
  for (const auto& field : kSchema) {
    std::vector<std::string> values;
    for (const auto& [name, list] : named) {
      if (name == field.name) values.insert(values.end(), list->begin(), list->end());
    }
    if (const auto it = request.filters.find(std::string(field.name));
        it != request.filters.end()) {
      values.insert(values.end(), it->second.begin(), it->second.end());
    }
    if (values.empty()) continue;
    const std::string name(field.name);
    const AliasMap* aliases = field.aliases == AliasTable::kAuthor         ? &im.author_aliases
                              : field.aliases == AliasTable::kOrganisation ? &im.org_aliases
                                                                           : nullptr;
    std::vector<Xapian::Query> alternatives;
    for (const auto& v : values) {
      if (!is_valid_utf8(v)) {
        throw Error(ErrorCode::kInvalidArgument, "--" + name + ": value is not valid UTF-8");
      }
      const auto term = bounded_term(
          field.prefix, field.query == QueryAs::kKey ? filter_key(v, aliases) : std::string(v));
      if (!im.db.term_exists(term)) {
        warnings.push_back("--" + name + " " + v + ": no article has this value (see --facets " +
                           name + " for the values in the index)");
      }
      alternatives.emplace_back(term);
    }
    all.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  }
  if (!request.from.empty() || !request.to.empty()) {
    int low = 0;
    int high = 99999999;
    int ignored = 0;
    if (!request.from.empty() && !parse_partial_date(request.from, low, ignored)) {
      throw Error(ErrorCode::kInvalidArgument,
                  "--from " + to_valid_utf8(request.from) +
                      ": not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
    }
    if (!request.to.empty() && !parse_partial_date(request.to, ignored, high)) {
      throw Error(
          ErrorCode::kInvalidArgument,
          "--to " + to_valid_utf8(request.to) + ": not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
    }
    if (low > high) {
      throw Error(ErrorCode::kInvalidArgument,
                  "--from " + request.from + " is after --to " + request.to);
    }
    all.push_back(date_range_query(low, high));
  }
  if (all.empty()) return Xapian::Query(std::string());  // MatchAll, not the shared static
  return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
}

void QueryBuilder::collect_phrases(const Xapian::Query& query,
                                   std::vector<std::vector<std::string>>& phrases,
                                   std::vector<std::string>& loose_terms) {
  const auto type = query.get_type();
  if (type == Xapian::Query::LEAF_TERM) {
    auto t = query.get_terms_begin();
    if (t != query.get_terms_end()) loose_terms.push_back(*t);
    return;
  }
  if (type == Xapian::Query::OP_PHRASE) {
    std::vector<std::string> phrase;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
      const auto sub = query.get_subquery(i);
      auto t = sub.get_terms_begin();
      if (t != sub.get_terms_end()) phrase.push_back(*t);
    }
    if (!phrase.empty()) phrases.push_back(std::move(phrase));
    return;
  }
  // The filter side of OP_FILTER / AND_NOT's negative side hold no text to highlight.
  std::size_t n = query.get_num_subqueries();
  if (type == Xapian::Query::OP_FILTER || type == Xapian::Query::OP_AND_NOT) n = n > 0 ? 1 : 0;
  for (std::size_t i = 0; i < n; ++i) collect_phrases(query.get_subquery(i), phrases, loose_terms);
}

}  // namespace dossier::detail
