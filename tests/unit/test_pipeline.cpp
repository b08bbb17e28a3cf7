// The indexing pipeline's stages, each on its own (index/pipeline/, ingest/source): the source
// reader's units and refusals, the plan's skipping, the channel's ordering and failure hand-off,
// and the ordered writer's bookkeeping against a recording destination.
#include "index/pipeline/channel.hpp"
#include "index/pipeline/plan.hpp"
#include "index/pipeline/write.hpp"
#include "ingest/source.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace dossier;
using namespace dossier::detail;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(DOSSIER_TEST_TMP) / "pipeline" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return fs::canonical(dir);
}

void put(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::vector<SourceUnit> read_all(const SourceRequest& request) {
  std::vector<SourceUnit> units;
  read_source(request, [&](SourceUnit&& unit, const SourceRead&) {
    units.push_back(std::move(unit));
    return true;
  });
  return units;
}

SourceRequest request_for(const fs::path& path, Format format) {
  SourceRequest r;
  r.path = path;
  r.name = path.string();
  r.format = format;
  return r;
}

}  // namespace

TEST_CASE("The source reader reads a document once, whole, with its hash and stamp", "[source]") {
  const auto dir = scratch("document");
  put(dir / "a.txt", "Title\n\nSome text.\n");
  SourceRead read;
  std::vector<SourceUnit> units;
  read = read_source(request_for(dir / "a.txt", Format::kPlainText),
                     [&](SourceUnit&& u, const SourceRead& known) {
                       CHECK(known.hash != 0);  // known before the unit is handed on
                       units.push_back(std::move(u));
                       return true;
                     });
  REQUIRE(units.size() == 1);
  CHECK(units[0].bytes == "Title\n\nSome text.\n");
  CHECK(units[0].last);
  CHECK_FALSE(units[0].failure);
  REQUIRE(read.stamp);
  CHECK(read.stamp->size == 18);
  CHECK(read.hash == fnv1a64("Title\n\nSome text.\n"));

  SECTION("unchanged content hands on one unchanged unit and no bytes") {
    auto request = request_for(dir / "a.txt", Format::kPlainText);
    request.unchanged = [&](std::uint64_t hash) { return hash == read.hash; };
    const auto again = read_all(request);
    REQUIRE(again.size() == 1);
    CHECK(again[0].unchanged);
    CHECK(again[0].bytes.empty());
  }
  SECTION("a file over the limit is refused before reading, with its size") {
    put(dir / "big.txt", std::string(3U << 20U, 'a'));
    auto request = request_for(dir / "big.txt", Format::kPlainText);
    request.max_file_bytes = 1U << 20U;
    const auto refused = read_all(request);
    REQUIRE(refused.size() == 1);
    REQUIRE(refused[0].failure);
    CHECK(refused[0].failure->message == "file of 3 MiB exceeds the limit of 1 MiB: skipped");
  }
  SECTION("a missing file is a failure with the system's reason") {
    const auto missing = read_all(request_for(dir / "gone.txt", Format::kPlainText));
    REQUIRE(missing.size() == 1);
    REQUIRE(missing[0].failure);
    CHECK_THAT(missing[0].failure->message, Catch::StartsWith("cannot read file: "));
    CHECK_THAT(missing[0].failure->message, Catch::Contains("No such file"));
  }
}

