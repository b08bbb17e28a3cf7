// Reading an index's figures and records without a searcher: index_stats (dossier-index
// --stats) and explain_topics (--explain-topics).
#include <dossier/index_writer.hpp>

#include "analysis/analysis.hpp"
#include "index/document.hpp"
#include "index/file_state.hpp"
#include "schema/schema.hpp"
#include "xapian/errors.hpp"

#include <dossier/error.hpp>

#include <xapian.h>
#include <nlohmann/json.hpp>

namespace dossier {
namespace fs = std::filesystem;
using detail::bounded_term;
using detail::prefix_of;

namespace {

std::string date_from_slot(const std::string& value) {
  if (value.empty()) return {};
  const auto n = static_cast<int>(Xapian::sortable_unserialise(value));
  Date d{n / 10000, n / 100 % 100, n % 100, Date::Precision::kDay};
  if (d.month == 0)
    d.precision = Date::Precision::kYear;
  else if (d.day == 0)
    d.precision = Date::Precision::kMonth;
  return d.iso();
}

void check_format(const Xapian::Database& db, const fs::path& path) {
  detail::check_index_format(db, path.string(), true);
}

}  // namespace

IndexStats index_stats(const fs::path& path) {
  try {
    if (!fs::exists(path)) throw Error(ErrorCode::kNotFound, path.string() + ": no index here");
    Xapian::Database db(path.string());
    check_format(db, path);
    IndexStats stats;
    stats.format_version = detail::kIndexFormatVersion;
    stats.sections = db.get_doccount();
    auto count = [&](std::string_view field) {
      const std::string prefix(prefix_of(field));
      std::size_t n = 0;
      for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++n;
      return n;
    };
    stats.articles = count("id");
    stats.authors = count("author");
    stats.organisations = count("org");
    stats.topics = count("topic");
    stats.files = detail::count_file_states(db);
    stats.first_date = date_from_slot(db.get_value_lower_bound(detail::kSlotDate));
    stats.last_date = date_from_slot(db.get_value_upper_bound(detail::kSlotDate));
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
      std::error_code size_ec;
      if (entry.is_regular_file(size_ec)) stats.bytes_on_disk += entry.file_size(size_ec);
    }
    return stats;
  } catch (const Error&) {
    throw;
  } catch (...) {
    detail::rethrow_as_dossier_error(path.string());
  }
}

std::vector<TopicExplanation> explain_topics(const fs::path& path, const std::string& id) {
  try {
    Xapian::Database db(path.string());
    check_format(db, path);
    const auto term = bounded_term(prefix_of("id"), id);
    auto it = db.postlist_begin(term);
    if (it == db.postlist_end(term)) {
      throw Error(ErrorCode::kNotFound, path.string() + ": no article with id '" + id + "'");
    }
    const auto stored = db.get_document(*it).get_data();
    const auto data = nlohmann::ordered_json::parse(detail::split_stored(stored).json);
    std::vector<TopicExplanation> out;
    for (const auto& [topic, terms] : data.at("topic_terms").items()) {
      out.push_back({topic, terms.get<std::vector<std::string>>()});
    }
    return out;
  } catch (const Error&) {
    throw;
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::kCorrupt, path.string() + ": stored data unreadable: " + e.what());
  } catch (...) {
    detail::rethrow_as_dossier_error(path.string());
  }
}

}  // namespace dossier
