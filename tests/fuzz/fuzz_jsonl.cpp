// libFuzzer target: bytes read as a jsonl file, through the parser and normalisation.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dossier::fuzz::ingest_and_check(data, size, dossier::Format::kJsonLines, "fuzz/records.jsonl");
  return 0;
}
