// Author names: byline splitting, name cleaning and non-name rejection by hand-written scanning.
#include "metadata/authors.hpp"
#include "text/ascii.hpp"
#include "text/utf8.hpp"

#include <dossier/text.hpp>

#include <unicode/uchar.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dossier::detail {
namespace {

// ---------------------------------------------------------------------------------------------
// Bytes, code points and words.

bool is_ascii_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}
bool is_ascii_lower(char c) noexcept {
  return c >= 'a' && c <= 'z';
}
bool is_ascii_alpha(char c) noexcept {
  return is_ascii_upper(c) || is_ascii_lower(c);
}
bool is_ascii_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

std::string_view trim_view(std::string_view s) noexcept {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// Position of `needle` (ASCII, any case) in `s`, or npos.

// Decodes one UTF-8 sequence at `i`; malformed bytes decode as U+FFFD of length 1, so scanning
// always advances. Inputs here are short names, and only case decisions depend on the result.

bool is_letter(char32_t cp) noexcept {
  return u_isalpha(static_cast<UChar32>(cp)) != 0;
}
bool is_lower(char32_t cp) noexcept {
  return u_islower(static_cast<UChar32>(cp)) != 0;
}
bool is_upper(char32_t cp) noexcept {
  return u_isupper(static_cast<UChar32>(cp)) != 0 || u_istitle(static_cast<UChar32>(cp)) != 0;
}

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_ascii_space(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && !is_ascii_space(s[i])) ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

std::string join_words(const std::vector<std::string_view>& words) {
  std::string out;
  for (const auto w : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  }
  return out;
}

// A word reduced to a lookup key: ASCII lower case, periods dropped ("Ph.D." -> "phd").
// Returns "" for words that are too long to be in any of the tables below.
std::string key_of(std::string_view word) {
  std::string key;
  if (word.size() > 24) return key;
  for (const char c : word) {
    if (c != '.') key.push_back(ascii_lower(c));
  }
  return key;
}

template <std::size_t N>
bool in_table(const std::string_view (&table)[N], std::string_view key) noexcept {
  return std::find(std::begin(table), std::end(table), key) != std::end(table);
}

// ---------------------------------------------------------------------------------------------
// Word tables (keys as produced by key_of).

// Titles before a name. Short forms that are also surnames or given names ("Sen", "Hon", "Gen",
// "Col") count only when written with a period or in capitals.
constexpr std::string_view kHonorifics[] = {
    "dr",      "doctor",   "prof",     "professor", "amb",        "ambassador",
    "mr",      "mrs",      "ms",       "mx",        "honorable",  "honourable",
    "admiral", "colonel",  "captain",  "commander", "lieutenant", "sergeant",
    "senator", "governor", "reverend", "sir",       "dame",       "representative",
    "general", "president"};
constexpr std::string_view kDottedHonorifics[] = {
    "gen", "hon", "sen", "rep",  "col",  "gov", "rev", "lt", "maj", "capt", "cmdr", "cdr",  "sgt",
    "adm", "he",  "rt",  "radm", "vadm", "ltg", "ltc", "mg", "bg",  "cpt",  "pres", "insp", "supt"};
// Degrees, post-nominals and service suffixes after a name.
constexpr std::string_view kDegrees[] = {
    "phd", "dphil", "md",   "jd",   "mba",  "mpa",  "mph", "mpp", "ma",  "msc",
    "bsc", "ba",    "bs",   "llm",  "llb",  "edd",  "esq", "cpa", "rn",  "psyd",
    "dds", "do",    "mfa",  "facp", "facs", "obe",  "cbe", "mbe", "kbe", "frs",
    "ret", "usn",   "usmc", "usaf", "usa",  "retd", "qc",  "kc"};
// Generational suffixes are part of the name and are kept.
constexpr std::string_view kSuffixes[] = {"jr", "sr", "ii", "iii", "iv"};
// Lower-case name particles ("Ursula von der Leyen", "Luiz Inácio Lula da Silva").
constexpr std::string_view kParticles[] = {
    "von", "van", "der", "den", "de",  "del",  "della", "di",  "da", "das", "dos", "do", "du",
    "la",  "le",  "ter", "ten", "bin", "bint", "binti", "ibn", "al", "el",  "y",   "zu"};
// Words that mark a job title or affiliation rather than a name ("Senior Fellow at ASPI").
// Common surnames ("Dean", "Head", "Chief", "Partner") are deliberately absent.
constexpr std::string_view kAffiliationWords[] = {
    "fellow",        "fellows",       "director",    "directors",    "president",
    "vice",          "professor",     "senior",      "chair",        "chairman",
    "chairwoman",    "chairperson",   "analyst",     "researcher",   "research",
    "editor",        "editors",       "contributor", "contributing", "associate",
    "assistant",     "adjunct",       "visiting",    "nonresident",  "non-resident",
    "manager",       "officer",       "coordinator", "scholar",      "intern",
    "lecturer",      "founder",       "co-founder",  "cofounder",    "executive",
    "ceo",           "deputy",        "program",     "programme",    "blogger",
    "correspondent", "reporter",      "columnist",   "writer",       "advisor",
    "adviser",       "consultant",    "specialist",  "expert",       "staff",
    "student",       "candidate",     "secretary",   "former",       "emeritus",
    "emerita",       "distinguished", "at",          "of",           "guest",
    "economist",     "journalist"};
// Words that make a phrase an organisation or place, not a person ("International Studies").
constexpr std::string_view kOrganisationWords[] = {
    "institute",  "institution",  "center",       "centre",     "foundation",     "university",
    "college",    "school",       "council",      "society",    "association",    "department",
    "ministry",   "agency",       "office",       "committee",  "commission",     "corporation",
    "company",    "inc",          "llc",          "ltd",        "group",          "project",
    "initiative", "studies",      "affairs",      "policy",     "security",       "international",
    "relations",  "news",         "journal",      "review",     "magazine",       "network",
    "forum",      "organization", "organisation", "government", "administration", "program",
    "programme",  "net",          "fund",         "endowment",  "bureau",         "lab",
    "labs",       "laboratory",   "laboratories", "times",      "institutes",     "centers",
    "navy",       "army"};
// Acronyms of institutions that bylines put after a name ("CUTLER, ASPI"). In an all-caps byline
// nothing else tells them from a given name, so "THOMAS, CSIS" would read as "Csis Thomas".
// Only acronyms that are nobody's given name: RAND is absent ("PAUL, RAND").
constexpr std::string_view kInstitutionAcronyms[] = {
    "aspi",  "csis",  "cfr",   "aei",  "cnas", "iiss", "rusi",  "ecfr", "piie",
    "csba",  "gmf",   "ceip",  "usip", "sais", "orf",  "idsa",  "kdi",  "nbr",
    "iseas", "sipri", "ifri",  "swp",  "odi",  "ippr", "nato",  "un",   "eu",
    "imf",   "oecd",  "asean", "apec", "wto",  "nsc",  "merics"};

// "Post" is a surname ("Jerrold Post") as well as a masthead; it marks an organisation only
// after one of these words ("Washington Post") or in a phrase starting with "The".
constexpr std::string_view kPostMastheads[] = {
    "washington", "jerusalem", "huffington", "national", "morning", "denver",  "bangkok",
    "kathmandu",  "jakarta",   "himalayan",  "daily",    "sunday",  "evening", "financial"};
constexpr std::string_view kWeekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                          "friday", "saturday", "sunday"};
constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};
constexpr std::string_view kMonthAbbreviations[] = {
    "jan", "feb", "mar", "apr", "jun",  "jul", "aug", "sep",  "sept",  "oct",
    "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri"};
