// The merge stage (see merge.hpp).
#include "index/pipeline/merge.hpp"

#include <xapian.h>

namespace dossier::detail {

void merge_shards(const std::vector<std::filesystem::path>& shards,
                  const std::filesystem::path& target) {
  {
    Xapian::Database sources;
    for (const auto& shard : shards) sources.add_database(Xapian::Database(shard.string()));
    sources.compact(target.string(), Xapian::Compactor::STANDARD);
  }
  for (const auto& shard : shards) std::filesystem::remove_all(shard);
}

}  // namespace dossier::detail
