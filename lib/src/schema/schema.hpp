// THE field table: every indexed field's term prefix, value slot and kind. The index writer,
// the query parser, the facet collectors and the printers all read it; docs/index-format.md
// mirrors it.
#pragma once

#include <dossier/article.hpp>

#include <xapian.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// Format of the index Dossier writes. Bump on any change to the table, the stored data or
/// the analysis; an index of another version is refused with "rebuild the index".
/// 3: the stored record's keys and the facet record's order come from the table (the
///    organisation is stored as "org", like its field; facets in table order).
inline constexpr int kIndexFormatVersion = 3;

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
  kSlotFacets = 10,       ///< The article id, then every kFacet field of the table in table
                          ///< order, separated by U+001E (SlotAs::kFacetRecord), so that
                          ///< facet counting reads one slot per match, not seven.
};

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

/// What a row's accessors see: the article, and what the document builder worked out for the
/// whole article (its topics merged with the taxonomy's).
struct FieldInput {
  const Article& article;
  const std::vector<std::string>& topics;
};

/// A field's values for one article, as displayed: what is stored, counted as a facet and
/// (unless the row has `terms`) indexed as boolean terms. Empty values are never indexed.
using ValuesOf = void (*)(const FieldInput&, std::vector<std::string>& out);
/// A field's boolean term values for one section document (section index), before the field's
/// key rule (QueryAs::kKey folds them) and prefix are applied. nullptr: the field's values.
using TermsOf = void (*)(const FieldInput&, std::size_t section, std::vector<std::string>& out);

/// How a field's value slot is written.
enum class SlotAs : unsigned char {
  kValues,        ///< The values, joined by U+001F when multi-valued (join_values).
  kSortableDate,  ///< sortable_serialise(Date::yyyymmdd()); absent when undated.
  kSection,       ///< sortable_serialise(section index).
  kFacetRecord,   ///< The article id and every kFacet field in table order (kSlotFacets).
};

/// How a field is kept in the stored record (docs/index-format.md, "Stored data").
enum class StoreAs : unsigned char {
  kNone,    ///< Not in the record (or kept elsewhere: the body after the JSON line, the
            ///< heading in the record's "section" object).
  kString,  ///< The first value, "" when none.
  kList,    ///< Every value, as a JSON array.
  kNumber,  ///< The first value as a JSON number; left out when there is none.
};

/// One row of the schema table: everything the indexer, the query parser, the facet counter,
/// the stored record and the printers need to know about a field. Adding a field is adding a row
/// (and its line in docs/index-format.md); the schema probe test proves it
/// (tests/unit/schema_probe).
struct FieldSpec {
  std::string_view name;                ///< User-visible field name (query syntax, facets, output).
  std::string_view prefix;              ///< Xapian term prefix; "" when the field has no terms.
  std::optional<Xapian::valueno> slot;  ///< Value slot, if any.
  unsigned kinds;                       ///< FieldKind bits.
  std::string_view doc;                 ///< One line for docs/index-format.md and --help.
  QueryAs query = QueryAs::kNot;        ///< How the query syntax reads `name:value`.
  AliasTable aliases = AliasTable::kNone;  ///< Aliases applied to filter values.
  bool multi_valued = false;  ///< Several values per article (a kFacet slot holds a list).
  /// Key in the stored record and in the JSON and CSV output ("authors", "org"): the field's
  /// name, or its plural for a list. Hit::fields is keyed by `name`.
  std::string_view record = {};
  StoreAs store = StoreAs::kNone;
  ValuesOf values = nullptr;  ///< The article's values (nullptr: none).
  TermsOf terms = nullptr;    ///< Section-level term values (nullptr: the values).
  SlotAs slot_as = SlotAs::kValues;
};

/// Accessors of the rows below (schema/schema.cpp).
void author_terms(const FieldInput& in, std::size_t section, std::vector<std::string>& out);
void year_of(const FieldInput& in, std::vector<std::string>& out);
void month_of(const FieldInput& in, std::vector<std::string>& out);
void month_terms(const FieldInput& in, std::size_t section, std::vector<std::string>& out);
void day_terms(const FieldInput& in, std::size_t section, std::vector<std::string>& out);
void unique_terms(const FieldInput& in, std::size_t section, std::vector<std::string>& out);
void line_of(const FieldInput& in, std::vector<std::string>& out);

/// A row's values when it is one string member of the Article.
template <std::string Article::*Member>
void member_value(const FieldInput& in, std::vector<std::string>& out) {
  out.push_back(in.article.*Member);
}

#ifdef DOSSIER_SCHEMA_PROBE
// tests/unit/schema_probe builds the library a second time with one more row, to prove that a
// row is all a new field needs. Never defined in a normal build.
#include DOSSIER_SCHEMA_PROBE
#endif

