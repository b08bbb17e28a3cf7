// dossier-query-bench: per-query latency of dossier::Searcher::search over a query file, for the
// requested settings and for variants that isolate the cost of snippets and of facets.
//
//   dossier-query-bench --db DIR --queries FILE [--limit 10] [--snippets 3]
//                       [--facets author,org,topic,type] [--warmup N] [--variants all|none]
//                       [--json OUT]
//
// A benchmark, not a test: it measures and exits 0 (1 when the index cannot be opened or a
// query fails with something other than dossier::Error, 2 on a usage error). Only the public
// API is used, so the figures are what an embedding program sees.
#include <dossier/error.hpp>
#include <dossier/search.hpp>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

constexpr std::string_view kUsage =
    "usage: dossier-query-bench --db DIR --queries FILE [--limit N] [--snippets N]\n"
    "                           [--facets LIST|none] [--warmup N] [--variants all|none]\n"
    "                           [--json OUT]\n";
constexpr std::size_t kSlowestKept = 10;  // slowest queries listed per variant in the JSON
constexpr std::size_t kErrorsKept = 5;    // distinct error messages kept per variant

struct Options {
  std::string db;
  std::string queries;
  std::size_t limit = 10;
  std::size_t snippets = 3;
  std::vector<std::string> facets{"author", "org", "topic", "type"};
  std::size_t warmup = 20;
  bool variants = true;
  std::string json;
};

// One configuration to measure.
struct Variant {
  std::string name;
  std::size_t limit = 10;
  std::size_t snippets = 0;
  std::vector<std::string> facets;
};

struct Figures {
  Variant variant;
  std::vector<double> ms;      // latency of each query that answered, in query order
  std::vector<double> cpu_ms;  // this thread's CPU time for the same queries
  std::size_t errors = 0;
  std::map<std::string, std::size_t> error_messages;  // first kErrorsKept distinct messages
  double hits_sum = 0;
  double total_sum = 0;
  std::vector<std::pair<double, std::string>> slowest;  // (ms, query), slowest first
  double wall_s = 0;  // sum of its queries' wall times, errors included
};

// This thread's CPU time: on a busy machine it shows the work a query does, without the time
// spent waiting for a core, which wall time includes.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "dossier-query-bench: error: " << message << "\n" << kUsage;
  std::exit(2);
}

std::size_t parse_size(const std::string& option, const std::string& value) {
  std::size_t used = 0;
  unsigned long long n = 0;
  try {
    n = std::stoull(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || value.empty() || value[0] == '-') {
    usage_error(option + " wants a non-negative integer, not '" + value + "'");
  }
  return static_cast<std::size_t>(n);
}

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> out;
  if (value == "none" || value.empty()) return out;
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto end = std::min(value.find(',', start), value.size());
    if (end > start) out.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Options parse_options(int argc, char** argv) {
  Options o;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= args.size()) usage_error("unknown option or missing value: " + a);
    const auto& v = args[++i];
    if (a == "--db") {
      o.db = v;
    } else if (a == "--queries") {
      o.queries = v;
    } else if (a == "--limit") {
      o.limit = parse_size(a, v);
    } else if (a == "--snippets") {
      o.snippets = parse_size(a, v);
    } else if (a == "--facets") {
      o.facets = split_list(v);
    } else if (a == "--warmup") {
      o.warmup = parse_size(a, v);
    } else if (a == "--variants") {
      if (v != "all" && v != "none") usage_error("--variants wants all or none, not '" + v + "'");
      o.variants = v == "all";
    } else if (a == "--json") {
      o.json = v;
    } else {
      usage_error("unknown option: " + a);
    }
  }
  if (o.db.empty() || o.queries.empty()) usage_error("--db and --queries are required");
  return o;
}

std::vector<std::string> read_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "dossier-query-bench: error: cannot read " << path << "\n";
    std::exit(2);
  }
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) out.push_back(line);
  }
  return out;
}

dossier::SearchRequest request_for(const Variant& v, const std::string& query) {
  dossier::SearchRequest r;
  r.query = query;
  r.limit = v.limit;
  r.snippets = v.snippets;
  r.facets = v.facets;
  return r;
}

