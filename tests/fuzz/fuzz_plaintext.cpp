// libFuzzer target: bytes read as a txt file, through the parser and normalisation.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dossier::fuzz::ingest_and_check(data, size, dossier::Format::kPlainText, "fuzz/article.txt");
  return 0;
}
