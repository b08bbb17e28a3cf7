// dossier-search's printers: text, JSON / JSON Lines, CSV, BibTeX and RIS (docs/output-schema.md).
#include "output.hpp"

#include <dossier/error.hpp>
#include <dossier/text.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dossier::cli {
namespace {

using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------
// UTF-8 helpers. Printers get text that the library promises is valid UTF-8, but highlight
// offsets and stored fields come from documents: every function here survives bad input.

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length of the well-formed code point at s[i], or 0 when the byte there starts none.
std::size_t code_point_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80U) return 1;
  std::size_t n = 0;
  if (b0 >= 0xC2U && b0 <= 0xDFU) {
    n = 2;
  } else if (b0 >= 0xE0U && b0 <= 0xEFU) {
    n = 3;
  } else if (b0 >= 0xF0U && b0 <= 0xF4U) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if (!is_continuation(s[i + k])) return 0;
  }
  // Overlongs, surrogates and values past U+10FFFF show in the second byte.
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if ((b0 == 0xE0U && b1 < 0xA0U) || (b0 == 0xEDU && b1 > 0x9FU) || (b0 == 0xF0U && b1 < 0x90U) ||
      (b0 == 0xF4U && b1 > 0x8FU)) {
    return 0;
  }
  return n;
}

// Bytes to the next code point: a malformed byte counts as one (shown as U+FFFD).
std::size_t step(std::string_view s, std::size_t i) {
  return std::max<std::size_t>(1, code_point_length(s, i));
}

// Columns the code point at s[i] takes in a terminal: 2 for East Asian wide and fullwidth
// characters (CJK, Hangul, fullwidth forms, emoji), else 1. Without this, Chinese text would
// be wrapped to twice the width of the line.
std::size_t columns_at(std::string_view s, std::size_t i) {
  const std::size_t n = code_point_length(s, i);
  if (n < 3) return 1;
  std::uint32_t cp = static_cast<unsigned char>(s[i]) & (n == 3 ? 0x0FU : 0x07U);
  for (std::size_t k = 1; k < n; ++k) {
    cp = (cp << 6U) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
  }
  static constexpr std::array<std::pair<std::uint32_t, std::uint32_t>, 11> kWide{{
      {0x1100, 0x115F},    // Hangul Jamo initials
      {0x2E80, 0x303E},    // CJK radicals, punctuation
      {0x3041, 0x33FF},    // kana, CJK symbols
      {0x3400, 0x4DBF},    // CJK extension A
      {0x4E00, 0x9FFF},    // CJK unified ideographs
      {0xA000, 0xA4CF},    // Yi
      {0xAC00, 0xD7A3},    // Hangul syllables
      {0xF900, 0xFAFF},    // CJK compatibility ideographs
      {0xFF00, 0xFF60},    // fullwidth forms
      {0x1F300, 0x1F64F},  // pictographs, emoticons
      {0x20000, 0x3FFFD},  // CJK extensions B..
  }};
  for (const auto& [low, high] : kWide) {
    if (cp >= low && cp <= high) return 2;
  }
  return 1;
}

// Terminal columns of a string (see columns_at).
std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += step(s, i)) n += columns_at(s, i);
  return n;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Appends the code point at s[i] as a terminal should see it and returns the bytes consumed.
// Control characters (C0, DEL, C1) and malformed bytes become U+FFFD: document text must never
// move the cursor, change colours or retitle the window. White space becomes a space.
std::size_t put_display(std::string& out, std::string_view s, std::size_t i) {
  const std::size_t n = code_point_length(s, i);
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (n == 0) {
    out += kReplacement;
    return 1;
  }
  if (n == 1) {
    if (is_space(s[i])) {
      out += ' ';
    } else if (b0 < 0x20U || b0 == 0x7FU) {
      out += kReplacement;
    } else {
      out += s[i];
    }
    return 1;
  }
  if (n == 2 && b0 == 0xC2U && static_cast<unsigned char>(s[i + 1]) < 0xA0U) {
    out += kReplacement;  // C1 controls, U+0080..U+009F (U+009B is a CSI on some terminals).
    return 2;
  }
  out.append(s.substr(i, n));
  return n;
}

// One line of a field for the terminal: white space runs collapsed, ends trimmed, controls
// replaced.
std::string display_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    if (is_space(s[i])) {
      pending_space = !out.empty();
      ++i;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    i += put_display(out, s, i);
  }
  return out;
}

// A field on one line for formats that are line-based (RIS) or whose readers dislike embedded
// newlines: white space runs collapsed, ends trimmed; other bytes kept.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (const char c : s) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Highlights as the printers use them: within the text, on code point boundaries, sorted,
// overlapping or touching ranges merged, empty ones dropped. Offsets come from the library but
// a bad one must never split a UTF-8 sequence in the output.
std::vector<Highlight> clean_highlights(std::string_view text, const std::vector<Highlight>& in) {
  std::vector<Highlight> spans;
  spans.reserve(in.size());
  for (const Highlight& h : in) {
    std::size_t begin = std::min(h.begin, text.size());
    std::size_t end = std::min(h.end, text.size());
    for (int k = 0; k < 3 && begin > 0 && begin < text.size() && is_continuation(text[begin]);
         ++k) {
      --begin;
    }
    for (int k = 0; k < 3 && end < text.size() && is_continuation(text[end]); ++k) ++end;
    if (begin < end) spans.push_back({begin, end});
  }
  std::sort(spans.begin(), spans.end(),
            [](const Highlight& a, const Highlight& b) { return a.begin < b.begin; });
  std::vector<Highlight> merged;
  merged.reserve(spans.size());
  for (const Highlight& h : spans) {
    if (!merged.empty() && h.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, h.end);
    } else {
      merged.push_back(h);
    }
  }
  return merged;
}

