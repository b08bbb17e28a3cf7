// Snippets: words found exactly as the indexer's TermGenerator finds them, passages chosen on ICU
// sentence boundaries, highlights as byte ranges.
#include "search/snippets.hpp"

#include "analysis/analysis.hpp"
#include "text/normalize.hpp"
#include "text/utf8.hpp"

#include <dossier/error.hpp>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>
#include <xapian/error.h>
#include <xapian/stem.h>
#include <xapian/unicode.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <map>

namespace dossier::detail {
namespace {

// How TermGenerator (xapian-core 1.4.22, queryparser/termgenerator_internal.cc, parse_terms())
// splits text into terms, reproduced over the folded text so that each term keeps the byte
// range of the original text it came from. Rules reproduced: word characters are
// Unicode::is_wordchar and are lower-cased with Unicode::tolower; initials "U.S.A." (ASCII
// capitals separated by '.', not followed by a word character) make one term "usa"; between
// two word characters, '\'' '&' U+00B7 U+05F4 U+2027 (and U+2019 U+201B as '\'') join words
// ("don't", "at&t") and U+200B-U+200D U+2060 U+FEFF are skipped; between two decimal digits
// ',' '.' ';' and the other Unicode numeric separators join ("1,000", "3.14"); up to three
// '+'/'#' suffixes stay on a word ("c++", "c#") unless a word character follows ("fish+chips");
// terms longer than max_word_length (64 bytes) are dropped without using a position.
// Folding: fold_for_analysis() is applied per character (to classify) and again per word (to
// compose what whole-text NFKC composes, e.g. half-width kana and their voicing marks).
// Not reproduced: CJK n-grams (TermGenerator's FLAG_CJK_NGRAM, or the XAPIAN_CJK_NGRAM
// environment variable, which would also change the index: a run of CJK characters is one
// word here as it is there); stopwords (the indexer sets no stopper); and an NFKC composition
// that would join characters across a word boundary of the per-character folding (none known
// among real compositions; the property tests would show one).
constexpr std::size_t kMaxWordLength = 64;
constexpr unsigned kUnicodeIgnore = std::numeric_limits<unsigned>::max();

// Xapian's classes of the ASCII characters, looked up without a call into libxapian (most
// text is ASCII; this halves the time of a word scan).
struct AsciiClasses {
  unsigned wordchar[128] = {};  // the lower-cased character, 0 when not a word character
  AsciiClasses() {
    for (unsigned ch = 0; ch < 128; ++ch) {
      wordchar[ch] = Xapian::Unicode::is_wordchar(ch) ? Xapian::Unicode::tolower(ch) : 0;
    }
  }
};
const AsciiClasses kAscii;

unsigned check_wordchar(unsigned ch) {
  if (ch < 128) return kAscii.wordchar[ch];
  return Xapian::Unicode::is_wordchar(ch) ? Xapian::Unicode::tolower(ch) : 0;
}

bool is_wordchar(unsigned ch) {
  return check_wordchar(ch) != 0;
}

bool is_ascii_upper(unsigned ch) {
  return ch >= 'A' && ch <= 'Z';
}

bool is_digit(unsigned ch) {
  if (ch < 128) return ch >= '0' && ch <= '9';
  return Xapian::Unicode::get_category(ch) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

unsigned check_infix(unsigned ch) {
  if (ch == '\'' || ch == '&' || ch == 0xb7 || ch == 0x5f4 || ch == 0x2027) return ch;
  if (ch == 0x2019 || ch == 0x201b) return '\'';
  if (ch >= 0x200b && (ch <= 0x200d || ch == 0x2060 || ch == 0xfeff)) return kUnicodeIgnore;
  return 0;
}

unsigned check_infix_digit(unsigned ch) {
  switch (ch) {
    case ',':
    case '.':
    case ';':
    case 0x037e:
    case 0x0589:
    case 0x060D:
    case 0x07F8:
    case 0x2044:
    case 0xFE10:
    case 0xFE13:
    case 0xFE14:
      return ch;
    default:
      break;
  }
  if (ch >= 0x200b && (ch <= 0x200d || ch == 0x2060 || ch == 0xfeff)) return kUnicodeIgnore;
  return 0;
}

unsigned check_suffix(unsigned ch) {
  return (ch == '+' || ch == '#') ? ch : 0;
}

using Offset = std::uint32_t;

// One code point of the folded text and the bytes of the original text it came from. A code
// point that folds to several ("ﬁ" -> "fi", "…" -> "...") gives several units with one range.
struct Unit {
  unsigned cp = 0;
  Offset begin = 0;
  Offset end = 0;
};

// Calls emit(first_unit, last_unit, term) for each word TermGenerator would find, `term` being
// its lower-cased, unstemmed form. Mirrors parse_terms() step by step (see above).
template <typename Emit>
void parse_terms(const std::vector<Unit>& u, std::string& term, Emit&& emit) {
  const std::size_t n = u.size();
  std::size_t i = 0;
  while (true) {
    unsigned ch = 0;
    while (true) {
      if (i == n) return;
      ch = check_wordchar(u[i].cp);
      if (ch != 0) break;
      ++i;
    }
    const std::size_t first = i;
    std::size_t last = i;
    term.clear();
    if (is_ascii_upper(u[i].cp)) {
      // Initials separated by '.', with or without a trailing '.': "U.S.A." -> "usa".
      std::size_t p = i;
      do {
        last = p;
        append_utf8(term, static_cast<char32_t>(Xapian::Unicode::tolower(u[p++].cp)));
      } while (p != n && u[p].cp == '.' && ++p != n && is_ascii_upper(u[p].cp));
      if (term.size() > 1 && (p == n || !is_wordchar(u[p].cp))) {
        i = p;
        if (u[p - 1].cp == '.') last = p - 1;  // "U.S." highlights with its final period
        emit(first, last, term);
        continue;
      }
      term.clear();
      last = i;
    }
    bool at_end = false;
    while (true) {
      unsigned prevch = 0;
      do {
        append_utf8(term, static_cast<char32_t>(ch));
        prevch = ch;
        last = i;
        if (++i == n) {
          at_end = true;
          break;
        }
        ch = check_wordchar(u[i].cp);
      } while (ch != 0);
      if (at_end) break;
      const std::size_t next = i + 1;
      if (next == n) break;
      const unsigned nextch = check_wordchar(u[next].cp);
      if (nextch == 0) break;
      const unsigned infix = (is_digit(prevch) && is_digit(u[next].cp)) ? check_infix_digit(u[i].cp)
                                                                        : check_infix(u[i].cp);
      if (infix == 0) break;
      if (infix != kUnicodeIgnore) append_utf8(term, static_cast<char32_t>(infix));
      ch = nextch;
      i = next;
    }
    if (!at_end) {
      // Suffixes: "C++", "C#"; more than three are dropped, and "fish+chips" is two words.
      const std::size_t len = term.size();
      std::size_t suffix_last = last;
      unsigned count = 0;
      bool reached_end = false;
      while ((ch = check_suffix(u[i].cp)) != 0) {
        if (++count > 3) {
          term.resize(len);
          break;
        }
        append_utf8(term, static_cast<char32_t>(ch));
        suffix_last = i;
        if (++i == n) {
          reached_end = true;
          break;
        }
      }
      if (reached_end) {
        last = suffix_last;
      } else if (is_wordchar(u[i].cp)) {
        term.resize(len);
      } else if (term.size() > len) {
        last = suffix_last;
      }
    }
    emit(first, last, term);
  }
}

// fold_for_analysis() keeps ASCII case (byte-wise fast path) when every non-ASCII character is
// one of ’ ‘ “ ” – — or the no-break space; otherwise ICU case-folds the whole text, which
// lower-cases "U.S." before TermGenerator sees it (so no initials rule then). Must match
// fold_for_analysis() exactly.
bool folds_bytewise(std::string_view text) {
  // Eight bytes at a time while they are ASCII (most texts are, almost throughout).
  std::size_t start = 0;
  for (std::uint64_t block = 0; start + sizeof block <= text.size(); start += sizeof block) {
    std::memcpy(&block, text.data() + start, sizeof block);
    if ((block & 0x8080808080808080ULL) != 0) break;
  }
  for (std::size_t i = start; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) continue;
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto d = static_cast<unsigned char>(text[i + 2]);
      if (d == 0x98 || d == 0x99 || d == 0x9C || d == 0x9D || d == 0x93 || d == 0x94) {
        i += 2;
        continue;
      }
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

constexpr std::uint32_t kNoTerm = std::numeric_limits<std::uint32_t>::max();

// The terms of one stemmer: word -> indexed term, with interned terms so that make() compares
// integers, and per-call marks saying which query unit a term belongs to.
class Vocabulary {
 public:
  explicit Vocabulary(const std::string& stemmer)
      : keeps_prefixes_(stemmer.empty() || stemmer == "english") {
    if (stemmer.empty()) return;
    try {
      stem_ = Xapian::Stem(stemmer);
      stemmed_ = true;
    } catch (const Xapian::Error& e) {
      throw Error(ErrorCode::kInternal,
                  "snippets: Xapian has no stemmer '" + stemmer + "': " + e.get_msg());
    }
  }

  /// The term TermGenerator indexes for `word` (lower-cased, unstemmed), or kNoTerm when it
  /// indexes nothing (a word longer than max_word_length).
  std::uint32_t lookup(std::string_view word) {
    // A small direct-mapped cache in front of the hash map: the frequent words of a text stay
    // in it, and it fits the CPU cache where the map does not.
    FrontEntry* front = nullptr;
    std::uint64_t hash = 0;
    if (word.size() <= sizeof(FrontEntry::bytes)) {
      hash = 14695981039346656037ULL;
      for (const char c : word) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
      }
      front = &front_[hash & (kFrontSize - 1)];
      if (front->size == word.size() && front->hash == hash &&
          std::memcmp(front->bytes, word.data(), word.size()) == 0) {
        return front->index;
      }
    }
    const auto index = lookup_slow(word);
    if (front != nullptr) {
      front->hash = hash;
      front->index = index;
      front->size = static_cast<std::uint8_t>(word.size());
      std::memcpy(front->bytes, word.data(), word.size());
    }
    return index;
  }

  std::uint32_t lookup_slow(std::string_view word) {
    if (auto it = by_word_.find(word); it != by_word_.end()) return it->second;
    std::string normal(word);
    if (!is_ascii(word)) {
      // Folding code point by code point misses compositions that folding the whole text
      // makes (half-width kana with a voicing mark, Hangul jamo): compose the word again.
      std::string refolded = normalize(word, kFoldCase);
      if (refolded != normal) normal = Xapian::Unicode::tolower(refolded);
    }
    std::uint32_t index = kNoTerm;
    if (normal.size() <= kMaxWordLength) {
      if (!stemmed_) {
        index = intern(normal);
      } else if (const std::string stem = stem_(normal); !stem.empty()) {
        index = intern(stem);
      }
    }
    by_word_.emplace(std::string(word), index);
    return index;
  }

  std::uint32_t intern(std::string_view term) {
    if (auto it = by_term_.find(term); it != by_term_.end()) return it->second;
    const auto index = static_cast<std::uint32_t>(terms_.size());
    terms_.emplace_back(term);
    by_term_.emplace(terms_.back(), index);
    return index;
  }

  const std::string& term(std::uint32_t index) const { return terms_[index]; }

  /// Whether the term of a word starts as the word does (see Prefilter): true without a
  /// stemmer, and for Snowball English, which only rewrites word endings; the one change
  /// within the first two characters is "y" -> "i" in "dying", "lying", "tying".
  bool keeps_prefixes() const { return keeps_prefixes_; }

  /// Starts a make() call: forgets earlier marks; keeps memory bounded between calls.
  void begin_marks() {
    if (terms_.size() > kMaxTerms || by_word_.size() > kMaxWords) {
      std::fill(front_.begin(), front_.end(), FrontEntry{});
      by_word_.clear();
      by_term_.clear();
      terms_.clear();
      mark_epoch_.clear();
      mark_unit_.clear();
    }
    if (++epoch_ == 0) {
      std::fill(mark_epoch_.begin(), mark_epoch_.end(), 0U);
      epoch_ = 1;
    }
  }

  void mark(std::uint32_t index, std::int32_t unit) {
    if (mark_epoch_.size() <= index) {
      mark_epoch_.resize(index + 1, 0U);
      mark_unit_.resize(index + 1, -1);
    }
    mark_epoch_[index] = epoch_;
    mark_unit_[index] = unit;
  }

  std::int32_t unit_of(std::uint32_t index) const {
    if (index >= mark_epoch_.size() || mark_epoch_[index] != epoch_) return -1;
    return mark_unit_[index];
  }

 private:
  static constexpr std::size_t kMaxWords = 400000;
  static constexpr std::size_t kMaxTerms = 400000;
  static constexpr std::size_t kFrontSize = 4096;  // a power of two
  struct FrontEntry {
    std::uint64_t hash = 0;
    std::uint32_t index = kNoTerm;
    std::uint8_t size = 0;  // 0: empty
    char bytes[19] = {};
  };
  std::vector<FrontEntry> front_ = std::vector<FrontEntry>(kFrontSize);
  bool keeps_prefixes_ = false;
  Xapian::Stem stem_;
  bool stemmed_ = false;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> by_word_;
  std::unordered_map<std::string_view, std::uint32_t, StringHash, std::equal_to<>> by_term_;
  std::deque<std::string> terms_;  // stable addresses for by_term_'s keys
  std::vector<std::uint32_t> mark_epoch_;
  std::vector<std::int32_t> mark_unit_;
  std::uint32_t epoch_ = 0;
};

bool is_ascii_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

unsigned char ascii_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + ('a' - 'A')) : c;
}

unsigned char ascii_upper(unsigned char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<unsigned char>(c - ('a' - 'A')) : c;
}

// Finds, without analysing words, the chunks of a text (maximal runs of bytes other than ASCII
// white space) that may hold a word with a query term, so that make() analyses only those.
// Provably conservative where the vocabulary keeps_prefixes() (the term T of a word W has
// T[0] == W[0] and T[1] == W[1], or T[1] == 'i' and W[1] == 'y'), given how TermGenerator
// builds W: in a chunk whose non-ASCII characters are all transparent (Impl::transparent()),
// every unit of a word is an ASCII byte of the chunk, lower-cased; W[0] is the word's first
// byte; a word character W[1] is the next byte (an infix would put itself in between), or, in
// initials ("U.S."), the capital after a '.'. So a chunk is a candidate when it holds a byte
// pair that could start a query term (case-insensitively), or "X.Y" initials that could, or a
// character that is not transparent (which may fold to anything).
class Prefilter {
 public:
  void clear() {
    prefixes_.clear();
    for (unsigned c = 0; c < 256; ++c) {
      classes_[c] = c >= 0x80 ? kHigh : (kAscii.wordchar[c] != 0 ? kWord : 0U);
    }
  }

