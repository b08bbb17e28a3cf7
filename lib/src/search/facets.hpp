// Facet and timeline counting: a Xapian MatchSpy that sees every matching section document,
// counts each article once, and splits multi-valued slots so that a three-author article counts
// once for each author.
#pragma once

#include <dossier/search.hpp>

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace dossier::detail {

/// The slot of a facet field name ("author", "org", ...), or Xapian::BAD_VALUENO.
Xapian::valueno facet_slot(std::string_view field);

/// Whether the field's slot holds several values (joined with U+001F).
bool facet_multi_valued(std::string_view field);

/// Counts articles per facet value over all documents the matcher visits. Give the Enquire
/// check_at_least = the database size so that it visits every match.
/// Counts keyed by value, looked up by string_view without building a string per lookup.
struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view v) const noexcept {
    return std::hash<std::string_view>{}(v);
  }
};
using CountMap = std::unordered_map<std::string, std::size_t, ViewHash, std::equal_to<>>;

class FacetCollector : public Xapian::MatchSpy {
 public:
  /// `fields` are facet names (validated by the caller); `timeline` picks the year or month slot.
  FacetCollector(std::vector<std::string> fields, TimelineUnit timeline);

  void operator()(const Xapian::Document& doc, double weight) override;

  /// Distinct articles seen.
  std::size_t articles() const { return seen_.size(); }

  /// The counts of each requested field, top `limit` (0 = all), most frequent first, ties by
  /// value.
  std::vector<Facet> facets(std::size_t limit) const;

  /// Timeline buckets in time order with empty periods filled in; `undated` gets the number
  /// of articles without a date.
  std::vector<TimelineBucket> timeline(std::size_t& undated) const;

 private:
  struct Field {
    std::string name;
    std::size_t part;  // index in kFacetRecord
    bool multi;
    CountMap counts;
    std::size_t missing = 0;
  };
  std::vector<Field> fields_;
  TimelineUnit unit_;
  std::size_t timeline_part_ = 0;
  CountMap periods_;
  std::size_t undated_ = 0;
  std::unordered_set<std::uint64_t> seen_;
};

}  // namespace dossier::detail
