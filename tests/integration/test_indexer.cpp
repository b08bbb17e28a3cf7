// Integration tests of the indexer: IndexWriter end to end on temporary indexes, checked by
// reading the resulting Xapian databases directly.
#include <dossier/error.hpp>
#include <dossier/index_writer.hpp>
#include <dossier/ingest.hpp>
#include <dossier/search.hpp>
#include <dossier/text.hpp>

#include "analysis/analysis.hpp"
#include "index/document.hpp"
#include "schema/schema.hpp"
#include "source_counts.hpp"

#include <catch2/catch.hpp>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

extern char** environ;  // NOLINT: POSIX, for posix_spawn

namespace fs = std::filesystem;
using dossier::CorpusConfig;
using dossier::Error;
using dossier::ErrorCode;
using dossier::IndexOptions;
using dossier::IndexReport;
using dossier::IndexWriter;

namespace {

const char* const kCorpus = DOSSIER_SOURCE_DIR "/corpus";
const char* const kCorpusConfig = DOSSIER_SOURCE_DIR "/corpus/dossier.yaml";
const char* const kSeed = DOSSIER_SOURCE_DIR "/corpus/000_42de43b9164fe9cf.txt";
const char* const kThinktank = DOSSIER_SHARED_DIR "/corpora/thinktank-2019/thinktank-2019.jsonl";
const char* const kSeedTitle = "Asia ASAP: Trump and Xi Meet in Busan";

// A fresh folder under the build tree for one test case.
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(DOSSIER_TEST_TMP) / "indexer" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string term(std::string_view field, std::string_view value) {
  return std::string(dossier::detail::prefix_of(field)) + std::string(value);
}

std::string author_term(std::string_view name) {
  return term("author", dossier::fold_key(name));
}

// One run of the indexer; the writer (and its lock) is gone when this returns.
IndexReport run_index(const fs::path& db, const std::vector<fs::path>& roots,
                      const CorpusConfig& config, IndexOptions options = {}) {
  auto writer = IndexWriter::open(db, config, options);
  return writer.index(roots);
}

std::string article_of(const Xapian::Document& doc) {
  return doc.get_value(dossier::detail::kSlotArticle);
}

// Distinct articles of the documents indexed by `t`.
std::set<std::string> articles_with(const Xapian::Database& db, const std::string& t) {
  std::set<std::string> out;
  for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it) {
    out.insert(article_of(db.get_document(*it)));
  }
  return out;
}

// Distinct articles matching `query`.
std::set<std::string> articles_matching(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  std::set<std::string> out;
  const auto mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) out.insert(article_of(it.get_document()));
  return out;
}

// Distinct values after `prefix` among the index's terms ("XY" -> {"1790", ...}).
std::set<std::string> term_values(const Xapian::Database& db, const std::string& prefix) {
  std::set<std::string> out;
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    out.insert((*it).substr(prefix.size()));
  }
  return out;
}

// Checks the invariants a committed index always keeps and returns article id -> sections:
// every article's sections are all there exactly once, every section is unique. Problems are
// collected so that one CHECK reports them all.
std::map<std::string, std::size_t> check_consistent(const Xapian::Database& db) {
  std::map<std::string, std::size_t> sections;
  std::vector<std::string> problems;
  const std::string id_prefix(dossier::detail::prefix_of("id"));
  std::size_t documents = 0;
  for (auto t = db.allterms_begin(id_prefix); t != db.allterms_end(id_prefix); ++t) {
    const std::string id = (*t).substr(id_prefix.size());
    std::set<std::size_t> indexes;
    std::size_t expected = 0;
    for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
      const auto data =
          nlohmann::json::parse(dossier::detail::split_stored(db.get_document(*p).get_data()).json);
      expected = data.at("section").at("count").get<std::size_t>();
      const auto index = data.at("section").at("index").get<std::size_t>();
      if (!indexes.insert(index).second) {
        problems.push_back(id + ": section " + std::to_string(index) + " written twice");
      }
    }
    if (indexes.size() != expected || t.get_termfreq() != expected) {
      problems.push_back(id + ": " + std::to_string(t.get_termfreq()) + " documents for " +
                         std::to_string(expected) + " sections");
    }
    sections[id] = indexes.size();
    documents += indexes.size();
  }
  if (documents != db.get_doccount()) {
    problems.push_back(std::to_string(db.get_doccount()) + " documents but " +
                       std::to_string(documents) + " article sections");
  }
  const std::string unique(dossier::detail::prefix_of("unique"));
  for (auto t = db.allterms_begin(unique); t != db.allterms_end(unique); ++t) {
    if (t.get_termfreq() != 1) problems.push_back(*t + ": not unique");
  }
  CHECK(problems == std::vector<std::string>{});
  return sections;
}

// Everything a document holds, as text: terms with wdf and positions, values, data.
std::string describe(const Xapian::Document& doc) {
  std::ostringstream out;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    out << *t << ':' << t.get_wdf() << '[';
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) out << *p << ',';
    out << "] ";
  }
  out << "\nvalues:";
  for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
    out << v.get_valueno() << '=' << *v << ';';
  }
  out << "\ndata:" << doc.get_data();
  return out.str();
}

// The whole index as docid -> description, plus spellings, synonyms and metadata.
std::map<Xapian::docid, std::string> snapshot(const Xapian::Database& db,
                                              std::map<std::string, std::string>& extra) {
  std::map<Xapian::docid, std::string> docs;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    docs[*it] = describe(db.get_document(*it));
  }
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    extra["spelling " + *it] = std::to_string(it.get_termfreq());
  }
  for (auto it = db.synonym_keys_begin(); it != db.synonym_keys_end(); ++it) {
    std::string all;
    for (auto s = db.synonyms_begin(*it); s != db.synonyms_end(*it); ++s) all += *s + ";";
    extra["synonym " + *it] = all;
  }
  for (auto it = db.metadata_keys_begin(); it != db.metadata_keys_end(); ++it) {
    auto value = db.get_metadata(*it);
    if (!(*it).empty() && (*it)[0] == 'F') {
      // A file's state records when it was indexed: that differs between runs by design.
      auto state = nlohmann::json::parse(value);
      state.erase("indexed_at");
      value = state.dump();
    }
    extra["metadata " + *it] = value;
  }
  return docs;
}

