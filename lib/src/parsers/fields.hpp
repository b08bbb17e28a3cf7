// The metadata key names Dossier recognises in front matter, sidecars and JSON Lines records.
#pragma once

#include "parsers/raw_record.hpp"

#include <optional>
#include <string_view>

namespace dossier::detail {

/// Metadata fields of a RawRecord that input keys map onto.
enum class Field {
  kId,
  kTitle,
  kSummary,
  kOrganisation,
  kDate,
  kType,
  kLanguage,
  kUrl,
  kAuthors,
  kTopics,
  kBody
};

/// The field for a key as commonly written ("headline" -> kTitle, "org" -> kOrganisation,
/// "tags" -> kTopics, "pubdate" -> kDate, ...), compared without case; nullopt for other keys.
/// docs/ingest.md lists every name.
/// When `rank` is given it receives the key's preference (lower is preferred: "title" before
/// "headline", "summary" before "description"), so that callers can apply keys in that order.
std::optional<Field> field_for_key(std::string_view key, std::size_t* rank = nullptr) noexcept;

/// The Dossier name of a field as used in corpus configuration ("title", "authors", ...).
std::string_view field_name(Field field) noexcept;

/// The RawRecord member holding a single-valued field (nullptr for kAuthors, kTopics, kBody).
std::optional<Sourced<std::string>>* text_field(RawRecord& record, Field field) noexcept;

}  // namespace dossier::detail
