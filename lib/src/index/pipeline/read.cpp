// The read stage (see read.hpp).
#include "index/pipeline/read.hpp"

#include "index/pipeline/parse.hpp"

namespace dossier::detail {

bool ReadStage::stopping() {
  if (!stop_.stop_requested()) return false;
  cut_short_ = true;
  return true;
}

void ReadStage::run(UnitChannel& channel) {
  for (std::size_t f = 0; f < plan_.files.size(); ++f) {
    if (channel.stopped() || stopping()) break;
    auto& p = plan_.files[f];
    SourceRequest request;
    request.path = p.path;
    request.name = p.key;
    request.format = p.format;
    request.max_file_bytes = max_file_bytes_;
    request.hash = true;  // recorded in the file's state
    if (!full_ && p.previous != nullptr) {
      request.unchanged = [&p](std::uint64_t hash) {
        return p.previous->hash == hash && p.previous->sidecar == p.state.sidecar;
      };
    }
    request.stopping = [&] { return channel.stopped() || stopping(); };
    bool first = true;
    const auto read = read_source(request, [&](SourceUnit&& unit, const SourceRead& known) {
      if (first) {
        // Before the first unit is handed on (the write stage records the state with the last):
        // the content hashed (which decides "changed" when size or time alone are in doubt) is
        // the content parsed, and the state recorded is that of the bytes indexed.
        first = false;
        p.state.hash = known.hash;
        if (known.stamp) {
          p.state.size = known.stamp->size;
          p.state.mtime = known.stamp->mtime;
        }
      }
      return channel.push(ReadUnit{f, std::move(unit)});
    });
    if (read.stopped) break;
  }
  // Also after a stop request: the writer writes what was read, then ends.
  channel.close();
}

}  // namespace dossier::detail
