// File states: their stored form and where they live in the index (see file_state.hpp).
#include "index/file_state.hpp"

#include "index/document.hpp"
#include "ingest/sidecar.hpp"
#include "ingest/source.hpp"

#include <nlohmann/json.hpp>

namespace dossier::detail {
namespace fs = std::filesystem;

std::string state_key(const std::string& path) {
  return bounded_term(kStatePrefix, path);
}

std::string encode_state(const std::string& path, const FileState& s) {
  nlohmann::json j;
  j["path"] = path;
  j["size"] = s.size;
  j["mtime"] = s.mtime;
  j["hash"] = s.hash;
  j["sidecar"] = s.sidecar;
  j["indexed_at"] = s.indexed_at;
  j["ids"] = s.ids;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::pair<std::string, FileState>> decode_state(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    FileState s;
    s.size = j.at("size").get<std::uint64_t>();
    s.mtime = j.at("mtime").get<std::int64_t>();
    s.hash = j.at("hash").get<std::uint64_t>();
    s.sidecar = j.at("sidecar").get<std::string>();
    s.indexed_at = j.value("indexed_at", std::int64_t{0});
    s.ids = j.at("ids").get<std::vector<std::string>>();
    return std::make_pair(j.at("path").get<std::string>(), std::move(s));
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // unreadable state: the file is simply re-indexed
  }
}

std::map<std::string, FileState> load_file_states(const Xapian::Database& db) {
  std::map<std::string, FileState> states;
  const std::string prefix(kStatePrefix);
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    if (auto decoded = decode_state(db.get_metadata(*it))) {
      states.emplace(std::move(decoded->first), std::move(decoded->second));
    }
  }
  return states;
}

std::size_t count_file_states(const Xapian::Database& db) {
  const std::string prefix(kStatePrefix);
  std::size_t n = 0;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) ++n;
  return n;
}

std::string sidecar_signature(const fs::path& file) {
  const auto sidecar = find_sidecar(file);
  if (!sidecar) return {};
  std::error_code ec;
  return sidecar->filename().string() + ":" + std::to_string(fs::file_size(*sidecar, ec)) + ":" +
         std::to_string(mtime_of(*sidecar, ec));
}

}  // namespace dossier::detail
