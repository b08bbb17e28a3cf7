// dossier-index: turns commentary files into a Dossier index. Options -> library -> printing.
#include <dossier/dossier.hpp>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <pthread.h>
#include <unistd.h>
#include <csignal>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stop_token>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// Exit statuses, documented in docs/indexer.md.
constexpr int kExitOk = 0;
constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFatal = 3;

constexpr const char* kUsage =
    "Usage: dossier-index --db DIR [OPTIONS] PATH...     index files and folders\n"
    "       dossier-index --db DIR --stats | --compact | --explain-topics ID\n"
    "       dossier-index --inspect [OPTIONS] PATH...    parse only, print articles as JSON\n"
    "       dossier-index --help | --version";

struct Options {
  std::vector<std::string> paths;
  std::string db;
  std::string config;
  std::string format = "auto";
  std::string explain_topics;
  long long jobs = 0;
  long long title_weight = dossier::IndexOptions{}.title_weight;
  bool inspect = false;
  bool stats = false;
  bool compact = false;
  bool full = false;
  bool wait = false;
  bool json = false;
  bool no_sidecars = false;
  bool quiet = false;
};

// One diagnostic line for a terminal or a log: control characters (a newline in a file name)
// are escaped, so that each diagnostic stays on one line.
std::string one_line(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20U || byte == 0x7fU) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

// JSON for stdout: bytes that are not UTF-8 (a file name) become U+FFFD instead of an error.
std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int inspect(const Options& options) {
  dossier::CorpusConfig config;
  if (!options.config.empty()) config = dossier::CorpusConfig::load(options.config);
  dossier::IngestOptions ingest;
  ingest.format = *dossier::parse_format(options.format);
  ingest.use_sidecars = !options.no_sidecars;

  // The same walk as indexing: the same files, and each unreadable folder named.
  const auto inputs = dossier::find_inputs(
      std::vector<fs::path>(options.paths.begin(), options.paths.end()), ingest);
  bool rejected = false;
  for (const auto& d : inputs.diagnostics) {
    if (d.severity == dossier::Diagnostic::Severity::kError) rejected = true;
    if (!options.quiet || d.severity == dossier::Diagnostic::Severity::kError) {
      std::cerr << one_line(dossier::to_string(d)) << "\n";
    }
  }

  for (const auto& file : inputs.files) {
    const auto result = dossier::ingest_file(file, config, ingest);
    for (const auto& d : result.diagnostics) {
      if (d.severity == dossier::Diagnostic::Severity::kError) rejected = true;
      if (!options.quiet || d.severity == dossier::Diagnostic::Severity::kError) {
        std::cerr << one_line(dossier::to_string(d)) << "\n";
      }
    }
    for (const auto& article : result.articles) {
      std::cout << dossier::to_json(article) << "\n";
      if (!options.quiet) {
        for (const auto& d : article.diagnostics)
          std::cerr << one_line(dossier::to_string(d)) << "\n";
      }
    }
  }
  std::cout.flush();
  return rejected ? kExitRejected : kExitOk;
}

dossier::CorpusConfig load_config(const Options& options) {
  return options.config.empty() ? dossier::CorpusConfig{}
                                : dossier::CorpusConfig::load(options.config);
}

std::string human_bytes(std::uint64_t bytes) {
  char text[32];
  if (bytes >= (1ULL << 20U)) {
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.1f kB", static_cast<double>(bytes) / 1e3);
  }
  return text;
}

// A one-line progress display, redrawn in place; only on a terminal.
void show_progress(const dossier::Progress& p) {
  const double rate = p.seconds > 0 ? static_cast<double>(p.bytes_done) / 1e6 / p.seconds : 0;
  const double docs = p.seconds > 0 ? static_cast<double>(p.articles) / p.seconds : 0;
  double eta = 0;
  if (p.bytes_done > 0 && p.bytes_total > p.bytes_done) {
    eta = p.seconds * static_cast<double>(p.bytes_total - p.bytes_done) /
          static_cast<double>(p.bytes_done);
  }
  char line[160];
  std::snprintf(line, sizeof line,
                "\r%zu/%zu files, %zu articles, %.0f docs/s, %.1f MB/s, ETA %.0fs   ", p.files_done,
                p.files_total, p.articles, docs, rate, eta);
  std::cerr << line << (p.finished ? "\n" : "") << std::flush;
}

// SIGINT and SIGTERM stop an indexing run cleanly: the library is asked to stop, commits what it
// has written, and the summary is printed. The signals are blocked in every thread and taken by
// one thread with sigwait, so nothing runs in a signal handler. A second signal ends the process
// at once (the index stays at its last commit, as after a kill).
class StopOnSignal {
 public:
  StopOnSignal() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    // Before any thread starts, so that every thread inherits the mask.
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    try {
      thread_ = std::thread([this] { wait(); });
    } catch (const std::system_error&) {
      // No thread to spare (a process limit): signals keep their default action, and the
      // library reports that it cannot start its own threads.
      pthread_sigmask(SIG_UNBLOCK, &set_, nullptr);
    }
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
  ~StopOnSignal() {
    if (!thread_.joinable()) return;
    done_.store(true);
    pthread_kill(thread_.native_handle(), SIGTERM);  // wakes sigwait; seen as "done"
    thread_.join();
  }

