// dossier-search: answers queries over a Dossier index. Options -> SearchRequest -> library ->
// printers (output.hpp). The only place that reads the environment (DOSSIER_DB, NO_COLOR).
#include "output.hpp"

#include <dossier/dossier.hpp>

#include <boost/program_options.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace po = boost::program_options;

namespace {

// Exit statuses, documented in docs/searcher.md.
constexpr int kExitOk = 0;
constexpr int kExitNoMatch = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFatal = 3;

constexpr const char* kUsage =
    "Usage: dossier-search [--db DIR] [OPTIONS] [QUERY...]\n"
    "       dossier-search [--db DIR] --batch FILE [OPTIONS]";

int usage_error(const std::string& message) {
  std::cerr << "dossier-search: " << message << "\n"
            << kUsage << "\nTry 'dossier-search --help'.\n";
  return kExitUsage;
}

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::stringstream in(v);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (!item.empty()) out.push_back(item);
    }
  }
  return out;
}

std::size_t terminal_width() {
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const long n = std::strtol(columns, nullptr, 10);
    if (n >= 20 && n < 1000) return static_cast<std::size_t>(n);
  }
  return 80;
}

struct Cli {
  std::string db;
  std::vector<std::string> query_words;
  dossier::SearchRequest request;
  dossier::cli::Format format = dossier::cli::Format::kText;
  dossier::cli::RenderOptions render;
  std::string batch;
};

// A numeric option's value, checked against its range (the library's SearchLimits): anything
// else is a usage error that names the option and the range. Doubles must be finite.
template <typename T>
T ranged(const po::variables_map& vm, const char* name, T min, T max) {
  const T value = vm[name].as<T>();
  bool ok = value >= min && value <= max;
  if constexpr (std::is_floating_point_v<T>) ok = ok && std::isfinite(value);
  if (!ok) {
    std::ostringstream message;
    message << "--" << name << " " << value << ": out of range " << min << ".." << max;
    throw po::error(message.str());
  }
  return value;
}

std::size_t ranged_size(const po::variables_map& vm, const char* name, std::size_t min,
                        std::size_t max) {
  return static_cast<std::size_t>(
      ranged<long long>(vm, name, static_cast<long long>(min), static_cast<long long>(max)));
}

// Throws po::error for bad values (reported as usage errors).
void build_request(const po::variables_map& vm, Cli& cli) {
  auto& r = cli.request;
  const auto list = [&vm](const char* name) {
    return vm.count(name) != 0U ? vm[name].as<std::vector<std::string>>()
                                : std::vector<std::string>{};
  };
  if (vm.count("query") != 0U) {
    for (const auto& w : vm["query"].as<std::vector<std::string>>()) {
      if (!r.query.empty()) r.query += ' ';
      r.query += w;
    }
  }
  r.mode = vm.count("any") != 0U ? dossier::MatchMode::kAny : dossier::MatchMode::kAll;
  r.authors = list("author");
  r.organisations = list("org");
  r.topics = list("topic");
  r.types = list("type");
  r.languages = list("lang");
  r.from = vm["from"].as<std::string>();
  r.to = vm["to"].as<std::string>();
  r.like = vm["like"].as<std::string>();
  const auto sort = vm["sort"].as<std::string>();
  if (sort == "relevance") {
    r.sort = dossier::SortOrder::kRelevance;
  } else if (sort == "newest") {
    r.sort = dossier::SortOrder::kNewest;
  } else if (sort == "oldest") {
    r.sort = dossier::SortOrder::kOldest;
  } else {
    throw po::invalid_option_value("--sort " + sort + " (use relevance, newest or oldest)");
  }
  using L = dossier::SearchLimits;
  r.limit = ranged_size(vm, "limit", 0, L::kMaxLimit);
  r.offset = ranged_size(vm, "offset", 0, L::kMaxOffset);
  auto facets = split_commas(list("facets"));
  if (facets.size() == 1 && facets[0] == "all") {
    facets = {"author", "org", "topic", "type", "year"};
  }
  r.facets = facets;
  r.facet_limit = ranged_size(vm, "facet-limit", 0, L::kMaxFacetLimit);
  const auto timeline = vm["timeline"].as<std::string>();
  if (timeline == "year") {
    r.timeline = dossier::TimelineUnit::kYear;
  } else if (timeline == "month") {
    r.timeline = dossier::TimelineUnit::kMonth;
  } else if (!timeline.empty()) {
    throw po::invalid_option_value("--timeline " + timeline + " (use year or month)");
  }
  r.snippets = ranged_size(vm, "snippets", 0, L::kMaxSnippets);
  r.snippet_bytes = ranged_size(vm, "snippet-length", L::kMinSnippetBytes, L::kMaxSnippetBytes);
  r.correct_spelling = vm.count("no-correct") == 0U;
  r.explain = vm.count("explain") != 0U;
  r.exact_total = vm.count("exact") != 0U;
  r.wildcard_limit = ranged_size(vm, "wildcard-limit", 1, L::kMaxWildcardLimit);
  r.ranking.k1 = ranged(vm, "k1", 0.0, L::kMaxK1);
  r.ranking.b = ranged(vm, "b", 0.0, 1.0);
  if (vm.count("expand") != 0U) {
    r.ranking.expand_terms =
        static_cast<unsigned>(ranged_size(vm, "expand", 0U, L::kMaxExpandTerms));
  }
  r.ranking.expand_weight = ranged(vm, "expand-weight", 0.0, L::kMaxExpandWeight);
  r.ranking.stopwords = vm.count("keep-stopwords") == 0U;
  r.ranking.proximity = ranged(vm, "proximity", 0.0, L::kMaxProximity);

  if (!dossier::cli::parse_format(vm["format"].as<std::string>(), cli.format)) {
    throw po::invalid_option_value("--format " + vm["format"].as<std::string>() +
                                   " (use text, json, jsonl, csv, bibtex or ris)");
  }
  const auto color = vm["color"].as<std::string>();
  if (color == "always") {
    cli.render.color = true;
  } else if (color == "never") {
    cli.render.color = false;
  } else if (color == "auto") {
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    cli.render.color = isatty(STDOUT_FILENO) != 0 && (no_color == nullptr || *no_color == '\0') &&
                       !(term != nullptr && std::string(term) == "dumb");
  } else {
    throw po::invalid_option_value("--color " + color + " (use auto, always or never)");
  }
  cli.render.explain = r.explain;
  cli.render.count_only = vm.count("count") != 0U;
  if (cli.render.count_only) {
    r.limit = 0;
    r.snippets = 0;
  }
  cli.render.width = terminal_width();
  cli.batch = vm["batch"].as<std::string>();
}