TEST_CASE("The source reader cuts JSON Lines into units of whole lines", "[source]") {
  const auto dir = scratch("jsonl");
  std::string bytes;
  for (int i = 0; i < 100; ++i) bytes += "{\"id\": \"r" + std::to_string(i) + "\"}\n";
  put(dir / "a.jsonl", bytes);
  auto request = request_for(dir / "a.jsonl", Format::kJsonLines);
  request.chunk_bytes = 200;
  request.hash = true;
  const auto units = read_all(request);
  REQUIRE(units.size() > 5);
  std::string joined;
  std::size_t next_line = 1;
  for (const auto& u : units) {
    CHECK(u.first_line == next_line);
    CHECK(u.bytes.back() == '\n');
    next_line += static_cast<std::size_t>(std::count(u.bytes.begin(), u.bytes.end(), '\n'));
    joined += u.bytes;
    CHECK(u.last == (&u == &units.back()));
  }
  CHECK(joined == bytes);

  SECTION("a record over the limit is a note at its line, and the line count stays right") {
    put(dir / "long.jsonl", "{\"id\": \"a\"}\n" + std::string(500, 'x') + "\n{\"id\": \"b\"}\n");
    auto r = request_for(dir / "long.jsonl", Format::kJsonLines);
    r.max_file_bytes = 100;
    const auto u = read_all(r);
    REQUIRE(u.size() == 1);
    REQUIRE(u[0].notes.size() == 1);
    CHECK(u[0].notes[0].line == 2);
    CHECK(u[0].notes[0].message == "record of 500 bytes exceeds the limit of 100: skipped");
    CHECK(u[0].bytes == "{\"id\": \"a\"}\n\n{\"id\": \"b\"}\n");
  }
  SECTION("blank lines only is an empty file") {
    put(dir / "blank.jsonl", "\n  \n\t\r\n");
    const auto u = read_all(request_for(dir / "blank.jsonl", Format::kJsonLines));
    REQUIRE(u.size() == 1);
    REQUIRE(u[0].notes.size() == 1);
    CHECK(u[0].notes[0].message == "empty file: nothing to index");
  }
  SECTION("binary content is refused") {
    put(dir / "bin.jsonl", std::string("{\"id\": 1}\n\0\1\2", 13));
    const auto u = read_all(request_for(dir / "bin.jsonl", Format::kJsonLines));
    REQUIRE(u.size() == 1);
    REQUIRE(u[0].failure);
    CHECK(u[0].failure->message == "binary file (NUL or control bytes), not JSON Lines: skipped");
  }
  SECTION("a stop request ends the reading between units") {
    auto r = request;
    int asked = 0;
    r.stopping = [&] { return ++asked > 3; };
    std::vector<SourceUnit> got;
    const auto read = read_source(r, [&](SourceUnit&& unit, const SourceRead&) {
      got.push_back(std::move(unit));
      return true;
    });
    CHECK(read.stopped);
    CHECK(got.size() < units.size());
    for (const auto& u : got) CHECK_FALSE(u.last);
  }
}

TEST_CASE("The plan skips files the index remembers unchanged, and nothing for --full",
          "[pipeline]") {
  const auto dir = scratch("plan");
  put(dir / "a.txt", "A\n\nText.\n");
  put(dir / "b.txt", "B\n\nText.\n");
  const std::vector<fs::path> files = {dir / "a.txt", dir / "b.txt"};
  std::map<std::string, FileState> states;
  std::error_code ec;
  FileState a;
  a.size = fs::file_size(dir / "a.txt");
  a.mtime = mtime_of(dir / "a.txt", ec);
  a.indexed_at = a.mtime + 10 * kRacyNanoseconds;  // indexed well after its last change
  a.ids = {"a-1", "a-2"};
  states[(dir / "a.txt").string()] = a;
  const auto plan = make_plan(files, states, IngestOptions{}, false);
  REQUIRE(plan.files.size() == 1);
  CHECK(plan.files[0].key == (dir / "b.txt").string());
  CHECK(plan.unchanged_articles == 2);
  CHECK(plan.seen.size() == 2);
  CHECK(make_plan(files, states, IngestOptions{}, true).files.size() == 2);

  SECTION("a file changed within the racy window of its indexing is read again") {
    states[(dir / "a.txt").string()].indexed_at = a.mtime;
    const auto racy = make_plan(files, states, IngestOptions{}, false);
    CHECK(racy.files.size() == 2);
    CHECK(racy.files[0].previous != nullptr);
  }
}

TEST_CASE("The channel hands outputs to the writer in read order, whatever the workers do",
          "[pipeline]") {
  OrderedChannel<int, int> channel(3);
  std::thread reader([&] {
    for (int i = 0; i < 200; ++i) REQUIRE(channel.push(i));
    channel.close();
  });
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) {
    workers.emplace_back([&, w] {
      while (auto item = channel.take()) {
        if ((item->second + w) % 7 == 0)
          std::this_thread::sleep_for(std::chrono::microseconds(300));
        channel.put(item->first, item->second * 10);
      }
    });
  }
  std::vector<int> got;
  while (auto out = channel.next()) got.push_back(*out);
  reader.join();
  channel.stop();
  for (auto& w : workers) w.join();
  REQUIRE(got.size() == 200);
  for (int i = 0; i < 200; ++i) CHECK(got[static_cast<std::size_t>(i)] == i * 10);
}