  [[nodiscard]] std::stop_token token() const { return source_.get_token(); }
  // The signal that stopped the run, 0 if none.
  [[nodiscard]] int signal() const { return signal_.load(); }

 private:
  void wait() {
    while (true) {
      int received = 0;
      if (sigwait(&set_, &received) != 0) return;
      if (done_.load()) return;
      if (signal_.load() != 0) {
        std::cerr << "\ndossier-index: stopped at once (the index keeps its last commit)\n";
        std::_Exit(128 + received);
      }
      signal_.store(received);
      std::cerr << "\ndossier-index: " << (received == SIGINT ? "interrupt" : "terminate")
                << ": committing what was indexed and stopping (signal again to stop at once)\n";
      source_.request_stop();
    }
  }

  sigset_t set_{};
  std::stop_source source_;
  std::atomic<int> signal_{0};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

int index(const Options& options) {
  StopOnSignal signals;
  dossier::IndexOptions index_options;
  index_options.jobs = static_cast<unsigned>(options.jobs);
  index_options.full = options.full;
  index_options.title_weight = static_cast<unsigned>(options.title_weight);
  index_options.lock_wait = options.wait ? std::chrono::milliseconds(std::chrono::hours(24))
                                         : std::chrono::milliseconds(0);
  index_options.ingest.format = *dossier::parse_format(options.format);
  index_options.ingest.use_sidecars = !options.no_sidecars;
  auto writer = dossier::IndexWriter::open(options.db, load_config(options), index_options);
  std::vector<fs::path> roots(options.paths.begin(), options.paths.end());
  const bool tty = isatty(STDERR_FILENO) != 0 && !options.quiet && !options.json;
  const auto report = writer.index(
      roots, tty ? dossier::ProgressCallback(show_progress) : dossier::ProgressCallback(),
      signals.token());
  if (options.compact && !report.interrupted) writer.compact();

  if (options.json) {
    nlohmann::ordered_json j;
    j["added"] = report.added;
    j["updated"] = report.updated;
    j["unchanged"] = report.unchanged;
    j["removed"] = report.removed;
    auto failed = nlohmann::ordered_json::array();
    for (const auto& f : report.failed) failed.push_back({{"path", f.path}, {"reason", f.reason}});
    j["failed"] = std::move(failed);
    j["warnings"] = report.warnings.size();
    j["files_seen"] = report.files_seen;
    j["files_indexed"] = report.files_indexed;
    j["bytes_indexed"] = report.bytes_indexed;
    j["complete"] = report.complete;
    j["interrupted"] = report.interrupted;
    j["seconds"] = report.seconds;
    std::cout << dump(j) << "\n";
  } else {
    if (!options.quiet) {
      for (const auto& w : report.warnings) std::cerr << one_line(dossier::to_string(w)) << "\n";
    }
    for (const auto& f : report.failed) {
      std::cerr << one_line(f.path + ": error: " + f.reason) << "\n";
    }
    if (!options.quiet) {
      const double rate =
          report.seconds > 0 ? static_cast<double>(report.bytes_indexed) / 1e6 / report.seconds : 0;
      std::cerr << "dossier-index: " << (report.interrupted ? "interrupted: " : "") << report.added
                << " added, " << report.updated << " updated, " << report.unchanged
                << " unchanged, " << report.removed << " removed, " << report.failed.size()
                << " failed (" << human_bytes(report.bytes_indexed) << " in " << report.seconds
                << " s, " << rate << " MB/s)\n";
    }
  }
  // A signal that came after the last file was read let the run finish: that is a success.
  if (report.interrupted) return 128 + (signals.signal() != 0 ? signals.signal() : SIGINT);
  return report.failed.empty() ? kExitOk : kExitRejected;
}

int stats(const Options& options) {
  const auto s = dossier::index_stats(options.db);
  if (options.json) {
    nlohmann::ordered_json j;
    j["articles"] = s.articles;
    j["sections"] = s.sections;
    j["authors"] = s.authors;
    j["organisations"] = s.organisations;
    j["topics"] = s.topics;
    j["files"] = s.files;
    j["first_date"] = s.first_date;
    j["last_date"] = s.last_date;
    j["bytes_on_disk"] = s.bytes_on_disk;
    j["format_version"] = s.format_version;
    std::cout << dump(j) << "\n";
    return kExitOk;
  }
  std::cout << "articles       " << s.articles << "\n"
            << "sections       " << s.sections << "\n"
            << "authors        " << s.authors << "\n"
            << "organisations  " << s.organisations << "\n"
            << "topics         " << s.topics << "\n"
            << "files          " << s.files << "\n"
            << "dates          " << (s.first_date.empty() ? "-" : s.first_date) << " .. "
            << (s.last_date.empty() ? "-" : s.last_date) << "\n"
            << "size on disk   " << human_bytes(s.bytes_on_disk) << "\n"
            << "format         " << s.format_version << "\n";
  return kExitOk;
}

int explain(const Options& options) {
  const auto topics = dossier::explain_topics(options.db, options.explain_topics);
  if (options.json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& t : topics) j[t.topic] = t.terms;
    std::cout << dump(j) << "\n";
    return kExitOk;
  }
  if (topics.empty()) std::cout << "no topics\n";
  for (const auto& t : topics) {
    std::cout << t.topic << ":";
    for (const auto& term : t.terms) std::cout << " " << term;
    std::cout << "\n";
  }
  return kExitOk;
}