int run_batch(dossier::Searcher& searcher, Cli& cli) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (cli.batch != "-") {
    file.open(cli.batch);
    if (!file) {
      std::cerr << "dossier-search: error: " << cli.batch << ": cannot read the batch file\n";
      return kExitFatal;
    }
    in = &file;
  }
  bool any_failed = false;
  std::string line;
  std::size_t number = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto request = cli.request;
    request.query = line;
    nlohmann::ordered_json object;
    try {
      const auto results = searcher.search(request);
      object = dossier::cli::to_json(request, results, cli.render);
    } catch (const dossier::Error& e) {
      any_failed = true;
      object = nlohmann::ordered_json::object();
      object["format_version"] = dossier::cli::kOutputFormatVersion;
      object["query"] = {{"text", line}};
      object["line"] = number;
      object["error"] = e.what();
    }
    std::cout << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cout.flush();
  return any_failed ? kExitNoMatch : kExitOk;
}

int run(int argc, char** argv) {
  po::options_description general("General");
  general.add_options()                                                          //
      ("help,h", "print this help and exit")                                     //
      ("version,V", "print version information and exit")                        //
      ("db,d", po::value<std::string>(), "index folder (default: $DOSSIER_DB)")  //
      ("batch", po::value<std::string>()->default_value(""),
       "read one query per line from FILE ('-': standard input); write JSON Lines")  //
      ("format,f", po::value<std::string>()->default_value("text"),
       "text, json, jsonl, csv, bibtex or ris")  //
      ("color", po::value<std::string>()->default_value("auto"),
       "highlight with ANSI colour: auto (a terminal, NO_COLOR unset), always, never");
  po::options_description query("Query");
  query.add_options()                                                                          //
      ("any", "rank articles matching any word (default: all words must match)")               //
      ("like", po::value<std::string>()->default_value(""), "articles similar to article ID")  //
      ("no-correct", "do not suggest or apply spelling corrections")                           //
      ("wildcard-limit", po::value<long long>()->default_value(500),
       "most terms a trailing wildcard may expand to")                                //
      ("explain", "show the parsed query and each hit's matching terms and weights")  //
      ("count", "print only the number of matching articles")                         //
      ("exact", "count every match (exact total) instead of estimating");
  po::options_description filters("Filters (repeatable: values of one field ORed, fields ANDed)");
  filters.add_options()                                                                    //
      ("author", po::value<std::vector<std::string>>(), "sections signed by this author")  //
      ("org", po::value<std::vector<std::string>>(), "organisation")                       //
      ("topic", po::value<std::vector<std::string>>(), "topic")                            //
      ("type", po::value<std::vector<std::string>>(), "document type")                     //
      ("lang", po::value<std::vector<std::string>>(), "language tag (en, fr, ...)")        //
      ("from", po::value<std::string>()->default_value(""),
       "published on or after (YYYY[-MM[-DD]])")  //
      ("to", po::value<std::string>()->default_value(""),
       "published on or before (YYYY[-MM[-DD]])");
  po::options_description results("Results");
  results.add_options()  //
      ("sort", po::value<std::string>()->default_value("relevance"),
       "relevance, newest or oldest (undated last)")                                        //
      ("limit,n", po::value<long long>()->default_value(10), "hits to show")                //
      ("offset", po::value<long long>()->default_value(0), "hits to skip (paging)")         //
      ("snippets", po::value<long long>()->default_value(3), "passages per hit (0: none)")  //
      ("snippet-length", po::value<long long>()->default_value(300),
       "longest passage, in bytes")  //
      ("facets", po::value<std::vector<std::string>>(),
       "count matches per value: author,org,topic,type,lang,year,month or all")  //
      ("facet-limit", po::value<long long>()->default_value(10),
       "values per facet (0: all)")  //
      ("timeline", po::value<std::string>()->default_value(""), "matches over time: year or month");
  po::options_description ranking("Ranking");
  ranking.add_options()                                                                    //
      ("k1", po::value<double>()->default_value(dossier::RankingOptions{}.k1), "BM25 k1")  //
      ("b", po::value<double>()->default_value(dossier::RankingOptions{}.b), "BM25 b")     //
      ("keep-stopwords", "search for stopwords too (default: left out of free text)")      //
      ("proximity", po::value<double>()->default_value(dossier::RankingOptions{}.proximity),
       "boost documents where consecutive query words occur close together (weight; 0 off)")  //
      ("expand", po::value<long long>()->value_name("N"),
       "expand the query with N terms from the top 10 results (pseudo-relevance feedback; "
       "default 10 with --any, off otherwise; 0 turns it off)")  //
      ("expand-weight", po::value<double>()->default_value(dossier::RankingOptions{}.expand_weight),
       "weight of the expansion terms relative to the query's");
  po::options_description hidden;
  hidden.add_options()("query", po::value<std::vector<std::string>>(), "query words");
  po::options_description visible;
  visible.add(general).add(query).add(filters).add(results).add(ranking);
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("query", -1);

  po::variables_map vm;
  Cli cli;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help") != 0U || vm.count("version") != 0U) {
      // handled below, before anything else is validated
    } else {
      build_request(vm, cli);
    }
  } catch (const po::error& e) {
    return usage_error(e.what());
  }

  if (vm.count("help") != 0U) {
    std::cout << kUsage << "\n\n"
              << "Search a Dossier index of think-tank commentary: ranked results with\n"
              << "highlighted snippets, filters, facets and timelines. Query syntax:\n"
              << "words, \"phrases\", AND OR NOT + -, NEAR, word*, title: author: org: topic:\n"
              << "type: lang: year:2019 year:2015..2019 date:2019-01..2019-03.\n"
              << visible << "\nExit status: 0 matches, 1 no match, 2 usage, 3 error.\n"
              << "Documentation: docs/searcher.md, docs/query-syntax.md\n";
    return kExitOk;
  }
  if (vm.count("version") != 0U) {
    std::cout << "dossier-search " << dossier::version() << " (" << dossier::dependency_versions()
              << ")\n";
    return kExitOk;
  }

  if (vm.count("db") != 0U) {
    cli.db = vm["db"].as<std::string>();
  } else if (const char* env = std::getenv("DOSSIER_DB"); env != nullptr && *env != '\0') {
    cli.db = env;
  } else {
    return usage_error("no index given: use --db DIR or set DOSSIER_DB");
  }
  cli.render.db = cli.db;

  const auto& r = cli.request;
  const bool has_filters = !r.authors.empty() || !r.organisations.empty() || !r.topics.empty() ||
                           !r.types.empty() || !r.languages.empty() || !r.from.empty() ||
                           !r.to.empty();
  if (cli.batch.empty() && r.query.empty() && r.like.empty() && !has_filters && r.facets.empty() &&
      r.timeline == dossier::TimelineUnit::kNone) {
    return usage_error(
        "nothing to search for: give a query, --like, filters, --facets or "
        "--timeline");
  }

  auto searcher = dossier::Searcher::open(cli.db);
  if (!cli.batch.empty()) return run_batch(searcher, cli);

  dossier::SearchResults found;
  try {
    found = searcher.search(cli.request);
  } catch (const dossier::Error& e) {
    if (e.code() == dossier::ErrorCode::kInvalidArgument) return usage_error(e.what());
    throw;
  }
  dossier::cli::render(std::cout, cli.request, found, cli.format, cli.render);
  std::cout.flush();
  return found.total.upper == 0 ? kExitNoMatch : kExitOk;
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