// The files the indexer is expected to read under `root`, found independently: every regular
// file with a known extension that is neither hidden nor a sidecar.
std::vector<fs::path> input_files(const fs::path& root) {
  std::vector<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const auto name = it->path().filename().string();
    if (name.front() == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || name.find(".meta.") != std::string::npos) continue;
    if (dossier::format_for_path(it->path())) out.push_back(fs::canonical(it->path()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool has_failure(const IndexReport& report, const std::string& path_part,
                 const std::string& reason_part) {
  return std::any_of(report.failed.begin(), report.failed.end(), [&](const auto& f) {
    return f.path.find(path_part) != std::string::npos &&
           f.reason.find(reason_part) != std::string::npos;
  });
}

std::string seed_id(const Xapian::Database& db) {
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const auto doc = db.get_document(*it);
    if (nlohmann::json::parse(dossier::detail::split_stored(doc.get_data()).json).at("title") ==
        kSeedTitle)
      return article_of(doc);
  }
  return {};
}

// Invented sample articles for the incremental tests (all text is ours).
void write_small_corpus(const fs::path& dir) {
  write(dir / "alpha.txt",
        "Sample: Alpha Harbour Notes\nBy Ada Quill\n\nThe harbour authority discussed "
        "pelicans and dredging schedules at length.\n");
  write(dir / "beta.txt",
        "Sample: Beta Orchard Review\nBy Bram Holt\n\nOrchard yields rose after the "
        "quince blight receded.\n");
  write(dir / "gamma.md",
        "# Sample: Gamma Lighthouse Log\n\nBy Cleo Marsh\n\nThe lighthouse keeper logged "
        "seventeen storms.\n");
  write(dir / "dated.txt",
        "Sample: Dated Canal Memo\nBy Dov Pike\n\nCanal locks were repainted in teal.\n");
  write(dir / "dated.txt.meta.yaml", "# sample sidecar\ndate: 2019-03-13\n");
  write(dir / "records.jsonl",
        R"({"id": "rec-1", "title": "Sample record one", "authors": ["Eve Stone"], )"
        R"("date": "2020-01-02", "body": "Walrus counts in the northern bay."})"
        "\n"
        R"({"id": "rec-2", "title": "Sample record two", "authors": ["Eve Stone"], )"
        R"("date": "2020-02-03", "body": "Kelp forests recovered near the cape."})"
        "\n"
        R"({"id": "rec-3", "title": "Sample record three", "authors": ["Finn Rowe"], )"
        R"("date": "2020-03-04", "body": "Otters returned to the estuary."})"
        "\n");
}
constexpr std::size_t kSmallCorpusArticles = 7;

// `files` files of `per_file` invented JSON Lines records each.
[[maybe_unused]] void write_generated_corpus(const fs::path& dir, std::size_t files,
                                             std::size_t per_file) {
  static const char* const kWords[] = {"harbour", "orchard", "lantern", "quarry", "meadow",
                                       "glacier", "canal",   "beacon",  "ferry",  "pasture"};
  for (std::size_t f = 0; f < files; ++f) {
    std::string bytes;
    for (std::size_t r = 0; r < per_file; ++r) {
      const auto n = f * per_file + r;
      nlohmann::json j;
      j["id"] = "gen-" + std::to_string(n);
      j["title"] = "Sample generated note " + std::to_string(n);
      j["authors"] = {"Author " + std::string(1, static_cast<char>('A' + n % 26)) + " Sample"};
      j["date"] = "2021-" + std::string(n % 12 < 9 ? "0" : "") + std::to_string(n % 12 + 1) + "-15";
      std::string body;
      for (std::size_t w = 0; w < 20; ++w) {
        body += kWords[(n + w * 7) % 10];
        body += ' ';
      }
      j["body"] = body;
      bytes += j.dump() + "\n";
    }
    char name[32];
    std::snprintf(name, sizeof name, "part-%03zu.jsonl", f);
    write(dir / name, bytes);
  }
}

// The whole index keyed by each section's unique term instead of its docid (which a --full
// rebuild assigns differently), as described by describe().
std::map<std::string, std::string> snapshot_by_unique(const Xapian::Database& db) {
  std::map<std::string, std::string> out;
  const std::string unique(dossier::detail::prefix_of("unique"));
  for (auto t = db.allterms_begin(unique); t != db.allterms_end(unique); ++t) {
    auto p = db.postlist_begin(*t);
    if (p != db.postlist_end(*t)) out[*t] = describe(db.get_document(*p));
  }
  return out;
}

// Keys whose values differ between two maps, or that only one has.
template <typename Map>
std::vector<std::string> differing_keys(const Map& a, const Map& b) {
  std::vector<std::string> out;
  for (const auto& [key, value] : a) {
    const auto it = b.find(key);
    if (it == b.end() || it->second != value) out.push_back(key);
  }
  for (const auto& [key, value] : b) {
    if (a.count(key) == 0) out.push_back(key);
  }
  return out;
}

// The same id several times, within one unit and across units (so across --full shards), with
// invented text. The last record of each id is the one kept.
void write_duplicate_corpus(const fs::path& dir) {
  const auto record = [](const std::string& id, const std::string& title) {
    nlohmann::json j;
    j["id"] = id;
    j["title"] = title;
    j["authors"] = {"Gus Sample"};
    j["body"] = "Sample text about " + title + " and the tides of the harbour.";
    return j.dump() + "\n";
  };
  write(dir / "dup-1.jsonl", record("dup-a", "first lantern") + record("solo-1", "quarry walk"));
  write(dir / "dup-2.jsonl", record("dup-a", "second lantern") + record("dup-b", "first ferry") +
                                 record("dup-b", "second ferry"));
  write(dir / "dup-3.jsonl", record("dup-a", "third lantern") + record("solo-2", "meadow dusk"));
  write(dir / "dup-4.jsonl", record("dup-b", "third ferry"));
}

// Inputs for comparing runs: the seed, the samples, 20 addresses, invented duplicates and
// generated records, and thinktank-2019 when ../shared is there.
std::vector<fs::path> comparison_roots(const fs::path& dir) {
  const auto slice = dir / "sotu-slice.jsonl";
  {
    std::ifstream in(DOSSIER_SOURCE_DIR "/corpus/sotu/sotu.jsonl", std::ios::binary);
    std::ofstream out(slice, std::ios::binary);
    std::string line;
    for (int i = 0; i < 20 && std::getline(in, line); ++i) out << line << '\n';
  }
  write_duplicate_corpus(dir / "dups");
  write_generated_corpus(dir / "generated", 5, 60);
  std::vector<fs::path> roots = {kSeed, DOSSIER_SOURCE_DIR "/corpus/samples", slice, dir / "dups",
                                 dir / "generated"};
  if (fs::exists(kThinktank)) {
    roots.emplace_back(kThinktank);
  } else {
    WARN("thinktank-2019 part skipped: ../shared absent");
  }
  return roots;
}

}  // namespace

TEST_CASE("corpus/ is indexed with the expected articles, sections, facets and stats",
          "[indexer]") {
  const auto db_path = scratch("corpus") / "db";
  const auto config = CorpusConfig::load(kCorpusConfig);

  // Expectations from the ingester, file by file, not from the indexer.
  const auto files = input_files(kCorpus);
  std::set<std::string> ids;
  std::size_t sections = 0;
  std::set<std::string> author_keys;
  std::set<std::string> organisation_keys;
  std::set<std::string> years;
  int first = 99999999;
  int last = 0;
  std::string first_iso;
  std::string last_iso;
  for (const auto& file : files) {
    for (const auto& a : dossier::ingest_file(file, config).articles) {
      ids.insert(a.id);
      sections += a.sections.size();
      for (const auto& name : a.authors) author_keys.insert(dossier::fold_key(name));
      if (!a.organisation.empty()) organisation_keys.insert(dossier::fold_key(a.organisation));
      if (a.date.empty()) continue;
      years.insert(std::to_string(a.date.year));
      if (a.date.yyyymmdd() < first) first = a.date.yyyymmdd(), first_iso = a.date.iso();
      if (a.date.yyyymmdd() > last) last = a.date.yyyymmdd(), last_iso = a.date.iso();
    }
  }
  CHECK(ids.size() == 241);  // the seed, 233 addresses and the 7 samples

  const auto report = run_index(db_path, {kCorpus}, config);
  CHECK(report.failed.empty());
  CHECK(report.added == ids.size());
  CHECK(report.updated == 0);
  CHECK(report.removed == 0);
  CHECK(report.files_seen == files.size());
  CHECK(report.files_indexed == files.size());
  CHECK(report.complete);

  Xapian::Database db(db_path.string());
  const auto indexed = check_consistent(db);
  std::set<std::string> indexed_ids;
  for (const auto& [id, n] : indexed) indexed_ids.insert(id);
  CHECK(indexed_ids == ids);
  CHECK(db.get_doccount() == sections);

  // Facets: the seed's organisation and authors, years from 1790 to 2025.
  const auto seed = seed_id(db);
  REQUIRE_FALSE(seed.empty());
  CHECK(articles_with(db, term("org", dossier::fold_key("Asia Society Policy Institute"))) ==
        std::set<std::string>{seed});
  for (const char* author : {"Wendy Cutler", "Rorry Daniels", "Neil Thomas"}) {
    CAPTURE(author);
    CHECK(articles_with(db, author_term(author)).count(seed) == 1);
  }
  // The seed's documents: one per section, each with the article's facet and sort values.
  CHECK(db.get_termfreq(term("id", seed)) == 4);
  for (auto it = db.postlist_begin(term("id", seed)); it != db.postlist_end(term("id", seed));
       ++it) {
    using namespace dossier::detail;  // the slot names
    const auto doc = db.get_document(*it);
    CHECK(doc.get_value(kSlotOrganisation) == "Asia Society Policy Institute");
    CHECK(split_values(doc.get_value(kSlotAuthors)) ==
          std::vector<std::string>{"Wendy Cutler", "Rorry Daniels", "Neil Thomas"});
    CHECK(doc.get_value(kSlotType) == "commentary");
    CHECK(doc.get_value(kSlotLanguage) == "en");
    CHECK(doc.get_value(kSlotYear) == "2025");
    CHECK(doc.get_value(kSlotMonth) == "2025-10");
    CHECK(Xapian::sortable_unserialise(doc.get_value(kSlotDate)) == Approx(20251030));
    CHECK_FALSE(split_values(doc.get_value(kSlotTopics)).empty());
  }
  CHECK(term_values(db, "A") == author_keys);
  CHECK(term_values(db, "XO") == organisation_keys);
  CHECK(term_values(db, "XY") == years);
  CHECK(years.count("1790") == 1);
  CHECK(years.count("2025") == 1);
  CHECK(term_values(db, "XD").count("20251030") == 1);
  CHECK(term_values(db, "XM").count("202510") == 1);
  CHECK(articles_with(db, term("date", "20251030")) == std::set<std::string>{seed});
  CHECK(articles_with(
            db, term("org", dossier::fold_key("Office of the President of the United States")))
            .size() == 233);

  const auto stats = dossier::index_stats(db_path);
  CHECK(stats.articles == ids.size());
  CHECK(stats.sections == sections);
  CHECK(stats.authors == author_keys.size());
  CHECK(stats.organisations == organisation_keys.size());
  CHECK(stats.topics == term_values(db, "K").size());
  CHECK(stats.files == files.size());
  CHECK(stats.first_date == first_iso);
  CHECK(stats.first_date.rfind("1790", 0) == 0);
  CHECK(stats.last_date == last_iso);
  CHECK(stats.last_date == "2025-10-30");
  CHECK(stats.bytes_on_disk > 0);
  CHECK(stats.format_version == dossier::detail::kIndexFormatVersion);
}

TEST_CASE("An author filter matches what that author wrote, not the whole article", "[indexer]") {
  const auto db_path = scratch("sections") / "db";
  run_index(db_path, {kSeed}, CorpusConfig::load(kCorpusConfig));
  Xapian::Database db(db_path.string());
  const auto seed = seed_id(db);
  REQUIRE_FALSE(seed.empty());

  auto parser = dossier::detail::make_query_parser("en");
  parser.set_database(db);
  parser.set_default_op(Xapian::Query::OP_AND);
  const struct {
    const char* text;
    const char* author;  // "" = no filter
    bool matches;
  } cases[] = {
      {"rare earth", "", true},
      {"\"rare earth\"", "", true},
      {"rare earth", "Neil Thomas", true},
      {"\"rare earth\"", "Neil Thomas", true},
      {"rare earths", "Neil Thomas", true},  // stemmed: "rare earths" meets "rare earth"
      {"rare earth", "Rorry Daniels", false},
      {"\"rare earth\"", "Rorry Daniels", false},
      {"rare earth", "Wendy Cutler", true},  // her section mentions rare earths too
      {"tariffs", "Wendy Cutler", true},
      {"tariffs", "Rorry Daniels", false},
      {"\"nuclear testing\"", "Rorry Daniels", true},
      {"\"nuclear testing\"", "Neil Thomas", false},
      {"pelicans", "", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text, c.author);
    auto query = parser.parse_query(dossier::detail::fold_for_analysis(c.text));
    if (*c.author != '\0') {
      query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(author_term(c.author)));
    }
    CHECK(articles_matching(db, query).count(seed) == (c.matches ? 1U : 0U));
  }

  // The section that matched for Neil Thomas is his own.
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, parser.parse_query("\"rare earth\""),
                                  Xapian::Query(author_term("Neil Thomas"))));
  const auto mset = enquire.get_mset(0, 10);
  REQUIRE(mset.size() >= 1);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const auto data =
        nlohmann::json::parse(dossier::detail::split_stored(it.get_document().get_data()).json);
    CHECK(data.at("section").at("authors") == nlohmann::json::array({"Neil Thomas"}));
  }

  // Browsing by author alone finds the seed for each of its three authors.
  for (const char* author : {"Wendy Cutler", "Rorry Daniels", "Neil Thomas"}) {
    CAPTURE(author);
    CHECK(articles_matching(db, Xapian::Query(author_term(author))) == std::set<std::string>{seed});
  }
}

