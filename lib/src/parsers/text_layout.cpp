// Line splitting and layout heuristics shared by the plain-text and Markdown parsers.
#include "parsers/text_layout.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace dossier::detail {
namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t number = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    lines.push_back({line, number++});
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

std::size_t word_count(std::string_view text) noexcept {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : text) {
    if (is_space(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++words;
    }
  }
  return words;
}

bool heading_like(std::string_view line) noexcept {
  line = trim(line);
  if (line.empty() || line.size() > 100 || word_count(line) > 14) return false;
  if (line.front() == '-' || line.front() == '*' || line.front() == '+') return false;
  // Closing quotes and brackets do not end a sentence by themselves: look before them.
  for (bool stripped = true; stripped && !line.empty();) {
    stripped = false;
    if (line.back() == '"' || line.back() == '\'' || line.back() == ')' || line.back() == ']') {
      line.remove_suffix(1);
      stripped = true;
    } else if (line.size() >= 3 && (line.substr(line.size() - 3) == "\xe2\x80\x9d" ||
                                    line.substr(line.size() - 3) == "\xe2\x80\x99")) {
      line.remove_suffix(3);  // ” or ’
      stripped = true;
    }
  }
  if (line.empty()) return false;
  const char end = line.back();
  return end != '.' && end != ',' && end != ';' && end != ':';
}

bool boilerplate_start(std::string_view line, const std::vector<std::string>& extra) {
  line = trim(line);
  // A prefix counts only as whole words: "Subscribers to the theory..." is article text.
  auto starts_with_words = [&](std::string_view prefix) {
    return istarts_with(line, prefix) &&
           (line.size() == prefix.size() ||
            !std::isalnum(static_cast<unsigned char>(line[prefix.size()])));
  };
  for (const std::string_view prefix : {"Dive Deeper with", "Sign up for", "Subscribe"}) {
    if (starts_with_words(prefix)) return true;
  }
  if (starts_with_words("Read") && (ifind(line, "op-ed") != std::string_view::npos)) return true;
  return std::any_of(extra.begin(), extra.end(), [&](const std::string& prefix) {
    return !prefix.empty() && starts_with_words(prefix);
  });
}

void BodyBuilder::close_section() {
  if (!open_) return;
  if (has_text_) {
    current_.end = body_.size();
    sections_.push_back(std::move(current_));
  }
  current_ = RawSection{};
  open_ = false;
  has_text_ = false;
}

void BodyBuilder::start_section(std::string heading, std::vector<std::string> authors) {
  close_section();
  current_.heading = std::move(heading);
  current_.authors = std::move(authors);
  open_ = true;
}

void BodyBuilder::add_paragraph(std::string_view paragraph) {
  paragraph = trim(paragraph);
  if (paragraph.empty()) return;
  if (!body_.empty()) body_ += '\n';
  if (!open_) open_ = true;  // untitled lead text before the first heading
  if (!has_text_) {
    current_.begin = body_.size();
    has_text_ = true;
  }
  body_.append(paragraph);
}

void BodyBuilder::finish(RawRecord& record) {
  close_section();
  record.body = std::move(body_);
  record.sections = std::move(sections_);
}

}  // namespace dossier::detail
