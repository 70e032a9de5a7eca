// Boundary witnesses (`edict diff OLD NEW --witnesses`): candidate values from every threshold, group and
// effective date of the rules that differ between OLD and NEW, enumerated and evaluated on both policies;
// disagreements grouped into regions by decisions, classifications and the truth of the differing checks.
#include "edict/witness.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <boost/multiprecision/cpp_int.hpp>

#include "witness/mini_eval.hpp"
#include "api/internals.hpp"

namespace edict {
namespace analysis {

namespace {

using ir::kNone;
using Path = std::string;
using Assignment = std::map<Path, std::optional<FactValue>>;  // nullopt = absent

constexpr int kSolveSearch = 400;

Date latest_rulebook() { return Date::from_days(Date::max().days() - 1); }

// ------------------------------------------------------------------ exact decimals

bool terminating(const Rational& r) {
  Integer d = boost::multiprecision::denominator(r);
  while (d % 2 == 0) d /= 2;
  while (d % 5 == 0) d /= 5;
  return d == 1;
}

Integer pow10(int k) {
  Integer r = 1;
  for (int i = 0; i < k; ++i) r *= 10;
  return r;
}

// One unit of the last decimal place of a terminating decimal (at least 1 for integers).
Rational unit_of(const Rational& r) {
  for (int k = 0; k < 30; ++k) {
    const Rational scaled = r * Rational(pow10(k));
    if (boost::multiprecision::denominator(scaled) == 1) return k == 0 ? Rational(1) : Rational(Integer(1), pow10(k));
  }
  return Rational(Integer(1), pow10(30));
}

Rational round_to(const Rational& r, int digits, bool up) {
  const Integer scale = pow10(digits);
  const Rational scaled = r * Rational(scale);
  const Integer n = boost::multiprecision::numerator(scaled);
  const Integer d = boost::multiprecision::denominator(scaled);
  Integer q = n / d;  // truncates toward zero
  if (q * d != n) {
    if (n < 0 && !up) q -= 1;
    if (n > 0 && up) q += 1;
  }
  return Rational(q, scale);
}

std::string decimal_text(const Rational& r) { return core::format_decimal(r); }

FactValue number_value(const Rational& r) {
  FactValue v;
  v.kind = FactValue::Kind::kNumber;
  v.text = decimal_text(r);
  return v;
}
FactValue string_value(std::string s) {
  FactValue v;
  v.kind = FactValue::Kind::kString;
  v.text = std::move(s);
  return v;
}
FactValue bool_value(bool b) {
  FactValue v;
  v.kind = FactValue::Kind::kBool;
  v.boolean = b;
  return v;
}

std::string value_text(const std::optional<FactValue>& v) {
  if (!v) return "(absent)";
  switch (v->kind) {
    case FactValue::Kind::kBool: return v->boolean ? "true" : "false";
    case FactValue::Kind::kNumber: return v->text;
    default: return "\"" + v->text + "\"";
  }
}

// ------------------------------------------------------------------ one side (OLD or NEW)

struct Side {
  const Policy* policy = nullptr;
  const CompiledProgram* p = nullptr;
  std::optional<Date> rules_option;
  Date rules;
  const char* label = "";

  const ir::RuleVersion* visible(const ir::Entity& e) const {
    for (const auto& v : e.versions) {
      if (v.known_from <= rules && rules < v.known_until) return &v;
    }
    return nullptr;
  }
  std::uint32_t entity_index(const std::string& name) const {
    for (std::uint32_t i = 0; i < p->entities.size(); ++i) {
      if (p->entities[i].name == name) return i;
    }
    return kNone;
  }

  // Converts a raw fact value to the program's type (nullopt when it does not fit).
  std::optional<MiniValue> typed(std::uint32_t slot, const FactValue& raw) const {
    const auto& f = p->facts[slot];
    MiniValue v;
    switch (f.type.type) {
      case ir::Type::kBool:
        if (raw.kind != FactValue::Kind::kBool) return std::nullopt;
        return MiniValue::of_bool(raw.boolean);
      case ir::Type::kNumber: {
        if (raw.kind != FactValue::Kind::kNumber) return std::nullopt;
        auto n = core::parse_decimal(raw.text, false);
        if (!n) return std::nullopt;
        v.kind = MiniValue::Kind::kNumber;
        v.number = *n;
        return v;
      }
      case ir::Type::kString:
        if (raw.kind != FactValue::Kind::kString) return std::nullopt;
        v.kind = MiniValue::Kind::kString;
        v.string = raw.text;
        return v;
      case ir::Type::kDate: {
        auto d = raw.kind == FactValue::Kind::kString ? Date::parse(raw.text) : std::nullopt;
        if (!d) return std::nullopt;
        v.kind = MiniValue::Kind::kDate;
        v.integer = d->days();
        return v;
      }
      case ir::Type::kEnum: {
        if (raw.kind != FactValue::Kind::kString || f.type.enum_id == kNone) return std::nullopt;
        const auto& e = p->enums[f.type.enum_id];
        const auto it = e.index.find(raw.text);
        if (it == e.index.end()) return std::nullopt;
        v.kind = MiniValue::Kind::kEnum;
        v.integer = it->second;
        return v;
      }
      default: return std::nullopt;
    }
  }

  // Typed values of an assignment, by slot (absent: nullopt).
  std::vector<std::pair<std::uint32_t, MiniValue>> typed_values(const Assignment& a) const {
    std::vector<std::pair<std::uint32_t, MiniValue>> out;
    for (const auto& [path, value] : a) {
      if (!value) continue;
      const auto it = p->fact_index.find(path);
      if (it == p->fact_index.end()) continue;
      if (auto v = typed(it->second, *value)) out.emplace_back(it->second, std::move(*v));
    }
    return out;
  }
};

// ------------------------------------------------------------------ structure (what differs)

struct Structure {
  const Side& s;
  std::unordered_map<std::uint32_t, std::string> group_memo;

  std::string group(std::uint32_t g) {
    if (auto it = group_memo.find(g); it != group_memo.end()) return it->second;
    const auto& grp = s.p->groups[g];
    std::string out = "G(" + grp.name + ":";
    if (grp.definition != kNone) {
      out += node(grp.definition);
    } else {
      auto events = [&](const std::vector<ir::MembershipEvent>& evs) {
        std::string t;
        for (const auto& e : evs) {
          if (e.known_from > s.rules) continue;
          t += (e.add ? "+" : "-") + e.from.to_string() + ",";
        }
        return t;
      };
      for (std::size_t i = 0; i < grp.enum_events.size(); ++i) {
        const auto t = events(grp.enum_events[i]);
        if (!t.empty()) out += s.p->enums[grp.element.enum_id].codes[i] + "[" + t + "]";
      }
      for (std::size_t i = 0; i < grp.entries.size(); ++i) {
        const auto t = events(grp.entry_events[i]);
        if (!t.empty()) out += "\"" + grp.entries[i] + "\"[" + t + "]";
      }
      std::vector<std::pair<std::string, std::uint32_t>> keys(grp.keys.begin(), grp.keys.end());
      std::sort(keys.begin(), keys.end());
      for (const auto& [k, e] : keys) out += k + ">" + std::to_string(e) + ";";
    }
    out += ")";
    return group_memo[g] = out;
  }

  std::string parameter(std::uint32_t i) {
    const auto& param = s.p->parameters[i];
    std::string out = "P(" + param.name + ":";
    for (const auto& st : param.steps) {
      if (st.known_from > s.rules || st.known_until <= s.rules) continue;
      out += st.from.to_string() + "=" + (st.value == kNone ? std::string("none") : node(st.value)) + ";";
    }
    return out + ")";
  }

