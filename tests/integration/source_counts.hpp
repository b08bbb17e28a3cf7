// Expected figures for thinktank-2019, counted straight from its JSON Lines file (independently
// of Dossier's ingest), shared by the indexer and searcher integration tests.
#pragma once

#include <dossier/text.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <string>

namespace dossier_test {

using Counts = std::map<std::string, std::size_t>;

struct SourceCounts {
  std::size_t records = 0;
  Counts per_org;                              ///< fold_key(org) -> records
  Counts per_author;                           ///< fold_key(author) -> records naming that author
  Counts per_year;                             ///< "YYYY" -> records
  Counts per_month;                            ///< "YYYY-MM" -> records
  Counts per_type;                             ///< fold_key(doc_type) -> records
  std::map<std::string, Counts> per_org_year;  ///< fold_key(org) -> "YYYY" -> records
};

inline SourceCounts count_thinktank(const char* path) {
  // Our author cleaning removes honorifics and "(ret.)" where the scraped list keeps them.
  const std::map<std::string, std::string> cleaned = {
      {"Dr. Jason Dempsey", "Jason Dempsey"},
      {"CDR Bob Jones", "Bob Jones"},
      {"General Stanley A. McChrystal (ret.)", "Stanley A. McChrystal"},
  };
  SourceCounts c;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    ++c.records;
    const auto org = dossier::fold_key(j.at("org").get<std::string>());
    const auto date = j.at("date").get<std::string>();
    ++c.per_org[org];
    ++c.per_year[date.substr(0, 4)];
    ++c.per_month[date.substr(0, 7)];
    ++c.per_org_year[org][date.substr(0, 4)];
    if (j.contains("doc_type") && j["doc_type"].is_string()) {
      ++c.per_type[dossier::fold_key(j["doc_type"].get<std::string>())];
    }
    std::set<std::string> keys;
    for (const auto& a : j.at("authors")) {
      auto name = a.get<std::string>();
      if (auto it = cleaned.find(name); it != cleaned.end()) name = it->second;
      keys.insert(dossier::fold_key(name));
    }
    for (const auto& k : keys) ++c.per_author[k];
  }
  return c;
}

}  // namespace dossier_test
