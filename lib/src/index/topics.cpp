// Topic tagging: taxonomy queries parsed once by Xapian's QueryParser, compiled into a flat
// program and evaluated on each article's section documents without a database.
#include "index/topics.hpp"

#include "xapian/errors.hpp"

#include <dossier/error.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <deque>
#include <map>
#include <tuple>
#include <utility>

namespace dossier::detail {
namespace {

constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;

// What the evaluator does at a node; several Xapian operators share one behaviour because
// only matching matters here, not weights.
enum class Kind : std::uint8_t {
  kTerm,      // LEAF_TERM
  kWildcard,  // OP_WILDCARD: prefix match on the document's terms
  kAll,       // LEAF_MATCH_ALL
  kNothing,   // LEAF_MATCH_NOTHING
  kAnd,       // OP_AND, OP_FILTER
  kOr,        // OP_OR, OP_SYNONYM, OP_MAX, OP_ELITE_SET, OP_SCALE_WEIGHT (one child)
  kAndNot,    // OP_AND_NOT
  kXor,       // OP_XOR
  kAndMaybe,  // OP_AND_MAYBE
  kPhrase,    // OP_PHRASE: in order, within the window
  kNear,      // OP_NEAR: any order, within the window
};

struct Node {
  Kind kind = Kind::kNothing;
  std::uint32_t first_child = 0;  // into CompiledProgram::children
  std::uint32_t child_count = 0;
  std::uint32_t index = 0;   // term id (kTerm), pattern id (kWildcard), label id (phrase/near)
  std::uint32_t window = 0;  // positions a phrase/near may span
};

// The Xapian description of a query without its "Query(...)" wrapper, or an empty view when
// the format is not the one Xapian 1.4 prints.
std::string_view unwrap_description(const std::string& description) {
  constexpr std::string_view kOpen = "Query(";
  std::string_view d = description;
  if (d.size() < kOpen.size() + 1 || d.substr(0, kOpen.size()) != kOpen || d.back() != ')') {
    return {};
  }
  return d.substr(kOpen.size(), d.size() - kOpen.size() - 1);
}

Error topic_error(const std::string& topic, const std::string& what) {
  return Error(ErrorCode::kParse, "topic '" + topic + "': " + what);
}

// The compiled taxonomy. TopicTagger::Program (private in the header) derives from it so that
// the helpers here can name it.
struct CompiledProgram {
  struct Term {
    std::string text;
    bool positional = false;  // positions needed (inside a phrase or NEAR)
  };
  std::vector<Term> terms;          // by term id
  std::vector<Term> patterns;       // wildcard prefixes, by pattern id
  std::vector<std::string> labels;  // phrase/NEAR leaves as reported, by label id
  std::vector<Node> nodes;
  std::vector<std::uint32_t> children;
  std::vector<std::uint32_t> roots;  // one per rule
  // (text, id) sorted by text: looked up in a document's sorted termlist with skip_to.
  std::vector<std::pair<std::string, std::uint32_t>> sorted_terms;
  std::vector<std::pair<std::string, std::uint32_t>> sorted_patterns;
  std::vector<bool> nested_pattern;  // by sorted position: extends an earlier pattern
};

// Builds a CompiledProgram from parsed queries: interns terms and patterns, reads the parts that
// Xapian 1.4 exposes only through get_description() (wildcard pattern, phrase window).
class Compiler {
 public:
  explicit Compiler(CompiledProgram& program) : p_(program) {}

  std::uint32_t compile(const Xapian::Query& query, const std::string& topic) {
    topic_ = &topic;
    return node(query, false);
  }

  void finish() {
    p_.sorted_terms.reserve(p_.terms.size());
    for (std::uint32_t id = 0; id < p_.terms.size(); ++id) {
      p_.sorted_terms.emplace_back(p_.terms[id].text, id);
    }
    std::sort(p_.sorted_terms.begin(), p_.sorted_terms.end());
    for (std::uint32_t id = 0; id < p_.patterns.size(); ++id) {
      p_.sorted_patterns.emplace_back(p_.patterns[id].text, id);
    }
    std::sort(p_.sorted_patterns.begin(), p_.sorted_patterns.end());
    p_.nested_pattern.assign(p_.sorted_patterns.size(), false);
    for (std::size_t i = 1; i < p_.sorted_patterns.size(); ++i) {
      for (std::size_t j = 0; j < i && !p_.nested_pattern[i]; ++j) {
        const auto& outer = p_.sorted_patterns[j].first;
        p_.nested_pattern[i] = p_.sorted_patterns[i].first.compare(0, outer.size(), outer) == 0;
      }
    }
  }

