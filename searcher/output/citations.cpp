// What do BibTeX and RIS both need to know of a hit? Its kind of work (article, report, other),
// its date in parts and its authors' names in parts.
#include "output/internal.hpp"

#include <dossier/error.hpp>
#include <dossier/text.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::cli::detail {

// ---------------------------------------------------------------------------------------------
// Citations (BibTeX, RIS).

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

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

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

namespace {

bool is_name_suffix(std::string_view word) {
  static constexpr std::array<std::string_view, 8> kSuffixes{"Jr", "Jr.", "Sr", "Sr.",
                                                             "II", "III", "IV", "Jnr"};
  return std::find(kSuffixes.begin(), kSuffixes.end(), word) != kSuffixes.end();
}

}  // namespace

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

}  // namespace dossier::cli::detail
