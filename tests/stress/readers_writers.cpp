// Readers during writes (issue #11): one IndexWriter makes 100 commits that add, update and
// remove articles while reader threads, each with its own Searcher, search in a loop, and
// (optionally) a thread runs the dossier-search binary. Every result must come from one
// consistent revision, and nothing may throw.
//
// How a result is checked: every run k rewrites a "manifest" article (id `manifest`) whose
// summary lists the revision and every live article with the generation it was last written
// in ("rev 17 art-3:12 art-5:17 ..."). Article art-J written in run G has the summary
// "art-J gen G", 1 + (J+G)%3 sections, the topic color((J*7+G)%5), the body word
// parityeven/parityodd by (J+G)%2, and the word `stamp`; the manifest has `stamp`,
// `manifestdoc` and every colour topic. Each query is built so that the manifest is among its
// hits, and the manifest of that same result says exactly which other hits there must be, with
// which generation and section count, and what the facet counts are. A result mixing two
// commits, missing an article, showing one twice or showing an old version fails.
//
// Build: see tests/stress/run.sh (g++ against build/release's library, or with
// -fsanitize=thread against build/tsan's). Usage:
//   readers_writers --work DIR [--readers N] [--searches N] [--commits N] [--cli-bin DIR]
//                   [--cli-searches N] [--seed S] [--json FILE]
// `--commit-every 2` (commits inside a run, so readers can see half a run) is the self-test of
// the checks: it must report inconsistent results.
#include <dossier/dossier.hpp>

#include <cxxabi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int kSlots = 60;  // article ids art-0 .. art-59; about 40 live at a time

struct Options {
  fs::path work;
  int readers = 4;
  long searches = 9500;
  int commits = 100;
  std::string cli_bin;
  long cli_searches = 0;
  unsigned seed = 1;
  std::string json;
  std::size_t commit_every = 100000;  // one commit per run; --commit-every 2 tests the checks
};

std::string color_of(int j, int g) {
  return "color" + std::to_string((j * 7 + g) % 5);
}
int sections_of(int j, int g) {
  return 1 + (j + g) % 3;
}
std::string parity_of(int j, int g) {
  return (j + g) % 2 == 0 ? "parityeven" : "parityodd";
}

const char* kFiller[] = {"tariff",  "alliance", "budget",  "treaty",   "harbour", "minister",
                         "climate", "export",   "reactor", "election", "grain",   "pipeline"};

// What one revision holds: article slot -> generation.
struct Manifest {
  long rev = -1;
  std::map<int, int> live;
};

std::string manifest_summary(const Manifest& m) {
  std::string s = "rev " + std::to_string(m.rev);
  for (const auto& [j, g] : m.live) s += " art-" + std::to_string(j) + ":" + std::to_string(g);
  return s;
}

bool parse_manifest(const std::string& summary, Manifest& m) {
  std::istringstream in(summary);
  std::string word;
  if (!(in >> word) || word != "rev" || !(in >> m.rev)) return false;
  m.live.clear();
  while (in >> word) {
    int j = 0;
    int g = 0;
    if (std::sscanf(word.c_str(), "art-%d:%d", &j, &g) != 2) return false;
    m.live[j] = g;
  }
  return true;
}

void write_file(const fs::path& path, const std::string& text) {
  const auto tmp = path.string() + ".tmp";  // another type: the walk skips it
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
  }
  fs::rename(tmp, path);
}

std::string article_text(int j, int g) {
  std::string t = "---\nid: art-" + std::to_string(j) + "\ntitle: \"Article " + std::to_string(j) +
                  " generation " + std::to_string(g) + "\"\nsummary: \"art-" + std::to_string(j) +
                  " gen " + std::to_string(g) + "\"\ntopics: [" + color_of(j, g) +
                  "]\ndate: 2020-01-0" + std::to_string(1 + g % 9) + "\n---\n\n";
  for (int s = 0; s < sections_of(j, g); ++s) {
    t += "## Part " + std::to_string(s + 1) + "\n\n";
    t += "The stamp of this part names " + parity_of(j, g) + " and gen" + std::to_string(g) +
         "word.";
    for (int w = 0; w < 40; ++w) t += std::string(" ") + kFiller[(j + g * 3 + s + w) % 12];
    t += ".\n\n";
  }
  return t;
}

