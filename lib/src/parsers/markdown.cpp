// Markdown parser: YAML front matter for metadata, headings for sections, syntax stripped.
#include "metadata/authors.hpp"
#include "parsers/parsers.hpp"
#include "parsers/text_layout.hpp"
#include "parsers/yaml_metadata.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace dossier::detail {
namespace {

bool is_fence(std::string_view line) {
  line = trim(line);
  return line.substr(0, 3) == "```" || line.substr(0, 3) == "~~~";
}

bool is_rule(std::string_view line) {
  line = trim(line);
  if (line.size() < 3) return false;
  const char c = line.front();
  if (c != '-' && c != '*' && c != '_') return false;
  std::size_t marks = 0;
  for (const char x : line) {
    if (x == c) {
      ++marks;
    } else if (x != ' ') {
      return false;
    }
  }
  return marks >= 3;
}

// "## Heading ##" -> level 2, "Heading"; 0 when not an ATX heading.
int atx_level(std::string_view line, std::string_view& text) {
  line = trim(line);
  int level = 0;
  while (static_cast<std::size_t>(level) < line.size() &&
         line[static_cast<std::size_t>(level)] == '#') {
    ++level;
  }
  if (level == 0 || level > 6) return 0;
  auto rest = line.substr(static_cast<std::size_t>(level));
  if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t') return 0;
  rest = trim(rest);
  while (!rest.empty() && rest.back() == '#') rest.remove_suffix(1);
  text = trim(rest);
  return level;
}

bool is_setext_underline(std::string_view line, int& level) {
  line = trim(line);
  if (line.empty()) return false;
  const char c = line.front();
  if (c != '=' && c != '-') return false;
  for (const char x : line) {
    if (x != c) return false;
  }
  level = c == '=' ? 1 : 2;
  return true;
}

// Strips a list marker ("- ", "* ", "+ ", "1. ", "1) ") and blockquote markers ("> ").
std::string_view strip_block_markers(std::string_view line) {
  line = trim(line);
  while (!line.empty() && line.front() == '>') line = trim(line.substr(1));
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
    return trim(line.substr(2));
  }
  std::size_t digits = 0;
  while (digits < line.size() && digits < 9 &&
         std::isdigit(static_cast<unsigned char>(line[digits]))) {
    ++digits;
  }
  if (digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
      line[digits + 1] == ' ') {
    return trim(line.substr(digits + 2));
  }
  return line;
}

bool is_list_item(std::string_view line) {
  const auto stripped = strip_block_markers(line);
  const auto t = trim(line);
  return stripped.size() != t.size() && !t.empty() && t.front() != '>';
}

// Searches only a bounded window after `from`: link labels, URLs and tags are short, and an
// unbounded search per '[' or '<' would make text full of brackets quadratic.
template <class Needle>
std::size_t find_near(std::string_view in, Needle needle, std::size_t from,
                      std::size_t window = 2048) {
  const auto slice = in.substr(0, std::min(in.size(), from + window));
  return slice.find(needle, from);
}

// Inline Markdown -> plain text: emphasis, code, links, images, autolinks, inline HTML,
// footnote references and backslash escapes; a few common entities decoded.
std::string strip_inline(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\\' && i + 1 < in.size() && std::ispunct(static_cast<unsigned char>(in[i + 1]))) {
      out += in[++i];
    } else if (c == '*' || c == '_' || c == '`' || c == '~') {
      // Emphasis and code markers; an underscore inside a word (snake_case) is kept.
      if (c == '_' && i > 0 && i + 1 < in.size() &&
          std::isalnum(static_cast<unsigned char>(in[i - 1])) &&
          std::isalnum(static_cast<unsigned char>(in[i + 1]))) {
        out += c;
      }
    } else if (c == '!' && i + 1 < in.size() && in[i + 1] == '[') {
      // Image: keep nothing of it (alt text is rarely prose); skip to the closing parenthesis.
      const auto close = find_near(in, "](", i, 512);
      const auto end = close == std::string_view::npos ? close : find_near(in, ')', close);
      if (end == std::string_view::npos) {
        out += c;
      } else {
        i = end;
      }
    } else if (c == '[') {
      const auto close = find_near(in, ']', i, 512);
      if (close == std::string_view::npos) {
        out += c;
        continue;
      }
      const auto label = in.substr(i + 1, close - i - 1);
      if (!label.empty() && label.front() == '^') {  // footnote reference
        i = close;
        continue;
      }
      out += strip_inline(label);
      if (close + 1 < in.size() && in[close + 1] == '(') {
        const auto end = find_near(in, ')', close);
        i = end == std::string_view::npos ? close : end;
      } else if (close + 1 < in.size() && in[close + 1] == '[') {
        const auto end = find_near(in, ']', close + 1, 512);
        i = end == std::string_view::npos ? close : end;
      } else {
        i = close;
      }
    } else if (c == '<') {
      const auto close = find_near(in, '>', i, 300);
      if (close == std::string_view::npos) {
        out += c;
        continue;
      }
      const auto inner = in.substr(i + 1, close - i - 1);
      if (inner.rfind("http://", 0) == 0 || inner.rfind("https://", 0) == 0 ||
          inner.find('@') != std::string_view::npos) {
        out.append(inner);  // autolink
      } else if (!inner.empty() && (std::isalpha(static_cast<unsigned char>(inner[0])) ||
                                    inner[0] == '/' || inner[0] == '!')) {
        // inline HTML tag: dropped
      } else {
        out += c;
        continue;
      }
      i = close;
    } else if (c == '&') {
      static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
          {"&amp;", "&"},
          {"&lt;", "<"},
          {"&gt;", ">"},
          {"&quot;", "\""},
          {"&#39;", "'"},
          {"&nbsp;", " "},
          {"&mdash;", "\xe2\x80\x94"},
          {"&ndash;", "\xe2\x80\x93"}};
      bool replaced = false;
      for (const auto& [entity, text] : kEntities) {
        if (in.substr(i, entity.size()) == entity) {
          out.append(text);
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
      if (!replaced) out += c;
    } else {
      out += c;
    }
  }
  // Collapse the runs of spaces that removed markup leaves.
  std::string collapsed;
  collapsed.reserve(out.size());
  for (const char c : out) {
    if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed += c;
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

bool is_reference_definition(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() != '[') return false;
  const auto close = line.find("]:");
  return close != std::string_view::npos;
}

