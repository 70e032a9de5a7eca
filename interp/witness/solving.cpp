// Candidates for the facts of a derived value (`define density = tpp / area`, compared with 5.92): each fact
// in turn is solved for the values that put the derived value at, just below and just above each bound,
// exactly. The derived value is computed by the evaluator (eval::Probe::value), never by a second copy.
#include <algorithm>

#include "witness/search.hpp"

namespace edict::witness {

namespace {

constexpr int kSolveSearch = 400;

}  // namespace

// The value of fact `f` that makes the derived value `solve.expr` equal `target`, the other facts as in `a`,
// when the derived value is linear in f or in 1/f.
std::optional<Rational> Search::solve_for(const Solve& solve, const Assignment& a, const Path& f,
                                          const Rational& target) {
  const auto& s = sides_[solve.side];
  const auto slot_index = s.slot_of(f);
  if (slot_index == kNone) return std::nullopt;
  eval::BoundFacts bound;
  s.bind(to_facts(a), bound);
  auto g = [&](const Rational& x) -> std::optional<Rational> {
    eval::Value xv;
    xv.kind = eval::Value::Kind::kNumber;
    xv.number = core::Num::from_rational(x);
    eval::set_fact(*s.p, bound, slot_index, xv);
    const auto r = s.probe->value(bound, dates_.front(), s.rules, solve.expr);
    if (r.kind != eval::Value::Kind::kNumber) return std::nullopt;
    return r.number.to_rational();
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

bool Search::acceptable(const Path& f, const Rational& v) const {
  return terminating(v) && (!slot(f)->integer || core::is_integer(v));
}

std::vector<Candidate> Search::joint_candidates(const std::vector<Path>& paths) {
  // Base: each fact's own candidates, the others at a representative (or their first own value).
  std::map<Path, std::vector<Candidate>> own;
  for (const auto& p : paths) own[p] = single_candidates(p);
  Assignment base_values;
  for (const auto& p : paths) {
    auto rep = representative(p);
    if (!rep && !slot(p)->optional && slot(p)->default_node == kNone) {
      for (const auto& c : own[p]) if (c.values.at(p)) { rep = c.values.at(p); break; }
    }
    base_values[p] = rep;
  }
  std::vector<Candidate> base;
  for (const auto& p : paths) {
    for (const auto& c : own[p]) {
      Candidate j;
      j.values = base_values;
      j.values[p] = c.values.at(p);
      j.at_bound = c.at_bound;
      base.push_back(std::move(j));
    }
  }
  if (base.empty()) base.push_back(Candidate{base_values, 0, 0});
  std::vector<Candidate> out = base;
  for (const auto& solve : knowledge_.solves) {
    if (std::includes(paths.begin(), paths.end(), solve.facts.begin(), solve.facts.end())) {
      solved_candidates(solve, base, out);
    }
  }
  // Dedupe (keep the first, which has the highest at_bound among equals after sorting).
  for (auto& c : out) score(c);
  std::stable_sort(out.begin(), out.end(), [&](const Candidate& a, const Candidate& b) {
    const auto ka = assignment_text(a.values), kb = assignment_text(b.values);
    return ka != kb ? ka < kb : a.at_bound > b.at_bound;
  });
  out.erase(std::unique(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.values == b.values; }),
            out.end());
  return out;
}

// For each bound of `solve`, each target (at, one unit below, one unit above) and each base candidate, each
// number fact of the derived value solved for the target.
void Search::solved_candidates(const Solve& solve, const std::vector<Candidate>& base, std::vector<Candidate>& out) {
  for (const auto& b : solve.bounds) {
    const auto u = unit_of(b);
    for (const Rational& target : {Rational(b - u), b, Rational(b + u)}) {
      const int at = target == b ? 1 : 0;
      for (const auto& c : base) {
        for (const auto& f : solve.facts) {
          if (slot(f)->type.type != ir::Type::kNumber) continue;
          auto x = solve_for(solve, c.values, f, target);
          if (!x) continue;
          if (acceptable(f, *x)) {
            Candidate j = c;
            j.values[f] = number_value(*x);
            j.at_bound = c.at_bound + at;
            out.push_back(std::move(j));
          } else if (auto j = nudged(solve, c, f, target, at)) {
            out.push_back(std::move(*j));
          } else if (!slot(f)->integer) {
            // No exact solution nearby: the nearest decimals on both sides (never claimed to be at the bound).
            for (const bool up : {false, true}) {
              Candidate k2 = c;
              k2.values[f] = number_value(round_to(*x, 6, up));
              k2.at_bound = 0;
              out.push_back(std::move(k2));
            }
          }
        }
      }
    }
  }
}

// When the solution for `f` is not an exact decimal: another fact of the derived value nudged within its own
// region (the same side of each of its bounds) until the solution is exact.
std::optional<Candidate> Search::nudged(const Solve& solve, const Candidate& c, const Path& f, const Rational& target,
                                        int at) {
  const auto region = [&](const Path& p, const Rational& v) {
    std::string r;
    for (const auto& b : knowledge_.facts[p].bounds) r += v < b ? '<' : v == b ? '=' : '>';
    return r;
  };
  for (const auto& o : solve.facts) {
    if (o == f || !c.values.at(o) || c.values.at(o)->kind != FactValue::Kind::kNumber) continue;
    const auto ov = core::parse_decimal(c.values.at(o)->text, false);
    if (!ov) continue;
    const auto ou = unit_of(*ov);
    const auto reg = region(o, *ov);
    for (int k = 1; k <= kSolveSearch; ++k) {
      for (const int sign : {-1, 1}) {
        const Rational nv = *ov + Rational(sign * k) * ou;
        if (region(o, nv) != reg || (slot(o)->integer && !core::is_integer(nv))) continue;
        Assignment trial = c.values;
        trial[o] = number_value(nv);
        const auto y = solve_for(solve, trial, f, target);
        if (y && acceptable(f, *y)) {
          Candidate j = c;
          j.values = std::move(trial);
          j.values[f] = number_value(*y);
          j.at_bound = at + (knowledge_.facts[o].bounds.count(nv) ? 1 : 0);
          return j;
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace edict::witness
