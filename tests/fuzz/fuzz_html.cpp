// libFuzzer target: bytes read as a html file, through the parser and normalisation.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dossier::fuzz::ingest_and_check(data, size, dossier::Format::kHtml, "fuzz/page.html");
  return 0;
}
