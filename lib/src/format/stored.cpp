// The stored record's encoding and the bounded terms (see stored.hpp).
#include "format/stored.hpp"

#include "text/hash.hpp"

#include <cstdio>

namespace dossier::detail {

std::string bounded_term(std::string_view prefix, std::string_view value) {
  constexpr std::size_t kMax = 200;
  std::string term(prefix);
  if (value.size() <= kMax) {
    term.append(value);
    return term;
  }
  // Cut on a UTF-8 boundary so the term stays valid text.
  std::size_t cut = 180;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0U) == 0x80U) --cut;
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a64(value)));
  term.append(value.substr(0, cut));
  term += '#';
  term += hash;
  return term;
}

StoredData split_stored(std::string_view data) noexcept {
  const auto newline = data.find('\n');
  if (newline == std::string_view::npos) return {data, {}};
  return {data.substr(0, newline), data.substr(newline + 1)};
}

std::string join_values(const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& v : values) {
    if (!joined.empty()) joined += '\x1f';
    joined += v;
  }
  return joined;
}

std::vector<std::string> split_values(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const auto end = joined.find('\x1f', start);
    out.emplace_back(joined.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace dossier::detail