TEST_CASE("Articles in a language without a Snowball stemmer are indexed unstemmed", "[indexer]") {
  // Xapian 1.4's STEM_ALL without a stemmer generates no terms at all: such articles were
  // unsearchable until the writer switched to STEM_NONE for them.
  const auto dir = scratch("nostemmer");
  write(dir / "docs" / "pl.md",
        "---\ntitle: Wojna handlowa\nlanguage: pl\n---\nCła na stal i wojna handlowa.\n");
  write(dir / "docs" / "en.md", "---\ntitle: Trade war\nlanguage: en\n---\nTariffs on steel.\n");
  const auto report = run_index(dir / "db", {dir / "docs"}, CorpusConfig{});
  REQUIRE(report.failed.empty());
  Xapian::Database db((dir / "db").string());
  CHECK(db.term_exists("wojna"));
  CHECK(db.term_exists("handlowa"));
  CHECK(db.term_exists("stal"));
  CHECK(db.term_exists(term("title", "wojna")));
  CHECK(db.term_exists("tariff"));  // English still stemmed
  CHECK_FALSE(db.term_exists("tariffs"));
}

TEST_CASE("thinktank-2019: organisation, author and year counts match the source records",
          "[indexer]") {
  if (!fs::exists(kThinktank)) {
    WARN("thinktank-2019 test skipped: ../shared absent");
    return;
  }
  // Expected counts straight from the JSON Lines file.
  const auto source = dossier_test::count_thinktank(kThinktank);
  const auto& per_org = source.per_org;
  const auto& per_author = source.per_author;
  const auto& per_year = source.per_year;
  const auto records = source.records;
  REQUIRE(records == 180);

  const auto db_path = scratch("thinktank") / "db";
  const auto report = run_index(db_path, {kThinktank}, CorpusConfig::load(kCorpusConfig));
  CHECK(report.failed.empty());
  CHECK(report.added == 180);

  Xapian::Database db(db_path.string());
  CHECK(check_consistent(db).size() == 180);
  CHECK(dossier::index_stats(db_path).articles == 180);

  std::map<std::string, std::size_t> indexed_org;
  for (const auto& v : term_values(db, "XO")) indexed_org[v] = articles_with(db, "XO" + v).size();
  CHECK(indexed_org == per_org);
  std::map<std::string, std::size_t> indexed_author;
  for (const auto& v : term_values(db, "A")) indexed_author[v] = articles_with(db, "A" + v).size();
  CHECK(indexed_author == per_author);
  std::map<std::string, std::size_t> indexed_year;
  for (const auto& v : term_values(db, "XY")) indexed_year[v] = articles_with(db, "XY" + v).size();
  CHECK(indexed_year == per_year);
  CHECK(indexed_year == std::map<std::string, std::size_t>{{"2018", 17}, {"2019", 163}});
}

