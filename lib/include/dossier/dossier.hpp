// Umbrella header: everything in Dossier's public API.
#pragma once

#include <dossier/error.hpp>
#include <dossier/text.hpp>
#include <dossier/version.hpp>
