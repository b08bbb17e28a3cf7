// What does a result page look like in a terminal? Wrapped, highlighted hits, facet tables and
// timeline bar charts, measured in terminal columns, with document text never moving the cursor.
#include "output/internal.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dossier::cli::detail {
namespace {

// ---------------------------------------------------------------------------------------------
// Terminal display of UTF-8 (see output/helpers.cpp).

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

std::string format_fixed(double value, int decimals) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, decimals);
  return {buffer.data(), result.ptr};
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
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

}  // namespace

std::string print_text(const SearchRequest& request, const SearchResults& results,
                       const RenderOptions& options) {
  return TextPrinter(request, results, options).print();
}

}  // namespace dossier::cli::detail