std::string manifest_text(const Manifest& m) {
  return "---\nid: manifest\ntitle: \"Manifest\"\nsummary: \"" + manifest_summary(m) +
         "\"\ntopics: [color0, color1, color2, color3, color4]\ndate: 2020-02-01\n---\n\n"
         "The manifestdoc lists the stamp of every live article in parityeven and parityodd "
         "runs.\n";
}

// A result as the checks see it (from the library or from the CLI's JSON).
struct SeenHit {
  std::string id;
  std::string summary;
  std::size_t section_count = 0;
};

enum class Query { kStamp, kTopic, kBrowse, kParity };

struct Expect {
  std::set<std::string> ids;
  std::map<std::string, std::size_t> facet;  // topic -> count (browse)
};

// Checks hits against the manifest among them. Returns "" when consistent.
std::string check(Query q, int arg, const std::vector<SeenHit>& hits, Manifest& m,
                  const std::map<std::string, std::size_t>* facet) {
  const SeenHit* man = nullptr;
  for (const auto& h : hits) {
    if (h.id == "manifest") man = &h;
  }
  if (man == nullptr) return "no manifest among " + std::to_string(hits.size()) + " hits";
  if (!parse_manifest(man->summary, m)) return "bad manifest summary '" + man->summary + "'";
  std::set<std::string> want{"manifest"};
  std::map<std::string, std::size_t> colors;
  for (int c = 0; c < 5; ++c) colors["color" + std::to_string(c)] = 1;  // the manifest
  for (const auto& [j, g] : m.live) {
    const bool in = q == Query::kTopic    ? color_of(j, g) == "color" + std::to_string(arg)
                    : q == Query::kParity ? parity_of(j, g) == (arg ? "parityodd" : "parityeven")
                                          : true;
    if (in) want.insert("art-" + std::to_string(j));
    ++colors[color_of(j, g)];
  }
  std::set<std::string> got;
  for (const auto& h : hits) {
    if (!got.insert(h.id).second) return "rev " + std::to_string(m.rev) + ": " + h.id + " twice";
    if (h.id == "manifest") continue;
    int j = -1;
    int g = -1;
    if (std::sscanf(h.id.c_str(), "art-%d", &j) != 1) return "unknown id " + h.id;
    const auto it = m.live.find(j);
    if (it == m.live.end()) {
      return "rev " + std::to_string(m.rev) + ": " + h.id + " is not live in that revision";
    }
    if (std::sscanf(h.summary.c_str(), "art-%*d gen %d", &g) != 1 || g != it->second) {
      return "rev " + std::to_string(m.rev) + ": " + h.id + " is '" + h.summary +
             "', the manifest says gen " + std::to_string(it->second);
    }
    if (h.section_count != static_cast<std::size_t>(sections_of(j, g))) {
      return "rev " + std::to_string(m.rev) + ": " + h.id + " has " +
             std::to_string(h.section_count) + " sections, not " +
             std::to_string(sections_of(j, g));
    }
  }
  if (got != want) {
    std::string missing;
    for (const auto& id : want) {
      if (got.count(id) == 0) missing += " " + id;
    }
    return "rev " + std::to_string(m.rev) + ": " + std::to_string(got.size()) + " hits, " +
           std::to_string(want.size()) + " expected; missing:" + missing;
  }
  if (facet != nullptr && *facet != colors) {
    std::string s;
    for (const auto& [k, v] : *facet) s += " " + k + "=" + std::to_string(v);
    return "rev " + std::to_string(m.rev) + ": topic facet" + s + " disagrees with the manifest";
  }
  return "";
}

// The dynamic type of the exception being handled (for exceptions that are not std ones).
std::string current_exception_name() {
  const std::type_info* t = abi::__cxa_current_exception_type();
  if (t == nullptr) return "unknown";
  int status = 0;
  char* name = abi::__cxa_demangle(t->name(), nullptr, nullptr, &status);
  std::string out = status == 0 && name != nullptr ? name : t->name();
  std::free(name);
  return out;
}