  void add(std::string_view term) {
    const auto first = static_cast<unsigned char>(term.front());
    if (first >= 0x80) return;  // a word with a non-ASCII unit: its chunk is a candidate
    Prefix prefix;
    prefix.first = ascii_lower(first);
    if (term.size() >= 2) {
      const auto second = static_cast<unsigned char>(term[1]);
      if (second < 0x80 && kAscii.wordchar[second] != 0) {
        prefix.second = ascii_lower(second);
        prefix.second_alt = prefix.second == 'i' ? static_cast<unsigned char>('y') : prefix.second;
      }
    }
    classes_[prefix.first] |= kStart;
    classes_[ascii_upper(prefix.first)] |= kStart;
    prefixes_.push_back(prefix);
  }

  /// Appends the candidate chunks of `text` as [begin, end), in text order.
  template <typename Transparent>
  void candidates(std::string_view text, Transparent&& transparent,
                  std::vector<std::pair<Offset, Offset>>& out) const {
    const std::size_t n = text.size();
    std::size_t floor = 0;  // end of the last candidate
    const auto candidate = [&](std::size_t at) {
      std::size_t begin = at;
      while (begin > floor && !is_ascii_space(text[begin - 1])) --begin;
      std::size_t end = at;
      while (end < n && !is_ascii_space(text[end])) ++end;
      out.emplace_back(static_cast<Offset>(begin), static_cast<Offset>(end));
      floor = end;
      return end;
    };
    // Only word starts are tried: a word's first unit follows a unit that is no word character
    // (parse_terms() consumes runs of word characters whole), so its byte follows a byte that
    // is no ASCII word character (a transparent character ends in a non-ASCII byte). The
    // loop's only branch is the rare one taken on a possible start or a non-ASCII byte, and
    // no state passes from one byte to the next: this scan is most of make()'s time.
    for (std::size_t i = 0; i < n;) {
      const auto c = static_cast<unsigned char>(text[i]);
      const unsigned word_before =
          i == 0 ? 0U : classes_[static_cast<unsigned char>(text[i - 1])] & kWord;
      if ((classes_[c] & (kHigh | (kStart & ~(word_before << 1U)))) == 0) {
        ++i;
        continue;
      }
      if (c >= 0x80) {
        const auto [cp, length] = decode_utf8(text, i);
        const std::string_view bytes =
            (cp == 0xFFFD && length == 1) ? std::string_view("\uFFFD") : text.substr(i, length);
        i = transparent(static_cast<unsigned>(cp), bytes) ? i + length : candidate(i);
      } else {
        i = match_at(text, i) ? candidate(i) : i + 1;
      }
    }
  }