TEST_CASE("Incremental runs skip, update and remove exactly what changed", "[indexer]") {
  const auto dir = scratch("incremental");
  const auto docs = dir / "docs";
  const auto db_path = dir / "db";
  write_small_corpus(docs);
  const CorpusConfig config;
  const auto first = run_index(db_path, {docs}, config);
  REQUIRE(first.failed.empty());
  REQUIRE(first.added == kSmallCorpusArticles);
  const auto article_ids = [&] {
    Xapian::Database db(db_path.string());
    const auto sections = check_consistent(db);
    std::set<std::string> out;
    for (const auto& [id, n] : sections) out.insert(id);
    return out;
  };
  const auto before = article_ids();
  REQUIRE(before.size() == kSmallCorpusArticles);
  const std::string alpha_id = fs::canonical(docs / "alpha.txt").string();
  const std::string dated_id = fs::canonical(docs / "dated.txt").string();
  REQUIRE(before.count(alpha_id) == 1);
  auto has_word = [&](const std::string& id, const std::string& word) {
    Xapian::Database db(db_path.string());
    auto parser = dossier::detail::make_query_parser("en");
    return articles_matching(db, parser.parse_query(word)).count(id) == 1;
  };

  SECTION("a second run finds everything unchanged") {
    const auto r = run_index(db_path, {docs}, config);
    CHECK(r.added == 0);
    CHECK(r.updated == 0);
    CHECK(r.removed == 0);
    CHECK(r.unchanged == kSmallCorpusArticles);
    CHECK(r.files_indexed == 0);
    CHECK(article_ids() == before);
  }
  SECTION("a file whose content changed is re-indexed") {
    write(docs / "alpha.txt",
          "Sample: Alpha Harbour Notes\nBy Ada Quill\n\nThe harbour authority now discusses "
          "cormorants only, and at greater length than before.\n");
    const auto r = run_index(db_path, {docs}, config);
    CHECK(r.updated == 1);
    CHECK(r.added == 0);
    CHECK(r.unchanged == kSmallCorpusArticles - 1);
    CHECK(r.files_indexed == 1);
    CHECK(article_ids() == before);
    CHECK(has_word(alpha_id, "cormorants"));
    CHECK_FALSE(has_word(alpha_id, "pelicans"));
  }
  SECTION("an edit in the same clock tick as indexing (same size and mtime) is re-indexed") {
    // The file was written just before the first run, so its mtime is within the racy window of
    // the recorded state: the indexer hashes it instead of trusting size and mtime.
    const auto path = docs / "alpha.txt";
    const auto mtime = fs::last_write_time(path);
    std::string bytes;
    {
      std::ifstream in(path, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const auto at = bytes.find("pelicans");
    REQUIRE(at != std::string::npos);
    bytes.replace(at, 8, "flamingo");  // same length
    write(path, bytes);
    fs::last_write_time(path, mtime);
    REQUIRE(fs::last_write_time(path) == mtime);
    const auto r = run_index(db_path, {docs}, config);
    CHECK(r.updated == 1);
    CHECK(has_word(alpha_id, "flamingo"));
    CHECK_FALSE(has_word(alpha_id, "pelicans"));
  }
  SECTION("a file touched without a content change stays unchanged (content hash)") {
    fs::last_write_time(docs / "alpha.txt",
                        fs::last_write_time(docs / "alpha.txt") + std::chrono::seconds(5));
    const auto r = run_index(db_path, {docs}, config);
    CHECK(r.updated == 0);
    CHECK(r.added == 0);
    CHECK(r.unchanged == kSmallCorpusArticles);
    CHECK(r.files_indexed == 0);
    // The new mtime is recorded: a third run needs no hashing and still finds it unchanged.
    const auto again = run_index(db_path, {docs}, config);
    CHECK(again.unchanged == kSmallCorpusArticles);
  }
  SECTION("a deleted file's articles are removed") {
    fs::remove(docs / "alpha.txt");
    const auto r = run_index(db_path, {docs}, config);
    CHECK(r.removed == 1);
    CHECK(r.added == 0);
    CHECK(r.updated == 0);
    auto expected = before;
    expected.erase(alpha_id);
    CHECK(article_ids() == expected);
    CHECK(dossier::index_stats(db_path).files == 4);
  }
  SECTION("a sidecar change alone re-indexes the article with the new metadata") {
    {
      Xapian::Database db(db_path.string());
      REQUIRE(articles_with(db, term("date", "20190313")) == std::set<std::string>{dated_id});
    }
    const auto sidecar = docs / "dated.txt.meta.yaml";
    const auto mtime = fs::last_write_time(sidecar);
    write(sidecar, "# sample sidecar\ndate: 2019-04-13\n");  // same size
    fs::last_write_time(sidecar, mtime + std::chrono::seconds(2));
    const auto r = run_index(db_path, {docs}, config);
    CHECK(r.updated == 1);
    CHECK(r.unchanged == kSmallCorpusArticles - 1);
    Xapian::Database db(db_path.string());
    CHECK(articles_with(db, term("date", "20190413")) == std::set<std::string>{dated_id});
    CHECK(db.get_termfreq(term("date", "20190313")) == 0);
    CHECK(db.get_termfreq(term("month", "201903")) == 0);
  }
  SECTION("a JSON Lines file that loses a record loses that article") {
    write(docs / "records.jsonl",
          R"({"id": "rec-1", "title": "Sample record one", "authors": ["Eve Stone"], )"
          R"("date": "2020-01-02", "body": "Walrus counts in the northern bay."})"
          "\n"
          R"({"id": "rec-3", "title": "Sample record three", "authors": ["Finn Rowe"], )"
          R"("date": "2020-03-04", "body": "Otters returned to the estuary."})"
          "\n");
    const auto r = run_index(db_path, {docs}, config);
    CHECK(r.removed == 1);
    CHECK(r.updated == 2);
    auto expected = before;
    expected.erase("rec-2");
    CHECK(article_ids() == expected);
  }
  SECTION("a missing root removes nothing of the other roots, a walked root is still cleaned") {
    const auto other = dir / "other";
    write(other / "delta.txt",
          "Sample: Delta Ferry Timetable\nBy Gil Vance\n\nThe ferry now leaves at dawn.\n");
    const auto added = run_index(db_path, {docs, other}, config);
    CHECK(added.added == 1);
    const auto all = article_ids();
    REQUIRE(all.size() == kSmallCorpusArticles + 1);

    // `other` is not named this time and a named root is missing: the run is incomplete, the
    // unnamed root is left alone; the completely walked `docs` is cleaned per root.
    fs::remove(docs / "beta.txt");
    const auto r = run_index(db_path, {docs, dir / "no-such-folder"}, config);
    CHECK_FALSE(r.complete);
    CHECK(has_failure(r, "no-such-folder", "no such file"));
    CHECK(r.removed == 1);
    auto expected = all;
    expected.erase(fs::canonical(docs).string() + "/beta.txt");
    CHECK(article_ids() == expected);
  }
  SECTION("a file named as a root that vanished keeps its articles") {
    const auto alpha = docs / "alpha.txt";
    fs::remove(alpha);
    const auto r = run_index(db_path, {alpha}, config);
    CHECK_FALSE(r.complete);
    CHECK(has_failure(r, "alpha.txt", "no such file"));
    CHECK(r.removed == 0);
    CHECK(article_ids() == before);
  }
}

TEST_CASE("A killed indexer leaves a consistent index and a re-run completes it", "[indexer]") {
#ifndef DOSSIER_INDEX_BINARY
  WARN("interrupted-run test skipped: dossier-index not built (DOSSIER_BUILD_TOOLS=OFF)");
#else
  const auto dir = scratch("killed");
  const auto docs = dir / "docs";
  const auto db_path = dir / "db";
  // The CLI commits every 2000 articles at a file boundary: 52 files of 50 records each commit
  // once after 40 files and leave 600 articles of work for the kill to interrupt. The index
  // holds the first file already, so that the run killed writes into it incrementally (a first
  // build goes through shards and commits only at its end).
  constexpr std::size_t kFiles = 52;
  constexpr std::size_t kPerFile = 50;
  write_generated_corpus(dir / "all", kFiles, kPerFile);
  fs::create_directories(docs);
  fs::copy_file(dir / "all" / "part-000.jsonl", docs / "part-000.jsonl");
  run_index(db_path, {docs}, CorpusConfig{});
  for (const auto& entry : fs::directory_iterator(dir / "all")) {
    if (!fs::exists(docs / entry.path().filename())) {
      fs::copy_file(entry.path(), docs / entry.path().filename());
    }
  }

  const std::string binary = DOSSIER_INDEX_BINARY;
  const std::string db_arg = db_path.string();
  const std::string docs_arg = docs.string();
  std::vector<std::string> args = {binary, "--db", db_arg, "--quiet", "--jobs", "1", docs_arg};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);

  // Kill it as soon as its first commit is visible.
  const auto seeded = Xapian::Database(db_arg).get_doccount();
  bool committed = false;
  bool exited = false;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    try {
      if (Xapian::Database(db_arg).get_doccount() > seeded) {
        committed = true;
        break;
      }
    } catch (const Xapian::Error&) {
      // Not created yet.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  REQUIRE(committed);
  REQUIRE(WIFSIGNALED(status));  // killed mid-run, not finished

  std::size_t partial = 0;
  {
    Xapian::Database db(db_arg);
    partial = check_consistent(db).size();
  }
  CHECK(partial > 0);
  CHECK(partial < kFiles * kPerFile);

  // The re-run finishes the job: the result equals a clean index of the same corpus.
  IndexOptions options;
  options.lock_wait = std::chrono::milliseconds(5000);  // the killed writer's lock is released
  const auto resumed = run_index(db_path, {docs}, CorpusConfig{}, options);
  CHECK(resumed.failed.empty());
  CHECK(resumed.added + resumed.updated == kFiles * kPerFile - resumed.unchanged);
  CHECK(resumed.unchanged >= partial);
  const auto clean_path = dir / "clean";
  run_index(clean_path, {docs}, CorpusConfig{});

  Xapian::Database resumed_db(db_arg);
  Xapian::Database clean_db(clean_path.string());
  const auto resumed_articles = check_consistent(resumed_db);
  const auto clean_articles = check_consistent(clean_db);
  CHECK(resumed_articles.size() == kFiles * kPerFile);
  CHECK(resumed_articles == clean_articles);
  CHECK(resumed_db.get_doccount() == clean_db.get_doccount());
  CHECK(term_values(resumed_db, "XI") == term_values(clean_db, "XI"));
  CHECK(term_values(resumed_db, "A") == term_values(clean_db, "A"));
#endif
}

TEST_CASE("A second writer gets a clear lock error, and may wait", "[indexer]") {
  const auto db_path = scratch("lock") / "db";
  const CorpusConfig config;
  std::optional<IndexWriter> first(IndexWriter::open(db_path, config));

  const struct {
    const char* name;
    std::chrono::milliseconds wait;
  } cases[] = {{"no wait", std::chrono::milliseconds(0)},
               {"300 ms wait", std::chrono::milliseconds(300)}};
  for (const auto& c : cases) {
    CAPTURE(c.name);
    IndexOptions options;
    options.lock_wait = c.wait;
    const auto started = std::chrono::steady_clock::now();
    try {
      IndexWriter::open(db_path, config, options);
      FAIL("a second writer opened a locked index");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kLocked);
      CHECK_THAT(e.what(), Catch::Contains("locked by another indexer"));
      CHECK_THAT(e.what(), Catch::Contains(db_path.string()));
    }
    CHECK(std::chrono::steady_clock::now() - started >= c.wait);
  }
  // Readers are not blocked by the writer.
  CHECK_NOTHROW(dossier::index_stats(db_path));

  first.reset();
  CHECK_NOTHROW(IndexWriter::open(db_path, config));

  // A waiting writer gets the lock once the holder lets go.
  first.emplace(IndexWriter::open(db_path, config));
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    first.reset();
  });
  IndexOptions patient;
  patient.lock_wait = std::chrono::milliseconds(5000);
  CHECK_NOTHROW(IndexWriter::open(db_path, config, patient));
  release.join();
}

