// dossier-index: turns commentary files into a Dossier index. Options -> library -> printing.
#include <dossier/dossier.hpp>

#include <boost/program_options.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

// Exit statuses, documented in docs/indexer.md.
constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitFatal = 3;

constexpr const char* kUsage = "Usage: dossier-index [OPTIONS] PATH...";

int run(int argc, char** argv) {
  po::options_description visible("Options");
  visible.add_options()                       //
      ("help,h", "print this help and exit")  //
      ("version,V", "print version information and exit");
  po::options_description hidden;
  hidden.add_options()("path", po::value<std::vector<std::string>>(), "input paths");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("path", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "dossier-index: " << e.what() << "\n"
              << kUsage << "\nTry 'dossier-index --help'.\n";
    return kExitUsage;
  }

  if (vm.count("help") != 0U) {
    std::cout << kUsage << "\n\n"
              << "Index think-tank commentary (plain text, Markdown, HTML, JSON Lines) into a\n"
              << "Dossier search index.\n\n"
              << visible << "\nDocumentation: docs/indexer.md\n";
    return kExitOk;
  }
  if (vm.count("version") != 0U) {
    std::cout << "dossier-index " << dossier::version() << " (" << dossier::dependency_versions()
              << ")\n";
    return kExitOk;
  }
  std::cerr << "dossier-index: nothing to do\n" << kUsage << "\nTry 'dossier-index --help'.\n";
  return kExitUsage;
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