  std::string node(std::uint32_t index) {
    if (index == kNone) return "-";
    const auto& n = s.p->nodes[index];
    const std::string neg = n.negated ? "!" : "";
    switch (n.op) {
      case ir::Op::kConstBool: return n.a ? "true" : "false";
      case ir::Op::kConstNum: return "N" + s.p->numbers[n.a].str();
      case ir::Op::kConstStr: return "S\"" + s.p->strings[n.a] + "\"";
      case ir::Op::kConstDate: return "D" + std::to_string(static_cast<std::int32_t>(n.a));
      case ir::Op::kConstEnum:
        return "E" + (n.type.enum_id != kNone ? s.p->enums[n.type.enum_id].codes[n.a] : std::to_string(n.a));
      case ir::Op::kFact: return "F" + s.p->facts[n.a].path;
      case ir::Op::kDefinition:
        return "Def(" + s.p->definitions[n.a].name + ":" + node(s.p->definitions[n.a].node) + ")";
      case ir::Op::kParameter: return parameter(n.a);
      case ir::Op::kTier: {
        const auto& t = s.p->tiers[n.a];
        std::string out = "T(" + t.name + ":";
        for (const auto& c : t.cases) out += s.p->strings[c.label] + "<-" + node(c.condition) + ";";
        return out + "else " + s.p->strings[t.otherwise] + ")";
      }
      case ir::Op::kClassified: return "C\"" + s.p->labels[n.a] + "\"";
      case ir::Op::kPresent: return neg + "Present(" + s.p->facts[n.a].path + ")";
      case ir::Op::kSetGroup: return group(n.a);
      case ir::Op::kCompare: {
        std::string out = "Cmp(";
        for (std::uint32_t i = 0; i < n.kid_count; ++i) {
          if (i > 0) out += " " + std::to_string(static_cast<int>(s.p->compare_ops[n.first_kid + i - 1])) + " ";
          out += node(s.p->kid_list[n.first_kid + i]);
        }
        return out + ")";
      }
      default:
        return neg + "Op" + std::to_string(static_cast<int>(n.op)) + "(" + node(n.a) + "," + node(n.b) + "," +
               node(n.c) + ")";
    }
  }
};

// ------------------------------------------------------------------ fact knowledge gathered from conditions

struct SetUse {
  int side;
  std::uint32_t set_node;
};

struct Solve {
  int side;
  std::uint32_t expr;
  std::vector<Rational> bounds;
  std::set<Path> facts;
};

struct FactInfo {
  std::set<Rational> bounds;            // numbers compared directly with a constant or a parameter
  std::set<std::int32_t> date_bounds;   // dates (days)
  std::vector<SetUse> sets;             // `in` / `matches` sets
  std::set<std::string> equal_to;       // enum codes and strings compared with ==
  bool present_tested = false;
  bool denominator = false;
};

struct Knowledge {
  std::map<Path, FactInfo> facts;
  std::vector<Solve> solves;
};

class Collector {
 public:
  Collector(const Side& side, int side_index, Knowledge& k) : s_(side), side_(side_index), k_(k) {}

  void walk(std::uint32_t index) {
    if (index == kNone || !seen_.insert(index).second) return;
    const auto& n = s_.p->nodes[index];
    switch (n.op) {
      case ir::Op::kFact: k_.facts[path(n.a)]; return;
      case ir::Op::kDefinition: walk(s_.p->definitions[n.a].node); return;
      case ir::Op::kTier:
        for (const auto& c : s_.p->tiers[n.a].cases) walk(c.condition);
        return;
      case ir::Op::kPresent:
        k_.facts[path(n.a)].present_tested = true;
        return;
      case ir::Op::kDiv:
        mark_denominator(n.b);
        break;
      case ir::Op::kCompare:
        for (std::uint32_t i = 0; i + 1 < n.kid_count; ++i) {
          pair(s_.p->kid_list[n.first_kid + i], s_.p->compare_ops[n.first_kid + i], s_.p->kid_list[n.first_kid + i + 1]);
        }
        for (std::uint32_t i = 0; i < n.kid_count; ++i) walk(s_.p->kid_list[n.first_kid + i]);
        return;
      case ir::Op::kIn:
      case ir::Op::kMatches: {
        const auto f = single_fact(n.a);
        if (f) k_.facts[*f].sets.push_back({side_, n.b});
        walk(n.a);
        return;
      }
      default: break;
    }
    walk(n.a == kNone || !has_kid_a(n.op) ? kNone : n.a);
    if (has_kid_b(n.op)) walk(n.b);
    if (n.op == ir::Op::kIf) walk(n.c);
  }

  std::set<Path> facts_of(std::uint32_t index) {
    std::set<Path> out;
    facts_into(index, out);
    return out;
  }

 private:
  static bool has_kid_a(ir::Op op) {
    switch (op) {
      case ir::Op::kNeg: case ir::Op::kNot: case ir::Op::kAnd: case ir::Op::kOr: case ir::Op::kAdd:
      case ir::Op::kSub: case ir::Op::kMul: case ir::Op::kDiv: case ir::Op::kIf: return true;
      default: return false;
    }
  }
  static bool has_kid_b(ir::Op op) {
    switch (op) {
      case ir::Op::kAnd: case ir::Op::kOr: case ir::Op::kAdd: case ir::Op::kSub: case ir::Op::kMul:
      case ir::Op::kDiv: case ir::Op::kIf: return true;
      default: return false;
    }
  }

  const std::string& path(std::uint32_t slot) const { return s_.p->facts[slot].path; }

  void mark_denominator(std::uint32_t index) {
    const auto f = single_fact(index);
    if (f) k_.facts[*f].denominator = true;
  }

  void facts_into(std::uint32_t index, std::set<Path>& out) {
    if (index == kNone) return;
    const auto& n = s_.p->nodes[index];
    switch (n.op) {
      case ir::Op::kFact: out.insert(path(n.a)); return;
      case ir::Op::kDefinition: facts_into(s_.p->definitions[n.a].node, out); return;
      case ir::Op::kCompare:
        for (std::uint32_t i = 0; i < n.kid_count; ++i) facts_into(s_.p->kid_list[n.first_kid + i], out);
        return;
      case ir::Op::kTier:
        for (const auto& c : s_.p->tiers[n.a].cases) facts_into(c.condition, out);
        return;
      case ir::Op::kPresent: out.insert(path(n.a)); return;
      case ir::Op::kIn:
      case ir::Op::kMatches: facts_into(n.a, out); return;
      default: break;
    }
    if (has_kid_a(n.op)) facts_into(n.a, out);
    if (has_kid_b(n.op)) facts_into(n.b, out);
    if (n.op == ir::Op::kIf) facts_into(n.c, out);
  }

  // The fact a node stands for (through definitions that are just a fact).
  std::optional<Path> single_fact(std::uint32_t index) const {
    const auto& n = s_.p->nodes[index];
    if (n.op == ir::Op::kFact) return path(n.a);
    if (n.op == ir::Op::kDefinition) return single_fact(s_.p->definitions[n.a].node);
    return std::nullopt;
  }