TEST_CASE("The index content is the same whatever the number of jobs", "[indexer]") {
  const auto dir = scratch("jobs");
  const auto config = CorpusConfig::load(kCorpusConfig);
  // corpus/ without most of the 11 MB of addresses, whose indexing would take a minute here
  // three times over: the seed, the samples, the first addresses and thinktank-2019.
  const auto slice = dir / "sotu-slice.jsonl";
  {
    std::ifstream in(DOSSIER_SOURCE_DIR "/corpus/sotu/sotu.jsonl", std::ios::binary);
    std::ofstream out(slice, std::ios::binary);
    std::string line;
    for (int i = 0; i < 20 && std::getline(in, line); ++i) out << line << '\n';
  }
  std::vector<fs::path> roots = {kSeed, DOSSIER_SOURCE_DIR "/corpus/samples", slice};
  if (fs::exists(kThinktank)) {
    roots.emplace_back(kThinktank);
  } else {
    WARN("thinktank-2019 part skipped: ../shared absent");
  }
  std::map<Xapian::docid, std::string> reference;
  std::map<std::string, std::string> reference_extra;
  for (const unsigned jobs : {1U, 2U, 3U}) {
    CAPTURE(jobs);
    const auto db_path = dir / ("jobs" + std::to_string(jobs));
    IndexOptions options;
    options.jobs = jobs;
    const auto report = run_index(db_path, roots, config, options);
    CHECK(report.failed.empty());
    Xapian::Database db(db_path.string());
    std::map<std::string, std::string> extra;
    const auto docs = snapshot(db, extra);
    if (jobs == 1) {
      REQUIRE(docs.size() > 20);
      reference = docs;
      reference_extra = extra;
      continue;
    }
    CHECK(docs.size() == reference.size());
    for (const auto& [docid, text] : reference) {
      CAPTURE(docid);
      const auto it = docs.find(docid);
      REQUIRE(it != docs.end());
      if (it->second != text) CHECK(it->second == text);  // prints only differing documents
    }
    // Spellings, synonyms and metadata; only the differing keys are printed.
    std::vector<std::string> differing;
    for (const auto& [key, value] : reference_extra) {
      const auto it = extra.find(key);
      if (it == extra.end() || it->second != value) differing.push_back(key);
    }
    CHECK(differing == std::vector<std::string>{});
    CHECK(extra.size() == reference_extra.size());
  }
}

TEST_CASE("An index of another format must be rebuilt, and --full rebuilds it", "[indexer]") {
  const auto dir = scratch("version");
  const auto docs = dir / "docs";
  const auto db_path = dir / "db";
  write_small_corpus(docs);
  run_index(db_path, {docs}, CorpusConfig{});
  {
    Xapian::WritableDatabase db(db_path.string(), Xapian::DB_OPEN);
    db.set_metadata("dossier.format", "999");
    db.commit();
  }
  const auto expect_version_error = [&](const auto& call) {
    try {
      call();
      FAIL("no error for an index of format 999");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kIndexVersion);
      CHECK_THAT(e.what(), Catch::Contains("rebuild the index"));
      CHECK_THAT(e.what(), Catch::Contains(db_path.string()));
    }
  };
  expect_version_error([&] { IndexWriter::open(db_path, CorpusConfig{}); });
  expect_version_error([&] { dossier::index_stats(db_path); });
  expect_version_error([&] { dossier::explain_topics(db_path, "rec-1"); });

  // The refused index is intact and readable until the rebuild replaces it.
  IndexOptions full;
  full.full = true;
  auto writer = IndexWriter::open(db_path, CorpusConfig{}, full);
  {
    Xapian::Database old(db_path.string());
    CHECK(old.get_metadata("dossier.format") == "999");
    CHECK(old.get_termfreq(term("id", "rec-1")) == 1);
  }
  const auto report = writer.index({docs});
  CHECK(report.added == kSmallCorpusArticles);
  CHECK(report.unchanged == 0);
  const auto stats = dossier::index_stats(db_path);
  CHECK(stats.articles == kSmallCorpusArticles);
  CHECK(stats.format_version == dossier::detail::kIndexFormatVersion);
  Xapian::Database rebuilt(db_path.string());
  CHECK(rebuilt.get_metadata("dossier.format") ==
        std::to_string(dossier::detail::kIndexFormatVersion));
  check_consistent(rebuilt);
}

TEST_CASE("Bad inputs are reported while the good ones are indexed and committed", "[indexer]") {
  const auto db_path = scratch("bad") / "db";
  const fs::path bad = DOSSIER_TEST_DATA "/bad";
  // The top-level files only: bad/hostile/ belongs to tests/e2e/hostile_inputs.py.
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(bad)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  IndexReport report;
  REQUIRE_NOTHROW(report = run_index(db_path, files, CorpusConfig{}));
  CHECK(report.added == 2);  // good.txt and the good line of mixed.jsonl
  const struct {
    const char* file;
    const char* reason;
  } expected[] = {
      {"empty.txt", "empty"},
      {"mixed.jsonl", "line 2"},
  };
  for (const auto& e : expected) {
    CAPTURE(e.file, e.reason);
    CHECK(has_failure(report, e.file, e.reason));
  }
  CHECK(report.failed.size() == std::size(expected));
  for (const auto& f : report.failed) {
    CAPTURE(f.path);
    CHECK_FALSE(f.reason.empty());
    CHECK(f.path.find("good.txt") == std::string::npos);
  }

  // Committed: a reader sees the good articles.
  Xapian::Database db(db_path.string());
  CHECK(check_consistent(db).size() == 2);
  CHECK(db.get_termfreq(term("title", "good")) >= 1);
}

TEST_CASE("explain_topics tells which terms gave the seed its topics", "[indexer]") {
  const auto db_path = scratch("topics") / "db";
  run_index(db_path, {kSeed}, CorpusConfig::load(kCorpusConfig));
  Xapian::Database db(db_path.string());
  const auto seed = seed_id(db);
  REQUIRE_FALSE(seed.empty());

  const auto topics = dossier::explain_topics(db_path, seed);
  if (topics.empty()) {
    WARN("the seed has no topics yet: the topic tagger is unfinished");
  }
  for (const auto& t : topics) {
    CAPTURE(t.topic);
    CHECK_FALSE(t.terms.empty());
    // Every explained topic is also a filter term on the article.
    CHECK(articles_with(db, term("topic", dossier::fold_key(t.topic))) ==
          std::set<std::string>{seed});
  }
  // Topics the seed must get from the shipped taxonomy, each with one term that triggers it
  // (as indexed: stemmed, phrases quoted).
  const struct {
    const char* topic;
    const char* term;
  } expected[] = {
      {"critical minerals", "\"rare earth\""},
      {"trade", "tariff"},
      {"Taiwan", "taiwan"},
      {"nuclear weapons and arms control", "\"nuclear test\""},
  };
  for (const auto& e : expected) {
    if (topics.empty()) break;
    CAPTURE(e.topic, e.term);
    const auto it = std::find_if(topics.begin(), topics.end(),
                                 [&](const auto& t) { return t.topic == e.topic; });
    REQUIRE(it != topics.end());
    CHECK(std::find(it->terms.begin(), it->terms.end(), e.term) != it->terms.end());
  }

  try {
    (void)dossier::explain_topics(db_path, "no-such-article");
    FAIL("no error for an unknown id");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kNotFound);
    CHECK_THAT(e.what(), Catch::Contains("no-such-article"));
  }
}

