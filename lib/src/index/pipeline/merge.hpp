// Stage 6 of the indexing pipeline, for a build from nothing: the shard databases combined into
// one index by Xapian's compactor (documents renumbered: shard 0's first, then shard 1's), and
// the shards removed. The records that belong to the whole index (format, synonyms, file
// states) are then added by the shard destination (write.hpp).
// Owns: nothing after it returns. Hands on: the merged database at `target`.
#pragma once

#include <filesystem>
#include <vector>

namespace dossier::detail {

/// Compacts the committed databases `shards`, in order, into `target` and removes them.
void merge_shards(const std::vector<std::filesystem::path>& shards,
                  const std::filesystem::path& target);

}  // namespace dossier::detail
