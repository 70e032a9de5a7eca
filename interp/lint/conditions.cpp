// The reasoning checks: conditions that never hold, exemptions that never apply to what they override,
// shadowed tier cases, gaps and overlaps in tier ladders, parameters without a value while a rule uses them,
// amendments that change nothing, and `overrides` lists that leave out a sibling rule.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "eval/rulebook.hpp"
#include "ir/queries.hpp"
#include "ir/walk.hpp"
#include "lint/lint.hpp"

namespace edict::linter {

namespace {

const char* kind_of(const ir::Entity& e) { return e.exemption ? "exemption" : "rule"; }

// " (in force from D until E)", " (in force from D)", ... or "" for always.
std::string window_text(Date from, Date until) {
  if (from == Date::min() && until == Date::max()) return "";
  if (until == Date::max()) return fmt::format(" (in force from {})", from.to_string());
  if (from == Date::min()) return fmt::format(" (in force until {})", until.to_string());
  return fmt::format(" (in force from {} until {})", from.to_string(), until.to_string());
}

std::string quoted_names(const CompiledProgram& p, const std::vector<std::uint32_t>& entities) {
  std::string out;
  for (const auto e : entities) out += (out.empty() ? "`" : ", `") + p.entities[e].name + "`";
  return out;
}

class Checks {
 public:
  Checks(Context& cx, std::vector<Finding>& out) : cx_(cx), p_(cx.p), out_(out) {}

  void run() {
    never_true();
    exemptions();
    tiers();
    parameters();
    amendments();
    siblings();
  }

 private:
  void add(std::string code, std::string message, std::string help, syntax::Span span) {
    if (!cx_.own_file(span.file)) return;
    out_.push_back({std::move(code), std::move(message), std::move(help), span});
  }

  Answer alone(std::uint32_t condition, Date from, Date until, Date rules) {
    const std::uint32_t nodes[] = {condition};
    return satisfiable(cx_, nodes, {}, from, until, rules);
  }

  // ---- conditions that never hold, in every version of every rule and exemption

  void never_true() {
    for (const auto& e : p_.entities) {
      for (const auto& v : e.versions) {
        if (v.condition == kNone || !(v.from < v.until)) continue;
        if (alone(v.condition, v.from, v.until, cx_.rulebook_of(v)) != Answer::kNo) continue;
        add("never-true", fmt::format("the condition of {} `{}` can never hold{}", kind_of(e), e.name,
                                      window_text(v.from, v.until)),
            "no values of the facts it reads make it true on any date of its window", p_.nodes[v.condition].span);
      }
    }
  }

  // ---- exemptions, in the latest rulebook

  void exemptions() {
    for (const auto& e : p_.entities) {
      if (!e.exemption) continue;
      const auto* ve = ir::visible_version(e, cx_.latest);
      if (ve == nullptr) continue;
      for (const auto t : ve->overrides) {
        const auto& te = p_.entities[t];
        const auto* vt = ir::visible_version(te, cx_.latest);
        if (vt == nullptr) continue;
        if (!te.exemption && vt->outcome_kind == ir::OutcomeKind::kClassify) {
          add("exemption-overrides-classification",
              fmt::format("exemption `{}` overrides rule `{}`, which only classifies (\"{}\"): it never changes a decision",
                          e.name, te.name, p_.labels[vt->outcome]),
              "an exemption replaces the outcome of a decision rule; override the rules that test "
              "`classified` instead",
              ve->span);
          continue;
        }
        const Date lo = std::max(ve->from, vt->from);
        const Date hi = std::min(ve->until, vt->until);
        if (!(lo < hi)) {
          add("exemption-window-disjoint",
              fmt::format("exemption `{}`{} is never in force while {} `{}`{} is", e.name, window_text(ve->from, ve->until),
                          kind_of(te), te.name, window_text(vt->from, vt->until)),
              "their effective windows do not overlap, so the exemption can never apply to it", ve->span);
          continue;
        }
        if (ve->condition == kNone || vt->condition == kNone) continue;
        if (te.exemption && shares_rule(*ve, *vt)) continue;  // the override only orders two exemptions of a rule
        if (alone(ve->condition, ve->from, ve->until, cx_.latest) == Answer::kNo) continue;  // never-true
        if (alone(vt->condition, vt->from, vt->until, cx_.latest) == Answer::kNo) continue;
        const std::uint32_t both[] = {ve->condition, vt->condition};
        if (satisfiable(cx_, both, {}, lo, hi, cx_.latest) != Answer::kNo) continue;
        add("exemption-never-applies",
            fmt::format("exemption `{}` can never apply to {} `{}`: their conditions never hold together", e.name,
                        kind_of(te), te.name),
            fmt::format("whenever `{}` fires, this condition is false (on every date both are in force)", te.name),
            p_.nodes[ve->condition].span);
      }
    }
  }

