// libFuzzer target: the author normaliser (byline splitting, name cleaning, plausibility,
// bylines in running text, author keys) on arbitrary text.
#include "fuzz_common.hpp"
#include "metadata/authors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dossier;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = detail::first_invalid_utf8(text) == std::string_view::npos;
  for (const auto& name : detail::split_authors(text)) {
    if (name.empty()) fuzz::fail("split_authors gave an empty name");
    const auto cleaned = detail::clean_author(name);
    if (valid) {
      fuzz::check_utf8(name, "split_authors name");
      fuzz::check_utf8(cleaned, "clean_author");
      (void)author_key(cleaned);
    }
    (void)detail::plausible_author(cleaned, "Brookings");
  }
  const auto cleaned = detail::clean_author(text);
  if (valid) fuzz::check_utf8(cleaned, "clean_author");
  (void)detail::plausible_author(text);
  for (const auto& name : detail::byline_names(text)) {
    if (valid) fuzz::check_utf8(name, "byline_names");
    if (!detail::plausible_author(name)) fuzz::fail("byline_names gave an implausible name:", name);
  }
  return 0;
}
