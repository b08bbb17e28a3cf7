// The plan stage (see plan.hpp).
#include "index/pipeline/plan.hpp"

#include "ingest/ingest_internal.hpp"
#include "ingest/sidecar.hpp"
#include "ingest/source.hpp"

namespace dossier::detail {
namespace fs = std::filesystem;

Plan make_plan(const std::vector<fs::path>& files, const std::map<std::string, FileState>& states,
               const IngestOptions& options, bool full) {
  Plan plan;
  // Files whose size, mtime and sidecar are unchanged are skipped, unless the mtime is so close
  // to the moment they were indexed that a later edit could share it; those are hashed.
  const auto planned_at =
      static_cast<std::int64_t>(fs::file_time_type::clock::now().time_since_epoch().count());
  for (const auto& file : files) {
    plan.seen.insert(file.string());
    PlannedFile p;
    p.path = file;
    p.key = file.string();
    p.format = *resolve_format(file, options.format);
    std::error_code ec;
    p.state.size = fs::file_size(file, ec);
    p.state.mtime = mtime_of(file, ec);
    p.state.sidecar = options.use_sidecars ? sidecar_signature(file) : "";
    p.state.indexed_at = planned_at;
    const auto previous = states.find(p.key);
    if (previous != states.end()) {
      p.previous = &previous->second;
      if (!full && previous->second.size == p.state.size &&
          previous->second.mtime == p.state.mtime && previous->second.sidecar == p.state.sidecar &&
          p.state.mtime < previous->second.indexed_at - kRacyNanoseconds) {
        plan.unchanged_articles += previous->second.ids.size();
        continue;
      }
    }
    if (options.use_sidecars) {
      if (auto sidecar = read_sidecar(file, p.sidecar_diagnostics)) {
        p.sidecar = std::make_shared<RawRecord>(std::move(*sidecar));
      }
    }
    p.bytes = p.state.size;
    plan.bytes_total += p.bytes;
    plan.files.push_back(std::move(p));
  }
  return plan;
}

}  // namespace dossier::detail