  // Constant numeric values of a bound: a literal, a negated literal, or every value of a parameter.
  std::optional<std::vector<Rational>> bound_values(std::uint32_t index) const {
    const auto& n = s_.p->nodes[index];
    switch (n.op) {
      case ir::Op::kConstNum: return std::vector<Rational>{s_.p->numbers[n.a]};
      case ir::Op::kNeg: {
        auto v = bound_values(n.a);
        if (v) for (auto& x : *v) x = -x;
        return v;
      }
      case ir::Op::kParameter: {
        std::vector<Rational> out;
        for (const auto& st : s_.p->parameters[n.a].steps) {
          if (st.value == kNone || st.known_from > s_.rules || st.known_until <= s_.rules) continue;
          if (auto v = bound_values(st.value)) out.insert(out.end(), v->begin(), v->end());
        }
        return out;
      }
      case ir::Op::kAdd: case ir::Op::kSub: case ir::Op::kMul: case ir::Op::kDiv: {
        auto a = bound_values(n.a);
        auto b = bound_values(n.b);
        if (!a || !b || a->size() != 1 || b->size() != 1) return std::nullopt;
        const auto& x = a->front();
        const auto& y = b->front();
        if (n.op == ir::Op::kDiv && y == 0) return std::nullopt;
        Rational r;
        if (n.op == ir::Op::kAdd) r = x + y;
        else if (n.op == ir::Op::kSub) r = x - y;
        else if (n.op == ir::Op::kMul) r = x * y;
        else r = x / y;
        return std::vector<Rational>{r};
      }
      default: return std::nullopt;
    }
  }

  void pair(std::uint32_t l, syntax::CompareOp, std::uint32_t r) {
    const auto& ln = s_.p->nodes[l];
    const auto& rn = s_.p->nodes[r];
    // Enumerations and strings compared with a constant.
    for (int flip = 0; flip < 2; ++flip) {
      const auto& cn = flip ? ln : rn;
      const auto other = flip ? r : l;
      if (cn.op == ir::Op::kConstEnum || cn.op == ir::Op::kConstStr || cn.op == ir::Op::kConstDate) {
        const auto f = single_fact(other);
        if (!f) continue;
        if (cn.op == ir::Op::kConstEnum && cn.type.enum_id != kNone) {
          k_.facts[*f].equal_to.insert(s_.p->enums[cn.type.enum_id].codes[cn.a]);
        } else if (cn.op == ir::Op::kConstStr) {
          k_.facts[*f].equal_to.insert(s_.p->strings[cn.a]);
        } else {
          k_.facts[*f].date_bounds.insert(static_cast<std::int32_t>(cn.a));
        }
      }
    }
    const auto lb = bound_values(l);
    const auto rb = bound_values(r);
    if (lb && !rb) constrain(r, *lb);
    if (rb && !lb) constrain(l, *rb);
  }

  void constrain(std::uint32_t expr, const std::vector<Rational>& bounds) {
    if (bounds.empty() || s_.p->nodes[expr].type.type != ir::Type::kNumber) return;
    if (const auto f = single_fact(expr)) {
      k_.facts[*f].bounds.insert(bounds.begin(), bounds.end());
      return;
    }
    Solve solve{side_, expr, bounds, facts_of(expr)};
    if (!solve.facts.empty()) k_.solves.push_back(std::move(solve));
  }