 private:
  // `positional`: the node is a direct operand of a phrase/NEAR and must yield positions.
  std::uint32_t node(const Xapian::Query& query, bool positional) {
    Node n;
    const auto type = query.get_type();
    switch (type) {
      case Xapian::Query::LEAF_TERM: {
        n.kind = Kind::kTerm;
        auto it = query.get_terms_begin();
        if (it == query.get_terms_end()) throw topic_error(*topic_, "empty term in query");
        n.index = intern(term_ids_, p_.terms, *it, positional);
        return add(n);
      }
      case Xapian::Query::OP_WILDCARD:
        n.kind = Kind::kWildcard;
        if (positional) break;  // rejected below
        n.index = intern(pattern_ids_, p_.patterns, wildcard_pattern(query), false);
        return add(n);
      case Xapian::Query::LEAF_MATCH_ALL:
        n.kind = Kind::kAll;
        break;
      case Xapian::Query::LEAF_MATCH_NOTHING:
        n.kind = Kind::kNothing;
        break;
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_FILTER:
        n.kind = Kind::kAnd;
        break;
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
      case Xapian::Query::OP_ELITE_SET:
      case Xapian::Query::OP_SCALE_WEIGHT:
        n.kind = Kind::kOr;
        break;
      case Xapian::Query::OP_AND_NOT:
        n.kind = Kind::kAndNot;
        break;
      case Xapian::Query::OP_XOR:
        n.kind = Kind::kXor;
        break;
      case Xapian::Query::OP_AND_MAYBE:
        n.kind = Kind::kAndMaybe;
        break;
      case Xapian::Query::OP_PHRASE:
        n.kind = Kind::kPhrase;
        break;
      case Xapian::Query::OP_NEAR:
        n.kind = Kind::kNear;
        break;
      default:
        throw topic_error(*topic_, "unsupported query construct " + query.get_description() +
                                       " (value ranges and posting sources cannot tag topics)");
    }
    // QueryParser only puts terms inside phrases (it drops a '*' there); anything else would
    // come from a future Xapian and has no position list here.
    if (positional) {
      throw topic_error(
          *topic_, "unsupported operand " + query.get_description() + " inside a phrase or NEAR");
    }
    const bool phrase = n.kind == Kind::kPhrase || n.kind == Kind::kNear;
    const auto count = query.get_num_subqueries();
    std::vector<std::uint32_t> kids;
    kids.reserve(count);
    std::string label;
    for (std::size_t i = 0; i < count; ++i) {
      const Xapian::Query sub = query.get_subquery(i);
      kids.push_back(node(sub, phrase));
      if (phrase) {
        if (i != 0) label += ' ';
        label += p_.terms[p_.nodes[kids.back()].index].text;
      }
    }
    if (phrase) {
      n.window = window(query, n.kind == Kind::kPhrase ? "PHRASE" : "NEAR");
      n.index = static_cast<std::uint32_t>(p_.labels.size());
      p_.labels.push_back('"' + label + '"');
    }
    n.first_child = static_cast<std::uint32_t>(p_.children.size());
    n.child_count = static_cast<std::uint32_t>(kids.size());
    p_.children.insert(p_.children.end(), kids.begin(), kids.end());
    return add(n);
  }

  std::uint32_t add(const Node& n) {
    p_.nodes.push_back(n);
    return static_cast<std::uint32_t>(p_.nodes.size() - 1);
  }

  static std::uint32_t intern(std::map<std::string, std::uint32_t, std::less<>>& ids,
                              std::vector<CompiledProgram::Term>& table, const std::string& text,
                              bool positional) {
    auto [it, inserted] = ids.try_emplace(text, static_cast<std::uint32_t>(table.size()));
    if (inserted) table.push_back({text, false});
    if (positional) table[it->second].positional = true;
    return it->second;
  }

