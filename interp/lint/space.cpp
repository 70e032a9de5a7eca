// The regions of the facts a set of conditions reads, enumerated and evaluated by the evaluator (see the
// top of lint.hpp). What is lint's own here is only the choice of candidate values; every value, set
// membership and truth comes from eval::Probe.
#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/number.hpp"
#include "ir/queries.hpp"
#include "ir/walk.hpp"
#include "lint/lint.hpp"

namespace edict::linter {

namespace {

using core::Rational;
using eval::Value;

// How one side of a comparison varies: not at all (a literal, a parameter, arithmetic on those), as one or
// more facts taken as they are (through definitions and `if` branches), as a tier's label, or otherwise (a
// derived value).
enum class Operand : std::uint8_t { kConst, kFacts, kTier, kOther };

struct FactUse {
  std::vector<Value> bounds;        // what it is compared with, at the window's dates
  std::vector<std::uint32_t> sets;  // set nodes it is tested against
  bool present_tested = false;
};

Rational floor_of(const Rational& r) {
  core::Integer q = boost::multiprecision::numerator(r) / boost::multiprecision::denominator(r);  // toward zero
  Rational f(q);
  if (f > r) f -= 1;
  return f;
}

Value number(const Rational& r) {
  Value v;
  v.kind = Value::Kind::kNumber;
  v.number = core::Num::from_rational(r);
  return v;
}

Value integral(Value::Kind kind, std::int32_t i) {
  Value v;
  v.kind = kind;
  v.integer = i;
  return v;
}

}  // namespace

struct Space::Impl {
  struct Candidate {
    bool absent = false;
    Value value;
  };

  Impl(Context& c, Date f, Date u, Date r) : cx(c), from(f), until(u), rules(r) {}

  Context& cx;
  Date from, until, rules;
  std::vector<Date> dates;
  std::map<std::uint32_t, FactUse> uses;  // by fact slot
  std::set<std::uint32_t> labels;         // labels read by `classified`
  std::set<std::uint32_t> seen;
  std::map<std::uint32_t, std::pair<Operand, std::vector<std::uint32_t>>> operands;
  bool exact = true;
  std::vector<std::uint32_t> slots;
  std::vector<std::vector<Candidate>> candidates;  // per slot
  std::vector<std::uint32_t> free_labels;
  std::deque<std::string> storage;  // candidate strings (Value::string points here)
  // The point being visited.
  std::vector<std::size_t> choice;
  eval::BoundFacts work;
  std::vector<std::uint32_t> classified;

  const CompiledProgram& p() const { return cx.p; }

  void choose_dates() {
    Date start = from;
    if (start == Date::min()) {
      start = cx.change_dates.empty() ? Date::from_days(0) : Date::from_days(cx.change_dates.front().days() - 1);
    }
    if (start < until) dates.push_back(start);
    for (const auto d : cx.change_dates) {
      if (start < d && d < until) dates.push_back(d);
    }
  }

  // Memoised: a definition used twice by the next one (a1 = a0 + a0, ...) is classified once.
  Operand operand(std::uint32_t index, std::vector<std::uint32_t>& facts) {
    auto it = operands.find(index);
    if (it == operands.end()) {
      std::vector<std::uint32_t> own;
      const auto kind = classify(index, own);
      std::sort(own.begin(), own.end());
      own.erase(std::unique(own.begin(), own.end()), own.end());
      it = operands.emplace(index, std::make_pair(kind, std::move(own))).first;
    }
    facts.insert(facts.end(), it->second.second.begin(), it->second.second.end());
    return it->second.first;
  }

  Operand classify(std::uint32_t index, std::vector<std::uint32_t>& facts) {
    const auto& n = p().nodes[index];
    if (ir::is_constant(n.op)) return Operand::kConst;
    switch (n.op) {
      case ir::Op::kParameter: return Operand::kConst;
      case ir::Op::kFact: facts.push_back(n.a); return Operand::kFacts;
      case ir::Op::kDefinition: return operand(p().definitions[n.a].node, facts);
      case ir::Op::kTier: return Operand::kTier;
      case ir::Op::kNeg: case ir::Op::kAdd: case ir::Op::kSub: case ir::Op::kMul: case ir::Op::kDiv: {
        bool constant = true;
        ir::for_each_child(p(), n, ir::kOperands, [&](std::uint32_t kid) {
          std::vector<std::uint32_t> none;
          if (operand(kid, none) != Operand::kConst) constant = false;
        });
        return constant ? Operand::kConst : Operand::kOther;
      }
      case ir::Op::kIf: {  // its condition is walked as a condition of its own
        const auto b = operand(n.b, facts);
        const auto c = operand(n.c, facts);
        if ((b != Operand::kConst && b != Operand::kFacts) || (c != Operand::kConst && c != Operand::kFacts)) {
          return Operand::kOther;
        }
        return b == Operand::kFacts || c == Operand::kFacts ? Operand::kFacts : Operand::kConst;
      }
      default: return Operand::kOther;
    }
  }