  // Whether two exemptions override a rule in common: then `overrides` between them settles which one wins
  // where both apply (and silences `possible-exemption-conflict`), even when they never apply together.
  static bool shares_rule(const ir::RuleVersion& a, const ir::RuleVersion& b) {
    return std::any_of(a.overrides.begin(), a.overrides.end(), [&](std::uint32_t r) {
      return std::find(b.overrides.begin(), b.overrides.end(), r) != b.overrides.end();
    });
  }

  // ---- tiers: cases that never hold or are shadowed by earlier ones, and ladders with gaps or overlaps

  void tiers() {
    for (const auto& t : p_.tiers) {
      if (!cx_.own_file(t.span.file)) continue;
      std::vector<std::uint32_t> earlier;
      std::vector<bool> reported(t.cases.size(), false);
      for (std::size_t i = 0; i < t.cases.size(); ++i) {
        const auto cond = t.cases[i].condition;
        const auto& label = p_.strings[t.cases[i].label];
        if (alone(cond, Date::min(), Date::max(), cx_.latest) == Answer::kNo) {
          add("never-true", fmt::format("case \"{}\" of tier `{}` can never hold", label, t.name),
              "no values of the facts it reads make it true on any date", p_.nodes[cond].span);
          reported[i] = true;
        } else if (!earlier.empty()) {
          const std::uint32_t nodes[] = {cond};
          if (satisfiable(cx_, nodes, earlier, Date::min(), Date::max(), cx_.latest) == Answer::kNo) {
            add("shadowed-tier-case",
                fmt::format("case \"{}\" of tier `{}` is shadowed: whenever it holds, an earlier case holds first",
                            label, t.name),
                "a tier takes the first case that holds; move this case up or narrow the earlier ones",
                p_.nodes[cond].span);
            reported[i] = true;
          }
        }
        earlier.push_back(cond);
      }
      ladder(t, reported);
    }
  }

  // A ladder: a tier of at least two cases, each a comparison of one and the same number or date fact with
  // constants. A value between two cases that no case takes is a gap; a value two cases take is an overlap
  // (the later case is partly shadowed).
  void ladder(const ir::Tier& t, const std::vector<bool>& reported) {
    if (t.cases.size() < 2) return;
    std::vector<std::uint32_t> conds;
    for (const auto& c : t.cases) {
      if (p_.nodes[c.condition].op != ir::Op::kCompare) return;
      conds.push_back(c.condition);
    }
    Space space(cx_, conds, Date::min(), Date::max(), cx_.latest);
    const auto facts = space.facts();
    if (!space.exact() || facts.size() != 1) return;
    const auto type = p_.facts[facts[0]].type.type;
    if (type != ir::Type::kNumber && type != ir::Type::kDate) return;
    const auto& path = p_.facts[facts[0]].path;
    // Per date, in ascending value order: the value and the cases that hold.
    struct Row {
      std::string value;
      std::vector<std::size_t> cases;
    };
    std::map<std::int32_t, std::vector<Row>> rows;
    space.for_each([&](const Point& pt) {
      if (cx_.probe.exhausted()) return false;
      const auto value = space.value_of(facts[0]);
      if (value.empty()) return true;  // absent
      Row row{value, {}};
      for (std::size_t i = 0; i < conds.size(); ++i) {
        if (space.truth(pt, conds[i]) == eval::Truth::kTrue) row.cases.push_back(i);
      }
      rows[pt.as_of.days()].push_back(std::move(row));
      return true;
    });
    if (cx_.probe.exhausted()) return;
    bool gap_found = false;
    std::set<std::size_t> overlap_found;
    for (const auto& [day, list] : rows) {
      for (std::size_t k = 0; k < list.size(); ++k) {
        const auto& row = list[k];
        if (row.cases.empty() && !gap_found) {
          const auto below = std::find_if(list.rbegin() + static_cast<std::ptrdiff_t>(list.size() - k), list.rend(),
                                          [](const Row& r) { return !r.cases.empty(); });
          const auto above = std::find_if(list.begin() + static_cast<std::ptrdiff_t>(k) + 1, list.end(),
                                          [](const Row& r) { return !r.cases.empty(); });
          if (below != list.rend() && above != list.end()) {
            gap_found = true;
            add("threshold-gap",
                fmt::format("tier `{}` has a gap: no case holds for `{}` = {}, between case \"{}\" and case \"{}\"",
                            t.name, path, row.value, p_.strings[t.cases[below->cases.front()].label],
                            p_.strings[t.cases[above->cases.front()].label]),
                fmt::format("such values fall to `otherwise \"{}\"`; close the gap or say why with a lint comment",
                            p_.strings[t.otherwise]),
                t.span);
          }
        }
        if (row.cases.size() >= 2) {
          const auto later = row.cases[1];
          if (reported[later] || !overlap_found.insert(later).second) continue;
          add("threshold-overlap",
              fmt::format("cases \"{}\" and \"{}\" of tier `{}` overlap: both hold for `{}` = {}",
                          p_.strings[t.cases[row.cases[0]].label], p_.strings[t.cases[later].label], t.name, path,
                          row.value),
              "the first case wins there, so the later case is partly shadowed",
              p_.nodes[t.cases[later].condition].span);
        }
      }
    }
  }

