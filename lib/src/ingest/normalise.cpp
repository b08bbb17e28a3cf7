// Normalisation of parsed records into Articles: precedence, authors, dates, organisations,
// topics, language, identity and sections (docs/ingest.md).
#include "ingest/normalise.hpp"

#include "metadata/authors.hpp"
#include "metadata/dates.hpp"
#include "metadata/language.hpp"
#include "parsers/text_layout.hpp"
#include "text/normalize.hpp"

#include <dossier/text.hpp>

#include <algorithm>
#include <set>

namespace dossier::detail {
namespace {

// Collapses white space and applies NFC: for one-line display fields.
std::string one_line(std::string_view text) {
  if (first_invalid_utf8(text) != std::string_view::npos) return {};
  return normalize(text, kCollapseSpace);
}

// The first words of `text` on one line, at most about `limit` bytes, cut at a word boundary
// (never inside a UTF-8 sequence), with "…" when cut.
std::string opening_words(std::string_view text, std::size_t limit) {
  auto line = one_line(text.substr(0, std::min(text.size(), limit * 4)));
  if (line.size() <= limit) return line;
  std::size_t cut = line.rfind(' ', limit);
  if (cut == std::string::npos || cut < limit / 2) {
    cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0U) == 0x80U) --cut;
  }
  line.resize(cut);
  while (!line.empty() && (line.back() == ' ' || line.back() == ',' || line.back() == ';')) {
    line.pop_back();
  }
  return line + "\xe2\x80\xa6";  // …
}

template <class T>
void override_with(std::optional<Sourced<T>>& field, const std::optional<Sourced<T>>& over) {
  if (over && !over->value.empty()) field = over;
}

std::string lookup(const std::map<std::string, std::string>& aliases, const std::string& name) {
  if (aliases.empty()) return name;
  const auto it = aliases.find(fold_key(name));
  return it == aliases.end() ? name : it->second;
}

void note_origin(Article& article, const char* field, Origin origin) {
  if (origin != Origin::kNone) article.origins[field] = origin;
}

// Authors kept per article or section (docs/ingest.md, "Limits"): more than any real byline,
// and a bound on the terms, facet values and output of a record that lists 100,000 names.
constexpr std::size_t kMaxAuthors = 100;
// Non-names reported one by one per list; the rest are counted in one warning.
constexpr std::size_t kMaxIgnoredAuthorWarnings = 10;

// Cleans, filters, aliases and de-duplicates author names, in order, keeping the first
// kMaxAuthors.
std::vector<std::string> canonical_authors(const std::vector<std::string>& raw,
                                           const NormaliseContext& context,
                                           std::string_view site_name, Article& article) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::size_t ignored = 0;
  auto warn = [&](std::string message) {
    article.diagnostics.push_back({Diagnostic::Severity::kWarning, article.source_path,
                                   article.source_line, std::move(message)});
  };
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto& entry = raw[i];
    if (first_invalid_utf8(entry) != std::string_view::npos) continue;
    auto name = clean_author(entry);
    if (name.empty()) continue;
    if (!plausible_author(name, site_name)) {
      if (++ignored <= kMaxIgnoredAuthorWarnings) {
        warn("ignored '" + name + "' as an author: not a person's name");
      }
      continue;
    }
    name = lookup(context.aliases.authors, normalize(name, kCollapseSpace));
    if (!seen.insert(author_key(name)).second) continue;
    if (out.size() == kMaxAuthors) {
      warn(std::to_string(raw.size()) + " author names given: only the first " +
           std::to_string(kMaxAuthors) + " authors are kept (" + std::to_string(raw.size() - i) +
           " names from '" + name + "' on ignored)");
      break;
    }
    out.push_back(std::move(name));
  }
  if (ignored > kMaxIgnoredAuthorWarnings) {
    warn("ignored " + std::to_string(ignored - kMaxIgnoredAuthorWarnings) +
         " more author names that are not a person's name");
  }
  return out;
}

// A warning on the article, at the record's line.
struct Warn {
  Article& article;
  const std::string& path;
  std::size_t line;
  void operator()(std::string message) const {
    article.diagnostics.push_back({Diagnostic::Severity::kWarning, path, line, std::move(message)});
  }
};

// The sidecar first: the researcher's corrections beat everything in the file.
void apply_sidecar(RawRecord& record, const RawRecord& s) {
  // For a JSON Lines file the sidecar describes the collection: only fields that can be shared
  // by every record apply (an id, url, title or date would merge all records).
  const bool collection = record.line > 0;
  if (!collection) {
    override_with(record.id, s.id);
    override_with(record.title, s.title);
    override_with(record.summary, s.summary);
    override_with(record.date, s.date);
    override_with(record.url, s.url);
    override_with(record.authors, s.authors);
  }
  override_with(record.organisation, s.organisation);
  override_with(record.type, s.type);
  override_with(record.language, s.language);
  override_with(record.topics, s.topics);
}

