// Building Xapian documents from Articles: terms, values and stored data from the schema table.
#include "index/document.hpp"

#include "schema/schema.hpp"
#include "text/fold.hpp"

#include <dossier/text.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <set>

namespace dossier::detail {
namespace {

constexpr Xapian::termcount kHeadingWdf = 2;
constexpr Xapian::termpos kFieldGap = 100;  // no phrase spans two fields

// A row's boolean term values are indexed unless it is a text field (whose prefixed terms are
// words from the term generator) or has no prefix.
constexpr bool has_boolean_terms(const FieldSpec& f) {
  return !f.prefix.empty() && (f.kinds & kText) == 0U;
}

std::string term_key(const FieldSpec& f, const std::string& value) {
  return f.query == QueryAs::kKey ? fold_key_or_raw(value) : value;
}

// What every section document of an article shares, from the schema table: each row's values,
// its term keys and its slot value, worked out once per article.
struct ArticleFields {
  std::array<std::vector<std::string>, kSchema.size()> values;
  std::array<std::vector<std::string>, kSchema.size()> terms;  // rows without their own `terms`
  std::array<std::string, kSchema.size()> slot;                // SlotAs::kValues rows
  std::string facet_record;
  nlohmann::ordered_json stored;
};

ArticleFields article_fields(const FieldInput& input) {
  ArticleFields out;
  out.stored["v"] = kIndexFormatVersion;
  out.facet_record = input.article.id;
  for (std::size_t i = 0; i < kSchema.size(); ++i) {
    const auto& f = kSchema[i];
    auto& values = out.values[i];
    if (f.values != nullptr) f.values(input, values);
    if (has_boolean_terms(f) && f.terms == nullptr) {
      for (const auto& v : values) {
        if (!v.empty()) out.terms[i].push_back(term_key(f, v));
      }
    }
    if (f.slot && f.slot_as == SlotAs::kValues) {
      out.slot[i] = f.multi_valued ? join_values(values) : values.empty() ? "" : values.front();
    }
    if ((f.kinds & kFacet) != 0U) {
      out.facet_record += '\x1e';
      out.facet_record += f.multi_valued   ? join_values(values)
                          : values.empty() ? ""
                                           : values.front();
    }
    switch (f.store) {
      case StoreAs::kNone:
        break;
      case StoreAs::kString:
        out.stored[std::string(f.record)] = values.empty() ? std::string() : values.front();
        break;
      case StoreAs::kList:
        out.stored[std::string(f.record)] = values;
        break;
      case StoreAs::kNumber:
        if (!values.empty()) out.stored[std::string(f.record)] = std::stoull(values.front());
        break;
    }
  }
  return out;
}

// The boolean terms and value slots of section document `index`, from the table.
void add_fields(Xapian::Document& doc, const FieldInput& input, const ArticleFields& fields,
                std::size_t index) {
  std::vector<std::string> own;
  for (std::size_t i = 0; i < kSchema.size(); ++i) {
    const auto& f = kSchema[i];
    if (has_boolean_terms(f)) {
      const std::vector<std::string>* terms = &fields.terms[i];
      if (f.terms != nullptr) {
        own.clear();
        f.terms(input, index, own);
        for (auto& t : own) t = term_key(f, t);
        terms = &own;
      }
      for (const auto& t : *terms) {
        if (!t.empty()) doc.add_boolean_term(bounded_term(f.prefix, t));
      }
    }
    if (!f.slot) continue;
    switch (f.slot_as) {
      case SlotAs::kValues:
        if (!fields.slot[i].empty()) doc.add_value(*f.slot, fields.slot[i]);
        break;
      case SlotAs::kSortableDate:
        if (!input.article.date.empty()) {
          doc.add_value(*f.slot, Xapian::sortable_serialise(input.article.date.yyyymmdd()));
        }
        break;
      case SlotAs::kSection:
        doc.add_value(*f.slot, Xapian::sortable_serialise(static_cast<double>(index)));
        break;
      case SlotAs::kFacetRecord:
        doc.add_value(*f.slot, fields.facet_record);
        break;
    }
  }
}

}  // namespace

ArticleDocuments build_documents(const Article& article, Analyzer& analyzer,
                                 const TopicTagger* tagger, unsigned title_weight) {
  ArticleDocuments result;
  result.id = article.id;
  auto& generator = analyzer.generator(article.language);
  // A title made from the text's opening words (Origin::kDerived) is for display: its words are
  // in the body already and must not count again with a title's weight.
  const auto origin = article.origins.find("title");
  const bool derived_title = origin != article.origins.end() && origin->second == Origin::kDerived;
  const std::string title = derived_title ? std::string() : fold_for_analysis(article.title);
  const std::string summary = fold_for_analysis(article.summary);

  // Free text first, per section: the topic tagger needs the terms of all sections.
  result.sections.reserve(article.sections.size());
  for (const auto& section : article.sections) {
    Xapian::Document doc;
    generator.set_document(doc);
    generator.set_termpos(0);
    generator.index_text(title, title_weight);
    generator.index_text(title, 1, std::string(prefix_of("title")));
    generator.increase_termpos(kFieldGap);
    if (!summary.empty()) {
      generator.index_text(summary);
      generator.increase_termpos(kFieldGap);
    }
    if (!section.heading.empty()) {
      const auto heading = fold_for_analysis(section.heading);
      generator.index_text(heading, kHeadingWdf);
      generator.index_text(heading, 1, std::string(prefix_of("heading")));
      generator.increase_termpos(kFieldGap);
    }
    generator.index_text(fold_for_analysis(section_text(article, section)));
    // The generator must not keep a reference to the document: it goes to the writer thread,
    // and Xapian's reference counts are not atomic (ThreadSanitizer found the race).
    generator.set_document(Xapian::Document());
    result.sections.push_back(std::move(doc));
  }

  // Topics: the article's own, then the taxonomy's, without repeats.
  std::vector<std::string> topics;
  std::set<std::string> topic_keys;
  for (const auto& t : article.topics) {
    if (topic_keys.insert(fold_key(t)).second) topics.push_back(t);
  }
  if (tagger != nullptr) {
    result.topics = tagger->match(result.sections);
    for (const auto& m : result.topics) {
      if (topic_keys.insert(fold_key(m.name)).second) topics.push_back(m.name);
    }
  }

  // Terms, values and the stored record of every field, from the schema table.
  const FieldInput input{article, topics};
  auto fields = article_fields(input);
  nlohmann::ordered_json explained = nlohmann::ordered_json::object();
  for (const auto& t : article.topics) explained[t] = nlohmann::json::array({"metadata"});
  for (const auto& m : result.topics) {
    if (!explained.contains(m.name)) explained[m.name] = m.terms;
  }
  fields.stored["topic_terms"] = std::move(explained);

  for (std::size_t i = 0; i < result.sections.size(); ++i) {
    auto& doc = result.sections[i];
    const auto& section = article.sections[i];
    add_fields(doc, input, fields, i);

    nlohmann::ordered_json data = fields.stored;
    nlohmann::ordered_json s;
    s["index"] = i;
    s["count"] = article.sections.size();
    s["heading"] = section.heading;
    s["authors"] = section.authors;
    s["signed"] = section.signed_section;
    s["begin"] = section.begin;
    s["end"] = section.end;
    data["section"] = std::move(s);
    auto stored = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    stored += '\n';
    stored += section_text(article, section);
    doc.set_data(std::move(stored));
  }
  return result;
}

}  // namespace dossier::detail