  // ---- parameters without a value on a date a rule in force uses them

  void parameter_uses(std::uint32_t index, std::map<std::uint32_t, syntax::Span>& out, std::set<std::uint32_t>& seen) {
    if (index == kNone || !seen.insert(index).second) return;
    const auto& n = p_.nodes[index];
    if (n.op == ir::Op::kParameter) out.emplace(n.a, n.span);
    ir::for_each_child(p_, n, ir::kDefinitions | ir::kTiers, [&](std::uint32_t kid) { parameter_uses(kid, out, seen); });
  }

  void parameters() {
    std::set<std::pair<std::uint32_t, std::string>> done;  // (parameter, entity)
    for (const auto& e : p_.entities) {
      for (const auto& v : e.versions) {
        if (v.condition == kNone || !(v.from < v.until)) continue;
        std::map<std::uint32_t, syntax::Span> used;
        std::set<std::uint32_t> seen;
        parameter_uses(v.condition, used, seen);
        const auto rules = cx_.rulebook_of(v);
        for (const auto& [index, span] : used) {
          const auto& param = p_.parameters[index];
          std::vector<Date> dates{v.from};
          for (const auto& st : param.steps) {
            if (eval::step_visible(st, rules) && v.from < st.from && st.from < v.until) dates.push_back(st.from);
          }
          std::sort(dates.begin(), dates.end());
          for (const auto d : dates) {
            const auto* st = eval::step_in_force(param, d, rules);
            if (st != nullptr && st->value != kNone) continue;
            if (!done.insert({index, e.name}).second) break;
            std::string when;
            if (d == Date::min()) {
              Date first = Date::max();
              for (const auto& s : param.steps) {
                if (eval::step_visible(s, rules)) first = std::min(first, s.from);
              }
              when = fmt::format("before {}", first.to_string());
            } else {
              when = fmt::format("from {}", d.to_string());
            }
            add("parameter-without-value",
                fmt::format("parameter `{}` has no value {}, while {} `{}`{} uses it", param.name, when, kind_of(e),
                            e.name, window_text(v.from, v.until)),
                "on those dates its condition is unknown and a decision that depends on it is `indeterminate`; give "
                "the parameter a value from the rule's start, or start the rule later",
                span);
            break;
          }
        }
      }
    }
  }

  // ---- amendments that change nothing

  bool same_node(std::uint32_t a, std::uint32_t b) const {
    if (a == b) return true;
    if (a == kNone || b == kNone) return false;
    const auto& x = p_.nodes[a];
    const auto& y = p_.nodes[b];
    if (x.op != y.op || x.negated != y.negated || !(x.type == y.type)) return false;
    switch (x.op) {
      case ir::Op::kConstNum: return p_.numbers[x.a] == p_.numbers[y.a];
      case ir::Op::kConstStr: return p_.strings[x.a] == p_.strings[y.a];
      case ir::Op::kConstBool: case ir::Op::kConstDate: case ir::Op::kConstEnum: case ir::Op::kFact:
      case ir::Op::kDefinition: case ir::Op::kParameter: case ir::Op::kTier: case ir::Op::kClassified:
      case ir::Op::kPresent:
        return x.a == y.a;
      case ir::Op::kSetGroup: {
        if (x.a == y.a) return true;
        const auto& g = p_.groups[x.a];
        const auto& h = p_.groups[y.a];
        // Set literals are anonymous groups: equal when they list the same members.
        return g.name.rfind('{', 0) == 0 && h.name.rfind('{', 0) == 0 && g.entries == h.entries &&
               g.enum_events.size() == h.enum_events.size() &&
               std::equal(g.enum_events.begin(), g.enum_events.end(), h.enum_events.begin(),
                          [](const auto& l, const auto& r) { return l.empty() == r.empty(); });
      }
      case ir::Op::kCompare:
        if (x.kid_count != y.kid_count) return false;
        for (std::uint32_t i = 0; i < x.kid_count; ++i) {
          if (!same_node(p_.kid_list[x.first_kid + i], p_.kid_list[y.first_kid + i])) return false;
          if (i + 1 < x.kid_count && p_.compare_ops[x.first_kid + i] != p_.compare_ops[y.first_kid + i]) return false;
        }
        return true;
      default: return same_node(x.a, y.a) && same_node(x.b, y.b) && same_node(x.c, y.c);
    }
  }

