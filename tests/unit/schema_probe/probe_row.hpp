// One more row of the schema table, for the schema probe only: lib/src/schema/schema.hpp
// includes this file inside namespace dossier::detail when DOSSIER_SCHEMA_PROBE names it, and
// puts DOSSIER_SCHEMA_PROBE_ROWS at the end of kSchema. A new field "site" (the host name of
// the article's url, without "www."), filter, facet and stored, in one row and nothing else.
#pragma once

#define DOSSIER_SCHEMA_PROBE_ROWS                                     \
  FieldSpec{"site",                                                   \
            "XW",                                                     \
            11,                                                       \
            kFilter | kFacet | kStored,                               \
            "host name of the url",                                   \
            QueryAs::kKey,                                            \
            AliasTable::kNone,                                        \
            false,                                                    \
            "site",                                                   \
            StoreAs::kString,                                         \
            [](const FieldInput& in, std::vector<std::string>& out) { \
              const std::string_view url = in.article.url;            \
              const auto scheme = url.find("://");                    \
              if (scheme == std::string_view::npos) return;           \
              auto host = url.substr(scheme + 3);                     \
              host = host.substr(0, host.find('/'));                  \
              if (host.starts_with("www.")) host.remove_prefix(4);    \
              out.emplace_back(host);                                 \
            }},
