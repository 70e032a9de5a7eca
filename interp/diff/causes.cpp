// The cause of one changed case (edict::explain_change): the rules and exemptions whose status or outcome
// differs between the two traces, each explained by the change of the check, threshold, parameter,
// definition, group membership or effective window behind it.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "diff/trace_blocks.hpp"
#include "edict/diff.hpp"
#include "edict/render.hpp"
#include "render/values.hpp"

namespace edict {

namespace {

using Kind = TraceStep::Kind;
using diff::Block;

enum class Effect { kOff, kOn, kUnknown };

Effect effect_of(const TraceStep* head) {
  if (head == nullptr) return Effect::kOff;
  if (head->status == TraceStep::Status::kFired) return Effect::kOn;
  if (head->status == TraceStep::Status::kIndeterminate) return Effect::kUnknown;
  return Effect::kOff;  // not fired, does not apply, not in force
}

const char* effect_text(Effect e, bool exemption) {
  switch (e) {
    case Effect::kOn: return exemption ? "applies" : "fires";
    case Effect::kUnknown: return "is indeterminate";
    case Effect::kOff: break;
  }
  return exemption ? "does not apply" : "does not fire";
}

struct Atom {
  std::string key;
  std::string description;
  bool downstream = false;  // explained by another change (a classification made elsewhere)
};

// The checks that made an entity fire: " (when product.kind == ic, product.tpp >= 4800)".
std::string true_checks(const Block* b) {
  if (b == nullptr || effect_of(b->head) != Effect::kOn) return {};
  std::string out;
  for (const auto* s : b->children) {
    if (s->kind != Kind::kCheck || s->truth != TraceStep::Truth::kTrue) continue;
    out += (out.empty() ? " (when " : ", ") + diff::comparison_shape(*s);
  }
  return out.empty() ? out : out + ")";
}

// How one rule or exemption is named in atoms and sentences, and the sentence of its change.
struct Entity {
  std::string what;    // "rule `x`"
  std::string who;     // "rule x"
  std::string change;  // "rule `x` fires in NEW, does not fire in OLD"
};

// A parameter, definition or check of the entity's condition whose value changed (a, b: the paired steps).
void explain_step(const TraceStep& a, const TraceStep& b, const Entity& e, std::vector<Atom>& atoms) {
  if (a.kind == Kind::kParameter) {
    if (a.result == b.result) return;
    atoms.push_back({fmt::format("parameter {}: {} -> {}", a.subject, a.result, b.result),
                     fmt::format("{}: parameter `{}` is {} in OLD, {} in NEW", e.change, a.subject, a.result,
                                 b.result)});
    return;
  }
  if (a.kind == Kind::kDefinition) {
    if (a.source == b.source) return;
    atoms.push_back({fmt::format("definition {}: {} -> {}", a.subject, a.source, b.source),
                     fmt::format("{}: definition `{}` is `{}` in OLD, `{}` in NEW", e.change, a.subject, a.source,
                                 b.source)});
    return;
  }
  if (a.kind != Kind::kCheck || a.truth == b.truth) return;
  const auto at = trace_text(a), bt = trace_text(b);
  using Check = TraceStep::Check;
  // A membership of a known element in one named group (not a set expression).
  const bool membership = at == bt && (a.check == Check::kIn || a.check == Check::kMatches) &&
                          a.truth != TraceStep::Truth::kUnknown && !a.operands.empty() && !a.source.empty() &&
                          a.source.find(' ') == std::string_view::npos;
  if (at != bt && diff::is_comparison(a) && diff::is_comparison(b)) {
    const auto sa = diff::comparison_shape(a), sb = diff::comparison_shape(b);
    atoms.push_back({fmt::format("threshold {} -> {}", sa, sb),
                     fmt::format("{}: threshold `{}` in OLD became `{}` in NEW ({} -> {} for this case)", e.change,
                                 sa, sb, a.result, b.result)});
  } else if (at == bt && a.check == Check::kClassified) {
    atoms.push_back({fmt::format("{}: via {}", e.who, at),
                     fmt::format("{}: {} is {} in OLD, {} in NEW", e.change, at, a.result, b.result), true});
  } else if (membership) {
    const bool added = b.truth == TraceStep::Truth::kTrue;
    const auto element = trace_value_text(a.operands[0].value);
    atoms.push_back({fmt::format("group {}: {}{}", a.source, added ? "+" : "-", element),
                     fmt::format("{}: {} is {} group `{}` in NEW, {} in OLD", e.change, element,
                                 added ? "a member of" : "not a member of", a.source, added ? "not" : "it was")});
  } else {
    atoms.push_back({fmt::format("{}: check {} -> {}", e.who, at == bt ? at : at + " / " + bt, b.result),
                     fmt::format("{}: check `{}` is {} in OLD, `{}` is {} in NEW", e.change, at, a.result, bt,
                                 b.result)});
  }
}

// Both in force, the condition's value changed: the checks that explain it, else "condition changed".
void explain_condition(const Block& o, const Block& n, const Entity& e, std::vector<Atom>& atoms) {
  const auto ok = diff::child_keys(o.children), nk = diff::child_keys(n.children);
  std::map<std::string, const TraceStep*> old_by_key;
  for (std::size_t i = 0; i < ok.size(); ++i) old_by_key[ok[i]] = o.children[i];
  const std::size_t before = atoms.size();
  for (std::size_t j = 0; j < nk.size(); ++j) {
    const auto it = old_by_key.find(nk[j]);
    if (it != old_by_key.end()) explain_step(*it->second, *n.children[j], e, atoms);
  }
  if (atoms.size() > before) return;
  const bool amended = o.head->defined_by != n.head->defined_by;
  const std::string amended_by(n.head->defined_by);
  atoms.push_back({fmt::format("{}: condition changed{}", e.who, amended ? " (amended by " + amended_by + ")" : ""),
                   fmt::format("{}{}", e.change, amended ? "; amended by " + amended_by : "")});
}

void explain_entity(const Block* o, const Block* n, std::vector<Atom>& atoms) {
  const TraceStep* oh = o ? o->head : nullptr;
  const TraceStep* nh = n ? n->head : nullptr;
  const TraceStep& any = nh ? *nh : *oh;
  const bool exemption = any.kind == Kind::kExemption;
  const Effect eo = effect_of(oh), en = effect_of(nh);
  Entity e{fmt::format("{} `{}`", exemption ? "exemption" : "rule", any.subject),
           fmt::format("{} {}", exemption ? "exemption" : "rule", any.subject), {}};
  e.change = fmt::format("{} {} in NEW, {} in OLD", e.what, effect_text(en, exemption), effect_text(eo, exemption));
  if (oh == nullptr) {
    atoms.push_back({e.who + ": added", fmt::format("{} is new in NEW and {}{}; added by {}", e.what,
                                                    effect_text(en, exemption), true_checks(n),
                                                    nh->defined_by.empty() ? "NEW" : nh->defined_by)});
  } else if (nh == nullptr) {
    atoms.push_back({e.who + ": removed", fmt::format("{} is not in NEW (repealed); it {} in OLD{}", e.what,
                                                      effect_text(eo, exemption), true_checks(o))});
  } else if ((oh->status != TraceStep::Status::kNotInForce) != (nh->status != TraceStep::Status::kNotInForce)) {
    const auto ow = trace_window(*oh), nw = trace_window(*nh);
    const std::string amended_by(nh->defined_by);
    atoms.push_back({fmt::format("{}: in force {} -> {}", e.who, ow, nw),
                     fmt::format("{}: effective window {} in OLD, {} in NEW{}", e.change, ow, nw,
                                 oh->defined_by != nh->defined_by ? " (amended by " + amended_by + ")" : "")});
  } else if (eo == en && eo == Effect::kOn && !diff::same_outcome(*oh, *nh)) {
    const auto od = trace_detail(*oh), nd = trace_detail(*nh);
    atoms.push_back({fmt::format("{}: outcome {} -> {}", e.who, od, nd),
                     fmt::format("{}: outcome `{}` in OLD, `{}` in NEW", e.what, od, nd)});
  } else {
    explain_condition(*o, *n, e, atoms);
  }
}

// The atoms of every rule and exemption whose effect or outcome differs between the two traces.
std::vector<Atom> changed_entities(const Trace& old_trace, const Trace& new_trace) {
  std::vector<Atom> atoms;
  const auto ob = diff::blocks_of(old_trace), nb = diff::blocks_of(new_trace);
  std::map<std::string, const Block*> old_by_key, new_by_key;
  for (std::size_t i = 1; i < ob.size(); ++i) old_by_key.emplace(diff::block_key(ob[i]), &ob[i]);
  for (std::size_t i = 1; i < nb.size(); ++i) new_by_key.emplace(diff::block_key(nb[i]), &nb[i]);
  std::set<std::string> keys;
  for (const auto& [k, b] : old_by_key) keys.insert(k);
  for (const auto& [k, b] : new_by_key) keys.insert(k);
  for (const auto& k : keys) {
    const auto oi = old_by_key.find(k), ni = new_by_key.find(k);
    const Block* o = oi == old_by_key.end() ? nullptr : oi->second;
    const Block* n = ni == new_by_key.end() ? nullptr : ni->second;
    const Effect eo = effect_of(o ? o->head : nullptr), en = effect_of(n ? n->head : nullptr);
    const bool outcome_changed = eo == Effect::kOn && en == Effect::kOn && !diff::same_outcome(*o->head, *n->head);
    if (eo != en || outcome_changed) explain_entity(o, n, atoms);
  }
  return atoms;
}

// Outputs whose value changed while no rule or exemption changed its effect: the `set` behind them changed.
void value_atoms(const EvalResult& a, const EvalResult& b, std::map<std::string, std::string>& out) {
  for (std::size_t i = 0; i < a.values.size() && i < b.values.size(); ++i) {
    const auto& v = a.values[i];
    const auto& w = b.values[i];
    if (v.state == w.state && v.value == w.value) continue;
    std::string by;
    for (const auto& r : w.by) by += (by.empty() ? "" : ", ") + r;
    out.emplace(fmt::format("value {}: {} -> {}", v.name, value_or_state(v), value_or_state(w)),
                fmt::format("output `{}` is {} in OLD and {} in NEW{}", v.name, value_or_state(v), value_or_state(w),
                            by.empty() ? "" : " (given by " + by + " in NEW)"));
  }
}

}  // namespace

std::string CaseCause::key() const {
  std::string out;
  for (const auto& a : atoms) out += (out.empty() ? "" : "; ") + a;
  return out;
}

CaseCause explain_change(const EvalResult& old_result, const EvalResult& new_result) {
  std::vector<Atom> atoms;
  if (old_result.trace && new_result.trace) atoms = changed_entities(*old_result.trace, *new_result.trace);
  const bool any_primary = std::any_of(atoms.begin(), atoms.end(), [](const Atom& a) { return !a.downstream; });
  std::map<std::string, std::string> unique;
  for (const auto& a : atoms) {
    if (!a.downstream || !any_primary) unique.emplace(a.key, a.description);
  }
  if (unique.empty()) value_atoms(old_result, new_result, unique);
  if (unique.empty()) {
    const auto from = result_summary(old_result), to = result_summary(new_result);
    unique.emplace(fmt::format("decision {} -> {}", from, to),
                   fmt::format("the result changed from {} to {} without a rule or exemption changing status",
                               from, to));
  }
  CaseCause cause;
  for (auto& [k, d] : unique) {
    cause.atoms.push_back(k);
    cause.descriptions.push_back(std::move(d));
  }
  return cause;
}

}  // namespace edict
