// The nearest value of one fact that flips a failed check, in exact decimals: a comparison chain is read as
// bounds on its one varying operand (`2400 <= x < 4800`: x >= 2400 and x < 4800) and the nearest value inside
// them is taken, at the precision of the bound and the current value (1 for an integer fact). A derived value
// (`performance_density = product.tpp / product.die_area_mm2`) compared with bounds is solved for each of its
// facts (a quotient or a product of positive values). A membership names the group's members on the date, a
// boolean fact its other value, an enumeration or string equality its bound. The values are candidates: the
// answer keeps only what an evaluation confirms (why_not.cpp).
#include <optional>

#include <fmt/format.h>

#include "core/json_writer.hpp"
#include "core/number.hpp"
#include "edict/render.hpp"
#include "explain/conditions.hpp"

namespace edict::answers {

namespace {

using core::Integer;
using core::Rational;

std::optional<Rational> exact(const TraceValue& v) {
  if (v.kind != TraceValue::Kind::kNumber) return std::nullopt;
  const auto slash = v.exact.find('/');
  if (slash == std::string::npos) return core::parse_decimal(v.exact, false);
  const auto n = core::parse_decimal(std::string_view(v.exact).substr(0, slash), false);
  const auto d = core::parse_decimal(std::string_view(v.exact).substr(slash + 1), false);
  if (!n || !d || *d == 0) return std::nullopt;
  return *n / *d;
}

std::optional<Rational> raw_number(const Facts& facts, std::string_view path) {
  const auto* e = facts.find(path);
  if (!e || e->value.kind != FactValue::Kind::kNumber) return std::nullopt;
  return core::parse_decimal(e->value.text, false);
}

// One unit of the last decimal place of `r` (1 for an integer).
Rational unit_of(const Rational& r) {
  Integer scale = 1;
  for (int k = 0; k < 40; ++k, scale *= 10) {
    if (boost::multiprecision::denominator(r * Rational(scale)) == 1) return Rational(Integer(1), scale);
  }
  return Rational(Integer(1), scale);
}

Rational smaller(const Rational& a, const Rational& b) { return a < b ? a : b; }

// `r` rounded to a multiple of `unit`, up or down.
Rational round_to(const Rational& r, const Rational& unit, bool up) {
  const Rational q = r / unit;
  const Integer n = boost::multiprecision::numerator(q), d = boost::multiprecision::denominator(q);
  Integer whole = n / d;  // toward zero
  if (whole * d != n) {
    if (n > 0 && up) whole += 1;
    if (n < 0 && !up) whole -= 1;
  }
  return Rational(whole) * unit;
}

// A bound on the varying operand: x OP value.
struct Bound {
  std::string op;
  Rational value;
  std::string text;  // as printed
  bool holds(const Rational& x) const {
    if (op == "<") return x < value;
    if (op == "<=") return x <= value;
    if (op == ">") return x > value;
    if (op == ">=") return x >= value;
    if (op == "==") return x == value;
    return x != value;
  }
};

std::string mirrored(std::string_view op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return std::string(op);
}

std::string negation(std::string_view op) {
  if (op == "<") return ">=";
  if (op == "<=") return ">";
  if (op == ">") return "<=";
  if (op == ">=") return "<";
  if (op == "==") return "!=";
  return "==";
}

// The nearest value to `x` (a multiple of `unit` away from a bound) for which every bound holds.
std::optional<Rational> nearest_inside(const Rational& x, const std::vector<Bound>& bounds, const Rational& unit) {
  Rational v = x;
  for (int pass = 0; pass < 3; ++pass) {
    bool moved = false;
    for (const auto& b : bounds) {
      if (b.holds(v)) continue;
      moved = true;
      if (b.op == ">=" || b.op == "==") v = b.op == "==" ? b.value : round_to(b.value, unit, true);
      else if (b.op == ">") v = round_to(b.value, unit, true) == b.value ? b.value + unit : round_to(b.value, unit, true);
      else if (b.op == "<=") v = round_to(b.value, unit, false);
      else if (b.op == "<") v = round_to(b.value, unit, false) == b.value ? b.value - unit : round_to(b.value, unit, false);
      else v = v + unit;  // !=
    }
    if (!moved) return v;
  }
  for (const auto& b : bounds) {
    if (!b.holds(v)) return std::nullopt;
  }
  return v;
}

FactValue number_value(const Rational& r) { return {FactValue::Kind::kNumber, false, core::format_decimal(r)}; }

bool integer_fact(const CompiledProgram& p, std::string_view path) {
  const auto it = p.fact_index.find(std::string(path));
  return it != p.fact_index.end() && p.facts[it->second].integer;
}

// The fact path of a fact node, "" otherwise.
std::string fact_of(const CompiledProgram& p, std::uint32_t node) {
  if (node == ir::kNone || p.nodes[node].op != ir::Op::kFact) return {};
  return p.facts[p.nodes[node].a].path;
}

std::optional<Rational> constant_of(const CompiledProgram& p, std::uint32_t node) {
  if (node == ir::kNone || p.nodes[node].op != ir::Op::kConstNum) return std::nullopt;
  return p.numbers[p.nodes[node].a];
}

// Solves `definition op bound` for each fact of a quotient or product of two positive values.
void solve_derived(const CompiledProgram& p, std::string_view name, const std::vector<Bound>& bounds,
                   const Facts& facts, FailedCondition& out) {
  std::uint32_t node = ir::kNone;
  for (const auto& d : p.definitions) {
    if (d.name == name) node = d.node;
  }
  if (node == ir::kNone) return;
  const auto& n = p.nodes[node];
  if (n.op != ir::Op::kDiv && n.op != ir::Op::kMul) return;
  const std::string fa = fact_of(p, n.a), fb = fact_of(p, n.b);
  const auto va = fa.empty() ? constant_of(p, n.a) : raw_number(facts, fa);
  const auto vb = fb.empty() ? constant_of(p, n.b) : raw_number(facts, fb);
  if (!va || !vb || *va <= 0 || *vb <= 0) return;
  const bool div = n.op == ir::Op::kDiv;
  const Rational current = div ? Rational(*va / *vb) : Rational(*va * *vb);
  // The derived value's target, then each fact's: the fact moves the value up (numerator, factor) or down
  // (denominator).
  const auto target = nearest_inside(current, bounds, Rational(Integer(1), Integer(1000000)));
  if (!target) return;
  for (int side = 0; side < 2; ++side) {
    const std::string& path = side == 0 ? fa : fb;
    if (path.empty()) continue;
    const Rational& self = side == 0 ? *va : *vb;
    const Rational& other = side == 0 ? *vb : *va;
    const bool increasing = !(div && side == 1);
    // The exact value of this fact that puts the derived value on its nearest bound.
    Rational solved;
    const Bound* edge = nullptr;
    for (const auto& b : bounds) {
      if (!b.holds(current)) edge = &b;
    }
    if (!edge) continue;
    if (div) solved = side == 0 ? Rational(edge->value * other) : Rational(other / edge->value);
    else solved = edge->value / other;
    if (edge->value <= 0) continue;
    Rational unit = integer_fact(p, path) ? Rational(1) : smaller(unit_of(self), unit_of(solved));
    if (integer_fact(p, path)) unit = 1;
    // Raise the derived value: an increasing fact rounds up, a decreasing one down; and the other way.
    const bool raise = edge->op == ">" || edge->op == ">=" || (edge->op == "==" && current < edge->value);
    const bool up = raise == increasing;
    Rational v = round_to(solved, unit, up);
    const auto value_at = [&](const Rational& f) {
      const Rational a = side == 0 ? f : *va, b = side == 0 ? *vb : f;
      return div ? Rational(a / b) : Rational(a * b);
    };
    bool ok = true;
    for (const auto& b : bounds) ok = ok && b.holds(value_at(v));
    if (!ok) v = up ? Rational(v + unit) : Rational(v - unit);
    ok = v > 0;
    for (const auto& b : bounds) ok = ok && b.holds(value_at(v));
    if (ok) out.changes.push_back(FactChange{path, number_value(v)});
  }
}

void comparison(const CompiledProgram& p, const TraceStep& s, bool want, const Facts& facts, FailedCondition& out) {
  const auto& ops = s.operands;
  std::size_t varying = ops.size();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].bound) continue;
    if (varying != ops.size()) return;  // two varying operands: no single fact decides
    varying = i;
  }
  if (varying == ops.size()) return;
  const auto& x = ops[varying];
  const std::string name = x.fact ? std::string(x.fact_path) : std::string(x.source);
  // Enumerations and strings: equal to the bound.
  if (x.value.kind == TraceValue::Kind::kEnum || x.value.kind == TraceValue::Kind::kString) {
    if (ops.size() != 2 || !x.fact) return;
    const auto& other = ops[1 - varying];
    const auto op = ops[1].op;
    if ((op == "==" && want) || (op == "!=" && !want)) {
      out.needs = fmt::format("{} == {} (is {})", name, trace_value_text(other.value), trace_value_text(x.value));
      out.changes.push_back(FactChange{name, FactValue{FactValue::Kind::kString, false, other.value.exact}});
    } else {
      out.needs = fmt::format("{} != {}", name, trace_value_text(other.value));
    }
    return;
  }
  const auto xv = exact(x.value);
  if (!xv) return;
  std::vector<Bound> bounds;
  for (std::size_t i = 1; i < ops.size(); ++i) {
    if (i != varying && i - 1 != varying) continue;
    const auto& b = ops[i == varying ? i - 1 : i];
    auto bv = exact(b.value);
    if (!bv) return;
    bounds.push_back(Bound{i == varying ? mirrored(ops[i].op) : std::string(ops[i].op), *bv, trace_value_text(b.value)});
  }
  if (!want) {
    // The nearest value that breaks the chain: break the bound closest to the current value.
    std::vector<Bound> broken;
    for (const auto& b : bounds) broken.push_back(Bound{negation(b.op), b.value, b.text});
    std::optional<Rational> best;
    const Bound* chosen = nullptr;
    const Rational unit = x.fact && integer_fact(p, name) ? Rational(1) : smaller(unit_of(*xv), Rational(1));
    for (const auto& b : broken) {
      auto v = nearest_inside(*xv, {b}, smaller(unit, unit_of(b.value)));
      if (v && (!best || abs(*v - *xv) < abs(*best - *xv))) best = v, chosen = &b;
    }
    if (!best) return;
    out.needs = fmt::format("{} {} {} (is {})", name, chosen->op, chosen->text, trace_value_text(x.value));
    if (x.fact) out.changes.push_back(FactChange{name, number_value(*best)});
    return;
  }
  std::string needs;
  for (const auto& b : bounds) {
    if (!b.holds(*xv)) needs += (needs.empty() ? "" : " and ") + fmt::format("{} {} {}", name, b.op, b.text);
  }
  out.needs = fmt::format("{} (is {})", needs, trace_value_text(x.value));
  if (!x.fact) {
    solve_derived(p, x.source, bounds, facts, out);
    return;
  }
  Rational unit = integer_fact(p, name) ? Rational(1) : unit_of(*xv);
  for (const auto& b : bounds) {
    if (!integer_fact(p, name)) unit = smaller(unit, unit_of(b.value));
  }
  if (const auto v = nearest_inside(*xv, bounds, unit)) out.changes.push_back(FactChange{name, number_value(*v)});
}

}  // namespace