  const Side& s_;
  int side_;
  Knowledge& k_;
  std::set<std::uint32_t> seen_;
};

// Labels tested by a condition (through definitions and tiers).
void labels_tested(const CompiledProgram& p, std::uint32_t index, std::set<std::string>& out,
                   std::set<std::uint32_t>& seen) {
  if (index == kNone || !seen.insert(index).second) return;
  const auto& n = p.nodes[index];
  switch (n.op) {
    case ir::Op::kClassified: out.insert(p.labels[n.a]); return;
    case ir::Op::kDefinition: labels_tested(p, p.definitions[n.a].node, out, seen); return;
    case ir::Op::kTier:
      for (const auto& c : p.tiers[n.a].cases) labels_tested(p, c.condition, out, seen);
      return;
    case ir::Op::kCompare:
      for (std::uint32_t i = 0; i < n.kid_count; ++i) labels_tested(p, p.kid_list[n.first_kid + i], out, seen);
      return;
    case ir::Op::kNeg: case ir::Op::kNot: labels_tested(p, n.a, out, seen); return;
    case ir::Op::kAnd: case ir::Op::kOr: case ir::Op::kAdd: case ir::Op::kSub: case ir::Op::kMul:
    case ir::Op::kDiv:
      labels_tested(p, n.a, out, seen);
      labels_tested(p, n.b, out, seen);
      return;
    case ir::Op::kIf:
      labels_tested(p, n.a, out, seen);
      labels_tested(p, n.b, out, seen);
      labels_tested(p, n.c, out, seen);
      return;
    case ir::Op::kIn: case ir::Op::kMatches: labels_tested(p, n.a, out, seen); return;
    default: return;
  }
}

// The checks (comparisons, memberships, presence tests) of a condition, in source order.
void atoms_of(const CompiledProgram& p, std::uint32_t index, std::vector<std::uint32_t>& out,
              std::set<std::uint32_t>& seen) {
  if (index == kNone || !seen.insert(index).second) return;
  const auto& n = p.nodes[index];
  switch (n.op) {
    case ir::Op::kCompare: case ir::Op::kIn: case ir::Op::kMatches: case ir::Op::kPresent:
      out.push_back(index);
      return;
    case ir::Op::kFact:
      if (n.type.type == ir::Type::kBool) out.push_back(index);
      return;
    case ir::Op::kDefinition:
      if (n.type.type == ir::Type::kBool) atoms_of(p, p.definitions[n.a].node, out, seen);
      return;
    case ir::Op::kNot: atoms_of(p, n.a, out, seen); return;
    case ir::Op::kAnd: case ir::Op::kOr:
      atoms_of(p, n.a, out, seen);
      atoms_of(p, n.b, out, seen);
      return;
    case ir::Op::kIf:
      atoms_of(p, n.a, out, seen);
      atoms_of(p, n.b, out, seen);
      atoms_of(p, n.c, out, seen);
      return;
    default: return;
  }
}

// The source text of a node (whitespace runs collapsed).
std::string node_source(const CompiledProgram& p, std::uint32_t index) {
  const auto& n = p.nodes[index];
  std::string raw;
  if (n.span.file < p.sources.size() && n.span.end > n.span.begin && n.span.end <= p.sources[n.span.file].text.size()) {
    raw = p.sources[n.span.file].text.substr(n.span.begin, n.span.end - n.span.begin);
  } else if (n.text != kNone) {
    raw = p.strings[n.text];
  } else {
    return "check #" + std::to_string(index);
  }
  std::string out;
  bool space = false;
  for (const char c : raw) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// ------------------------------------------------------------------ candidates

struct Candidate {
  Assignment values;  // the facts of one variable
  std::vector<std::pair<std::uint32_t, MiniValue>> typed[2];  // the same, typed per side (slot, value)
  int at_bound = 0;   // how many values sit exactly on a bound (or a derived value exactly on its bound)
  int non_default = 0;
};

struct Variable {
  std::vector<Path> paths;
  std::vector<Candidate> candidates;
};

// A check of the changed rules, shown in region descriptions: its text and its node on each side.
struct Atom {
  std::string text;
  std::uint32_t node[2] = {kNone, kNone};
};

struct CaseScore {
  int at_bound = 0;
  int non_default = 0;
  std::string text;
  bool better_than(const CaseScore& o) const {
    if (at_bound != o.at_bound) return at_bound > o.at_bound;
    if (non_default != o.non_default) return non_default < o.non_default;
    return text < o.text;
  }
};

struct RegionAcc {
  std::string old_decision, new_decision;
  std::vector<std::string> old_classes, new_classes;
  std::string signature;  // two characters per atom: OLD and NEW truth ('1', '0', '?', '.' = not evaluated, '*' = any)
  CaseScore best;
  std::vector<std::size_t> choice;  // candidate index per variable
  std::size_t date = 0;
};

std::string coarse_key(const RegionAcc& r) {
  std::string k = r.old_decision + "|" + r.new_decision + "|";
  for (const auto& c : r.old_classes) k += c + ",";
  k += "|";
  for (const auto& c : r.new_classes) k += c + ",";
  return k;
}

class Search {
 public:
  Search(const Policy& old_policy, const Policy& new_policy, const WitnessOptions& options) : options_(options) {
    sides_[0].policy = &old_policy;
    sides_[0].p = &program_of(old_policy);
    sides_[0].rules_option = options.old_rules_as_of;
    sides_[0].rules = options.old_rules_as_of.value_or(latest_rulebook());
    sides_[0].label = "OLD";
    sides_[1].policy = &new_policy;
    sides_[1].p = &program_of(new_policy);
    sides_[1].rules_option = options.new_rules_as_of;
    sides_[1].rules = options.new_rules_as_of.value_or(latest_rulebook());
    sides_[1].label = "NEW";
  }

  WitnessReport run();

 private:
  void choose_dates();
  void find_differences();
  void close_relevance();
  void collect();
  void build_variables();
  std::vector<Candidate> single_candidates(const Path& path);
  std::vector<Candidate> joint_candidates(const std::vector<Path>& paths);
  std::optional<FactValue> representative(const Path& path) const;
  std::optional<FactValue> compute_representative(const Path& path) const;
  const ir::FactSlot* slot(const Path& path) const;
  void score(Candidate& c) const;
  std::optional<Rational> solve_for(const Solve& solve, const Assignment& a, const Path& f, const Rational& target) const;
  Facts facts_of(const std::vector<std::size_t>& choice, Assignment* assignment = nullptr) const;
  std::string signature(const std::vector<std::size_t>& choice, Date as_of, const EvalResult* res) const;
  void merge_regions(std::vector<RegionAcc>& regions) const;
  Witness make_witness(const RegionAcc& r) const;

  WitnessOptions options_;
  Side sides_[2];
  std::vector<Date> dates_;
  std::set<std::string> differing_;  // entity names
  std::set<std::string> relevant_;
  std::set<std::string> differing_groups_, differing_parameters_;
  Knowledge knowledge_;
  std::set<Path> varied_;
  std::vector<Variable> variables_;
  Assignment fixed_;  // facts that are not varied: representatives
  std::vector<Atom> atoms_;
  std::unordered_map<std::uint32_t, std::size_t> atom_of_[2];  // check node -> atom, per side
  struct Condition {
    Date from, until;
    std::uint32_t condition;
  };
  std::vector<Condition> conditions_[2];  // the changed entities' conditions, per side
  std::vector<std::pair<std::uint32_t, MiniValue>> fixed_typed_[2];
  mutable std::map<Path, std::optional<FactValue>> rep_cache_;
};

// ---- dates

void Search::choose_dates() {
  if (!options_.as_of_dates.empty()) {
    dates_ = options_.as_of_dates;
  } else {
    std::set<Date> set;
    auto add = [&](Date d) {
      if (d == Date::min() || d == Date::max()) return;
      set.insert(d);
      set.insert(Date::from_days(d.days() - 1));
    };
    for (const auto& s : sides_) {
      for (const auto& e : s.p->entities) {
        if (const auto* v = s.visible(e)) {
          add(v->from);
          add(v->until);
        }
      }
      for (const auto& g : s.p->groups) {
        for (const auto& evs : g.enum_events) for (const auto& ev : evs) if (ev.known_from <= s.rules) add(ev.from);
        for (const auto& evs : g.entry_events) for (const auto& ev : evs) if (ev.known_from <= s.rules) add(ev.from);
      }
      for (const auto& param : s.p->parameters) {
        for (const auto& st : param.steps) {
          if (st.known_from <= s.rules && s.rules < st.known_until) add(st.from);
        }
      }
    }
    if (set.empty()) {
      set.insert(Date::from_days(0));
    } else {
      set.insert(Date::from_days(set.rbegin()->days() + 1));
    }
    dates_.assign(set.begin(), set.end());
  }
  std::sort(dates_.begin(), dates_.end());
  dates_.erase(std::unique(dates_.begin(), dates_.end()), dates_.end());
}

// ---- what differs

void Search::find_differences() {
  Structure st[2] = {Structure{sides_[0], {}}, Structure{sides_[1], {}}};
  std::set<std::string> names;
  for (const auto& s : sides_) for (const auto& e : s.p->entities) names.insert(e.name);
  for (const auto& name : names) {
    std::string sig[2];
    for (int i = 0; i < 2; ++i) {
      const auto& s = sides_[i];
      const auto idx = s.entity_index(name);
      const auto* v = idx == kNone ? nullptr : s.visible(s.p->entities[idx]);
      std::string active;
      if (v) {
        for (const auto d : dates_) active += (v->from <= d && d < v->until) ? '1' : '0';
      }
      if (!v || active.find('1') == std::string::npos) {
        sig[i] = "none";
        continue;
      }
      const auto& e = s.p->entities[idx];
      std::string out = std::string(e.exemption ? "X" : "R") + active + "|";
      out += v->outcome_kind == ir::OutcomeKind::kClassify ? "classify " + s.p->labels[v->outcome]
                                                           : "decide " + s.p->outcomes[v->outcome];
      std::vector<std::string> over;
      for (const auto o : v->overrides) over.push_back(s.p->entities[o].name);
      std::sort(over.begin(), over.end());
      out += "|over:";
      for (const auto& o : over) out += o + ",";
      out += "|" + st[i].node(v->condition);
      sig[i] = std::move(out);
    }
    if (sig[0] != sig[1]) differing_.insert(name);
  }
  // Groups and parameters whose dated contents differ (for causes).
  std::set<std::string> gnames, pnames;
  for (const auto& s : sides_) {
    for (const auto& g : s.p->groups) if (g.name.empty() || g.name[0] != '{') gnames.insert(g.name);
    for (const auto& param : s.p->parameters) pnames.insert(param.name);
  }
  for (const auto& name : gnames) {
    std::string sig[2];
    for (int i = 0; i < 2; ++i) {
      for (std::uint32_t g = 0; g < sides_[i].p->groups.size(); ++g) {
        if (sides_[i].p->groups[g].name == name) sig[i] = st[i].group(g);
      }
    }
    if (sig[0] != sig[1]) differing_groups_.insert(name);
  }
  for (const auto& name : pnames) {
    std::string sig[2];
    for (int i = 0; i < 2; ++i) {
      for (std::uint32_t g = 0; g < sides_[i].p->parameters.size(); ++g) {
        if (sides_[i].p->parameters[g].name == name) sig[i] = st[i].parameter(g);
      }
    }
    if (sig[0] != sig[1]) differing_parameters_.insert(name);
  }
}

void Search::close_relevance() {
  struct Links {
    std::set<std::string> tests, classifies, overrides;
  };
  std::map<std::string, Links> links;  // per entity name, over both sides (active versions only)
  for (const auto& s : sides_) {
    for (const auto& e : s.p->entities) {
      const auto* v = s.visible(e);
      if (!v) continue;
      bool active = false;
      for (const auto d : dates_) active = active || (v->from <= d && d < v->until);
      if (!active) continue;
      auto& l = links[e.name];
      std::set<std::uint32_t> seen;
      labels_tested(*s.p, v->condition, l.tests, seen);
      if (v->outcome_kind == ir::OutcomeKind::kClassify) l.classifies.insert(s.p->labels[v->outcome]);
      for (const auto o : v->overrides) l.overrides.insert(s.p->entities[o].name);
    }
  }
  relevant_ = differing_;
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& [name, l] : links) {
      if (relevant_.count(name)) continue;
      bool related = false;
      for (const auto& r : relevant_) {
        const auto it = links.find(r);
        if (it == links.end()) continue;
        const auto& rl = it->second;
        for (const auto& lab : rl.tests) related = related || l.classifies.count(lab);
        for (const auto& lab : rl.classifies) related = related || l.tests.count(lab);
        related = related || rl.overrides.count(name) || l.overrides.count(r);
        if (related) break;
      }
      if (related) {
        relevant_.insert(name);
        changed = true;
      }
    }
  }
}

void Search::collect() {
  for (int i = 0; i < 2; ++i) {
    const auto& s = sides_[i];
    Collector c(s, i, knowledge_);
    std::set<std::string> atom_texts;
    for (const auto& e : s.p->entities) {
      if (!relevant_.count(e.name)) continue;
      const auto* v = s.visible(e);
      if (!v) continue;
      c.walk(v->condition);
      if (!differing_.count(e.name)) continue;
      conditions_[i].push_back({v->from, v->until, v->condition});
      std::vector<std::uint32_t> nodes;
      std::set<std::uint32_t> seen;
      atoms_of(*s.p, v->condition, nodes, seen);
      for (const auto n : nodes) {
        std::string text = node_source(*s.p, n);
        auto it = std::find_if(atoms_.begin(), atoms_.end(), [&](const Atom& a) { return a.text == text; });
        if (it == atoms_.end()) {
          atoms_.push_back({text, {kNone, kNone}});
          it = atoms_.end() - 1;
        }
        if (it->node[i] == kNone) it->node[i] = n;
        atom_of_[i][n] = static_cast<std::size_t>(it - atoms_.begin());
      }
    }
  }
  for (const auto& [path, info] : knowledge_.facts) varied_.insert(path);
}

const ir::FactSlot* Search::slot(const Path& path) const {
  for (int i = 1; i >= 0; --i) {
    const auto it = sides_[i].p->fact_index.find(path);
    if (it != sides_[i].p->fact_index.end()) return &sides_[i].p->facts[it->second];
  }
  return nullptr;
}

// The value a fact takes when it is not varied (and the "default" for minimality): absent when that is
// allowed (optional, defaulted, or only tested for presence), else a neutral value of its type.
std::optional<FactValue> Search::representative(const Path& path) const {
  if (const auto it = rep_cache_.find(path); it != rep_cache_.end()) return it->second;
  auto rep = compute_representative(path);
  rep_cache_.emplace(path, rep);
  return rep;
}

std::optional<FactValue> Search::compute_representative(const Path& path) const {
  const auto* f = slot(path);
  if (f == nullptr) return std::nullopt;
  const auto it = knowledge_.facts.find(path);
  const bool present_tested = it != knowledge_.facts.end() && it->second.present_tested;
  if (f->optional || f->default_node != kNone || present_tested) return std::nullopt;
  // A fact that no condition of either side reads may stay absent.
  bool used = false;
  for (const auto& s : sides_) {
    const auto fi = s.p->fact_index.find(path);
    if (fi == s.p->fact_index.end()) continue;
    for (const auto& n : s.p->nodes) {
      if ((n.op == ir::Op::kFact || n.op == ir::Op::kPresent) && n.a == fi->second) used = true;
    }
  }
  if (!used) return std::nullopt;
  switch (f->type.type) {
    case ir::Type::kBool: return bool_value(false);
    case ir::Type::kNumber:
      return number_value(Rational(it != knowledge_.facts.end() && it->second.denominator ? 1 : 0));
    case ir::Type::kString: return string_value("Unlisted Party");
    case ir::Type::kDate: return string_value(dates_.front().to_string());
    case ir::Type::kEnum: {
      const auto* p = sides_[1].p->fact_index.count(path) ? sides_[1].p : sides_[0].p;
      const auto& codes = p->enums[f->type.enum_id].codes;
      return codes.empty() ? std::nullopt : std::optional<FactValue>(string_value(codes.front()));
    }
    default: return std::nullopt;
  }
}

void Search::score(Candidate& c) const {
  c.non_default = 0;
  for (const auto& [path, value] : c.values) {
    if (value != representative(path)) ++c.non_default;
  }
}

std::vector<Candidate> Search::single_candidates(const Path& path) {
  std::vector<Candidate> out;
  const auto* f = slot(path);
  const auto& info = knowledge_.facts[path];
  auto add = [&](std::optional<FactValue> v, int at) {
    Candidate c;
    c.values[path] = std::move(v);
    c.at_bound = at;
    out.push_back(std::move(c));
  };
  const bool absent_ok = f->optional || f->default_node != kNone || info.present_tested;
  if (absent_ok) add(std::nullopt, 0);
  switch (f->type.type) {
    case ir::Type::kBool:
      add(bool_value(false), 0);
      add(bool_value(true), 0);
      break;
    case ir::Type::kNumber:
      for (const auto& b : info.bounds) {
        const auto u = unit_of(b);
        for (const Rational& v : {Rational(b - u), b, Rational(b + u)}) {
          if (f->integer && !core::is_integer(v)) continue;
          add(number_value(v), v == b ? 1 : 0);
        }
      }
      break;
    case ir::Type::kDate:
      for (const auto d : info.date_bounds) {
        for (int k = -1; k <= 1; ++k) add(string_value(Date::from_days(d + k).to_string()), k == 0 ? 1 : 0);
      }
      break;
    case ir::Type::kEnum: {
      // One member of each cell of the overlap of the sets used (as of every date), plus the codes
      // compared with ==; a small enumeration without sets: every value.
      const auto* p = sides_[1].p->fact_index.count(path) ? sides_[1].p : sides_[0].p;
      const auto& codes = p->enums[f->type.enum_id].codes;
      if (info.sets.empty() && codes.size() <= 32) {
        for (const auto& code : codes) add(string_value(code), 0);
        break;
      }
      std::map<std::string, std::string> cells;  // signature -> first code
      for (const auto& code : codes) {
        std::string sig;
        for (const auto& use : info.sets) {
          const auto& s = sides_[use.side];
          const auto fi = s.p->fact_index.find(path);
          if (fi == s.p->fact_index.end()) continue;
          const auto el = s.typed(fi->second, string_value(code));
          for (const auto d : dates_) {
            const MiniFacts none;
            const MiniEval me(*s.p, d, s.rules, none);
            sig += el && me.contains(use.set_node, *el) ? '1' : '0';
          }
        }
        for (const auto& e : info.equal_to) sig += e == code ? '1' : '0';
        cells.emplace(sig, code);
      }
      std::vector<std::string> reps;
      for (const auto& [sig, code] : cells) reps.push_back(code);
      std::sort(reps.begin(), reps.end(), [&](const std::string& a, const std::string& b) {
        return p->enums[f->type.enum_id].index.at(a) < p->enums[f->type.enum_id].index.at(b);
      });
      for (const auto& code : reps) add(string_value(code), 0);
      break;
    }
    case ir::Type::kString: {
      std::vector<std::string> names(info.equal_to.begin(), info.equal_to.end());
      for (const auto& use : info.sets) {
        std::function<void(std::uint32_t)> leaves = [&](std::uint32_t n) {
          const auto& node = sides_[use.side].p->nodes[n];
          if (node.op == ir::Op::kSetGroup) {
            const auto& g = sides_[use.side].p->groups[node.a];
            if (g.definition != kNone) {
              leaves(g.definition);
            } else {
              names.insert(names.end(), g.entries.begin(), g.entries.end());
            }
          } else if (node.op != ir::Op::kFact) {
            if (node.a != kNone) leaves(node.a);
            if (node.b != kNone) leaves(node.b);
          }
        };
        leaves(use.set_node);
      }
      names.push_back("Unlisted Party");
      // One name per cell of the name groups' overlap.
      std::map<std::string, std::string> cells;
      std::vector<std::string> order;
      for (const auto& name : names) {
        std::string sig;
        for (const auto& use : info.sets) {
          const auto& s = sides_[use.side];
          MiniValue el;
          el.kind = MiniValue::Kind::kString;
          el.string = name;
          for (const auto d : dates_) {
            const MiniFacts none;
            const MiniEval me(*s.p, d, s.rules, none);
            sig += me.contains(use.set_node, el) ? '1' : '0';
          }
        }
        for (const auto& e : info.equal_to) sig += e == name ? '1' : '0';
        if (cells.emplace(sig, name).second) order.push_back(name);
      }
      for (const auto& name : order) add(string_value(name), 0);
      break;
    }
    default: break;
  }
  if (out.empty() || (out.size() == 1 && absent_ok)) {
    auto rep = representative(path);
    if (rep || !absent_ok) add(rep, 0);
  }
  for (auto& c : out) score(c);
  return out;
}

std::optional<Rational> Search::solve_for(const Solve& solve, const Assignment& a, const Path& f,
                                          const Rational& target) const {
  const auto& s = sides_[solve.side];
  const auto fi = s.p->fact_index.find(f);
  if (fi == s.p->fact_index.end()) return std::nullopt;
  const auto values = s.typed_values(a);
  MiniFacts mf(s.p->facts.size(), nullptr);
  for (const auto& [slot_index, v] : values) mf[slot_index] = &v;
  const MiniEval me(*s.p, dates_.front(), s.rules, mf);
  MiniValue xv;
  xv.kind = MiniValue::Kind::kNumber;
  mf[fi->second] = &xv;
  auto g = [&](const Rational& x) -> std::optional<Rational> {
    xv.number = x;
    const auto r = me.eval(solve.expr);
    if (r.kind != MiniValue::Kind::kNumber) return std::nullopt;
    return r.number;
  };
  // Linear in x?
  {
    const auto g1 = g(1), g2 = g(2), g3 = g(3);
    if (g1 && g2 && g3 && *g2 - *g1 == *g3 - *g2 && *g2 != *g1) return Rational(Rational(1) + (target - *g1) / (*g2 - *g1));
  }
  // Linear in 1/x (x a denominator)?
  {
    const auto h1 = g(1), h2 = g(Rational(1, 2)), h3 = g(Rational(1, 3));
    if (h1 && h2 && h3 && *h2 - *h1 == *h3 - *h2 && *h2 != *h1) {
      const Rational u = Rational(1) + (target - *h1) / (*h2 - *h1);
      if (u != 0) return Rational(1) / u;
    }
  }
  return std::nullopt;
}

std::vector<Candidate> Search::joint_candidates(const std::vector<Path>& paths) {
  // Base: each fact's own candidates, the others at a representative.
  std::map<Path, std::vector<Candidate>> own;
  for (const auto& p : paths) own[p] = single_candidates(p);
  auto base_values = [&]() {
    Assignment a;
    for (const auto& p : paths) {
      // The representative, or the first own candidate with a value.
      auto rep = representative(p);
      if (!rep && !slot(p)->optional && slot(p)->default_node == kNone) {
        for (const auto& c : own[p]) if (c.values.at(p)) { rep = c.values.at(p); break; }
      }
      a[p] = rep;
    }
    return a;
  };
  std::vector<Candidate> base;
  for (const auto& p : paths) {
    for (const auto& c : own[p]) {
      Candidate j;
      j.values = base_values();
      j.values[p] = c.values.at(p);
      j.at_bound = c.at_bound;
      base.push_back(std::move(j));
    }
  }
  if (base.empty()) {
    Candidate j;
    j.values = base_values();
    base.push_back(std::move(j));
  }
  std::vector<Candidate> out = base;
  auto bound_of = [&](const Path& p, const Rational& v) {
    return knowledge_.facts[p].bounds.count(v) ? 1 : 0;
  };
  auto region = [&](const Path& p, const Rational& v) {
    std::string r;
    for (const auto& b : knowledge_.facts[p].bounds) r += v < b ? '<' : v == b ? '=' : '>';
    return r;
  };
  auto acceptable = [&](const Path& p, const Rational& v) {
    if (!terminating(v)) return false;
    return !slot(p)->integer || core::is_integer(v);
  };
  for (const auto& solve : knowledge_.solves) {
    if (!std::includes(paths.begin(), paths.end(), solve.facts.begin(), solve.facts.end())) continue;
    for (const auto& b : solve.bounds) {
      const auto u = unit_of(b);
      for (const Rational& target : {Rational(b - u), b, Rational(b + u)}) {
        const int at = target == b ? 1 : 0;
        for (const auto& c : base) {
          for (const auto& f : solve.facts) {
            if (slot(f)->type.type != ir::Type::kNumber) continue;
            auto x = solve_for(solve, c.values, f, target);
            if (!x) continue;
            Candidate j = c;
            if (!acceptable(f, *x)) {
              // Nudge another fact of the expression within its own region until the solution is exact.
              bool found = false;
              for (const auto& o : solve.facts) {
                if (o == f || !c.values.at(o) || c.values.at(o)->kind != FactValue::Kind::kNumber) continue;
                const auto ov = core::parse_decimal(c.values.at(o)->text, false);
                if (!ov) continue;
                const auto ou = unit_of(*ov);
                const auto reg = region(o, *ov);
                for (int k = 1; k <= kSolveSearch && !found; ++k) {
                  for (const int sign : {-1, 1}) {
                    const Rational nv = *ov + Rational(sign * k) * ou;
                    if (region(o, nv) != reg || (slot(o)->integer && !core::is_integer(nv))) continue;
                    Assignment trial = c.values;
                    trial[o] = number_value(nv);
                    const auto y = solve_for(solve, trial, f, target);
                    if (y && acceptable(f, *y)) {
                      j.values = trial;
                      j.values[f] = number_value(*y);
                      j.at_bound = at + bound_of(o, nv);
                      found = true;
                      break;
                    }
                  }
                }
                if (found) break;
              }
              if (!found) {
                if (slot(f)->integer) continue;
                // No exact solution nearby: the nearest decimals on both sides (never claimed to be at the bound).
                for (const bool up : {false, true}) {
                  Candidate k2 = c;
                  k2.values[f] = number_value(round_to(*x, 6, up));
                  k2.at_bound = 0;
                  out.push_back(std::move(k2));
                }
                continue;
              }
            } else {
              j.values[f] = number_value(*x);
              j.at_bound = c.at_bound + at;
            }
            out.push_back(std::move(j));
          }
        }
      }
    }
  }
  // Dedupe (keep the first, which has the highest at_bound among equals after sorting).
  for (auto& c : out) score(c);
  auto key = [](const Candidate& c) {
    std::string k;
    for (const auto& [p, v] : c.values) k += p + "=" + value_text(v) + ";";
    return k;
  };
  std::stable_sort(out.begin(), out.end(), [&](const Candidate& a, const Candidate& b) {
    const auto ka = key(a), kb = key(b);
    return ka != kb ? ka < kb : a.at_bound > b.at_bound;
  });
  out.erase(std::unique(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.values == b.values; }),
            out.end());
  return out;
}

void Search::build_variables() {
  // Union the facts that appear together in a derived value.
  std::map<Path, Path> parent;
  std::function<Path(const Path&)> find = [&](const Path& x) -> Path {
    auto it = parent.find(x);
    if (it == parent.end() || it->second == x) return x;
    return it->second = find(it->second);
  };
  for (const auto& p : varied_) parent[p] = p;
  for (const auto& s : knowledge_.solves) {
    const auto& first = *s.facts.begin();
    for (const auto& f : s.facts) {
      if (!parent.count(f)) parent[f] = f;
      parent[find(f)] = find(first);
    }
  }
  std::map<Path, std::vector<Path>> groups;
  for (const auto& [p, _] : parent) {
    if (slot(p) == nullptr) continue;
    groups[find(p)].push_back(p);
  }
  for (auto& [root, paths] : groups) {
    std::sort(paths.begin(), paths.end());
    Variable v;
    v.paths = paths;
    v.candidates = paths.size() == 1 && std::none_of(knowledge_.solves.begin(), knowledge_.solves.end(),
                                                     [&first = paths[0]](const Solve& s) { return s.facts.count(first) > 0; })
                       ? single_candidates(paths[0])
                       : joint_candidates(paths);
    if (v.candidates.empty()) continue;
    variables_.push_back(std::move(v));
  }
  // Every other fact of either schema: its representative.
  for (const auto& s : sides_) {
    for (const auto& f : s.p->facts) {
      if (parent.count(f.path)) continue;
      if (auto rep = representative(f.path)) fixed_[f.path] = rep;
    }
  }
  for (int i = 0; i < 2; ++i) {
    fixed_typed_[i] = sides_[i].typed_values(fixed_);
    for (auto& v : variables_) {
      for (auto& c : v.candidates) c.typed[i] = sides_[i].typed_values(c.values);
    }
  }
}

Facts Search::facts_of(const std::vector<std::size_t>& choice, Assignment* assignment) const {
  Facts facts;
  Assignment all = fixed_;
  for (std::size_t i = 0; i < variables_.size(); ++i) {
    for (const auto& [p, v] : variables_[i].candidates[choice[i]].values) all[p] = v;
  }
  for (const auto& [p, v] : all) {
    if (v) facts.set(p, *v, "witness");
  }
  if (assignment) *assignment = std::move(all);
  return facts;
}

std::string Search::signature(const std::vector<std::size_t>& choice, Date as_of, const EvalResult* res) const {
  std::string sig(2 * atoms_.size(), '.');
  for (int i = 0; i < 2; ++i) {
    const auto& s = sides_[i];
    MiniFacts mf(s.p->facts.size(), nullptr);
    for (const auto& [slot_index, v] : fixed_typed_[i]) mf[slot_index] = &v;
    for (std::size_t k = 0; k < variables_.size(); ++k) {
      for (const auto& [slot_index, v] : variables_[k].candidates[choice[k]].typed[i]) mf[slot_index] = &v;
    }
    std::vector<std::pair<std::uint32_t, char>> rec;
    MiniEval me(*s.p, as_of, s.rules, mf);
    me.classes = &res[i].classifications;
    me.record = &rec;
    for (const auto& c : conditions_[i]) {
      if (c.from <= as_of && as_of < c.until) me.eval(c.condition);
    }
    for (const auto& [node, value] : rec) {
      const auto it = atom_of_[i].find(node);
      if (it == atom_of_[i].end()) continue;
      auto& slot_char = sig[2 * it->second + static_cast<std::size_t>(i)];
      if (slot_char == '.') slot_char = value;
    }
  }
  return sig;
}

// Regions with the same decisions and classifications whose checks differ in one place only are one region
// in which that check does not matter ('*').
void Search::merge_regions(std::vector<RegionAcc>& regions) const {
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t k = 0; k < atoms_.size() && !changed; ++k) {
      std::map<std::string, std::vector<std::size_t>> by;
      for (std::size_t i = 0; i < regions.size(); ++i) {
        auto sig = regions[i].signature;
        if (sig[2 * k] == '*') continue;
        sig[2 * k] = sig[2 * k + 1] = '*';
        by[coarse_key(regions[i]) + "#" + sig].push_back(i);
      }
      for (const auto& [key, members] : by) {
        if (members.size() < 2) continue;
        RegionAcc merged = regions[members[0]];
        for (const auto m : members) {
          if (regions[m].best.better_than(merged.best)) {
            merged.best = regions[m].best;
            merged.choice = regions[m].choice;
            merged.date = regions[m].date;
          }
        }
        merged.signature[2 * k] = merged.signature[2 * k + 1] = '*';
        std::vector<RegionAcc> next;
        for (std::size_t i = 0; i < regions.size(); ++i) {
          if (std::find(members.begin(), members.end(), i) == members.end()) next.push_back(std::move(regions[i]));
        }
        next.push_back(std::move(merged));
        regions = std::move(next);
        changed = true;
        break;
      }
    }
  }
}