// Whole strings that scrapers pick up from share bars, placeholders and site chrome.
constexpr std::string_view kNonNames[] = {
    // Roles and placeholders.
    "staff", "admin", "administrator", "editor", "editors", "editor(s)", "the editors", "guest",
    "anonymous", "contributor", "contributors", "guest author", "guest contributor",
    "guest blogger", "staff writer", "staff writers", "editorial staff", "editorial board",
    "editorial team", "no author", "unknown", "unknown author", "none", "n/a", "na", "null", "by",
    "author", "authors",
    // Page furniture.
    "follow", "share", "tweet", "email", "e-mail", "print", "read more", "subscribe", "comments",
    "comment", "search", "menu", "home", "login", "sign in"};
// Prefixes of share-bar and call-to-action strings ("Share on Twitter", "Follow @ASPI").
constexpr std::string_view kNonNamePrefixes[] = {"share ",   "follow ",   "subscribe ",
                                                 "sign up",  "read more", "view all",
                                                 "see all ", "more by ",  "posted "};
// First words that make a "By ..." line prose rather than a byline ("By the end of 2025").
constexpr std::string_view kProseStarters[] = {
    "the",  "a",        "an",         "this",   "that",       "these",   "those",  "then",
    "now",  "contrast", "comparison", "far",    "all",        "most",    "some",   "many",
    "no",   "not",      "its",        "his",    "her",        "their",   "our",    "my",
    "your", "way",      "law",        "design", "definition", "default", "chance", "accident",
    "mid",  "late",     "early",      "next",   "last",       "using",   "making", "itself"};

bool is_weekday_or_month(std::string_view key) noexcept {
  return in_table(kWeekdays, key) || in_table(kMonths, key) || in_table(kMonthAbbreviations, key);
}

bool has_period(std::string_view word) noexcept {
  return word.find('.') != std::string_view::npos;
}

// True when every ASCII letter of `word` is upper case and it has at least two letters.
bool all_caps_word(std::string_view word) noexcept {
  std::size_t letters = 0;
  for (const char c : word) {
    if (is_ascii_lower(c)) return false;
    if (is_ascii_upper(c)) ++letters;
  }
  return letters >= 2;
}

// "ASPI", "CSIS", "RAND", "UN": two to eight ASCII capitals and nothing else. In a byline that
// is not written in capitals throughout, such a token is an institution, not a person.
bool is_acronym(std::string_view word) noexcept {
  return word.size() >= 2 && word.size() <= 8 &&
         std::all_of(word.begin(), word.end(), is_ascii_upper);
}

bool is_honorific(std::string_view word) {
  const std::string key = key_of(word);
  if (in_table(kHonorifics, key)) return true;
  if (in_table(kDottedHonorifics, key)) {
    // "He" without periods is a surname ("He Lifeng"); "H.E." (His Excellency) is a title.
    if (key == "he") return word.size() == 4 && word[1] == '.' && word[3] == '.';
    return word.back() == '.' || all_caps_word(word);
  }
  return key == "the";  // "The Honorable ..."
}

bool is_degree(std::string_view word, bool name_all_caps) {
  const std::string key = key_of(word);
  if (!in_table(kDegrees, key)) return false;
  if (key == "phd" || key == "dphil" || key == "esq" || key == "ret" || key == "retd") return true;
  // "Jack Ma" keeps "Ma"; "Jane Doe MA" and "Jane Doe, M.A." lose it.
  return has_period(word) || (all_caps_word(word) && !name_all_caps);
}

bool is_suffix(std::string_view word) {
  return in_table(kSuffixes, key_of(word));
}

