// dossier-index: turns commentary files into a Dossier index. Options -> library -> printing.
#include <dossier/dossier.hpp>

#include <boost/program_options.hpp>

#include <algorithm>
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
    "Usage: dossier-index --inspect [OPTIONS] PATH...\n"
    "       dossier-index --help | --version";

struct Options {
  std::vector<std::string> paths;
  std::string config;
  std::string format = "auto";
  bool inspect = false;
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

int run(int argc, char** argv) {
  Options options;
  po::options_description visible("Options");
  visible.add_options()  //
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
  if (options.paths.empty() || !options.inspect) {
    std::cerr << "dossier-index: " << (options.paths.empty() ? "no input paths" : "nothing to do")
              << "\n"
              << kUsage << "\nTry 'dossier-index --help'.\n";
    return kExitUsage;
  }
  return inspect(options);
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