 private:
  struct Prefix {
    unsigned char first = 0;       // lower case
    unsigned char second = 0;      // lower case; 0: any
    unsigned char second_alt = 0;  // also allowed as the word's second character
  };

  bool match_at(std::string_view text, std::size_t i) const {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto lower = ascii_lower(c);
    const auto next = static_cast<unsigned char>(i + 1 < text.size() ? text[i + 1] : '\0');
    const auto next_lower = ascii_lower(next);
    for (const auto& p : prefixes_) {
      if (p.first != lower) continue;
      if (p.second == 0 || next_lower == p.second || next_lower == p.second_alt) return true;
      if (next == '.' && i + 2 < text.size() && is_ascii_upper(c)) {
        const auto after = static_cast<unsigned char>(text[i + 2]);
        const auto after_lower = ascii_lower(after);
        if (is_ascii_upper(after) && (after_lower == p.second || after_lower == p.second_alt)) {
          return true;
        }
      }
    }
    return false;
  }

  static constexpr unsigned kWord = 1;   // an ASCII word character
  static constexpr unsigned kStart = 2;  // may start a query term
  static constexpr unsigned kHigh = 4;   // not ASCII
  std::vector<Prefix> prefixes_;
  std::array<unsigned, 256> classes_{};
};

// A word of the text: its bytes and the query unit its term belongs to (-1: none).
struct Token {
  Offset begin = 0;
  Offset end = 0;
  std::int32_t unit = -1;
};

// An occurrence to highlight: a standalone query term or a whole phrase.
struct Match {
  Offset begin = 0;
  Offset end = 0;
  std::int32_t unit = 0;
};

// What the query asks to highlight: one unit per distinct term (standalone, or only inside
// phrases), then one per phrase; each with its weight.
struct QueryUnits {
  std::vector<double> weights;
  std::vector<char> standalone;                    // per term unit: also a query term of its own
  std::vector<const std::string*> terms;           // per term unit
  std::vector<std::vector<std::int32_t>> phrases;  // the term units of each phrase
  std::size_t term_units = 0;
};

struct Candidate {
  Offset begin = 0;  // raw sentence boundaries (ICU)
  Offset end = 0;
  std::size_t first = 0;  // matches [first, last)
  std::size_t last = 0;
  bool chosen = false;
  std::size_t words = 0;  // words (tokens) in [begin, end)
};

constexpr std::string_view kEllipsis = "\u2026";
constexpr std::size_t kEllipsisBytes = 3;
constexpr double kDensityBonus = 0.5;  // a sentence made of matches scores up to 1.5x
constexpr double kRepeatBonus = 0.1;   // each repeat of a term, up to kMaxRepeats
constexpr int kMaxRepeats = 3;
constexpr double kShownFactor = 0.5;  // a term already shown counts half in later passages

// Byte length of the white-space character at text[i], 0 if none. Unicode White_Space.
std::size_t space_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return (c == ' ' || (c >= '\t' && c <= '\r')) ? 1 : 0;
  const std::size_t left = text.size() - i;
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  if (c == 0xC2 && left >= 2 && (at(1) == 0x85 || at(1) == 0xA0)) return 2;
  if (left < 3) return 0;
  if (c == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return 3;
  if (c == 0xE2 && at(1) == 0x80 &&
      (at(2) <= 0x8A || at(2) == 0xA8 || at(2) == 0xA9 || at(2) == 0xAF)) {
    return 3;
  }
  if (c == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;
  if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;
  return 0;
}

bool is_continuation(std::string_view s, std::size_t i) {
  return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0U) == 0x80U;
}

Offset skip_space_forward(std::string_view text, Offset begin, Offset end) {
  while (begin < end) {
    const auto n = space_length(text, begin);
    if (n == 0) break;
    begin = static_cast<Offset>(begin + n);
  }
  return begin;
}

// The last white-space character ends at `end`: step back over it (UTF-8 aware).
Offset skip_space_back(std::string_view text, Offset begin, Offset end) {
  while (end > begin) {
    Offset start = end - 1;
    while (start > begin && is_continuation(text, start)) --start;
    if (space_length(text, start) != end - start) break;
    end = start;
  }
  return end;
}

// "U.S. " before `pos`: ICU breaks a sentence after initials followed by a capital ("U.S.
// President"); its abbreviation filter does not handle internal periods, so we undo the break.
bool ends_with_initials(std::string_view text, Offset pos) {
  std::size_t k = pos;
  while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
  const auto upper = [&](std::size_t j) { return text[j] >= 'A' && text[j] <= 'Z'; };
  if (k < 4 || text[k - 1] != '.' || !upper(k - 2) || text[k - 3] != '.' || !upper(k - 4)) {
    return false;
  }
  if (k == 4) return true;
  const char before = text[k - 5];
  const bool alnum = (before >= '0' && before <= '9') || (before >= 'a' && before <= 'z') ||
                     (before >= 'A' && before <= 'Z');
  return before == '.' || !alnum;
}

// Collapsed size of text[begin, end) (already trimmed): white-space runs count as one byte.
std::size_t collapsed_size(std::string_view text, Offset begin, Offset end) {
  std::size_t size = 0;
  bool in_space = false;
  for (std::size_t i = begin; i < end;) {
    if (const auto n = space_length(text, i); n != 0) {
      if (!in_space) ++size;
      in_space = true;
      i += n;
      continue;
    }
    in_space = false;
    ++size;
    ++i;
  }
  return size;
}

}  // namespace

