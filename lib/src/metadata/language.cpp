// Language tags and detection: declared tags normalised to a primary subtag, and a function-word
// guess for texts that declare nothing.
#include "metadata/language.hpp"
#include "text/ascii.hpp"
#include "text/utf8.hpp"

#include <dossier/text.hpp>

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace dossier::detail {
namespace {

bool is_ascii_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string_view trim_view(std::string_view s) noexcept {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// Decodes one UTF-8 sequence at `i`; malformed bytes decode as U+FFFD of length 1 so that a
// scan always advances (detect_language accepts any bytes).

// ---------------------------------------------------------------------------------------------
// Declared tags.

// One language Dossier knows: its primary tag, then every other spelling that declares it
// (ISO 639-2 codes, deprecated codes, English names, endonyms). Lookups compare fold_key forms,
// so case and accents do not matter ("FRANÇAIS" == "francais").
struct KnownLanguage {
  std::string_view tag;
  std::initializer_list<std::string_view> aliases;
};

const std::unordered_map<std::string, std::string>& language_aliases() {
  static const std::unordered_map<std::string, std::string> table = [] {
    // Stemmed by Xapian first, then common languages that are indexed unstemmed.
    const KnownLanguage languages[] = {
        {"en", {"eng", "english"}},
        {"fr",
         {"fra", "fre", "french",
          "fran\xc3\xa7"
          "ais"}},
        {"de", {"deu", "ger", "german", "deutsch"}},
        {"es", {"spa", "spanish", "espa\xc3\xb1ol", "castellano", "castilian"}},
        {"it", {"ita", "italian", "italiano"}},
        {"pt", {"por", "portuguese", "portugu\xc3\xaas"}},
        {"nl", {"nld", "dut", "dutch", "nederlands", "flemish", "vlaams"}},
        {"sv", {"swe", "swedish", "svenska"}},
        {"da", {"dan", "danish", "dansk"}},
        {"nb",
         {"no", "nob", "nor", "norwegian", "norwegian bokm\xc3\xa5l", "bokm\xc3\xa5l", "norsk",
          "norsk bokm\xc3\xa5l"}},
        {"nn", {"nno", "norwegian nynorsk", "nynorsk", "norsk nynorsk"}},
        {"fi", {"fin", "finnish", "suomi"}},
        {"ru", {"rus", "russian", "\xd1\x80\xd1\x83\xd1\x81\xd1\x81\xd0\xba\xd0\xb8\xd0\xb9"}},
        {"tr",
         {"tur", "turkish",
          "t\xc3\xbcrk\xc3\xa7"
          "e"}},
        {"hu", {"hun", "hungarian", "magyar"}},
        {"ro", {"ron", "rum", "mo", "mol", "romanian", "moldovan", "rom\xc3\xa2n\xc4\x83"}},
        {"ar", {"ara", "arabic", "\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9"}},
        {"hy", {"hye", "arm", "armenian"}},
        {"eu", {"eus", "baq", "basque", "euskara"}},
        {"ca", {"cat", "catalan", "catal\xc3\xa0", "valencian"}},
        {"ga", {"gle", "irish", "gaeilge"}},
        {"lt", {"lit", "lithuanian", "lietuvi\xc5\xb3"}},
        {"ne", {"nep", "nepali"}},
        {"ta", {"tam", "tamil"}},
        {"id", {"in", "ind", "indonesian", "bahasa indonesia"}},
        {"zh",
         {"zho", "chi", "cmn", "yue", "chinese", "mandarin", "cantonese",
          "\xe4\xb8\xad\xe6\x96\x87", "\xe6\xb1\x89\xe8\xaf\xad", "\xe6\xbc\xa2\xe8\xaa\x9e"}},
        {"ja", {"jpn", "japanese", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"}},
        {"ko", {"kor", "korean", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"}},
        {"he", {"iw", "heb", "hebrew", "\xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa"}},
        {"el",
         {"ell", "gre", "greek",
          "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac"}},
        {"pl", {"pol", "polish", "polski"}},
        {"cs",
         {"ces", "cze", "czech",
          "\xc4\x8d"
          "e\xc5\xa1tina"}},
        {"sk", {"slk", "slo", "slovak", "sloven\xc4\x8dina"}},
        {"uk",
         {"ukr", "ukrainian",
          "\xd1\x83\xd0\xba\xd1\x80\xd0\xb0\xd1\x97\xd0\xbd\xd1\x81\xd1\x8c\xd0\xba\xd0\xb0"}},
        {"bg", {"bul", "bulgarian"}},
        {"sr", {"srp", "serbian", "srpski"}},
        {"hr", {"hrv", "croatian", "hrvatski"}},
        {"sl", {"slv", "slovenian", "slovene", "sloven\xc5\xa1\xc4\x8dina"}},
        {"fa", {"fas", "per", "persian", "farsi"}},
        {"hi", {"hin", "hindi"}},
        {"ur", {"urd", "urdu"}},
        {"bn", {"ben", "bengali", "bangla"}},
        {"vi", {"vie", "vietnamese", "ti\xe1\xba\xbfng vi\xe1\xbb\x87t"}},
        {"th", {"tha", "thai"}},
        {"ms", {"msa", "may", "malay", "bahasa melayu"}},
        {"tl", {"tgl", "fil", "tagalog", "filipino"}},
        {"sw", {"swa", "swahili", "kiswahili"}},
        {"et", {"est", "estonian", "eesti"}},
        {"lv", {"lav", "latvian", "latvie\xc5\xa1u"}},
        {"is", {"isl", "ice", "icelandic", "\xc3\xadslenska"}},
        {"af", {"afr", "afrikaans"}},
    };
    std::unordered_map<std::string, std::string> map;
    for (const auto& language : languages) {
      map.emplace(std::string(language.tag), std::string(language.tag));
      for (const auto alias : language.aliases) {
        map.emplace(fold_key(alias), std::string(language.tag));
      }
    }
    return map;
  }();
  return table;
}

// A BCP 47-shaped tag: subtags of 1-8 ASCII letters or digits joined by '-' or '_', the first
// all letters ("en-US", "zh-Hans-CN", "sr_Latn_RS"). Returns the primary subtag, lower case, or
// "" when `s` is not tag-shaped.
std::string primary_subtag(std::string_view s) {
  std::string primary;
  std::size_t subtag_length = 0;
  bool first = true;
  for (const char c : s) {
    if (c == '-' || c == '_') {
      if (subtag_length == 0) return {};
      subtag_length = 0;
      first = false;
      continue;
    }
    if (!is_ascii_alnum(c) || ++subtag_length > 8) return {};
    if (first) {
      if (!is_ascii_alpha(c)) return {};
      primary.push_back(ascii_lower(c));
    }
  }
  if (subtag_length == 0) return {};
  return primary;
}

// ---------------------------------------------------------------------------------------------
// Detection.

// The languages detect_language can return; the bit of language i is 1 << i.
constexpr auto kDetectable =
    std::to_array<std::string_view>({"en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb",
                                     "fi", "ru", "tr", "hu", "ro", "id", "ca", "ar"});

// The most frequent function words of each detectable language, lower case, NFC UTF-8, in the
// order of kDetectable. A word may appear in several lists; its weight is then shared (see
// detect_language). Words of one letter are left out except where they are frequent and
// telling ("y", "e", "i", "o", "a" in Romance languages and Swedish).
constexpr std::array<std::string_view, kDetectable.size()> kFunctionWords = {
    // en
    "the of and to in is that for it with as was on be by this are or from at which but not "
    "have has had were they their an will would been its there can more than who also these "
    "about into we he she our what when",
    // fr
    "le la les de des du et est un une en que qui dans pour pas sur au aux avec ce cette ces "
    "il elle ils sont par plus ne se son sa ses mais ou nous vous \xc3\xa9t\xc3\xa9 \xc3\xaatre "
    "leur comme aussi tr\xc3\xa8s o\xc3\xb9 lui entre",
    // de
    "der die das und ist nicht zu den dem des ein eine einer einen mit sich auf f\xc3\xbcr von "
    "im auch es sie er wir werden wird wurde sind hat haben dass aber als nach bei aus noch nur "
    "wie oder \xc3\xbc"
    "ber zum zur kann um diese",
    // es
    "el la los las de del que y en un una es por con para se no lo al su sus como m\xc3\xa1s "
    "pero o este esta son fue ha han muy tambi\xc3\xa9n entre sobre hay ya cuando porque sin le "
    "les ser est\xc3\xa1 desde todo",
    // it
    "il lo la i gli le di del della dei delle e \xc3\xa8 che in un una per con non si da al "
    "alla sono ha come pi\xc3\xb9 ma anche questo questa nel nella degli essere stato tra fra "
    "dal sul loro cui ancora molto",
    // pt
    "o a os as de do da dos das e \xc3\xa9 que em um uma para com n\xc3\xa3o no na nos nas por "
    "se ao mais como mas foi s\xc3\xa3o seu sua pelo pela tamb\xc3\xa9m ou j\xc3\xa1 muito "
    "est\xc3\xa1 entre isso este esta ser ter quando h\xc3\xa1 \xc3\xa0s",
    // nl
    "de het een en van is dat in op te zijn voor met niet die er aan ook als om bij door maar "
    "naar dan of wordt worden werd uit nog zo tot kan over hij zij we ze deze dit heeft hebben "
    "wel geen meer onze",
    // sv
    "och i att det som en p\xc3\xa5 \xc3\xa4r av f\xc3\xb6r med till den har de inte om ett men "
    "var vi s\xc3\xa5 kan fr\xc3\xa5n eller hade sig man n\xc3\xa4r vid ocks\xc3\xa5 efter "
    "under mycket nu bara skulle detta dessa vara blir blev denna mot \xc3\xa4n",
    // da
    "og i at det som en p\xc3\xa5 er af for med til den har de ikke om et men var vi s\xc3\xa5 "
    "kan fra eller havde sig man n\xc3\xa5r ved ogs\xc3\xa5 efter under meget nu kun skulle "
    "dette disse v\xc3\xa6re bliver blev denne mod end hvad hvor mig dig nogle nogen mellem os "
    "blevet s\xc3\xa5"
    "dan",
    // nb
    "og i at det som en p\xc3\xa5 er av for med til den har de ikke om et men var vi s\xc3\xa5 "
    "kan fra eller hadde seg man n\xc3\xa5r ved ogs\xc3\xa5 etter under mye n\xc3\xa5 bare "
    "skulle dette disse v\xc3\xa6re blir ble denne mot enn hva hvor \xc3\xa5 meg deg noen mellom "
    "oss blitt slik",
    // fi
    "ja on ei se ett\xc3\xa4 oli ovat olla ole mutta kun tai jos niin my\xc3\xb6s joka jotka sen "
    "h\xc3\xa4n he me t\xc3\xa4m\xc3\xa4 n\xc3\xa4m\xc3\xa4 siit\xc3\xa4 sek\xc3\xa4 kuin vain "
    "viel\xc3\xa4 mukaan jo nyt ollut kanssa koska voi eli siis mit\xc3\xa4 joita jonka "
    "t\xc3\xa4ss\xc3\xa4 sit\xc3\xa4 h\xc3\xa4nen heid\xc3\xa4n kaikki",
    // ru
    "\xd0\xb8 \xd0\xb2 \xd0\xbd\xd0\xb5 \xd0\xbd\xd0\xb0 \xd1\x87\xd1\x82\xd0\xbe \xd1\x81 "
    "\xd0\xbf\xd0\xbe \xd1\x8d\xd1\x82\xd0\xbe \xd0\xba\xd0\xb0\xd0\xba \xd0\xba "
    "\xd0\xb8\xd0\xb7 \xd0\xb7\xd0\xb0 \xd0\xbe\xd1\x82 \xd0\xbd\xd0\xbe "
    "\xd0\xb4\xd0\xbb\xd1\x8f \xd0\xbe \xd1\x83 \xd0\xb5\xd0\xb3\xd0\xbe \xd1\x82\xd0\xb0\xd0\xba "
    "\xd0\xb2\xd1\x81\xd0\xb5 \xd0\xb6\xd0\xb5 \xd0\xb1\xd1\x8b\xd0\xbb "
    "\xd0\xb1\xd1\x8b\xd0\xbb\xd0\xb0 \xd0\xb1\xd1\x8b\xd0\xbb\xd0\xb8 \xd0\xb1\xd1\x8b "
    "\xd0\xbe\xd0\xbd \xd0\xbe\xd0\xbd\xd0\xb0 \xd0\xbe\xd0\xbd\xd0\xb8 \xd0\xbc\xd1\x8b "
    "\xd1\x82\xd0\xb0\xd0\xba\xd0\xb6\xd0\xb5 \xd0\xbf\xd1\x80\xd0\xb8 \xd0\xb4\xd0\xbe "
    "\xd0\xb8\xd0\xbb\xd0\xb8 \xd1\x82\xd0\xbe\xd0\xbb\xd1\x8c\xd0\xba\xd0\xbe "
    "\xd1\x83\xd0\xb6\xd0\xb5 \xd0\xb5\xd1\x81\xd0\xbb\xd0\xb8 \xd1\x82\xd0\xbe "
    "\xd1\x87\xd1\x82\xd0\xbe\xd0\xb1\xd1\x8b "
    "\xd0\xba\xd0\xbe\xd1\x82\xd0\xbe\xd1\x80\xd1\x8b\xd0\xb9 "
    "\xd0\xba\xd0\xbe\xd1\x82\xd0\xbe\xd1\x80\xd1\x8b\xd0\xb5 "
    "\xd1\x8d\xd1\x82\xd0\xbe\xd0\xb3\xd0\xbe "
    "\xd0\xbc\xd0\xbe\xd0\xb6\xd0\xb5\xd1\x82 \xd0\xb1\xd1\x83\xd0\xb4\xd0\xb5\xd1\x82",
    // tr
    "ve bir bu da de i\xc3\xa7in ile olarak daha \xc3\xa7ok gibi ne en o olan ama kadar sonra "
    "her ya veya mi ki g\xc3\xb6re ise de\xc4\x9fil var yok \xc5\x9f"
    "ey t\xc3\xbcm "
    "b\xc3\xbct\xc3\xbcn oldu oldu\xc4\x9fu ancak hem biz ben onun bunu \xc5\x9fu diye "
    "aras\xc4\xb1nda",
    // hu
    "a az \xc3\xa9s hogy nem is egy meg van volt de ez azt csak m\xc3\xa1r mint m\xc3\xa9g ha "
    "vagy el ki fel be ut\xc3\xa1n k\xc3\xb6z\xc3\xb6tt pedig mert kell lesz lehet minden sok "
    "ezt amely amelyek aki \xc3\xadgy most szerint alatt nincs vannak valamint",
    // ro
    "\xc8\x99i \xc5\x9fi \xc3\xaen de la a cu pe c\xc4\x83 nu din pentru este sunt o un care se "
    "mai au fost ca dar sau ce lui ei prin dup\xc4\x83 acest aceast\xc4\x83 aceste fi "
    "dac\xc4\x83 s\xc4\x83 f\xc4\x83r\xc4\x83",
    // id
    "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena tersebut bisa "
    "ada mereka lebih kami oleh atau sudah telah harus seperti bahwa adalah sebagai kita saya "
    "namun hanya antara masih banyak para secara dapat",
    // ca
    "el la els les de del dels i que en un una per amb no \xc3\xa9s als al com m\xc3\xa9s "
    "per\xc3\xb2 seu seva hi ho aquest aquesta molt tamb\xc3\xa9 va han s\xc3\xb3n pel sobre "
    "entre quan perqu\xc3\xa8 fins ja ser est\xc3\xa0 tot aquests",
    // ar
    "\xd9\x81\xd9\x8a \xd9\x85\xd9\x86 \xd8\xb9\xd9\x84\xd9\x89 \xd8\xa5\xd9\x84\xd9\x89 "
    "\xd8\xa3\xd9\x86 \xd8\xb9\xd9\x86 \xd9\x85\xd8\xb9 \xd9\x87\xd8\xb0\xd8\xa7 "
    "\xd9\x87\xd8\xb0\xd9\x87 \xd8\xa7\xd9\x84\xd8\xaa\xd9\x8a \xd8\xa7\xd9\x84\xd8\xb0\xd9\x8a "
    "\xd9\x83\xd8\xa7\xd9\x86 \xd9\x85\xd8\xa7 \xd9\x84\xd8\xa7 \xd9\x82\xd8\xaf "
    "\xd8\xa8\xd9\x8a\xd9\x86 \xd8\xb0\xd9\x84\xd9\x83 \xd9\x83\xd9\x84 \xd8\xa8\xd8\xb9\xd8\xaf "
    "\xd8\xa3\xd9\x88 \xd9\x87\xd9\x88 \xd9\x87\xd9\x8a \xd9\x84\xd9\x85 \xd8\xa5\xd9\x86 "
    "\xd8\xad\xd8\xaa\xd9\x89 \xd8\xb9\xd9\x86\xd8\xaf \xd9\x85\xd9\x86\xd8\xb0 "
    "\xd9\x88\xd9\x81\xd9\x8a \xd9\x88\xd9\x85\xd9\x86 \xd9\x83\xd9\x85\xd8\xa7 "
    "\xd8\xab\xd9\x85 \xd9\x88\xd9\x84\xd8\xa7 \xd9\x84\xd9\x82\xd8\xaf \xd8\xba\xd9\x8a\xd8\xb1 "
    "\xd8\xa7\xd9\x84\xd8\xb0\xd9\x8a\xd9\x86 \xd9\x83\xd8\xa7\xd9\x86\xd8\xaa "
    "\xd9\x88\xd9\x82\xd8\xaf",
};

using LanguageMask = std::uint32_t;
static_assert(kDetectable.size() <= 32, "one bit per detectable language");

// Function word -> the languages whose list holds it. Keys view the string literals above.
const std::unordered_map<std::string_view, LanguageMask>& function_words() {
  static const std::unordered_map<std::string_view, LanguageMask> table = [] {
    std::unordered_map<std::string_view, LanguageMask> map;
    for (std::size_t lang = 0; lang < kFunctionWords.size(); ++lang) {
      const std::string_view list = kFunctionWords[lang];
      std::size_t i = 0;
      while (i < list.size()) {
        const std::size_t end = std::min(list.find(' ', i), list.size());
        if (end > i) map[list.substr(i, end - i)] |= LanguageMask{1} << lang;
        i = end + 1;
      }
    }
    return map;
  }();
  return table;
}

constexpr std::size_t kMaxScanBytes = 16 * 1024;
constexpr std::size_t kMinWords = 20;
// Function words are longer than this only in Russian and Finnish; longer tokens skip the lookup.
constexpr std::size_t kMaxFunctionWordBytes = 24;

// Letters continue a word; everything else (white space, punctuation, digits, apostrophes, so
// "l'État" gives "l" and "état") ends it.
bool is_word_char(char32_t cp) noexcept {
  if (cp < 0x80) return is_ascii_alpha(static_cast<char>(cp));
  if (cp == 0xFFFD) return false;
  return u_isalpha(static_cast<UChar32>(cp)) != 0 ||
         u_charType(static_cast<UChar32>(cp)) == U_NON_SPACING_MARK;
}

}  // namespace

std::string normalize_language_tag(std::string_view declared) {
  std::string_view s = trim_view(declared);
  if (s.empty() || s.size() > 100 || !is_valid_utf8(s)) return {};
  // "en-US,en;q=0.9" (an HTTP Accept-Language list): the first entry wins.
  s = trim_view(s.substr(0, s.find_first_of(",;")));
  // "English (United States)": the parenthesis only narrows the region.
  s = trim_view(s.substr(0, s.find('(')));
  if (s.empty()) return {};

  const auto& aliases = language_aliases();
  if (const std::string primary = primary_subtag(s); !primary.empty()) {
    if (primary.size() < 2 || primary.size() > 8) return {};
    const auto it = aliases.find(primary);
    return it == aliases.end() ? std::string() : it->second;
  }
  const auto it = aliases.find(fold_key(s));
  return it == aliases.end() ? std::string() : it->second;
}

std::string detect_language(std::string_view text) {
  text = text.substr(0, std::min(text.size(), kMaxScanBytes));
  const auto& words = function_words();

  std::array<double, kDetectable.size()> scores{};
  std::size_t word_count = 0;
  std::string token;
  token.reserve(kMaxFunctionWordBytes);
  bool token_too_long = false;

  const auto finish_token = [&] {
    if (token.empty() && !token_too_long) return;
    ++word_count;
    if (!token_too_long) {
      if (const auto it = words.find(token); it != words.end()) {
        // A word shared by k languages is weak evidence for each: weight 1/k.
        const LanguageMask mask = it->second;
        const double weight = 1.0 / static_cast<double>(std::popcount(mask));
        for (std::size_t lang = 0; lang < kDetectable.size(); ++lang) {
          if ((mask >> lang) & 1U) scores[lang] += weight;
        }
      }
    }
    token.clear();
    token_too_long = false;
  };

  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (is_ascii_alpha(c)) {
        if (token.size() < kMaxFunctionWordBytes) {
          token.push_back(ascii_lower(c));
        } else {
          token_too_long = true;
        }
      } else {
        finish_token();
      }
      ++i;
      continue;
    }
    const auto [cp, len] = decode_utf8(text, i);
    i += len;
    if (!is_word_char(cp)) {
      finish_token();
      continue;
    }
    if (token.size() + 4 <= kMaxFunctionWordBytes) {
      append_utf8(token, static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
    } else {
      token_too_long = true;
    }
  }
  finish_token();

  if (word_count < kMinWords) return "en";
  std::size_t best = 0;
  std::size_t second = 1;
  if (scores[second] > scores[best]) std::swap(best, second);
  for (std::size_t lang = 2; lang < scores.size(); ++lang) {
    if (scores[lang] > scores[best]) {
      second = best;
      best = lang;
    } else if (scores[lang] > scores[second]) {
      second = lang;
    }
  }
  // Clearly ahead: real evidence (function words are a third or more of running text in every
  // listed language, so a tenth is a low bar) and a lead over the runner-up of at least a fifth
  // of the winner's score. Close relatives (Danish and Norwegian, Spanish and Catalan) share
  // most function words, whose shared weight cancels out; the lead comes from the words they
  // do not share. A mixture of two languages in similar amounts has no such lead.
  const double evidence = scores[best];
  const bool enough = evidence >= 3.0 && evidence >= 0.1 * static_cast<double>(word_count);
  const bool ahead = evidence - scores[second] >= std::max(2.0, 0.2 * evidence);
  if (!enough || !ahead) return "en";
  return std::string(kDetectable[best]);
}

}  // namespace dossier::detail