TEST_CASE("Unusable index folders give a clear error", "[indexer]") {
  const auto dir = scratch("unwritable");
  write(dir / "plain-file", "not a folder\n");
  const struct {
    const char* name;
    fs::path db;
    ErrorCode code;
  } cases[] = {
      {"parent is a file", dir / "plain-file" / "db", ErrorCode::kIo},
      {"index path is a file", dir / "plain-file", ErrorCode::kIo},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    try {
      IndexWriter::open(c.db, CorpusConfig{});
      FAIL("opened an index at an unusable path");
    } catch (const Error& e) {
      CHECK(e.code() == c.code);
      CHECK_THAT(e.what(), Catch::Contains(c.db.string()));
    }
  }
  try {
    (void)dossier::index_stats(dir / "no-index-here");
    FAIL("stats of a missing index");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kNotFound);
    CHECK_THAT(e.what(), Catch::Contains("no-index-here"));
  }
}

TEST_CASE("A large JSON Lines file is committed in batches, not in one transaction", "[indexer]") {
  // Regression: commits were only considered at the end of a file, so one big export was a
  // single transaction and a killed run lost all of it.
  const fs::path dir = fs::path(DOSSIER_TEST_TMP) / "indexer" / "batches";
  fs::remove_all(dir);
  fs::create_directories(dir / "docs");
  {
    std::ofstream out(dir / "docs" / "big.jsonl");
    for (int i = 0; i < 6000; ++i) {
      out << "{\"id\":\"rec-" << i << "\",\"title\":\"Sample record " << i
          << "\",\"body\":\"Invented sample text number " << i
          << " about harbours, ferries and the weather. " << std::string(900, 'x')
          << "\"}\n";  // about 1 kB a record: 6 MB, several 1 MiB reader chunks
    }
  }
  dossier::IndexOptions options;
  options.commit_every = 500;
  options.jobs = 2;
  // An index that holds something already: the run writes into it (a first build goes through
  // shards and commits at its end).
  write(dir / "seed" / "seed.txt",
        "Sample: Seed Note\nBy Gil Vance\n\nThe ferry leaves at dawn.\n");
  run_index(dir / "db", {dir / "seed"}, dossier::CorpusConfig{});
  {
    auto writer = dossier::IndexWriter::open(dir / "db", dossier::CorpusConfig{}, options);
    const auto report = writer.index({dir / "docs"});
    REQUIRE(report.added == 6000);
  }
  Xapian::Database db((dir / "db").string());
  CHECK(db.get_doccount() == 6001);
  // Each commit is a revision: one transaction for the file would leave only two or three.
  CHECK(db.get_revision() >= 5);
}

TEST_CASE("A full rebuild gives the same index whatever the number of jobs", "[indexer]") {
  const auto dir = scratch("full-jobs");
  const auto config = CorpusConfig::load(kCorpusConfig);
  const auto roots = comparison_roots(dir);
  std::map<Xapian::docid, std::string> reference;
  std::map<std::string, std::string> reference_extra;
  IndexReport reference_report;
  for (const unsigned jobs : {1U, 2U, 3U}) {
    CAPTURE(jobs);
    const auto db_path = dir / ("jobs" + std::to_string(jobs));
    IndexOptions options;
    options.jobs = jobs;
    options.full = true;
    options.commit_every = 40;  // several commits in each shard
    const auto report = run_index(db_path, roots, config, options);
    CHECK(report.failed.empty());
    CHECK_FALSE(fs::exists(db_path.string() + ".dossier-rebuild"));
    Xapian::Database db(db_path.string());
    check_consistent(db);
    std::map<std::string, std::string> extra;
    const auto docs = snapshot(db, extra);
    if (jobs == 1) {
      REQUIRE(docs.size() > 300);
      reference = docs;
      reference_extra = extra;
      reference_report = report;
      continue;
    }
    CHECK(report.added == reference_report.added);
    CHECK(report.warnings.size() == reference_report.warnings.size());
    CHECK(docs.size() == reference.size());
    for (const auto& [docid, text] : reference) {
      CAPTURE(docid);
      const auto it = docs.find(docid);
      REQUIRE(it != docs.end());
      if (it->second != text) CHECK(it->second == text);  // prints only differing documents
    }
    CHECK(differing_keys(reference_extra, extra) == std::vector<std::string>{});
  }
}

TEST_CASE("Full and incremental indexes of the same inputs hold the same content", "[indexer]") {
  const auto dir = scratch("full-vs-incremental");
  const auto config = CorpusConfig::load(kCorpusConfig);
  const auto roots = comparison_roots(dir);
  IndexOptions incremental;
  incremental.jobs = 2;
  incremental.commit_every = 40;
  IndexOptions full = incremental;
  full.full = true;
  // The incremental index is built in two runs: the seed (a first build, through shards like
  // --full), then everything, written into the index in transactions.
  const auto seed_report = run_index(dir / "incremental", {roots.front()}, config, incremental);
  CHECK(seed_report.failed.empty());
  auto incremental_report = run_index(dir / "incremental", roots, config, incremental);
  CHECK(incremental_report.unchanged == seed_report.added);
  CHECK(incremental_report.updated == 0);
  incremental_report.added += seed_report.added;
  incremental_report.files_indexed += seed_report.files_indexed;
  incremental_report.bytes_indexed += seed_report.bytes_indexed;
  incremental_report.warnings.insert(incremental_report.warnings.begin(),
                                     seed_report.warnings.begin(), seed_report.warnings.end());
  // The rebuild replaces an index holding something else entirely.
  write_small_corpus(dir / "other");
  run_index(dir / "full", {dir / "other"}, config, incremental);
  const auto full_report = run_index(dir / "full", roots, config, full);

  // The report is the same, whoever writes.
  CHECK(full_report.added == incremental_report.added);
  CHECK(full_report.updated == 0);
  CHECK(full_report.removed == 0);
  CHECK(full_report.files_seen == incremental_report.files_seen);
  CHECK(full_report.files_indexed == incremental_report.files_indexed);
  CHECK(full_report.bytes_indexed == incremental_report.bytes_indexed);
  CHECK(full_report.failed == incremental_report.failed);
  CHECK(full_report.warnings.size() == incremental_report.warnings.size());
  CHECK(full_report.warnings.size() >= 3);  // the duplicate ids

  Xapian::Database a((dir / "incremental").string());
  Xapian::Database b((dir / "full").string());
  const auto sections_a = check_consistent(a);
  const auto sections_b = check_consistent(b);
  CHECK(sections_a == sections_b);
  CHECK(sections_b.count(std::string("rec-1")) == 0);  // the old index's articles are gone
  // The last record of a duplicated id is the one kept, wherever the earlier ones went.
  CHECK(articles_with(b, term("id", "dup-a")).size() == 1);
  CHECK(articles_matching(b, Xapian::Query(term("id", "dup-a"))).size() == 1);
  CHECK(b.get_termfreq(term("id", "dup-a")) == 1);
  CHECK(b.get_termfreq(term("id", "dup-b")) == 1);
  {
    const auto doc = b.get_document(*b.postlist_begin(term("id", "dup-a")));
    CHECK_THAT(doc.get_data(), Catch::Contains("third lantern"));
    const auto ferry = b.get_document(*b.postlist_begin(term("id", "dup-b")));
    CHECK_THAT(ferry.get_data(), Catch::Contains("third ferry"));
  }
  CHECK(a.get_doccount() == b.get_doccount());
  CHECK(a.get_total_length() == b.get_total_length());

  const auto docs_a = snapshot_by_unique(a);
  const auto docs_b = snapshot_by_unique(b);
  REQUIRE(docs_a.size() == a.get_doccount());
  CHECK(docs_a.size() == docs_b.size());
  for (const auto& [unique, text] : docs_a) {
    CAPTURE(unique);
    const auto it = docs_b.find(unique);
    REQUIRE(it != docs_b.end());
    if (it->second != text) CHECK(it->second == text);  // prints only differing documents
  }
  // Term statistics, spellings (summed over the shards), synonyms and metadata.
  std::map<std::string, std::string> terms_a;
  std::map<std::string, std::string> terms_b;
  for (auto t = a.allterms_begin(); t != a.allterms_end(); ++t) {
    terms_a[*t] =
        std::to_string(t.get_termfreq()) + "/" + std::to_string(a.get_collection_freq(*t));
  }
  for (auto t = b.allterms_begin(); t != b.allterms_end(); ++t) {
    terms_b[*t] =
        std::to_string(t.get_termfreq()) + "/" + std::to_string(b.get_collection_freq(*t));
  }
  CHECK(differing_keys(terms_a, terms_b) == std::vector<std::string>{});
  std::map<std::string, std::string> extra_a;
  std::map<std::string, std::string> extra_b;
  snapshot(a, extra_a);
  snapshot(b, extra_b);
  CHECK(extra_a.count("spelling lantern") == 1);
  CHECK(extra_a.count("synonym dprk") + extra_a.count("synonym Zdprk") >= 1);
  CHECK(differing_keys(extra_a, extra_b) == std::vector<std::string>{});
  CHECK(dossier::index_stats(dir / "full").files ==
        dossier::index_stats(dir / "incremental").files);

  // The rebuilt index is an ordinary one: an incremental run afterwards skips everything.
  const auto again = run_index(dir / "full", roots, config, incremental);
  const auto again_incremental = run_index(dir / "incremental", roots, config, incremental);
  CHECK(again.unchanged == again_incremental.unchanged);  // ids per file, duplicates included
  CHECK(again.unchanged >= full_report.added);
  CHECK(again.added == 0);
  CHECK(again.files_indexed == 0);
}

