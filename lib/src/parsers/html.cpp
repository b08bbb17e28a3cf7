// HTML parser: a saved think-tank page -> RawRecord (meta/JSON-LD metadata, boilerplate-free body).
#include "parsers/parsers.hpp"
#include "text/ascii.hpp"
#include "text/utf8.hpp"

#include "metadata/authors.hpp"
#include "metadata/dates.hpp"
#include "text/encoding.hpp"
#include "text/normalize.hpp"

#include <dossier/error.hpp>

#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dossier::detail {
namespace {

using Json = nlohmann::json;

// The HTML spec has browsers look for the charset in the first 1024 bytes; saved pages often
// carry long comments or inline styles first, so we look a little further.
constexpr std::size_t kCharsetScanBytes = 4096;
// A byline is a short line; longer text in a "byline"/"author" element is a biography.
constexpr std::size_t kMaxBylineBytes = 300;
// Boilerplate-looking elements with half the page's text and at least this much (non-space
// bytes, about 80 words) are mislabelled wrappers; a cookie banner on an empty page is not.
constexpr std::size_t kMinWrapperText = 500;
// Bounds for values that can only be junk when longer (navigation text caught as an author).
constexpr std::size_t kMaxAuthorBytes = 100;
constexpr std::size_t kMaxAuthorWords = 8;
constexpr std::size_t kMaxTopicBytes = 100;
constexpr std::size_t kMaxTopics = 50;
// Collected candidates per kind: enough for any real page, bounded for hostile ones.
constexpr std::size_t kMaxCandidates = 64;
// JSON-LD nesting we follow (@graph inside lists inside @graph ..., a name inside lists).
constexpr int kMaxJsonDepth = 8;
// Bracket nesting beyond which a JSON-LD block is rejected unread. Real blocks stay near 10; the
// cap keeps every recursive step (nlohmann's copies, our readers) far from the stack's end.
constexpr int kMaxJsonNesting = 64;
// A line made only of link text is navigation unless it is long (a linked sentence).
constexpr std::size_t kMaxLinkOnlyLineBytes = 80;
// The untitled first section may start with a date line and a byline before the dek.
constexpr std::size_t kLeadLinesChecked = 3;

// ---------------------------------------------------------------------------------------------
// Small string helpers (ASCII-only case handling: HTML names and attribute tokens are ASCII).

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// A set of words from one literal ("a b c", or "a b|c d" with '|'): the views point into the
// literal, which lives forever.
using WordSet = std::unordered_set<std::string_view>;
WordSet word_set(std::string_view words, char separator) {
  WordSet set;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= words.size(); ++i) {
    if (i == words.size() || words[i] == separator) {
      if (i > start) set.insert(words.substr(start, i - start));
      start = i + 1;
    }
  }
  return set;
}

// Comparison key for site and organisation names: ASCII letters and digits only, lower case,
// without a leading "the" ("The Heritage Foundation" meets "Heritage Foundation").
std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (is_ascii_alnum(c)) out += ascii_lower(c);
    // Non-ASCII bytes are kept so that names in other scripts still compare.
    if (static_cast<unsigned char>(c) >= 0x80) out += c;
  }
  if (out.size() > 3 && out.compare(0, 3, "the") == 0 && istarts_with(trim(s), "the ")) {
    out.erase(0, 3);
  }
  return out;
}

std::string_view as_view(const xmlChar* text) noexcept {
  return text == nullptr ? std::string_view{}
                         : std::string_view(reinterpret_cast<const char*>(text));
}

// JSON-LD is written by CMS templates that often HTML-escape strings ("Trump &amp; Xi",
// "Xi&#8217;s"); libxml2 leaves script content raw, so we decode entities here.
std::string decode_entities(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    const std::size_t semi = s.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 32) {
      out += s[i++];
      continue;
    }
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    std::uint32_t cp = 0;
    bool ok = false;
    if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      ok = !digits.empty() && digits.size() <= 8;
      for (char c : digits) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0) {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16U : 10U) + static_cast<std::uint32_t>(v);
      }
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
    } else if (!name.empty()) {
      const std::string key(name);
      if (const htmlEntityDesc* entity =
              htmlEntityLookup(reinterpret_cast<const xmlChar*>(key.c_str()))) {
        cp = entity->value;
        ok = true;
      }
    }
    if (!ok) {
      out += s[i++];
      continue;
    }
    append_utf8(out, cp);
    i = semi + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Display text: white space collapsed, invisible and exotic spaces normalised.

class TextBuffer {
 public:
  /// Appends text as a browser would lay it out inline. `in_link` counts it as link text.
  void append(std::string_view text, bool in_link) {
    bool in_cdata = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      const auto u = static_cast<unsigned char>(c);
      // Body-level <![CDATA[...]]> reaches us as literal text; browsers never show the markers.
      if (c == '<' && text.compare(i, 9, "<![CDATA[") == 0) {
        in_cdata = true;
        i += 8;
        continue;
      }
      if (in_cdata && c == ']' && text.compare(i, 3, "]]>") == 0) {
        in_cdata = false;
        i += 2;
        continue;
      }
      if (is_ascii_space(c)) {
        space();
        continue;
      }
      // U+0000 (from "\u0000" in JSON-LD, say) and other controls are never display text.
      if (u < 0x20 || u == 0x7F) continue;
      if (u == 0xC2 && i + 1 < text.size()) {
        const auto next = static_cast<unsigned char>(text[i + 1]);
        if (next == 0xA0) {  // no-break space
          space();
          ++i;
          continue;
        }
        if (next == 0xAD) {  // soft hyphen: invisible, and it would split search terms
          ++i;
          continue;
        }
      }
      if (u == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
        const auto third = static_cast<unsigned char>(text[i + 2]);
        if ((third >= 0x80 && third <= 0x8A) || third == 0xAF) {  // en/em/thin/narrow spaces
          space();
          i += 2;
          continue;
        }
        if (third == 0x8B) {  // zero-width space
          i += 2;
          continue;
        }
      }
      if (u == 0xE3 && text.compare(i, 3, "\xE3\x80\x80") == 0) {  // ideographic space
        space();
        i += 2;
        continue;
      }
      if (u == 0xEF && text.compare(i, 3, "\xEF\xBB\xBF") == 0) {  // stray BOM / ZWNBSP
        i += 2;
        continue;
      }
      if (pending_separator_) {
        text_ += " | ";
      } else if (pending_space_) {
        text_ += ' ';
      }
      pending_separator_ = false;
      pending_space_ = false;
      text_ += c;
      ++chars_;
      if (in_link) ++link_chars_;
    }
  }

  /// A break between words (white space, <br> inside a heading, a block boundary).
  void space() noexcept {
    if (!text_.empty()) pending_space_ = true;
  }
  /// A break between table cells of one row.
  void separator() noexcept {
    if (!text_.empty()) pending_separator_ = true;
  }

  [[nodiscard]] bool empty() const noexcept { return text_.empty(); }
  [[nodiscard]] const std::string& str() const noexcept { return text_; }
  [[nodiscard]] std::size_t chars() const noexcept { return chars_; }
  [[nodiscard]] std::size_t link_chars() const noexcept { return link_chars_; }

  std::string take() {
    std::string out = std::move(text_);
    clear();
    return out;
  }
  void clear() noexcept {
    text_.clear();
    pending_space_ = false;
    pending_separator_ = false;
    chars_ = 0;
    link_chars_ = 0;
  }

 private:
  std::string text_;
  bool pending_space_ = false;
  bool pending_separator_ = false;
  std::size_t chars_ = 0;
  std::size_t link_chars_ = 0;
};

std::string clean_value(std::string_view raw) {
  TextBuffer buffer;
  buffer.append(raw, false);
  return buffer.take();
}

// ---------------------------------------------------------------------------------------------
// Charset declaration: a byte scan, as browsers pre-scan, before anything is decoded.

