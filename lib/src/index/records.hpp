// What an index records besides its documents and file states: the format and analysis record
// (checked by every reader and writer), the synonyms and the alias tables of the configuration
// (docs/index-format.md, "Metadata").
#pragma once

#include <dossier/config.hpp>

#include <xapian.h>

#include <chrono>
#include <filesystem>

namespace dossier::detail {

/// Writes the format and analysis record unless `db` has one already.
void write_format_record(Xapian::WritableDatabase& db, unsigned title_weight);

/// Whether the synonym and alias records need writing: the configuration has some, or the index
/// has some to clear.
bool wants_synonyms(const Xapian::Database& db, const CorpusConfig& config);

/// Replaces `db`'s synonyms (keyed by the analysed form of each term, as the QueryParser looks
/// them up) and its alias tables with the configuration's.
void write_synonyms(Xapian::WritableDatabase& db, const CorpusConfig& config);

/// Opens `path` for writing with `flags`, waiting up to `wait` for another writer's lock.
/// Throws Error(kLocked) when the lock stays taken, another dossier::Error otherwise.
Xapian::WritableDatabase open_writable(const std::filesystem::path& path, int flags,
                                       std::chrono::milliseconds wait);

}  // namespace dossier::detail