struct SnippetMaker::Impl {
  // Folded code points of single characters (fold_for_analysis() of one character).
  std::unordered_map<unsigned, std::u32string> folds;
  std::map<std::string, Vocabulary, std::less<>> vocabularies;  // by stemmer name
  std::map<std::string, std::unique_ptr<icu::BreakIterator>, std::less<>> sentence_iterators;

  // Buffers reused between calls.
  std::vector<Unit> units;
  std::string term;
  std::vector<Token> tokens;
  std::vector<Match> matches;
  std::string collapsed;
  std::vector<Offset> source;  // source[j]: text offset of collapsed[j]; one past the end too
  Prefilter prefilter;
  std::vector<std::pair<Offset, Offset>> chunks;

  // The matches of `units` in `text`, in text order, into `matches` (and the words seen into
  // `tokens`): from every word of the text, or (`fast`) from the words of the chunks the
  // prefilter lets through, which are all the words a query unit can have; the output is the
  // same (see make_with_full_scan()).
  void find_matches(std::string_view text, Vocabulary& vocabulary, const QueryUnits& query,
                    bool fast, bool keep_case);

  Vocabulary& vocabulary(std::string_view language) {
    const std::string name = stemmer_name(language);
    auto it = vocabularies.find(name);
    if (it == vocabularies.end()) it = vocabularies.emplace(name, Vocabulary(name)).first;
    return it->second;
  }

  icu::BreakIterator& sentences(std::string_view language) {
    auto it = sentence_iterators.find(language);
    if (it != sentence_iterators.end()) return *it->second;
    // "ss=standard": ICU's abbreviation list ("Mr.", "Dr.", ...) does not end sentences.
    const std::string tag = (language.empty() ? std::string("en") : std::string(language));
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> iterator(icu::BreakIterator::createSentenceInstance(
        icu::Locale::createCanonical((tag + "@ss=standard").c_str()), status));
    if (U_FAILURE(status) || iterator == nullptr) {
      throw Error(ErrorCode::kInternal, "snippets: ICU sentence iterator for '" + tag +
                                            "' unavailable: " + u_errorName(status));
    }
    return *sentence_iterators.emplace(std::string(language), std::move(iterator)).first->second;
  }

  const std::u32string& fold(unsigned cp, std::string_view bytes) {
    auto [it, inserted] = folds.try_emplace(cp);
    if (inserted) {
      const std::string folded = fold_for_analysis(bytes);
      for (std::size_t i = 0; i < folded.size();) {
        const auto [c, n] = decode_utf8(folded, i);
        it->second.push_back(c);
        i += n;
      }
    }
    return it->second;
  }

  static void check_size(std::string_view text) {
    if (text.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
      throw Error(ErrorCode::kInvalidArgument,
                  "snippets: text of " + std::to_string(text.size()) + " bytes is too long");
    }
  }

  void fold_units(std::string_view text) {
    check_size(text);
    units.clear();
    units.reserve(text.size());
    fold_range(text, 0, text.size(), folds_bytewise(text));
  }

  // Appends the units of text[from, to). Folding is per character, so the units of a range
  // are those the whole text gives there, provided the range does not split a character and
  // `keep_case` is folds_bytewise() of the WHOLE text.
  void fold_range(std::string_view text, std::size_t from, std::size_t to, bool keep_case) {
    for (std::size_t i = from; i < to;) {
      const auto c = static_cast<unsigned char>(text[i]);
      const auto at = static_cast<Offset>(i);
      if (c < 0x80) {
        unsigned cp = c;
        if (!keep_case && is_ascii_upper(cp)) cp += 'a' - 'A';
        units.push_back({cp, at, at + 1});
        ++i;
        continue;
      }
      const auto [cp, n] = decode_utf8(text, i);
      // A malformed byte: ICU folds it to U+FFFD (input should be valid UTF-8 anyway).
      const std::string_view bytes =
          (cp == 0xFFFD && n == 1) ? std::string_view("\uFFFD") : text.substr(i, n);
      const auto end = static_cast<Offset>(i + n);
      for (const char32_t f : fold(static_cast<unsigned>(cp), bytes)) {
        units.push_back({static_cast<unsigned>(f), at, end});
      }
      i += n;
    }
  }

  // Every word of `text` as (begin, end, term index), as TermGenerator indexes it.
  template <typename Emit>
  void for_each_word(std::string_view text, Vocabulary& vocabulary, Emit&& emit) {
    fold_units(text);
    parse_terms(units, term, [&](std::size_t first, std::size_t last, const std::string& word) {
      const auto index = vocabulary.lookup(word);
      if (index != kNoTerm) emit(units[first].begin, units[last].end, index);
    });
  }

  // The words of text[begin, end), exactly those of for_each_word(text) there when both ends
  // are at ASCII white space (or the text's ends): TermGenerator's word rules never look
  // across an ASCII white-space character (it is no word character, infix or suffix, and
  // ends initials), and folding is per character. `keep_case`: folds_bytewise(text).
  template <typename Emit>
  void for_each_word_in(std::string_view text, std::size_t begin, std::size_t end, bool keep_case,
                        Vocabulary& vocabulary, Emit&& emit) {
    units.clear();
    fold_range(text, begin, end, keep_case);
    parse_terms(units, term, [&](std::size_t first, std::size_t last, const std::string& word) {
      const auto index = vocabulary.lookup(word);
      if (index != kNoTerm) emit(units[first].begin, units[last].end, index);
    });
  }

  // Whether folding code point `cp` (bytes `bytes`) gives only ASCII characters that are not
  // word characters and not a lone '.': such a character can neither become part of a term
  // nor join two words into one whose second term character is a word character, so it
  // leaves the prefilter's reasoning about ASCII text intact (’ “ ” – — no-break space).
  bool transparent(unsigned cp, std::string_view bytes) {
    if (cp >= transparent_cache.size()) return false;
    auto& known = transparent_cache[cp];
    if (known == 0) {
      const std::u32string& folded = fold(cp, bytes);
      bool ok = !folded.empty() && folded != U".";
      for (const char32_t f : folded) {
        if (f >= 0x80 || is_wordchar(static_cast<unsigned>(f))) ok = false;
      }
      known = ok ? 1 : 2;
    }
    return known == 1;
  }
  std::vector<std::uint8_t> transparent_cache = std::vector<std::uint8_t>(0x10000, 0);
};