bool is_table_separator(std::string_view line) {
  line = trim(line);
  if (line.find('|') == std::string_view::npos || line.find('-') == std::string_view::npos) {
    return false;
  }
  return line.find_first_not_of("|-: ") == std::string_view::npos;
}

}  // namespace

RawRecord parse_markdown(std::string_view utf8, const ParseContext& context) {
  auto lines = split_lines(utf8);
  std::size_t i = 0;
  RawRecord record;

  // Front matter: "---" on the first line, closed by "---" or "...".
  if (!lines.empty() && lines[0].text == "---") {
    std::size_t close = 1;
    while (close < lines.size() && lines[close].text != "---" && lines[close].text != "...") {
      ++close;
    }
    if (close == lines.size()) {
      record.diagnostics.push_back(
          {Diagnostic::Severity::kWarning, context.path, 1,
           "front matter opened with '---' is never closed; read as text"});
    } else {
      const auto begin = static_cast<std::size_t>(lines[1].text.data() - utf8.data());
      const auto end = static_cast<std::size_t>(lines[close].text.data() - utf8.data());
      auto meta = metadata_from_yaml(utf8.substr(begin, end - begin), Origin::kFrontMatter,
                                     context.path, 2);
      for (auto& d : meta.diagnostics) {
        // The text is still good: keep the article, say the metadata was ignored.
        d.severity = Diagnostic::Severity::kWarning;
        d.message += " (front matter ignored)";
      }
      record = std::move(meta);
      i = close + 1;
    }
  }

  BodyBuilder body;
  std::string paragraph;
  bool in_fence = false;
  bool title_from_heading = false;
  bool expect_byline = false;  // right after a heading: a "By X" line signs it
  auto flush = [&] {
    if (!paragraph.empty()) {
      body.add_paragraph(strip_inline(paragraph));
      paragraph.clear();
    }
  };
  auto heading = [&](int level, std::string text) {
    flush();
    text = strip_inline(text);
    // A level-1 heading before any text is the document's title: it gives the title when the
    // front matter has none, and is not a section either way.
    if (level == 1 && !title_from_heading && body.empty()) {
      RawRecord::offer(record.title, std::move(text), Origin::kTextHeuristic);
      title_from_heading = true;
      expect_byline = true;
      return;
    }
    body.start_section(std::move(text), {});
    expect_byline = true;
  };

  for (; i < lines.size(); ++i) {
    const auto raw = lines[i].text;
    if (is_fence(raw)) {
      flush();
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) {
      body.add_paragraph(raw);
      continue;
    }
    const auto text = trim(raw);
    if (text.empty()) {
      flush();
      continue;
    }
    std::string_view heading_text;
    if (const int level = atx_level(text, heading_text); level > 0) {
      heading(level, std::string(heading_text));
      continue;
    }
    int setext = 0;
    if (!paragraph.empty() && paragraph.find('\n') == std::string::npos &&
        is_setext_underline(text, setext)) {
      std::string title = std::move(paragraph);
      paragraph.clear();
      heading(setext, std::move(title));
      continue;
    }
    if (is_rule(text) || is_reference_definition(text) || is_table_separator(text)) {
      flush();
      continue;
    }
    if (expect_byline && paragraph.empty()) {
      expect_byline = false;
      if (auto names = byline_names(strip_inline(strip_block_markers(text))); !names.empty()) {
        if (title_from_heading && body.empty()) {
          RawRecord::offer(record.authors, std::move(names), Origin::kByline);
        } else {
          body.sign_section(std::move(names));
        }
        continue;
      }
    }
    expect_byline = false;
    if (is_list_item(text) || text.front() == '|') {
      flush();
      std::string item(strip_block_markers(text));
      if (item.front() == '|') {
        for (auto& ch : item) {
          if (ch == '|') ch = ' ';
        }
      }
      paragraph = std::move(item);
      flush();
      continue;
    }
    if (!paragraph.empty()) paragraph += ' ';
    paragraph.append(strip_block_markers(text));
  }
  flush();
  body.finish(record);
  return record;
}

}  // namespace dossier::detail