  // One comparison `l op r`: a fact against constants gives the fact bounds (the constants' values on each
  // date, by the evaluator); a tier against a label is covered by its cases; anything else is not exact.
  void compare(std::uint32_t l, std::uint32_t r) {
    std::vector<std::uint32_t> lf, rf;
    const auto lk = operand(l, lf);
    const auto rk = operand(r, rf);
    if (lk == Operand::kConst && rk == Operand::kConst) return;
    if ((lk == Operand::kConst && rk == Operand::kTier) || (lk == Operand::kTier && rk == Operand::kConst)) return;
    if (lk == Operand::kConst && rk == Operand::kFacts) return bound(rf, l);
    if (lk == Operand::kFacts && rk == Operand::kConst) return bound(lf, r);
    exact = false;
  }

  void bound(const std::vector<std::uint32_t>& facts, std::uint32_t constant) {
    for (const auto d : dates) {
      const auto v = cx.probe.value(cx.base, d, rules, constant, {});
      if (cx.probe.exhausted()) exact = false;
      if (!v.known()) continue;
      for (const auto f : facts) uses[f].bounds.push_back(v);
    }
  }

  void walk(std::uint32_t index) {
    if (index == kNone || !seen.insert(index).second) return;
    const auto& n = p().nodes[index];
    switch (n.op) {
      case ir::Op::kFact: uses[n.a]; break;
      case ir::Op::kPresent: uses[n.a].present_tested = true; break;
      case ir::Op::kClassified: labels.insert(n.a); break;
      case ir::Op::kCompare:
        for (std::uint32_t i = 0; i + 1 < n.kid_count; ++i) {
          compare(p().kid_list[n.first_kid + i], p().kid_list[n.first_kid + i + 1]);
        }
        break;
      case ir::Op::kIn:
      case ir::Op::kMatches: {
        std::vector<std::uint32_t> facts;
        const auto k = operand(n.a, facts);
        if (k == Operand::kFacts) {
          for (const auto f : facts) uses[f].sets.push_back(n.b);
        } else if (k != Operand::kConst) {
          exact = false;
        }
        walk(n.a);
        return;  // the set is not a condition: its groups have no facts
      }
      case ir::Op::kStartsWith:  // prefixes are not sets of values: the space cannot tell what they cover
        exact = false;
        walk(n.a);
        return;
      case ir::Op::kParameter: return;  // constants (evaluated where compared)
      default: break;
    }
    ir::for_each_child(p(), n, ir::kDefinitions | ir::kTiers, [&](std::uint32_t kid) { walk(kid); });
  }

  // The entries of the name and string groups a set expression reads.
  void set_entries(std::uint32_t index, std::set<std::string>& out, std::set<std::uint32_t>& visited) const {
    if (index == kNone || !visited.insert(index).second) return;
    const auto& n = p().nodes[index];
    if (n.op == ir::Op::kSetGroup) {
      const auto& g = p().groups[n.a];
      out.insert(g.entries.begin(), g.entries.end());
    }
    ir::for_each_child(p(), n, ir::kGroups | ir::kDefinitions, [&](std::uint32_t kid) { set_entries(kid, out, visited); });
  }

  // Values that every set and every equality of `use` treats alike are one class: keeps the first of each.
  std::vector<Candidate> classes(const FactUse& use, std::vector<Value> values) {
    std::vector<Candidate> out;
    std::set<std::vector<bool>> signatures;
    for (const auto& v : values) {
      std::vector<bool> sig;
      for (const auto set : use.sets) {
        for (const auto d : dates) sig.push_back(cx.probe.contains(set, v, d, rules));
      }
      if (cx.probe.exhausted()) {  // a set beyond the step bound: the classes are not known
        exact = false;
        return out;
      }
      for (const auto& b : use.bounds) {
        if (b.kind == Value::Kind::kEnum) sig.push_back(b.integer == v.integer);
        if (b.kind == Value::Kind::kString && v.string != nullptr) sig.push_back(*b.string == *v.string);
      }
      if (signatures.insert(sig).second) out.push_back({false, v});
    }
    return out;
  }

