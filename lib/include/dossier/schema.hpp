// The fields of a Dossier index as its users see them: the names that queries, filters and
// facets take, and the keys of the output. Read from the same table the library indexes and
// searches by (docs/index-format.md), so a program (completion, a web page, a binding) lists
// what this version of the library knows.
#pragma once

#include <dossier/export.hpp>

#include <string>
#include <vector>

namespace dossier {

/// One user-visible field. Thread safety: a value type.
struct FieldInfo {
  std::string name;           ///< "author", "org", "year", ...: `name:value` in queries, facets.
  std::string record;         ///< Key in the JSON and CSV output ("authors", "organisation"); ""
                              ///< when the field is not stored.
  std::string description;    ///< One line, as in docs/index-format.md.
  bool text = false;          ///< `name:words` searches words of the field (title:, heading:).
  bool query = false;         ///< `name:value` works in the query syntax (docs/query-syntax.md).
  bool filter = false;        ///< Accepted by SearchRequest::filters.
  bool facet = false;         ///< Accepted by SearchRequest::facets.
  bool sortable = false;      ///< Has a value the results can be sorted or ranged by.
  bool stored = false;        ///< Returned in Hit::fields.
  bool multi_valued = false;  ///< An article may have several values.
  bool numeric = false;       ///< Its value is a number (a JSON number in the output).
};

/// Every user-visible field, in the table's order. Thread-safe; throws only std::bad_alloc (on
/// the first call, which builds the list).
DOSSIER_EXPORT const std::vector<FieldInfo>& schema_fields();

}  // namespace dossier