// Runs every query under every variant, interleaved: query i runs the variants in an order
// rotated by i, so that a change in machine load during the run, and the warm cache a query
// leaves for the next variant, fall on all variants alike instead of on whichever ran last.
std::vector<Figures> measure(dossier::Searcher& searcher, const std::vector<std::string>& queries,
                             const std::vector<Variant>& variants, std::size_t warmup) {
  using Clock = std::chrono::steady_clock;
  const std::size_t n = variants.size();
  // Warm-up: the first queries, untimed, so that the index's hot blocks are in the page cache
  // and the searcher's caches are filled before anything is timed.
  for (std::size_t i = 0; i < std::min(warmup, queries.size()); ++i) {
    for (const auto& v : variants) {
      try {
        static_cast<void>(searcher.search(request_for(v, queries[i])));
      } catch (const dossier::Error&) {
      }
    }
  }
  std::vector<Figures> out(n);
  std::vector<std::vector<std::pair<double, std::string>>> timed(n);
  for (std::size_t j = 0; j < n; ++j) {
    out[j].variant = variants[j];
    out[j].ms.reserve(queries.size());
    out[j].cpu_ms.reserve(queries.size());
  }
  for (std::size_t i = 0; i < queries.size(); ++i) {
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t j = (i + k) % n;
      auto& f = out[j];
      const auto request = request_for(variants[j], queries[i]);
      const double cpu_start = thread_cpu_ms();
      const auto start = Clock::now();
      try {
        const auto results = searcher.search(request);
        const auto stop = Clock::now();
        f.cpu_ms.push_back(thread_cpu_ms() - cpu_start);
        const double ms = std::chrono::duration<double, std::milli>(stop - start).count();
        f.ms.push_back(ms);
        f.wall_s += ms / 1000.0;
        timed[j].emplace_back(ms, queries[i]);
        f.hits_sum += static_cast<double>(results.hits.size());
        f.total_sum += static_cast<double>(results.total.estimate);
      } catch (const dossier::Error& e) {
        f.wall_s += std::chrono::duration<double>(Clock::now() - start).count();
        ++f.errors;
        if (f.error_messages.size() < kErrorsKept || f.error_messages.count(e.what()) != 0) {
          ++f.error_messages[e.what()];
        }
      }
    }
  }
  for (std::size_t j = 0; j < n; ++j) {
    auto& all = timed[j];
    const auto keep = std::min(kSlowestKept, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    all.resize(keep);
    out[j].slowest = std::move(all);
  }
  return out;
}

// Nearest-rank percentile of sorted values (p in (0, 100]).
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

struct Summary {
  std::size_t count = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0, mean = 0, qps = 0, mean_hits = 0, mean_total = 0;
  double cpu_p50 = 0, cpu_p99 = 0, cpu_mean = 0;
};

Summary summarise(const Figures& f) {
  Summary s;
  auto sorted = f.ms;
  std::sort(sorted.begin(), sorted.end());
  s.count = sorted.size();
  if (sorted.empty()) return s;
  const double sum = std::accumulate(sorted.begin(), sorted.end(), 0.0);
  s.p50 = percentile(sorted, 50);
  auto cpu = f.cpu_ms;
  std::sort(cpu.begin(), cpu.end());
  s.cpu_p50 = percentile(cpu, 50);
  s.cpu_p99 = percentile(cpu, 99);
  s.cpu_mean = std::accumulate(cpu.begin(), cpu.end(), 0.0) / static_cast<double>(cpu.size());
  s.p95 = percentile(sorted, 95);
  s.p99 = percentile(sorted, 99);
  s.max = sorted.back();
  s.mean = sum / static_cast<double>(s.count);
  // Throughput of answered queries in one thread: answered count over the time they took.
  s.qps = sum > 0 ? static_cast<double>(s.count) / (sum / 1000.0) : 0;
  s.mean_hits = f.hits_sum / static_cast<double>(s.count);
  s.mean_total = f.total_sum / static_cast<double>(s.count);
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out.empty() ? "none" : out;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(u));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", x);
  return buf;
}

std::string json_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i != 0) out += ',';
    out += json_string(v[i]);
  }
  return out + "]";
}

