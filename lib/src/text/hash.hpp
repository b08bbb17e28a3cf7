// A stable 64-bit hash for ids, file signatures and over-long terms.
#pragma once

#include <cstdint>
#include <string_view>

namespace dossier::detail {

/// 64-bit FNV-1a: stable across platforms and runs (ids, file signatures). `seed` continues a
/// hash over several pieces.
constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
inline std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = kFnvOffset) noexcept {
  std::uint64_t hash = seed;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace dossier::detail