// For the terminal, markers hug words: "**rare earth**", never "** rare earth **".
std::vector<Highlight> trim_highlights(std::string_view text, std::vector<Highlight> spans) {
  std::vector<Highlight> out;
  out.reserve(spans.size());
  for (Highlight h : spans) {
    while (h.begin < h.end && is_space(text[h.begin])) ++h.begin;
    while (h.end > h.begin && is_space(text[h.end - 1])) --h.end;
    if (h.begin < h.end) out.push_back(h);
  }
  return out;
}

// Shortest text that reads back as the same double ("12.5", "0.1"); locale-independent.
std::string format_double(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return {buffer.data(), result.ptr};
}

std::string format_fixed(double value, int decimals) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, decimals);
  return {buffer.data(), result.ptr};
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string_view unit_name(TimelineUnit unit) {
  switch (unit) {
    case TimelineUnit::kYear:
      return "year";
    case TimelineUnit::kMonth:
      return "month";
    case TimelineUnit::kNone:
      break;
  }
  return "none";
}

std::string_view sort_name(SortOrder sort) {
  switch (sort) {
    case SortOrder::kNewest:
      return "newest";
    case SortOrder::kOldest:
      return "oldest";
    case SortOrder::kRelevance:
      break;
  }
  return "relevance";
}

// ---------------------------------------------------------------------------------------------
// HTML and JSON.