// Text: valid UTF-8 in NFC, no CR or NUL. Each section (and each gap between sections) is
// normalised on its own so that the section ranges can be recomputed exactly. False when the
// record has no usable text (an error in `diagnostics`).
bool clean_text(RawRecord& record, const std::string& path, const Warn& warn,
                std::vector<Diagnostic>& diagnostics) {
  if (first_invalid_utf8(record.body) != std::string_view::npos) {
    diagnostics.push_back({Diagnostic::Severity::kError, path, record.line,
                           "text is not valid UTF-8: record skipped"});
    return false;
  }
  auto clean = [](std::string_view piece) {
    std::string text(piece);
    std::erase(text, '\r');
    std::replace(text.begin(), text.end(), '\0', ' ');
    return to_nfc(std::move(text));
  };
  const bool needs = record.body.find_first_of(std::string_view("\r\0", 2)) != std::string::npos ||
                     to_nfc(record.body) != record.body;
  if (needs) {
    const std::string old = std::move(record.body);
    const std::string_view view(old);
    std::string body;
    std::size_t at = 0;  // position in the old body
    std::vector<RawSection> kept;
    for (auto section : record.sections) {
      if (section.begin < at || section.end > old.size() || section.begin >= section.end) {
        continue;
      }
      body += clean(view.substr(at, section.begin - at));
      const auto begin = body.size();
      body += clean(view.substr(section.begin, section.end - section.begin));
      at = section.end;
      section.begin = begin;
      section.end = body.size();
      kept.push_back(std::move(section));
    }
    body += clean(view.substr(at));
    record.body = std::move(body);
    record.sections = std::move(kept);
  }
  if (trim(record.body).empty()) {
    // A record with a title but no text (a catalogue entry, an abstract-less paper) is still
    // findable by its title; one with neither has nothing to index.
    const bool titled = record.title && !trim(record.title->value).empty();
    if (!titled) {
      diagnostics.push_back({Diagnostic::Severity::kError, path, record.line,
                             "no article text found: nothing to index"});
      return false;
    }
    warn("no article text: only the title and metadata are searchable");
    record.body.clear();
    record.sections.clear();
  }
  return true;
}

// The title as given, else the first section heading, else (a JSON Lines record) the opening
// words, else the file name.
void choose_title(const RawRecord& record, const NormaliseContext& context, const Warn& warn,
                  Article& article) {
  if (record.title) article.title = one_line(record.title->value);
  if (!article.title.empty()) {
    note_origin(article, "title", record.title->origin);
    return;
  }
  for (const auto& section : record.sections) {
    if (!section.heading.empty()) {
      article.title = one_line(section.heading);
      note_origin(article, "title", Origin::kTextHeuristic);
      break;
    }
  }
  if (article.title.empty() && record.line > 0) {
    // A record of a JSON Lines file: the file name names the collection, not the record, so
    // the record's opening words make a better title.
    article.title = opening_words(article.body, 80);
    if (!article.title.empty()) {
      // kDerived: a display title only; the indexer does not weight these words as a title.
      note_origin(article, "title", Origin::kDerived);
      warn("no title found: using the opening words of the text");
    }
  }
  if (article.title.empty()) {
    article.title = context.path.stem().string();
    if (article.title.empty() || first_invalid_utf8(article.title) != std::string_view::npos) {
      article.title = "(untitled)";
    }
    note_origin(article, "title", Origin::kFileName);
    warn("no title found: using the file name");
  }
}

// The language as given, else the folder's default, else detected from the text.
void choose_language(const RawRecord& record, const FolderDefaults& defaults, const Warn& warn,
                     Article& article) {
  article.language.clear();
  if (record.language) {
    article.language = normalize_language_tag(record.language->value);
    if (article.language.empty()) {
      warn("unknown language '" + one_line(record.language->value) + "': detecting instead");
    } else {
      note_origin(article, "language", record.language->origin);
    }
  }
  if (article.language.empty() && !defaults.language.empty()) {
    article.language = normalize_language_tag(defaults.language);
    if (!article.language.empty()) note_origin(article, "language", Origin::kConfiguration);
  }
  if (article.language.empty()) {
    article.language = detect_language(article.body);
    note_origin(article, "language", Origin::kDerived);
  }
}

// Identity: metadata id, else url, else path (with the line for JSON Lines records).
void choose_id(const RawRecord& record, const std::string& path, Article& article) {
  if (record.id) article.id = one_line(record.id->value);
  if (!article.id.empty()) {
    note_origin(article, "id", record.id->origin);
  } else if (!article.url.empty()) {
    article.id = article.url;
    note_origin(article, "id", Origin::kDerived);
  } else {
    article.id = path;
    if (record.line > 0) article.id += "#" + std::to_string(record.line);
    note_origin(article, "id", Origin::kDerived);
  }
}