struct Shared {
  std::atomic<long> searches{0};      // library searches done
  std::atomic<long> cli_searches{0};  // CLI searches done
  std::atomic<long> errors{0};        // exceptions / failed CLI runs
  std::atomic<long> inconsistent{0};  // results that no single commit had
  std::atomic<long> refreshes{0};
  std::atomic<long> stale_reads{0};  // a reader saw an older revision than before
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::vector<std::string> messages;  // first few problems of each kind
  std::map<char, int> kinds;
  std::set<long> revisions;  // manifest revisions seen by readers
  void note(const std::string& what, char kind = 'i') {
    std::lock_guard lock(mutex);
    if (kinds[kind]++ < 10) messages.push_back(what);
  }
};

void reader(int id, const Options& o, Shared& sh) {
  std::mt19937 rng(o.seed * 1000 + static_cast<unsigned>(id));
  std::set<long> seen;
  long last_rev = -1;
  try {
    auto searcher = dossier::Searcher::open(o.work / "db");
    while (!sh.stop.load()) {
      const long n = sh.searches.fetch_add(1);
      if (n >= o.searches) {
        sh.searches.fetch_sub(1);
        break;
      }
      const auto q = static_cast<Query>(rng() % 4);
      const int arg = static_cast<int>(rng() % 5);
      dossier::SearchRequest r;
      r.limit = 1000;
      r.snippets = rng() % 4 == 0 ? 1 : 0;
      r.correct_spelling = false;
      r.exact_total = true;
      switch (q) {
        case Query::kStamp:
          r.query = "stamp";
          break;
        case Query::kTopic:
          r.query = "stamp";
          r.topics = {"color" + std::to_string(arg)};
          break;
        case Query::kBrowse:
          r.facets = {"topic"};
          r.facet_limit = 0;
          if (rng() % 2) r.sort = dossier::SortOrder::kOldest;
          break;
        case Query::kParity:
          r.query = "manifestdoc OR " + std::string(arg % 2 ? "parityodd" : "parityeven");
          break;
      }
      const int parity_arg = arg % 2;
      try {
        const auto res = searcher.search(r);
        std::vector<SeenHit> hits;
        for (const auto& h : res.hits) hits.push_back({h.id, h.summary, h.section.count});
        std::map<std::string, std::size_t> facet;
        if (q == Query::kBrowse) {
          for (const auto& f : res.facets) {
            for (const auto& v : f.values) facet[v.value] = v.count;
          }
        }
        Manifest m;
        auto problem = check(q, q == Query::kParity ? parity_arg : arg, hits, m,
                             q == Query::kBrowse ? &facet : nullptr);
        if (problem.empty() && (!res.total.exact || res.total.estimate != hits.size())) {
          problem = "rev " + std::to_string(m.rev) + ": total " +
                    std::to_string(res.total.estimate) + (res.total.exact ? "" : " (estimate)") +
                    " but " + std::to_string(hits.size()) + " hits";
        }
        if (!problem.empty()) {
          sh.inconsistent.fetch_add(1);
          sh.note("reader " + std::to_string(id) + " query " + std::to_string(int(q)) + ": " +
                  problem);
        } else {
          if (m.rev < last_rev) {
            sh.stale_reads.fetch_add(1);
            sh.note("reader " + std::to_string(id) + ": revision " + std::to_string(m.rev) +
                    " after " + std::to_string(last_rev));
          }
          last_rev = std::max(last_rev, m.rev);
          seen.insert(m.rev);
        }
      } catch (const dossier::Error& e) {
        sh.errors.fetch_add(1);
        sh.note("reader " + std::to_string(id) + " search: dossier::Error(" +
                    std::string(dossier::to_string(e.code())) + "): " + e.what(),
                'e');
      } catch (...) {  // the library promises dossier::Error only
        sh.errors.fetch_add(1);
        sh.note("reader " + std::to_string(id) +
                    " search: an exception other than "
                    "dossier::Error escaped Searcher::search: " +
                    current_exception_name(),
                'e');
      }
      const bool reopen = rng() % 50 == 0;
      const char* what = reopen ? " Searcher::open: " : " Searcher::refresh: ";
      try {
        if (reopen) {
          searcher = dossier::Searcher::open(o.work / "db");  // a fresh one
        } else if (rng() % 2 == 0) {
          searcher.refresh();
          sh.refreshes.fetch_add(1);
        }
      } catch (const dossier::Error& e) {
        sh.errors.fetch_add(1);
        sh.note("reader " + std::to_string(id) + what + "dossier::Error(" +
                    std::string(dossier::to_string(e.code())) + "): " + e.what(),
                'e');
      } catch (...) {
        sh.errors.fetch_add(1);
        sh.note("reader " + std::to_string(id) + what +
                    "an exception other than "
                    "dossier::Error escaped: " +
                    current_exception_name(),
                'e');
      }
    }
  } catch (const std::exception& e) {
    sh.errors.fetch_add(1);
    sh.note("reader " + std::to_string(id) + " open: " + e.what(), 'e');
  } catch (...) {
    sh.errors.fetch_add(1);
    sh.note("reader " + std::to_string(id) + " open: " + current_exception_name(), 'e');
  }
  std::lock_guard lock(sh.mutex);
  sh.revisions.insert(seen.begin(), seen.end());
}

