// What does the document tree hold? libxml2 parsing, element helpers, each element's kind
// (content, furniture, byline, title block) and the one walk that collects the page.
#include "parsers/html/internal.hpp"

#include "text/ascii.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dossier::detail::html {
namespace {

// ---------------------------------------------------------------------------------------------
// libxml2 ownership and silence.

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

}  // namespace

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

namespace {

// ---------------------------------------------------------------------------------------------
// Element classification.

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

}  // namespace

std::string text_of(xmlNode* root, std::size_t* non_link_chars) {
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

namespace {

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

}  // namespace

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

}  // namespace dossier::detail::html
