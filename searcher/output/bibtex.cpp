// What does a result look like as a BibTeX bibliography? One entry per hit, with a stable,
// unique citation key and every field escaped for TeX.
#include "output/internal.hpp"

#include <dossier/error.hpp>
#include <dossier/text.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dossier::cli::detail {
namespace {

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

}  // namespace

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

}  // namespace dossier::cli::detail