void append_html_escaped(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

std::string snippet_html(std::string_view text, const std::vector<Highlight>& spans) {
  std::string out;
  out.reserve(text.size() + spans.size() * 13 + 16);
  std::size_t at = 0;
  for (const Highlight& h : spans) {
    append_html_escaped(out, text.substr(at, h.begin - at));
    out += "<mark>";
    append_html_escaped(out, text.substr(h.begin, h.end - h.begin));
    out += "</mark>";
    at = h.end;
  }
  append_html_escaped(out, text.substr(at));
  return out;
}

Json string_or_null(const std::string& s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

Json strings(const std::vector<std::string>& items) {
  Json array = Json::array();
  for (const std::string& s : items) array.push_back(s);
  return array;
}

Json total_json(const Total& total) {
  return Json{{"estimate", total.estimate},
              {"lower", total.lower},
              {"upper", total.upper},
              {"exact", total.exact}};
}

Json query_json(const SearchRequest& request) {
  Json query;
  query["text"] = request.query;
  query["mode"] = request.mode == MatchMode::kAny ? "any" : "all";
  query["author"] = strings(request.authors);
  query["org"] = strings(request.organisations);
  query["topic"] = strings(request.topics);
  query["type"] = strings(request.types);
  query["lang"] = strings(request.languages);
  query["from"] = string_or_null(request.from);
  query["to"] = string_or_null(request.to);
  query["like"] = string_or_null(request.like);
  query["sort"] = sort_name(request.sort);
  query["offset"] = request.offset;
  query["limit"] = request.limit;
  return query;
}

Json hit_json(const Hit& hit, bool explain) {
  Json j;
  j["id"] = hit.id;
  j["rank"] = hit.rank;
  j["score"] = hit.score;
  j["percent"] = hit.percent;
  j["title"] = string_or_null(hit.title);
  j["authors"] = strings(hit.authors);
  j["org"] = string_or_null(hit.organisation);
  j["date"] = string_or_null(hit.date);
  j["type"] = string_or_null(hit.type);
  j["topics"] = strings(hit.topics);
  j["language"] = string_or_null(hit.language);
  j["url"] = string_or_null(hit.url);
  j["path"] = string_or_null(hit.path);
  j["line"] = hit.line == 0 ? Json(nullptr) : Json(hit.line);
  j["summary"] = string_or_null(hit.summary);
  j["section"] = Json{{"index", hit.section.index},
                      {"count", hit.section.count},
                      {"heading", string_or_null(hit.section.heading)},
                      {"authors", strings(hit.section.authors)},
                      {"signed", hit.section.is_signed}};
  Json snippets = Json::array();
  for (const Snippet& snippet : hit.snippets) {
    const std::vector<Highlight> spans = clean_highlights(snippet.text, snippet.highlights);
    Json ranges = Json::array();
    for (const Highlight& h : spans) ranges.push_back(Json::array({h.begin, h.end}));
    snippets.push_back(Json{{"text", snippet.text},
                            {"highlights", std::move(ranges)},
                            {"html", snippet_html(snippet.text, spans)}});
  }
  j["snippets"] = std::move(snippets);
  if (explain) {
    Json terms = Json::array();
    for (const TermWeight& t : hit.explanation) {
      terms.push_back(Json{{"term", t.term}, {"weight", t.weight}, {"expansion", t.expansion}});
    }
    j["explanation"] = std::move(terms);
  }
  return j;
}

// Invalid UTF-8 in a stored field must not abort a whole result page: replace it with U+FFFD.
std::string dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------------
// Text.

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kHighlight = "\x1b[1;33m";
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kMarker = "**";
constexpr std::size_t kMinWidth = 20;

// How spans of a wrapped text are shown. Escape sequences (per_word) are closed at the end of
// every word so that no line, and no indent, ever inherits a colour; markers are visible and
// count towards the width.
struct SpanStyle {
  std::string_view open;
  std::string_view close;
  bool per_word = false;
};

// Wraps text to `width` terminal columns at white space. Words longer than a line (URLs, text
// without spaces such as Chinese) are cut between code points, never inside one.
class Wrapper {
 public:
  Wrapper(std::string_view text, const std::vector<Highlight>& spans, SpanStyle style)
      : text_(text), spans_(spans), style_(style) {}

  // `first` starts the first line (e.g. "12. "), `indent` spaces start the others.
  void write(std::string& out, std::string_view first, std::size_t indent,
             std::size_t width) const {
    const std::string pad(indent, ' ');
    std::size_t room = 0;
    std::size_t used = 0;
    bool line_open = false;
    auto start_line = [&] {
      const std::size_t lead = line_open ? indent : display_width(first);
      out += line_open ? "\n" + pad : std::string(first);
      room = width > lead ? std::max<std::size_t>(width - lead, 10) : 10;
      line_open = true;
      used = 0;
    };
    std::size_t i = 0;
    while (i < text_.size()) {
      if (is_space(text_[i])) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text_.size() && !is_space(text_[end])) ++end;
      const std::size_t word = width_of(i, end);
      if (!line_open) {
        start_line();
      } else if (used > 0 && (used + 1 + word > room)) {
        start_line();
      } else if (used > 0) {
        out += ' ';
        ++used;
      }
      if (used + word <= room) {
        emit(out, i, end);
        used += word;
      } else {
        // Longer than a line (a URL, text without spaces): cut between code points.
        std::size_t piece = i;
        while (piece < end) {
          std::size_t cut = piece;
          while (cut < end) {
            const std::size_t next = std::min(end, cut + step(text_, cut));
            if (cut > piece && used + width_of(piece, next) > room) break;
            cut = next;
          }
          emit(out, piece, cut);
          used += width_of(piece, cut);
          piece = cut;
          if (piece < end) start_line();
        }
      }
      i = end;
    }
    if (line_open) out += '\n';
  }

 private:
  std::size_t width_of(std::size_t begin, std::size_t end) const {
    std::size_t width = display_width(text_.substr(begin, end - begin));
    if (!style_.per_word) {
      const std::size_t marker = display_width(style_.open);
      for (const Highlight& h : spans_) {
        if (h.begin >= begin && h.begin < end) width += marker;
        if (h.end > begin && h.end <= end) width += marker;
      }
    }
    return width;
  }

  bool inside(std::size_t at) const {
    return std::any_of(spans_.begin(), spans_.end(),
                       [at](const Highlight& h) { return h.begin <= at && at < h.end; });
  }

  void emit(std::string& out, std::size_t begin, std::size_t end) const {
    bool lit = false;
    for (std::size_t at = begin; at < end;) {
      if (style_.per_word) {
        const bool now = inside(at);
        if (now != lit) out += now ? style_.open : style_.close;
        lit = now;
      } else {
        for (const Highlight& h : spans_) {
          if (h.end == at && at > begin) out += style_.close;
          if (h.begin == at) out += style_.open;
        }
      }
      at += put_display(out, text_, at);
    }
    if (style_.per_word) {
      if (lit) out += style_.close;
    } else {
      for (const Highlight& h : spans_) {
        if (h.end == end && end > begin) out += style_.close;
      }
    }
  }

  std::string_view text_;
  const std::vector<Highlight>& spans_;
  SpanStyle style_;
};

// `text` wrapped, its first line unindented and the others indented by `indent`.
void write_hanging(std::string& out, std::string_view text, std::size_t indent, std::size_t width) {
  static const std::vector<Highlight> kNone;
  Wrapper(text, kNone, {}).write(out, "", indent, width);
}

// `text` wrapped, its first line starting with `prefix` and the others indented by `indent`.
void write_with_prefix(std::string& out, std::string_view text, std::string_view prefix,
                       std::size_t indent, std::size_t width) {
  static const std::vector<Highlight> kNone;
  Wrapper(text, kNone, {}).write(out, prefix, indent, width);
}

// `text` wrapped, every line indented by `indent`.
void write_indented(std::string& out, std::string_view text, std::size_t indent,
                    std::size_t width) {
  static const std::vector<Highlight> kNone;
  Wrapper(text, kNone, {}).write(out, std::string(indent, ' '), indent, width);
}

// A string cut to `width` columns, with "…" when cut.
std::string truncate(const std::string& s, std::size_t width) {
  if (display_width(s) <= width) return s;
  std::size_t i = 0;
  for (std::size_t used = 0; i < s.size() && used + columns_at(s, i) + 1 <= width;) {
    used += columns_at(s, i);
    i += step(s, i);
  }
  return s.substr(0, i) + "…";
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t n = display_width(s);
  return n >= width ? s : std::string(width - n, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t n = display_width(s);
  return n >= width ? s : s + std::string(width - n, ' ');
}

std::string total_text(const Total& total) {
  if (total.exact) return std::to_string(total.estimate);
  return "about " + std::to_string(total.estimate) + " (between " + std::to_string(total.lower) +
         " and " + std::to_string(total.upper) + ")";
}

class TextPrinter {
 public:
  TextPrinter(const SearchRequest& request, const SearchResults& results,
              const RenderOptions& options)
      : request_(request),
        results_(results),
        options_(options),
        width_(std::max(options.width, kMinWidth)) {}

  std::string print() {
    header();
    if (!results_.hits.empty()) {
      std::size_t rank_width = 0;
      for (const Hit& hit : results_.hits) {
        rank_width = std::max(rank_width, std::to_string(hit.rank).size());
      }
      for (const Hit& hit : results_.hits) {
        out_ += '\n';
        print_hit(hit, rank_width);
      }
    }
    for (const Facet& facet : results_.facets) {
      out_ += '\n';
      print_facet(facet);
    }
    if (results_.timeline_unit != TimelineUnit::kNone) {
      out_ += '\n';
      print_timeline();
    }
    return std::move(out_);
  }

 private:
  std::string bold(const std::string& s) const {
    if (!options_.color) return s;
    return std::string(kBold) + s + std::string(kReset);
  }

  void header() {
    const Total& total = results_.total;
    if (total.estimate == 0 && results_.hits.empty()) {
      out_ += "No matches.\n";
    } else {
      std::string line = total.exact ? "" : "about ";
      line += results_.browse ? plural(total.estimate, "article", "articles")
                              : plural(total.estimate, "match", "matches");
      if (!results_.hits.empty()) {
        line += ", showing " + std::to_string(results_.hits.front().rank) + "–" +
                std::to_string(results_.hits.back().rank);
      }
      out_ += line + "\n";
    }
    for (const std::string& warning : results_.warnings) {
      write_hanging(out_, "warning: " + warning, 9, width_);
    }
    if (!results_.suggestion.empty()) {
      if (results_.corrected) {
        write_hanging(out_,
                      "note: no matches for \"" + request_.query + "\"; showing results for \"" +
                          results_.suggestion + "\"",
                      6, width_);
      } else {
        write_hanging(out_, "Did you mean: " + results_.suggestion, 14, width_);
      }
    }
    if (options_.explain) {
      write_hanging(out_, "query: " + results_.query_description, 7, width_);
    }
  }

  void print_hit(const Hit& hit, std::size_t rank_width) {
    const std::size_t indent = rank_width + 2;
    const std::string prefix = pad_left(std::to_string(hit.rank), rank_width) + ". ";
    const std::string& title = hit.title.empty() ? hit.id : hit.title;
    if (options_.color) {
      // Bold per line, after the prefix or indent, so that no colour crosses a line end.
      std::string wrapped;
      write_with_prefix(wrapped, title, "", 0, width_ > indent ? width_ - indent : 0);
      std::size_t line_start = 0;
      for (std::size_t nl = wrapped.find('\n'); nl != std::string::npos;
           nl = wrapped.find('\n', line_start)) {
        out_ += line_start == 0 ? prefix : std::string(indent, ' ');
        out_ += kBold;
        out_.append(wrapped, line_start, nl - line_start);
        out_ += kReset;
        out_ += '\n';
        line_start = nl + 1;
      }
    } else {
      write_with_prefix(out_, title, prefix, indent, width_);
    }

    std::vector<std::string> meta;
    if (!hit.date.empty()) meta.push_back(hit.date);
    if (!hit.organisation.empty()) meta.push_back(hit.organisation);
    if (!hit.authors.empty()) meta.push_back(join(hit.authors, ", "));
    if (!meta.empty()) write_indented(out_, join(meta, " · "), indent, width_);

    const MatchedSection& section = hit.section;
    if (section.count > 1) {
      std::string line =
          "section " + std::to_string(section.index + 1) + " of " + std::to_string(section.count);
      if (!section.heading.empty()) line += ": " + section.heading;
      if (section.is_signed && !section.authors.empty()) {
        line += " (by " + join(section.authors, ", ") + ")";
      }
      write_indented(out_, line, indent, width_);
    }

    const SpanStyle style =
        options_.color ? SpanStyle{kHighlight, kReset, true} : SpanStyle{kMarker, kMarker, false};
    for (const Snippet& snippet : hit.snippets) {
      const std::vector<Highlight> spans =
          trim_highlights(snippet.text, clean_highlights(snippet.text, snippet.highlights));
      Wrapper(snippet.text, spans, style).write(out_, std::string(indent, ' '), indent, width_);
    }

    // Never wrapped: a URL or path must stay one piece to be clickable and copyable.
    std::string location = hit.url;
    if (location.empty() && !hit.path.empty()) {
      location = hit.path;
      if (hit.line > 0) location += ":" + std::to_string(hit.line);
    }
    if (!location.empty()) out_ += std::string(indent, ' ') + display_line(location) + "\n";

    if (options_.explain) {
      out_ += std::string(indent, ' ') + "score " + format_double(hit.score) + " (" +
              std::to_string(hit.percent) + "%)" + (hit.explanation.empty() ? "" : ", terms:") +
              "\n";
      std::size_t weight_width = 0;
      for (const TermWeight& t : hit.explanation) {
        weight_width = std::max(weight_width, format_fixed(t.weight, 4).size());
      }
      for (const TermWeight& t : hit.explanation) {
        out_ += std::string(indent + 2, ' ') + pad_left(format_fixed(t.weight, 4), weight_width) +
                "  " + display_line(t.term) + (t.expansion ? "  (feedback)" : "") + "\n";
      }
    }
  }

  void print_facet(const Facet& facet) {
    std::vector<std::string> notes;
    if (facet.distinct > facet.values.size()) {
      notes.push_back("top " + std::to_string(facet.values.size()) + " of " +
                      plural(facet.distinct, "value", "values"));
    }
    if (facet.missing > 0)
      notes.push_back(plural(facet.missing, "article", "articles") + " without");
    const std::string field = display_line(facet.field);
    const std::string note = notes.empty() ? "" : "(" + join(notes, "; ") + ")";
    if (note.empty()) {
      out_ += bold(field) + "\n";
    } else if (display_width(field) + 1 + display_width(note) <= width_) {
      out_ += bold(field) + " " + note + "\n";
    } else {
      out_ += bold(field) + "\n";
      write_indented(out_, note, 2, width_);
    }
    if (facet.values.empty()) {
      out_ += "  (none)\n";
      return;
    }
    std::size_t count_width = 0;
    for (const FacetCount& value : facet.values) {
      count_width = std::max(count_width, std::to_string(value.count).size());
    }
    const std::size_t room = width_ > count_width + 4 ? width_ - count_width - 4 : 1;
    for (const FacetCount& value : facet.values) {
      out_ += "  " + pad_left(std::to_string(value.count), count_width) + "  " +
              truncate(display_line(value.value), room) + "\n";
    }
  }

  // Long spans are grouped for the terminal (decades for years, years for months) so the chart
  // stays readable; JSON always has every period.
  std::vector<TimelineBucket> display_timeline(std::string& unit) const {
    constexpr std::size_t kMaxLines = 40;
    unit = std::string(unit_name(results_.timeline_unit));
    if (results_.timeline.size() <= kMaxLines) return results_.timeline;
    const bool years = results_.timeline_unit == TimelineUnit::kYear;
    unit = years ? "decade" : "year";
    std::vector<TimelineBucket> grouped;
    for (const TimelineBucket& bucket : results_.timeline) {
      std::string key = years ? bucket.period.substr(0, 3) + "0s" : bucket.period.substr(0, 4);
      if (grouped.empty() || grouped.back().period != key) grouped.push_back({key, 0});
      grouped.back().count += bucket.count;
    }
    return grouped;
  }

  void print_timeline() {
    std::string unit;
    const std::vector<TimelineBucket> timeline = display_timeline(unit);
    out_ += bold("timeline") + " (by " + unit + ")\n";
    std::size_t period_width = 0;
    std::size_t count_width = 0;
    std::size_t most = 0;
    for (const TimelineBucket& bucket : timeline) {
      period_width = std::max(period_width, display_width(bucket.period));
      count_width = std::max(count_width, std::to_string(bucket.count).size());
      most = std::max(most, bucket.count);
    }
    const std::size_t used = 2 + period_width + 2 + count_width + 2;
    const std::size_t bar_room = width_ > used + 10 ? width_ - used : 10;
    for (const TimelineBucket& bucket : timeline) {
      std::string line = "  " + pad_right(display_line(bucket.period), period_width) + "  " +
                         pad_left(std::to_string(bucket.count), count_width);
      std::size_t bar = most == 0 ? 0 : (bucket.count * bar_room + most / 2) / most;
      // A period with any match gets a visible bar, however small next to the largest.
      if (bucket.count > 0 && bar == 0) bar = 1;
      if (bar > 0) line += "  ";
      for (std::size_t k = 0; k < bar; ++k) line += "█";
      out_ += line + "\n";
    }
    if (timeline.empty()) out_ += "  (no dated matches)\n";
    if (results_.undated > 0) {
      // For a monthly timeline, articles dated only to the year have no month either.
      const bool monthly = results_.timeline_unit == TimelineUnit::kMonth;
      out_ += "  " +
              plural(results_.undated, monthly ? "article" : "undated article",
                     monthly ? "articles" : "undated articles") +
              (monthly ? " without a known month" : "") + " not shown\n";
    }
  }

  const SearchRequest& request_;
  const SearchResults& results_;
  const RenderOptions& options_;
  std::size_t width_;
  std::string out_;
};

// ---------------------------------------------------------------------------------------------
// CSV.

// Whether a spreadsheet (Excel, LibreOffice, Google Sheets) would read a cell starting with `c`
// as a formula: OWASP "CSV Injection" lists = + - @ TAB and CR.
constexpr bool starts_formula(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// How a CSV column is written: numbers Dossier formats itself stay numbers; text that may come
// from a (hostile) document is defused against formula injection.
enum class CsvCell { kNumber, kText };

// One RFC 4180 field. A kText field starting with a formula character gets a leading ' (OWASP's
// advice: spreadsheets show the value as text and hide the quote), then the usual quoting.
void append_csv_field(std::string& out, std::string_view field, CsvCell cell) {
  const bool defuse = cell == CsvCell::kText && !field.empty() && starts_formula(field.front());
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out += '"';
  if (defuse) out += '\'';
  if (!quote) {
    out += field;
    return;
  }
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Passages joined with " … ", without doubling the ellipses the passages already carry.
std::string joined_snippets(const std::vector<Snippet>& snippets) {
  constexpr std::string_view kEllipsis = "…";
  std::string out;
  for (std::size_t i = 0; i < snippets.size(); ++i) {
    std::string_view text = snippets[i].text;
    if (i > 0) {
      while (!out.empty() && (out.back() == ' ' || out.ends_with(kEllipsis))) {
        out.resize(out.back() == ' ' ? out.size() - 1 : out.size() - kEllipsis.size());
      }
      while (text.starts_with(kEllipsis) || text.starts_with(' ')) {
        text.remove_prefix(text.front() == ' ' ? 1 : kEllipsis.size());
      }
      out += " … ";
    }
    out += text;
  }
  return out;
}

std::string print_csv(const SearchResults& results) {
  // rank and score must stay numbers a spreadsheet can sort (a negative score would otherwise
  // be quoted). The date is defused like text: a normalised ISO date (year 1..9999) never starts
  // with a formula character, so only a corrupt stored date could ever change.
  static constexpr std::array<CsvCell, 10> kCsvColumns{
      CsvCell::kNumber, CsvCell::kNumber, CsvCell::kText, CsvCell::kText, CsvCell::kText,
      CsvCell::kText,   CsvCell::kText,   CsvCell::kText, CsvCell::kText, CsvCell::kText};
  std::string out = "rank,score,id,date,org,authors,title,url,path,snippet\n";
  for (const Hit& hit : results.hits) {
    const std::array<std::string, 10> fields{std::to_string(hit.rank),
                                             format_double(hit.score),
                                             hit.id,
                                             hit.date,
                                             hit.organisation,
                                             join(hit.authors, "; "),
                                             hit.title,
                                             hit.url,
                                             hit.path,
                                             joined_snippets(hit.snippets)};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      append_csv_field(out, fields[i], kCsvColumns[i]);
    }
    out += '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Citations (BibTeX, RIS).

enum class CitationKind { kArticle, kReport, kOther };

// Think-tank document types as citation types: published commentary is cited like an article,
// reports and papers like technical reports, everything else (testimony, transcripts, ...) as
// miscellany.
CitationKind citation_kind(std::string_view type) {
  std::string key;
  try {
    key = fold_key(type);
  } catch (const Error&) {
    return CitationKind::kOther;
  }
  static constexpr std::array<std::string_view, 11> kArticles{
      "commentary", "op-ed",   "oped",   "article", "analysis", "blog",
      "blog post",  "opinion", "column", "essay",   "editorial"};
  static constexpr std::array<std::string_view, 9> kReports{
      "report", "working paper", "paper",     "policy brief",   "brief",
      "study",  "issue brief",   "monograph", "research report"};
  if (std::find(kArticles.begin(), kArticles.end(), key) != kArticles.end()) {
    return CitationKind::kArticle;
  }
  if (std::find(kReports.begin(), kReports.end(), key) != kReports.end()) {
    return CitationKind::kReport;
  }
  return CitationKind::kOther;
}

struct DateParts {
  std::string year;
  std::string month;  // "01".."12" or ""
  std::string day;
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

DateParts split_date(std::string_view date) {
  DateParts parts;
  if (date.size() < 4 || !all_digits(date.substr(0, 4))) return parts;
  parts.year = date.substr(0, 4);
  if (date.size() >= 7 && date[4] == '-' && all_digits(date.substr(5, 2))) {
    const int month = (date[5] - '0') * 10 + (date[6] - '0');
    if (month >= 1 && month <= 12) parts.month = date.substr(5, 2);
    if (!parts.month.empty() && date.size() >= 10 && date[7] == '-' &&
        all_digits(date.substr(8, 2))) {
      parts.day = date.substr(8, 2);
    }
  }
  return parts;
}

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t begin = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > begin) words.push_back(s.substr(begin, i - begin));
  }
  return words;
}

bool is_name_suffix(std::string_view word) {
  static constexpr std::array<std::string_view, 8> kSuffixes{"Jr", "Jr.", "Sr", "Sr.",
                                                             "II", "III", "IV", "Jnr"};
  return std::find(kSuffixes.begin(), kSuffixes.end(), word) != kSuffixes.end();
}

// A display name split into given names, family name (with lower-case particles: "von der
// Leyen") and suffix. "Sánchez, María" is taken as already inverted.
struct NameParts {
  std::string given;
  std::string family;
  std::string suffix;
};

NameParts split_name(std::string_view name) {
  NameParts parts;
  const std::string line = one_line(name);
  if (const std::size_t comma = line.find(','); comma != std::string::npos) {
    parts.family = one_line(std::string_view(line).substr(0, comma));
    parts.given = one_line(std::string_view(line).substr(comma + 1));
    return parts;
  }
  std::vector<std::string_view> words = words_of(line);
  if (words.size() > 2 && is_name_suffix(words.back())) {
    parts.suffix = words.back();
    words.pop_back();
  }
  if (words.size() <= 1) {
    parts.family = words.empty() ? "" : std::string(words.front());
    return parts;
  }
  std::size_t family = words.size() - 1;
  while (family > 1 && words[family - 1].front() >= 'a' && words[family - 1].front() <= 'z') {
    --family;
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string& target = i < family ? parts.given : parts.family;
    if (!target.empty()) target += ' ';
    target += words[i];
  }
  return parts;
}

// Lower-case ASCII letters and digits of the folded text ("Sánchez" -> "sanchez").
std::string ascii_key(std::string_view s) {
  std::string folded;
  try {
    folded = fold_key(s);
  } catch (const Error&) {
    folded = s;  // Malformed UTF-8: keep what ASCII there is.
  }
  std::string out;
  for (const char c : folded) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// The first title word that says something ("The Case for Sanctions" -> "case").
std::string title_word(std::string_view title) {
  for (const std::string_view word : words_of(title)) {
    // The leading run of letters and digits: "NATO's" -> "nato", "“Quoted”" -> "quoted".
    std::string folded;
    try {
      folded = fold_key(word);
    } catch (const Error&) {
      folded = word;
    }
    const auto is_key_char = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    };
    const auto begin = std::find_if(folded.begin(), folded.end(), is_key_char);
    const std::string key(begin, std::find_if_not(begin, folded.end(), is_key_char));
    if (key.empty() || key == "a" || key == "an" || key == "the") continue;
    return key;
  }
  return "";
}

std::string citation_key(const Hit& hit) {
  std::string key;
  if (!hit.authors.empty()) {
    key = ascii_key(split_name(hit.authors.front()).family);
  }
  if (key.empty()) key = ascii_key(hit.organisation);
  key += split_date(hit.date).year;
  key += title_word(hit.title);
  return key.empty() ? "dossier" : key;
}

// Suffix for the n-th collision: a..z, then aa, ab, ...
std::string collision_suffix(std::size_t n) {
  std::string suffix;
  ++n;
  while (n > 0) {
    --n;
    suffix.insert(suffix.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  }
  return suffix;
}

std::string unique_key(const Hit& hit, std::set<std::string>& used) {
  const std::string base = citation_key(hit);
  std::string key = base;
  for (std::size_t n = 0; used.count(key) != 0; ++n) key = base + collision_suffix(n);
  used.insert(key);
  return key;
}

std::string bibtex_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (const char c : one_line(s)) {
    switch (c) {
      case '&':
      case '%':
      case '$':
      case '#':
      case '_':
      case '{':
      case '}':
        out += '\\';
        out += c;
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '\\':
        out += "\\textbackslash{}";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Styles recase titles; braces keep acronyms and mixed-case words ("NATO", "McCain") as written.
std::string bibtex_title(std::string_view title) {
  std::string out;
  const std::string line = one_line(title);  // Outlives the views words_of returns.
  for (const std::string_view word : words_of(line)) {
    if (!out.empty()) out += ' ';
    const auto is_letter = [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
             (static_cast<unsigned char>(c) & 0x80U) != 0;
    };
    const auto first = std::find_if(word.begin(), word.end(), is_letter);
    const bool protect = first != word.end() && std::any_of(first + 1, word.end(), [](char c) {
                           return c >= 'A' && c <= 'Z';
                         });
    const std::string escaped = bibtex_escape(word);
    out += protect ? "{" + escaped + "}" : escaped;
  }
  return out;
}

std::string bibtex_name(std::string_view name) {
  // BibTeX reads "John Smith Jr." as first "John Smith", last "Jr.": a suffix needs the
  // "von Last, Jr, First" form.
  const NameParts parts = split_name(name);
  if (!parts.suffix.empty()) {
    return bibtex_escape(parts.family) + ", " + bibtex_escape(parts.suffix) + ", " +
           bibtex_escape(parts.given);
  }
  std::string out;
  const std::string line = one_line(name);
  for (const std::string_view word : words_of(line)) {
    if (!out.empty()) out += ' ';
    // "and" inside one name would split it into two authors.
    out += word == "and" ? std::string("{and}") : bibtex_escape(word);
  }
  return out;
}

// URLs are verbatim in biblatex and the url package: only braces, which would unbalance the
// field, are percent-encoded.
std::string bibtex_url(std::string_view url) {
  std::string out;
  for (const char c : one_line(url)) {
    if (c == '{') {
      out += "%7B";
    } else if (c == '}') {
      out += "%7D";
    } else {
      out += c;
    }
  }
  return out;
}

std::string print_bibtex(const SearchResults& results) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::set<std::string> used;
  std::string out;
  for (const Hit& hit : results.hits) {
    const CitationKind kind = citation_kind(hit.type);
    std::vector<std::pair<std::string_view, std::string>> fields;
    auto add = [&fields](std::string_view name, std::string value) {
      if (!value.empty()) fields.emplace_back(name, "{" + value + "}");
    };
    add("title", bibtex_title(hit.title.empty() ? hit.id : hit.title));
    std::vector<std::string> names;
    for (const std::string& author : hit.authors) {
      std::string name = bibtex_name(author);
      if (!name.empty()) names.push_back(std::move(name));
    }
    add("author", join(names, " and "));
    const DateParts date = split_date(hit.date);
    add("year", date.year);
    if (!date.month.empty()) {
      const auto month =
          static_cast<std::size_t>((date.month[0] - '0') * 10 + (date.month[1] - '0'));
      fields.emplace_back("month", std::string(kMonths[month - 1]));
    }
    if (!date.year.empty()) {
      std::string iso = date.year;
      if (!date.month.empty()) iso += "-" + date.month;
      if (!date.day.empty()) iso += "-" + date.day;
      add("date", iso);
    }
    const std::string org = bibtex_escape(hit.organisation);
    switch (kind) {
      case CitationKind::kArticle:
        add("journal", org);
        break;
      case CitationKind::kReport:
        add("institution", org);
        add("type", bibtex_escape(hit.type.empty() ? "" : hit.type));
        break;
      case CitationKind::kOther:
        add("organization", org);
        add("howpublished", bibtex_escape(hit.type));
        break;
    }
    add("url", bibtex_url(hit.url));
    if (hit.url.empty() && !hit.path.empty()) {
      std::string note = "File: " + hit.path;
      if (hit.line > 0) note += ", line " + std::to_string(hit.line);
      add("note", bibtex_escape(note));
    }
    std::vector<std::string> topics;
    for (const std::string& topic : hit.topics) topics.push_back(bibtex_escape(topic));
    add("keywords", join(topics, ", "));
    add("language", bibtex_escape(hit.language));

    if (!out.empty()) out += '\n';
    out += kind == CitationKind::kArticle  ? "@article{"
           : kind == CitationKind::kReport ? "@techreport{"
                                           : "@misc{";
    out += unique_key(hit, used);
    for (const auto& [name, value] : fields) {
      out += ",\n  ";
      out += name;
      out += " = ";
      out += value;
    }
    out += "\n}\n";
  }
  return out;
}

std::string print_ris(const SearchResults& results) {
  std::string out;
  auto tag = [&out](std::string_view name, const std::string& value) {
    const std::string line = one_line(value);
    if (line.empty()) return;
    out += name;
    out += "  - ";
    out += line;
    out += '\n';
  };
  for (const Hit& hit : results.hits) {
    if (!out.empty()) out += '\n';
    const CitationKind kind = citation_kind(hit.type);
    tag("TY", kind == CitationKind::kArticle  ? "ELEC"
              : kind == CitationKind::kReport ? "RPRT"
                                              : "GEN");
    tag("TI", hit.title.empty() ? hit.id : hit.title);
    for (const std::string& author : hit.authors) {
      const NameParts name = split_name(author);
      std::string value = name.family;
      if (!name.given.empty()) value += ", " + name.given;
      if (!name.suffix.empty()) value += ", " + name.suffix;
      tag("AU", value);
    }
    const DateParts date = split_date(hit.date);
    tag("PY", date.year);
    if (!date.year.empty()) tag("DA", date.year + "/" + date.month + "/" + date.day + "/");
    tag("PB", hit.organisation);
    tag("UR", hit.url);
    if (!hit.path.empty()) tag("L1", hit.path);
    for (const std::string& topic : hit.topics) tag("KW", topic);
    tag("LA", hit.language);
    tag("AB", hit.summary);
    out += "ER  - \n";
  }
  return out;
}

}  // namespace

bool parse_format(std::string_view name, Format& format) {
  static constexpr std::array<std::pair<std::string_view, Format>, 6> kFormats{{
      {"text", Format::kText},
      {"json", Format::kJson},
      {"jsonl", Format::kJsonl},
      {"csv", Format::kCsv},
      {"bibtex", Format::kBibtex},
      {"ris", Format::kRis},
  }};
  for (const auto& [known, value] : kFormats) {
    if (name == known) {
      format = value;
      return true;
    }
  }
  return false;
}

nlohmann::ordered_json to_json(const SearchRequest& request, const SearchResults& results,
                               const RenderOptions& options) {
  Json j;
  j["format_version"] = kOutputFormatVersion;
  j["index"] = string_or_null(options.db);
  j["query"] = query_json(request);
  j["total"] = total_json(results.total);
  Json hits = Json::array();
  for (const Hit& hit : results.hits) hits.push_back(hit_json(hit, options.explain));
  j["hits"] = std::move(hits);
  Json facets = Json::object();
  Json facet_info = Json::object();
  for (const Facet& facet : results.facets) {
    Json values = Json::array();
    for (const FacetCount& value : facet.values) {
      values.push_back(Json{{"value", value.value}, {"count", value.count}});
    }
    facets[facet.field] = std::move(values);
    facet_info[facet.field] = Json{{"distinct", facet.distinct}, {"missing", facet.missing}};
  }
  j["facets"] = std::move(facets);
  j["facet_info"] = std::move(facet_info);
  if (results.timeline_unit == TimelineUnit::kNone) {
    j["timeline"] = nullptr;
  } else {
    Json buckets = Json::array();
    for (const TimelineBucket& bucket : results.timeline) {
      buckets.push_back(Json{{"period", bucket.period}, {"count", bucket.count}});
    }
    j["timeline"] = Json{{"unit", unit_name(results.timeline_unit)},
                         {"buckets", std::move(buckets)},
                         {"undated", results.undated}};
  }
  j["suggestion"] = string_or_null(results.suggestion);
  j["corrected"] = results.corrected;
  j["warnings"] = strings(results.warnings);
  j["query_description"] = results.query_description;
  j["browse"] = results.browse;
  return j;
}

void render(std::ostream& out, const SearchRequest& request, const SearchResults& results,
            Format format, const RenderOptions& options) {
  if (options.count_only) {
    if (format == Format::kJson || format == Format::kJsonl) {
      const Json j{{"format_version", kOutputFormatVersion}, {"total", total_json(results.total)}};
      out << dump(j, format == Format::kJson ? 2 : -1) << '\n';
    } else {
      out << total_text(results.total) << '\n';
    }
    return;
  }
  switch (format) {
    case Format::kText:
      out << TextPrinter(request, results, options).print();
      return;
    case Format::kJson:
      out << dump(to_json(request, results, options), 2) << '\n';
      return;
    case Format::kJsonl:
      out << dump(to_json(request, results, options), -1) << '\n';
      return;
    case Format::kCsv:
      out << print_csv(results);
      return;
    case Format::kBibtex:
      out << print_bibtex(results);
      return;
    case Format::kRis:
      out << print_ris(results);
      return;
  }
}

}  // namespace dossier::cli
