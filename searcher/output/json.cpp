// What does a result look like to a program? The JSON object of docs/output-schema.md (pretty for
// --format json, one line for jsonl), with each snippet's highlights as ranges and as HTML.
#include "output/internal.hpp"

#include <dossier/schema.hpp>

#include <charconv>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace dossier::cli::detail {
namespace {

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

}  // namespace

Json total_json(const Total& total) {
  return Json{{"estimate", total.estimate},
              {"lower", total.lower},
              {"upper", total.upper},
              {"exact", total.exact}};
}

namespace {

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

// A stored field's values for a hit: the named member where Hit has one (a program may fill only
// those), else Hit::fields, where a field without a member of its own is found.
std::vector<std::string> stored_values(const Hit& hit, const std::string& name) {
  const std::pair<const char*, const std::string*> single[] = {
      {"title", &hit.title}, {"org", &hit.organisation}, {"date", &hit.date},
      {"type", &hit.type},   {"lang", &hit.language},    {"url", &hit.url},
      {"path", &hit.path},   {"summary", &hit.summary}};
  for (const auto& [field, member] : single) {
    if (name == field) return {*member};
  }
  if (name == "author") return hit.authors;
  if (name == "topic") return hit.topics;
  const auto it = hit.fields.find(name);
  return it != hit.fields.end() ? it->second : std::vector<std::string>();
}

Json hit_json(const Hit& hit, bool explain) {
  Json j;
  j["id"] = hit.id;
  j["rank"] = hit.rank;
  j["score"] = hit.score;
  j["percent"] = hit.percent;
  // Every stored field of the index's schema, in its order, under its record name.
  for (const FieldInfo& f : schema_fields()) {
    if (!f.stored || f.name == "id") continue;
    if (f.name == "line") {  // a number, 0 when there is none
      j[f.record] = hit.line == 0 ? Json(nullptr) : Json(hit.line);
      continue;
    }
    const auto values = stored_values(hit, f.name);
    if (f.multi_valued) {
      j[f.record] = strings(values);
    } else {
      j[f.record] = string_or_null(values.empty() ? std::string() : values.front());
    }
  }
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

}  // namespace

std::string dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dossier::cli::detail

namespace dossier::cli {

// to_json() calls the helpers by their short names, as when they were all in output.cpp.
using namespace detail;

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

}  // namespace dossier::cli
