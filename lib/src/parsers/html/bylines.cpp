// Who wrote the page, and when, by what it shows? Author-name filtering, byline elements, date
// lines, and the visible bylines and dates offered after the structured metadata.
#include "parsers/html/internal.hpp"

#include "metadata/authors.hpp"
#include "metadata/dates.hpp"
#include "text/ascii.hpp"

#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dossier::detail::html {
namespace {

// Bounds for values that can only be junk when longer (navigation text caught as an author).
constexpr std::size_t kMaxAuthorBytes = 100;
constexpr std::size_t kMaxAuthorWords = 8;

// ---------------------------------------------------------------------------------------------
// Names and titles.

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

}  // namespace

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

void NameFilter::add_site(std::string_view name) {
  std::string key = fold(name);
  if (!key.empty() && std::find(sites_.begin(), sites_.end(), key) == sites_.end()) {
    if (primary_.empty()) primary_ = clean_value(name);
    sites_.push_back(std::move(key));
  }
}

bool NameFilter::is_site(std::string_view name) const {
  const std::string key = fold(name);
  return !key.empty() && std::find(sites_.begin(), sites_.end(), key) != sites_.end();
}

bool NameFilter::acceptable_author(std::string_view name) const {
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

std::vector<std::string> NameFilter::filter(std::vector<std::string> names) const {
  std::vector<std::string> out;
  for (std::string& name : names) {
    std::string value = clean_value(name);
    if (istarts_with(value, "by ")) value = std::string(trim(std::string_view(value).substr(3)));
    if (acceptable_author(value)) out.push_back(std::move(value));
  }
  return out;
}

std::string NameFilter::strip_site(std::string title) const {
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

namespace {

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

}  // namespace

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

std::string date_of_line(std::string_view line, DateOrder order) {
  const std::optional<Date> date = find_date_line(line, order);
  if (!date) return {};
  if (parse_date(line, order)) return std::string(trim(line));
  return date->iso();
}

// ---------------------------------------------------------------------------------------------
// Visible fallbacks.

namespace {

std::string time_value(xmlNode* node) {
  for (std::string_view attr : {"datetime", "content"}) {
    if (const auto value = attribute(node, attr); value && !trim(*value).empty()) {
      return clean_value(*value);
    }
  }
  return text_of(node);
}

}  // namespace

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

}  // namespace dossier::detail::html