bool is_particle_word(std::string_view word) {
  // "al-Assad", "d'Estaing": a lower-case particle glued to the capitalised part.
  const std::size_t glue = word.find_first_of("-'");
  if (glue != std::string_view::npos && glue + 1 < word.size()) {
    const auto head = word.substr(0, glue);
    if (head.size() == 1 && is_ascii_lower(head[0])) return true;
    return in_table(kParticles, head);
  }
  return in_table(kParticles, word);
}

// First letter of a word (skipping opening quotes and brackets): true when it is upper or title
// case, or from a script without case (CJK, Arabic), false when lower case or absent.
bool starts_capitalised(std::string_view word) noexcept {
  for (std::size_t i = 0; i < word.size();) {
    const auto [cp, len] = decode_utf8(word, i);
    if (is_letter(cp)) return !is_lower(cp);
    if (cp == '"' || cp == '\'' || cp == '(' || cp == '[' || cp == 0x201C || cp == 0x2018 ||
        cp == 0xAB) {
      i += len;
      continue;
    }
    return false;
  }
  return false;
}

bool has_ascii_digit(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(), is_ascii_digit);
}

// True when `s` has a lower-case letter: only then can capitals mark an acronym ("Jane Doe,
// CSIS"); in "JANE DOE, JOHN SMITH" every name is in capitals.
bool has_lower_case(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, len] = decode_utf8(s, i);
    if (is_lower(cp)) return true;
    i += len;
  }
  return false;
}

// A phrase that names an institution: an organisation word ("Brookings Institution", "Asia
// Times", "Washington Post"), or a phrase starting with "The" ("The Diplomat").
bool is_institution_acronym(const std::vector<std::string_view>& words) {
  return words.size() == 1 && in_table(kInstitutionAcronyms, key_of(words.front()));
}

bool names_organisation(const std::vector<std::string_view>& words) {
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::string key = key_of(words[k]);
    if (in_table(kOrganisationWords, key)) return true;
    if (key == "post" && k > 0 && in_table(kPostMastheads, key_of(words[k - 1]))) return true;
  }
  // "The Honorable Jane Doe" is a person.
  return words.size() > 1 && key_of(words.front()) == "the" && !is_honorific(words[1]);
}

// A phrase that can stand alone as a person's name in a list: one to seven capitalised words (or
// particles), no digits, no job-title, organisation, weekday or month words, and (when
// `mixed_case`, see has_lower_case) not a lone acronym. Used to decide whether text after a
// comma starts a new name or continues the previous one's affiliation.
bool looks_like_name(std::string_view piece, bool mixed_case) {
  if (has_ascii_digit(piece) || piece.find('@') != std::string_view::npos) return false;
  const auto words = words_of(piece);
  if (words.empty() || words.size() > 7) return false;
  if (mixed_case && words.size() == 1 && is_acronym(words.front())) return false;
  if (is_institution_acronym(words) || names_organisation(words)) return false;
  for (const auto w : words) {
    const std::string key = key_of(w);
    if (in_table(kAffiliationWords, key)) return false;
    // Months are given names too ("April Ryan", "Theresa May"); only weekdays are excluded.
    if (in_table(kWeekdays, key)) return false;
    if (!starts_capitalised(w) && !is_particle_word(w)) return false;
  }
  return true;
}

// "Ph.D.", "Jr.", "MD", "PhD, MPH": text after a comma that belongs to the name before it.
bool is_postnominal_piece(std::string_view piece) {
  const auto words = words_of(piece);
  if (words.empty()) return false;
  return std::all_of(words.begin(), words.end(), [](std::string_view w) {
    return is_suffix(w) || is_degree(w, false) || in_table(kDegrees, key_of(w));
  });
}

// Text after a comma that positively describes the name before it: post-nominals, a job title
// or organisation ("Senior Fellow at CSIS", "Brookings Institution") or an acronym ("RAND").
// Dates and stray words are not evidence.
bool is_affiliation_piece(std::string_view piece, bool mixed_case) {
  if (is_postnominal_piece(piece)) return true;
  const auto words = words_of(piece);
  if (words.empty()) return false;
  if (mixed_case && words.size() == 1 && is_acronym(words.front())) return true;
  if (is_institution_acronym(words) || names_organisation(words)) return true;
  return std::any_of(words.begin(), words.end(),
                     [](std::string_view w) { return in_table(kAffiliationWords, key_of(w)); });
}

// "J", "J.", "H.C.", "J.-P.": an initial or a run of them, never a word ("JR", "UN").
bool is_initials(std::string_view word) noexcept {
  std::size_t letters = 0;
  for (const char c : word) {
    if (is_ascii_upper(c)) {
      ++letters;
    } else if (c != '.' && c != '-') {
      return false;
    }
  }
  return letters == 1 || (letters > 1 && has_period(word));
}

// The make-up of one side of "Last, First": how many words, how many of them are full words
// (not initials, particles, titles or "Jr."), and whether it is initials only ("C. A. R.").
struct NameShape {
  std::size_t words = 0;  // 0: not a plain name (see looks_like_name), or titles only
  std::size_t full = 0;
  bool initials_only = false;
};