std::string classes_text(const std::vector<std::string>& c) {
  if (c.empty()) return "no classification";
  std::string out;
  for (const auto& x : c) out += (out.empty() ? "" : ", ") + x;
  return out;
}

Witness Search::make_witness(const RegionAcc& r) const {
  Witness w;
  Assignment a;
  w.facts = facts_of(r.choice, &a);
  w.as_of = dates_[r.date];
  for (int i = 0; i < 2; ++i) {
    EvalOptions eo;
    eo.as_of = w.as_of;
    eo.rules_as_of = sides_[i].rules_option;
    eo.trace = true;
    (i == 0 ? w.old_result : w.new_result) = sides_[i].policy->evaluate(w.facts, eo);
  }
  // Description: the decisions, then the checks of the changed rules that define the region.
  std::string where;
  for (std::size_t k = 0; k < atoms_.size(); ++k) {
    const char o = r.signature[2 * k], n = r.signature[2 * k + 1];
    if (o == '*' || (o == '.' && n == '.')) continue;
    auto word = [](char c) { return c == '1' ? "true" : c == '0' ? "false" : c == '.' ? "not evaluated" : "unknown"; };
    std::string part;
    if (o == n || o == '.' || n == '.') {
      const char c = o == '.' ? n : o;
      const std::string side = o == n ? "" : o == '.' ? " (NEW)" : " (OLD)";
      part = c == '1' ? atoms_[k].text + side : c == '0' ? "not (" + atoms_[k].text + ")" + side
                                                         : atoms_[k].text + " unknown" + side;
    } else {
      part = atoms_[k].text + " (OLD " + word(o) + ", NEW " + word(n) + ")";
    }
    where += (where.empty() ? "" : "; ") + part;
  }
  w.region = "OLD " + r.old_decision + " (" + classes_text(r.old_classes) + "), NEW " + r.new_decision + " (" +
             classes_text(r.new_classes) + ")";
  if (!where.empty()) w.region += " where " + where;
  // Cause: changed entities that behave differently here or decide on either side, and the changed groups
  // and parameters they use.
  std::map<std::string, std::string> status[2];
  for (int i = 0; i < 2; ++i) {
    const auto& res = i == 0 ? w.old_result : w.new_result;
    if (!res.trace) continue;
    for (const auto& st : res.trace->steps) {
      if (st.kind == TraceStep::Kind::kRule || st.kind == TraceStep::Kind::kExemption) {
        status[i][st.subject] = st.result;
      }
    }
  }
  std::set<std::string> cause;
  for (const auto& name : relevant_) {
    const auto o = status[0].count(name) ? status[0].at(name) : std::string("absent");
    const auto n = status[1].count(name) ? status[1].at(name) : std::string("absent");
    auto acts = [](const std::string& x) { return x == "fired" || x == "applied" || x == "indeterminate"; };
    // A changed entity that acts on either side, or any entity whose action differs.
    if ((acts(o) || acts(n)) && (differing_.count(name) || o != n)) cause.insert(name);
  }
  for (const auto& name : cause) {
    for (int i = 0; i < 2; ++i) {
      const auto idx = sides_[i].entity_index(name);
      const auto* v = idx == kNone ? nullptr : sides_[i].visible(sides_[i].p->entities[idx]);
      if (!v) continue;
      Structure st{sides_[i], {}};
      const auto text = st.node(v->condition);
      for (const auto& g : differing_groups_) if (text.find("G(" + g + ":") != std::string::npos) w.cause.push_back("group " + g);
      for (const auto& p : differing_parameters_) if (text.find("P(" + p + ":") != std::string::npos) w.cause.push_back("parameter " + p);
    }
  }
  for (const auto& name : cause) {
    const auto idx1 = sides_[1].entity_index(name);
    const auto idx0 = sides_[0].entity_index(name);
    const bool ex = idx1 != kNone ? sides_[1].p->entities[idx1].exemption : sides_[0].p->entities[idx0].exemption;
    w.cause.push_back(std::string(ex ? "exemption " : "rule ") + name);
  }
  std::sort(w.cause.begin(), w.cause.end());
  w.cause.erase(std::unique(w.cause.begin(), w.cause.end()), w.cause.end());
  return w;
}

