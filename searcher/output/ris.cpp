// What does a result look like as RIS, for reference managers (Zotero, EndNote)? One tagged
// record per hit.
#include "output/internal.hpp"

#include <string>
#include <string_view>

namespace dossier::cli::detail {

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

}  // namespace dossier::cli::detail
