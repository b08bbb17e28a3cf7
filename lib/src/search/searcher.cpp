// Searcher: one request -> query + filters -> Xapian Enquire (BM25, collapsed per article,
// facets by match spy) -> hits with stored fields and snippets.
#include <dossier/error.hpp>
#include <dossier/search.hpp>
#include <dossier/text.hpp>

#include "analysis/analysis.hpp"
#include "format/index_folder.hpp"
#include "format/stored.hpp"
#include "schema/schema.hpp"
#include "search/facets.hpp"
#include "search/query.hpp"
#include "search/snippets.hpp"
#include "text/normalize.hpp"
#include "xapian/errors.hpp"

#include <xapian.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <type_traits>

namespace dossier {
namespace fs = std::filesystem;
using detail::bounded_term;
using detail::prefix_of;

namespace {

// Sort keys that put undated articles last in both directions: dated "\x01" + date, undated
// "" when newest first (smallest, so last in descending order) and "\x02" when oldest first.
class DateKey : public Xapian::KeyMaker {
 public:
  explicit DateKey(bool newest) : newest_(newest) {}
  std::string operator()(const Xapian::Document& doc) const override {
    auto value = doc.get_value(detail::kSlotDate);
    if (value.empty()) return newest_ ? std::string() : std::string("\x02");
    return "\x01" + value;
  }

 private:
  bool newest_;
};

// Pseudo-relevance and more-like-this terms: unprefixed words only, no numbers-only terms.
class WordTermsOnly : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (term.empty() || detail::has_field_prefix(term)) return false;
    return std::any_of(term.begin(), term.end(), [](char d) { return !(d >= '0' && d <= '9'); });
  }
};

std::vector<std::string> string_list(const nlohmann::json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string string_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::size_t size_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<std::size_t>() : 0;
}

// Proximity boosting: consecutive query words that occur near each other in a document add a
// share of their weight. AND_MAYBE: the pairs only re-rank documents the query already matches.
Xapian::Query with_proximity(const Xapian::Query& query, double weight) {
  std::vector<std::vector<std::string>> phrases;
  std::vector<std::string> loose;
  detail::QueryBuilder::collect_phrases(query, phrases, loose);
  std::vector<std::string> words;
  for (const auto& t : loose) {
    if (!t.empty() && !detail::has_field_prefix(t) && (words.empty() || words.back() != t)) {
      words.push_back(t);
    }
  }
  if (words.size() < 2) return query;
  constexpr Xapian::termcount kWindow = 6;
  std::vector<Xapian::Query> pairs;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const Xapian::Query pair[] = {Xapian::Query(words[i]), Xapian::Query(words[i + 1])};
    pairs.emplace_back(Xapian::Query::OP_NEAR, std::begin(pair), std::end(pair), kWindow);
  }
  const Xapian::Query near(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                       Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, near, weight));
}

// The language a query is analysed in: the one language the request filters on, else English.
std::string query_language(const SearchRequest& request) {
  if (request.languages.size() == 1) {
    try {
      return fold_key(request.languages[0]);
    } catch (const Error&) {
      return "en";
    }
  }
  return "en";
}

// Feedback terms for ranked-OR queries when the request does not say (docs/evaluation.md).
constexpr unsigned kDefaultExpandTerms = 10;

}  // namespace

struct Searcher::Impl {
  fs::path path;
  Xapian::Database db;
  std::optional<detail::QueryBuilder> builder;
  detail::SnippetMaker snippets;

