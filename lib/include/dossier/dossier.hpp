// Umbrella header: everything in Dossier's public API.
#pragma once

#include <dossier/article.hpp>
#include <dossier/config.hpp>
#include <dossier/error.hpp>
#include <dossier/index_writer.hpp>
#include <dossier/ingest.hpp>
#include <dossier/schema.hpp>
#include <dossier/search.hpp>
#include <dossier/text.hpp>
#include <dossier/version.hpp>
