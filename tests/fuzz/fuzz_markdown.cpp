// libFuzzer target: bytes read as a md file, through the parser and normalisation.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dossier::fuzz::ingest_and_check(data, size, dossier::Format::kMarkdown, "fuzz/note.md");
  return 0;
}
