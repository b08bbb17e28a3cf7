// libFuzzer target: binary sniffing, encoding detection and conversion, and ICU normalisation.
// Input: one byte N, then an N % 32 byte declared charset label (as from <meta charset>), then
// the text bytes.
#include "fuzz_common.hpp"
#include "text/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dossier;
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t label_size = std::min<std::size_t>(data[0] % 32U, input.size());
  const auto label = input.substr(0, label_size);
  const auto bytes = input.substr(label_size);
  (void)detail::looks_binary(bytes);
  detail::Decoded decoded;
  try {
    decoded = detail::decode_to_utf8(bytes, label);
  } catch (const Error& e) {
    fuzz::check_error(e);
    return 0;
  }
  fuzz::check_utf8(decoded.utf8, "decoded text");
  if (decoded.utf8.find('\r') != std::string::npos) fuzz::fail("CR left in decoded text");
  // One BOM is removed; a second one (U+FEFF after it) is text, as in browsers.
  if (decoded.encoding.empty()) fuzz::fail("no encoding name");
  if (decoded.ignored_label.size() > 35) fuzz::fail("ignored_label too long");
  for (const char c : decoded.ignored_label) {
    if (c < 0x20 || c > 0x7e) fuzz::fail("ignored_label not printable ASCII");
  }
  for (const unsigned flags : {0U, 15U, static_cast<unsigned>(data[0] >> 4U)}) {
    fuzz::check_utf8(detail::normalize(decoded.utf8, flags), "normalize");
  }
  return 0;
}