  // Xapian 1.4.22 prints a wildcard as "Query(WILDCARD <SYNONYM|MAX|OR> <pattern>)" and has
  // no accessor for the pattern.
  std::string wildcard_pattern(const Xapian::Query& query) const {
    const std::string description = query.get_description();
    std::string_view d = unwrap_description(description);
    constexpr std::string_view kHead = "WILDCARD ";
    std::size_t space = std::string_view::npos;
    if (d.substr(0, kHead.size()) == kHead) space = d.find(' ', kHead.size());
    if (space == std::string_view::npos || space + 1 >= d.size()) {
      throw topic_error(*topic_, "cannot read the wildcard pattern of " + description);
    }
    return std::string(d.substr(space + 1));
  }

  // Xapian 1.4.22 prints a phrase as "Query((<op1> PHRASE <window> <op2> ...))"; the window is
  // not otherwise exposed. Reading it after the first operand's own description avoids being
  // fooled by nested descriptions.
  std::uint32_t window(const Xapian::Query& query, std::string_view op) const {
    const std::string description = query.get_description();
    const std::string first = query.get_subquery(0).get_description();
    std::string_view d = unwrap_description(description);
    const std::string_view operand = unwrap_description(first);
    std::uint32_t value = 0;
    bool ok = !operand.empty() && d.size() > operand.size() + 1 && d.front() == '(' &&
              d.substr(1, operand.size()) == operand;
    if (ok) {
      d.remove_prefix(1 + operand.size());
      ok = d.size() > op.size() + 2 && d.front() == ' ' && d.substr(1, op.size()) == op &&
           d[op.size() + 1] == ' ';
    }
    if (ok) {
      d.remove_prefix(op.size() + 2);
      const auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), value);
      ok = ec == std::errc() && end != d.data() && value > 0;
    }
    if (!ok) throw topic_error(*topic_, "cannot read the window of " + description);
    return value;
  }

  CompiledProgram& p_;
  const std::string* topic_ = nullptr;
  std::map<std::string, std::uint32_t, std::less<>> term_ids_;
  std::map<std::string, std::uint32_t, std::less<>> pattern_ids_;
};

using Positions = std::vector<Xapian::termpos>;

// A position list: a view into DocState::positions.
struct Span {
  const Xapian::termpos* begin = nullptr;
  const Xapian::termpos* end = nullptr;
};

// One document's terms as the program sees them. Reused across the documents of a match()
// call so that its vectors keep their capacity.
struct DocState {
  struct TermSlot {
    bool present = false;
    std::uint32_t pos_begin = 0;
    std::uint32_t pos_end = 0;
  };
  struct WildcardHit {
    std::uint32_t pattern;
    const std::string* term;  // owned by the match() call's pool, stable
  };
  std::vector<TermSlot> terms;    // by term id
  std::vector<WildcardHit> hits;  // in termlist order
  Positions positions;            // all positions read, sliced by the slots and hits
};

std::pair<std::uint32_t, std::uint32_t> read_positions(const Xapian::TermIterator& it,
                                                       Positions& out) {
  const auto begin = static_cast<std::uint32_t>(out.size());
  for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) out.push_back(*p);
  return {begin, static_cast<std::uint32_t>(out.size())};
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// Fills `state` from a document's termlist. A section has hundreds of terms and the taxonomy
// needs a few dozen, so they are found with skip_to, which steps over the others without
// copying their names (about 2.5 times cheaper than reading every term with Xapian 1.4.22).
// Termlists are sorted, so each pass moves forward only.
void load_document(const CompiledProgram& program, const Xapian::Document& doc, DocState& state,
                   std::deque<std::string>& pool) {
  state.terms.assign(program.terms.size(), {});
  state.hits.clear();
  state.positions.clear();
  const auto end = doc.termlist_end();
  if (!program.sorted_terms.empty()) {
    auto it = doc.termlist_begin();
    for (const auto& [text, id] : program.sorted_terms) {
      it.skip_to(text);
      if (it == end) break;
      if (*it != text) continue;
      auto& slot = state.terms[id];
      slot.present = true;
      if (program.terms[id].positional) {
        std::tie(slot.pos_begin, slot.pos_end) = read_positions(it, state.positions);
      }
    }
  }
  if (program.sorted_patterns.empty()) return;
  // Each pattern's terms are a contiguous run. A pattern that extends an earlier one ("cyberw"
  // after "cyber") lies inside the earlier run: it gets no run of its own (skip_to may not move
  // backwards) and is tested on every term of the outer run instead.
  auto it = doc.termlist_begin();
  const auto& patterns = program.sorted_patterns;
  for (std::size_t i = 0; i < patterns.size() && it != end; ++i) {
    if (program.nested_pattern[i]) continue;
    it.skip_to(patterns[i].first);
    for (; it != end; ++it) {
      std::string term = *it;
      if (!starts_with(term, patterns[i].first)) break;
      const std::string* stored = nullptr;
      for (std::size_t j = i; j < patterns.size(); ++j) {
        if (!starts_with(term, patterns[j].first)) continue;
        if (stored == nullptr) {
          // One copy per hit, kept for the whole match() call because leaves refer to it.
          pool.push_back(std::move(term));
          stored = &pool.back();
        }
        state.hits.push_back({patterns[j].second, stored});
      }
    }
  }
}