WitnessReport Search::run() {
  WitnessReport report;
  choose_dates();
  find_differences();
  if (differing_.empty()) return report;
  close_relevance();
  collect();
  build_variables();

  std::vector<std::size_t> radix;
  for (const auto& v : variables_) radix.push_back(v.candidates.size());
  std::size_t per_date = 1;
  bool overflow = false;
  for (const auto r : radix) {
    if (r != 0 && per_date > SIZE_MAX / r) {
      overflow = true;
      break;
    }
    per_date *= r;
  }
  std::size_t total = overflow || per_date > SIZE_MAX / dates_.size() ? SIZE_MAX : per_date * dates_.size();
  if (total > options_.max_evaluations) {
    report.truncated = true;
    total = options_.max_evaluations;
  }
  report.evaluations = total;

  const unsigned workers = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<std::map<std::string, RegionAcc>> found(workers);
  std::atomic<std::size_t> next{0};
  constexpr std::size_t kChunk = 512;
  auto work = [&](unsigned w) {
    auto& mine = found[w];
    std::vector<std::size_t> choice(variables_.size());
    for (;;) {
      const std::size_t start = next.fetch_add(kChunk);
      if (start >= total) break;
      const std::size_t end = std::min(total, start + kChunk);
      for (std::size_t index = start; index < end; ++index) {
        std::size_t rest = overflow ? index : index % per_date;
        const std::size_t date = overflow ? 0 : index / per_date;
        for (std::size_t i = variables_.size(); i-- > 0;) {
          choice[i] = rest % radix[i];
          rest /= radix[i];
        }
        const Facts facts = facts_of(choice);
        EvalResult res[2];
        for (int i = 0; i < 2; ++i) {
          EvalOptions eo;
          eo.as_of = dates_[date];
          eo.rules_as_of = sides_[i].rules_option;
          res[i] = sides_[i].policy->evaluate(facts, eo);
          if (!res[i].ok) res[i].decision = "error";
        }
        if (res[0].decision == res[1].decision && res[0].classifications == res[1].classifications) continue;
        RegionAcc r;
        r.old_decision = res[0].decision;
        r.new_decision = res[1].decision;
        r.old_classes = res[0].classifications;
        r.new_classes = res[1].classifications;
        r.signature = signature(choice, dates_[date], res);
        r.choice = choice;
        r.date = date;
        for (std::size_t i = 0; i < variables_.size(); ++i) {
          const auto& c = variables_[i].candidates[choice[i]];
          r.best.at_bound += c.at_bound;
          r.best.non_default += c.non_default;
        }
        const auto key = coarse_key(r) + "#" + r.signature;
        auto it = mine.find(key);
        if (it != mine.end() && (it->second.best.at_bound > r.best.at_bound ||
                                 (it->second.best.at_bound == r.best.at_bound &&
                                  it->second.best.non_default < r.best.non_default))) {
          continue;
        }
        Assignment a;
        facts_of(choice, &a);
        for (const auto& [p, v] : a) r.best.text += p + "=" + value_text(v) + ";";
        r.best.text += dates_[date].to_string();
        if (it == mine.end()) {
          mine.emplace(key, std::move(r));
        } else if (r.best.better_than(it->second.best)) {
          it->second = std::move(r);
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();

  std::map<std::string, RegionAcc> all;
  for (auto& m : found) {
    for (auto& [k, r] : m) {
      auto it = all.find(k);
      if (it == all.end()) {
        all.emplace(k, std::move(r));
      } else if (r.best.better_than(it->second.best)) {
        it->second = std::move(r);
      }
    }
  }
  std::vector<RegionAcc> regions;
  for (auto& [k, r] : all) regions.push_back(std::move(r));
  merge_regions(regions);
  std::sort(regions.begin(), regions.end(), [](const RegionAcc& a, const RegionAcc& b) {
    return std::tie(a.old_decision, a.new_decision, a.old_classes, a.new_classes, a.signature) <
           std::tie(b.old_decision, b.new_decision, b.old_classes, b.new_classes, b.signature);
  });
  for (const auto& r : regions) report.witnesses.push_back(make_witness(r));
  return report;
}

}  // namespace

}  // namespace analysis

WitnessReport find_witnesses(const Policy& old_policy, const Policy& new_policy, const WitnessOptions& options) {
  analysis::Search search(old_policy, new_policy, options);
  return search.run();
}

namespace {

std::string edict_quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string witnesses_to_tests(const WitnessReport& report) {
  std::string out = "# Boundary witnesses generated by `edict diff --witnesses`: each test expects NEW's result.\n";
  std::size_t n = 0;
  for (const auto& w : report.witnesses) {
    ++n;
    const auto& r = w.new_result;
    if (!r.ok) continue;
    std::string name = "witness " + std::to_string(n) + ": " + w.region;
    if (name.size() > 200) name = name.substr(0, 197) + "...";
    out += "\ntest " + edict_quoted(name) + "\n";
    out += "  as_of " + w.as_of.to_string() + "\n";
    if (r.rules_as_of) out += "  rules_as_of " + r.rules_as_of->to_string() + "\n";
    for (const auto& e : w.facts.entries()) {
      std::string literal;
      switch (e.value.kind) {
        case FactValue::Kind::kBool: literal = e.value.boolean ? "true" : "false"; break;
        case FactValue::Kind::kNumber: literal = e.value.text; break;
        case FactValue::Kind::kString: literal = edict_quoted(e.value.text); break;
        default: continue;
      }
      out += "  given " + e.path + " = " + literal + "\n";
    }
    out += "  expect decision " + r.decision + "\n";
    out += "  expect classifications {";
    for (std::size_t i = 0; i < r.classifications.size(); ++i) out += (i ? ", " : "") + edict_quoted(r.classifications[i]);
    out += "}\n";
    out += "end\n";
  }
  return out;
}

}  // namespace edict