NameShape shape_of(std::string_view piece, bool mixed_case) {
  NameShape shape;
  // Degrees win over initials: "Jane Doe, J.D." is not "J.D. Jane Doe".
  if (!looks_like_name(piece, mixed_case) || is_postnominal_piece(piece)) return shape;
  const auto words = words_of(piece);
  bool only_titles = true;
  bool initials_only = true;
  bool capitalised = false;
  for (const auto w : words) {
    // Dotted capitals are initials even where they spell a title or degree ("D.R.", "M.S.").
    const bool initial = is_initials(w);
    const bool title = !initial && is_honorific(w);
    // Capitalised particles count as particles here ("Von Der Groeben").
    const bool particle = is_particle_word(w) || in_table(kParticles, key_of(w));
    if (!initial && !title && !particle && !is_suffix(w)) ++shape.full;
    if (!title) only_titles = false;
    if (!initial && !title) initials_only = false;
    if (!initial && !title && starts_capitalised(w)) capitalised = true;
  }
  if (only_titles) return shape;
  // A surname that is also a particle ("Le", "Do", "Van"): the capitalised word is the name.
  if (shape.full == 0 && capitalised) shape.full = 1;
  shape.words = words.size();
  shape.initials_only = initials_only;
  return shape;
}

// ---------------------------------------------------------------------------------------------
// Cleaning.

// Copies `s` with white space runs (ASCII, no-break and typographic spaces) collapsed to one
// ASCII space, invisible format characters (zero-width space, BOM, word joiner) dropped, and the
// ends trimmed. Scraped bylines carry all of these ("\u200bNeil Bhatiya").
std::string collapse_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, len] = decode_utf8(s, i);
    const bool space = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
                       cp == '\v' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
                       cp == 0x205F || cp == 0x3000;
    const bool invisible = cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
                           cp == 0xFEFF || cp == 0xAD || (cp < 0x20 && !space) || cp == 0x7F;
    if (space) {
      pending_space = !out.empty();
    } else if (!invisible) {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

// Removes "(...)" and "[...]" groups: "(Ret.)", "(RAND)", "(@handle)".
std::string drop_brackets(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  int depth = 0;
  for (const char c : s) {
    if (c == '(' || c == '[') {
      ++depth;
    } else if ((c == ')' || c == ']') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out.push_back(c);
    }
  }
  return out;
}

// Length of an opening or closing decoration at the front (or back) of `s`: quotes, bullets,
// dashes and list punctuation, ASCII or typographic. 0 when none.
std::size_t decoration_front(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const char c = s.front();
  if (c == '"' || c == '\'' || c == '`' || c == '*' || c == '-' || c == ':' || c == ';' ||
      c == ',' || c == '.' || c == '#' || c == '>' || c == '_' || c == '~') {
    return 1;
  }
  const auto [cp, len] = decode_utf8(s, 0);
  if (cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == 0xAB || cp == 0xBB ||
      cp == 0x2022 || cp == 0xB7 || cp == 0x2013 || cp == 0x2014 || cp == 0x2026) {
    return len;
  }
  return 0;
}

std::size_t decoration_back(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const char c = s.back();
  if (c == '"' || c == '`' || c == '*' || c == ':' || c == ';' || c == ',' || c == '!' ||
      c == '?' || c == '-' || c == '_' || c == '~') {
    return 1;
  }
  // Closing typographic quotes and guillemets are 2- or 3-byte sequences ending the string.
  for (const std::string_view q : {"\xe2\x80\x9d", "\xe2\x80\x9c", "\xc2\xbb", "\xc2\xab",
                                   "\xe2\x80\xa6", "\xe2\x80\x94", "\xe2\x80\x93"}) {
    if (s.size() >= q.size() && s.substr(s.size() - q.size()) == q) return q.size();
  }
  return 0;
}

std::string_view strip_decoration(std::string_view s) noexcept {
  for (bool changed = true; changed;) {
    changed = false;
    s = trim_view(s);
    if (const std::size_t n = decoration_front(s); n > 0) {
      s.remove_prefix(n);
      changed = true;
    }
    if (const std::size_t n = decoration_back(s); n > 0) {
      s.remove_suffix(n);
      changed = true;
    }
    // A lone closing quote is part of the name only in "O'" forms, which never end a name.
    if (!s.empty() && s.back() == '\'') {
      s.remove_suffix(1);
      changed = true;
    }
  }
  return s;
}

// Cuts at the first affiliation separator: " | ", " - ", " – ", " — ", " • ", " · " or '|'.
std::string_view cut_separators(std::string_view s) noexcept {
  std::size_t cut = s.find('|');
  for (const std::string_view sep : {" - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " \xe2\x80\xa2 ",
                                     " \xc2\xb7 ", " \xe2\x80\x94", " \xe2\x80\x93"}) {
    cut = std::min(cut, s.find(sep));
  }
  return cut == std::string_view::npos ? s : s.substr(0, cut);
}

// "ThorningFriday" -> "Thorning": a weekday glued to the last name by a scraper that concatenated
// the byline with the date line.
std::string_view unglue_weekday(std::string_view word) noexcept {
  for (const std::string_view day :
       {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}) {
    if (word.size() > day.size() + 1 && word.substr(word.size() - day.size()) == day &&
        is_ascii_lower(word[word.size() - day.size() - 1])) {
      return word.substr(0, word.size() - day.size());
    }
  }
  return word;
}

bool name_is_all_caps(std::string_view s) noexcept {
  bool run = false;
  char32_t previous_upper = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, len] = decode_utf8(s, i);
    if (is_lower(cp)) return false;
    const bool upper = is_upper(cp);
    if (upper && previous_upper != 0) run = true;
    previous_upper = upper ? cp : 0;
    i += len;
  }
  return run;
}