TEST_CASE("A write error gives the same error for --full and incremental, old index intact",
          "[indexer]") {
  const auto dir = scratch("write-error");
  write_small_corpus(dir / "docs");
  const auto db_path = dir / "db";
  run_index(db_path, {dir / "docs"}, CorpusConfig{});
  write_generated_corpus(dir / "docs" / "more", 8, 200);  // 1,600 more records

  // "Disk full": files may not grow past 64 KiB while indexing, which the tables of 1,600 more
  // records need.
  struct rlimit saved {};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
  const auto saved_handler = signal(SIGXFSZ, SIG_IGN);
  const struct {
    const char* name;
    bool full;
    unsigned jobs;
  } cases[] = {{"--full, 1 job", true, 1}, {"--full, 2 jobs", true, 2}, {"incremental", false, 2}};
  for (const auto& c : cases) {
    CAPTURE(c.name);
    IndexOptions options;
    options.full = c.full;
    options.jobs = c.jobs;
    options.commit_every = 100;
    std::optional<Error> error;
    {
      auto writer = IndexWriter::open(db_path, CorpusConfig{}, options);
      struct rlimit small = saved;
      small.rlim_cur = 64 * 1024;
      REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
      try {
        writer.index({dir / "docs"});
      } catch (const Error& e) {
        error = e;
      }
      REQUIRE(setrlimit(RLIMIT_FSIZE, &saved) == 0);
    }
    REQUIRE(error.has_value());
    CHECK(error->code() == ErrorCode::kIo);
    CHECK_THAT(error->what(), Catch::Contains(db_path.string()));
    Xapian::Database db(db_path.string());
    check_consistent(db);
    if (!c.full) continue;  // an incremental run keeps the batches it committed before the error
    // The old index is untouched: its articles, and nothing of the failed rebuild's.
    CHECK(db.get_termfreq(term("id", "rec-1")) == 1);
    CHECK(dossier::index_stats(db_path).articles == kSmallCorpusArticles);
  }
  signal(SIGXFSZ, saved_handler);
  // And a run with room to write completes the job.
  IndexOptions full;
  full.full = true;
  const auto report = run_index(db_path, {dir / "docs"}, CorpusConfig{}, full);
  CHECK(report.added == kSmallCorpusArticles + 1600);
  CHECK(dossier::index_stats(db_path).articles == kSmallCorpusArticles + 1600);
}

// ---- Safety (issue 11): what the indexer never touches, unreadable input, limits, stopping ----

namespace {

// Every path under `dir` with its size ("" for folders): what a user has there.
std::map<std::string, std::string> listing(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    out[fs::relative(it->path(), dir).string()] =
        it->is_regular_file() ? std::to_string(it->file_size()) : "";
  }
  return out;
}

// A scratch folder that an unprivileged user can reach (under the system's temporary folder,
// since the build tree may sit under a home folder others cannot enter). Removed at the end.
struct PublicScratch {
  fs::path dir;
  explicit PublicScratch(const std::string& name) {
    std::string pattern =
        (fs::temp_directory_path() / ("dossier-test-" + name + "-XXXXXX")).string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    fs::permissions(dir, fs::perms::all);
  }
  PublicScratch(const PublicScratch&) = delete;
  PublicScratch& operator=(const PublicScratch&) = delete;
  ~PublicScratch() {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_directory(ec)) fs::permissions(it->path(), fs::perms::owner_all, ec);
    }
    fs::remove_all(dir, ec);
  }
};

// What a child process wrote and how it ended.
struct ChildResult {
  int status = 0;
  std::string output;
};

// Runs `body` in a child process as an ordinary user: as `nobody` when the tests run as root
// (root ignores file permissions and process limits), else as the current user. The child
// writes what `body` returns to a pipe; an escaping exception is reported as "exception: ...".
ChildResult run_unprivileged(const std::function<std::string()>& body) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    int code = 0;
    if (geteuid() == 0 &&
        (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0)) {
      _exit(90);
    }
    try {
      out = body();
    } catch (const std::exception& e) {
      out = std::string("exception: ") + e.what();
      code = 1;
    }
    const auto* p = out.data();
    auto left = out.size();
    while (left > 0) {
      const auto n = ::write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    _exit(code);
  }
  close(fds[1]);
  ChildResult result;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) {
    result.output.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  REQUIRE(waitpid(pid, &result.status, 0) == pid);
  return result;
}

std::string report_json(const IndexReport& r) {
  nlohmann::json j;
  j["added"] = r.added;
  j["updated"] = r.updated;
  j["unchanged"] = r.unchanged;
  j["removed"] = r.removed;
  j["files_seen"] = r.files_seen;
  j["complete"] = r.complete;
  j["interrupted"] = r.interrupted;
  j["failed"] = nlohmann::json::array();
  for (const auto& f : r.failed) j["failed"].push_back({{"path", f.path}, {"reason", f.reason}});
  return j.dump();
}

}  // namespace

TEST_CASE("A folder that is not a Dossier index is refused, and nothing in it is touched",
          "[indexer][safety]") {
  // Regression: --full deleted whatever the --db folder held (a thesis draft, or the corpus
  // itself with --db same --full same).
  const auto dir = scratch("not-an-index");
  write(dir / "notes" / "thesis.txt", "draft\n");
  write(dir / "notes" / "ch1" / "a.md", "x\n");
  write_small_corpus(dir / "src");
  for (const bool full : {true, false}) {
    CAPTURE(full);
    IndexOptions options;
    options.full = full;
    for (const auto& db : {dir / "notes", dir / "src"}) {
      CAPTURE(db);
      const auto before = listing(dir);
      try {
        auto writer = IndexWriter::open(db, CorpusConfig{}, options);
        (void)writer.index({dir / "src"});
        FAIL("wrote into a folder that is not an index");
      } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::kInvalidArgument);
        CHECK(std::string(e.what()) == db.string() + " is not a Dossier index and is not empty");
      }
      CHECK(listing(dir) == before);
    }
  }
  // No sibling folders were made either.
  CHECK(!fs::exists(dir / "notes.dossier-rebuild"));
  CHECK(!fs::exists(dir / "src.dossier-rebuild"));
}

TEST_CASE("New, empty and pre-marker index folders are accepted and marked", "[indexer][safety]") {
  const auto dir = scratch("marker");
  write_small_corpus(dir / "docs");
  fs::create_directories(dir / "empty");
  for (const auto& db : {dir / "missing" / "deeper", dir / "empty"}) {
    CAPTURE(db);
    CHECK(run_index(db, {dir / "docs"}, CorpusConfig{}).added == kSmallCorpusArticles);
    CHECK(fs::is_regular_file(db / "dossier-index.json"));
  }
  // An index written before the marker existed (only Xapian's files) is adopted.
  fs::remove(dir / "empty" / "dossier-index.json");
  const auto again = run_index(dir / "empty", {dir / "docs"}, CorpusConfig{});
  CHECK(again.unchanged == kSmallCorpusArticles);
  CHECK(fs::is_regular_file(dir / "empty" / "dossier-index.json"));
  // A Xapian database that is not Dossier's, with a user's file beside it, is not.
  {
    Xapian::WritableDatabase other((dir / "other").string(), Xapian::DB_CREATE);
    other.add_document(Xapian::Document());
    other.commit();
  }
  CHECK_THROWS_WITH(run_index(dir / "other", {dir / "docs"}, CorpusConfig{}),
                    Catch::Contains("not a Dossier index"));
}

