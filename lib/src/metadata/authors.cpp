// Author names (placeholder until the authors work lands).
#include "metadata/authors.hpp"

namespace dossier::detail {

std::vector<std::string> split_authors(std::string_view byline) {
  return {std::string(byline)};
}

std::string clean_author(std::string_view name) {
  return std::string(name);
}

bool plausible_author(std::string_view name, std::string_view /*site_name*/) {
  return !name.empty();
}

std::vector<std::string> byline_names(std::string_view /*line*/) {
  return {};
}

}  // namespace dossier::detail
