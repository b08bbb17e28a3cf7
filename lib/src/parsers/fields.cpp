// Recognised metadata key names, shared by front matter, sidecars and JSON Lines.
#include "parsers/fields.hpp"
#include "text/ascii.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace dossier::detail {
namespace {

struct KeyName {
  std::string_view key;
  Field field;
};

// Keep in step with docs/ingest.md ("Recognised field names").
constexpr std::array kKeys = {
    KeyName{"id", Field::kId},
    KeyName{"doc_id", Field::kId},
    KeyName{"docid", Field::kId},
    KeyName{"uid", Field::kId},
    KeyName{"title", Field::kTitle},
    KeyName{"headline", Field::kTitle},
    KeyName{"summary", Field::kSummary},
    KeyName{"abstract", Field::kSummary},
    KeyName{"description", Field::kSummary},
    KeyName{"dek", Field::kSummary},
    KeyName{"subtitle", Field::kSummary},
    KeyName{"org", Field::kOrganisation},
    KeyName{"organisation", Field::kOrganisation},
    KeyName{"organization", Field::kOrganisation},
    KeyName{"publisher", Field::kOrganisation},
    KeyName{"source", Field::kOrganisation},
    KeyName{"institution", Field::kOrganisation},
    KeyName{"think_tank", Field::kOrganisation},
    KeyName{"date", Field::kDate},
    KeyName{"published", Field::kDate},
    KeyName{"pubdate", Field::kDate},
    KeyName{"pub_date", Field::kDate},
    KeyName{"publication_date", Field::kDate},
    KeyName{"published_at", Field::kDate},
    KeyName{"date_published", Field::kDate},
    KeyName{"datepublished", Field::kDate},
    KeyName{"type", Field::kType},
    KeyName{"doc_type", Field::kType},
    KeyName{"document_type", Field::kType},
    KeyName{"doctype", Field::kType},
    KeyName{"language", Field::kLanguage},
    KeyName{"lang", Field::kLanguage},
    KeyName{"url", Field::kUrl},
    KeyName{"link", Field::kUrl},
    KeyName{"permalink", Field::kUrl},
    KeyName{"canonical_url", Field::kUrl},
    KeyName{"authors", Field::kAuthors},
    KeyName{"author", Field::kAuthors},
    KeyName{"byline", Field::kAuthors},
    KeyName{"creators", Field::kAuthors},
    KeyName{"creator", Field::kAuthors},
    KeyName{"topics", Field::kTopics},
    KeyName{"topic", Field::kTopics},
    KeyName{"tags", Field::kTopics},
    KeyName{"keywords", Field::kTopics},
    KeyName{"categories", Field::kTopics},
    KeyName{"category", Field::kTopics},
    KeyName{"subjects", Field::kTopics},
    KeyName{"body", Field::kBody},
    KeyName{"text", Field::kBody},
    KeyName{"content", Field::kBody},
    KeyName{"full_text", Field::kBody},
    KeyName{"article", Field::kBody},
};

}  // namespace

std::optional<Field> field_for_key(std::string_view key, std::size_t* rank) noexcept {
  for (std::size_t i = 0; i < kKeys.size(); ++i) {
    if (iequals(kKeys[i].key, key)) {
      if (rank != nullptr) *rank = i;
      return kKeys[i].field;
    }
  }
  return std::nullopt;
}

std::string_view field_name(Field field) noexcept {
  switch (field) {
    case Field::kId:
      return "id";
    case Field::kTitle:
      return "title";
    case Field::kSummary:
      return "summary";
    case Field::kOrganisation:
      return "organisation";
    case Field::kDate:
      return "date";
    case Field::kType:
      return "type";
    case Field::kLanguage:
      return "language";
    case Field::kUrl:
      return "url";
    case Field::kAuthors:
      return "authors";
    case Field::kTopics:
      return "topics";
    case Field::kBody:
      return "body";
  }
  return "";
}

std::optional<Sourced<std::string>>* text_field(RawRecord& record, Field field) noexcept {
  switch (field) {
    case Field::kId:
      return &record.id;
    case Field::kTitle:
      return &record.title;
    case Field::kSummary:
      return &record.summary;
    case Field::kOrganisation:
      return &record.organisation;
    case Field::kDate:
      return &record.date;
    case Field::kType:
      return &record.type;
    case Field::kLanguage:
      return &record.language;
    case Field::kUrl:
      return &record.url;
    case Field::kAuthors:
    case Field::kTopics:
    case Field::kBody:
      return nullptr;
  }
  return nullptr;
}

}  // namespace dossier::detail