// Is there p0 < p1 < ... < pk-1 (one from each list) with pk-1 - p0 < window?
bool phrase_matches(const std::vector<Span>& lists, std::uint32_t window) {
  for (const auto* start = lists[0].begin; start != lists[0].end; ++start) {
    Xapian::termpos last = *start;
    bool fits = true;
    for (std::size_t i = 1; i < lists.size(); ++i) {
      // The earliest following position is the best choice for this start.
      const auto* next = std::upper_bound(lists[i].begin, lists[i].end, last);
      if (next == lists[i].end) return false;  // later starts cannot do better
      last = *next;
      if (last - *start >= window) {
        fits = false;
        break;
      }
    }
    if (fits) return true;
  }
  return false;
}

// Is there one position from each list, in any order, all within `window` positions?
bool near_matches(const std::vector<Span>& lists, std::uint32_t window) {
  std::vector<const Xapian::termpos*> heads;
  heads.reserve(lists.size());
  for (const auto& l : lists) heads.push_back(l.begin);
  while (true) {
    std::size_t lowest = 0;
    Xapian::termpos high = 0;
    for (std::size_t i = 0; i < heads.size(); ++i) {
      if (*heads[i] < *heads[lowest]) lowest = i;
      high = std::max(high, *heads[i]);
    }
    if (high - *heads[lowest] < window) return true;
    if (++heads[lowest] == lists[lowest].end) return false;
  }
}

class Evaluator {
 public:
  Evaluator(const CompiledProgram& program, DocState& state) : p_(program), s_(state) {}

  // True when node `id` matches; then its matching leaves are appended to `leaves`. On false,
  // `leaves` is left as it was.
  bool eval(std::uint32_t id, std::vector<std::string_view>& leaves) {
    const Node& n = p_.nodes[id];
    const std::uint32_t* kids = p_.children.data() + n.first_child;
    const std::size_t mark = leaves.size();
    switch (n.kind) {
      case Kind::kTerm:
        if (!s_.terms[n.index].present) return false;
        leaves.emplace_back(p_.terms[n.index].text);
        return true;
      case Kind::kWildcard: {
        for (const auto& hit : s_.hits) {
          if (hit.pattern == n.index) leaves.emplace_back(*hit.term);
        }
        return leaves.size() != mark;
      }
      case Kind::kAll:
        return true;
      case Kind::kNothing:
        return false;
      case Kind::kAnd:
        for (std::uint32_t i = 0; i < n.child_count; ++i) {
          if (!eval(kids[i], leaves)) {
            leaves.resize(mark);
            return false;
          }
        }
        return true;
      case Kind::kOr: {
        bool any = false;
        // No short cut: every matching alternative is a leaf for min_terms.
        for (std::uint32_t i = 0; i < n.child_count; ++i) any = eval(kids[i], leaves) || any;
        return any;
      }
      case Kind::kAndNot: {
        if (!eval(kids[0], leaves)) return false;
        const std::size_t kept = leaves.size();
        for (std::uint32_t i = 1; i < n.child_count; ++i) {
          const bool excluded = eval(kids[i], leaves);
          leaves.resize(excluded ? mark : kept);  // the excluded side is never a reason
          if (excluded) return false;
        }
        return true;
      }
      case Kind::kXor: {
        std::uint32_t matched = 0;
        for (std::uint32_t i = 0; i < n.child_count; ++i) {
          matched += eval(kids[i], leaves) ? 1U : 0U;
        }
        if (matched % 2 == 1) return true;
        leaves.resize(mark);
        return false;
      }
      case Kind::kAndMaybe:
        if (!eval(kids[0], leaves)) return false;
        for (std::uint32_t i = 1; i < n.child_count; ++i) eval(kids[i], leaves);
        return true;
      case Kind::kPhrase:
      case Kind::kNear:
        if (!positional_match(n, kids)) return false;
        leaves.emplace_back(p_.labels[n.index]);
        return true;
    }
    return false;
  }

