// to_json(Article): the `--inspect` record (docs/ingest.md), one JSON object per line.
#include <dossier/ingest.hpp>

#include <nlohmann/json.hpp>

namespace dossier {
namespace {

std::string_view precision_name(Date::Precision precision) {
  switch (precision) {
    case Date::Precision::kNone:
      return "none";
    case Date::Precision::kYear:
      return "year";
    case Date::Precision::kMonth:
      return "month";
    case Date::Precision::kDay:
      return "day";
  }
  return "none";
}

}  // namespace

std::string to_json(const Article& article) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["id"] = article.id;
  j["title"] = article.title;
  j["authors"] = article.authors;
  j["date"] = article.date.iso();
  j["date_precision"] = precision_name(article.date.precision);
  j["organisation"] = article.organisation;
  j["type"] = article.type;
  j["topics"] = article.topics;
  j["language"] = article.language;
  j["url"] = article.url;
  j["summary"] = article.summary;
  j["source_path"] = article.source_path;
  if (article.source_line > 0) j["source_line"] = article.source_line;
  ordered_json sections = ordered_json::array();
  for (const auto& section : article.sections) {
    ordered_json s;
    s["heading"] = section.heading;
    s["authors"] = section.authors;
    s["signed"] = section.signed_section;
    s["begin"] = section.begin;
    s["end"] = section.end;
    sections.push_back(std::move(s));
  }
  j["sections"] = std::move(sections);
  ordered_json origins = ordered_json::object();
  for (const auto& [field, origin] : article.origins) origins[field] = to_string(origin);
  j["origins"] = std::move(origins);
  ordered_json diagnostics = ordered_json::array();
  for (const auto& d : article.diagnostics) {
    ordered_json o;
    o["severity"] = d.severity == Diagnostic::Severity::kError ? "error" : "warning";
    if (d.line > 0) o["line"] = d.line;
    o["message"] = d.message;
    diagnostics.push_back(std::move(o));
  }
  j["diagnostics"] = std::move(diagnostics);
  j["body"] = article.body;
  // Invalid UTF-8 cannot occur (ingest validates); replace rather than throw if it ever does.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dossier