SnippetMaker::SnippetMaker() : impl_(std::make_unique<Impl>()) {}
SnippetMaker::~SnippetMaker() = default;

std::vector<WordSpan> SnippetMaker::words(std::string_view text, std::string_view language) {
  std::vector<WordSpan> out;
  auto& vocabulary = impl_->vocabulary(language);
  impl_->for_each_word(text, vocabulary, [&](Offset begin, Offset end, std::uint32_t index) {
    out.push_back({begin, end, vocabulary.term(index)});
  });
  return out;
}

namespace {

// ICU sentence boundaries, found only near the places asked about. ICU's random access backs
// up to the start of the paragraph, and iterating a whole text costs more than the rest of
// make(); so windows of the text (whole paragraphs when short) are segmented on demand. A
// window that does not start at a paragraph start has an artificial first boundary (likewise
// at its end); a sentence touching one is looked up again in a wider window.
class SentenceFinder {
 public:
  SentenceFinder(icu::BreakIterator& iterator, std::string_view text)
      : iterator_(iterator), text_(text) {}

  /// The sentence [begin, end) holding byte `at` (< text size).
  std::pair<Offset, Offset> around(Offset at) {
    for (auto it = regions_.rbegin(); it != regions_.rend(); ++it) {
      if (const auto found = it->find(at); found.first != found.second) return found;
    }
    for (std::size_t width = kWindow;; width *= 4) {
      regions_.push_back(segment(at, width));
      if (const auto found = regions_.back().find(at); found.first != found.second) return found;
    }
  }

  /// The first boundary after `at`.
  Offset following(Offset at) { return at >= text_.size() ? size() : around(at).second; }
  /// The last boundary before `at`.
  Offset preceding(Offset at) { return at == 0 ? 0 : around(at - 1).first; }

 private:
  static constexpr std::size_t kWindow = 768;

  struct Region {
    Offset begin = 0;
    Offset end = 0;
    bool exact_begin = false;  // begin is a paragraph start (or the text's)
    bool exact_end = false;
    std::vector<Offset> bounds;  // from begin to end inclusive

    // {0, 0} when `at` is outside or its sentence touches an artificial edge.
    std::pair<Offset, Offset> find(Offset at) const {
      if (at < begin || at >= end) return {0, 0};
      const auto it = std::upper_bound(bounds.begin(), bounds.end(), at);
      const Offset s = *(it - 1);
      const Offset e = *it;
      if ((s == begin && !exact_begin) || (e == end && !exact_end)) return {0, 0};
      return {s, e};
    }
  };

  Offset size() const { return static_cast<Offset>(text_.size()); }

  Region segment(Offset at, std::size_t width) {
    Region r;
    // Paragraphs end after '\n': ICU always breaks there, so a paragraph segments alone.
    const std::size_t low = at > width ? at - width : 0;
    const auto newline = text_.substr(low, at - low).rfind('\n');
    r.begin = static_cast<Offset>(newline == std::string_view::npos ? low : low + newline + 1);
    r.exact_begin = newline != std::string_view::npos || low == 0;
    const std::size_t high = std::min(text_.size(), std::size_t{at} + width);
    const auto next = text_.substr(at, high - at).find('\n');
    r.end = static_cast<Offset>(next == std::string_view::npos ? high : at + next + 1);
    r.exact_end = next != std::string_view::npos || high == text_.size();
    while (!r.exact_begin && is_continuation(text_, r.begin)) ++r.begin;
    while (!r.exact_end && is_continuation(text_, r.end)) ++r.end;
    UErrorCode status = U_ZERO_ERROR;
    UText utext = UTEXT_INITIALIZER;
    utext_openUTF8(&utext, text_.data() + r.begin, static_cast<int64_t>(r.end - r.begin), &status);
    iterator_.setText(&utext, status);
    utext_close(&utext);
    if (U_FAILURE(status)) {
      throw Error(ErrorCode::kInternal,
                  std::string("snippets: ICU could not read the text: ") + u_errorName(status));
    }
    for (int32_t b = iterator_.first(); b != icu::BreakIterator::DONE; b = iterator_.next()) {
      r.bounds.push_back(static_cast<Offset>(r.begin + static_cast<Offset>(b)));
    }
    if (r.bounds.empty() || r.bounds.front() != r.begin) r.bounds.insert(r.bounds.begin(), r.begin);
    if (r.bounds.back() != r.end) r.bounds.push_back(r.end);
    return r;
  }

  icu::BreakIterator& iterator_;
  std::string_view text_;
  std::vector<Region> regions_;
};

// Turns chosen text ranges into Snippets: collapses white space, trims long sentences to a
// window around their matches, joins short neighbours, adds "…" and highlight ranges.
class PassageBuilder {
 public:
  PassageBuilder(std::string_view text, SentenceFinder& sentences,
                 const std::vector<Match>& matches, const std::vector<double>& weights,
                 std::size_t max_bytes, std::string& collapsed, std::vector<Offset>& source)
      : text_(text),
        sentences_(sentences),
        matches_(matches),
        weights_(weights),
        max_bytes_(max_bytes),
        ellipsis_(max_bytes > 2 * kEllipsisBytes ? kEllipsisBytes : 0),
        collapsed_(collapsed),
        source_(source) {
    text_begin_ = skip_space_forward(text, 0, static_cast<Offset>(text.size()));
    text_end_ = skip_space_back(text, text_begin_, static_cast<Offset>(text.size()));
  }

  bool empty() const { return text_begin_ == text_end_; }

  // Whether text[raw_begin, raw_end) fits one passage whole.
  bool fits(Offset raw_begin, Offset raw_end) const {
    const Offset s = skip_space_forward(text_, raw_begin, raw_end);
    const Offset e = skip_space_back(text_, s, raw_end);
    return (s > text_begin_ ? ellipsis_ : 0) + collapsed_size(text_, s, e) <= max_bytes_;
  }

  // The sentence (raw ICU boundaries) holding [begin, end).
  std::pair<Offset, Offset> sentence(Offset begin, Offset end) {
    auto [s, e] = sentences_.around(begin);
    while (e < end) e = following(e);
    for (int guard = 0; guard < 4 && s > 0 && ends_with_initials(text_, s); ++guard) {
      s = preceding(s);
    }
    for (int guard = 0; guard < 4 && e < text_.size() && ends_with_initials(text_, e); ++guard) {
      e = following(e);
    }
    return {s, e};
  }