/// The table. Boolean prefixes follow Xapian's conventions where one exists (Q for the unique
/// id, S for title, A for author, K for keyword/topic, P for path, T for type, L for language,
/// X-prefixed for the rest). Long values are bounded by bounded_term() (Xapian's term limit).
// One row per field reads better than clang-format's one argument per line.
// clang-format off
inline constexpr std::array kSchema = {
    FieldSpec{"id", "XI", kSlotArticle, kFilter | kStored,
              "article id, on every section document of the article (collapse key in the slot)",
              QueryAs::kTerm, AliasTable::kNone, false, "id", StoreAs::kString,
              member_value<&Article::id>},
    FieldSpec{"title", "S", std::nullopt, kText | kStored,
              "title words (also searched unprefixed, weighted up)", QueryAs::kWords,
              AliasTable::kNone, false, "title", StoreAs::kString, member_value<&Article::title>},
    FieldSpec{"heading", "XH", std::nullopt, kText | kStored,
              "section heading words (also unprefixed)", QueryAs::kWords},
    FieldSpec{"author", "A", kSlotAuthors, kFilter | kFacet | kStored,
              "author key (fold_key); on a section, the authors who signed it", QueryAs::kKey,
              AliasTable::kAuthor, true, "authors", StoreAs::kList,
              [](const FieldInput& in, std::vector<std::string>& out) {
                out = in.article.authors;
              },
              author_terms},
    FieldSpec{"org", "XO", kSlotOrganisation, kFilter | kFacet | kStored, "organisation key",
              QueryAs::kKey, AliasTable::kOrganisation, false, "org", StoreAs::kString,
              member_value<&Article::organisation>},
    FieldSpec{"date", "XD", kSlotDate, kFilter | kSort | kStored,
              "publication date YYYYMMDD (term only at day precision)", QueryAs::kDate,
              AliasTable::kNone, false, "date", StoreAs::kString,
              [](const FieldInput& in, std::vector<std::string>& out) {
                out.push_back(in.article.date.iso());
              },
              day_terms, SlotAs::kSortableDate},
    FieldSpec{"type", "T", kSlotType, kFilter | kFacet | kStored, "document type", QueryAs::kKey,
              AliasTable::kNone, false, "type", StoreAs::kString, member_value<&Article::type>},
    FieldSpec{"topic", "K", kSlotTopics, kFilter | kFacet | kStored,
              "topic key (metadata and taxonomy)", QueryAs::kKey, AliasTable::kNone, true,
              "topics", StoreAs::kList,
              [](const FieldInput& in, std::vector<std::string>& out) { out = in.topics; }},
    FieldSpec{"lang", "L", kSlotLanguage, kFilter | kFacet | kStored, "language tag",
              QueryAs::kKey, AliasTable::kNone, false, "language", StoreAs::kString,
              member_value<&Article::language>},
    FieldSpec{"url", "", std::nullopt, kStored, "canonical URL", QueryAs::kNot,
              AliasTable::kNone, false, "url", StoreAs::kString, member_value<&Article::url>},
    FieldSpec{"path", "P", std::nullopt, kFilter | kStored, "source file path", QueryAs::kNot,
              AliasTable::kNone, false, "path", StoreAs::kString,
              member_value<&Article::source_path>},
    FieldSpec{"line", "", std::nullopt, kStored, "line of the record in a JSON Lines file",
              QueryAs::kNot, AliasTable::kNone, false, "line", StoreAs::kNumber, line_of},
    FieldSpec{"summary", "", std::nullopt, kStored, "summary words, searched unprefixed",
              QueryAs::kNot, AliasTable::kNone, false, "summary", StoreAs::kString,
              member_value<&Article::summary>},
    FieldSpec{"body", "", std::nullopt, kStored, "body words, unprefixed"},
    FieldSpec{"year", "XY", kSlotYear, kFilter | kFacet, "publication year YYYY", QueryAs::kTerm,
              AliasTable::kNone, false, {}, StoreAs::kNone, year_of},
    FieldSpec{"month", "XM", kSlotMonth, kFilter | kFacet, "publication year-month YYYY-MM",
              QueryAs::kMonth, AliasTable::kNone, false, {}, StoreAs::kNone, month_of,
              month_terms},
    FieldSpec{"unique", "Q", std::nullopt, kInternal, "one section document: article id + #index",
              QueryAs::kNot, AliasTable::kNone, false, {}, StoreAs::kNone, nullptr, unique_terms},
    FieldSpec{"section", "", kSlotSection, kInternal, "section index within its article",
              QueryAs::kNot, AliasTable::kNone, false, {}, StoreAs::kNone, nullptr, nullptr,
              SlotAs::kSection},
    FieldSpec{"facets", "", kSlotFacets, kInternal,
              "article id and all facet values in one value, for counting", QueryAs::kNot,
              AliasTable::kNone, false, {}, StoreAs::kNone, nullptr, nullptr,
              SlotAs::kFacetRecord},
#ifdef DOSSIER_SCHEMA_PROBE_ROWS
    DOSSIER_SCHEMA_PROBE_ROWS
#endif
};
// clang-format on

/// The parts of the kSlotFacets value: the article id, then every kFacet row in table order.
inline constexpr std::size_t kFacetRecordParts = [] {
  std::size_t n = 1;
  for (const auto& f : kSchema) n += (f.kinds & kFacet) != 0U ? 1 : 0;
  return n;
}();

/// The position of a facet field in the kSlotFacets value (0 is the article id), or
/// kFacetRecordParts when the field is not a facet.
constexpr std::size_t facet_record_part(std::string_view name) noexcept {
  std::size_t part = 1;
  for (const auto& f : kSchema) {
    if ((f.kinds & kFacet) == 0U) continue;
    if (f.name == name) return part;
    ++part;
  }
  return kFacetRecordParts;
}

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

/// The stored-record key of a field; the field must exist and be stored.
constexpr std::string_view record_of(std::string_view name) {
  const auto* f = find_field(name);
  return f != nullptr && !f->record.empty() ? f->record : throw "field not in the stored record";
}

}  // namespace dossier::detail
