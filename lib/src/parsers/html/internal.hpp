// What do the HTML parser's parts (parsers/html.cpp, parsers/html/*.cpp) share? String and tree
// helpers, per-element facts, the page scan, and the pieces that parse_html() ties together.
#pragma once

#include "metadata/dates.hpp"
#include "parsers/parsers.hpp"
#include "text/ascii.hpp"

#include <libxml/tree.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

// Internal to the HTML parser: everything here is in dossier::detail::html.
namespace dossier::detail::html {

// A byline is a short line; longer text in a "byline"/"author" element is a biography.
constexpr std::size_t kMaxBylineBytes = 300;
// Collected candidates per kind: enough for any real page, bounded for hostile ones.
constexpr std::size_t kMaxCandidates = 64;

// ---------------------------------------------------------------------------------------------
// Strings and display text: html/text.cpp.

std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s) noexcept;

// A set of words from one literal ("a b c", or "a b|c d" with '|'): the views point into the
// literal, which lives forever.
using WordSet = std::unordered_set<std::string_view>;
WordSet word_set(std::string_view words, char separator);

// Comparison key for site and organisation names: ASCII letters and digits only, lower case,
// without a leading "the" ("The Heritage Foundation" meets "Heritage Foundation").
std::string fold(std::string_view s);

inline std::string_view as_view(const xmlChar* text) noexcept {
  return text == nullptr ? std::string_view{}
                         : std::string_view(reinterpret_cast<const char*>(text));
}

// JSON-LD is written by CMS templates that often HTML-escape strings ("Trump &amp; Xi",
// "Xi&#8217;s"); libxml2 leaves script content raw, so we decode entities here.
std::string decode_entities(std::string_view s);

// Display text: white space collapsed, invisible and exotic spaces normalised.
class TextBuffer {
 public:
  /// Appends text as a browser would lay it out inline. `in_link` counts it as link text.
  void append(std::string_view text, bool in_link);

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

// `raw` as display text (see TextBuffer).
std::string clean_value(std::string_view raw);

// Charset declaration: a byte scan, as browsers pre-scan, before anything is decoded.
std::string declared_charset(std::string_view bytes);

// ---------------------------------------------------------------------------------------------
// The document tree: html/tree.cpp.

struct DocFree {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

// The page as libxml2 reads it (leniently, no network, libxml2 silenced), or null.
DocPtr parse_document(const std::string& utf8);

inline std::string_view name_of(const xmlNode* node) noexcept {
  return as_view(node->name);
}

inline bool is_element(const xmlNode* node) noexcept {
  return node != nullptr && node->type == XML_ELEMENT_NODE;
}

inline bool is_text(const xmlNode* node) noexcept {
  return node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE;
}

// Attribute value (entities decoded by libxml2), or nullopt when absent. The HTML parser lower-
// cases attribute names.
std::optional<std::string_view> attribute(const xmlNode* node, std::string_view name) noexcept;
std::string_view attribute_or_empty(const xmlNode* node, std::string_view name) noexcept;
// Whether white-space separated `list` holds `token`, ignoring ASCII case.
bool has_token(std::string_view list, std::string_view token);

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

/// What an element is to the extractor, from its tag and its class/id/role/rel/itemprop.
enum class Kind : std::uint8_t {
  kContent,  ///< Ordinary element.
  kNever,    ///< Holds no article text at all.
  kChrome,   ///< Boilerplate: navigation, share bars, related lists, newsletters, footers...
  kByline,   ///< A byline or author element: not body text, but a source of names.
  kMeta,     ///< Title block furniture (dates, kickers, article headers): not body text.
};

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

inline NodeInfo* info_of(const xmlNode* node) noexcept {
  return is_element(node) ? static_cast<NodeInfo*>(node->_private) : nullptr;
}

inline std::size_t visible_bytes(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text) n += is_ascii_space(c) ? 0U : 1U;
  return n;
}

// Text of a small subtree (a heading, a byline), skipping furniture inside it.
std::string text_of(xmlNode* root, std::size_t* non_link_chars = nullptr);

bool is_ancestor(const xmlNode* ancestor, const xmlNode* node) noexcept;

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

// The one walk over the whole document: fills `page` and every element's NodeInfo.
void scan_page(Page& page, xmlNode* root);

// ---------------------------------------------------------------------------------------------
// The article's container and its body: html/body.cpp.

// Second walk, once the page total is known: boilerplate that holds half the page's text is a
// mislabelled wrapper ("page has-comments", an ASP.NET <form> around everything), not furniture.
// Every element gets its flag (not only the topmost boilerplate), so that in_chrome() can ask
// about any ancestor.
void mark_boilerplate(xmlNode* body);

// True when `node` sits inside furniture that can never hold this article's metadata (related
// cards, comment threads, navigation). Title blocks (<header>, "meta") are allowed.
bool in_chrome(const xmlNode* node, const xmlNode* body);

// The candidate (<article>s, <main>s) with the most text outside boilerplate, when that is a
// quarter of the page's; else null.
xmlNode* best_container(const std::vector<xmlNode*>& candidates, std::size_t page_clean);

// Readability-style fallback: descend from <body> while one child holds most of the text that
// is not links or boilerplate.
xmlNode* densest_block(xmlNode* body);

class NameFilter;

// One walk over the chosen container: body lines and h1-h3 sections into the record, and the
// bylines and date lines met on the way.
class BodyExtractor {
 public:
  BodyExtractor(RawRecord& record, const NameFilter& names, DateOrder date_order,
                const xmlNode* title_h1, std::string title_key);