void write_json(const std::string& path, const Options& o, std::size_t query_count, double open_ms,
                const std::vector<Figures>& all) {
  std::ofstream out(path);
  out << "{\"benchmark\":\"query\",\"db\":" << json_string(o.db)
      << ",\"queries_file\":" << json_string(o.queries) << ",\"queries\":" << query_count
      << ",\"warmup\":" << o.warmup << ",\"open_ms\":" << json_number(open_ms) << ",\"variants\":[";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& f = all[i];
    const auto s = summarise(f);
    out << (i ? ",\n" : "\n") << "{\"name\":" << json_string(f.variant.name)
        << ",\"limit\":" << f.variant.limit << ",\"snippets\":" << f.variant.snippets
        << ",\"facets\":" << json_list(f.variant.facets) << ",\"count\":" << s.count
        << ",\"errors\":" << f.errors << ",\"p50_ms\":" << json_number(s.p50)
        << ",\"p95_ms\":" << json_number(s.p95) << ",\"p99_ms\":" << json_number(s.p99)
        << ",\"max_ms\":" << json_number(s.max) << ",\"mean_ms\":" << json_number(s.mean)
        << ",\"queries_per_s\":" << json_number(s.qps)
        << ",\"mean_hits\":" << json_number(s.mean_hits)
        << ",\"mean_total\":" << json_number(s.mean_total)
        << ",\"cpu_p50_ms\":" << json_number(s.cpu_p50)
        << ",\"cpu_p99_ms\":" << json_number(s.cpu_p99)
        << ",\"cpu_mean_ms\":" << json_number(s.cpu_mean) << ",\"wall_s\":" << json_number(f.wall_s)
        << ",\"slowest\":[";
    for (std::size_t k = 0; k < f.slowest.size(); ++k) {
      out << (k ? "," : "") << "{\"ms\":" << json_number(f.slowest[k].first)
          << ",\"query\":" << json_string(f.slowest[k].second) << "}";
    }
    out << "],\"error_messages\":{";
    std::size_t k = 0;
    for (const auto& [message, n] : f.error_messages) {
      out << (k++ ? "," : "") << json_string(message) << ":" << n;
    }
    out << "}}";
  }
  out << "\n]}\n";
  if (!out) {
    std::cerr << "dossier-query-bench: error: cannot write " << path << "\n";
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = parse_options(argc, argv);
  const auto queries = read_queries(o.queries);
  if (queries.empty()) usage_error(o.queries + " has no queries");

  std::vector<Variant> variants{{"requested", o.limit, o.snippets, o.facets}};
  if (o.variants) {
    const std::vector<std::string> four{"author", "org", "topic", "type"};
    variants.push_back({"(a) no snippets/facets", o.limit, 0, {}});
    variants.push_back({"(b) snippets only", o.limit, o.snippets, {}});
    variants.push_back({"(c) facets only", o.limit, 0, four});
    variants.push_back({"(d) snippets+4 facets", o.limit, o.snippets, four});
  }

  std::vector<Figures> all;
  double open_ms = 0;  // Searcher::open, which every CLI process pays before its query
  try {
    const auto open_start = std::chrono::steady_clock::now();
    auto searcher = dossier::Searcher::open(o.db);
    open_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - open_start)
            .count();
    const auto info = searcher.info();
    std::printf(
        "index: %s (%zu articles, %zu sections), opened in %.2f ms; %zu queries, warm-up %zu "
        "per variant\n",
        o.db.c_str(), info.articles, info.sections, open_ms, queries.size(), o.warmup);
    // The requested settings usually equal one variant: measure it once, report it twice.
    const auto same_settings = [](const Variant& a, const Variant& b) {
      return a.limit == b.limit && a.snippets == b.snippets && a.facets == b.facets;
    };
    std::vector<Variant> distinct;
    std::vector<std::size_t> measured_as;  // variants[i] is distinct[measured_as[i]]
    for (const auto& v : variants) {
      const auto it = std::find_if(distinct.begin(), distinct.end(),
                                   [&](const Variant& d) { return same_settings(d, v); });
      measured_as.push_back(static_cast<std::size_t>(it - distinct.begin()));
      if (it == distinct.end()) distinct.push_back(v);
    }
    const auto figures = measure(searcher, queries, distinct, o.warmup);
    for (std::size_t i = 0; i < variants.size(); ++i) {
      Figures f = figures[measured_as[i]];
      if (f.variant.name != variants[i].name) {
        f.variant.name = variants[i].name + " =" + f.variant.name;
      }
      all.push_back(std::move(f));
    }
  } catch (const dossier::Error& e) {
    std::cerr << "dossier-query-bench: error: " << e.what() << "\n";
    return 1;
  }

  std::printf("%-44s %5s %4s %8s %8s %8s %8s %8s %8s %8s %7s %5s %8s\n",
              "variant [limit/snippets/facets]", "n", "err", "p50 ms", "p95 ms", "p99 ms", "max ms",
              "mean ms", "cpu p50", "cpu p99", "q/s", "hits", "matches");
  for (const auto& f : all) {
    const auto s = summarise(f);
    const auto label = f.variant.name + " [" + std::to_string(f.variant.limit) + "/" +
                       std::to_string(f.variant.snippets) + "/" + join(f.variant.facets) + "]";
    std::printf("%-44s %5zu %4zu %8.3f %8.3f %8.3f %8.2f %8.3f %8.3f %8.3f %7.0f %5.2f %8.1f\n",
                label.c_str(), s.count, f.errors, s.p50, s.p95, s.p99, s.max, s.mean, s.cpu_p50,
                s.cpu_p99, s.qps, s.mean_hits, s.mean_total);
  }
  // Errors depend on the query, not on snippets or facets: the first variant's stand for all.
  for (const auto& [message, n] : all.front().error_messages) {
    std::printf("errors: %zu x %s\n", n, message.c_str());
  }
  if (!all.empty() && !all.front().slowest.empty()) {
    std::printf("slowest (requested):");
    for (std::size_t k = 0; k < std::min<std::size_t>(5, all.front().slowest.size()); ++k) {
      std::printf(" %.1f ms '%s';", all.front().slowest[k].first,
                  all.front().slowest[k].second.c_str());
    }
    std::printf("\n");
  }
  if (!o.json.empty()) write_json(o.json, o, queries.size(), open_ms, all);
  return 0;
}
