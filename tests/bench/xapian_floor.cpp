// dossier-xapian-floor: how long Xapian alone takes to write what dossier-index writes.
//
//   dossier-xapian-floor --db INDEX --work DIR --text-bytes N [--shards 2] [--commit-every 1000]
//                        [--variant all|full|no-positions|no-data|no-spelling|terms-only]
//
// Loads every document of an existing Dossier index into memory (terms with their wdf and
// positions, values, stored data) and its spelling dictionary, then writes them again the way a
// `dossier-index --full` rebuild does: one thread and one WritableDatabase (DB_NO_SYNC) per
// shard, a commit every --commit-every documents per shard, the spelling dictionary added at the
// end, and the shards merged by Database::compact. No parsing, no analysis, no Dossier code on
// the clock: the figures are the floor that Xapian 1.4's glass backend sets on this machine for
// this index content. Variants drop one part of the content (positions, stored data, spelling)
// to show what each costs. A benchmark, not a test: it measures and exits 0 (1 on an error,
// 2 on a usage error). Output: one JSON object per variant on stdout.
#include <xapian.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kUsage =
    "usage: dossier-xapian-floor --db INDEX --work DIR --text-bytes N [--shards N]\n"
    "                            [--commit-every N]\n"
    "                            [--variant all|full|no-positions|no-data|no-spelling|"
    "terms-only]\n";

struct Term {
  std::string name;
  Xapian::termcount wdf = 0;
  std::vector<Xapian::termpos> positions;
};

struct Doc {
  std::vector<Term> terms;
  std::vector<std::pair<Xapian::valueno, std::string>> values;
  std::string data;
};

