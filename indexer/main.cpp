// dossier-index: turns commentary files into a Dossier index. Options -> library -> printing.
#include <dossier/dossier.hpp>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
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
  unsigned jobs = 0;
  unsigned title_weight = dossier::IndexOptions{}.title_weight;
  bool inspect = false;
  bool stats = false;
  bool compact = false;
  bool full = false;
  bool wait = false;
  bool json = false;
  bool no_sidecars = false;
  bool quiet = false;
};

// Files under `root` in a stable order; sidecars and hidden files are not inputs themselves.
void collect(const fs::path& root, std::vector<fs::path>& files, std::vector<std::string>& errors) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    files.push_back(root);
    return;
  }
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    if (name.ends_with(".meta.yaml") || name.ends_with(".meta.yml") ||
        name.ends_with(".meta.json")) {
      continue;
    }
    if (!dossier::format_for_path(it->path())) continue;  // not a document type we read
    found.push_back(it->path());
  }
  if (ec) errors.push_back(root.string() + ": " + ec.message());
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
}

int inspect(const Options& options) {
  dossier::CorpusConfig config;
  if (!options.config.empty()) config = dossier::CorpusConfig::load(options.config);
  dossier::IngestOptions ingest;
  ingest.format = *dossier::parse_format(options.format);
  ingest.use_sidecars = !options.no_sidecars;

  std::vector<fs::path> files;
  std::vector<std::string> walk_errors;
  for (const auto& path : options.paths) collect(path, files, walk_errors);
  bool rejected = !walk_errors.empty();
  for (const auto& e : walk_errors) std::cerr << "dossier-index: error: " << e << "\n";

  for (const auto& file : files) {
    const auto result = dossier::ingest_file(file, config, ingest);
    for (const auto& d : result.diagnostics) {
      if (d.severity == dossier::Diagnostic::Severity::kError) rejected = true;
      if (!options.quiet || d.severity == dossier::Diagnostic::Severity::kError) {
        std::cerr << dossier::to_string(d) << "\n";
      }
    }
    for (const auto& article : result.articles) {
      std::cout << dossier::to_json(article) << "\n";
      if (!options.quiet) {
        for (const auto& d : article.diagnostics) std::cerr << dossier::to_string(d) << "\n";
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

int index(const Options& options) {
  dossier::IndexOptions index_options;
  index_options.jobs = options.jobs;
  index_options.full = options.full;
  index_options.title_weight = options.title_weight;
  index_options.lock_wait = options.wait ? std::chrono::milliseconds(std::chrono::hours(24))
                                         : std::chrono::milliseconds(0);
  index_options.ingest.format = *dossier::parse_format(options.format);
  index_options.ingest.use_sidecars = !options.no_sidecars;
  auto writer = dossier::IndexWriter::open(options.db, load_config(options), index_options);
  std::vector<fs::path> roots(options.paths.begin(), options.paths.end());
  const bool tty = isatty(STDERR_FILENO) != 0 && !options.quiet && !options.json;
  const auto report = writer.index(
      roots, tty ? dossier::ProgressCallback(show_progress) : dossier::ProgressCallback());
  if (options.compact) writer.compact();

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
    j["seconds"] = report.seconds;
    std::cout << j.dump() << "\n";
  } else {
    if (!options.quiet) {
      for (const auto& w : report.warnings) std::cerr << dossier::to_string(w) << "\n";
    }
    for (const auto& f : report.failed) {
      std::cerr << f.path << ": error: " << f.reason << "\n";
    }
    if (!options.quiet) {
      const double rate =
          report.seconds > 0 ? static_cast<double>(report.bytes_indexed) / 1e6 / report.seconds : 0;
      std::cerr << "dossier-index: " << report.added << " added, " << report.updated << " updated, "
                << report.unchanged << " unchanged, " << report.removed << " removed, "
                << report.failed.size() << " failed (" << human_bytes(report.bytes_indexed)
                << " in " << report.seconds << " s, " << rate << " MB/s)\n";
    }
  }
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
    std::cout << j.dump() << "\n";
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
    std::cout << j.dump() << "\n";
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

int run(int argc, char** argv) {
  Options options;
  po::options_description visible("Options");
  visible.add_options()  //
      ("db,d", po::value(&options.db)->value_name("DIR"),
       "the index folder (created if missing)")  //
      ("jobs,j", po::value(&options.jobs)->value_name("N"),
       "parser threads (default: all cores); the index is the same for any N")  //
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