// A numeric option outside its range is a usage error that names the range.
void check_range(const char* name, long long value, long long min, long long max,
                 const char* note) {
  if (value < min || value > max) {
    throw po::error("--" + std::string(name) + " " + std::to_string(value) + ": out of range " +
                    std::to_string(min) + ".." + std::to_string(max) + note);
  }
}

int run(int argc, char** argv) {
  Options options;
  po::options_description visible("Options");
  visible.add_options()  //
      ("db,d", po::value(&options.db)->value_name("DIR"),
       "the index folder (created if missing)")  //
      ("jobs,j", po::value(&options.jobs)->value_name("N"),
       "parser threads, 0..256 (default 0: one per core); the index is the same for any N")  //
      ("full", po::bool_switch(&options.full),
       "rebuild from scratch (the old index stays usable until the new one is complete)")  //
      ("title-weight",
       po::value(&options.title_weight)->value_name("N")->default_value(options.title_weight),
       "how many times a title word counts against a body word (1..20; changing it needs "
       "--full)")  //
      ("wait", po::bool_switch(&options.wait),
       "wait for another indexer's lock instead of failing")  //
      ("json", po::bool_switch(&options.json),
       "print the summary (or --stats) as one JSON object")                                 //
      ("stats", po::bool_switch(&options.stats), "print figures about the index and exit")  //
      ("compact", po::bool_switch(&options.compact),
       "compact the index (after indexing PATHs, if any)")  //
      ("explain-topics", po::value(&options.explain_topics)->value_name("ID"),
       "show which terms gave article ID its topics")  //
      ("inspect", po::bool_switch(&options.inspect),
       "parse PATHs without touching any index; print each article as one JSON object per line")  //
      ("config,c", po::value(&options.config)->value_name("FILE"),
       "corpus configuration (YAML; see docs/corpus-config.md)")  //
      ("format,f", po::value(&options.format)->value_name("FORMAT")->default_value("auto"),
       "input format: auto (by extension), text, markdown, html, jsonl")  //
      ("no-sidecars", po::bool_switch(&options.no_sidecars),
       "ignore NAME.meta.yaml / NAME.meta.json files beside inputs")               //
      ("quiet,q", po::bool_switch(&options.quiet), "print only errors on stderr")  //
      ("help,h", "print this help and exit")                                       //
      ("version,V", "print version information and exit");
  po::options_description hidden;
  hidden.add_options()("path", po::value(&options.paths), "input paths");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("path", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (!dossier::parse_format(options.format)) {
      throw po::validation_error(po::validation_error::invalid_option_value, "format",
                                 options.format);
    }
    check_range("jobs", options.jobs, 0, 256, " (0: one per core)");
    check_range("title-weight", options.title_weight, 1, 20, "");
  } catch (const po::error& e) {
    std::cerr << "dossier-index: " << e.what() << "\n"
              << kUsage << "\nTry 'dossier-index --help'.\n";
    return kExitUsage;
  }

  if (vm.count("help") != 0U) {
    std::cout << kUsage << "\n\n"
              << "Index think-tank commentary (plain text, Markdown, HTML, JSON Lines) into a\n"
              << "Dossier search index. Folders are read recursively.\n\n"
              << visible << "\nDocumentation: docs/indexer.md, docs/ingest.md\n";
    return kExitOk;
  }
  if (vm.count("version") != 0U) {
    std::cout << "dossier-index " << dossier::version() << " (" << dossier::dependency_versions()
              << ")\n";
    return kExitOk;
  }
  auto usage_error = [](const std::string& message) {
    std::cerr << "dossier-index: " << message << "\n"
              << kUsage << "\nTry 'dossier-index --help'.\n";
    return kExitUsage;
  };
  if (options.inspect) {
    if (options.paths.empty()) return usage_error("--inspect needs input paths");
    return inspect(options);
  }
  if (options.db.empty()) return usage_error("no index given (--db DIR)");
  if (options.stats) return stats(options);
  if (!options.explain_topics.empty()) return explain(options);
  if (options.paths.empty()) {
    if (!options.compact) return usage_error("no input paths");
    dossier::IndexOptions index_options;
    index_options.lock_wait = options.wait ? std::chrono::milliseconds(std::chrono::hours(24))
                                           : std::chrono::milliseconds(0);
    auto writer = dossier::IndexWriter::open(options.db, load_config(options), index_options);
    writer.compact();
    return kExitOk;
  }
  return index(options);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const dossier::Error& e) {
    std::cerr << "dossier-index: error: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "dossier-index: internal error: " << e.what() << "\n";
  }
  return kExitFatal;
}