// Minimal reader of dossier-search --format jsonl output (compact JSON; ids and summaries here
// contain no quotes or escapes).
std::vector<SeenHit> parse_cli(const std::string& out, bool& ok, std::string& total) {
  std::vector<SeenHit> hits;
  ok = false;
  const auto hp = out.find("\"hits\":[");
  const auto tp = out.find("\"total\":{");
  if (hp == std::string::npos || tp == std::string::npos) return hits;
  total = out.substr(tp, out.find('}', tp) - tp + 1);
  std::size_t at = hp;
  while ((at = out.find("{\"id\":\"", at)) != std::string::npos) {
    SeenHit h;
    const auto b = at + 7;
    h.id = out.substr(b, out.find('"', b) - b);
    const auto sp = out.find("\"summary\":", b);
    if (sp == std::string::npos) return hits;
    if (out.compare(sp + 10, 1, "\"") == 0) {
      h.summary = out.substr(sp + 11, out.find('"', sp + 11) - sp - 11);
    }
    const auto cp = out.find("\"count\":", out.find("\"section\":", b));
    if (cp == std::string::npos) return hits;
    h.section_count = std::strtoul(out.c_str() + cp + 8, nullptr, 10);
    hits.push_back(h);
    at = b;
  }
  ok = true;
  return hits;
}