TEST_CASE("The channel bounds the work in flight and hands a thread's failure to the writer",
          "[pipeline]") {
  OrderedChannel<int, int> channel(2);
  CHECK(channel.push(1));
  CHECK(channel.push(2));
  std::atomic<bool> third{false};
  std::thread reader([&] {
    third = channel.push(3);  // waits: two items are between the reader and the writer
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(third.load());
  try {
    throw std::runtime_error("worker failed");
  } catch (...) {
    channel.fail(std::current_exception());
  }
  reader.join();
  CHECK_FALSE(third.load());  // stopped, not pushed
  CHECK_THROWS_WITH(channel.next(), "worker failed");
  CHECK_FALSE(channel.take());
}

namespace {

// Records what the ordered writer asks of its destination.
class Recorder final : public Destination {
 public:
  explicit Recorder(bool earlier) : earlier_(earlier) {}
  const std::map<std::string, FileState>& states() const override { return states_; }
  bool has_earlier_articles() const override { return earlier_; }
  bool remove(const std::string& id) override {
    log.push_back("remove " + id);
    return present.erase(id) != 0;
  }
  void add(ArticleDocuments& documents, std::size_t seq) override {
    log.push_back("add " + documents.id + " @" + std::to_string(seq));
    present.insert(documents.id);
  }
  void add_words(SpellingWords&&, std::size_t) override {}
  void record_state(const std::string& key, std::string value) override {
    log.push_back((value.empty() ? "forget " : "state ") + key.substr(1));
  }
  void end_unit() override { log.push_back("end"); }
  void finish(bool) override {}
  void abandon() noexcept override {}

  std::map<std::string, FileState> states_;
  std::set<std::string> present;
  std::vector<std::string> log;

 private:
  bool earlier_;
};

ParsedUnit unit_of(std::size_t file, const std::vector<std::string>& ids, bool last = true) {
  ParsedUnit u;
  u.file = file;
  u.last = last;
  for (const auto& id : ids) {
    Article a;
    a.id = id;
    a.source_path = "f" + std::to_string(file);
    u.articles.push_back(a);
    ArticleDocuments d;
    d.id = id;
    u.documents.push_back(d);
  }
  return u;
}

Plan plan_of(std::size_t files) {
  Plan plan;
  for (std::size_t f = 0; f < files; ++f) {
    PlannedFile p;
    p.key = "/f" + std::to_string(f);
    plan.files.push_back(p);
  }
  return plan;
}

}  // namespace

TEST_CASE("The ordered writer counts, replaces duplicates and records states with last units",
          "[pipeline]") {
  auto plan = plan_of(2);
  FileState previous;
  previous.ids = {"x", "gone"};
  plan.files[1].previous = &previous;
  Recorder dest(true);
  dest.present = {"x", "gone"};
  IndexReport report;
  OrderedWriter writer(plan, dest, report);
  writer.write(unit_of(0, {"a", "x"}, false));
  writer.write(unit_of(0, {"b"}, true));
  writer.write(unit_of(1, {"a", "x"}, true));  // both ids again: the later records win
  CHECK(report.added == 2);                    // a, b
  CHECK(report.updated == 1);                  // x, indexed before this run
  CHECK(report.removed == 1);                  // "gone": file 1 no longer holds it
  CHECK(report.warnings.size() == 2);          // the two duplicates
  // An incremental destination: every article first removes its earlier documents.
  CHECK(dest.log == std::vector<std::string>{"remove a", "add a @0", "remove x", "add x @0", "end",
                                             "remove b", "add b @1", "state /f0", "end", "remove a",
                                             "add a @2", "remove x", "add x @2", "remove gone",
                                             "state /f1", "end"});
  CHECK(writer.articles_done() == 5);
  CHECK(writer.files_done() == 2);
}

TEST_CASE("The ordered writer does not record a file that gave only errors or failed",
          "[pipeline]") {
  auto plan = plan_of(2);
  FileState previous;
  previous.ids = {"old"};
  plan.files[1].previous = &previous;
  Recorder dest(false);
  IndexReport report;
  OrderedWriter writer(plan, dest, report);
  auto bad = unit_of(0, {});
  bad.diagnostics.push_back({Diagnostic::Severity::kError, "/f0", 3, "malformed JSON"});
  writer.write(std::move(bad));
  auto failed = unit_of(1, {});
  failed.failure = Diagnostic{Diagnostic::Severity::kError, "/f1", 0, "cannot read file: EIO"};
  writer.write(std::move(failed));
  CHECK(dest.log == std::vector<std::string>{"end", "forget /f1", "end"});
  REQUIRE(report.failed.size() == 2);
  CHECK(report.failed[0].reason == "line 3: malformed JSON");
  CHECK(report.failed[1].reason == "cannot read file: EIO");
  CHECK(report.removed == 0);  // an unreadable file keeps its articles
}
