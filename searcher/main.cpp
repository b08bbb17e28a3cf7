// dossier-search: answers queries over a Dossier index. Options -> library -> printing.
#include <dossier/dossier.hpp>

#include <boost/program_options.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

// Exit statuses, documented in docs/searcher.md.
constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitFatal = 3;

constexpr const char* kUsage = "Usage: dossier-search [OPTIONS] QUERY...";

int run(int argc, char** argv) {
  po::options_description visible("Options");
  visible.add_options()                       //
      ("help,h", "print this help and exit")  //
      ("version,V", "print version information and exit");
  po::options_description hidden;
  hidden.add_options()("query", po::value<std::vector<std::string>>(), "query words");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("query", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "dossier-search: " << e.what() << "\n"
              << kUsage << "\nTry 'dossier-search --help'.\n";
    return kExitUsage;
  }

  if (vm.count("help") != 0U) {
    std::cout << kUsage << "\n\n"
              << "Search a Dossier index of think-tank commentary: ranked results with\n"
              << "highlighted snippets, filters, facets and timelines.\n\n"
              << visible << "\nDocumentation: docs/searcher.md\n";
    return kExitOk;
  }
  if (vm.count("version") != 0U) {
    std::cout << "dossier-search " << dossier::version() << " (" << dossier::dependency_versions()
              << ")\n";
    return kExitOk;
  }
  std::cerr << "dossier-search: nothing to do\n" << kUsage << "\nTry 'dossier-search --help'.\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const dossier::Error& e) {
    std::cerr << "dossier-search: error: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "dossier-search: internal error: " << e.what() << "\n";
  }
  return kExitFatal;
}
