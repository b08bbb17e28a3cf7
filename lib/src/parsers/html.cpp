// HTML parser (placeholder until the HTML work lands).
#include "parsers/parsers.hpp"

#include <dossier/error.hpp>

namespace dossier::detail {

RawRecord parse_html(std::string_view /*bytes*/, const ParseContext& /*context*/) {
  throw Error(ErrorCode::kInternal, "HTML parser not implemented yet");
}

}  // namespace dossier::detail