  // The passage for the sentence(s) [raw_begin, raw_end), which may grow over neighbouring
  // sentences within [low, high). Returns the raw range used (for the next passage's `low`).
  Offset build(Offset raw_begin, Offset raw_end, Offset low, Offset high,
               std::vector<Snippet>& out) {
    Offset s = skip_space_forward(text_, raw_begin, raw_end);
    Offset e = skip_space_back(text_, s, raw_end);
    if (s == e) return raw_end;
    bool lead = s > text_begin_;
    std::size_t size = collapsed_size(text_, s, e);
    if ((lead ? ellipsis_ : 0) + size <= max_bytes_) {
      // Short: join whole neighbouring sentences of the same paragraph while they fit, next
      // first (across a line break they would drag in headings and bylines).
      bool grew = true;
      while (grew) {
        grew = false;
        if (raw_end < text_end_ && raw_end < high) {
          const Offset next_end = following(raw_end);
          const Offset ns = skip_space_forward(text_, raw_end, next_end);
          const Offset ne = skip_space_back(text_, ns, next_end);
          const std::size_t grown = size + 1 + collapsed_size(text_, ns, ne);
          if (next_end <= high && !breaks_line(e, ns) &&
              (lead ? ellipsis_ : 0) + grown <= max_bytes_) {
            raw_end = next_end;
            if (ne > ns) e = ne;
            size = grown;
            grew = true;
          }
        }
        if (raw_begin > text_begin_ && raw_begin > low) {
          const Offset previous_begin = preceding(raw_begin);
          const Offset ps = skip_space_forward(text_, previous_begin, raw_begin);
          const Offset pe = skip_space_back(text_, ps, raw_begin);
          const std::size_t grown = size + 1 + collapsed_size(text_, ps, pe);
          const bool grown_lead = ps > text_begin_;
          if (previous_begin >= low && !breaks_line(pe, s) &&
              (grown_lead ? ellipsis_ : 0) + grown <= max_bytes_) {
            raw_begin = previous_begin;
            if (pe > ps) s = ps;
            lead = grown_lead;
            size = grown;
            grew = true;
          }
        }
      }
      collapse(s, e);
      emit(0, collapsed_.size(), lead, false, out);
      return raw_end;
    }
    collapse(s, e);
    window(s > text_begin_, out);
    return raw_end;
  }

 private:
  bool breaks_line(Offset begin, Offset end) const {
    const auto gap = text_.substr(begin, end - begin);
    return gap.find_first_of("\n\r") != std::string_view::npos ||
           gap.find("\u2029") != std::string_view::npos;
  }

  Offset following(Offset at) { return sentences_.following(at); }
  Offset preceding(Offset at) { return sentences_.preceding(at); }

  // collapsed_ = text[s, e) with white-space runs as one ' '; source_ maps bytes back.
  void collapse(Offset s, Offset e) {
    collapsed_.clear();
    source_.clear();
    for (std::size_t i = s; i < e;) {
      if (const auto n = space_length(text_, i); n != 0) {
        // [s, e) is trimmed, so a run is always between two other characters.
        collapsed_ += ' ';
        source_.push_back(static_cast<Offset>(i));
        i += n;
        while (i < e) {
          const auto m = space_length(text_, i);
          if (m == 0) break;
          i += m;
        }
        continue;
      }
      collapsed_ += text_[i];
      source_.push_back(static_cast<Offset>(i));
      ++i;
    }
    source_.push_back(e);
    // Matches inside [s, e), in collapsed coordinates.
    local_.clear();
    auto it = std::lower_bound(matches_.begin(), matches_.end(), s,
                               [](const Match& m, Offset at) { return m.begin < at; });
    for (; it != matches_.end() && it->begin < e; ++it) {
      if (it->end > e) continue;
      local_.push_back({to_collapsed(it->begin), to_collapsed(it->end), it->unit});
    }
  }

  Offset to_collapsed(Offset at) const {
    return static_cast<Offset>(std::lower_bound(source_.begin(), source_.end(), at) -
                               source_.begin());
  }

  // A long sentence: the window of collapsed_ around its best cluster of matches, cut at
  // spaces (or, in unspaced scripts, at character boundaries).
  void window(bool need_lead, std::vector<Snippet>& out) {
    const std::size_t size = collapsed_.size();
    const std::size_t room = max_bytes_ > 2 * ellipsis_ ? max_bytes_ - 2 * ellipsis_ : max_bytes_;
    std::size_t span_begin = 0;
    std::size_t span_end = 0;
    if (!local_.empty()) {
      // The run of matches within `room` bytes with the most distinct weight.
      double best = -1;
      seen_.assign(weights_.size(), 0);
      for (std::size_t i = 0; i < local_.size(); ++i) {
        std::fill(seen_.begin(), seen_.end(), 0);
        double score = 0;
        std::size_t end = local_[i].begin;
        for (std::size_t j = i; j < local_.size(); ++j) {
          if (local_[j].end - local_[i].begin > room && j > i) break;
          end = std::max<std::size_t>(end, local_[j].end);
          const auto unit = static_cast<std::size_t>(local_[j].unit);
          if (seen_[unit] == 0) score += weights_[unit];
          seen_[unit] = 1;
        }
        if (score > best) {
          best = score;
          span_begin = local_[i].begin;
          span_end = end;
        }
      }
      if (span_end - span_begin > room) span_end = floor_char(span_begin + room);
    }
    const std::size_t slack = room - (span_end - span_begin);
    std::size_t a = span_begin - std::min(span_begin, slack / 3);
    const std::size_t b0 = std::min(size, a + room);
    if (b0 - a < room) a = b0 > room ? b0 - room : 0;
    a = std::min(a, span_begin);
    // Cut at spaces (start just after one, end just before one); text without any (CJK) is
    // cut at character boundaries instead.
    const bool spaced = collapsed_.find(' ') != std::string::npos;
    if (a > 0) {
      std::size_t p = a;
      while (p < span_begin && collapsed_[p - 1] != ' ') ++p;
      a = spaced ? p : a;
      while (is_continuation(collapsed_, a)) ++a;
    }
    const bool lead = need_lead || a > 0;
    std::size_t budget = max_bytes_ - (lead ? ellipsis_ : 0);
    std::size_t b = size;
    bool trail = false;
    if (size - a > budget) {
      trail = true;
      budget -= ellipsis_;
      b = a + budget;
      std::size_t p = b;
      while (p > span_end && collapsed_[p] != ' ') --p;
      if (collapsed_[p] == ' ') {
        b = p;
      } else {
        b = spaced ? span_end : std::max(span_end, floor_char(b));
      }
      while (b > span_end && (collapsed_[b - 1] == ' ' || collapsed_[b - 1] == ',' ||
                              collapsed_[b - 1] == ';' || collapsed_[b - 1] == ':')) {
        --b;
      }
    }
    if (b <= a) return;
    emit(a, b, lead, trail, out);
  }

  std::size_t floor_char(std::size_t at) const {
    at = std::min(at, collapsed_.size());
    while (at > 0 && is_continuation(collapsed_, at)) --at;
    return at;
  }

  void emit(std::size_t a, std::size_t b, bool lead, bool trail, std::vector<Snippet>& out) {
    Snippet snippet;
    const std::size_t shift = lead && ellipsis_ != 0 ? kEllipsis.size() : 0;
    if (shift != 0) snippet.text = kEllipsis;
    snippet.text.append(collapsed_, a, b - a);
    if (trail && ellipsis_ != 0) snippet.text += kEllipsis;
    for (const auto& m : local_) {
      if (m.begin < a || m.end > b) continue;
      const std::size_t hb = m.begin - a + shift;
      const std::size_t he = m.end - a + shift;
      if (!snippet.highlights.empty() && hb < snippet.highlights.back().end) {
        snippet.highlights.back().end = std::max(snippet.highlights.back().end, he);
      } else {
        snippet.highlights.push_back({hb, he});
      }
    }
    out.push_back(std::move(snippet));
  }