  void run(xmlNode* root);

  /// Names from a "By ..." line or byline element at the top of the article.
  std::vector<std::string> lead_byline;
  /// A date line at the top of the article ("October 30, 2025"), see date_of_line().
  std::string lead_date;
  /// Names from a byline line in title-block furniture (<header>, "entry-meta"...).
  std::vector<std::string> meta_byline;
  /// A date line in title-block furniture, see date_of_line().
  std::string meta_date;

 private:
  bool enter(xmlNode* node);
  void text(std::string_view content);
  void append(std::string_view content);
  void leave(xmlNode* node);
  static bool is_section_heading(const xmlNode* node, const NodeInfo& info);
  void heading(xmlNode* node);
  void take_byline(xmlNode* node, NodeInfo& info);
  void take_meta(xmlNode* node);
  void meta_line(std::string_view text);
  [[nodiscard]] bool in_titled_section() const noexcept;
  void flush();
  void emit(std::string text);
  void reset_line() noexcept;

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
// Names, bylines and dates as the page shows them: html/bylines.cpp.

// citation_author and DC.creator are often "Last, First".
std::string invert_name(std::string_view name);

// The site's own names (og:site_name, the publisher...), which are never an author, and the
// filter every author name passes before it is offered.
class NameFilter {
 public:
  void add_site(std::string_view name);
  [[nodiscard]] bool is_site(std::string_view name) const;

  // Obvious non-names never leave the parser; subtler cases are the normaliser's business.
  [[nodiscard]] bool acceptable_author(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> filter(std::vector<std::string> names) const;
  // "Commentary | Brookings" -> "Commentary"; a title that is only the site name is no title.
  [[nodiscard]] std::string strip_site(std::string title) const;

 private:
  std::vector<std::string> sites_;
  std::string primary_;
};

// Names in a byline element: a "By A and B" line, else author-page links, else a bare name.
std::vector<std::string> names_in_byline(xmlNode* node, const NameFilter& filter);

// The date of a date line in a form the normaliser parses: the line as written when it is only
// a date ("October 30, 2025"), else the date found in it in ISO form ("Published: Oct. 30, 2025"
// and "By Ann Lee | March 3, 2019" give "2025-10-30" and "2019-03-03"). Empty when no date.
std::string date_of_line(std::string_view line, DateOrder order);

// Visible fallbacks: bylines and <time> outside furniture, after the body walk has claimed the
// section bylines.
void offer_visible(const Page& page, const BodyExtractor& extractor, const NameFilter& names,
                   RawRecord& record);

// ---------------------------------------------------------------------------------------------
// Structured metadata (JSON-LD, <meta> tags): html/metadata.cpp.

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

// RawRecord::offer of `value` as display text (see clean_value).
void offer_text(std::optional<Sourced<std::string>>& field, std::string_view value, Origin origin);

// The page's JSON-LD blocks read into `out`; a malformed or too deeply nested block is ignored
// with a warning in `record`.
void read_linked_data(const Page& page, const ParseContext& context, RawRecord& record,
                      LinkedData& out);

// Every field offered from <meta> tags, JSON-LD, the title <h1> (`h1_text`) and <title>, in the
// parser's order of trust.
void offer_metadata(const Page& page, const LinkedData& ld, const NameFilter& names,
                    const std::string& h1_text, RawRecord& record);

// ---------------------------------------------------------------------------------------------
// parsers/html.cpp.

// A diagnostic about the page being parsed.
Diagnostic diagnostic(const ParseContext& context, Diagnostic::Severity severity,
                      std::string message);

}  // namespace dossier::detail::html
