// Shared helpers for parsers of line-oriented text (plain text and Markdown).
#pragma once

#include "parsers/raw_record.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// One line of the input with its 1-based number; `text` has trailing white space removed.
struct Line {
  std::string_view text;
  std::size_t number = 0;
};

/// Splits UTF-8 text (LF line ends) into lines, trailing spaces and tabs removed.
std::vector<Line> split_lines(std::string_view text);

/// Removes leading and trailing ASCII white space.
std::string_view trim(std::string_view text) noexcept;

/// True when `line` looks like a heading in plain text: short (at most 100 bytes and 14 words),
/// not ending in sentence punctuation other than '?' or '!', and not a list item.
bool heading_like(std::string_view line) noexcept;

/// True when `line` starts a promotional tail block: "Dive Deeper with", "Sign up for",
/// "Subscribe", "Read ... op-ed", or one of the `extra` prefixes (compared without case).
bool boilerplate_start(std::string_view line, const std::vector<std::string>& extra);

/// Number of words (runs of non-space bytes).
std::size_t word_count(std::string_view text) noexcept;

/// Accumulates body paragraphs ("\n"-separated) and the sections that partition them.
class BodyBuilder {
 public:
  /// Starts a new section; text appended from now on belongs to it. A section that receives no
  /// text (a heading followed directly by another heading) is dropped.
  void start_section(std::string heading, std::vector<std::string> authors);
  /// Gives the current section its own byline (a "By X" line under its heading).
  void sign_section(std::vector<std::string> authors) { current_.authors = std::move(authors); }
  /// True while no paragraph has been added.
  [[nodiscard]] bool empty() const noexcept { return body_.empty(); }
  /// Appends one paragraph (trimmed; empty paragraphs are ignored).
  void add_paragraph(std::string_view paragraph);
  /// Moves the body and sections into `record`.
  void finish(RawRecord& record);

 private:
  void close_section();

  std::string body_;
  std::vector<RawSection> sections_;
  RawSection current_;
  bool open_ = false;
  bool has_text_ = false;
};

}  // namespace dossier::detail
