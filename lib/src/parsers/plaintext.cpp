// Plain-text parser for commentary laid out like the client's seed article (docs/ingest.md).
#include "metadata/authors.hpp"
#include "metadata/dates.hpp"
#include "parsers/parsers.hpp"
#include "parsers/text_layout.hpp"

#include <algorithm>
#include <optional>

namespace dossier::detail {
namespace {

// How many non-empty lines after the title may carry a byline, a date or a dateline.
constexpr std::size_t kHeaderLines = 6;
// A title longer than this is a paragraph, not a title.
constexpr std::size_t kMaxTitleBytes = 300;

// "- By Name" / "— By Name": a dashed signature, which in the header signs the first section.
bool is_dashed_byline(std::string_view line) {
  line = trim(line);
  for (const std::string_view lead : {"- ", "\xe2\x80\x94 ", "\xe2\x80\x93 "}) {
    if (line.substr(0, lead.size()) == lead) return !byline_names(line).empty();
  }
  return false;
}

bool is_section_byline(std::string_view line) {
  line = trim(line);
  // "- By Name", "— By Name", "By Name": a signature line, not a sentence mentioning "by".
  for (const std::string_view lead : {"- ", "\xe2\x80\x94 ", "\xe2\x80\x93 ", "-", ""}) {
    if (line.substr(0, lead.size()) == lead) {
      const auto rest = line.substr(lead.size());
      if (rest.size() > 3 && (rest.substr(0, 3) == "By " || rest.substr(0, 3) == "by ")) {
        return !byline_names(line).empty();
      }
    }
  }
  return false;
}

// Joins hard-wrapped lines of a block into one paragraph when the text is wrapped (all lines at
// most 100 bytes); otherwise every line is its own paragraph.
std::vector<std::pair<std::string, std::size_t>> paragraphs_of(const std::vector<Line>& lines,
                                                               std::size_t from, std::size_t to) {
  bool wrapped = true;
  std::size_t long_lines = 0;
  for (std::size_t i = from; i < to; ++i) {
    if (lines[i].text.size() > 100) wrapped = false;
    if (lines[i].text.size() >= 50) ++long_lines;
  }
  wrapped = wrapped && long_lines >= 3;
  std::vector<std::pair<std::string, std::size_t>> out;  // paragraph, first line number
  std::string current;
  std::size_t current_line = 0;
  auto flush = [&] {
    if (!current.empty()) out.emplace_back(std::move(current), current_line);
    current.clear();
  };
  for (std::size_t i = from; i < to; ++i) {
    const auto text = trim(lines[i].text);
    if (text.empty()) {
      flush();
      continue;
    }
    // In wrapped text a short line without final punctuation followed by a blank line, or a
    // signature line, still stands alone (headings, bylines).
    const bool joins = wrapped && !current.empty() && !is_section_byline(text) &&
                       !(heading_like(text) && (i + 1 >= to || trim(lines[i + 1].text).empty()));
    if (!joins) flush();
    if (current.empty()) {
      current_line = lines[i].number;
      current = text;
    } else {
      current += ' ';
      current += text;
    }
    if (!wrapped) flush();
  }
  flush();
  return out;
}

}  // namespace

RawRecord parse_plaintext(std::string_view utf8, const ParseContext& context) {
  RawRecord record;
  const auto lines = split_lines(utf8);
  const DateOrder order =
      context.config != nullptr ? context.config->date_order : DateOrder::kMonthDayYear;
  static const std::vector<std::string> kNoExtra;
  const auto& extra = context.config != nullptr ? context.config->boilerplate : kNoExtra;

  std::size_t i = 0;
  while (i < lines.size() && trim(lines[i].text).empty()) ++i;
  if (i == lines.size()) return record;  // empty: the caller reports it

  // Title: the first non-empty line, unless it is really a paragraph.
  if (const auto first = trim(lines[i].text); first.size() <= kMaxTitleBytes) {
    RawRecord::offer(record.title, std::string(first), Origin::kTextHeuristic);
    ++i;
  }

  // Header: bylines and date lines right under the title.
  for (std::size_t seen = 0; i < lines.size() && seen < kHeaderLines; ++i) {
    const auto text = trim(lines[i].text);
    if (text.empty()) continue;
    ++seen;
    if (is_dashed_byline(text)) break;  // "- By X" signs the first section, not the article
    if (auto names = byline_names(text); !names.empty()) {
      RawRecord::offer(record.authors, std::move(names), Origin::kByline);
      continue;
    }
    if (auto date = find_date_line(text, order)) {
      RawRecord::offer(record.date, date->iso(), Origin::kTextHeuristic);
      continue;
    }
    break;
  }

  // Promotional tail: from the first boilerplate line after some article text to the end. A
  // promotional line before any article text ("Subscribe to ... for rapid reactions") is
  // dropped on its own, so it never takes the article with it.
  std::size_t end = lines.size();
  std::vector<Line> kept(lines.begin(), lines.end());
  bool seen_text = false;
  for (std::size_t j = i; j < kept.size(); ++j) {
    const auto text = trim(kept[j].text);
    if (boilerplate_start(text, extra)) {
      if (seen_text) {
        end = j;
        break;
      }
      kept[j].text = {};  // a blank line in its place
      continue;
    }
    if (!text.empty() && (text.size() >= 80 || !heading_like(text))) seen_text = true;
  }

  const auto paragraphs = paragraphs_of(kept, i, end);
  BodyBuilder body;
  for (std::size_t p = 0; p < paragraphs.size(); ++p) {
    const auto& text = paragraphs[p].first;
    const bool next_is_byline =
        p + 1 < paragraphs.size() && is_section_byline(paragraphs[p + 1].first);
    if (next_is_byline && heading_like(text)) {
      body.start_section(text, byline_names(paragraphs[p + 1].first));
      ++p;
      continue;
    }
    if (is_section_byline(text)) {
      body.start_section({}, byline_names(text));  // a signature without a heading
      continue;
    }
    // A heading without a byline: short, unpunctuated, and followed by a longer paragraph.
    if (heading_like(text) && p + 1 < paragraphs.size() &&
        paragraphs[p + 1].first.size() > std::max<std::size_t>(text.size() * 2, 80)) {
      body.start_section(text, {});
      continue;
    }
    body.add_paragraph(text);
  }
  body.finish(record);
  return record;
}

}  // namespace dossier::detail
