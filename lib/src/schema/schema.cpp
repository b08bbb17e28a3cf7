// The accessors of the schema table's rows that are more than one line.
#include "schema/schema.hpp"

#include <dossier/article.hpp>
#include <dossier/schema.hpp>

#include <cstdio>
#include <set>

namespace dossier::detail {

// A section is attributed to its signers if it is signed; otherwise to the article's authors who
// signed no section (so a joint introduction in an article where every author signed a section
// is attributed to none of them individually).
void author_terms(const FieldInput& in, std::size_t section, std::vector<std::string>& out) {
  const auto& article = in.article;
  if (section >= article.sections.size()) return;
  const auto& own = article.sections[section];
  if (own.signed_section) {
    out = own.authors;
    return;
  }
  std::set<std::string> signers;
  for (const auto& s : article.sections) {
    if (!s.signed_section) continue;
    for (const auto& a : s.authors) signers.insert(author_key(a));
  }
  for (const auto& a : article.authors) {
    if (signers.count(author_key(a)) == 0) out.push_back(a);
  }
}

void year_of(const FieldInput& in, std::vector<std::string>& out) {
  const auto& date = in.article.date;
  if (date.empty()) return;
  char year[8] = {};
  std::snprintf(year, sizeof year, "%04d", date.year);
  out.emplace_back(year);
}

void month_of(const FieldInput& in, std::vector<std::string>& out) {
  const auto& date = in.article.date;
  if (date.precision < Date::Precision::kMonth) return;
  char month[12] = {};
  std::snprintf(month, sizeof month, "%04d-%02d", date.year, date.month);
  out.emplace_back(month);
}

// XM201903: the month without its dash (MonthProcessor reads month:2019-03 the same way).
void month_terms(const FieldInput& in, std::size_t /*section*/, std::vector<std::string>& out) {
  month_of(in, out);
  for (auto& m : out) m.erase(4, 1);
}

// A date term only at day precision: a year or a month has its own field.
void day_terms(const FieldInput& in, std::size_t /*section*/, std::vector<std::string>& out) {
  const auto& date = in.article.date;
  if (date.precision != Date::Precision::kDay) return;
  char day[12] = {};
  std::snprintf(day, sizeof day, "%08d", date.yyyymmdd());
  out.emplace_back(day);
}

void unique_terms(const FieldInput& in, std::size_t section, std::vector<std::string>& out) {
  out.push_back(in.article.id + "#" + std::to_string(section));
}

void line_of(const FieldInput& in, std::vector<std::string>& out) {
  if (in.article.source_line > 0) out.push_back(std::to_string(in.article.source_line));
}

}  // namespace dossier::detail

namespace dossier {

const std::vector<FieldInfo>& schema_fields() {
  static const std::vector<FieldInfo> fields = [] {
    std::vector<FieldInfo> out;
    for (const auto& f : detail::kSchema) {
      if ((f.kinds & detail::kInternal) != 0U) continue;
      FieldInfo info;
      info.name = f.name;
      info.record = f.record;
      info.description = f.doc;
      info.text = (f.kinds & detail::kText) != 0U;
      info.query = f.query != detail::QueryAs::kNot;
      info.filter = (f.kinds & detail::kFilter) != 0U &&
                    (f.query == detail::QueryAs::kKey || f.query == detail::QueryAs::kTerm);
      info.facet = (f.kinds & detail::kFacet) != 0U;
      info.sortable = (f.kinds & detail::kSort) != 0U;
      info.stored = f.store != detail::StoreAs::kNone;
      info.multi_valued = f.multi_valued;
      info.numeric = f.store == detail::StoreAs::kNumber;
      out.push_back(std::move(info));
    }
    return out;
  }();
  return fields;
}

}  // namespace dossier