  SearchResults run(const SearchRequest& request);
  SearchResults run_query(const SearchRequest& request, const std::string& text);
  Xapian::Query like_query(const SearchRequest& request, const Xapian::Query& text, bool& excluded);
  detail::HighlightTerms highlight_terms(const Xapian::Query& query);
  void fill_hit(Hit& hit, const nlohmann::json& data);
  std::vector<TermWeight> explain(const Xapian::Enquire& enquire, const Xapian::MSetIterator& it,
                                  const Xapian::Weight& weight, const Hit& hit,
                                  const std::set<std::string>& expansion, double expand_weight);
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;
Searcher::~Searcher() = default;

Searcher Searcher::open(const fs::path& db) {
  std::error_code ec;
  if (!fs::exists(db, ec)) {
    throw Error(ErrorCode::kNotFound, db.string() + ": no such index (run dossier-index first)");
  }
  if (!fs::is_directory(db, ec)) {
    throw Error(ErrorCode::kNotFound, db.string() + ": not an index folder");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = db;
  try {
    // A marked index whose version file is missing is being replaced by --full or --compact
    // (docs/index-format.md): the new one is in place within milliseconds.
    // A writer committing meanwhile can discard the revision being opened, or (rarely) show a
    // block of the next one: both are transient, so open again.
    bool opened = false;
    for (int attempt = 0;; ++attempt) {
      try {
        // Once opened, reopen (a failed construction inside Xapian leaks its tables).
        if (opened) {
          impl->db.reopen();
        } else {
          impl->db = Xapian::Database(db.string());
          opened = true;
        }
        // A marked index with no commit yet (its first indexer was killed before committing)
        // is an empty index, not a foreign database.
        detail::check_index_format(impl->db, db.string(), detail::is_index_folder(db));
        impl->builder.emplace(impl->db);
        break;
      } catch (const Xapian::DatabaseOpeningError&) {
        if (attempt >= 50 || !detail::is_index_folder(db)) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      } catch (const Xapian::DatabaseModifiedError&) {
        if (attempt >= 50) throw;
      } catch (const Xapian::DatabaseCorruptError&) {
        if (attempt >= 5) throw;  // damage that stays is real
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  } catch (const Error&) {
    throw;
  } catch (const Xapian::DatabaseOpeningError&) {
    throw Error(ErrorCode::kNotFound, db.string() + ": not a Dossier index");
  } catch (...) {
    detail::rethrow_as_dossier_error(db.string());
  }
  return Searcher(std::move(impl));
}

void Searcher::refresh() {
  // Like open(): a commit racing the reopen is retried, persistent damage is not.
  for (int attempt = 0;; ++attempt) {
    try {
      impl_->db.reopen();
      impl_->builder->refresh(impl_->db);
      return;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 50) detail::rethrow_as_dossier_error(impl_->path.string());
    } catch (const Xapian::DatabaseCorruptError&) {
      if (attempt >= 5) detail::rethrow_as_dossier_error(impl_->path.string());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } catch (...) {
      detail::rethrow_as_dossier_error(impl_->path.string());
    }
  }
}

SearcherInfo Searcher::info() const {
  try {
    SearcherInfo info;
    info.sections = impl_->db.get_doccount();
    // Articles: distinct article ids, one id term each.
    std::size_t ids = 0;
    const std::string prefix(prefix_of("id"));
    for (auto it = impl_->db.allterms_begin(prefix); it != impl_->db.allterms_end(prefix); ++it) {
      ++ids;
    }
    info.articles = ids;
    info.format_version = detail::kIndexFormatVersion;
    return info;
  } catch (...) {
    detail::rethrow_as_dossier_error(impl_->path.string());
  }
}

std::string Searcher::describe(const std::string& query, MatchMode mode) {
  try {
    return impl_->builder->parse(query, mode, SearchRequest{}.wildcard_limit)
        .query.get_description();
  } catch (const Error&) {
    throw;
  } catch (...) {
    detail::rethrow_as_dossier_error("query");
  }
}

namespace {

// Every numeric field in its documented range (SearchLimits), with the range in the message.
void check_request(const SearchRequest& r) {
  auto check = [](const char* field, auto value, auto min, auto max) {
    using T = decltype(value);
    bool ok = value >= static_cast<T>(min) && value <= static_cast<T>(max);
    if constexpr (std::is_floating_point_v<T>) ok = ok && std::isfinite(value);
    if (ok) return;
    std::ostringstream message;
    message << field << " " << value << " out of range " << min << ".." << max;
    throw Error(ErrorCode::kInvalidArgument, message.str());
  };
  using L = SearchLimits;
  check("limit", r.limit, 0, L::kMaxLimit);
  check("offset", r.offset, 0, L::kMaxOffset);
  check("facet_limit", r.facet_limit, 0, L::kMaxFacetLimit);
  check("snippets", r.snippets, 0, L::kMaxSnippets);
  check("snippet_bytes", r.snippet_bytes, L::kMinSnippetBytes, L::kMaxSnippetBytes);
  check("wildcard_limit", r.wildcard_limit, 1, L::kMaxWildcardLimit);
  check("k1", r.ranking.k1, 0, L::kMaxK1);
  check("b", r.ranking.b, 0, 1);
  check("proximity", r.ranking.proximity, 0, L::kMaxProximity);
  if (r.ranking.expand_terms) {
    check("expand_terms", *r.ranking.expand_terms, 0U, L::kMaxExpandTerms);
  }
  check("expand_documents", r.ranking.expand_documents, 1U, L::kMaxExpandDocuments);
  check("expand_weight", r.ranking.expand_weight, 0, L::kMaxExpandWeight);
}

}  // namespace

SearchResults Searcher::search(const SearchRequest& request) {
  check_request(request);
  for (const auto& f : request.facets) {
    if (detail::facet_slot(f) == Xapian::BAD_VALUENO) {
      throw Error(ErrorCode::kInvalidArgument,
                  "unknown facet '" + f + "' (use author, org, topic, type, lang, year, month)");
    }
  }
  // A search racing a commit may find its revision gone: reopen and try again.
  for (int attempt = 0;; ++attempt) {
    try {
      return impl_->run(request);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 4) {
        throw Error(ErrorCode::kIo,
                    impl_->path.string() + ": index kept changing during the search; try again");
      }
      refresh();  // retries, and throws only dossier::Error
    } catch (const Xapian::WildcardError& e) {
      throw Error(ErrorCode::kInvalidArgument, "wildcard: " + e.get_msg());
    } catch (const Error&) {
      throw;
    } catch (...) {
      detail::rethrow_as_dossier_error(impl_->path.string());
    }
  }
}

SearchResults Searcher::Impl::run(const SearchRequest& request) {
  auto results = run_query(request, request.query);
  if (!request.correct_spelling || request.query.empty()) return results;
  results.suggestion = builder->suggest(request.query);
  if (results.suggestion.empty() || results.total.upper > 0) return results;
  // Nothing matched and a correction exists: show the correction's results.
  auto corrected = run_query(request, results.suggestion);
  if (corrected.total.upper == 0) return results;
  corrected.suggestion = results.suggestion;
  corrected.corrected = true;  // printers say "no matches for X; showing results for Y"
  return corrected;
}

Xapian::Query Searcher::Impl::like_query(const SearchRequest& request, const Xapian::Query& text,
                                         bool& excluded) {
  const auto id_term = bounded_term(prefix_of("id"), request.like);
  Xapian::RSet rset;
  for (auto it = db.postlist_begin(id_term); it != db.postlist_end(id_term); ++it) {
    rset.add_document(*it);
  }
  if (rset.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "--like " + detail::to_valid_utf8(request.like) + ": no article with this id");
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(text.empty() ? Xapian::Query(std::string()) : text);  // MatchAll, unshared
  WordTermsOnly decider;
  const auto eset = enquire.get_eset(25, rset, &decider);
  std::vector<Xapian::Query> terms;
  for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
  excluded = true;
  Xapian::Query similar(Xapian::Query::OP_OR, terms.begin(), terms.end());
  return Xapian::Query(Xapian::Query::OP_AND_NOT, similar, Xapian::Query(id_term));
}

detail::HighlightTerms Searcher::Impl::highlight_terms(const Xapian::Query& query) {
  detail::HighlightTerms terms;
  std::vector<std::vector<std::string>> phrases;
  std::vector<std::string> loose;
  detail::QueryBuilder::collect_phrases(query, phrases, loose);
  const double n = static_cast<double>(std::max<Xapian::doccount>(db.get_doccount(), 1));
  // Title and heading terms highlight in the text too; boolean (filter) terms never do.
  const auto text_term = [](const std::string& term) -> std::optional<std::string> {
    if (const auto word = detail::text_word(term)) return std::string(*word);
    return std::nullopt;
  };
  const auto weight_of = [&](const std::string& term) {
    const double tf = static_cast<double>(std::max<Xapian::doccount>(db.get_termfreq(term), 1));
    return std::log(1.0 + n / tf);
  };
  for (const auto& t : loose) {
    if (auto plain = text_term(t)) terms.terms.emplace(*plain, weight_of(t));
  }
  for (const auto& phrase : phrases) {
    std::vector<std::string> words;
    for (const auto& t : phrase) {
      if (auto plain = text_term(t)) words.push_back(*plain);
    }
    if (!words.empty()) terms.phrases.push_back(std::move(words));
  }
  return terms;
}

void Searcher::Impl::fill_hit(Hit& hit, const nlohmann::json& data) {
  // Every stored field of the table into Hit::fields, then the named members from them.
  for (const auto& f : detail::kSchema) {
    if (f.store == detail::StoreAs::kNone) continue;
    auto& values = hit.fields[std::string(f.name)];
    const auto it = data.find(std::string(f.record));
    if (it == data.end()) continue;
    if (it->is_string()) {
      values.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      values = string_list(*it);
    } else if (it->is_number_unsigned()) {
      values.push_back(std::to_string(it->get<std::size_t>()));
    }
  }
  const auto one = [&hit](std::string_view name) {
    const auto& values = hit.fields[std::string(name)];
    return values.empty() ? std::string() : values.front();
  };
  hit.id = one("id");
  hit.title = one("title");
  hit.authors = hit.fields["author"];
  hit.organisation = one("org");
  hit.date = one("date");
  hit.type = one("type");
  hit.topics = hit.fields["topic"];
  hit.language = one("lang");
  hit.url = one("url");
  hit.path = one("path");
  hit.line = size_field(data, std::string(detail::record_of("line")).c_str());
  hit.summary = one("summary");
  if (const auto s = data.find("section"); s != data.end() && s->is_object()) {
    hit.section.index = size_field(*s, "index");
    hit.section.count = size_field(*s, "count");
    hit.section.heading = string_field(*s, "heading");
    hit.section.authors = string_list(s->value("authors", nlohmann::json::array()));
    hit.section.is_signed = s->value("signed", false);
    hit.section.begin = size_field(*s, "begin");
    hit.section.end = size_field(*s, "end");
  }
}

std::vector<TermWeight> Searcher::Impl::explain(const Xapian::Enquire& enquire,
                                                const Xapian::MSetIterator& it,
                                                const Xapian::Weight& weight, const Hit& hit,
                                                const std::set<std::string>& expansion,
                                                double expand_weight) {
  // Each matching term's share: the same weighting scheme scoring that term alone on this
  // section document (exact for BM25, whose per-term parts add up to the document's score).
  std::vector<TermWeight> out;
  const auto unique =
      bounded_term(prefix_of("unique"), hit.id + "#" + std::to_string(hit.section.index));
  for (auto t = enquire.get_matching_terms_begin(it); t != enquire.get_matching_terms_end(it);
       ++t) {
    Xapian::Enquire single(db);
    single.set_weighting_scheme(weight);
    single.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(*t), Xapian::Query(unique)));
    const auto mset = single.get_mset(0, 1);
    const bool expanded = expansion.count(*t) != 0;
    const double w =
        (mset.empty() ? 0.0 : mset.begin().get_weight()) * (expanded ? expand_weight : 1.0);
    if (w > 0) out.push_back({*t, w, expanded});
  }
  std::sort(out.begin(), out.end(),
            [](const TermWeight& a, const TermWeight& b) { return a.weight > b.weight; });
  return out;
}

