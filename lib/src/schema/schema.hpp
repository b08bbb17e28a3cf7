// THE field table: every indexed field's term prefix, value slot and kind. The index writer,
// the query parser, the facet collectors and the printers all read it; docs/index-format.md
// mirrors it.
#pragma once

#include <xapian.h>

#include <array>
#include <optional>
#include <string_view>

namespace dossier::detail {

/// Format of the index Dossier writes. Bump on any change to the table, the stored data or
/// the analysis; an index of another version is refused with "rebuild the index".
inline constexpr int kIndexFormatVersion = 2;

/// Index metadata keys (docs/index-format.md).
inline constexpr const char* kFormatKey = "dossier.format";      ///< kIndexFormatVersion
inline constexpr const char* kAnalysisKey = "dossier.analysis";  ///< analysis_description()
inline constexpr const char* kSynonymsKey = "dossier.synonyms";  ///< JSON {term: [equivalents]}
/// JSON {"author": {variant: canonical}, "org": {variant: canonical}} from the configuration.
inline constexpr const char* kAliasesKey = "dossier.aliases";

/// What a field is used for (a field may be several of these).
enum FieldKind : unsigned {
  kText = 1U << 0,     ///< Free text with positions, searchable with a prefix (title:).
  kFilter = 1U << 1,   ///< Boolean terms: exact filters (author:"Neil Thomas").
  kFacet = 1U << 2,    ///< Value slot counted for facets (multi-valued: a serialised list).
  kSort = 1U << 3,     ///< Value slot for sorting and range queries.
  kStored = 1U << 4,   ///< Kept in the document data for display.
  kInternal = 1U << 5  ///< Bookkeeping, not user-visible.
};

/// Value slots. Never renumber: they are part of the index format.
enum Slot : Xapian::valueno {
  kSlotDate = 0,          ///< sortable_serialise(YYYYMMDD), unknown parts 00; absent when undated.
  kSlotArticle = 1,       ///< Article key (collapse key: one result per article).
  kSlotAuthors = 2,       ///< Facet: the article's author names, serialised list.
  kSlotTopics = 3,        ///< Facet: topic names, serialised list.
  kSlotOrganisation = 4,  ///< Facet: organisation name.
  kSlotType = 5,          ///< Facet: document type.
  kSlotYear = 6,          ///< Timeline: "YYYY".
  kSlotMonth = 7,         ///< Timeline: "YYYY-MM".
  kSlotLanguage = 8,      ///< Facet: language tag.
  kSlotSection = 9,       ///< sortable_serialise(section index within the article).
  kSlotFacets = 10,       ///< Every facet of the article in one value (see kFacetRecord), so
                          ///< that facet counting reads one slot per match, not six.
};

/// The fields of the kSlotFacets value, in order, separated by U+001E; multi-valued fields
/// join their values with U+001F like their own slots.
inline constexpr std::array<std::string_view, 8> kFacetRecord = {
    "id", "author", "topic", "org", "type", "lang", "year", "month"};

/// How `field:value` in a query reads a field. The query parser registers every field of the
/// table by this (search/query.cpp), so a new field is queryable by its row alone.
enum class QueryAs : unsigned char {
  kNot,    ///< Not a query field.
  kWords,  ///< Free text under the field's prefix, wildcards included (title:, heading:).
  kKey,    ///< A boolean filter on the folded key (fold_key), through the field's aliases.
  kTerm,   ///< A boolean filter on the value as written (id:, year:).
  kMonth,  ///< YYYY-MM (month:).
  kDate,   ///< A date of any precision (date:).
};

/// The configuration's alias table that applies to a field's values, if any.
enum class AliasTable : unsigned char { kNone, kAuthor, kOrganisation };

/// One row of the schema table.
struct FieldSpec {
  std::string_view name;                ///< User-visible field name (query syntax, facets, output).
  std::string_view prefix;              ///< Xapian term prefix; "" when the field has no terms.
  std::optional<Xapian::valueno> slot;  ///< Value slot, if any.
  unsigned kinds;                       ///< FieldKind bits.
  std::string_view doc;                 ///< One line for docs/index-format.md and --help.
  QueryAs query = QueryAs::kNot;        ///< How the query syntax reads `name:value`.
  AliasTable aliases = AliasTable::kNone;  ///< Aliases applied to filter values.
  bool multi_valued = false;  ///< Several values per article (a kFacet slot holds a list).
};

/// The table. Boolean prefixes follow Xapian's conventions where one exists (Q for the unique
/// id, S for title, A for author, K for keyword/topic, P for path, T for type, L for language,
/// X-prefixed for the rest). Long values are bounded by bounded_term() (Xapian's term limit).
inline constexpr std::array kSchema = {
    FieldSpec{"title", "S", std::nullopt, kText | kStored,
              "title words (also searched unprefixed, weighted up)", QueryAs::kWords},
    FieldSpec{"heading", "XH", std::nullopt, kText | kStored,
              "section heading words (also unprefixed)", QueryAs::kWords},
    FieldSpec{"summary", "", std::nullopt, kStored, "summary words, searched unprefixed"},
    FieldSpec{"body", "", std::nullopt, kStored, "body words, unprefixed"},
    FieldSpec{"author", "A", kSlotAuthors, kFilter | kFacet | kStored,
              "author key (fold_key); on a section, the authors who signed it", QueryAs::kKey,
              AliasTable::kAuthor, true},
    FieldSpec{"org", "XO", kSlotOrganisation, kFilter | kFacet | kStored, "organisation key",
              QueryAs::kKey, AliasTable::kOrganisation},
    FieldSpec{"topic", "K", kSlotTopics, kFilter | kFacet | kStored,
              "topic key (metadata and taxonomy)", QueryAs::kKey, AliasTable::kNone, true},
    FieldSpec{"type", "T", kSlotType, kFilter | kFacet | kStored, "document type", QueryAs::kKey},
    FieldSpec{"lang", "L", kSlotLanguage, kFilter | kFacet | kStored, "language tag",
              QueryAs::kKey},
    FieldSpec{"year", "XY", kSlotYear, kFilter | kFacet, "publication year YYYY", QueryAs::kTerm},
    FieldSpec{"month", "XM", kSlotMonth, kFilter | kFacet, "publication year-month YYYY-MM",
              QueryAs::kMonth},
    FieldSpec{"date", "XD", kSlotDate, kFilter | kSort | kStored,
              "publication date YYYYMMDD (term only at day precision)", QueryAs::kDate},
    FieldSpec{"id", "XI", kSlotArticle, kFilter | kStored,
              "article id, on every section document of the article (collapse key in the slot)",
              QueryAs::kTerm},
    FieldSpec{"unique", "Q", std::nullopt, kInternal, "one section document: article id + #index"},
    FieldSpec{"path", "P", std::nullopt, kFilter | kStored, "source file path"},
    FieldSpec{"section", "", kSlotSection, kInternal, "section index within its article"},
    FieldSpec{"facets", "", kSlotFacets, kInternal,
              "article id and all facet values in one value, for counting"},
};

/// The row for a user-visible field name, or nullptr.
constexpr const FieldSpec* find_field(std::string_view name) noexcept {
  for (const auto& f : kSchema) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

/// Xapian's convention, which every prefix of the table follows (a unit test checks it): a term
/// that starts with a capital letter carries a field prefix; a word term never does.
constexpr bool has_field_prefix(std::string_view term) noexcept {
  return !term.empty() && term.front() >= 'A' && term.front() <= 'Z';
}

/// The word of a free-text term: the term itself when it has no prefix, the rest of it under a
/// text field's prefix (kText: title, heading), nullopt for any other prefixed term (filters).
constexpr std::optional<std::string_view> text_word(std::string_view term) noexcept {
  if (term.empty()) return std::nullopt;
  if (!has_field_prefix(term)) return term;
  for (const auto& f : kSchema) {
    if ((f.kinds & kText) == 0U || f.prefix.empty()) continue;
    if (term.size() > f.prefix.size() && term.substr(0, f.prefix.size()) == f.prefix &&
        !has_field_prefix(term.substr(f.prefix.size()))) {
      return term.substr(f.prefix.size());
    }
  }
  return std::nullopt;
}

/// The term prefix of a field; the field must exist (a compile-time typo is a build error when
/// used in a constant expression).
constexpr std::string_view prefix_of(std::string_view name) {
  const auto* f = find_field(name);
  return f != nullptr ? f->prefix : throw "unknown schema field";
}

}  // namespace dossier::detail