// Title case per word: upper case after a non-letter (start, space, hyphen, apostrophe, period),
// lower case elsewhere. "O'HANLON" -> "O'Hanlon", "JAE-IN" -> "Jae-In", "JOSÉ" -> "José".
std::string title_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool at_start = true;
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, len] = decode_utf8(s, i);
    if (cp == 0xFFFD) {
      out.append(s.substr(i, len));
      at_start = true;
    } else if (is_letter(cp)) {
      const UChar32 mapped =
          at_start ? u_totitle(static_cast<UChar32>(cp)) : u_tolower(static_cast<UChar32>(cp));
      append_utf8(out, static_cast<char32_t>(mapped));
      at_start = false;
    } else {
      append_utf8(out, cp);
      at_start = true;
    }
    i += len;
  }
  return out;
}

bool has_letter(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, len] = decode_utf8(s, i);
    if (is_letter(cp)) return true;
    i += len;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Splitting.

enum class Delimiter { kStart, kComma, kCommaAnd, kAnd };

struct Piece {
  std::size_t begin = 0;
  std::size_t end = 0;
  Delimiter before = Delimiter::kStart;
};

// Length of "and"/"&" (any case) at `i` when it is a whole word followed by a space, else 0.
std::size_t conjunction_at(std::string_view s, std::size_t i) noexcept {
  for (const std::string_view word : {"and", "&"}) {
    if (i + word.size() < s.size() && iequals(s.substr(i, word.size()), word) &&
        is_ascii_space(s[i + word.size()])) {
      return word.size();
    }
  }
  return 0;
}

std::string_view strip_by(std::string_view s) noexcept {
  s = trim_view(s);
  if (s.size() > 2 && istarts_with(s, "by") && (is_ascii_space(s[2]) || s[2] == ':')) {
    s.remove_prefix(3);
    s = trim_view(s);
    if (!s.empty() && s.front() == ':') s = trim_view(s.substr(1));
  }
  return s;
}

// Splits `s` at the whole words "and"/"&"; one piece when there is none.
std::vector<std::string_view> split_conjunctions(std::string_view s) {
  std::vector<std::string_view> pieces;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_ascii_space(s[i])) continue;
    std::size_t j = i;
    while (j < s.size() && is_ascii_space(s[j])) ++j;
    if (const std::size_t n = conjunction_at(s, j); n > 0) {
      pieces.push_back(trim_view(s.substr(begin, i - begin)));
      begin = j + n;
      i = begin;
    }
  }
  pieces.push_back(trim_view(s.substr(begin)));
  return pieces;
}

// Whether `surname` and `given` are the two sides of one "Last, First" name. Alone, a comma is
// a list separator as often as not, so by default (no semicolons in the byline) the surname is
// one full word ("von der Leyen", "Cain Jr." count as one) and the given names are one or two
// words plus any initials and titles: "Cutler, Daniels, Thomas" and "Wendy Cutler, Rorry
// Daniels" stay lists. Initials alone cannot start a name, so after them a compound surname is
// safe ("Rodriguez Gil, F."). In a semicolon-separated byline (`reference_style`) commas
// separate nothing else, and either side may have up to three full words.
bool is_last_first(std::string_view surname, std::string_view given, bool reference_style,
                   bool mixed_case) {
  // Surnames are often capitalised in full ("DUPONT, Jean"); only the given names must not be
  // an acronym ("Cutler, ASPI").
  const NameShape last = shape_of(surname, false);
  const NameShape first = shape_of(given, mixed_case);
  if (last.full == 0 || first.words == 0 || first.words > 6 || last.full > 3) return false;
  if (first.full == 0 && !first.initials_only) return false;
  // "CUTLER, ASPI": a name and an institution, whatever the case.
  if (is_institution_acronym(words_of(given))) return false;
  // "Washington, D.C." is a place; "Blair, D.C." is a person.
  if (key_of(given) == "dc" && key_of(surname) == "washington") return false;
  if (reference_style) return first.full <= 3;
  return first.full <= 2 && (last.full == 1 || first.initials_only);
}

// Reference managers write "Last, First": "Smith, John A." -> "John A. Smith". `text` is one
// name without brackets or " | " affiliations: a surname, a comma and given names (see
// is_last_first), optionally followed by post-nominals or affiliations ("King, Martin Luther,
// Jr." -> "Martin Luther King, Jr."). Returns "" when `text` is not in that form.
std::string invert_last_first(std::string_view text, bool reference_style, bool mixed_case) {
  text = trim_view(text);
  const std::size_t comma = text.find(',');
  if (comma == std::string_view::npos) return {};
  const auto surname = trim_view(text.substr(0, comma));
  std::string_view rest = text.substr(comma + 1);
  const std::size_t next = rest.find(',');
  const auto given = trim_view(rest.substr(0, next));
  // Whatever follows the given names must describe the person, not name another one; empty
  // pieces are scraper debris ("Greniewski, M,").
  std::string_view tail = next == std::string_view::npos ? std::string_view{} : rest.substr(next);
  for (std::string_view t = tail; !t.empty();) {
    t.remove_prefix(1);  // the comma
    const std::size_t end = t.find(',');
    const auto piece = trim_view(t.substr(0, end));
    if (!piece.empty() && !is_affiliation_piece(piece, mixed_case)) return {};
    if (end == std::string_view::npos) break;
    t.remove_prefix(end);
  }
  if (!is_last_first(surname, given, reference_style, mixed_case)) return {};
  while (!tail.empty() && (tail.back() == ',' || is_ascii_space(tail.back()))) {
    tail.remove_suffix(1);
  }
  std::string out;
  out.reserve(text.size() + 1);
  out.append(given).push_back(' ');
  out.append(surname).append(tail);
  return out;
}