TEST_CASE("A full rebuild and compaction replace only the index's own files", "[indexer][safety]") {
  const auto dir = scratch("own-files");
  write_small_corpus(dir / "docs");
  const auto db = dir / "db";
  run_index(db, {dir / "docs"}, CorpusConfig{});
  // A user's files beside the index and inside its folder, with the names the old swap used.
  for (const char* sibling : {"db.dossier-rebuild", "db.dossier-old", "db.dossier-compact"}) {
    write(dir / sibling / "keep.txt", "mine\n");
  }
  write(db / "my-notes.txt", "mine too\n");
  const auto users = [&] {
    auto all = listing(dir);
    std::erase_if(all, [](const auto& entry) {
      return entry.first.starts_with("db/") && entry.first != "db/my-notes.txt";
    });
    return all;
  }();
  IndexOptions full;
  full.full = true;
  for (int round = 0; round < 2; ++round) {
    auto writer = IndexWriter::open(db, CorpusConfig{}, full);
    CHECK(writer.index({dir / "docs"}).added == kSmallCorpusArticles);
    writer.compact();
  }
  auto after = listing(dir);
  std::erase_if(after, [](const auto& entry) {
    return entry.first.starts_with("db/") && entry.first != "db/my-notes.txt";
  });
  CHECK(after == users);
  Xapian::Database index(db.string());
  CHECK(check_consistent(index).size() == kSmallCorpusArticles);
  CHECK(dossier::index_stats(db).articles == kSmallCorpusArticles);
}

TEST_CASE("The walk never enters the index folder or any other Dossier index",
          "[indexer][safety]") {
  const auto dir = scratch("index-in-corpus");
  const auto docs = dir / "docs";
  write_small_corpus(docs);
  write_small_corpus(dir / "elsewhere");
  // Another index inside the corpus, of other files.
  run_index(docs / "zz-other-index", {dir / "elsewhere"}, CorpusConfig{});
  const auto db = docs / "index";
  const auto first = run_index(db, {docs}, CorpusConfig{});
  CHECK(first.failed.empty());
  CHECK(first.added == kSmallCorpusArticles);
  CHECK(first.files_seen == 5);
  const auto second = run_index(db, {docs}, CorpusConfig{});
  CHECK(second.unchanged == kSmallCorpusArticles);
  CHECK(second.added + second.updated + second.removed == 0);
  IndexOptions full;
  full.full = true;
  CHECK(run_index(db, {docs}, CorpusConfig{}, full).added == kSmallCorpusArticles);
  CHECK(fs::exists(docs / "alpha.txt"));
  // The index folder itself, named as input, is refused.
  const auto named = run_index(db, {db}, CorpusConfig{});
  REQUIRE(named.failed.size() == 1);
  CHECK_THAT(named.failed[0].reason, Catch::Contains("Dossier index folder"));
  CHECK(named.removed == 0);
  // And --inspect's walk agrees.
  const auto inputs = dossier::find_inputs({docs});
  CHECK(inputs.files.size() == 5);
}

TEST_CASE("An unreadable folder is reported by its own path, and the rest is indexed",
          "[indexer][safety]") {
  // Regression: one subfolder at mode 000 silently dropped unrelated files; the only error named
  // the root folder.
  PublicScratch scratch_dir("unreadable");
  const auto docs = scratch_dir.dir / "docs";
  for (const char* sub : {"a", "b", "c"}) {
    for (int i = 0; i < 4; ++i) {
      write(docs / sub / ("note-" + std::to_string(i) + ".txt"),
            std::string("Sample note ") + sub + std::to_string(i) + "\n\nPelicans and canals.\n");
    }
  }
  write(docs / "c" / "locked.txt", "Sample locked note\n\nQuince.\n");
  const auto db = scratch_dir.dir / "db";
  const auto index_as_user = [&] {
    return run_unprivileged([&] { return report_json(run_index(db, {docs}, CorpusConfig{})); });
  };
  const auto first = index_as_user();
  INFO(first.output);
  REQUIRE(first.status == 0);
  CHECK(nlohmann::json::parse(first.output).at("added") == 13);

  fs::permissions(docs / "b", fs::perms::none);
  fs::permissions(docs / "c" / "locked.txt", fs::perms::none);
  write(docs / "a" / "new.txt", "Sample new note\n\nLanterns.\n");
  const auto second = index_as_user();
  fs::permissions(docs / "b", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  INFO(second.output);
  REQUIRE(second.status == 0);
  const auto report = nlohmann::json::parse(second.output);
  CHECK(report.at("added") == 1);    // a/new.txt, in a readable folder
  CHECK(report.at("removed") == 0);  // b's four articles are kept: unreadable is not vanished
  CHECK(report.at("complete") == false);
  std::map<std::string, std::string> failed;
  for (const auto& f : report.at("failed")) failed[f.at("path")] = f.at("reason");
  const auto b = (docs / "b").string();
  const auto locked = (docs / "c" / "locked.txt").string();
  REQUIRE(failed.count(b) == 1);
  CHECK_THAT(failed[b],
             Catch::Contains("Permission denied") || Catch::Contains("permission denied"));
  REQUIRE(failed.count(locked) == 1);
  CHECK_THAT(failed[locked], Catch::Contains("ermission denied"));
  CHECK(failed.size() == 2);
  CHECK(dossier::index_stats(db).articles == 14);
}

TEST_CASE("Thread counts out of range and threads that cannot start are errors, not aborts",
          "[indexer][safety]") {
  // Regression: jobs = 4000000000 and a process limit that stops thread creation ended the host
  // program with "terminate called without an active exception".
  const auto dir = scratch("threads");
  write_small_corpus(dir / "docs");
  IndexOptions options;
  options.jobs = 4000000000U;
  CHECK_THROWS_WITH(IndexWriter::open(dir / "db", CorpusConfig{}, options),
                    Catch::Contains("jobs 4000000000 out of range 0..256"));
  options.jobs = 0;
  options.commit_every = 0;
  CHECK_THROWS_WITH(IndexWriter::open(dir / "db", CorpusConfig{}, options),
                    Catch::Contains("commit_every"));

  PublicScratch scratch_dir("nproc");
  const auto db = scratch_dir.dir / "db";
  fs::copy(dir / "docs", scratch_dir.dir / "docs");
  const auto child = run_unprivileged([&] {
    IndexOptions two;
    two.jobs = 2;
    auto writer = IndexWriter::open(db, CorpusConfig{}, two);
    const struct rlimit none = {1, 1};  // this user may run no further process or thread
    if (setrlimit(RLIMIT_NPROC, &none) != 0) return std::string("setrlimit failed");
    try {
      (void)writer.index({scratch_dir.dir / "docs"});
      return std::string("indexed without threads?");
    } catch (const Error& e) {
      return std::string(dossier::to_string(e.code())) + ": " + e.what();
    }
  });
  INFO(child.output);
  CHECK(WIFEXITED(child.status));
  CHECK(WEXITSTATUS(child.status) == 0);
  CHECK_THAT(child.output, Catch::StartsWith("io: cannot start the indexing threads"));
}

TEST_CASE("A stop request ends a run early, committed, and a full rebuild is given up",
          "[indexer][safety]") {
  const auto dir = scratch("stop");
  write_small_corpus(dir / "docs");
  const auto db = dir / "db";
  run_index(db, {dir / "docs"}, CorpusConfig{});
  write_generated_corpus(dir / "docs" / "more", 3, 10);
  std::stop_source stop;
  stop.request_stop();
  for (const bool full : {false, true}) {
    CAPTURE(full);
    IndexOptions options;
    options.full = full;
    auto writer = IndexWriter::open(db, CorpusConfig{}, options);
    const auto report = writer.index({dir / "docs"}, {}, stop.get_token());
    CHECK(report.interrupted);
    CHECK_FALSE(report.complete);
    CHECK(report.added == 0);
    CHECK(report.removed == 0);
  }
  // The old index is whole, and a run without a stop request completes the job.
  CHECK(dossier::index_stats(db).articles == kSmallCorpusArticles);
  CHECK(!fs::exists(db / ".dossier-rebuild"));
  const auto resumed = run_index(db, {dir / "docs"}, CorpusConfig{});
  CHECK(resumed.added == 30);
  CHECK_FALSE(resumed.interrupted);
}

TEST_CASE("An index whose first indexer was killed before committing reads as empty",
          "[indexer][safety]") {
  // Regression (make stress, a SIGKILL 45 ms into the first run): the folder had its marker
  // and an empty Xapian database without the format record, and dossier-search said "not a
  // Dossier index (no format record); rebuild the index".
  const auto dir = scratch("killed-before-commit");
  const auto db = dir / "db";
  fs::create_directories(db);
  std::ofstream(db / "dossier-index.json") << "{\"what\": \"Dossier index\", \"format\": 2}\n";
  { Xapian::WritableDatabase(db.string(), Xapian::DB_CREATE); }
  auto searcher = dossier::Searcher::open(db);
  dossier::SearchRequest request;
  request.query = "tariffs";
  CHECK(searcher.search(request).hits.empty());
  // Without the marker, an empty Xapian database is still not taken for a Dossier index.
  fs::remove(db / "dossier-index.json");
  CHECK_THROWS_AS(dossier::Searcher::open(db), dossier::Error);
}
