// Encoding detection and conversion (placeholder until the encoding work lands).
#include "text/encoding.hpp"

#include "text/normalize.hpp"

#include <dossier/error.hpp>

namespace dossier::detail {

bool looks_binary(std::string_view bytes) noexcept {
  return bytes.substr(0, 8192).find('\0') != std::string_view::npos;
}

Decoded decode_to_utf8(std::string_view bytes, std::string_view /*declared*/) {
  if (first_invalid_utf8(bytes) != std::string_view::npos) {
    throw Error(ErrorCode::kParse, "not valid UTF-8");
  }
  return Decoded{normalize(bytes, kNfcOnly), "UTF-8", false};
}

}  // namespace dossier::detail