// "Bellman, R., Kagiwada, H.": surnames each followed by initials only, as bibliographies list
// authors. Appends "R. Bellman", "H. Kagiwada" to `names` and returns true when all of `text`
// has that form (at least two names); leaves `names` alone otherwise.
bool invert_initials_list(std::string_view text, std::vector<std::string>& names) {
  std::vector<std::string_view> pieces;
  for (std::size_t start = 0;;) {
    const std::size_t comma = text.find(',', start);
    const auto piece = trim_view(text.substr(start, comma - start));
    if (!piece.empty()) pieces.push_back(piece);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (pieces.size() < 4 || pieces.size() % 2 != 0) return false;
  for (std::size_t k = 0; k < pieces.size(); k += 2) {
    if (!shape_of(pieces[k + 1], false).initials_only ||
        !is_last_first(pieces[k], pieces[k + 1], false, false)) {
      return false;
    }
  }
  for (std::size_t k = 0; k < pieces.size(); k += 2) {
    std::string name(pieces[k + 1]);
    name.append(" ").append(pieces[k]);
    names.push_back(std::move(name));
  }
  return true;
}

// Pushes `name` unless it is already in `out`.
// Exact repeats are removed once, at the end of split_authors: a search per name made a byline
// of 100,000 names take minutes.
void push_unique(std::string name, std::vector<std::string>& out) {
  out.push_back(std::move(name));
}

// "Smith, John" and BibTeX's "Smith, John and Doe, Jane": appends the inverted names and returns
// true when the whole segment is in "Last, First" form; otherwise leaves `out` alone.
bool split_last_first(std::string_view seg, bool reference_style, std::vector<std::string>& out) {
  if (seg.find(',') == std::string_view::npos) return false;
  const bool mixed_case = has_lower_case(seg);
  // Bracketed and " | " affiliations go anyway (clean_author); they must not hide the form.
  const std::string unbracketed = drop_brackets(seg);
  std::vector<std::string> names;
  for (const auto piece : split_conjunctions(unbracketed)) {
    const auto text = cut_separators(piece);
    std::string name = invert_last_first(text, reference_style, mixed_case);
    if (name.empty() && !invert_initials_list(text, names)) return false;
    if (!name.empty()) names.push_back(std::move(name));
  }
  for (auto& name : names) push_unique(std::move(name), out);
  return true;
}

// Splits one line or semicolon piece into names and appends them to `out`.
void split_segment(std::string_view seg, bool reference_style, std::vector<std::string>& out) {
  seg = strip_by(seg);
  // A line that continues the previous one's list: "Jane Doe\nand John Smith".
  if (const std::size_t n = conjunction_at(seg, 0); n > 0) seg = trim_view(seg.substr(n));
  if (seg.empty()) return;
  if (split_last_first(seg, reference_style, out)) return;
  const bool mixed_case = has_lower_case(seg);

  std::vector<Piece> pieces;
  Piece current;
  for (std::size_t i = 0; i < seg.size();) {
    if (seg[i] == ',') {
      current.end = i;
      pieces.push_back(current);
      std::size_t j = i + 1;
      while (j < seg.size() && is_ascii_space(seg[j])) ++j;
      Delimiter kind = Delimiter::kComma;
      if (const std::size_t n = conjunction_at(seg, j); n > 0) {
        kind = Delimiter::kCommaAnd;
        j += n;
      }
      current = Piece{j, j, kind};
      i = j;
      continue;
    }
    if (is_ascii_space(seg[i]) && i > current.begin) {
      std::size_t j = i;
      while (j < seg.size() && is_ascii_space(seg[j])) ++j;
      if (const std::size_t n = conjunction_at(seg, j); n > 0) {
        current.end = i;
        pieces.push_back(current);
        current = Piece{j + n, j + n, Delimiter::kAnd};
        i = j + n;
        continue;
      }
      i = j;
      continue;
    }
    ++i;
  }
  current.end = seg.size();
  pieces.push_back(current);

  // Merge pieces that are affiliations, post-nominals or dates into the name before them.
  std::vector<std::pair<std::size_t, std::size_t>> names;
  bool in_affiliation = false;
  // Whether an "and" may continue the open affiliation ("Center for Strategic and International
  // Studies"); not after one that ends in an acronym ("Jane Doe, CSIS and John Smith").
  bool and_continues = false;
  for (const Piece& p : pieces) {
    const auto text = trim_view(seg.substr(p.begin, p.end - p.begin));
    if (text.empty()) continue;
    const std::size_t begin = static_cast<std::size_t>(text.data() - seg.data());
    const std::size_t end = begin + text.size();
    if (names.empty()) {
      names.emplace_back(begin, end);
      in_affiliation = false;
      continue;
    }
    const bool postnominal = is_postnominal_piece(text);
    bool new_name = !postnominal && looks_like_name(text, mixed_case);
    if (new_name && in_affiliation) {
      // After "Jane Doe, Senior Fellow at the Center for Strategic" a bare "and" is still inside
      // the affiliation; a comma needs a full name to start a new one.
      if (p.before == Delimiter::kAnd && and_continues) new_name = false;
      if (p.before == Delimiter::kComma && words_of(text).size() < 2) new_name = false;
    }
    // "Jane Doe, Brookings": one word after a full name is where the person works; a list of
    // names that mixes full names and bare surnames is rare ("Cutler, Daniels and Thomas" has
    // no full name before its surnames).
    if (new_name && p.before == Delimiter::kComma && words_of(text).size() == 1) {
      const auto& previous = names.back();
      if (words_of(seg.substr(previous.first, previous.second - previous.first)).size() >= 2) {
        new_name = false;
      }
    }
    if (new_name) {
      names.emplace_back(begin, end);
      in_affiliation = false;
    } else {
      names.back().second = end;
      if (!postnominal) {
        in_affiliation = true;
        const auto words = words_of(text);
        and_continues = !(mixed_case && is_acronym(words.back()));
      }
    }
  }
  for (const auto& [begin, end] : names)
    push_unique(std::string(seg.substr(begin, end - begin)), out);
}

// ---------------------------------------------------------------------------------------------
// Plausibility helpers.

// Dates and times: "October 30, 2025", "2025-10-30", "8:30am", "30/10/2025", "2019".
bool looks_like_date_or_time(std::string_view s) {
  if (!has_ascii_digit(s)) return false;
  std::size_t digits = 0;
  std::size_t run = 0;
  std::size_t longest_run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_ascii_digit(c)) {
      ++digits;
      longest_run = std::max(longest_run, ++run);
      continue;
    }
    run = 0;
    const bool between_digits =
        i > 0 && i + 1 < s.size() && is_ascii_digit(s[i - 1]) && is_ascii_digit(s[i + 1]);
    if (between_digits && (c == ':' || c == '/' || c == '-' || c == '.')) return true;
  }
  if (longest_run == 4) return true;  // a year
  std::size_t letters = 0;
  for (const auto w : words_of(s)) {
    const std::string key = key_of(strip_decoration(w));
    if (is_weekday_or_month(key) || key == "am" || key == "pm") return true;
    for (const char c : w) letters += is_ascii_alpha(c) ? 1U : 0U;
  }
  return digits >= letters;  // mostly numbers
}

