// What do the page's JSON-LD and <meta> tags say? Linked data read leniently (entities, @graph,
// @id references), then each field offered from the structured sources in order of trust (a
// relative canonical URL resolved against <base href>, RFC 3986).
#include "parsers/html/internal.hpp"

#include "metadata/authors.hpp"
#include "text/ascii.hpp"
#include "text/normalize.hpp"

#include <libxml/tree.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dossier::detail::html {
namespace {

using Json = nlohmann::json;

// Bounds for values that can only be junk when longer (navigation text caught as an author).
constexpr std::size_t kMaxTopicBytes = 100;
constexpr std::size_t kMaxTopics = 50;
// JSON-LD nesting we follow (@graph inside lists inside @graph ..., a name inside lists).
constexpr int kMaxJsonDepth = 8;
// Bracket nesting beyond which a JSON-LD block is rejected unread. Real blocks stay near 10; the
// cap keeps every recursive step (nlohmann's copies, our readers) far from the stack's end.
constexpr int kMaxJsonNesting = 64;

// ---------------------------------------------------------------------------------------------
// JSON-LD.

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

void offer_people(std::optional<Sourced<std::vector<std::string>>>& field,
                  std::vector<std::string> names, const NameFilter& filter, Origin origin) {
  RawRecord::offer(field, filter.filter(std::move(names)), origin);
}

}  // namespace

void offer_text(std::optional<Sourced<std::string>>& field, std::string_view value, Origin origin) {
  RawRecord::offer(field, clean_value(value), origin);
}

namespace {

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

}  // namespace

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

}  // namespace dossier::detail::html
