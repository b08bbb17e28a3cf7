// libFuzzer target: the query path. A small index of corpus/samples and the seed article is
// built once; each input is a SearchRequest run on it: the first line is the query text, later
// lines an author filter, a from date, a to date and a more-like-this id, and two leading bytes
// pick the other request fields (mode, sort, facets, timeline, ranking options...).
#include "fuzz_common.hpp"

#include <dossier/index_writer.hpp>
#include <dossier/search.hpp>

#include <unistd.h>
#include <filesystem>
#include <system_error>

namespace {

namespace fs = std::filesystem;

/// The index, built in a temporary folder on first use and removed at exit.
class SmallIndex {
 public:
  SmallIndex()
      : dir_(fs::temp_directory_path() / ("dossier-fuzz-query-" + std::to_string(getpid()))) {
    fs::remove_all(dir_);
    auto writer = dossier::IndexWriter::open(dir_, dossier::fuzz::corpus_config());
    const auto report = writer.index({DOSSIER_SOURCE_DIR "/corpus/samples",
                                      DOSSIER_SOURCE_DIR "/corpus/000_42de43b9164fe9cf.txt"});
    if (report.added == 0) dossier::fuzz::fail("the query index is empty");
  }
  ~SmallIndex() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  SmallIndex(const SmallIndex&) = delete;
  SmallIndex& operator=(const SmallIndex&) = delete;
  dossier::Searcher& searcher() {
    if (!searcher_) searcher_.emplace(dossier::Searcher::open(dir_));
    return *searcher_;
  }

 private:
  fs::path dir_;
  std::optional<dossier::Searcher> searcher_;
};

/// Splits off the text up to the next '\n' (all of it when there is none).
std::string next_line(std::string_view& rest) {
  const auto end = rest.find('\n');
  std::string line(rest.substr(0, end));
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dossier;
  static SmallIndex index;
  if (size < 2) return 0;
  const unsigned a = data[0];
  const unsigned b = data[1];
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);

  SearchRequest request;
  request.query = next_line(rest);
  if (auto author = next_line(rest); !author.empty()) request.authors.push_back(std::move(author));
  request.from = next_line(rest);
  request.to = next_line(rest);
  request.like = next_line(rest);
  request.mode = (a & 1U) != 0 ? MatchMode::kAny : MatchMode::kAll;
  request.sort = static_cast<SortOrder>((a >> 1U) % 3U);
  if ((a & 8U) != 0) request.facets = {"author", "org", "topic", "type", "lang", "year", "month"};
  request.timeline = static_cast<TimelineUnit>((a >> 4U) % 3U);
  request.snippets = (a & 64U) != 0 ? 0 : 3;
  request.explain = (a & 128U) != 0;
  request.exact_total = (b & 1U) != 0;
  request.ranking.stopwords = (b & 2U) == 0;
  request.ranking.proximity = (b & 4U) != 0 ? 0.5 : 0;
  if ((b & 8U) != 0) request.ranking.expand_terms = 5;
  request.correct_spelling = (b & 16U) != 0;
  request.offset = (b & 32U) != 0 ? 1 : 0;
  request.snippet_bytes = (b & 64U) != 0 ? 40 : 300;
  request.wildcard_limit = (b & 128U) != 0 ? 3 : 500;

  try {
    const auto results = index.searcher().search(request);
    for (const auto& hit : results.hits) {
      fuzz::check_utf8(hit.title, "hit title");
      for (const auto& snippet : hit.snippets) {
        fuzz::check_utf8(snippet.text, "snippet");
        std::size_t previous = 0;
        for (const auto& highlight : snippet.highlights) {
          if (highlight.begin < previous || highlight.begin > highlight.end ||
              highlight.end > snippet.text.size()) {
            fuzz::fail("highlight out of order or outside its snippet");
          }
          previous = highlight.end;
        }
      }
    }
  } catch (const Error& e) {
    fuzz::check_error(e);
  }
  return 0;
}