  std::vector<Candidate> candidates_for(std::uint32_t slot, const FactUse& use) {
    const auto& fact = p().facts[slot];
    std::vector<Candidate> out;
    switch (fact.type.type) {
      case ir::Type::kBool:
        out.push_back({false, Value::of_bool(false)});
        out.push_back({false, Value::of_bool(true)});
        break;
      case ir::Type::kNumber: {
        std::set<Rational> bounds;
        for (const auto& b : use.bounds) {
          if (b.kind == Value::Kind::kNumber) bounds.insert(b.number.to_rational());
        }
        std::set<Rational> values;
        if (bounds.empty()) values.insert(Rational(0));
        for (auto it = bounds.begin(); it != bounds.end(); ++it) {
          if (fact.integer) {
            const auto f = floor_of(*it);
            values.insert({f - 1, f, f + 1});
          } else {
            values.insert(*it);
            if (it == bounds.begin()) values.insert(*it - 1);
            const auto next = std::next(it);
            values.insert(next == bounds.end() ? Rational(*it + 1) : Rational((*it + *next) / 2));
          }
        }
        for (const auto& v : values) out.push_back({false, number(v)});
        break;
      }
      case ir::Type::kDate: {
        std::set<std::int32_t> days;
        for (const auto& b : use.bounds) {
          if (b.kind == Value::Kind::kDate) days.insert({b.integer - 1, b.integer, b.integer + 1});
        }
        if (days.empty()) days.insert(dates.empty() ? 0 : dates.front().days());
        for (const auto d : days) out.push_back({false, integral(Value::Kind::kDate, d)});
        break;
      }
      case ir::Type::kEnum: {
        std::vector<Value> codes;
        const auto count = fact.type.enum_id == kNone ? 0 : p().enums[fact.type.enum_id].codes.size();
        for (std::size_t i = 0; i < count; ++i) codes.push_back(integral(Value::Kind::kEnum, static_cast<std::int32_t>(i)));
        out = classes(use, std::move(codes));
        break;
      }
      case ir::Type::kString: {
        std::set<std::string> texts;
        std::set<std::uint32_t> visited;
        for (const auto set : use.sets) set_entries(set, texts, visited);
        for (const auto& b : use.bounds) {
          if (b.kind == Value::Kind::kString) texts.insert(*b.string);
        }
        texts.insert("(none of these)");
        std::vector<Value> values;
        for (const auto& t : texts) {
          Value v;
          v.kind = Value::Kind::kString;
          v.string = &storage.emplace_back(t);
          values.push_back(v);
        }
        out = classes(use, std::move(values));
        break;
      }
      case ir::Type::kSet: exact = false; break;
    }
    if (fact.optional || fact.default_node != kNone || use.present_tested) out.insert(out.begin(), {true, Value{}});
    return out;
  }

  void build() {
    if (!exact) return;
    for (const auto& [slot, use] : uses) {
      slots.push_back(slot);
      candidates.push_back(candidates_for(slot, use));
    }
    for (const auto l : labels) {
      if (cx.label_free[l]) free_labels.push_back(l);
    }
    // The number of points, capped.
    std::size_t total = dates.size();
    const auto limit = cx.options.max_cases;
    const auto times = [&](std::size_t k) {
      if (k != 0 && total > limit / k) total = limit + 1;
      else total *= k;
    };
    for (const auto& c : candidates) times(c.size());
    for (std::size_t i = 0; i < free_labels.size() && total <= limit; ++i) times(2);
    if (total > limit) exact = false;
  }

