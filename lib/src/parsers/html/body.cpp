// Which part of the page is the article, and what are its lines? Boilerplate marking, the choice
// of container (<article>, <main>, else readability-style text density) and the body walk.
#include "parsers/html/internal.hpp"

#include "metadata/authors.hpp"

#include <libxml/tree.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dossier::detail::html {
namespace {

// Boilerplate-looking elements with half the page's text and at least this much (non-space
// bytes, about 80 words) are mislabelled wrappers; a cookie banner on an empty page is not.
constexpr std::size_t kMinWrapperText = 500;
// A line made only of link text is navigation unless it is long (a linked sentence).
constexpr std::size_t kMaxLinkOnlyLineBytes = 80;
// The untitled first section may start with a date line and a byline before the dek.
constexpr std::size_t kLeadLinesChecked = 3;

}  // namespace

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

namespace {

// Lists, figures and quotations are parts of an article, never the whole of it.
bool can_hold_article(const xmlNode* node) {
  static const WordSet parts =
      word_set("address blockquote dd details dl dt figure h1 h2 h3 h4 h5 h6 li ol p pre ul", ' ');
  return parts.count(name_of(node)) == 0;
}

}  // namespace

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
// Body extraction: one walk over the chosen container.

namespace {

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

}  // namespace

BodyExtractor::BodyExtractor(RawRecord& record, const NameFilter& names, DateOrder date_order,
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

void BodyExtractor::run(xmlNode* root) {
  root_ = root;
  before_title_ = title_h1_ != nullptr && info_of(root)->holds_title;
  reset_line();
  link_depth_ = time_depth_ = cell_depth_ = list_depth_ = pre_depth_ = 0;
  skipping_ = false;
  section_open_ = false;
  section_lines_ = 0;
  walk(
      root, [this](xmlNode* node) { return enter(node); }, [this](xmlNode* node) { leave(node); });
  flush();
}

bool BodyExtractor::enter(xmlNode* node) {
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

void BodyExtractor::text(std::string_view content) {
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

void BodyExtractor::append(std::string_view content) {
  line_.append(content, link_depth_ > 0);
  if (visible_bytes(content) > 0) (time_depth_ > 0 ? line_has_time_ : line_has_other_) = true;
}

void BodyExtractor::leave(xmlNode* node) {
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
bool BodyExtractor::is_section_heading(const xmlNode* node, const NodeInfo& info) {
  const std::string_view name = name_of(node);
  return (info.flags & kHeading) != 0 && !info.has_block &&
         (name == "h1" || name == "h2" || name == "h3");
}

void BodyExtractor::heading(xmlNode* node) {
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
void BodyExtractor::take_byline(xmlNode* node, NodeInfo& info) {
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
void BodyExtractor::take_meta(xmlNode* node) {
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

void BodyExtractor::meta_line(std::string_view text) {
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

bool BodyExtractor::in_titled_section() const noexcept {
  return section_open_ && !record_.sections.empty() && !record_.sections.back().heading.empty();
}

void BodyExtractor::flush() {
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

void BodyExtractor::emit(std::string text) {
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

void BodyExtractor::reset_line() noexcept {
  line_.clear();
  line_has_time_ = false;
  line_has_other_ = false;
}

}  // namespace dossier::detail::html
