// Building Xapian documents from Articles: terms, values and stored data from the schema table.
#include "index/document.hpp"

#include "schema/schema.hpp"

#include <dossier/text.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>

namespace dossier::detail {
namespace {

constexpr Xapian::termcount kHeadingWdf = 2;
constexpr Xapian::termpos kFieldGap = 100;  // no phrase spans two fields

void add_boolean(Xapian::Document& doc, std::string_view field, std::string_view value) {
  if (value.empty()) return;
  doc.add_boolean_term(bounded_term(prefix_of(field), value));
}

}  // namespace

std::vector<std::string> attributed_authors(const Article& article, const Section& section) {
  if (section.signed_section) return section.authors;
  std::set<std::string> signers;
  for (const auto& s : article.sections) {
    if (!s.signed_section) continue;
    for (const auto& a : s.authors) signers.insert(author_key(a));
  }
  std::vector<std::string> out;
  for (const auto& a : article.authors) {
    if (signers.count(author_key(a)) == 0) out.push_back(a);
  }
  return out;
}

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

  // Stored data shared by the article's sections.
  nlohmann::ordered_json shared;
  shared["v"] = kIndexFormatVersion;
  shared["id"] = article.id;
  shared["title"] = article.title;
  shared["authors"] = article.authors;
  shared["organisation"] = article.organisation;
  shared["date"] = article.date.iso();
  shared["type"] = article.type;
  shared["topics"] = topics;
  shared["language"] = article.language;
  shared["url"] = article.url;
  shared["path"] = article.source_path;
  if (article.source_line > 0) shared["line"] = article.source_line;
  shared["summary"] = article.summary;
  nlohmann::ordered_json explained = nlohmann::ordered_json::object();
  for (const auto& t : article.topics) explained[t] = nlohmann::json::array({"metadata"});
  for (const auto& m : result.topics) {
    if (!explained.contains(m.name)) explained[m.name] = m.terms;
  }
  shared["topic_terms"] = std::move(explained);

  const auto date = article.date;
  char year[8] = {};
  char month[12] = {};
  char day[12] = {};
  if (!date.empty()) std::snprintf(year, sizeof year, "%04d", date.year);
  if (date.precision >= Date::Precision::kMonth) {
    std::snprintf(month, sizeof month, "%04d-%02d", date.year, date.month);
  }
  if (date.precision == Date::Precision::kDay) {
    std::snprintf(day, sizeof day, "%08d", date.yyyymmdd());
  }
  const std::string authors_value = join_values(article.authors);
  const std::string topics_value = join_values(topics);
  // Order of kFacetRecord: id, author, topic, org, type, lang, year, month.
  std::string facet_record;
  for (const std::string* part : {&article.id, &authors_value, &topics_value, &article.organisation,
                                  &article.type, &article.language}) {
    facet_record += *part;
    facet_record += '\x1e';
  }
  facet_record += year;
  facet_record += '\x1e';
  facet_record += month;

  for (std::size_t i = 0; i < result.sections.size(); ++i) {
    auto& doc = result.sections[i];
    const auto& section = article.sections[i];
    for (const auto& a : attributed_authors(article, section))
      add_boolean(doc, "author", fold_key(a));
    add_boolean(doc, "org", fold_key(article.organisation));
    for (const auto& t : topics) add_boolean(doc, "topic", fold_key(t));
    add_boolean(doc, "type", article.type);
    add_boolean(doc, "lang", article.language);
    add_boolean(doc, "year", year);
    if (*month != '\0') {
      std::string compact(month);
      compact.erase(4, 1);  // XM201903
      add_boolean(doc, "month", compact);
    }
    add_boolean(doc, "date", day);
    add_boolean(doc, "id", article.id);
    add_boolean(doc, "path", article.source_path);
    doc.add_boolean_term(bounded_term(prefix_of("unique"), article.id + "#" + std::to_string(i)));

    if (!date.empty()) {
      doc.add_value(kSlotDate, Xapian::sortable_serialise(date.yyyymmdd()));
      doc.add_value(kSlotYear, year);
    }
    if (*month != '\0') doc.add_value(kSlotMonth, month);
    doc.add_value(kSlotArticle, article.id);
    if (!authors_value.empty()) doc.add_value(kSlotAuthors, authors_value);
    if (!topics_value.empty()) doc.add_value(kSlotTopics, topics_value);
    if (!article.organisation.empty()) doc.add_value(kSlotOrganisation, article.organisation);
    if (!article.type.empty()) doc.add_value(kSlotType, article.type);
    doc.add_value(kSlotLanguage, article.language);
    doc.add_value(kSlotSection, Xapian::sortable_serialise(static_cast<double>(i)));
    doc.add_value(kSlotFacets, facet_record);

    nlohmann::ordered_json data = shared;
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