struct Variant {
  std::string name;
  bool positions = true;
  bool data = true;
  bool spelling = true;
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

Xapian::Document make_document(const Doc& doc, const Variant& variant) {
  Xapian::Document out;
  for (const auto& term : doc.terms) {
    if (variant.positions) {
      for (const auto pos : term.positions) out.add_posting(term.name, pos, 0);
    }
    out.add_term(term.name, term.wdf);  // add_posting with increment 0 left the wdf at 0
  }
  for (const auto& [slot, value] : doc.values) out.add_value(slot, value);
  if (variant.data) out.set_data(doc.data);
  return out;
}

std::uint64_t folder_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_path;
  std::string work;
  std::string variant_name = "all";
  std::uint64_t text_bytes = 0;
  unsigned shards = 2;
  std::size_t commit_every = 1000;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    // A positive decimal number, or a usage error (std::stoull would accept "-5" and throw on
    // "abc").
    auto number = [&]() -> std::uint64_t {
      const std::string text = next();
      std::uint64_t value = 0;
      for (const char c : text) {
        if (c < '0' || c > '9' || value > (UINT64_MAX - 9) / 10) {
          std::cerr << "dossier-xapian-floor: " << arg << " wants a positive number, not '" << text
                    << "'\n"
                    << kUsage;
          std::exit(2);
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
      }
      return value;
    };
    if (arg == "--db") {
      db_path = next();
    } else if (arg == "--work") {
      work = next();
    } else if (arg == "--text-bytes") {
      text_bytes = number();
    } else if (arg == "--shards") {
      shards = static_cast<unsigned>(std::min<std::uint64_t>(number(), 64));
    } else if (arg == "--commit-every") {
      commit_every = static_cast<std::size_t>(number());
    } else if (arg == "--variant") {
      variant_name = next();
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (db_path.empty() || work.empty() || text_bytes == 0 || shards == 0 || commit_every == 0) {
    std::cerr << kUsage;
    return 2;
  }
  std::vector<Variant> variants;
  const std::vector<Variant> known = {{"full", true, true, true},
                                      {"no-positions", false, true, true},
                                      {"no-data", true, false, true},
                                      {"no-spelling", true, true, false},
                                      {"terms-only", false, false, false}};
  for (const auto& v : known) {
    if (variant_name == "all" || variant_name == v.name) variants.push_back(v);
  }
  if (variants.empty()) {
    std::cerr << kUsage;
    return 2;
  }

  try {
    // Load everything first: nothing below reads the source index.
    std::vector<Doc> docs;
    std::vector<std::pair<std::string, Xapian::termcount>> spellings;
    {
      Xapian::Database source(db_path);
      docs.reserve(source.get_doccount());
      for (auto id = source.postlist_begin(""); id != source.postlist_end(""); ++id) {
        const auto document = source.get_document(*id);
        Doc doc;
        for (auto t = document.termlist_begin(); t != document.termlist_end(); ++t) {
          Term term{*t, t.get_wdf(), {}};
          for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
            term.positions.push_back(*p);
          }
          doc.terms.push_back(std::move(term));
        }
        for (auto v = document.values_begin(); v != document.values_end(); ++v) {
          doc.values.emplace_back(v.get_valueno(), *v);
        }
        doc.data = document.get_data();
        docs.push_back(std::move(doc));
      }
      for (auto s = source.spellings_begin(); s != source.spellings_end(); ++s) {
        spellings.emplace_back(*s, s.get_termfreq());
      }
    }

    for (const auto& variant : variants) {
      const fs::path root = fs::path(work) / ("floor-" + variant.name);
      fs::remove_all(root);
      fs::create_directories(root);
      // Documents are built before the clock starts, as a worker hands them to a shard.
      std::vector<std::vector<Xapian::Document>> per_shard(shards);
      for (std::size_t i = 0; i < docs.size(); ++i) {
        per_shard[(i / commit_every) % shards].push_back(make_document(docs[i], variant));
      }
      const double cpu_start = cpu_seconds();
      const auto start = std::chrono::steady_clock::now();
      std::vector<std::thread> threads;
      std::vector<std::exception_ptr> errors(shards);
      for (unsigned s = 0; s < shards; ++s) {
        threads.emplace_back([&, s] {
          try {
            Xapian::WritableDatabase db(
                (root / ("shard" + std::to_string(s))).string(),
                Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
            std::size_t pending = 0;
            for (const auto& doc : per_shard[s]) {
              db.add_document(doc);
              if (++pending >= commit_every) {
                db.commit();
                pending = 0;
              }
            }
            if (variant.spelling) {
              // Each shard adds the words of its own documents; here each adds half the
              // dictionary, which compaction merges.
              for (std::size_t w = s; w < spellings.size(); w += shards) {
                db.add_spelling(spellings[w].first, spellings[w].second);
              }
            }
            db.commit();
            db.close();
          } catch (...) {
            errors[s] = std::current_exception();
          }
        });
      }
      for (auto& t : threads) t.join();
      for (const auto& e : errors) {
        if (e) std::rethrow_exception(e);
      }
      const auto shards_done = std::chrono::steady_clock::now();
      {
        Xapian::Database sources;
        for (unsigned s = 0; s < shards; ++s) {
          sources.add_database(Xapian::Database((root / ("shard" + std::to_string(s))).string()));
        }
        sources.compact((root / "merged").string(), Xapian::Compactor::STANDARD);
      }
      const auto end = std::chrono::steady_clock::now();
      const double cpu = cpu_seconds() - cpu_start;
      const double write_s = std::chrono::duration<double>(shards_done - start).count();
      const double merge_s = std::chrono::duration<double>(end - shards_done).count();
      const double total_s = write_s + merge_s;
      const auto size = folder_bytes(root / "merged");
      std::printf(
          "{\"variant\":\"%s\",\"docs\":%zu,\"shards\":%u,\"commit_every\":%zu,"
          "\"write_s\":%.2f,\"merge_s\":%.2f,\"wall_s\":%.2f,\"cpu_s\":%.2f,"
          "\"text_mb_per_s\":%.2f,\"index_mb\":%.1f,\"size_ratio\":%.2f}\n",
          variant.name.c_str(), docs.size(), shards, commit_every, write_s, merge_s, total_s, cpu,
          static_cast<double>(text_bytes) / 1e6 / total_s, static_cast<double>(size) / 1e6,
          static_cast<double>(size) / static_cast<double>(text_bytes));
      std::fflush(stdout);
      fs::remove_all(root);
    }
  } catch (const Xapian::Error& e) {
    std::cerr << "dossier-xapian-floor: " << e.get_description() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "dossier-xapian-floor: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