  std::string value_text(std::size_t i) const {
    const auto& c = candidates[i][choice[i]];
    const auto& fact = p().facts[slots[i]];
    if (c.absent) return "";
    const auto& v = c.value;
    switch (v.kind) {
      case Value::Kind::kBool: return v.boolean ? "true" : "false";
      case Value::Kind::kNumber: return core::format_decimal(v.number.to_rational());
      case Value::Kind::kDate: return Date::from_days(v.integer).to_string();
      case Value::Kind::kEnum: return p().enums[fact.type.enum_id].codes[static_cast<std::size_t>(v.integer)];
      case Value::Kind::kString: return fmt::format("\"{}\"", *v.string);
      case Value::Kind::kUnknown: break;
    }
    return "";
  }
};

Space::Space(Context& cx, std::span<const std::uint32_t> conditions, Date from, Date until, Date rules)
    : impl_(std::make_unique<Impl>(cx, from, until, rules)) {
  cx.probe.clear_exhausted();
  impl_->choose_dates();
  for (const auto c : conditions) impl_->walk(c);
  impl_->build();
}

Space::~Space() = default;

bool Space::exact() const { return impl_->exact; }

std::vector<std::uint32_t> Space::facts() const { return impl_->slots; }

bool Space::for_each(const std::function<bool(const Point&)>& visit) {
  auto& m = *impl_;
  const std::size_t n = m.slots.size();
  const std::size_t label_count = m.free_labels.size();
  for (const auto date : m.dates) {
    m.choice.assign(n, 0);
    for (;;) {
      m.work = m.cx.base;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& c = m.candidates[i][m.choice[i]];
        if (!c.absent) eval::set_fact(m.p(), m.work, m.slots[i], c.value);
      }
      for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << label_count); ++mask) {
        m.classified.clear();
        for (std::size_t b = 0; b < label_count; ++b) {
          if (mask & (std::uint64_t{1} << b)) m.classified.push_back(m.free_labels[b]);
        }
        if (!visit(Point{m.work, date, m.classified})) return false;
      }
      // The next combination (mixed radix, the first fact fastest).
      std::size_t i = 0;
      while (i < n && ++m.choice[i] == m.candidates[i].size()) m.choice[i++] = 0;
      if (i == n) break;
    }
  }
  return true;
}

eval::Truth Space::truth(const Point& point, std::uint32_t node) {
  const auto v = impl_->cx.probe.value(point.facts, point.as_of, impl_->rules, node, point.classified);
  if (v.kind != Value::Kind::kBool) return eval::Truth::kUnknown;
  return v.boolean ? eval::Truth::kTrue : eval::Truth::kFalse;
}

std::string Space::value_of(std::uint32_t slot) const {
  for (std::size_t i = 0; i < impl_->slots.size(); ++i) {
    if (impl_->slots[i] == slot) return impl_->value_text(i);
  }
  return "";
}

namespace {

// The conjuncts of a condition: `a and b` is true only when both are, so its parts are asked instead when
// the whole is not exact (through boolean definitions too).
void conjuncts(const CompiledProgram& p, std::uint32_t index, std::vector<std::uint32_t>& out,
               std::set<std::uint32_t>& seen) {
  if (!seen.insert(index).second) return;
  const auto& n = p.nodes[index];
  if (n.op == ir::Op::kAnd) {
    conjuncts(p, n.a, out, seen);
    conjuncts(p, n.b, out, seen);
  } else if (n.op == ir::Op::kDefinition && n.type.type == ir::Type::kBool) {
    conjuncts(p, p.definitions[n.a].node, out, seen);
  } else {
    out.push_back(index);
  }
}

}  // namespace

Answer satisfiable(Context& cx, std::span<const std::uint32_t> true_nodes, std::span<const std::uint32_t> false_nodes,
                   Date from, Date until, Date rules) {
  std::vector<std::uint32_t> all(true_nodes.begin(), true_nodes.end());
  all.insert(all.end(), false_nodes.begin(), false_nodes.end());
  Space space(cx, all, from, until, rules);
  if (!space.exact()) {
    // Not exact as a whole: the conjuncts that are exact on their own can still never hold together, and
    // then neither can the whole (a conjunction is true only when every conjunct is).
    if (!false_nodes.empty()) return Answer::kUnknown;
    std::vector<std::uint32_t> parts, kept;
    std::set<std::uint32_t> seen;
    for (const auto t : true_nodes) conjuncts(cx.p, t, parts, seen);
    for (const auto part : parts) {
      const std::uint32_t one[] = {part};
      if (Space(cx, one, from, until, rules).exact()) kept.push_back(part);
    }
    if (kept.empty() || kept.size() == parts.size()) return Answer::kUnknown;
    return satisfiable(cx, kept, {}, from, until, rules) == Answer::kNo ? Answer::kNo : Answer::kUnknown;
  }
  bool found = false;
  space.for_each([&](const Point& pt) {
    if (cx.probe.exhausted()) return false;
    for (const auto t : true_nodes) {
      if (space.truth(pt, t) != eval::Truth::kTrue) return true;
    }
    for (const auto f : false_nodes) {
      if (space.truth(pt, f) != eval::Truth::kFalse) return true;
    }
    found = true;
    return false;
  });
  if (cx.probe.exhausted()) return Answer::kUnknown;  // some evaluation went beyond the step bound
  return found ? Answer::kYes : Answer::kNo;
}

}  // namespace edict::linter