bool looks_like_email_or_url(std::string_view s) noexcept {
  if (s.find('@') != std::string_view::npos) return true;
  if (s.find("://") != std::string_view::npos || istarts_with(s, "www.")) return true;
  // "example.org", "aspi.asiasociety.org/...": a period between two lower-case letters.
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '.' && is_ascii_lower(s[i - 1]) && is_ascii_lower(s[i + 1])) return true;
  }
  return s.find('/') != std::string_view::npos && s.find(' ') == std::string_view::npos;
}

// "Jane Doe on October 30, 2025", "Jane Doe | Thursday, Oct. 30", "Jane Doe 30 October 2025":
// the byline ends where a date starts (a word starting with a digit, a weekday, or a month
// followed by a number), together with the connector before it.
std::string_view cut_trailing_date(std::string_view rest) {
  const auto words = words_of(rest);
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::string key = key_of(strip_decoration(words[k]));
    const bool date_start =
        is_ascii_digit(words[k].front()) || in_table(kWeekdays, key) ||
        (is_weekday_or_month(key) && k + 1 < words.size() && is_ascii_digit(words[k + 1].front()));
    if (!date_start) continue;
    std::size_t keep = k;
    while (keep > 0) {
      const auto w = words[keep - 1];
      const std::string connector = key_of(strip_decoration(w));
      if (connector.empty() || connector == "on" || connector == "published" ||
          connector == "updated" || connector == "posted") {
        --keep;
        continue;
      }
      break;
    }
    if (keep == 0) return {};
    const auto last = words[keep - 1];
    return rest.substr(0, static_cast<std::size_t>(last.data() + last.size() - rest.data()));
  }
  return rest;
}

}  // namespace

// Semicolons separate names in reference-manager exports ("Smith, John; Doe, Jane"), where a
// comma inside a piece is the "Last, First" comma. But "Jane Doe, Brookings; John Smith, RAND"
// uses semicolons between "Name, Affiliation" pieces. A byline is in reference style when it has
// semicolons, at least one piece is plainly "Last, First" (a one-word surname or initials, see
// is_last_first) and no piece has an affiliation right after its first comma.
bool is_reference_byline(std::string_view byline) {
  if (byline.find(';') == std::string_view::npos) return false;
  bool last_first = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= byline.size(); ++i) {
    if (i < byline.size() && byline[i] != '\n' && byline[i] != '\r' && byline[i] != ';') continue;
    const std::string unbracketed = drop_brackets(strip_by(byline.substr(start, i - start)));
    start = i + 1;
    const auto text = cut_separators(unbracketed);
    const std::size_t comma = text.find(',');
    if (comma == std::string_view::npos) continue;
    const bool mixed_case = has_lower_case(text);
    const auto rest = text.substr(comma + 1);
    const auto given = trim_view(rest.substr(0, rest.find(',')));
    if (given.empty()) continue;
    if (is_affiliation_piece(given, mixed_case)) return false;
    if (is_last_first(trim_view(text.substr(0, comma)), given, false, mixed_case)) {
      last_first = true;
    }
  }
  return last_first;
}

std::vector<std::string> split_authors(std::string_view byline) {
  std::vector<std::string> out;
  const bool reference_style = is_reference_byline(byline);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= byline.size(); ++i) {
    if (i == byline.size() || byline[i] == '\n' || byline[i] == '\r' || byline[i] == ';') {
      split_segment(byline.substr(start, i - start), reference_style, out);
      start = i + 1;
    }
  }
  std::unordered_set<std::string_view> seen;  // views into `out`, which stays as it is
  std::vector<std::string> unique;
  for (const auto& name : out) {
    if (seen.insert(name).second) unique.push_back(name);
  }
  return unique;
}