SearchResults Searcher::Impl::run_query(const SearchRequest& request, const std::string& text) {
  SearchResults results;
  Xapian::Query main;
  if (!text.empty()) {
    auto parsed = builder->parse(text, request.mode, request.wildcard_limit,
                                 request.ranking.stopwords, query_language(request));
    main = std::move(parsed.query);
    results.warnings = std::move(parsed.warnings);
    if (request.ranking.proximity > 0) main = with_proximity(main, request.ranking.proximity);
  }
  bool like_only = false;
  if (!request.like.empty()) {
    bool excluded = false;
    auto similar = like_query(request, main, excluded);
    main = main.empty() ? similar : Xapian::Query(Xapian::Query::OP_AND_MAYBE, main, similar);
    like_only = text.empty();
  }
  results.browse = text.empty() && request.like.empty();
  const auto filters = builder->filters(request, results.warnings);
  const bool filtered = filters.get_type() != Xapian::Query::LEAF_MATCH_ALL;
  Xapian::Query query = results.browse ? Xapian::Query(std::string()) : main;
  if (filtered) query = Xapian::Query(Xapian::Query::OP_FILTER, query, filters);
  results.query_description = query.get_description();

  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  const Xapian::BM25Weight weight(request.ranking.k1, 0, 1, request.ranking.b, 0.5);
  enquire.set_weighting_scheme(weight);
  enquire.set_collapse_key(detail::kSlotArticle);
  std::optional<DateKey> key;
  if (request.sort == SortOrder::kNewest ||
      (results.browse && request.sort == SortOrder::kRelevance)) {
    key.emplace(true);
    enquire.set_sort_by_key_then_relevance(&*key, true);
  } else if (request.sort == SortOrder::kOldest) {
    key.emplace(false);
    enquire.set_sort_by_key_then_relevance(&*key, false);
  }

  std::set<std::string> expansion_terms;
  // Highlights are the user's terms, never the expansion's.
  const Xapian::Query highlight_source = query;
  // Pseudo-relevance feedback: add the top documents' best terms, weighted down. For a ranked
  // OR they may bring in new matches; for all-words queries they only re-rank (AND_MAYBE), so
  // the match set stays what the user asked for.
  const unsigned expand_terms = request.ranking.expand_terms.value_or(
      request.mode == MatchMode::kAny ? kDefaultExpandTerms : 0U);
  if (expand_terms > 0 && !results.browse && !like_only) {
    const auto top = enquire.get_mset(0, request.ranking.expand_documents);
    if (!top.empty()) {
      Xapian::RSet rset;
      for (auto it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
      WordTermsOnly decider;
      const auto eset = enquire.get_eset(expand_terms, rset, &decider);
      std::vector<Xapian::Query> extra;
      for (auto it = eset.begin(); it != eset.end(); ++it) {
        extra.emplace_back(*it);
        expansion_terms.insert(*it);
      }
      Xapian::Query expansion(Xapian::Query::OP_OR, extra.begin(), extra.end());
      const auto op =
          request.mode == MatchMode::kAny ? Xapian::Query::OP_OR : Xapian::Query::OP_AND_MAYBE;
      Xapian::Query expanded(
          op, main,
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, expansion, request.ranking.expand_weight));
      query = filtered ? Xapian::Query(Xapian::Query::OP_FILTER, expanded, filters) : expanded;
      enquire.set_query(query);
      results.query_description = query.get_description();
    }
  }

  std::optional<detail::FacetCollector> spy;
  // Facets, timelines and exact totals need every match seen, once per article.
  if (!request.facets.empty() || request.timeline != TimelineUnit::kNone || request.exact_total) {
    spy.emplace(request.facets, request.timeline);
    enquire.add_matchspy(&*spy);
  }
  const Xapian::doccount check_at_least =
      spy ? db.get_doccount() : static_cast<Xapian::doccount>(request.offset + request.limit + 1);
  const auto mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                     static_cast<Xapian::doccount>(request.limit), check_at_least);
  enquire.clear_matchspies();

  results.total.estimate = mset.get_matches_estimated();
  results.total.lower = mset.get_matches_lower_bound();
  results.total.upper = mset.get_matches_upper_bound();
  results.total.exact = results.total.lower == results.total.upper;
  if (spy) {
    // The spy saw every match: its article count is exact.
    results.total.estimate = results.total.lower = results.total.upper = spy->articles();
    results.total.exact = true;
    results.facets = spy->facets(request.facet_limit);
    results.timeline_unit = request.timeline;
    if (request.timeline != TimelineUnit::kNone) results.timeline = spy->timeline(results.undated);
  }

  const auto terms = results.browse || request.snippets == 0 ? detail::HighlightTerms{}
                                                             : highlight_terms(highlight_source);
  detail::SnippetOptions snippet_options;
  snippet_options.passages = request.snippets;
  snippet_options.max_bytes = request.snippet_bytes;
  std::size_t rank = request.offset;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Hit hit;
    hit.rank = ++rank;
    hit.score = results.browse ? 0.0 : it.get_weight();
    hit.percent = results.browse ? 0 : it.get_percent();
    const auto stored = it.get_document().get_data();
    const auto parts = detail::split_stored(stored);
    const auto data = nlohmann::json::parse(parts.json, nullptr, false);
    if (!data.is_object()) {
      throw Error(ErrorCode::kCorrupt,
                  path.string() + ": a document's stored data is unreadable; rebuild the index");
    }
    fill_hit(hit, data);
    if (request.snippets > 0) {
      hit.snippets = snippets.make(parts.text, hit.language, terms, snippet_options);
    }
    if (request.explain && !results.browse)
      hit.explanation =
          explain(enquire, it, weight, hit, expansion_terms, request.ranking.expand_weight);
    results.hits.push_back(std::move(hit));
  }
  return results;
}

}  // namespace dossier
