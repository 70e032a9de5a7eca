// The decision plan (Frame, frame.hpp): the untraced decision compiled for one pair of date intervals, and
// run without the general path's bookkeeping where every rule in force is true or false.
#include <algorithm>
#include <span>

#include "eval/frame.hpp"

namespace edict::eval {

void Frame::build_plan(Plan& plan) {
  plan.built = true;
  plan.checks.clear();
  plan.rules.clear();
  plan.exemptions.clear();
  plan.usable = true;
  for (const auto e : dates_->in_force_order) {
    auto rule = plan_entity(plan, e);
    if (!rule.classifies) {
      if (rule.outcome == kNone) {  // no rank: the general path makes it a conflict
        plan.usable = false;
        return;
      }
      rule.first_exemption = static_cast<std::uint32_t>(plan.exemptions.size());
      for (const auto x : p_.exemption_candidates[e]) {
        if (in_force(x) && overrides(x, e)) plan.exemptions.push_back(plan_entity(plan, x));
      }
      rule.exemption_count = static_cast<std::uint32_t>(plan.exemptions.size()) - rule.first_exemption;
    }
    plan.rules.push_back(rule);
  }
  if (exemption_decided_in_.size() != entities_.size()) exemption_decided_in_.assign(entities_.size(), 0);
  if (plan_applying_.size() < plan.exemptions.size()) plan_applying_.resize(plan.exemptions.size());
}

Frame::PlanEntity Frame::plan_entity(Plan& plan, std::uint32_t entity) {
  const auto& v = *entities_[entity].version;
  PlanEntity planned;
  planned.entity = entity;
  planned.classifies = v.outcome_kind == ir::OutcomeKind::kClassify;
  planned.gives_values = !v.sets.empty() || !v.obligations.empty();
  planned.outcome = v.outcome;
  if (v.condition != kNone) planned.entry = plan_condition(plan, v.condition, kPlanTrue, kPlanFalse, 0);
  return planned;
}

// Appends the checks of condition `node`, whose truth goes on to `if_true` or `if_false`, and returns its first
// check. An `and`/`or` chain becomes its operands, last first so that each knows the one after it; entering
// the chain takes the steps test() and test_logic() take (one, and one per operator of its spine), at its
// first check, which is always reached.
std::uint32_t Frame::plan_condition(Plan& plan, std::uint32_t node, std::uint32_t if_true, std::uint32_t if_false,
                                    std::uint32_t enter_steps) {
  const auto op = p_.nodes[node].op;
  if (op == ir::Op::kAnd || op == ir::Op::kOr) {
    const auto& chain = logic_chains_[node];
    const bool is_and = op == ir::Op::kAnd;
    enter_steps += 1 + chain.inner;
    std::uint32_t next = if_true;
    for (std::uint32_t i = chain.count; i-- > 0;) {
      const bool last = i + 1 == chain.count;
      const auto on_true = is_and && !last ? next : if_true;
      const auto on_false = !is_and && !last ? next : if_false;
      next = plan_condition(plan, chain_operands_[chain.first + i], on_true, on_false, i == 0 ? enter_steps : 0);
    }
    return next;
  }
  plan.checks.push_back({fused_[node], node, enter_steps, if_true, if_false});
  return static_cast<std::uint32_t>(plan.checks.size() - 1);
}

// A condition's truth from its first check; unknown as soon as one check is.
// The fused checks' steps are added up and taken where the walk ends or calls test(): a limit reached on the
// way is then reached a few checks later, with the same StepLimitExceeded (which carries nothing) and the same
// smallest limit that lets the case finish.
inline Tri Frame::run_checks(const Plan& plan, std::uint32_t at) {
  std::uint64_t steps = 0;
  while (at < kPlanTrue) {
    const auto& c = plan.checks[at];
    Tri t;
    const auto fused = c.fused.kind == FusedCheck::Kind::kGeneral ? 0 : decide_fused(c.fused, t);
    steps += c.enter_steps + fused;
    if (fused == 0) {
      take_steps(steps);
      steps = 0;
      t = test(c.node);
      if (t == Tri::kUnknown) return t;
    }
    at = t == Tri::kTrue ? c.if_true : c.if_false;
  }
  take_steps(steps);
  return at == kPlanTrue ? Tri::kTrue : Tri::kFalse;
}

// Decides as run() does: the rules in order, then every exemption overriding a fired rule (the general path
// evaluates each of them too, so the steps are the same). Where no exemption applies, no outcome is uncertain
// or overridden and the highest rank decides; where some apply, combine_from_plan() finishes. Returns false,
// leaving `out` alone, when a check is unknown: the steps taken are given back, but for those that filled the
// set caches (the general path then finds the memberships known and does not take them again).
bool Frame::run_plan(const Plan& plan, Outcome& out) {
  const auto budget = steps_left;
  set_cache_steps_ = 0;
  const auto hand_back = [&] {
    steps_left = budget - set_cache_steps_;
    return false;
  };
  // Sized for every rule once, and written by position: push_back's growth path would be a call per rule.
  if (plan_fired_.size() < plan.rules.size()) plan_fired_.resize(plan.rules.size());
  std::uint32_t fired = 0;
  for (std::uint32_t r = 0; r < plan.rules.size(); ++r) {
    const auto& rule = plan.rules[r];
    const auto t = run_checks(plan, rule.entry);
    if (t == Tri::kUnknown) return hand_back();
    if (t == Tri::kFalse) continue;
    plan_fired_[fired++] = r;
    if (rule.classifies && rule.outcome != kNone) labels_[rule.outcome] = Tri::kTrue;
  }
  plan_fired_count_ = fired;
  const std::span<const std::uint32_t> fired_rules(plan_fired_.data(), fired);
  const auto outcome_count = static_cast<std::uint32_t>(p_.outcomes.size());
  std::uint32_t high = 0;  // the highest rank of a fired decision rule (0: none)
  std::uint32_t applying = 0;
  for (const auto r : fired_rules) {
    const auto& rule = plan.rules[r];
    if (rule.classifies) continue;
    for (std::uint32_t i = 0; i < rule.exemption_count; ++i) {
      const auto& exemption = plan.exemptions[rule.first_exemption + i];
      if (exemption_decided_in_[exemption.entity] == run_count_) continue;  // it also overrides an earlier rule
      const auto t = run_checks(plan, exemption.entry);
      if (t == Tri::kUnknown) return hand_back();
      exemption_decided_in_[exemption.entity] = run_count_;
      if (t == Tri::kTrue) plan_applying_[applying++] = exemption.entity;
    }
    high = std::max(high, outcome_count - rule.outcome);
  }
  if (applying != 0) {
    plan_applying_count_ = applying;
    combine_from_plan(plan, out);
    return true;
  }
  const auto decided_rank = high == 0 ? outcome_count - p_.default_outcome : high;
  out.decision = outcome_count - decided_rank;
  out.conflicts.clear();
  out.indeterminate.clear();
  out.missing.clear();
  out.fired.resize(fired);
  out.deciding.clear();
  out.deciding_exempted.clear();
  out.exemptions.clear();
  for (std::uint32_t i = 0; i < fired; ++i) {
    const auto& rule = plan.rules[fired_rules[i]];
    out.fired[i] = rule.entity;
    if (high != 0 && !rule.classifies && outcome_count - rule.outcome == decided_rank) {
      out.deciding.push_back({rule.entity, entities_[rule.entity].version});
      out.deciding_exempted.push_back(0);
    }
  }
  out.classifications.clear();
  for (std::uint32_t l = 0; l < labels_.size(); ++l) {
    if (labels_[l] == Tri::kTrue) out.classifications.push_back(l);
  }
  if (!p_.outputs.empty() || p_.has_obligations) plan_values(plan, out);
  ++decided_by_plans;
  return true;
}

// Exemptions of fired rules apply: the general combination decides, from the statuses the plan found (every
// rule, and every exemption overriding a fired rule). It evaluates only the exemptions the plan does not
// hold (those narrowing an exemption), so the steps are those the general path takes.
void Frame::combine_from_plan(const Plan& plan, Outcome& out) {
  reset_entities();
  fired_.clear();
  fired_applied_.clear();
  all_missing_.clear();
  missing_.clear();
  const auto settle = [&](std::uint32_t entity, Status status) {
    entities_[entity].evaluated = true;
    entities_[entity].status = status;
  };
  for (const auto& rule : plan.rules) settle(rule.entity, Status::kFalse);
  for (std::uint32_t i = 0; i < plan_fired_count_; ++i) settle(plan.rules[plan_fired_[i]].entity, Status::kTrue);
  for (const auto& exemption : plan.exemptions) {
    if (exemption_decided_in_[exemption.entity] == run_count_) settle(exemption.entity, Status::kFalse);
  }
  for (std::uint32_t i = 0; i < plan_applying_count_; ++i) settle(plan_applying_[i], Status::kTrue);
  combine(out);
  ++continued_from_plans;
}

// The values compute_values() gives when no rule is unknown and no exemption applied: those of the fired
// decision rules, in order, then those of the fired classification rules, by entity.
void Frame::plan_values(const Plan& plan, Outcome& out) {
  begin_values(out);
  plan_classified_.clear();
  for (std::uint32_t i = 0; i < plan_fired_count_; ++i) {
    const auto& rule = plan.rules[plan_fired_[i]];
    if (!rule.gives_values) continue;  // give_values() would give nothing
    if (!rule.classifies) {
      give_values(out, rule.entity, *entities_[rule.entity].version);
    } else {
      plan_classified_.push_back(rule.entity);
    }
  }
  std::sort(plan_classified_.begin(), plan_classified_.end());
  for (const auto e : plan_classified_) give_values(out, e, *entities_[e].version);
  end_values(out);
}

// The decision: each fired (or unknown) decision rule contributes a range of possible outcome ranks (0: no
// outcome); the decision is determinate when the range of the maximum is one value.
void Frame::run(const BoundFacts& facts, Date as_of, Date rules_as_of, Trace* trace, Outcome& out) {
  if (trace == nullptr && plans_enabled_) {
    trace_ = nullptr;
    enter(facts, as_of, rules_as_of);
    auto& plan = dates_->plan;
    if (!plan.built) build_plan(plan);
    if (plan.usable && run_plan(plan, out)) return;
  }
  reset(facts, as_of, rules_as_of, trace);
  // Without a trace, entities not in force are settled and skipped (see reset_entities).
  const auto& order = trace_ != nullptr ? p_.order : dates_->in_force_order;
  for (const auto index : order) evaluate_entity(index);
  combine(out);
}

// The decision from the statuses of the rules (all settled) and the exemptions (evaluated as needed).
void Frame::combine(Outcome& out) {
  const auto& order = trace_ != nullptr ? p_.order : dates_->in_force_order;
  const auto& exemptions = trace_ != nullptr ? all_exemptions_ : dates_->in_force_exemptions;
  const auto outcome_count = static_cast<std::uint32_t>(p_.outcomes.size());
  const auto rank = [&](std::uint32_t outcome) { return outcome == kNone ? 0u : outcome_count - outcome; };
  const auto default_rank = rank(p_.default_outcome);
  std::uint32_t low = 0, high = 0;
  bool below_default_possible = false;
  out.conflicts.clear();
  out.indeterminate.clear();
  out.fired.clear();
  for (const auto index : order) {  // their statuses are settled: apply_exemptions() evaluates exemptions only
    const auto& state = entities_[index];
    if (state.status == Status::kTrue) out.fired.push_back(index);
    if (state.status == Status::kUnknown) {
      out.indeterminate.push_back(index);
      all_missing_.insert(all_missing_.end(), state.missing.begin(), state.missing.end());
    }
    if (state.version == nullptr || state.version->outcome_kind != ir::OutcomeKind::kDecision) continue;
    if (state.status != Status::kTrue && state.status != Status::kUnknown) continue;
    apply_exemptions(index);
    if (conflict_) out.conflicts.emplace_back(index, applied_);
    // The outcomes this rule may give (a set, not every rank in between: an unknown rule giving the
    // default's outcome cannot make the decision less severe); a possible conflict forces indeterminate.
    std::uint32_t lo = outcome_count + 1, hi = 0;
    for (const auto outcome : possible_outcomes_) {
      const auto r = outcome == kNone ? outcome_count + 1 : rank(outcome);
      lo = std::min(lo, outcome == kNone ? 0 : r);
      hi = std::max(hi, r);
      if (r > 0 && r < default_rank) below_default_possible = true;
    }
    if (state.status == Status::kUnknown) lo = 0;
    low = std::max(low, lo);
    high = std::max(high, hi);
    if (state.status == Status::kTrue) {
      fired_.push_back({index, effective_, static_cast<std::uint32_t>(fired_applied_.size()),
                        static_cast<std::uint32_t>(applied_.size())});
      fired_applied_.insert(fired_applied_.end(), applied_.begin(), applied_.end());
    }
  }
  for (const auto e : exemptions) {  // exemptions are evaluated on demand
    if (entities_[e].status == Status::kTrue) out.fired.push_back(e);
    if (entities_[e].status == Status::kUnknown) {
      out.indeterminate.push_back(e);
      all_missing_.insert(all_missing_.end(), entities_[e].missing.begin(), entities_[e].missing.end());
    }
  }

  const bool determinate =
      low == high || (low == 0 && high == default_rank && !below_default_possible && out.conflicts.empty());
  const auto decided_rank = high == 0 ? default_rank : high;
  out.decision = determinate ? outcome_count - decided_rank : kNone;
  out.deciding.clear();
  out.deciding_exempted.clear();
  out.exemptions.clear();
  if (determinate && high != 0) {
    for (const auto& f : fired_) {
      if (rank(f.outcome) != decided_rank) continue;
      out.deciding.push_back({f.rule, entities_[f.rule].version});
      out.deciding_exempted.push_back(f.applied_count > 0 ? 1 : 0);
      for (std::uint32_t i = 0; i < f.applied_count; ++i) {
        const auto e = fired_applied_[f.first_applied + i];
        const bool seen = std::any_of(out.exemptions.begin(), out.exemptions.end(),
                                      [&](const Decided& d) { return d.entity == e; });
        if (!seen) out.exemptions.push_back({e, entities_[e].version});
      }
    }
  }
  out.classifications.clear();
  for (std::uint32_t l = 0; l < labels_.size(); ++l) {
    if (labels_[l] == Tri::kTrue) out.classifications.push_back(l);
  }
  std::sort(all_missing_.begin(), all_missing_.end());
  all_missing_.erase(std::unique(all_missing_.begin(), all_missing_.end()), all_missing_.end());
  if (all_missing_.empty()) {
    out.missing.clear();
  } else {
    out.missing.assign(all_missing_.begin(), all_missing_.end());
  }
  if (!p_.outputs.empty() || p_.has_obligations) compute_values(out);
  if (trace_) [[unlikely]] {
    trace_decision(out);
    if (!p_.outputs.empty()) trace_values(out);
    if (views_moved_) rebase_views();
    trace_steps_hint_ = std::max(trace_steps_hint_, trace_->steps.size());
    trace_operands_hint_ = std::max(trace_operands_hint_, trace_->operands.size());
    trace_names_hint_ = std::max(trace_names_hint_, trace_->names.size());
  }
}

void Frame::trace_decision(const Outcome& out) {
  auto& s = step(TraceStep::Kind::kDecision);
  auto& names = trace_->names;
  for (const auto& d : out.deciding) append(names, s.rules, std::string_view(p_.entities[d.entity].name));
  std::sort(names.end() - static_cast<std::ptrdiff_t>(s.rules.size()), names.end());
  for (const auto& e : out.exemptions) append(names, s.exemptions, std::string_view(p_.entities[e.entity].name));
  std::sort(names.end() - static_cast<std::ptrdiff_t>(s.exemptions.size()), names.end());
  s.result = out.decision == kNone ? "indeterminate" : p_.outcomes[out.decision];
  s.truth = out.decision == kNone ? TraceStep::Truth::kUnknown : TraceStep::Truth::kTrue;
  if (out.decision == kNone) {
    s.conflict = !out.conflicts.empty();
    s.unknown = missing_names(out.missing);
  }
}

}  // namespace edict::eval
