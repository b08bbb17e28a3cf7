// The schema probe: this program is linked with a library built with one more row of the schema
// table (probe_row.hpp) and nothing else changed. The new field must then be indexed (terms and
// slot), queryable (site:), filtered (SearchRequest::filters), faceted, returned (Hit::fields)
// and printed (dossier-search's JSON), which is what docs/index-format.md promises of a row.
#include "output.hpp"
#include "schema/schema.hpp"

#include <dossier/dossier.hpp>

#include <xapian.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string record(const std::string& id, const std::string& url, const std::string& org) {
  return R"({"id": ")" + id + R"(", "title": "Export controls )" + id + R"(", "url": ")" + url +
         R"(", "organisation": ")" + org + R"(", "body": "Export controls on chips, article )" +
         id + R"(."})" + "\n";
}

}  // namespace

TEST_CASE(
    "A field added as one row of the schema table is indexed, queryable, filtered, "
    "faceted, returned and printed",
    "[schema]") {
  const auto* site = dossier::detail::find_field("site");
  REQUIRE(site != nullptr);  // the probe row is in this build's table

  const auto& fields = dossier::schema_fields();
  const auto info = std::find_if(fields.begin(), fields.end(),
                                 [](const dossier::FieldInfo& f) { return f.name == "site"; });
  REQUIRE(info != fields.end());
  CHECK(info->filter);
  CHECK(info->facet);
  CHECK(info->stored);
  CHECK(info->record == "site");

  const fs::path work = fs::path(DOSSIER_TEST_TMP) / "schema-probe";
  fs::remove_all(work);
  fs::create_directories(work / "input");
  const fs::path db = work / "index";
  {
    std::ofstream out(work / "input" / "articles.jsonl");
    out << record("a", "https://www.brookings.edu/articles/a/", "Brookings")
        << record("b", "https://www.rand.org/pubs/b.html", "RAND") << record("c", "", "CSIS");
  }
  {
    auto writer = dossier::IndexWriter::open(db, dossier::CorpusConfig{});
    const auto report = writer.index({work / "input"});
    REQUIRE(report.failed.empty());
  }

  SECTION("indexed: a term under its prefix and a value in its slot") {
    Xapian::Database x(db.string());
    CHECK(x.term_exists("XWbrookings.edu"));
    CHECK(x.term_exists("XWrand.org"));
    CHECK(x.get_value_freq(11) == 2);
  }

  auto searcher = dossier::Searcher::open(db);

  SECTION("queryable: site:VALUE in the query syntax") {
    dossier::SearchRequest request;
    request.query = "site:brookings.edu export";
    const auto results = searcher.search(request);
    REQUIRE(results.hits.size() == 1);
    CHECK(results.hits[0].id == "a");
    CHECK(results.query_description.find("XWbrookings.edu") != std::string::npos);
  }

  SECTION("filtered: SearchRequest::filters by the field's name") {
    dossier::SearchRequest request;
    request.filters["site"] = {"RAND.org"};  // a key field: folded like author and org
    const auto results = searcher.search(request);
    REQUIRE(results.hits.size() == 1);
    CHECK(results.hits[0].id == "b");
  }

  SECTION("faceted: counted per value, articles without one counted as missing") {
    dossier::SearchRequest request;
    request.query = "export";
    request.facets = {"site", "org"};
    const auto results = searcher.search(request);
    REQUIRE(results.facets.size() == 2);
    const auto& facet = results.facets[0];
    CHECK(facet.field == "site");
    CHECK(facet.values == std::vector<dossier::FacetCount>{{"brookings.edu", 1}, {"rand.org", 1}});
    CHECK(facet.missing == 1);
    CHECK(results.facets[1].values.size() == 3);  // the fields around it are unchanged
  }

  SECTION("returned and printed: Hit::fields and the JSON output") {
    dossier::SearchRequest request;
    request.query = "site:rand.org";
    const auto results = searcher.search(request);
    REQUIRE(results.hits.size() == 1);
    const auto& hit = results.hits[0];
    CHECK(hit.fields.at("site") == std::vector<std::string>{"rand.org"});
    CHECK(hit.organisation == "RAND");
    const auto json = dossier::cli::to_json(request, results, {});
    CHECK(json["hits"][0]["site"] == "rand.org");
    CHECK(json["hits"][0]["org"] == "RAND");
  }
}