  void amendments() {
    for (const auto& e : p_.entities) {
      for (std::size_t i = 1; i < e.versions.size(); ++i) {
        const auto& a = e.versions[i - 1];
        const auto& b = e.versions[i];
        if (!(b.known_from == a.known_until)) continue;
        if (!(a.from == b.from) || !(a.until == b.until) || a.title != b.title || a.citation != b.citation ||
            a.outcome_kind != b.outcome_kind || a.outcome != b.outcome || a.reason != b.reason ||
            a.overrides != b.overrides || !same_node(a.condition, b.condition)) {
          continue;
        }
        add("amendment-no-change",
            fmt::format("amendment \"{}\" changes nothing in {} `{}`", b.defined_by, kind_of(e), e.name),
            "every clause it gives equals the version before it", b.span);
      }
    }
  }

  // ---- `overrides` lists that leave out a rule deciding what all their rules decide

  // The facts and classifications a condition reads, through every name: what makes two rules siblings.
  std::set<std::string> inputs(std::uint32_t condition) const {
    std::set<std::string> out;
    std::set<std::uint32_t> seen;
    const std::function<void(std::uint32_t)> walk = [&](std::uint32_t index) {
      if (index == kNone || !seen.insert(index).second) return;
      const auto& n = p_.nodes[index];
      if (n.op == ir::Op::kFact || n.op == ir::Op::kPresent) out.insert(p_.facts[n.a].path);
      if (n.op == ir::Op::kClassified) out.insert("classified " + p_.labels[n.a]);
      ir::for_each_child(p_, n, ir::kNames, walk);
    };
    walk(condition);
    return out;
  }

  void siblings() {
    for (const auto& e : p_.entities) {
      if (!e.exemption) continue;
      const auto* ve = ir::visible_version(e, cx_.latest);
      if (ve == nullptr || ve->overrides.size() < 2) continue;
      std::uint32_t outcome = kNone;
      bool alike = true;
      for (const auto t : ve->overrides) {
        const auto* vt = ir::visible_version(p_.entities[t], cx_.latest);
        if (p_.entities[t].exemption || vt == nullptr || vt->outcome_kind != ir::OutcomeKind::kDecision ||
            (outcome != kNone && vt->outcome != outcome)) {
          alike = false;
          break;
        }
        outcome = vt->outcome;
      }
      if (!alike) continue;
      std::set<std::set<std::string>> listed;
      for (const auto t : ve->overrides) listed.insert(inputs(ir::visible_version(p_.entities[t], cx_.latest)->condition));
      std::vector<std::uint32_t> missing;
      for (std::uint32_t r = 0; r < p_.entities.size(); ++r) {
        const auto& re = p_.entities[r];
        const auto* vr = ir::visible_version(re, cx_.latest);
        if (re.exemption || vr == nullptr || vr->outcome_kind != ir::OutcomeKind::kDecision || vr->outcome != outcome) {
          continue;
        }
        if (std::find(ve->overrides.begin(), ve->overrides.end(), r) != ve->overrides.end()) continue;
        if (!(std::max(ve->from, vr->from) < std::min(ve->until, vr->until))) continue;
        if (!listed.count(inputs(vr->condition))) continue;  // not a sibling: it reads other inputs
        missing.push_back(r);
      }
      if (missing.empty()) continue;
      add("overrides-missing-sibling",
          fmt::format("exemption `{}` overrides {} (all `{}`) but not {}, which also decides `{}` from the same inputs", e.name,
                      quoted_names(p_, ve->overrides), p_.outcomes[outcome], quoted_names(p_, missing),
                      p_.outcomes[outcome]),
          "add it to `overrides`, or say why it is left out with a lint comment", ve->span);
    }
  }

  Context& cx_;
  const CompiledProgram& p_;
  std::vector<Finding>& out_;
};

}  // namespace

void check_conditions(Context& cx, std::vector<Finding>& out) { Checks(cx, out).run(); }

}  // namespace edict::linter