std::string declared_charset(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return "UTF-8";
  // UTF-32 first: its little-endian BOM starts with UTF-16LE's.
  if (bytes.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) return "UTF-32LE";
  if (bytes.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) return "UTF-32BE";
  if (bytes.substr(0, 2) == "\xFF\xFE") return "UTF-16LE";
  if (bytes.substr(0, 2) == "\xFE\xFF") return "UTF-16BE";
  const std::string_view head = bytes.substr(0, kCharsetScanBytes);
  std::size_t pos = 0;
  while ((pos = ifind(head, "<meta", pos)) != std::string_view::npos) {
    const std::size_t tag_end = head.find('>', pos);
    const std::string_view tag = head.substr(
        pos, tag_end == std::string_view::npos ? std::string_view::npos : tag_end - pos);
    pos += 5;
    // Both <meta charset="x"> and content="text/html; charset=x" put "charset" before "=".
    for (std::size_t at = ifind(tag, "charset"); at != std::string_view::npos;
         at = ifind(tag, "charset", at + 7)) {
      std::size_t i = at + 7;
      while (i < tag.size() && is_ascii_space(tag[i])) ++i;
      if (i >= tag.size() || tag[i] != '=') continue;
      ++i;
      while (i < tag.size() && (is_ascii_space(tag[i]) || tag[i] == '"' || tag[i] == '\'')) ++i;
      const std::size_t start = i;
      while (i < tag.size() && (is_ascii_alnum(tag[i]) || tag[i] == '-' || tag[i] == '_' ||
                                tag[i] == '.' || tag[i] == ':')) {
        ++i;
      }
      if (i > start) return std::string(tag.substr(start, i - start));
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// libxml2 ownership and silence.

struct DocFree {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

struct XmlFree {
  void operator()(xmlChar* text) const noexcept { xmlFree(text); }
};
using XmlText = std::unique_ptr<xmlChar, XmlFree>;

void ignore_structured_error(void* /*context*/, xmlErrorPtr /*error*/) {}
void ignore_generic_error(void* /*context*/, const char* /*format*/, ...) {}

// libxml2 keeps its error handlers per thread (it is built with threads on Debian), so swapping
// them for the duration of a parse silences it without touching other threads.
class QuietLibxml {
 public:
  QuietLibxml()
      : structured_(xmlStructuredError),
        structured_context_(xmlStructuredErrorContext),
        generic_(xmlGenericError),
        generic_context_(xmlGenericErrorContext) {
    xmlSetStructuredErrorFunc(nullptr, ignore_structured_error);
    xmlSetGenericErrorFunc(nullptr, ignore_generic_error);
  }
  ~QuietLibxml() {
    xmlSetStructuredErrorFunc(structured_context_, structured_);
    xmlSetGenericErrorFunc(generic_context_, generic_);
  }
  QuietLibxml(const QuietLibxml&) = delete;
  QuietLibxml& operator=(const QuietLibxml&) = delete;

 private:
  xmlStructuredErrorFunc structured_;
  void* structured_context_;
  xmlGenericErrorFunc generic_;
  void* generic_context_;
};

DocPtr parse_document(const std::string& utf8) {
  static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  static_cast<void>(initialised);
  QuietLibxml quiet;
  // XML_PARSE_HUGE: without it libxml2 stops at nesting depth 256 and drops the rest of the page,
  // which unclosed <div>/<font> soup reaches. IGNORE_ENC: the text is already UTF-8, whatever
  // the page's <meta charset> says.
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE;
  return DocPtr(
      htmlReadMemory(utf8.data(), static_cast<int>(utf8.size()), nullptr, "UTF-8", options));
}

std::string_view name_of(const xmlNode* node) noexcept {
  return as_view(node->name);
}

bool is_element(const xmlNode* node) noexcept {
  return node != nullptr && node->type == XML_ELEMENT_NODE;
}

bool is_text(const xmlNode* node) noexcept {
  return node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE;
}

// Attribute value (entities decoded by libxml2), or nullopt when absent. The HTML parser lower-
// cases attribute names.
std::optional<std::string_view> attribute(const xmlNode* node, std::string_view name) noexcept {
  for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
    if (as_view(attr->name) != name) continue;
    if (attr->children != nullptr && attr->children->type == XML_TEXT_NODE) {
      return as_view(attr->children->content);
    }
    return std::string_view{};
  }
  return std::nullopt;
}

std::string_view attribute_or_empty(const xmlNode* node, std::string_view name) noexcept {
  return attribute(node, name).value_or(std::string_view{});
}

bool has_token(std::string_view list, std::string_view token) {
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_ascii_space(list[i])) ++i;
    const std::size_t start = i;
    while (i < list.size() && !is_ascii_space(list[i])) ++i;
    if (i > start && iequals(list.substr(start, i - start), token)) return true;
  }
  return false;
}

// Pre-order walk without recursion (pages nest thousands deep): `enter` returns whether to
// visit the children; `leave` runs for every entered node after its children.
template <class Enter, class Leave>
void walk(xmlNode* root, Enter&& enter, Leave&& leave) {
  if (root == nullptr) return;
  xmlNode* node = root;
  while (true) {
    if (enter(node) && node->children != nullptr) {
      node = node->children;
      continue;
    }
    while (true) {
      leave(node);
      if (node == root) return;
      if (node->next != nullptr) {
        node = node->next;
        break;
      }
      node = node->parent;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Element classification.

enum TagFlags : unsigned {
  kBlock = 1U << 0,     // starts a new line
  kNever = 1U << 1,     // never holds article text (scripts, widgets, embedded documents)
  kChrome = 1U << 2,    // page furniture: navigation, footers, sidebars, forms
  kHeadTag = 1U << 3,   // <header>: furniture, but holds the title and byline
  kHeading = 1U << 4,   // h1..h6
  kCell = 1U << 5,      // td, th
  kListItem = 1U << 6,  // li, dt, dd
};

unsigned tag_flags(std::string_view name) {
  static const std::unordered_map<std::string_view, unsigned> table = {
      {"address", kBlock},
      {"article", kBlock},
      {"aside", kBlock | kChrome},
      {"blockquote", kBlock},
      {"body", kBlock},
      {"caption", kBlock},
      {"center", kBlock},
      {"dd", kBlock | kListItem},
      {"details", kBlock},
      {"dialog", kBlock | kChrome},
      {"dir", kBlock},
      {"div", kBlock},
      {"dl", kBlock},
      {"dt", kBlock | kListItem},
      {"fieldset", kBlock},
      {"figcaption", kBlock},
      {"figure", kBlock},
      {"footer", kBlock | kChrome},
      {"form", kBlock | kChrome},
      {"h1", kBlock | kHeading},
      {"h2", kBlock | kHeading},
      {"h3", kBlock | kHeading},
      {"h4", kBlock | kHeading},
      {"h5", kBlock | kHeading},
      {"h6", kBlock | kHeading},
      {"header", kBlock | kHeadTag},
      {"hgroup", kBlock},
      {"hr", kBlock},
      {"html", kBlock},
      {"legend", kBlock},
      {"li", kBlock | kListItem},
      {"main", kBlock},
      {"menu", kBlock | kChrome},
      {"nav", kBlock | kChrome},
      {"ol", kBlock},
      {"p", kBlock},
      {"pre", kBlock},
      {"section", kBlock},
      {"summary", kBlock},
      {"table", kBlock},
      {"tbody", kBlock},
      {"td", kBlock | kCell},
      {"tfoot", kBlock},
      {"th", kBlock | kCell},
      {"thead", kBlock},
      {"tr", kBlock},
      {"ul", kBlock},
      {"applet", kNever},
      {"audio", kNever},
      {"button", kNever},
      {"canvas", kNever},
      {"embed", kNever},
      {"head", kNever},
      {"iframe", kNever | kBlock},
      {"input", kNever},
      {"map", kNever},
      {"math", kNever},
      {"noscript", kNever},
      {"object", kNever},
      {"option", kNever},
      {"script", kNever},
      {"select", kNever},
      {"style", kNever},
      {"svg", kNever},
      {"template", kNever},
      {"textarea", kNever},
      {"title", kNever},
      {"video", kNever},
  };
  const auto it = table.find(name);
  return it == table.end() ? 0U : it->second;
}

/// What an element is to the extractor, from its tag and its class/id/role/rel/itemprop.
enum class Kind : std::uint8_t {
  kContent,  ///< Ordinary element.
  kNever,    ///< Holds no article text at all.
  kChrome,   ///< Boilerplate: navigation, share bars, related lists, newsletters, footers...
  kByline,   ///< A byline or author element: not body text, but a source of names.
  kMeta,     ///< Title block furniture (dates, kickers, article headers): not body text.
};

// Whole class/id tokens that mark boilerplate.
const std::unordered_set<std::string_view>& chrome_tokens() {
  static const WordSet set = word_set(
      "about-the-author author-bio author-info d-none element-invisible fb-root hidden "
      "hide is-hidden more-from read-more screen-reader-only screen-reader-text "
      "see-also sign-up skip-link sr-only table-of-contents visually-hidden "
      "visuallyhidden you-may-also-like",
      ' ');
  return set;
}

// Parts of class/id tokens (split at '-' and '_') that mark boilerplate.
const std::unordered_set<std::string_view>& chrome_parts() {
  static const WordSet set = word_set(
      "ad addthis ads advert advertisement advertising bio breadcrumb breadcrumbs "
      "comment comments consent credit credits cta donate donation follow footer "
      "masthead megamenu menu menus modal nav navbar navigation newsletter newsletters "
      "overlay pager pagination popup print promo promos promotion promotional rail "
      "recirculation recommended recommendations related search share shares sharing "
      "sidebar signup skip social sponsor sponsored submenu subscribe subscription "
      "tags toc toolbar topic topics widget",
      ' ');
  return set;
}

// Substrings strong enough to mark boilerplate anywhere in a token ("CybotCookiebotDialog").
constexpr std::array<std::string_view, 8> kChromeSubstrings = {
    "cookie", "newsletter", "breadcrumb", "advert", "onetrust", "sharethis", "addtoany", "disqus"};

const std::unordered_set<std::string_view>& byline_parts() {
  static const WordSet set =
      word_set("author authors byline bylines contributor contributors writer", ' ');
  return set;
}

const std::unordered_set<std::string_view>& meta_parts() {
  static const WordSet set =
      word_set("date dateline eyebrow header kicker meta posted pubdate published timestamp", ' ');
  return set;
}

// Classifies a class or id attribute value; kContent when nothing matches.
Kind classify_tokens(std::string_view value) {
  Kind found = Kind::kContent;
  std::size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && is_ascii_space(value[i])) ++i;
    const std::size_t start = i;
    while (i < value.size() && !is_ascii_space(value[i])) ++i;
    if (i == start) break;
    const std::string token = to_lower(value.substr(start, i - start));
    // WordPress post_class() taxonomy tokens name the post's topics, not its furniture.
    if (token.rfind("category-", 0) == 0 || token.rfind("tag-", 0) == 0 ||
        token.rfind("postid-", 0) == 0) {
      continue;
    }
    if (chrome_tokens().count(token) != 0) return Kind::kChrome;
    for (std::string_view needle : kChromeSubstrings) {
      if (token.find(needle) != std::string::npos) return Kind::kChrome;
    }
    std::size_t p = 0;
    while (p <= token.size()) {
      std::size_t q = token.find_first_of("-_", p);
      if (q == std::string::npos) q = token.size();
      const std::string_view part = std::string_view(token).substr(p, q - p);
      if (!part.empty()) {
        if (chrome_parts().count(part) != 0) return Kind::kChrome;
        if (byline_parts().count(part) != 0) {
          found = Kind::kByline;
        } else if (found == Kind::kContent && meta_parts().count(part) != 0) {
          found = Kind::kMeta;
        }
      }
      p = q + 1;
    }
  }
  return found;
}

Kind stronger(Kind a, Kind b) noexcept {
  auto rank = [](Kind k) {
    switch (k) {
      case Kind::kNever:
        return 4;
      case Kind::kChrome:
        return 3;
      case Kind::kByline:
        return 2;
      case Kind::kMeta:
        return 1;
      case Kind::kContent:
        break;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

bool hidden_by_style(std::string_view style) {
  std::string compact;
  compact.reserve(style.size());
  for (char c : style) {
    if (!is_ascii_space(c)) compact += ascii_lower(c);
  }
  return compact.find("display:none") != std::string::npos ||
         compact.find("visibility:hidden") != std::string::npos;
}

Kind classify(const xmlNode* node, unsigned flags) {
  if ((flags & kNever) != 0) return Kind::kNever;
  // CMSs put taxonomy classes on the article itself ("category-social-media tag-share-buyback"):
  // the containers that hold the page are never judged by their class.
  const std::string_view tag = name_of(node);
  const bool container = tag == "article" || tag == "main" || tag == "body" || tag == "html";
  Kind kind = Kind::kContent;
  if ((flags & kChrome) != 0) kind = Kind::kChrome;
  if ((flags & kHeadTag) != 0) kind = Kind::kMeta;
  for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
    const std::string_view name = as_view(attr->name);
    const std::string_view value =
        (attr->children != nullptr && attr->children->type == XML_TEXT_NODE)
            ? as_view(attr->children->content)
            : std::string_view{};
    if (name == "class" || name == "id") {
      if (!container) kind = stronger(kind, classify_tokens(value));
    } else if (name == "role") {
      static const WordSet chrome_roles = word_set(
          "navigation banner contentinfo complementary search dialog alertdialog menu "
          "menubar toolbar",
          ' ');
      if (chrome_roles.count(to_lower(trim(value))) != 0) kind = stronger(kind, Kind::kChrome);
    } else if (name == "hidden") {
      kind = stronger(kind, Kind::kChrome);
    } else if (name == "aria-hidden") {
      if (iequals(trim(value), "true")) kind = stronger(kind, Kind::kChrome);
    } else if (name == "style") {
      if (hidden_by_style(value)) kind = stronger(kind, Kind::kChrome);
    } else if (name == "rel") {
      if (has_token(value, "author")) kind = stronger(kind, Kind::kByline);
    } else if (name == "itemprop") {
      if (has_token(value, "author") || has_token(value, "creator")) {
        kind = stronger(kind, Kind::kByline);
      } else if (has_token(value, "datePublished") || has_token(value, "dateModified")) {
        kind = stronger(kind, Kind::kMeta);
      }
    }
  }
  return kind;
}

// Per-element facts, reached through xmlNode::_private (libxml2 leaves it to applications).
struct NodeInfo {
  std::size_t own_text = 0;  // non-link text bytes directly inside
  std::size_t raw = 0;       // non-link text bytes in the subtree
  std::size_t clean = 0;     // the same without boilerplate subtrees
  unsigned flags = 0;
  Kind kind = Kind::kContent;
  bool has_block = false;  // some descendant is a block element
  bool skip = false;       // boilerplate for the body (decided once the page total is known)
  bool used_byline = false;
  bool holds_title = false;  // the title <h1> or one of its ancestors
};

NodeInfo* info_of(const xmlNode* node) noexcept {
  return is_element(node) ? static_cast<NodeInfo*>(node->_private) : nullptr;
}

std::size_t visible_bytes(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text) n += is_ascii_space(c) ? 0U : 1U;
  return n;
}

// Text of a small subtree (a heading, a byline), skipping furniture inside it.
std::string text_of(xmlNode* root, std::size_t* non_link_chars = nullptr) {
  TextBuffer buffer;
  int link_depth = 0;
  walk(
      root,
      [&](xmlNode* node) {
        if (is_text(node)) {
          buffer.append(as_view(node->content), link_depth > 0);
          return false;
        }
        if (!is_element(node)) return false;
        const NodeInfo* info = info_of(node);
        const unsigned flags = info != nullptr ? info->flags : tag_flags(name_of(node));
        if (node != root && info != nullptr &&
            (info->kind == Kind::kNever || info->kind == Kind::kChrome)) {
          return false;
        }
        if (node != root && (flags & kNever) != 0) return false;
        if ((flags & kBlock) != 0 || name_of(node) == "br") buffer.space();
        if (name_of(node) == "a") ++link_depth;
        return true;
      },
      [&](xmlNode* node) {
        if (is_element(node)) {
          if (name_of(node) == "a") --link_depth;
          const NodeInfo* info = info_of(node);
          if (info != nullptr && (info->flags & kBlock) != 0) buffer.space();
        }
      });
  if (non_link_chars != nullptr) *non_link_chars = buffer.chars() - buffer.link_chars();
  return buffer.take();
}

bool is_ancestor(const xmlNode* ancestor, const xmlNode* node) noexcept {
  for (const xmlNode* p = node; p != nullptr; p = p->parent) {
    if (p == ancestor) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// What one walk over the whole document collects.

struct Page {
  std::deque<NodeInfo> infos;                              // deque: stable addresses for _private
  std::vector<std::pair<std::string, std::string>> metas;  // lower-case key -> content
  std::string canonical;
  std::string base_href;  // the first <base href>, as written
  std::string html_lang;
  std::string title;
  bool has_title = false;
  std::vector<std::string> json_ld;
  xmlNode* body = nullptr;
  std::vector<xmlNode*> h1s;
  std::vector<xmlNode*> articles;
  std::vector<xmlNode*> mains;
  std::vector<xmlNode*> times;
  std::vector<xmlNode*> bylines;
  std::vector<xmlNode*> tag_links;

  std::vector<std::string_view> meta_all(std::string_view key) const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : metas) {
      if (k == key && !trim(v).empty()) out.push_back(v);
    }
    return out;
  }
  std::string meta(std::string_view key) const {
    for (const auto& [k, v] : metas) {
      if (k == key && !trim(v).empty()) return clean_value(v);
    }
    return {};
  }
};

template <class T>
void push_capped(std::vector<T>& list, T value) {
  if (list.size() < kMaxCandidates) list.push_back(std::move(value));
}

void collect_meta(Page& page, const xmlNode* node) {
  const auto content = attribute(node, "content");
  if (!content) return;
  for (std::string_view key_attr : {"name", "property", "itemprop", "http-equiv"}) {
    if (const auto key = attribute(node, key_attr); key && !trim(*key).empty()) {
      page.metas.emplace_back(to_lower(trim(*key)), std::string(*content));
    }
  }
}

void scan_page(Page& page, xmlNode* root) {
  int link_depth = 0;
  int head_depth = 0;
  walk(
      root,
      [&](xmlNode* node) {
        if (is_text(node)) {
          if (link_depth == 0 && head_depth == 0 && is_element(node->parent)) {
            info_of(node->parent)->own_text += visible_bytes(as_view(node->content));
          }
          return false;
        }
        if (!is_element(node)) return false;
        NodeInfo& info = page.infos.emplace_back();
        node->_private = &info;
        const std::string_view name = name_of(node);
        info.flags = tag_flags(name);
        info.kind = classify(node, info.flags);
        if (name == "head") {
          ++head_depth;
          return true;  // <meta>, <title>, <link> and JSON-LD live here
        }
        if (name == "a") {
          ++link_depth;
          if (has_token(attribute_or_empty(node, "rel"), "tag")) push_capped(page.tag_links, node);
        }
        if (name == "meta") {
          collect_meta(page, node);
        } else if (name == "link") {
          if (page.canonical.empty() && has_token(attribute_or_empty(node, "rel"), "canonical")) {
            page.canonical = clean_value(attribute_or_empty(node, "href"));
          }
        } else if (name == "base") {
          // As in browsers, the first <base> with an href sets the base; others are ignored.
          if (page.base_href.empty())
            page.base_href = clean_value(attribute_or_empty(node, "href"));
        } else if (name == "html") {
          if (page.html_lang.empty())
            page.html_lang = clean_value(attribute_or_empty(node, "lang"));
        } else if (name == "body") {
          if (page.body == nullptr) page.body = node;
        } else if (name == "title") {
          if (!page.has_title && head_depth > 0) {
            page.title = text_of(node);
            page.has_title = true;
          }
        } else if (name == "script") {
          const std::string_view type = trim(attribute_or_empty(node, "type"));
          if (istarts_with(type, "application/ld+json")) {
            const XmlText content(xmlNodeGetContent(node));
            if (content) page.json_ld.emplace_back(as_view(content.get()));
          }
        } else if (name == "h1") {
          push_capped(page.h1s, node);
        } else if (name == "article") {
          push_capped(page.articles, node);
        } else if (name == "main" || iequals(trim(attribute_or_empty(node, "role")), "main")) {
          push_capped(page.mains, node);
        } else if (name == "time") {
          push_capped(page.times, node);
        }
        if (name != "time" && has_token(attribute_or_empty(node, "itemprop"), "datePublished")) {
          push_capped(page.times, node);
        }
        if (info.kind == Kind::kByline) push_capped(page.bylines, node);
        return info.kind != Kind::kNever;
      },
      [&](xmlNode* node) {
        if (!is_element(node)) return;
        NodeInfo* info = info_of(node);
        const std::string_view name = name_of(node);
        if (name == "head") --head_depth;
        if (name == "a") --link_depth;
        info->raw += info->own_text;
        if (NodeInfo* parent = info_of(node->parent)) {
          parent->raw += info->raw;
          parent->has_block = parent->has_block || info->has_block || (info->flags & kBlock) != 0;
        }
      });
}

// Second walk, once the page total is known: boilerplate that holds half the page's text is a
// mislabelled wrapper ("page has-comments", an ASP.NET <form> around everything), not furniture.
// Every element gets its flag (not only the topmost boilerplate), so that in_chrome() can ask
// about any ancestor.
void mark_boilerplate(xmlNode* body) {
  const std::size_t total = info_of(body)->raw;
  walk(
      body,
      [&](xmlNode* node) {
        if (!is_element(node)) return false;
        NodeInfo* info = info_of(node);
        info->clean = 0;
        if (node == body) return true;
        const bool exempt =
            info->kind != Kind::kNever && info->raw >= kMinWrapperText && info->raw * 2 >= total;
        info->skip = info->kind != Kind::kContent && !exempt;
        return info->kind != Kind::kNever;
      },
      [&](xmlNode* node) {
        if (!is_element(node)) return;
        NodeInfo* info = info_of(node);
        info->clean += info->own_text;
        if (node != body && !info->skip) {
          if (NodeInfo* parent = info_of(node->parent)) parent->clean += info->clean;
        }
      });
}

// True when `node` sits inside furniture that can never hold this article's metadata (related
// cards, comment threads, navigation). Title blocks (<header>, "meta") are allowed.
bool in_chrome(const xmlNode* node, const xmlNode* body) {
  for (const xmlNode* p = node; p != nullptr && p != body; p = p->parent) {
    const NodeInfo* info = info_of(p);
    if (info == nullptr) break;
    if ((info->kind == Kind::kChrome || info->kind == Kind::kNever) && info->skip) return true;
  }
  return false;
}

xmlNode* best_container(const std::vector<xmlNode*>& candidates, std::size_t page_clean) {
  xmlNode* best = nullptr;
  std::size_t best_clean = 0;
  for (xmlNode* node : candidates) {
    const NodeInfo* info = info_of(node);
    if (info->skip || in_chrome(node, nullptr)) continue;
    const std::size_t clean = info->clean;
    if (clean > best_clean) {
      best = node;
      best_clean = clean;
    }
  }
  // A candidate with a quarter of the page's text is the article; less is a teaser card.
  if (best == nullptr || best_clean * 4 < page_clean) return nullptr;
  return best;
}

// Lists, figures and quotations are parts of an article, never the whole of it.
bool can_hold_article(const xmlNode* node) {
  static const WordSet parts =
      word_set("address blockquote dd details dl dt figure h1 h2 h3 h4 h5 h6 li ol p pre ul", ' ');
  return parts.count(name_of(node)) == 0;
}

// Readability-style fallback: descend from <body> while one child holds most of the text that
// is not links or boilerplate.
xmlNode* densest_block(xmlNode* body) {
  xmlNode* node = body;
  while (true) {
    const std::size_t total = info_of(node)->clean;
    xmlNode* best = nullptr;
    std::size_t best_clean = 0;
    for (xmlNode* child = node->children; child != nullptr; child = child->next) {
      const NodeInfo* info = info_of(child);
      if (info == nullptr || info->skip || !info->has_block || !can_hold_article(child)) continue;
      if (info->clean > best_clean) {
        best = child;
        best_clean = info->clean;
      }
    }
    if (best == nullptr || best_clean * 10 < total * 6) return node;
    node = best;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-LD.

struct LinkedData {
  bool article_like = false;
  std::string type;
  std::string headline;
  std::string date;
  std::string publisher;
  std::string description;
  std::string url;
  std::string language;
  std::string site_name;
  std::vector<std::string> authors;
  std::vector<std::string> keywords;
  std::vector<std::string> sections;
};

std::string_view short_type(std::string_view type) noexcept {
  const std::size_t cut = type.find_last_of("/:#");
  return cut == std::string_view::npos ? type : type.substr(cut + 1);
}

std::vector<std::string_view> types_of(const Json& node) {
  std::vector<std::string_view> out;
  const auto it = node.find("@type");
  if (it == node.end()) return out;
  if (it->is_string()) out.push_back(short_type(it->get_ref<const std::string&>()));
  if (it->is_array()) {
    for (const Json& t : *it) {
      if (t.is_string()) out.push_back(short_type(t.get_ref<const std::string&>()));
    }
  }
  return out;
}

bool is_article_type(std::string_view type) {
  static const WordSet types = word_set(
      "Article NewsArticle Report BlogPosting OpinionNewsArticle ScholarlyArticle "
      "AnalysisNewsArticle ReportageNewsArticle BackgroundNewsArticle TechArticle "
      "LiveBlogPosting SocialMediaPosting",
      ' ');
  return types.count(type) != 0 || (type.size() > 7 && type.substr(type.size() - 7) == "Article");
}

// Keyword lists: "a, b; c".
std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || value[i] == ',' || value[i] == ';') {
      std::string item = clean_value(value.substr(start, i - start));
      if (!item.empty()) out.push_back(std::move(item));
      start = i + 1;
    }
  }
  return out;
}

class LinkedDataReader {
 public:
  void add(const Json& document) { collect(document, 0); }

  LinkedData result() const {
    LinkedData out;
    const Json* article = nullptr;
    const Json* page = nullptr;
    for (const Json* node : nodes_) {
      for (std::string_view type : types_of(*node)) {
        if (article == nullptr && is_article_type(type)) article = node;
        if (page == nullptr && type.size() >= 4 && type.substr(type.size() - 4) == "Page") {
          page = node;
        }
        if (out.site_name.empty() && type == "WebSite") {
          out.site_name = text(member(*node, "name"));
          if (const auto pub = node->find("publisher"); pub != node->end()) {
            out.publisher = name_of_entity(*pub);
          }
        }
      }
    }
    const Json* chosen = article != nullptr ? article : page;
    if (chosen == nullptr) return out;
    const Json& node = *chosen;
    out.article_like = article != nullptr;
    if (const auto types = types_of(node); !types.empty()) out.type = std::string(types.front());
    out.headline = field(node, "headline");
    if (out.headline.empty()) out.headline = field(node, "name");
    out.date = field(node, "datePublished");
    if (out.date.empty()) out.date = field(node, "dateCreated");
    if (const auto pub = node.find("publisher"); pub != node.end()) {
      if (std::string name = name_of_entity(*pub); !name.empty()) out.publisher = std::move(name);
    }
    out.description = field(node, "description");
    out.url = field(node, "url");
    if (out.url.empty()) {
      if (const auto main = node.find("mainEntityOfPage"); main != node.end()) {
        out.url = main->is_object() ? text(member(*main, "@id")) : text(*main);
      }
    }
    if (const auto lang = node.find("inLanguage"); lang != node.end()) {
      out.language = lang->is_object() ? name_of_entity(*lang) : text(*lang);
      if (out.language.empty() && lang->is_object()) {
        out.language = text(member(*lang, "alternateName"));
      }
    }
    auto author = node.find("author");
    if (author == node.end()) author = node.find("creator");
    if (author != node.end()) add_people(*author, out.authors);
    if (const auto keywords = node.find("keywords"); keywords != node.end()) {
      if (keywords->is_string()) {
        out.keywords = split_list(text(*keywords));
      } else {
        add_list(*keywords, out.keywords);
      }
    }
    if (const auto section = node.find("articleSection"); section != node.end()) {
      add_list(*section, out.sections);
    }
    return out;
  }

 private:
  void collect(const Json& value, int depth) {
    if (depth > kMaxJsonDepth) return;
    if (value.is_array()) {
      for (const Json& item : value) collect(item, depth + 1);
      return;
    }
    if (!value.is_object()) return;
    nodes_.push_back(&value);
    if (const auto id = value.find("@id");
        id != value.end() && id->is_string() && value.size() > 1) {
      ids_.emplace(id->get_ref<const std::string&>(), &value);
    }
    if (const auto graph = value.find("@graph"); graph != value.end()) {
      collect(*graph, depth + 1);
    }
  }

  // {"@id": "..."} references point at a node defined elsewhere in the @graph (Yoast does this).
  const Json& resolve(const Json& value) const {
    if (value.is_object()) {
      const auto id = value.find("@id");
      if (id != value.end() && id->is_string() && value.find("name") == value.end()) {
        const auto it = ids_.find(id->get_ref<const std::string&>());
        if (it != ids_.end()) return *it->second;
      }
    }
    return value;
  }

  // A member by reference (Json::value() would copy the whole subtree).
  static const Json& member(const Json& node, const char* key) {
    static const Json kNull;
    const auto it = node.find(key);
    return it == node.end() ? kNull : *it;
  }

  // A string value, or the first of a list; `depth` bounds the lists within lists followed.
  static std::string text(const Json& value, int depth = 0) {
    if (depth > kMaxJsonDepth) return {};
    if (value.is_string()) return clean_value(decode_entities(value.get_ref<const std::string&>()));
    if (value.is_array() && !value.empty()) return text(value.front(), depth + 1);
    if (value.is_object()) {
      if (const auto v = value.find("@value"); v != value.end()) return text(*v, depth + 1);
    }
    return {};
  }

  std::string field(const Json& node, const char* key) const {
    const auto it = node.find(key);
    return it == node.end() ? std::string{} : text(*it);
  }

  std::string name_of_entity(const Json& value) const {
    const Json& entity = resolve(value.is_array() && !value.empty() ? value.front() : value);
    if (entity.is_string()) return text(entity);
    if (!entity.is_object()) return {};
    std::string name = field(entity, "name");
    if (name.empty()) {
      const std::string given = field(entity, "givenName");
      const std::string family = field(entity, "familyName");
      name = clean_value(given + " " + family);
    }
    return name;
  }

  void add_people(const Json& value, std::vector<std::string>& out, int depth = 0) const {
    if (depth > kMaxJsonDepth || out.size() >= kMaxCandidates) return;
    if (value.is_array()) {
      for (const Json& item : value) add_people(item, out, depth + 1);
      return;
    }
    if (value.is_string()) {
      for (std::string& name : split_authors(text(value))) out.push_back(std::move(name));
      return;
    }
    if (std::string name = name_of_entity(value); !name.empty()) out.push_back(std::move(name));
  }

  static void add_list(const Json& value, std::vector<std::string>& out) {
    if (value.is_array()) {
      for (const Json& item : value) {
        if (std::string t = text(item); !t.empty()) out.push_back(std::move(t));
      }
    } else if (value.is_string()) {
      out.push_back(text(value));
    }
  }

  std::vector<const Json*> nodes_;
  std::unordered_map<std::string, const Json*> ids_;
};

// Control characters are invalid inside JSON strings but templates emit raw newlines and tabs
// in descriptions; outside strings they are white space, so a space is right either way.
std::string sanitise_json_ld(std::string_view script) {
  std::string_view s = trim(script);
  if (s.substr(0, 4) == "<!--") s.remove_prefix(4);
  if (s.size() >= 3 && s.substr(s.size() - 3) == "-->") s.remove_suffix(3);
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

// True when brackets outside strings and comments nest deeper than `limit`. nlohmann parses
// iteratively, but copying a value and our readers recurse: a block of 100,000 nested arrays is
// hostile, never data, and is rejected before it is parsed.
bool nested_deeper_than(std::string_view json, int limit) noexcept {
  int depth = 0;
  const std::size_t n = json.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = json[i];
    if (c == '"') {
      for (++i; i < n && json[i] != '"'; ++i) {
        if (json[i] == '\\') ++i;
      }
    } else if (c == '/' && i + 1 < n && json[i + 1] == '/') {
      i = json.find('\n', i);
      if (i == std::string_view::npos) break;
    } else if (c == '/' && i + 1 < n && json[i + 1] == '*') {
      i = json.find("*/", i + 2);
      if (i == std::string_view::npos) break;
      ++i;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Names, topics, titles.

// Topics: deduplicated case-insensitively, bounded, in order.
std::vector<std::string> dedupe_topics(std::vector<std::string> topics) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (std::string& topic : topics) {
    if (topic.empty() || topic.size() > kMaxTopicBytes || out.size() >= kMaxTopics) continue;
    if (seen.insert(to_lower(topic)).second) out.push_back(std::move(topic));
  }
  return out;
}

bool has_digit(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t word_count(std::string_view s) noexcept {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = is_ascii_space(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// citation_author and DC.creator are often "Last, First".
std::string invert_name(std::string_view name) {
  const std::size_t comma = name.find(',');
  if (comma == std::string_view::npos || name.find(',', comma + 1) != std::string_view::npos) {
    return std::string(name);
  }
  const std::string_view last = trim(name.substr(0, comma));
  const std::string_view first = trim(name.substr(comma + 1));
  static const WordSet suffixes = word_set("jr jr. sr sr. ii iii iv phd ph.d. md esq.", ' ');
  if (last.empty() || first.empty() || word_count(last) > 3 || word_count(first) > 3 ||
      has_digit(name) || suffixes.count(to_lower(first)) != 0) {
    return std::string(name);
  }
  return std::string(first) + " " + std::string(last);
}

class NameFilter {
 public:
  void add_site(std::string_view name) {
    std::string key = fold(name);
    if (!key.empty() && std::find(sites_.begin(), sites_.end(), key) == sites_.end()) {
      if (primary_.empty()) primary_ = clean_value(name);
      sites_.push_back(std::move(key));
    }
  }

  [[nodiscard]] bool is_site(std::string_view name) const {
    const std::string key = fold(name);
    return !key.empty() && std::find(sites_.begin(), sites_.end(), key) != sites_.end();
  }

  // Obvious non-names never leave the parser; subtler cases are the normaliser's business.
  [[nodiscard]] bool acceptable_author(std::string_view name) const {
    static const WordSet junk = word_set(
        "admin administrator all and anonymous author authors bio by contributor "
        "contributors editor editorial editors email expert experts facebook follow "
        "guest linkedin media more newsroom press print readmore seeall share staff "
        "staffwriter team twitter unknown viewall webmaster",
        ' ');
    if (name.empty() || name.size() > kMaxAuthorBytes || word_count(name) > kMaxAuthorWords) {
      return false;
    }
    if (ifind(name, "http") != std::string_view::npos || ifind(name, "www.") == 0 ||
        name.find('@') != std::string_view::npos || name.find('/') != std::string_view::npos ||
        has_digit(name)) {
      return false;
    }
    const std::string key = fold(name);
    if (key.empty() || junk.count(key) != 0 || is_site(name)) return false;
    return plausible_author(name, primary_);
  }

  [[nodiscard]] std::vector<std::string> filter(std::vector<std::string> names) const {
    std::vector<std::string> out;
    for (std::string& name : names) {
      std::string value = clean_value(name);
      if (istarts_with(value, "by ")) value = std::string(trim(std::string_view(value).substr(3)));
      if (acceptable_author(value)) out.push_back(std::move(value));
    }
    return out;
  }

  // "Commentary | Brookings" -> "Commentary"; a title that is only the site name is no title.
  [[nodiscard]] std::string strip_site(std::string title) const {
    title = clean_value(title);
    if (is_site(title)) return {};
    static constexpr std::array<std::string_view, 6> kSeparators = {
        " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xB7 "};
    for (std::string_view sep : kSeparators) {
      const std::size_t pos = title.rfind(sep);
      if (pos != std::string::npos && pos > 0 &&
          is_site(std::string_view(title).substr(pos + sep.size()))) {
        return clean_value(std::string_view(title).substr(0, pos));
      }
      const std::size_t first = title.find(sep);
      if (first != std::string::npos && first > 0 &&
          is_site(std::string_view(title).substr(0, first))) {
        return clean_value(std::string_view(title).substr(first + sep.size()));
      }
    }
    return title;
  }

 private:
  std::vector<std::string> sites_;
  std::string primary_;
};

bool is_http_url(std::string_view url) noexcept {
  return istarts_with(url, "http://") || istarts_with(url, "https://");
}

// ---------------------------------------------------------------------------------------------
// URI references (RFC 3986 section 5), enough to make a page's relative canonical absolute.

// A URI reference split into its parts. The fragment is dropped: it names a place in the page,
// not the page.
struct UriParts {
  std::string_view scheme;
  std::string_view authority;
  std::string_view path;
  std::string_view query;
  bool has_scheme = false;
  bool has_authority = false;
  bool has_query = false;
};

constexpr bool is_ascii_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// RFC 3986 appendix B, by scanning.
UriParts split_uri(std::string_view ref) noexcept {
  UriParts parts;
  ref = ref.substr(0, ref.find('#'));
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), ended by the first ':'.
  if (!ref.empty() && is_ascii_alpha(ref.front())) {
    std::size_t i = 1;
    while (i < ref.size() &&
           (is_ascii_alnum(ref[i]) || ref[i] == '+' || ref[i] == '-' || ref[i] == '.')) {
      ++i;
    }
    if (i < ref.size() && ref[i] == ':') {
      parts.scheme = ref.substr(0, i);
      parts.has_scheme = true;
      ref.remove_prefix(i + 1);
    }
  }
  if (ref.substr(0, 2) == "//") {
    ref.remove_prefix(2);
    const std::size_t end = std::min(ref.find_first_of("/?"), ref.size());
    parts.authority = ref.substr(0, end);
    parts.has_authority = true;
    ref.remove_prefix(end);
  }
  const std::size_t question = ref.find('?');
  parts.path = ref.substr(0, question);
  if (question != std::string_view::npos) {
    parts.query = ref.substr(question + 1);
    parts.has_query = true;
  }
  return parts;
}

// RFC 3986 5.2.4: "." and ".." segments go, ".." taking its parent with it (never above "/").
std::string remove_dot_segments(std::string_view in) {
  static constexpr std::string_view kRoot = "/";
  const auto drop_last_segment = [](std::string& out) {
    const std::size_t slash = out.rfind('/');
    out.resize(slash == std::string::npos ? 0 : slash);
  };
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = kRoot;
    } else if (in.substr(0, 4) == "/../") {
      in.remove_prefix(3);
      drop_last_segment(out);
    } else if (in == "/..") {
      in = kRoot;
      drop_last_segment(out);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      // The first segment, with its leading '/', up to the next '/'.
      const std::size_t end = std::min(in.find('/', 1), in.size());
      out.append(in.substr(0, end));
      in.remove_prefix(end);
    }
  }
  return out;
}

// RFC 3986 5.2.2: `ref` resolved against the absolute http(s) URL `base`, without fragment.
// Empty when `ref` has a scheme of its own ("mailto:", "javascript:": nothing to resolve) or
// `base` is not an absolute http(s) URL.
std::string resolve_reference(std::string_view base, std::string_view ref) {
  const UriParts b = split_uri(base);
  const UriParts r = split_uri(ref);
  if (r.has_scheme || !is_http_url(base) || b.authority.empty()) return {};
  if (r.has_authority && r.authority.empty()) return {};  // "///x": no host to go to
  std::string path;
  std::string_view authority = b.authority;
  std::string_view query = r.query;
  bool has_query = r.has_query;
  if (r.has_authority) {  // "//host/path": the base gives only the scheme
    authority = r.authority;
    path = remove_dot_segments(r.path);
  } else if (r.path.empty()) {  // "?q" or "#frag": the base document itself
    path = std::string(b.path);
    if (!r.has_query) {
      query = b.query;
      has_query = b.has_query;
    }
  } else if (r.path.front() == '/') {
    path = remove_dot_segments(r.path);
  } else {  // relative to the base's directory (5.2.3)
    std::string merged;
    if (b.path.empty()) {
      merged = "/";
    } else {
      merged = std::string(b.path.substr(0, b.path.rfind('/') + 1));
    }
    merged += r.path;
    path = remove_dot_segments(merged);
  }
  std::string out = to_lower(b.scheme);
  out.reserve(out.size() + 3 + authority.size() + path.size() + query.size() + 1);
  out += "://";
  out += authority;
  out += path;
  if (has_query) {
    out += '?';
    out += query;
  }
  return out;
}

// "www.example.org/x": a relative reference whose first segment is a dotted name ending in a
// letters-only label, followed by a path. Written by mistake for an absolute URL; resolving it
// would give "https://site/dir/www.example.org/x". "report.html" and "v1.2/x" are paths.
bool starts_with_host_name(std::string_view ref) noexcept {
  const std::size_t end = ref.find_first_of("/?#");
  if (end == std::string_view::npos || ref[end] != '/' || end == 0) return false;
  const std::string_view first = ref.substr(0, end);
  const std::size_t dot = first.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == first.size()) return false;
  const std::string_view label = first.substr(dot + 1);
  return std::all_of(label.begin(), label.end(), [](char c) { return is_ascii_alpha(c); });
}

bool looks_like_author_link(const xmlNode* anchor) {
  if (has_token(attribute_or_empty(anchor, "rel"), "author")) return true;
  const std::string_view href = attribute_or_empty(anchor, "href");
  static constexpr std::array<std::string_view, 10> kPaths = {
      "/expert", "/people/", "/author", "/staff/",   "/profile",
      "/bio",    "/scholar", "/team/",  "/fellows/", "/person/"};
  return std::any_of(kPaths.begin(), kPaths.end(), [&](std::string_view path) {
    return ifind(href, path) != std::string_view::npos;
  });
}

// Names in a byline element: a "By A and B" line, else author-page links, else a bare name.
std::vector<std::string> names_in_byline(xmlNode* node, const NameFilter& filter) {
  const std::string text = text_of(node);
  if (text.empty() || text.size() > kMaxBylineBytes) return {};
  if (std::vector<std::string> names = byline_names(text); !names.empty()) {
    return filter.filter(std::move(names));
  }
  std::vector<std::string> linked;
  walk(
      node,
      [&](xmlNode* child) {
        if (!is_element(child)) return false;
        const NodeInfo* info = info_of(child);
        if (child != node && info != nullptr &&
            (info->kind == Kind::kChrome || info->kind == Kind::kNever)) {
          return false;
        }
        if (name_of(child) == "a" && looks_like_author_link(child)) {
          linked.push_back(text_of(child));
          return false;
        }
        return true;
      },
      [](xmlNode*) {});
  if (!linked.empty()) return filter.filter(std::move(linked));
  if (text.size() > kMaxAuthorBytes) return {};
  return filter.filter(split_authors(text));
}

// ---------------------------------------------------------------------------------------------
// Body extraction: one walk over the chosen container.

// Headings that introduce furniture rather than article sections.
bool is_chrome_heading(std::string_view heading) {
  static const WordSet headings = word_set(
      "about the author|about the authors|comments|follow us|join the conversation|"
      "leave a comment|more from|more on this topic|most popular|newsletter|popular|"
      "read more|recommended|recommended reading|related|related articles|"
      "related content|related posts|related publications|related research|"
      "related topics|share|share this|share this article|sign up|stay informed|"
      "subscribe|tags|topics|trending|you may also like",
      '|');
  std::string key = to_lower(trim(heading));
  while (!key.empty() && (key.back() == ':' || key.back() == '.')) key.pop_back();
  return headings.count(key) != 0;
}

// The date of a date line in a form the normaliser parses: the line as written when it is only
// a date ("October 30, 2025"), else the date found in it in ISO form ("Published: Oct. 30, 2025"
// and "By Ann Lee | March 3, 2019" give "2025-10-30" and "2019-03-03"). Empty when no date.
std::string date_of_line(std::string_view line, DateOrder order) {
  const std::optional<Date> date = find_date_line(line, order);
  if (!date) return {};
  if (parse_date(line, order)) return std::string(trim(line));
  return date->iso();
}

class BodyExtractor {
 public:
  BodyExtractor(RawRecord& record, const NameFilter& names, DateOrder date_order,
                const xmlNode* title_h1, std::string title_key)
      : record_(record),
        names_(names),
        date_order_(date_order),
        title_h1_(title_h1),
        title_key_(std::move(title_key)) {
    // Marked once, so that "does this element hold the title?" costs nothing during the walk
    // (asking is_ancestor() per element was quadratic on deep pages).
    for (const xmlNode* p = title_h1_; p != nullptr; p = p->parent) {
      if (NodeInfo* info = info_of(p)) info->holds_title = true;
    }
  }

  void run(xmlNode* root) {
    root_ = root;
    before_title_ = title_h1_ != nullptr && info_of(root)->holds_title;
    reset_line();
    link_depth_ = time_depth_ = cell_depth_ = list_depth_ = pre_depth_ = 0;
    skipping_ = false;
    section_open_ = false;
    section_lines_ = 0;
    walk(
        root, [this](xmlNode* node) { return enter(node); },
        [this](xmlNode* node) { leave(node); });
    flush();
  }

  /// Names from a "By ..." line or byline element at the top of the article.
  std::vector<std::string> lead_byline;
  /// A date line at the top of the article ("October 30, 2025"), see date_of_line().
  std::string lead_date;
  /// Names from a byline line in title-block furniture (<header>, "entry-meta"...).
  std::vector<std::string> meta_byline;
  /// A date line in title-block furniture, see date_of_line().
  std::string meta_date;

 private:
  bool enter(xmlNode* node) {
    if (is_text(node)) {
      text(as_view(node->content));
      return false;
    }
    if (!is_element(node)) return false;
    NodeInfo* info = info_of(node);
    const std::string_view name = name_of(node);
    if (node != root_ && info->skip) {
      if (info->kind == Kind::kByline) take_byline(node, *info);
      if (info->kind == Kind::kMeta) take_meta(node);
      // The title often sits in a skipped article header; the article starts after it.
      if (before_title_ && info->holds_title) {
        flush();
        before_title_ = false;
      }
      return false;
    }
    if (node == title_h1_) {
      // Kickers and breadcrumbs sit above the title; the article starts below it.
      flush();
      before_title_ = false;
      return false;
    }
    if (name == "br") {
      if (cell_depth_ > 0) {
        line_.space();
      } else {
        flush();
      }
      return false;
    }
    if (is_section_heading(node, *info)) {
      heading(node);
      return false;
    }
    if (name == "a") ++link_depth_;
    if (name == "time") ++time_depth_;
    if ((info->flags & kCell) != 0 && !info->has_block) {
      ++cell_depth_;
      line_.separator();
      return true;
    }
    if ((info->flags & kListItem) != 0) ++list_depth_;
    if (name == "pre") ++pre_depth_;
    if ((info->flags & kBlock) != 0) {
      if (cell_depth_ > 0) {
        line_.space();
      } else {
        flush();
      }
    }
    return true;
  }

  void text(std::string_view content) {
    if (pre_depth_ > 0) {
      // Preformatted text keeps its line breaks.
      std::size_t start = 0;
      for (std::size_t nl = content.find('\n'); nl != std::string_view::npos;
           nl = content.find('\n', start)) {
        append(content.substr(start, nl - start));
        flush();
        start = nl + 1;
      }
      content.remove_prefix(start);
    }
    append(content);
  }

  void append(std::string_view content) {
    line_.append(content, link_depth_ > 0);
    if (visible_bytes(content) > 0) (time_depth_ > 0 ? line_has_time_ : line_has_other_) = true;
  }

  void leave(xmlNode* node) {
    if (!is_element(node)) return;
    const NodeInfo* info = info_of(node);
    if (node != root_ && info->skip) return;
    const std::string_view name = name_of(node);
    if (node == title_h1_ || name == "br") return;
    if (is_section_heading(node, *info)) return;
    if (name == "a") --link_depth_;
    if (name == "time") --time_depth_;
    if ((info->flags & kCell) != 0 && !info->has_block) {
      --cell_depth_;
      return;
    }
    if ((info->flags & kBlock) != 0) {
      if (cell_depth_ > 0) {
        line_.space();
      } else {
        flush();
      }
    }
    if ((info->flags & kListItem) != 0) --list_depth_;
    if (name == "pre") --pre_depth_;
  }

  // An unclosed <h2> that swallowed paragraphs is a container, not a heading.
  static bool is_section_heading(const xmlNode* node, const NodeInfo& info) {
    const std::string_view name = name_of(node);
    return (info.flags & kHeading) != 0 && !info.has_block &&
           (name == "h1" || name == "h2" || name == "h3");
  }

  void heading(xmlNode* node) {
    flush();
    const std::string text = text_of(node);
    if (text.empty()) return;
    if (!title_key_.empty() && fold(text) == title_key_) return;  // the title repeated
    if (is_chrome_heading(text)) {
      skipping_ = true;
      return;
    }
    skipping_ = false;
    const std::size_t at = record_.body.size();
    record_.sections.push_back(RawSection{text, {}, at, at});
    section_open_ = true;
    section_lines_ = 0;
  }

  // A byline element inside the body: the signature of the current section, else of the
  // article. Never body text.
  void take_byline(xmlNode* node, NodeInfo& info) {
    flush();
    if (skipping_) return;
    std::vector<std::string> names = names_in_byline(node, names_);
    if (names.empty()) return;
    if (in_titled_section()) {
      if (section_lines_ == 0 && record_.sections.back().authors.empty()) {
        record_.sections.back().authors = std::move(names);
        info.used_byline = true;
      }
    } else if (lead_byline.empty()) {
      lead_byline = std::move(names);
      info.used_byline = true;
    }
  }

  // Title-block furniture (an article <header>, "entry-meta", "post-date"...) is not body text,
  // but its short lines are often the only visible byline and date. Element boundaries, and
  // date or byline elements inside, split it into lines; the title itself is left out.
  void take_meta(xmlNode* node) {
    flush();
    if (skipping_ || meta_lines_ >= kMaxCandidates) return;
    TextBuffer line;
    const auto end_line = [&] {
      if (!line.empty()) meta_line(line.take());
    };
    walk(
        node,
        [&](xmlNode* child) {
          if (is_text(child)) {
            line.append(as_view(child->content), false);
            return false;
          }
          if (!is_element(child) || child == title_h1_) return false;
          const NodeInfo* info = info_of(child);
          if (info == nullptr) return false;
          if (child != node && (info->kind == Kind::kNever || info->kind == Kind::kChrome)) {
            return false;
          }
          if ((info->flags & kBlock) != 0 || name_of(child) == "br" || info->kind == Kind::kMeta ||
              info->kind == Kind::kByline) {
            end_line();
          }
          return true;
        },
        [&](xmlNode* child) {
          if (!is_element(child) || child == title_h1_) return;
          const NodeInfo* info = info_of(child);
          if (info == nullptr) return;
          if ((info->flags & kBlock) != 0 || info->kind == Kind::kMeta ||
              info->kind == Kind::kByline) {
            end_line();
          }
        });
    end_line();
  }

  void meta_line(std::string_view text) {
    // Bounded: a page of thousands of "date" cells is a table, not a title block.
    if (text.size() > kMaxBylineBytes || ++meta_lines_ > kMaxCandidates) return;
    std::vector<std::string> names = names_.filter(byline_names(text));
    // Fields of "March 3, 2019 | By Ann Lee | Commentary", one at a time.
    if (names.empty() && text.find('|') != std::string_view::npos) {
      for (std::size_t start = 0; names.empty() && start < text.size();) {
        std::size_t bar = text.find('|', start);
        if (bar == std::string_view::npos) bar = text.size();
        names = names_.filter(byline_names(trim(text.substr(start, bar - start))));
        start = bar + 1;
      }
    }
    if (!names.empty()) {
      if (in_titled_section()) {
        if (section_lines_ == 0 && record_.sections.back().authors.empty()) {
          record_.sections.back().authors = std::move(names);
        }
      } else if (meta_byline.empty()) {
        meta_byline = std::move(names);
      }
    }
    if (meta_date.empty()) meta_date = date_of_line(text, date_order_);
  }

  [[nodiscard]] bool in_titled_section() const noexcept {
    return section_open_ && !record_.sections.empty() && !record_.sections.back().heading.empty();
  }

  void flush() {
    if (line_.empty()) {
      reset_line();
      return;
    }
    const bool link_only = line_.link_chars() == line_.chars();
    const bool time_only = line_has_time_ && !line_has_other_;
    const bool in_list = list_depth_ > 0;
    std::string text = line_.take();
    reset_line();
    if (skipping_ || time_only || before_title_) return;
    if (!title_key_.empty() && fold(text) == title_key_) return;  // the title repeated
    if (link_only && (in_list || text.size() < kMaxLinkOnlyLineBytes)) return;
    const bool titled = in_titled_section();
    const std::size_t checked = titled ? 1 : kLeadLinesChecked;
    if (section_lines_ < checked && text.size() <= kMaxBylineBytes) {
      if (std::vector<std::string> names = names_.filter(byline_names(text)); !names.empty()) {
        if (titled) {
          if (record_.sections.back().authors.empty()) {
            record_.sections.back().authors = std::move(names);
          }
        } else if (lead_byline.empty()) {
          lead_byline = std::move(names);
        }
        return;
      }
      if (!titled && record_.body.empty()) {
        if (std::string date = date_of_line(text, date_order_); !date.empty()) {
          if (lead_date.empty()) lead_date = std::move(date);
          return;
        }
      }
    }
    emit(std::move(text));
  }

  void emit(std::string text) {
    if (!section_open_) {
      record_.sections.push_back(RawSection{});
      section_open_ = true;
      section_lines_ = 0;
    }
    if (!record_.body.empty()) record_.body += '\n';
    const std::size_t start = record_.body.size();
    record_.body += text;
    RawSection& section = record_.sections.back();
    if (section_lines_ == 0) section.begin = start;
    section.end = record_.body.size();
    ++section_lines_;
  }

  void reset_line() noexcept {
    line_.clear();
    line_has_time_ = false;
    line_has_other_ = false;
  }

  RawRecord& record_;
  const NameFilter& names_;
  DateOrder date_order_;
  const xmlNode* title_h1_;
  std::string title_key_;
  const xmlNode* root_ = nullptr;

  TextBuffer line_;
  bool line_has_time_ = false;
  bool line_has_other_ = false;
  int link_depth_ = 0;
  int time_depth_ = 0;
  int cell_depth_ = 0;
  int list_depth_ = 0;
  int pre_depth_ = 0;
  bool skipping_ = false;
  bool before_title_ = false;
  bool section_open_ = false;
  std::size_t section_lines_ = 0;
  std::size_t meta_lines_ = 0;  // furniture lines examined by meta_line()
};

// ---------------------------------------------------------------------------------------------
// Putting it together.

Diagnostic diagnostic(const ParseContext& context, Diagnostic::Severity severity,
                      std::string message) {
  return Diagnostic{severity, context.path, 0, std::move(message)};
}

// The first <h1> of the article, else the first on the page outside furniture that is not a
// linked logo or the site's name.
xmlNode* title_heading(const Page& page, const xmlNode* root, const NameFilter& names) {
  xmlNode* fallback = nullptr;
  for (xmlNode* h1 : page.h1s) {
    if (info_of(h1)->has_block) continue;  // an unclosed <h1> around the article
    if (page.body == nullptr || !is_ancestor(page.body, h1) || in_chrome(h1, page.body)) continue;
    std::size_t non_link = 0;
    const std::string text = text_of(h1, &non_link);
    if (text.empty() || non_link == 0 || names.is_site(text)) continue;
    if (root != nullptr && is_ancestor(root, h1)) return h1;
    if (fallback == nullptr) fallback = h1;
  }
  return fallback;
}

std::string time_value(xmlNode* node) {
  for (std::string_view attr : {"datetime", "content"}) {
    if (const auto value = attribute(node, attr); value && !trim(*value).empty()) {
      return clean_value(*value);
    }
  }
  return text_of(node);
}

void offer_people(std::optional<Sourced<std::vector<std::string>>>& field,
                  std::vector<std::string> names, const NameFilter& filter, Origin origin) {
  RawRecord::offer(field, filter.filter(std::move(names)), origin);
}

void offer_text(std::optional<Sourced<std::string>>& field, std::string_view value, Origin origin) {
  RawRecord::offer(field, clean_value(value), origin);
}

// The reason in a JSON library message, fit for a diagnostic. The message quotes the input byte
// for byte ("last read: '...'"), which may end inside a UTF-8 sequence or hold invalid bytes, and
// may run as long as the token: invalid bytes become U+FFFD and the text stops at 200 bytes.
std::string json_error_reason(std::string_view what) {
  if (const std::size_t cut = what.find("] "); cut != std::string_view::npos) {
    what.remove_prefix(cut + 2);
  }
  constexpr std::size_t kMaxReason = 200;
  std::string out = to_valid_utf8(what.substr(0, kMaxReason + 4));
  if (out.size() > kMaxReason) {
    std::size_t end = kMaxReason;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0U) == 0x80U) --end;
    out.resize(end);
    out += "...";
  }
  return out;
}

void read_linked_data(const Page& page, const ParseContext& context, RawRecord& record,
                      LinkedData& out) {
  std::vector<Json> documents;
  documents.reserve(page.json_ld.size());
  LinkedDataReader reader;
  std::size_t index = 0;
  for (const std::string& script : page.json_ld) {
    ++index;
    const std::string text = sanitise_json_ld(script);
    if (text.empty()) continue;
    if (nested_deeper_than(text, kMaxJsonNesting)) {
      record.diagnostics.push_back(
          diagnostic(context, Diagnostic::Severity::kWarning,
                     "JSON-LD block " + std::to_string(index) + " is nested deeper than " +
                         std::to_string(kMaxJsonNesting) + " levels and was ignored"));
      continue;
    }
    try {
      documents.push_back(Json::parse(text, nullptr, true, true));
      reader.add(documents.back());
    } catch (const Json::exception& e) {
      record.diagnostics.push_back(
          diagnostic(context, Diagnostic::Severity::kWarning,
                     "JSON-LD block " + std::to_string(index) +
                         " is malformed and was ignored: " + json_error_reason(e.what())));
    }
  }
  try {
    out = reader.result();
  } catch (const Json::exception& e) {
    record.diagnostics.push_back(diagnostic(context, Diagnostic::Severity::kWarning,
                                            "JSON-LD was ignored: " + json_error_reason(e.what())));
  }
}

void offer_metadata(const Page& page, const LinkedData& ld, const NameFilter& names,
                    const std::string& h1_text, RawRecord& record) {
  constexpr Origin kMeta = Origin::kMetaTag;
  constexpr Origin kLd = Origin::kJsonLd;
  constexpr Origin kElement = Origin::kHtmlElement;

  // Title: the spec'd order, each without a " | Site" suffix.
  offer_text(record.title, names.strip_site(page.meta("og:title")), kMeta);
  offer_text(record.title, names.strip_site(ld.headline), kLd);
  for (std::string_view key : {"citation_title", "dc.title", "twitter:title"}) {
    offer_text(record.title, names.strip_site(page.meta(key)), kMeta);
  }
  offer_text(record.title, h1_text, kElement);
  offer_text(record.title, names.strip_site(page.title), kElement);

  // Authors: scholarly and JSON-LD metadata, then generic meta; visible bylines come later.
  std::vector<std::string> cited;
  for (std::string_view value : page.meta_all("citation_author")) {
    cited.push_back(invert_name(clean_value(value)));
  }
  offer_people(record.authors, std::move(cited), names, kMeta);
  offer_people(record.authors, ld.authors, names, kLd);
  std::vector<std::string> creators;
  for (std::string_view key : {"dc.creator", "dcterms.creator"}) {
    for (std::string_view value : page.meta_all(key)) {
      creators.push_back(invert_name(clean_value(value)));
    }
  }
  offer_people(record.authors, std::move(creators), names, kMeta);
  for (std::string_view key : {"author", "article:author", "parsely-author", "sailthru.author"}) {
    std::vector<std::string> found;
    for (std::string_view value : page.meta_all(key)) {
      if (is_http_url(trim(value)) || value.find('/') != std::string_view::npos) continue;
      for (std::string& name : split_authors(clean_value(value))) found.push_back(std::move(name));
    }
    offer_people(record.authors, std::move(found), names, kMeta);
  }

  // Date, as written.
  offer_text(record.date, ld.date, kLd);
  for (std::string_view key :
       {"citation_publication_date", "citation_date", "citation_online_date",
        "article:published_time", "datepublished", "dc.date", "dc.date.issued", "dcterms.date",
        "dcterms.issued", "dcterms.created", "date", "pubdate", "publish-date", "publish_date",
        "parsely-pub-date", "sailthru.date"}) {
    offer_text(record.date, page.meta(key), kMeta);
  }

  // Organisation.
  offer_text(record.organisation, ld.publisher, kLd);
  for (std::string_view key :
       {"citation_publisher", "dc.publisher", "dcterms.publisher", "og:site_name"}) {
    offer_text(record.organisation, page.meta(key), kMeta);
  }
  offer_text(record.organisation, ld.site_name, kLd);
  offer_text(record.organisation, page.meta("application-name"), kMeta);

  // Topics.
  RawRecord::offer(record.topics, dedupe_topics(ld.keywords), kLd);
  for (std::string_view key : {"citation_keywords", "article:tag", "news_keywords", "keywords",
                               "parsely-tags", "sailthru.tags"}) {
    std::vector<std::string> topics;
    for (std::string_view value : page.meta_all(key)) {
      for (std::string& topic : split_list(value)) topics.push_back(std::move(topic));
    }
    RawRecord::offer(record.topics, dedupe_topics(std::move(topics)), kMeta);
  }
  RawRecord::offer(record.topics, dedupe_topics(ld.sections), kLd);
  std::vector<std::string> tagged;
  for (xmlNode* link : page.tag_links) {
    tagged.push_back(text_of(link));
  }
  RawRecord::offer(record.topics, dedupe_topics(std::move(tagged)), kElement);

  // Type.
  if (ld.article_like) offer_text(record.type, ld.type, kLd);
  for (std::string_view key : {"og:type", "dc.type", "citation_article_type"}) {
    offer_text(record.type, page.meta(key), kMeta);
  }

  // Summary.
  offer_text(record.summary, ld.description, kLd);
  for (std::string_view key : {"citation_abstract", "description", "og:description",
                               "twitter:description", "dc.description"}) {
    offer_text(record.summary, page.meta(key), kMeta);
  }

  // URL: the page's own absolute URLs, in this order of trust. Only when it gives none is a
  // relative canonical or og:url used, resolved against an absolute <base href>: the one base a
  // saved page carries. (Other absolute URLs are no base: a dc.identifier is often a DOI, whose
  // host is not the site's.) A relative reference that starts with a host name
  // ("www.example.org/x", a common mistake for an absolute URL) is not used.
  struct UrlSource {
    std::string value;
    Origin origin;
    bool may_be_relative;
  };
  std::array<UrlSource, 6> url_sources = {{
      {clean_value(ld.url), kLd, false},
      {page.meta("og:url"), kMeta, true},
      {page.canonical, kElement, true},
      {page.meta("citation_public_url"), kMeta, false},
      {page.meta("citation_abstract_html_url"), kMeta, false},
      {page.meta("dc.identifier"), kMeta, false},
  }};
  bool absolute = false;
  for (UrlSource& source : url_sources) {
    if (is_http_url(source.value)) {
      RawRecord::offer(record.url, std::move(source.value), source.origin);
      absolute = true;
    }
  }
  if (!absolute && is_http_url(page.base_href)) {
    for (const UrlSource& source : url_sources) {
      if (source.may_be_relative && !source.value.empty() && !starts_with_host_name(source.value)) {
        RawRecord::offer(record.url, resolve_reference(page.base_href, source.value),
                         source.origin);
      }
    }
  }

  // Language.
  offer_text(record.language, ld.language, kLd);
  for (std::string_view key :
       {"citation_language", "dc.language", "dcterms.language", "content-language"}) {
    offer_text(record.language, page.meta(key), kMeta);
  }
  offer_text(record.language, page.html_lang, kElement);
  std::string locale = page.meta("og:locale");
  std::replace(locale.begin(), locale.end(), '_', '-');
  offer_text(record.language, locale, kMeta);
}

// Visible fallbacks: bylines and <time> outside furniture, after the body walk has claimed the
// section bylines.
void offer_visible(const Page& page, const BodyExtractor& extractor, const NameFilter& names,
                   RawRecord& record) {
  std::vector<std::string> byline;
  const xmlNode* used = nullptr;
  for (xmlNode* node : page.bylines) {
    const NodeInfo* info = info_of(node);
    // Bylines the body walk claimed are section signatures or the lead byline offered below.
    if (info->used_byline || page.body == nullptr || !is_ancestor(page.body, node) ||
        in_chrome(node, page.body)) {
      continue;
    }
    if (used != nullptr) {
      // Sibling author elements ("<span class=author>A</span>, <span class=author>B</span>").
      if (is_ancestor(used, node)) continue;
      if (node->parent != used->parent) break;
    }
    std::vector<std::string> found = names_in_byline(node, names);
    if (found.empty()) continue;
    if (used == nullptr) used = node;
    for (std::string& name : found) {
      if (std::find(byline.begin(), byline.end(), name) == byline.end()) {
        byline.push_back(std::move(name));
      }
    }
  }
  RawRecord::offer(record.authors, std::move(byline), Origin::kByline);
  RawRecord::offer(record.authors, extractor.lead_byline, Origin::kByline);
  RawRecord::offer(record.authors, extractor.meta_byline, Origin::kByline);

  for (xmlNode* node : page.times) {
    if (page.body == nullptr || !is_ancestor(page.body, node) || in_chrome(node, page.body)) {
      continue;
    }
    offer_text(record.date, time_value(node), Origin::kHtmlElement);
    if (record.date) break;
  }
  offer_text(record.date, extractor.lead_date, Origin::kHtmlElement);
  offer_text(record.date, extractor.meta_date, Origin::kHtmlElement);
}

}  // namespace