  std::string_view text_;
  SentenceFinder& sentences_;
  const std::vector<Match>& matches_;
  const std::vector<double>& weights_;
  std::size_t max_bytes_;
  std::size_t ellipsis_;
  std::string& collapsed_;
  std::vector<Offset>& source_;
  Offset text_begin_ = 0;
  Offset text_end_ = 0;
  std::vector<Match> local_;
  std::vector<char> seen_;
};

// Set by make_with_full_scan(): make() analyses every word of the text.
thread_local bool force_full_scan = false;

double sanitise(double weight) {
  return (weight > 0 && weight < std::numeric_limits<double>::infinity()) ? weight : 0.0;
}

// The query's units, interned in `vocabulary` (marked with their unit numbers).
QueryUnits query_units(Vocabulary& vocabulary, const HighlightTerms& terms) {
  QueryUnits q;
  vocabulary.begin_marks();
  double total = 0;
  std::size_t weighted = 0;
  const auto add_unit = [&](const std::string& term, double weight, bool alone) {
    const auto index = vocabulary.intern(term);
    std::int32_t unit = vocabulary.unit_of(index);
    if (unit < 0) {
      unit = static_cast<std::int32_t>(q.weights.size());
      vocabulary.mark(index, unit);
      q.terms.push_back(&term);
      q.weights.push_back(weight);
      q.standalone.push_back(alone ? 1 : 0);
    } else if (alone) {
      q.weights[static_cast<std::size_t>(unit)] = weight;
      q.standalone[static_cast<std::size_t>(unit)] = 1;
    }
    return unit;
  };
  for (const auto& [term, weight] : terms.terms) {
    if (term.empty()) continue;
    add_unit(term, sanitise(weight), true);
    total += sanitise(weight);
    ++weighted;
  }
  // A phrase word without a weight of its own weighs like an average query term.
  const double default_weight =
      (weighted > 0 && total > 0) ? total / static_cast<double>(weighted) : 1.0;
  for (const auto& phrase : terms.phrases) {
    std::vector<std::int32_t> units;
    for (const auto& word : phrase) {
      if (!word.empty()) units.push_back(add_unit(word, default_weight, false));
    }
    if (!units.empty()) q.phrases.push_back(std::move(units));
  }
  q.term_units = q.weights.size();
  for (const auto& phrase : q.phrases) {
    double weight = 0;
    for (const auto unit : phrase) {
      const auto u = static_cast<std::size_t>(unit);
      weight += q.standalone[u] != 0 ? q.weights[u] : default_weight;
    }
    q.weights.push_back(weight);
  }
  return q;
}

// Candidates: the sentences of the best-placed matches. A cheap sliding window ranks the matches
// first (distinct weight within max_bytes), so that ICU segments only the neighbourhoods worth
// showing, not a whole long text full of matches. `count_words(begin, end)`: the words in
// text[begin, end), for the density.
template <class CountWords>
std::vector<Candidate> rank_candidates(const std::vector<Match>& matches,
                                       const std::vector<double>& weights, PassageBuilder& builder,
                                       const SnippetOptions& options,
                                       const CountWords& count_words) {
  std::vector<Candidate> candidates;
  const std::size_t radius = options.max_bytes / 2;
  std::vector<double> window(matches.size(), 0);
  std::vector<std::size_t> count(weights.size(), 0);
  double sum = 0;
  std::size_t low = 0;
  std::size_t high = 0;
  for (std::size_t m = 0; m < matches.size(); ++m) {
    for (; high < matches.size() && matches[high].begin <= matches[m].begin + radius; ++high) {
      const auto u = static_cast<std::size_t>(matches[high].unit);
      if (count[u]++ == 0) sum += weights[u];
    }
    for (; matches[low].begin + radius < matches[m].begin; ++low) {
      const auto u = static_cast<std::size_t>(matches[low].unit);
      if (--count[u] == 0) sum -= weights[u];
    }
    window[m] = sum + 0.01 * static_cast<double>(high - low);
  }
  std::vector<std::size_t> order(matches.size());
  for (std::size_t m = 0; m < order.size(); ++m) order[m] = m;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return window[x] > window[y]; });
  const std::size_t most = std::max<std::size_t>(8, options.passages * 4);
  for (const auto m : order) {
    if (candidates.size() >= most) break;
    const bool known = std::any_of(candidates.begin(), candidates.end(), [&](const auto& c) {
      return matches[m].begin >= c.begin && matches[m].begin < c.end;
    });
    if (known) continue;
    // A phrase may run over a sentence break: the candidate then spans both sentences.
    const auto [begin, end] = builder.sentence(matches[m].begin, matches[m].end);
    candidates.push_back({begin, end, 0, 0, false});
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& x, const Candidate& y) { return x.begin < y.begin; });
  // Overlaps (from phrases over sentence breaks, initials) merge into one candidate.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (kept > 0 && candidates[i].begin < candidates[kept - 1].end) {
      candidates[kept - 1].end = std::max(candidates[kept - 1].end, candidates[i].end);
    } else {
      candidates[kept++] = candidates[i];
    }
  }
  candidates.resize(kept);
  const auto by_begin = [](const Match& x, Offset at) { return x.begin < at; };
  for (auto& c : candidates) {
    c.first = static_cast<std::size_t>(
        std::lower_bound(matches.begin(), matches.end(), c.begin, by_begin) - matches.begin());
    c.last = static_cast<std::size_t>(
        std::lower_bound(matches.begin(), matches.end(), c.end, by_begin) - matches.begin());
    c.words = count_words(c.begin, c.end);
  }
  return candidates;
}

// Greedy choice: best score first; terms already shown count less in later passages. Chosen
// sentences that are neighbours and fit together make one passage. Builds the passages into
// `out`.
void choose_passages(std::vector<Candidate>& candidates, const std::vector<Match>& matches,
                     const std::vector<double>& weights, PassageBuilder& builder,
                     std::string_view text, const SnippetOptions& options,
                     std::vector<Snippet>& out) {
  std::vector<double> factor(weights.size(), 1.0);
  std::vector<char> seen(weights.size(), 0);
  const auto score = [&](const Candidate& c) {
    std::fill(seen.begin(), seen.end(), 0);
    double sum = 0;
    double repeats = 0;
    int repeat_count = 0;
    for (std::size_t m = c.first; m < c.last; ++m) {
      const auto u = static_cast<std::size_t>(matches[m].unit);
      const double w = weights[u] * factor[u];
      if (seen[u] == 0) {
        seen[u] = 1;
        sum += w;
      } else if (repeat_count < kMaxRepeats) {
        repeats += w;
        ++repeat_count;
      }
    }
    const double density =
        std::min(1.0, static_cast<double>(c.last - c.first) /
                          static_cast<double>(std::max<std::size_t>(1, c.words)));
    return sum * (1 + kDensityBonus * density) + kRepeatBonus * repeats;
  };
  std::vector<std::size_t> chosen;
  std::vector<std::pair<Offset, Offset>> groups;
  const auto group = [&] {
    groups.clear();
    std::vector<std::size_t> order = chosen;
    std::sort(order.begin(), order.end());
    for (const auto i : order) {
      const auto& c = candidates[i];
      if (!groups.empty() && skip_space_forward(text, groups.back().second, c.begin) == c.begin &&
          builder.fits(groups.back().first, c.end)) {
        groups.back().second = c.end;
      } else {
        groups.emplace_back(c.begin, c.end);
      }
    }
  };
  const std::size_t most = options.passages * 8;  // bounds the work on texts full of matches
  while (groups.size() < options.passages && chosen.size() < most) {
    double best = -1;
    std::size_t pick = candidates.size();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (candidates[i].chosen) continue;
      const double value = score(candidates[i]);
      if (value > best) {
        best = value;
        pick = i;
      }
    }
    if (pick == candidates.size()) break;
    candidates[pick].chosen = true;
    chosen.push_back(pick);
    for (std::size_t m = candidates[pick].first; m < candidates[pick].last; ++m) {
      factor[static_cast<std::size_t>(matches[m].unit)] = kShownFactor;
    }
    group();
  }

  Offset low = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Offset high =
        i + 1 < groups.size() ? groups[i + 1].first : static_cast<Offset>(text.size());
    low = builder.build(groups[i].first, groups[i].second, low, high, out);
  }
}

}  // namespace

