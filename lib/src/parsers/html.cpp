// HTML parser: a saved think-tank page -> RawRecord (meta/JSON-LD metadata, boilerplate-free body).
// The parts are in parsers/html/ (internal.hpp says which file holds what); this file ties them
// together.
#include "parsers/html/internal.hpp"
#include "parsers/parsers.hpp"
#include "text/encoding.hpp"

#include <dossier/error.hpp>

#include <libxml/tree.h>

#include <climits>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace dossier::detail {
namespace html {

// ---------------------------------------------------------------------------------------------
// Putting it together.

Diagnostic diagnostic(const ParseContext& context, Diagnostic::Severity severity,
                      std::string message) {
  return Diagnostic{severity, context.path, 0, std::move(message)};
}

namespace {

// The first <h1> of the article, else the first on the page outside furniture that is not a
// linked logo or the site's name.
xmlNode* title_heading(const Page& page, const xmlNode* root, const NameFilter& names) {
  xmlNode* fallback = nullptr;
  for (xmlNode* h1 : page.h1s) {
    if (info_of(h1)->has_block) continue;  // an unclosed <h1> around the article
    if (page.body == nullptr || !is_ancestor(page.body, h1) || in_chrome(h1, page.body)) continue;
    std::size_t non_link = 0;
    const std::string text = text_of(h1, &non_link);
    if (text.empty() || non_link == 0 || names.is_site(text)) continue;
    if (root != nullptr && is_ancestor(root, h1)) return h1;
    if (fallback == nullptr) fallback = h1;
  }
  return fallback;
}

}  // namespace
}  // namespace html

// parse_html() calls the parts by their short names, as when they were all in this file.
using namespace html;

RawRecord parse_html(std::string_view bytes, const ParseContext& context) {
  RawRecord record;
  auto fail = [&](std::string message) {
    record.diagnostics.push_back(
        diagnostic(context, Diagnostic::Severity::kError, std::move(message)));
    record.body.clear();
    record.sections.clear();
    return std::move(record);
  };

  Decoded decoded;
  try {
    decoded = decode_to_utf8(bytes, declared_charset(bytes));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kParse) throw;
    return fail(std::string("cannot decode the page: ") + e.what());
  }
  if (decoded.utf8.size() > static_cast<std::size_t>(INT_MAX)) {
    return fail("page too large for the HTML parser (over 2 GiB)");
  }
  // A label the decoder did not know (a typo: "windwos-1252") was ignored and the charset
  // detected: the page says what it did.
  const std::string& encoding = decoded.encoding;
  if (!decoded.ignored_label.empty()) {
    record.diagnostics.push_back(diagnostic(
        context, Diagnostic::Severity::kWarning,
        "unknown charset '" + decoded.ignored_label + "' declared: detected " + encoding));
  }
  // UTF-8 with a few bad bytes is read with U+FFFD for them; say so (other conversions are the
  // page's declared or detected charset at work, not a loss).
  if (decoded.converted && encoding.rfind("UTF-8", 0) == 0) {
    record.diagnostics.push_back(diagnostic(context, Diagnostic::Severity::kWarning,
                                            "not valid UTF-8: read as " + encoding));
  }
  if (trim(decoded.utf8).empty()) return fail("no article text found");

  const DocPtr doc = parse_document(decoded.utf8);
  xmlNode* html = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (html == nullptr) return fail("no article text found");

  Page page;
  scan_page(page, html);
  LinkedData ld;
  read_linked_data(page, context, record, ld);

  NameFilter names;
  for (const std::string& site :
       {page.meta("og:site_name"), ld.publisher, ld.site_name, page.meta("citation_publisher"),
        page.meta("dc.publisher"), page.meta("application-name")}) {
    names.add_site(site);
  }

  xmlNode* root = nullptr;
  if (page.body != nullptr) {
    mark_boilerplate(page.body);
    const std::size_t page_clean = info_of(page.body)->clean;
    root = best_container(page.articles, page_clean);
    if (root == nullptr) root = best_container(page.mains, page_clean);
    if (root == nullptr) root = densest_block(page.body);
  }

  xmlNode* h1 = title_heading(page, root, names);
  offer_metadata(page, ld, names, h1 != nullptr ? text_of(h1) : std::string{}, record);

  const DateOrder order =
      context.config != nullptr ? context.config->date_order : DateOrder::kMonthDayYear;
  const std::string title_key = record.title ? fold(record.title->value) : std::string{};
  BodyExtractor extractor(record, names, order, h1, title_key);
  if (root != nullptr) {
    extractor.run(root);
    if (record.body.empty() && root != page.body) {
      // The chosen container held only furniture; the rest of the page may still hold text.
      record.sections.clear();
      extractor.run(page.body);
    }
  }
  offer_visible(page, extractor, names, record);

  if (record.body.empty()) return fail("no article text found");
  return record;
}

}  // namespace dossier::detail
