// The schema table: unique prefixes and slots, and docs/index-format.md mirrors it exactly.
#include "schema/schema.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

using dossier::detail::kSchema;

TEST_CASE("schema prefixes and slots are unique", "[schema]") {
  std::set<std::string_view> prefixes;
  std::set<Xapian::valueno> slots;
  for (const auto& f : kSchema) {
    CAPTURE(f.name);
    if (!f.prefix.empty()) CHECK(prefixes.insert(f.prefix).second);
    if (f.slot) CHECK(slots.insert(*f.slot).second);
    // Xapian's convention: multi-letter prefixes start with X, so they never clash with a term.
    if (f.prefix.size() > 1) CHECK(f.prefix.front() == 'X');
  }
}

TEST_CASE("schema table is mirrored in docs/index-format.md", "[schema]") {
  std::ifstream in(DOSSIER_SOURCE_DIR "/docs/index-format.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  for (const auto& f : kSchema) {
    CAPTURE(f.name);
    std::string kinds;
    auto add = [&](unsigned bit, const char* word) {
      if ((f.kinds & bit) != 0U) kinds += (kinds.empty() ? "" : ", ") + std::string(word);
    };
    add(dossier::detail::kText, "text");
    add(dossier::detail::kFilter, "filter");
    add(dossier::detail::kFacet, "facet");
    add(dossier::detail::kSort, "sort");
    add(dossier::detail::kStored, "stored");
    add(dossier::detail::kInternal, "internal");
    std::string stored = "-";
    using dossier::detail::StoreAs;
    if (f.store != StoreAs::kNone) {
      stored = "`" + std::string(f.record) + "`";
      if (f.store == StoreAs::kList) stored += " (list)";
      if (f.store == StoreAs::kNumber) stored += " (number)";
    }
    const std::string row = "| " + std::string(f.name) + " | " + std::string(f.prefix) + " | " +
                            (f.slot ? std::to_string(*f.slot) : std::string("-")) + " | " + kinds +
                            " | " + stored + " | " + std::string(f.doc) + " |";
    CAPTURE(row);
    CHECK(doc.find(row) != std::string::npos);
  }
}

TEST_CASE("A capital letter means a field prefix, and text fields give back their words",
          "[schema]") {
  using dossier::detail::has_field_prefix;
  using dossier::detail::text_word;
  for (const auto& f : kSchema) {
    CAPTURE(f.name);
    if (!f.prefix.empty()) CHECK(has_field_prefix(f.prefix));
  }
  CHECK_FALSE(has_field_prefix("tariff"));
  CHECK_FALSE(has_field_prefix("2019"));
  CHECK_FALSE(has_field_prefix(""));
  CHECK(text_word("tariff") == std::optional<std::string_view>("tariff"));
  CHECK(text_word("Starif") == std::optional<std::string_view>("tarif"));   // title:
  CHECK(text_word("XHtarif") == std::optional<std::string_view>("tarif"));  // heading:
  CHECK_FALSE(text_word("Aneil thomas"));  // author: a filter, never highlighted
  CHECK_FALSE(text_word("XYZ"));
  CHECK_FALSE(text_word(""));
}