std::string value_json(const FactValue& v) {
  std::string out;
  core::append_fact_json(out, v);
  return out;
}

FailedCondition failed_condition(const CompiledProgram& p, const ConditionNode& leaf, bool want, const Facts& facts) {
  using Check = TraceStep::Check;
  FailedCondition out;
  out.leaf = leaf;
  if (!leaf.check) {
    out.needs = "(not evaluated)";
    return out;
  }
  const auto& s = *leaf.check;
  const auto* first = s.operands.empty() ? nullptr : &s.operands[0];
  switch (s.check) {
    case Check::kCompare: comparison(p, s, want, facts, out); break;
    case Check::kBoolean:
    case Check::kNot: {
      // kNot: the operand holds the value before negation.
      const bool value = want != (s.check == Check::kNot);
      const std::string name = first && first->fact ? std::string(first->fact_path) : std::string(s.source);
      out.needs = fmt::format("{} = {}", name, value ? "true" : "false");
      if (first && first->fact) out.changes.push_back(FactChange{name, FactValue{FactValue::Kind::kBool, value, {}}});
      break;
    }
    case Check::kIn:
    case Check::kNotIn:
    case Check::kMatches:
    case Check::kStartsWith: {
      const bool member = want == (s.check != Check::kNotIn);
      const std::string name = first && first->fact ? std::string(first->fact_path)
                               : first                 ? std::string(first->source)
                                                       : std::string();
      const bool prefix = s.check == Check::kStartsWith;
      const char* verb = !member && prefix             ? "not starting with"
                         : !member                     ? "not in"
                         : s.check == Check::kMatches ? "matching"
                         : prefix                      ? "starting with"
                                                       : "in";
      out.needs = fmt::format("{} {} {}", name, verb, s.source);
      if (member && s.members) {
        out.members = s.members->listed;
        out.members_total = s.members->total;
        if (first && first->fact && !s.members->listed.empty() && s.check != Check::kMatches) {
          out.changes.push_back(FactChange{name, FactValue{FactValue::Kind::kString, false, s.members->listed[0]}});
        }
      }
      break;
    }
    case Check::kPresent:
    case Check::kAbsent:
      out.needs = fmt::format("{} {}", s.source, (s.check == Check::kPresent) == want ? "given" : "not given");
      break;
    case Check::kClassified:
      out.needs = (want ? "" : "not ") + trace_text(s);
      break;
    default: break;
  }
  if (out.needs.empty()) out.needs = fmt::format("{} to be {}", trace_text(s), want ? "true" : "false");
  return out;
}

}  // namespace edict::answers

namespace edict {

std::string FactChange::text() const {
  return path + "=" + (value.kind == FactValue::Kind::kString ? value.text : answers::value_json(value));
}

}  // namespace edict