std::string clean_author(std::string_view name) {
  std::string text = collapse_space(name);
  text = drop_brackets(text);
  std::string_view view = strip_decoration(cut_separators(text));
  view = strip_by(view);
  // "Smith, John" from a list of names in reference-manager form.
  const std::string inverted = invert_last_first(view, false, has_lower_case(view));
  if (!inverted.empty()) view = inverted;

  // The name is the text before the first comma; later pieces are affiliations and degrees,
  // except generational suffixes ("King, Jr.").
  std::string_view suffix;
  if (const std::size_t comma = view.find(','); comma != std::string_view::npos) {
    std::string_view rest = view.substr(comma + 1);
    view = view.substr(0, comma);
    while (!rest.empty()) {
      const std::size_t next = rest.find(',');
      const auto part = strip_decoration(rest.substr(0, next));
      if (words_of(part).size() == 1 && is_suffix(part)) suffix = part;
      if (next == std::string_view::npos) break;
      rest.remove_prefix(next + 1);
    }
  }

  std::vector<std::string_view> words = words_of(strip_decoration(view));
  // A lone "ASPI" or "CSIS" is an institution: title case would dress it up as a person ("Aspi").
  const bool caps = name_is_all_caps(view) && !(words.size() == 1 && is_acronym(words.front()));
  while (words.size() > 1 && is_honorific(words.front())) words.erase(words.begin());
  while (words.size() > 1 && is_degree(words.back(), caps)) words.pop_back();
  if (!suffix.empty()) words.push_back(suffix);
  if (words.empty() || (words.size() == 1 && is_honorific(words.front()))) return {};
  words.back() = unglue_weekday(words.back());

  // A period ends an initial or an abbreviation ("R.", "D.E.", "Jr.") but not a sentence.
  if (std::string_view& last = words.back(); last.size() > 1 && last.back() == '.') {
    const auto stem = last.substr(0, last.size() - 1);
    const bool keep = stem.size() == 1 || has_period(stem) || is_suffix(stem);
    if (!keep) last = stem;
  }

  std::string result = join_words(words);
  if (caps) result = title_case(result);
  if (!has_letter(result)) return {};
  return result;
}

bool plausible_author(std::string_view name, std::string_view site_name) {
  name = trim_view(name);
  if (name.empty() || name.size() > 100) return false;
  if (!is_valid_utf8(name) || !has_letter(name)) return false;
  const auto words = words_of(name);
  if (words.size() > 8) return false;
  if (looks_like_email_or_url(name) || looks_like_date_or_time(name)) return false;

  std::string lowered;
  lowered.reserve(name.size());
  for (const char c : name) lowered.push_back(ascii_lower(c));
  if (in_table(kNonNames, std::string_view(lowered))) return false;
  for (const auto prefix : kNonNamePrefixes) {
    if (lowered.starts_with(prefix)) return false;
  }
  if (words.size() == 1) {
    const std::string key = key_of(name);
    // A bare weekday or month is a date fragment; a lone lower-case word ("nesday", "admin")
    // is a scraping remnant.
    if (in_table(kWeekdays, key) || in_table(kMonths, key)) return false;
    // A lone short acronym ("ASPI", "CSIS", "RAND") is an institution named as an affiliation.
    if (name.size() <= 5 && is_acronym(name)) return false;
    if (std::none_of(name.begin(), name.end(), is_ascii_upper) &&
        std::all_of(name.begin(), name.end(), [](char c) {
          return is_ascii_lower(c) || c == '-' || c == '\'' || c == '.';
        })) {
      return false;
    }
  }
  if (!site_name.empty() && is_valid_utf8(site_name) && fold_key(name) == fold_key(site_name)) {
    return false;
  }
  return true;
}

std::vector<std::string> byline_names(std::string_view line) {
  if (line.size() > 200) return {};
  std::string_view s = trim_view(line);
  // Signature dashes: "- By X", "-By X", "— By X", "– By X".
  for (const std::string_view dash : {"-", "\xe2\x80\x94", "\xe2\x80\x93"}) {
    if (s.starts_with(dash)) {
      s = trim_view(s.substr(dash.size()));
      break;
    }
  }

  std::string_view rest;
  const auto after = [&s](std::size_t n) { return trim_view(s.substr(n)); };
  if (s.size() > 3 && istarts_with(s, "by") && (is_ascii_space(s[2]) || s[2] == ':')) {
    rest = after(2);
  } else if (istarts_with(s, "written by ")) {
    rest = after(11);
  } else if (istarts_with(s, "authors:")) {
    rest = after(8);
  } else if (istarts_with(s, "author:")) {
    rest = after(7);
  } else {
    for (const std::string_view lead :
         {"commentary from ", "analysis from ", "commentary by ", "analysis by "}) {
      if (const std::size_t at = ifind(s, lead); at != std::string_view::npos) {
        rest = after(at + lead.size());
        break;
      }
    }
    if (rest.empty()) return {};
  }
  if (!rest.empty() && rest.front() == ':') rest = trim_view(rest.substr(1));

  rest = cut_trailing_date(rest);

  std::vector<std::string> names;
  std::vector<std::string> keys;
  for (const auto& piece : split_authors(rest)) {
    std::string name = clean_author(piece);
    if (!plausible_author(name)) return {};
    // Every word capitalised (or a particle or initial): a sentence that happens to start with
    // "By" ("By the end of the year, ...", "By contrast, Beijing ...") fails here.
    const auto words = words_of(name);
    // A lone capitalised word after "By" is a heading ("By Land and Sea") more often than a
    // person; initials ("D.E.") are the exception.
    if (words.size() < 2 && !has_period(words.front())) return {};
    const std::string first = key_of(words.front());
    if (!has_period(words.front()) && in_table(kProseStarters, first)) return {};
    for (const auto w : words) {
      if (!starts_capitalised(w) && !is_particle_word(w)) return {};
      if (in_table(kWeekdays, key_of(w))) return {};
    }
    std::string key = fold_key(name);
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(std::move(key));
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace dossier::detail
