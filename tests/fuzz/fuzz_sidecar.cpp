// libFuzzer target: bytes as a NAME.meta.yaml sidecar (decoded as read_sidecar does), applied
// to a small plain-text article; the same bytes as a corpus configuration (dossier.yaml).
#include "fuzz_common.hpp"
#include "parsers/parsers.hpp"
#include "parsers/yaml_metadata.hpp"
#include "text/encoding.hpp"

namespace {

constexpr std::string_view kArticle =
    "Rare earths and the new export controls\n"
    "By Jane Doe\n"
    "October 30, 2025\n"
    "\n"
    "Beijing's new licensing rules reach every magnet that holds a gram of Chinese rare earths.\n";

void apply_sidecar(std::string_view bytes) {
  using namespace dossier;
  std::string utf8;
  try {
    utf8 = detail::decode_to_utf8(bytes).utf8;
  } catch (const Error& e) {
    fuzz::check_error(e);
    return;
  }
  auto sidecar = detail::metadata_from_yaml(utf8, Origin::kSidecar, "fuzz/a.txt.meta.yaml", 1);
  for (const auto& diagnostic : sidecar.diagnostics) {
    fuzz::check_utf8(diagnostic.message, "sidecar diagnostic");
  }
  if (!sidecar.diagnostics.empty()) return;  // read_sidecar ignores such a sidecar
  static const detail::Aliases aliases(fuzz::corpus_config());
  const detail::ParseContext parse{"fuzz/a.txt", &fuzz::corpus_config()};
  const detail::NormaliseContext context{fuzz::corpus_config(), aliases, "fuzz/a.txt", &sidecar};
  std::vector<Diagnostic> diagnostics;
  const auto article =
      detail::normalise(detail::parse_plaintext(kArticle, parse), context, diagnostics);
  if (article) {
    fuzz::check_article(*article);
    fuzz::check_utf8(to_json(*article), "to_json");
  }
}

void load_config(std::string_view bytes) {
  try {
    const auto config = dossier::CorpusConfig::from_yaml(bytes, "fuzz/dossier.yaml");
    const dossier::detail::Aliases aliases(config);
    (void)aliases;
  } catch (const dossier::Error& e) {
    dossier::fuzz::check_error(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  apply_sidecar(bytes);
  load_config(bytes);
  return 0;
}
