// Small functions of the article model: date formatting, origin names, section text.
#include <dossier/article.hpp>

#include <dossier/text.hpp>

#include <cstdio>

namespace dossier {

std::string Date::iso() const {
  char buffer[16] = {};
  switch (precision) {
    case Precision::kNone:
      return {};
    case Precision::kYear:
      std::snprintf(buffer, sizeof buffer, "%04d", year);
      break;
    case Precision::kMonth:
      std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
      break;
    case Precision::kDay:
      std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
      break;
  }
  return buffer;
}

int Date::yyyymmdd() const noexcept {
  switch (precision) {
    case Precision::kNone:
      return 0;
    case Precision::kYear:
      return year * 10000;
    case Precision::kMonth:
      return year * 10000 + month * 100;
    case Precision::kDay:
      return year * 10000 + month * 100 + day;
  }
  return 0;
}

std::string_view to_string(Origin origin) noexcept {
  switch (origin) {
    case Origin::kNone:
      return "none";
    case Origin::kSidecar:
      return "sidecar";
    case Origin::kFrontMatter:
      return "front-matter";
    case Origin::kJsonField:
      return "json-field";
    case Origin::kJsonLd:
      return "json-ld";
    case Origin::kMetaTag:
      return "meta-tag";
    case Origin::kHtmlElement:
      return "html-element";
    case Origin::kByline:
      return "byline";
    case Origin::kTextHeuristic:
      return "text-heuristic";
    case Origin::kConfiguration:
      return "configuration";
    case Origin::kFileName:
      return "file-name";
    case Origin::kDerived:
      return "derived";
  }
  return "unknown";
}

std::string_view section_text(const Article& article, const Section& section) noexcept {
  if (section.begin > section.end || section.end > article.body.size()) return {};
  return std::string_view(article.body).substr(section.begin, section.end - section.begin);
}

std::string author_key(std::string_view name) {
  return fold_key(name);
}

}  // namespace dossier
