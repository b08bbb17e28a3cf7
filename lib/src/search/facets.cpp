// Facet counting over the whole match set, one count per article and per value.
#include "search/facets.hpp"

#include "schema/schema.hpp"
#include "text/hash.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace dossier::detail {

Xapian::valueno facet_slot(std::string_view field) {
  const auto* spec = find_field(field);
  return spec != nullptr && (spec->kinds & kFacet) != 0U && spec->slot ? *spec->slot
                                                                       : Xapian::BAD_VALUENO;
}

bool facet_multi_valued(std::string_view field) {
  const auto* spec = find_field(field);
  return spec != nullptr && spec->multi_valued;
}

namespace {

std::size_t record_part(std::string_view field) {
  const auto part = facet_record_part(field);
  return part < kFacetRecordParts ? part : 0;
}

void bump(CountMap& counts, std::string_view value) {
  const auto it = counts.find(value);
  if (it != counts.end()) {
    ++it->second;
  } else {
    counts.emplace(std::string(value), 1);
  }
}

}  // namespace

FacetCollector::FacetCollector(std::vector<std::string> fields, TimelineUnit timeline)
    : unit_(timeline),
      timeline_part_(record_part(timeline == TimelineUnit::kMonth ? "month" : "year")) {
  for (auto& f : fields) {
    const auto part = record_part(f);
    const bool multi = facet_multi_valued(f);
    fields_.push_back(Field{std::move(f), part, multi, {}, 0});
  }
}

void FacetCollector::operator()(const Xapian::Document& doc, double /*weight*/) {
  // One value holds the article id and every facet (SlotAs::kFacetRecord): one lookup per match.
  const auto record = doc.get_value(kSlotFacets);
  std::array<std::string_view, kFacetRecordParts> parts{};
  {
    const std::string_view view(record);
    std::size_t start = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto end = view.find('\x1e', start);
      parts[i] = view.substr(start, end == std::string_view::npos ? view.npos : end - start);
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }
  // One count per article: its section documents all carry the same article values.
  if (!seen_.insert(fnv1a64(parts[0])).second) return;
  for (auto& f : fields_) {
    const auto value = parts[f.part];
    if (value.empty()) {
      ++f.missing;
      continue;
    }
    if (!f.multi) {
      bump(f.counts, value);
      continue;
    }
    std::size_t start = 0;
    while (true) {
      const auto end = value.find('\x1f', start);
      bump(f.counts, value.substr(start, end - start));
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }
  if (unit_ != TimelineUnit::kNone) {
    const auto period = parts[timeline_part_];
    if (period.empty()) {
      ++undated_;
    } else {
      bump(periods_, period);
    }
  }
}

std::vector<Facet> FacetCollector::facets(std::size_t limit) const {
  std::vector<Facet> out;
  out.reserve(fields_.size());
  for (const auto& f : fields_) {
    Facet facet;
    facet.field = f.name;
    facet.distinct = f.counts.size();
    facet.missing = f.missing;
    facet.values.reserve(f.counts.size());
    for (const auto& [value, count] : f.counts) facet.values.push_back({value, count});
    const auto order = [](const FacetCount& a, const FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    };
    if (limit != 0 && facet.values.size() > limit) {
      std::partial_sort(facet.values.begin(),
                        facet.values.begin() + static_cast<std::ptrdiff_t>(limit),
                        facet.values.end(), order);
      facet.values.resize(limit);
    } else {
      std::sort(facet.values.begin(), facet.values.end(), order);
    }
    out.push_back(std::move(facet));
  }
  return out;
}

std::vector<TimelineBucket> FacetCollector::timeline(std::size_t& undated) const {
  undated = undated_;
  std::vector<TimelineBucket> out;
  if (periods_.empty()) return out;
  std::vector<std::string> keys;
  keys.reserve(periods_.size());
  for (const auto& [period, count] : periods_) keys.push_back(period);
  std::sort(keys.begin(), keys.end());
  // Fill the gaps so that a chart shows silence as well as attention.
  const auto next = [this](const std::string& period) {
    int year = std::stoi(period.substr(0, 4));
    char buf[32];
    if (unit_ == TimelineUnit::kYear) {
      std::snprintf(buf, sizeof buf, "%04d", year + 1);
    } else {
      int month = std::stoi(period.substr(5, 2)) + 1;
      if (month > 12) {
        month = 1;
        ++year;
      }
      std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    }
    return std::string(buf);
  };
  const auto& last = keys.back();
  std::string period = keys.front();
  // Bounded: at most one bucket per month over the archive's span.
  for (std::size_t guard = 0; guard < 120000; ++guard) {
    const auto it = periods_.find(period);
    out.push_back({period, it == periods_.end() ? 0 : it->second});
    if (period >= last) break;
    period = next(period);
  }
  return out;
}

}  // namespace dossier::detail