 private:
  bool positional_match(const Node& n, const std::uint32_t* kids) {
    spans_.clear();
    for (std::uint32_t i = 0; i < n.child_count; ++i) {
      const auto& slot = s_.terms[p_.nodes[kids[i]].index];  // operands are terms
      if (slot.pos_begin == slot.pos_end) return false;      // absent, or no positions
      spans_.push_back({s_.positions.data() + slot.pos_begin, s_.positions.data() + slot.pos_end});
    }
    return n.kind == Kind::kPhrase ? phrase_matches(spans_, n.window)
                                   : near_matches(spans_, n.window);
  }

  const CompiledProgram& p_;
  DocState& s_;
  std::vector<Span> spans_;
};

}  // namespace

struct TopicTagger::Program : CompiledProgram {};

TopicTagger::TopicTagger(const std::vector<TopicRule>& rules, Xapian::QueryParser parser,
                         std::string (*fold)(std::string_view)) {
  parser.set_default_op(Xapian::Query::OP_OR);
  auto program = std::make_shared<Program>();
  Compiler compiler(*program);
  rules_.reserve(rules.size());
  for (const auto& rule : rules) {
    const std::string text = fold != nullptr ? fold(rule.query) : rule.query;
    Xapian::Query query;
    try {
      query = parser.parse_query(text, kParseFlags);
    } catch (const Xapian::Error& e) {
      throw topic_error(rule.name, "cannot parse query '" + rule.query + "': " + e.get_msg());
    }
    // An empty query can never assign its topic: almost certainly a taxonomy mistake.
    if (query.empty() || query.get_type() == Xapian::Query::LEAF_MATCH_NOTHING) {
      throw topic_error(rule.name, "query '" + rule.query + "' has no terms");
    }
    program->roots.push_back(compiler.compile(query, rule.name));
    rules_.push_back({rule.name, std::move(query), rule.min_terms});
  }
  compiler.finish();
  program_ = std::move(program);
}

std::vector<TopicMatch> TopicTagger::match(const std::vector<Xapian::Document>& documents) const {
  const CompiledProgram& program = *program_;
  std::vector<std::vector<std::string_view>> leaves(rules_.size());
  std::vector<char> matched(rules_.size(), 0);
  std::deque<std::string> pool;  // wildcard hits, referenced by `leaves`
  DocState state;
  Evaluator evaluator(program, state);
  try {
    for (const auto& doc : documents) {
      load_document(program, doc, state, pool);
      for (std::size_t r = 0; r < rules_.size(); ++r) {
        if (evaluator.eval(program.roots[r], leaves[r])) matched[r] = 1;
      }
    }
  } catch (const Xapian::Error&) {
    rethrow_as_dossier_error("topic tagging: reading a section document");
  }
  std::vector<TopicMatch> out;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    if (matched[r] == 0) continue;
    auto& l = leaves[r];
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
    if (l.size() < rules_[r].min_terms) continue;
    out.push_back({rules_[r].name, std::vector<std::string>(l.begin(), l.end())});
  }
  return out;
}

std::vector<std::string> TopicTagger::descriptions() const {
  std::vector<std::string> out;
  out.reserve(rules_.size());
  for (const auto& rule : rules_) out.push_back(rule.query.get_description());
  return out;
}

}  // namespace dossier::detail