void SnippetMaker::Impl::find_matches(std::string_view text, Vocabulary& vocabulary,
                                      const QueryUnits& query, bool fast, bool keep_case) {
  tokens.clear();
  matches.clear();
  const auto& phrases = query.phrases;
  const auto add_token = [&](Offset begin, Offset end, std::uint32_t index) {
    tokens.push_back({begin, end, vocabulary.unit_of(index)});
  };
  // Matches among `tokens`, which must be consecutive words of the text; a phrase starting at
  // a token needs its following words among them too.
  const auto match_tokens = [&] {
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const auto unit = tokens[k].unit;
      if (unit < 0) continue;
      if (query.standalone[static_cast<std::size_t>(unit)] != 0) {
        matches.push_back({tokens[k].begin, tokens[k].end, unit});
      }
      for (std::size_t p = 0; p < phrases.size(); ++p) {
        const auto& phrase = phrases[p];
        if (phrase.front() != unit || k + phrase.size() > tokens.size()) continue;
        bool whole = true;
        for (std::size_t w = 1; w < phrase.size() && whole; ++w)
          whole = tokens[k + w].unit == phrase[w];
        if (whole) {
          matches.push_back({tokens[k].begin, tokens[k + phrase.size() - 1].end,
                             static_cast<std::int32_t>(query.term_units + p)});
        }
      }
    }
  };
  if (!fast) {
    for_each_word(text, vocabulary, add_token);
    match_tokens();
    return;
  }
  if (query.term_units == 0) return;
  prefilter.clear();
  for (const auto* word : query.terms) prefilter.add(*word);
  chunks.clear();
  prefilter.candidates(
      text, [this](unsigned cp, std::string_view bytes) { return transparent(cp, bytes); }, chunks);
  // The longest phrase starting with each unit: a segment whose last words may start one grows
  // until the phrase's words are all in it.
  std::vector<std::size_t> phrase_from(query.term_units, 0);
  std::size_t longest = 0;
  for (const auto& phrase : phrases) {
    auto& from = phrase_from[static_cast<std::size_t>(phrase.front())];
    from = std::max(from, phrase.size());
    longest = std::max(longest, phrase.size());
  }
  const auto needs_more = [&] {
    const std::size_t n = tokens.size();
    for (std::size_t k = n > longest ? n - longest : 0; k < n; ++k) {
      if (tokens[k].unit >= 0 && k + phrase_from[static_cast<std::size_t>(tokens[k].unit)] > n) {
        return true;
      }
    }
    return false;
  };
  // Candidates this close together are analysed as one segment, gap included (cheaper than one
  // analysis per chunk).
  constexpr Offset kJoinGap = 48;
  const auto size = static_cast<Offset>(text.size());
  for (std::size_t c = 0; c < chunks.size();) {
    const Offset begin = chunks[c].first;
    Offset end = chunks[c].second;
    for (++c; c < chunks.size() && chunks[c].first - end <= kJoinGap; ++c) {
      end = chunks[c].second;
    }
    tokens.clear();
    for_each_word_in(text, begin, end, keep_case, vocabulary, add_token);
    while (end < size && needs_more()) {
      Offset next = end;
      while (next < size && is_ascii_space(text[next])) ++next;
      Offset next_end = next;
      while (next_end < size && !is_ascii_space(text[next_end])) ++next_end;
      for_each_word_in(text, next, next_end, keep_case, vocabulary, add_token);
      end = next_end;
      while (c < chunks.size() && chunks[c].first < end) ++c;
    }
    match_tokens();
  }
}

std::vector<Snippet> SnippetMaker::make(std::string_view text, std::string_view language,
                                        const HighlightTerms& terms,
                                        const SnippetOptions& options) {
  std::vector<Snippet> out;
  if (options.passages == 0 || options.max_bytes == 0 || text.empty()) return out;
  auto& impl = *impl_;
  auto& vocabulary = impl.vocabulary(language);
  auto& sentences = impl.sentences(language);
  const auto units = query_units(vocabulary, terms);

  Impl::check_size(text);
  const bool fast = !force_full_scan && vocabulary.keeps_prefixes();
  const bool keep_case = fast && folds_bytewise(text);
  impl.find_matches(text, vocabulary, units, fast, keep_case);
  const auto& tokens = impl.tokens;
  const auto& matches = impl.matches;
  // Words in text[begin, end) (the density of a candidate sentence).
  const auto count_words = [&](Offset begin, Offset end) -> std::size_t {
    if (!fast) {
      const auto by_begin = [](const Token& t, Offset at) { return t.begin < at; };
      return static_cast<std::size_t>(
          std::lower_bound(tokens.begin(), tokens.end(), end, by_begin) -
          std::lower_bound(tokens.begin(), tokens.end(), begin, by_begin));
    }
    std::size_t from = begin;
    while (from > 0 && !is_ascii_space(text[from - 1])) --from;
    std::size_t to = end;
    while (to < text.size() && !is_ascii_space(text[to])) ++to;
    std::size_t count = 0;
    impl.for_each_word_in(text, from, to, keep_case, vocabulary,
                          [&](Offset word, Offset, std::uint32_t) {
                            if (word >= begin && word < end) ++count;
                          });
    return count;
  };

  SentenceFinder finder(sentences, text);
  PassageBuilder builder(text, finder, matches, units.weights, options.max_bytes, impl.collapsed,
                         impl.source);
  if (builder.empty()) return out;
  if (matches.empty()) {
    const auto [s, e] = builder.sentence(0, 0);
    builder.build(s, e, 0, static_cast<Offset>(text.size()), out);
    return out;
  }
  auto candidates = rank_candidates(matches, units.weights, builder, options, count_words);
  choose_passages(candidates, matches, units.weights, builder, text, options, out);
  return out;
}

// Test hook (declared again by the tests, not in the header): make() with the fast path off,
// so that a test can prove that the prefilter never changes the output.
std::vector<Snippet> make_with_full_scan(SnippetMaker& maker, std::string_view text,
                                         std::string_view language, const HighlightTerms& terms,
                                         const SnippetOptions& options);

std::vector<Snippet> make_with_full_scan(SnippetMaker& maker, std::string_view text,
                                         std::string_view language, const HighlightTerms& terms,
                                         const SnippetOptions& options) {
  struct Restore {
    ~Restore() { force_full_scan = false; }
  } restore;
  force_full_scan = true;
  return maker.make(text, language, terms, options);
}

}  // namespace dossier::detail