void cli_reader(const Options& o, Shared& sh) {
  std::mt19937 rng(o.seed * 7 + 3);
  const std::string bin = o.cli_bin + "/dossier-search --db '" + (o.work / "db").string() +
                          "' --format jsonl --limit 1000 --snippets 0 --no-correct --exact ";
  for (long n = 0; n < o.cli_searches && !sh.stop.load(); ++n) {
    // Keep pace with the library readers so the CLI searches spread over the commits.
    while (!sh.stop.load() && o.searches > 0 &&
           static_cast<double>(n) / static_cast<double>(o.cli_searches) >
               static_cast<double>(sh.searches.load()) / static_cast<double>(o.searches)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const int arg = static_cast<int>(rng() % 5);
    const bool topic = rng() % 2 == 0;
    const std::string cmd =
        bin + (topic ? "--topic color" + std::to_string(arg) + " " : "") + "stamp 2>&1";
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) {
      sh.errors.fetch_add(1);
      sh.note("cli: popen failed", 'e');
      continue;
    }
    char buf[65536];
    std::size_t got = 0;
    while ((got = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, got);
    const int status = ::pclose(p);
    sh.cli_searches.fetch_add(1);
    bool ok = false;
    std::string total;
    const auto hits = parse_cli(out, ok, total);
    if (status != 0 || !ok) {
      sh.errors.fetch_add(1);
      sh.note("cli: status " + std::to_string(status) + ": " + out.substr(0, 300), 'e');
      continue;
    }
    Manifest m;
    auto problem = check(topic ? Query::kTopic : Query::kStamp, arg, hits, m, nullptr);
    if (problem.empty() &&
        total.find("\"estimate\":" + std::to_string(hits.size()) + ",") == std::string::npos) {
      problem = "total " + total + " but " + std::to_string(hits.size()) + " hits";
    }
    if (!problem.empty()) {
      sh.inconsistent.fetch_add(1);
      sh.note("cli: " + problem);
    } else {
      std::lock_guard lock(sh.mutex);
      sh.revisions.insert(m.rev);
    }
  }
}

int run(const Options& o) {
  const auto src = o.work / "src";
  const auto db = o.work / "db";
  fs::remove_all(o.work);
  fs::create_directories(src);
  std::mt19937 rng(o.seed);
  Manifest state;
  state.rev = 0;
  for (int j = 0; j < kSlots; ++j) {
    if (rng() % 3 != 0) state.live[j] = 0;
  }
  for (const auto& [j, g] : state.live) {
    write_file(src / ("art-" + std::to_string(j) + ".md"), article_text(j, g));
  }
  write_file(src / "manifest.md", manifest_text(state));

  dossier::IndexOptions io;
  io.jobs = 2;
  // Waiting for the lock matters when the writer is re-opened: a child the CLI thread has
  // just forked may still share the lock's file description for a moment.
  io.lock_wait = std::chrono::milliseconds(10000);
  io.commit_every = o.commit_every;  // default one commit per run: each revision consistent
  dossier::CorpusConfig config;
  Shared sh;
  long writer_errors = 0;
  long report_mismatches = 0;
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t removed = 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto writer = std::make_unique<dossier::IndexWriter>(dossier::IndexWriter::open(db, config, io));
  {
    const auto rep = writer->index({src});
    if (rep.added != state.live.size() + 1 || !rep.failed.empty()) {
      std::cerr << "initial run: " << rep.added << " added, " << rep.failed.size() << " failed\n";
      return 2;
    }
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < o.readers; ++i) threads.emplace_back(reader, i, std::cref(o), std::ref(sh));
  std::thread cli;
  if (o.cli_searches > 0) cli = std::thread(cli_reader, std::cref(o), std::ref(sh));

  for (int k = 1; k <= o.commits; ++k) {
    // Spread the commits over the searches.
    while (sh.searches.load() < (k - 1) * o.searches / o.commits &&
           sh.searches.load() < o.searches) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::vector<int> live;
    std::vector<int> dead;
    for (int j = 0; j < kSlots; ++j) (state.live.count(j) ? live : dead).push_back(j);
    std::shuffle(live.begin(), live.end(), rng);
    std::shuffle(dead.begin(), dead.end(), rng);
    const std::size_t n_del = std::min<std::size_t>(live.size() / 4, rng() % 4);
    const std::size_t n_add = std::min<std::size_t>(dead.size(), rng() % 4);
    const std::size_t n_mod = std::min<std::size_t>(live.size() - n_del, 1 + rng() % 6);
    for (std::size_t i = 0; i < n_del; ++i) {
      fs::remove(src / ("art-" + std::to_string(live[i]) + ".md"));
      state.live.erase(live[i]);
    }
    for (std::size_t i = 0; i < n_mod; ++i) {
      const int j = live[n_del + i];
      state.live[j] = k;
      write_file(src / ("art-" + std::to_string(j) + ".md"), article_text(j, k));
    }
    for (std::size_t i = 0; i < n_add; ++i) {
      state.live[dead[i]] = k;
      write_file(src / ("art-" + std::to_string(dead[i]) + ".md"), article_text(dead[i], k));
    }
    state.rev = k;
    write_file(src / "manifest.md", manifest_text(state));
    try {
      if (k % 25 == 0) {  // now and then a new writer (the lock is released and taken again)
        writer.reset();
        writer = std::make_unique<dossier::IndexWriter>(dossier::IndexWriter::open(db, config, io));
      }
      const auto rep = writer->index({src});
      added += rep.added;
      updated += rep.updated;
      removed += rep.removed;
      if (rep.added != n_add || rep.updated != n_mod + 1 || rep.removed != n_del ||
          !rep.failed.empty()) {
        ++report_mismatches;
        sh.note("writer run " + std::to_string(k) + ": reported " + std::to_string(rep.added) +
                "/" + std::to_string(rep.updated) + "/" + std::to_string(rep.removed) +
                " added/updated/removed, expected " + std::to_string(n_add) + "/" +
                std::to_string(n_mod + 1) + "/" + std::to_string(n_del) + ", " +
                std::to_string(rep.failed.size()) + " failed");
      }
    } catch (const std::exception& e) {
      ++writer_errors;
      sh.note("writer run " + std::to_string(k) + ": " + e.what(), 'e');
    }
  }
  const double writer_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto& t : threads) t.join();
  if (cli.joinable()) cli.join();
  writer.reset();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // The final index must be the final state, checked the same way.
  long final_problems = 0;
  try {
    auto s = dossier::Searcher::open(db);
    dossier::SearchRequest r;
    r.query = "stamp";
    r.limit = 1000;
    r.snippets = 0;
    r.exact_total = true;
    const auto res = s.search(r);
    std::vector<SeenHit> hits;
    for (const auto& h : res.hits) hits.push_back({h.id, h.summary, h.section.count});
    Manifest m;
    const auto problem = check(Query::kStamp, 0, hits, m, nullptr);
    if (!problem.empty() || m.rev != o.commits || m.live != state.live) {
      ++final_problems;
      sh.note("final index: " + (problem.empty() ? "not the final state" : problem));
    }
  } catch (const std::exception& e) {
    ++final_problems;
    sh.note(std::string("final index: ") + e.what());
  }

  const long total = sh.searches.load() + sh.cli_searches.load();
  std::cout << "readers during writes: " << o.commits << " commits (" << added << " added, "
            << updated << " updated, " << removed << " removed), " << o.readers
            << " reader threads: " << sh.searches.load() << " library searches + "
            << sh.cli_searches.load() << " CLI searches = " << total << "; " << sh.errors.load()
            << " errors, " << sh.inconsistent.load() << " inconsistent results, "
            << sh.stale_reads.load() << " stale reads, " << sh.revisions.size()
            << " distinct revisions seen, " << sh.refreshes.load() << " refreshes, "
            << writer_errors << " writer errors, " << report_mismatches << " report mismatches, "
            << final_problems << " final-state problems; " << seconds << " s (writer "
            << writer_seconds << " s)\n";
  for (const auto& m : sh.messages) std::cout << "  " << m << "\n";
  if (!o.json.empty()) {
    std::ofstream j(o.json);
    j << "{\"commits\": " << o.commits << ", \"readers\": " << o.readers
      << ", \"library_searches\": " << sh.searches.load()
      << ", \"cli_searches\": " << sh.cli_searches.load() << ", \"searches\": " << total
      << ", \"errors\": " << sh.errors.load() << ", \"inconsistent\": " << sh.inconsistent.load()
      << ", \"stale_reads\": " << sh.stale_reads.load()
      << ", \"revisions_seen\": " << sh.revisions.size()
      << ", \"refreshes\": " << sh.refreshes.load() << ", \"writer_errors\": " << writer_errors
      << ", \"report_mismatches\": " << report_mismatches
      << ", \"final_problems\": " << final_problems << ", \"added\": " << added
      << ", \"updated\": " << updated << ", \"removed\": " << removed
      << ", \"seconds\": " << seconds << "}\n";
  }
  const bool bad = sh.errors.load() + sh.inconsistent.load() + sh.stale_reads.load() +
                       writer_errors + report_mismatches + final_problems >
                   0;
  return bad ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--work")
      o.work = next();
    else if (a == "--readers")
      o.readers = std::stoi(next());
    else if (a == "--searches")
      o.searches = std::stol(next());
    else if (a == "--commits")
      o.commits = std::stoi(next());
    else if (a == "--cli-bin")
      o.cli_bin = next();
    else if (a == "--cli-searches")
      o.cli_searches = std::stol(next());
    else if (a == "--seed")
      o.seed = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--json")
      o.json = next();
    else if (a == "--commit-every")
      o.commit_every = std::stoul(next());
    else {
      std::cerr << "usage: readers_writers --work DIR [--readers N] [--searches N] "
                   "[--commits N] [--cli-bin DIR --cli-searches N] [--seed S] [--json FILE]\n";
      return 2;
    }
  }
  if (o.work.empty() || o.commits < 1) {
    std::cerr << "readers_writers: --work DIR is required\n";
    return 2;
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::cerr << "readers_writers: " << e.what() << "\n";
    return 2;
  }
}