RawRecord parse_html(std::string_view bytes, const ParseContext& context) {
  RawRecord record;
  auto fail = [&](std::string message) {
    record.diagnostics.push_back(
        diagnostic(context, Diagnostic::Severity::kError, std::move(message)));
    record.body.clear();
    record.sections.clear();
    return std::move(record);
  };

  Decoded decoded;
  try {
    decoded = decode_to_utf8(bytes, declared_charset(bytes));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kParse) throw;
    return fail(std::string("cannot decode the page: ") + e.what());
  }
  if (decoded.utf8.size() > static_cast<std::size_t>(INT_MAX)) {
    return fail("page too large for the HTML parser (over 2 GiB)");
  }
  // A label the decoder did not know (a typo: "windwos-1252") was ignored and the charset
  // detected: the page says what it did.
  const std::string& encoding = decoded.encoding;
  if (!decoded.ignored_label.empty()) {
    record.diagnostics.push_back(diagnostic(
        context, Diagnostic::Severity::kWarning,
        "unknown charset '" + decoded.ignored_label + "' declared: detected " + encoding));
  }
  // UTF-8 with a few bad bytes is read with U+FFFD for them; say so (other conversions are the
  // page's declared or detected charset at work, not a loss).
  if (decoded.converted && encoding.rfind("UTF-8", 0) == 0) {
    record.diagnostics.push_back(diagnostic(context, Diagnostic::Severity::kWarning,
                                            "not valid UTF-8: read as " + encoding));
  }
  if (trim(decoded.utf8).empty()) return fail("no article text found");

  const DocPtr doc = parse_document(decoded.utf8);
  xmlNode* html = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (html == nullptr) return fail("no article text found");

  Page page;
  scan_page(page, html);
  LinkedData ld;
  read_linked_data(page, context, record, ld);

  NameFilter names;
  for (const std::string& site :
       {page.meta("og:site_name"), ld.publisher, ld.site_name, page.meta("citation_publisher"),
        page.meta("dc.publisher"), page.meta("application-name")}) {
    names.add_site(site);
  }

  xmlNode* root = nullptr;
  if (page.body != nullptr) {
    mark_boilerplate(page.body);
    const std::size_t page_clean = info_of(page.body)->clean;
    root = best_container(page.articles, page_clean);
    if (root == nullptr) root = best_container(page.mains, page_clean);
    if (root == nullptr) root = densest_block(page.body);
  }

  xmlNode* h1 = title_heading(page, root, names);
  offer_metadata(page, ld, names, h1 != nullptr ? text_of(h1) : std::string{}, record);

  const DateOrder order =
      context.config != nullptr ? context.config->date_order : DateOrder::kMonthDayYear;
  const std::string title_key = record.title ? fold(record.title->value) : std::string{};
  BodyExtractor extractor(record, names, order, h1, title_key);
  if (root != nullptr) {
    extractor.run(root);
    if (record.body.empty() && root != page.body) {
      // The chosen container held only furniture; the rest of the page may still hold text.
      record.sections.clear();
      extractor.run(page.body);
    }
  }
  offer_visible(page, extractor, names, record);

  if (record.body.empty()) return fail("no article text found");
  return record;
}

}  // namespace dossier::detail