// Sections: valid ranges in order, authors cleaned; unsigned ones inherit the article's.
void build_sections(const RawRecord& record, const NormaliseContext& context,
                    const std::string& site_name, Article& article) {
  std::size_t covered = 0;
  for (const auto& raw : record.sections) {
    if (raw.begin < covered || raw.end > article.body.size() || raw.begin >= raw.end) continue;
    Section section;
    section.heading = one_line(raw.heading);
    section.begin = raw.begin;
    section.end = raw.end;
    if (!raw.authors.empty()) {
      section.authors = canonical_authors(raw.authors, context, site_name, article);
    }
    section.signed_section = !section.authors.empty();
    if (!section.signed_section) section.authors = article.authors;
    covered = section.end;
    article.sections.push_back(std::move(section));
  }
  if (article.sections.empty()) {
    Section whole;
    whole.end = article.body.size();
    whole.authors = article.authors;
    article.sections.push_back(std::move(whole));
  }
}

}  // namespace

Aliases::Aliases(const CorpusConfig& config) {
  for (const auto& [variant, canonical] : config.author_aliases) {
    authors[fold_key(variant)] = canonical;
  }
  for (const auto& [variant, canonical] : config.organisation_aliases) {
    organisations[fold_key(variant)] = canonical;
  }
}

std::optional<Article> normalise(RawRecord record, const NormaliseContext& context,
                                 std::vector<Diagnostic>& diagnostics) {
  const std::string path = context.path.string();
  for (auto& d : record.diagnostics) {
    if (d.path.empty()) d.path = path;
    if (d.line == 0) d.line = record.line;
  }
  const bool rejected =
      std::any_of(record.diagnostics.begin(), record.diagnostics.end(),
                  [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::kError; });
  if (rejected) {
    diagnostics.insert(diagnostics.end(), record.diagnostics.begin(), record.diagnostics.end());
    return std::nullopt;
  }

  Article article;
  article.source_path = path;
  article.source_line = record.line;
  article.diagnostics = std::move(record.diagnostics);
  const Warn warn{article, path, record.line};

  if (context.sidecar != nullptr) apply_sidecar(record, *context.sidecar);
  if (!clean_text(record, path, warn, diagnostics)) return std::nullopt;
  article.body = std::move(record.body);

  const FolderDefaults defaults = context.config.defaults_for(context.path);

  // Organisation: aliases apply to configured defaults too.
  std::string site_name;
  if (record.organisation) site_name = one_line(record.organisation->value);
  if (!site_name.empty()) {
    article.organisation = lookup(context.aliases.organisations, site_name);
    note_origin(article, "organisation", record.organisation->origin);
  } else if (!defaults.organisation.empty()) {
    article.organisation = lookup(context.aliases.organisations, defaults.organisation);
    note_origin(article, "organisation", Origin::kConfiguration);
  }

  if (record.authors) {
    article.authors = canonical_authors(record.authors->value, context, site_name, article);
    if (!article.authors.empty()) note_origin(article, "authors", record.authors->origin);
  }

  if (record.date) {
    std::string why;
    if (auto date = parse_date(record.date->value, context.config.date_order, &why)) {
      article.date = *date;
      note_origin(article, "date", record.date->origin);
    } else {
      warn("unparseable date '" + one_line(record.date->value) + "' (" + one_line(why) +
           "): no date recorded");
    }
  }

  choose_title(record, context, warn, article);

  if (record.summary) {
    article.summary = one_line(record.summary->value);
    if (!article.summary.empty()) note_origin(article, "summary", record.summary->origin);
  }

  if (record.topics) {
    std::set<std::string> seen;
    for (const auto& topic : record.topics->value) {
      auto name = one_line(topic);
      if (!name.empty() && seen.insert(fold_key(name)).second) {
        article.topics.push_back(std::move(name));
      }
    }
    if (!article.topics.empty()) note_origin(article, "topics", record.topics->origin);
  }

  if (record.type) {
    article.type = fold_key(record.type->value);
    if (!article.type.empty()) note_origin(article, "type", record.type->origin);
  }
  if (article.type.empty() && !defaults.type.empty()) {
    article.type = fold_key(defaults.type);
    note_origin(article, "type", Origin::kConfiguration);
  }

  choose_language(record, defaults, warn, article);

  if (record.url) article.url = std::string(trim(record.url->value));
  if (!article.url.empty()) note_origin(article, "url", record.url->origin);

  choose_id(record, path, article);
  build_sections(record, context, site_name, article);
  return article;
}

}  // namespace dossier::detail
