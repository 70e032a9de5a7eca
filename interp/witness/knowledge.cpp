// What the conditions say about the facts: the numbers, dates, codes and strings each fact is compared
// with, the sets it is tested against, and the derived values to solve for their facts; and the checks of the
// changed rules, which describe regions.
#include <algorithm>

#include "ir/queries.hpp"
#include "ir/walk.hpp"
#include "witness/search.hpp"

namespace edict::witness {

namespace {

class Collector {
 public:
  Collector(const Side& side, int side_index, Knowledge& k) : s_(side), side_(side_index), k_(k) {}

  void walk(std::uint32_t index) {
    if (index == kNone || !seen_.insert(index).second) return;
    const auto& n = s_.p->nodes[index];
    switch (n.op) {
      case ir::Op::kFact: k_.facts[path(n.a)]; break;
      case ir::Op::kPresent: k_.facts[path(n.a)].present_tested = true; break;
      case ir::Op::kDiv: mark_denominator(n.b); break;
      case ir::Op::kCompare:
        for (std::uint32_t i = 0; i + 1 < n.kid_count; ++i) {
          pair(s_.p->kid_list[n.first_kid + i], s_.p->compare_ops[n.first_kid + i], s_.p->kid_list[n.first_kid + i + 1]);
        }
        break;
      case ir::Op::kIn:
      case ir::Op::kMatches:
      case ir::Op::kStartsWith:
        for (const auto& f : value_facts(n.a)) k_.facts[f].sets.push_back({side_, n.b});
        break;
      default: break;
    }
    ir::for_each_child(*s_.p, n, ir::kDefinitions | ir::kTiers, [&](std::uint32_t kid) { walk(kid); });
  }

  std::set<Path> facts_of(std::uint32_t index) {
    std::set<Path> out;
    facts_into(index, out);
    return out;
  }

 private:
  const std::string& path(std::uint32_t slot) const { return s_.p->facts[slot].path; }

  void mark_denominator(std::uint32_t index) {
    for (const auto& f : value_facts(index)) k_.facts[f].denominator = true;
  }

  void facts_into(std::uint32_t index, std::set<Path>& out) {
    const auto& n = s_.p->nodes[index];
    if (n.op == ir::Op::kFact || n.op == ir::Op::kPresent) out.insert(path(n.a));
    ir::for_each_child(*s_.p, n, ir::kDefinitions | ir::kTiers, [&](std::uint32_t kid) { facts_into(kid, out); });
  }

  // The facts whose value a node takes as it is, through definitions and both branches of an `if` (whose
  // condition is walked as a check of its own); constants add none. Empty when some value is computed
  // (arithmetic, a tier, a parameter): then the node is a derived value, solved for its facts.
  std::vector<Path> value_facts(std::uint32_t index) const {
    std::vector<Path> out;
    if (!value_facts_into(index, out)) out.clear();
    return out;
  }
  bool value_facts_into(std::uint32_t index, std::vector<Path>& out) const {
    const auto& n = s_.p->nodes[index];
    switch (n.op) {
      case ir::Op::kFact: out.push_back(path(n.a)); return true;
      case ir::Op::kDefinition: return value_facts_into(s_.p->definitions[n.a].node, out);
      case ir::Op::kIf: return value_facts_into(n.b, out) && value_facts_into(n.c, out);
      default: return ir::is_constant(n.op);
    }
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
          if (st.value == kNone || !eval::step_visible(st, s_.rules)) continue;
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
      if (cn.op != ir::Op::kConstEnum && cn.op != ir::Op::kConstStr && cn.op != ir::Op::kConstDate) continue;
      for (const auto& f : value_facts(other)) {
        if (cn.op == ir::Op::kConstEnum && cn.type.enum_id != kNone) {
          k_.facts[f].equal_to.insert(s_.p->enums[cn.type.enum_id].codes[cn.a]);
        } else if (cn.op == ir::Op::kConstStr) {
          k_.facts[f].equal_to.insert(s_.p->strings[cn.a]);
        } else {
          k_.facts[f].date_bounds.insert(static_cast<std::int32_t>(cn.a));
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
    if (const auto facts = value_facts(expr); !facts.empty()) {
      for (const auto& f : facts) k_.facts[f].bounds.insert(bounds.begin(), bounds.end());
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

// The checks (comparisons, memberships, presence tests, boolean facts) of a condition, in source order.
void atoms_of(const CompiledProgram& p, std::uint32_t index, std::vector<std::uint32_t>& out,
              std::set<std::uint32_t>& seen) {
  if (index == kNone || !seen.insert(index).second) return;
  const auto& n = p.nodes[index];
  switch (n.op) {
    case ir::Op::kCompare: case ir::Op::kIn: case ir::Op::kMatches: case ir::Op::kStartsWith: case ir::Op::kPresent:
      out.push_back(index);
      return;
    case ir::Op::kFact:
      if (n.type.type == ir::Type::kBool) out.push_back(index);
      return;
    case ir::Op::kDefinition:
      if (n.type.type != ir::Type::kBool) return;
      [[fallthrough]];
    case ir::Op::kNot: case ir::Op::kAnd: case ir::Op::kOr: case ir::Op::kIf:
      ir::for_each_child(p, n, ir::kDefinitions, [&](std::uint32_t kid) { atoms_of(p, kid, out, seen); });
      return;
    default: return;
  }
}

// The source text of a node (whitespace runs collapsed).
std::string node_source(const CompiledProgram& p, std::uint32_t index) {
  const auto& n = p.nodes[index];
  auto text = ir::span_text(p.sources, n.span);
  if (text.empty() && n.text != kNone) text = p.strings[n.text];
  return text.empty() ? "check #" + std::to_string(index) : text;
}

}  // namespace

void Search::collect() {
  for (int i = 0; i < 2; ++i) {
    const auto& s = sides_[i];
    std::vector<std::uint32_t> relevant;
    for (const auto& e : s.p->entities) {
      const auto* v = relevant_.count(e.name) ? s.visible(e) : nullptr;
      if (v == nullptr) continue;
      relevant.push_back(v->condition);
      // The facts of its values and due dates are varied too: a case may differ in a value only.
      for (const auto& set : v->sets) relevant.push_back(set.node);
      for (const auto& o : v->obligations) relevant.push_back(o.due);
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
    // What the conditions reachable from the relevant entities of this side say about each fact.
    Collector collector(s, i, knowledge_);
    for (const auto condition : relevant) collector.walk(condition);
  }
  for (const auto& [path, info] : knowledge_.facts) varied_.insert(path);
}

}  // namespace edict::witness
