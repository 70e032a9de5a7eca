// The streaming accumulator (edict::DiffAccumulator): evaluates each case with both versions, counts the
// changed ones and groups them by cause, keeping the first example of each group; and diff_case for one case.
#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "api/internals.hpp"
#include "api/plain_json.hpp"
#include "core/case_line.hpp"
#include "diff/signatures.hpp"
#include "diff/trace_blocks.hpp"
#include "edict/diff.hpp"
#include "edict/fact_frame.hpp"
#include "edict/render.hpp"
#include "render/values.hpp"

namespace edict {

namespace {

// The decisions or classifications differ (of two Decisions or two EvalResults).
template <class Result>
bool results_differ(const Result& a, const Result& b) {
  return a.decision != b.decision || a.classifications != b.classifications;
}

// Options for a traced evaluation.
EvalOptions traced(Date as_of, std::optional<Date> rules_as_of) {
  EvalOptions eo;
  eo.as_of = as_of;
  eo.rules_as_of = rules_as_of;
  eo.trace = true;
  return eo;
}

// The diff of one case's two traced results; `changes` (the rulebooks' changes) corrects causes that traces
// alone get wrong (refine_cause). The trace diff is left empty unless `with_trace_diff`: a corpus keeps it
// only for each group's example, and aligning two traces costs more than explaining the change.
CaseDiff explained(EvalResult old_result, EvalResult new_result, const std::vector<RulebookChange>& changes,
                   bool with_trace_diff) {
  CaseDiff d;
  d.old_result = std::move(old_result);
  d.new_result = std::move(new_result);
  d.changed = d.old_result.ok && d.new_result.ok &&
              (results_differ(d.old_result, d.new_result) ||
               !value_changes(d.old_result.values, d.new_result.values).empty());
  if (d.changed) {
    d.cause = refine_cause(explain_change(d.old_result, d.new_result), changes);
    if (with_trace_diff) d.trace_diff = diff_traces(*d.old_result.trace, *d.new_result.trace);
  }
  return d;
}

}  // namespace

CaseDiff diff_case(const Policy& old_policy, const Policy& new_policy, const Facts& facts, Date as_of,
                   const DiffOptions& options) {
  return explained(old_policy.evaluate(facts, traced(as_of, options.old_rules_as_of)),
                   new_policy.evaluate(facts, traced(as_of, options.new_rules_as_of)),
                   compare_rulebooks(old_policy, new_policy, options.old_rules_as_of, options.new_rules_as_of),
                   /*with_trace_diff=*/true);
}

struct DiffAccumulator::Engine {
  Session old_session;
  Session new_session;
  std::unique_ptr<diff::CauseSignatures> signatures;  // made at the first changed case
  // A signature -> its group and its transition's counter (nodes of std::map: stable until merge()).
  struct Known {
    DiffGroup* group = nullptr;
    std::size_t* transition_count = nullptr;
  };
  std::unordered_map<std::string, Known> cause_by_signature;
  core::CaseLine case_line;  // add_line's
  // Plain lines are read straight into prepared facts: one frame when both versions are one policy (the usual
  // `edict diff POLICY --old-rules-as-of ...`), else one per version.
  FactFrame old_frame;
  std::optional<FactFrame> new_frame;
  // The general path reads lines within the default Limits: the plain reader, which applies the policies'
  // own, is used only when they are no wider (then whatever it accepts, the general reader accepts too).
  bool plain_allowed = false;

  std::vector<RulebookChange> changes;  // what changed between the rulebooks (refine_cause)
  Engine(const Policy& o, const Policy& n, const DiffOptions& options)
      : old_session(o),
        new_session(n),
        old_frame(o),
        new_frame(&program_of(o) == &program_of(n) ? std::nullopt : std::optional<FactFrame>(std::in_place, n)),
        changes(compare_rulebooks(o, n, options.old_rules_as_of, options.new_rules_as_of)) {
    const auto within_defaults = [](const Limits& l) {
      const Limits d;
      return l.facts_bytes <= d.facts_bytes && l.facts_depth <= d.facts_depth && l.fact_entries <= d.fact_entries &&
             l.fact_number_digits <= d.fact_number_digits && l.fact_string_bytes <= d.fact_string_bytes;
    };
    plain_allowed = within_defaults(o.limits()) && within_defaults(n.limits());
  }
};

DiffAccumulator::DiffAccumulator(const Policy& old_policy, const Policy& new_policy, DiffOptions options)
    : old_(&old_policy), new_(&new_policy), options_(std::move(options)) {}
DiffAccumulator::~DiffAccumulator() = default;
DiffAccumulator::DiffAccumulator(DiffAccumulator&&) noexcept = default;
DiffAccumulator& DiffAccumulator::operator=(DiffAccumulator&&) noexcept = default;

void DiffAccumulator::add_error(std::size_t line, std::string id, std::string message) {
  ++report_.errors;
  auto& kept = report_.first_errors;
  if (kept.size() >= options_.max_errors_kept && (kept.empty() || kept.back().line < line)) return;
  kept.push_back({line, std::move(id), std::move(message)});
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  if (kept.size() > options_.max_errors_kept) kept.pop_back();
}

void DiffAccumulator::add_line(std::string_view line, std::size_t line_number) {
  if (!engine_) engine_ = std::make_unique<Engine>(*old_, *new_, options_);
  auto& c = engine_->case_line;
  if (core::CaseLine::is_blank(line)) {
    add_error(line_number, {}, "empty line");
    return;
  }
  if (add_plain_line(line, line_number)) return;
  const bool ok = c.read(line, Limits{});
  if (c.rules_as_of) ++report_.ignored_rules_as_of;
  if (!ok) {
    add_error(line_number, c.id_json, c.problem);
    return;
  }
  add_case(c.facts, c.as_of.value_or(options_.as_of), c.id_json, line_number);
}

void DiffAccumulator::add_case(const Facts& facts, Date as_of, std::string_view id_json, std::size_t line_number) {
  if (!engine_) engine_ = std::make_unique<Engine>(*old_, *new_, options_);
  Engine& en = *engine_;
  EvalOptions eo;
  eo.as_of = as_of;
  eo.rules_as_of = options_.old_rules_as_of;
  const Decision& a = en.old_session.decide(facts, eo);
  eo.rules_as_of = options_.new_rules_as_of;
  const Decision& b = en.new_session.decide(facts, eo);
  if (!a.ok || !b.ok) {
    const auto& bad = !a.ok ? a : b;
    std::string message = !a.ok ? "invalid facts in OLD: " : "invalid facts in NEW: ";
    if (bad.errors != nullptr) message += fmt::format("{}", fmt::join(*bad.errors, "; "));
    add_error(line_number, std::string(id_json), message);
    return;
  }
  add_decided(a, b, &facts, {}, as_of, id_json, line_number);
}

bool DiffAccumulator::add_plain_line(std::string_view line, std::size_t line_number) {
  Engine& en = *engine_;
  auto& c = en.case_line;
  if (!en.plain_allowed || !api::read_plain_case(detail::Internals::state(en.old_frame), line, c)) return false;
  if (en.new_frame && !api::read_plain_case(detail::Internals::state(*en.new_frame), line, c)) return false;
  EvalOptions eo;
  eo.as_of = c.as_of.value_or(options_.as_of);
  eo.rules_as_of = options_.old_rules_as_of;
  const Decision& a = en.old_session.decide(en.old_frame, eo);
  eo.rules_as_of = options_.new_rules_as_of;
  const Decision& b = en.new_session.decide(en.new_frame ? *en.new_frame : en.old_frame, eo);
  if (!a.ok || !b.ok) return false;  // the general path reports it
  if (c.rules_as_of) ++report_.ignored_rules_as_of;
  add_decided(a, b, nullptr, line, *eo.as_of, c.id_json, line_number);
  return true;
}

// `facts` null: the case came as the plain `line`, decided on the engine's frames, which sign it and are traced
// if its cause is new; the line is read again into Facts only for a group's example (or to evaluate it with
// Policy::evaluate under exact_causes). The decisions stay valid: the sessions are not called before they are
// used.
void DiffAccumulator::add_decided(const Decision& a, const Decision& b, const Facts* facts, std::string_view line,
                                  Date as_of, std::string_view id_json, std::size_t line_number) {
  Engine& en = *engine_;
  ++report_.cases;
  // The output values, only when a policy declares some; their text only when they may differ (two outcomes
  // of one program with the same values show the same text).
  const auto& old_program = detail::Internals::program(en.old_session);
  const bool same = &old_program == &detail::Internals::program(en.new_session) &&
                    eval::same_values(detail::Internals::outcome(en.old_session),
                                      detail::Internals::outcome(en.new_session));
  const std::string values = (old_->has_outputs() || new_->has_outputs()) && !same
                                 ? value_changes(en.old_session.values(), en.new_session.values())
                                 : std::string();
  if (!results_differ(a, b) && values.empty()) return;
  ++report_.changed;
  const bool decision_changed = a.decision != b.decision;
  if (decision_changed) ++report_.decision_changes;
  const auto transition = [&] {
    return diff::summary_of(a.decision, a.classifications) + " -> " + diff::summary_of(b.decision, b.classifications) +
           values;
  };
  // A case with the signature of an earlier one has its cause (the example stays the earlier case). The
  // signature includes both decisions and classifications, hence the transition.
  const std::string* signature = nullptr;
  if (!options_.exact_causes) {
    if (!en.signatures) en.signatures = std::make_unique<diff::CauseSignatures>(*old_, *new_);
    auto& signatures = *en.signatures;
    bool made = false;
    if (facts == nullptr) {
      const auto& old_facts = detail::Internals::state(en.old_frame).bound();
      made = signatures.make_bound(a, b, old_facts,
                                   en.new_frame ? detail::Internals::state(*en.new_frame).bound() : old_facts, as_of);
    } else {
      made = signatures.make(a, b, *facts, as_of);
    }
    if (made) signature = &signatures.signature();
  }
  if (signature != nullptr) {
    const auto known = en.cause_by_signature.find(*signature);
    if (known != en.cause_by_signature.end() && line_number > known->second.group->example_line) {
      DiffGroup& g = *known->second.group;
      ++g.count;
      if (decision_changed) ++g.decision_changes;
      // The signature fixes the decisions and classifications, not the values (a date computed from as_of):
      // with values, the transition is counted by its own text.
      if (values.empty()) {
        ++*known->second.transition_count;
      } else {
        ++g.transitions[transition()];
      }
      return;
    }
  }
  add_traced_case(facts, line, as_of, id_json, line_number, transition(), decision_changed, signature);
}

// A changed case whose cause is not known yet: evaluates both versions again with traces to find it.
void DiffAccumulator::add_traced_case(const Facts* facts, std::string_view line, Date as_of,
                                      std::string_view id_json, std::size_t line_number, std::string transition,
                                      bool decision_changed, const std::string* signature) {
  Engine& en = *engine_;
  std::string id;  // a plain line's id, kept: reading the line again rewrites case_line.id_json
  const auto read_line = [&] {
    id = id_json;
    id_json = id;
    en.case_line.read(line, Limits{});  // plain JSON: the same facts the plain reader read
    facts = &en.case_line.facts;
  };
  if (facts == nullptr && options_.exact_causes) read_line();  // Policy::evaluate takes Facts
  const auto old_options = traced(as_of, options_.old_rules_as_of);
  const auto new_options = traced(as_of, options_.new_rules_as_of);
  EvalResult old_result, new_result;
  if (facts == nullptr) {  // the frames still hold the line's facts: nothing is bound again
    old_result = en.old_session.evaluate(en.old_frame, old_options);
    new_result = en.new_session.evaluate(en.new_frame ? *en.new_frame : en.old_frame, new_options);
  } else if (options_.exact_causes) {
    old_result = old_->evaluate(*facts, old_options);
    new_result = new_->evaluate(*facts, new_options);
  } else {
    old_result = en.old_session.evaluate(*facts, old_options);
    new_result = en.new_session.evaluate(*facts, new_options);
  }
  CaseDiff d = explained(std::move(old_result), std::move(new_result), en.changes,
                         /*with_trace_diff=*/false);  // the example's, below
  auto key = d.cause.key();
  auto [it, fresh] = groups_.try_emplace(key);
  DiffGroup& g = it->second;
  ++g.count;
  if (decision_changed) ++g.decision_changes;
  auto& transition_count = g.transitions[std::move(transition)];
  ++transition_count;
  if (signature != nullptr) {
    if (en.cause_by_signature.size() >= std::max<std::size_t>(1, options_.max_signatures)) {
      en.cause_by_signature.clear();
    }
    en.cause_by_signature.insert_or_assign(*signature, Engine::Known{&g, &transition_count});
  }
  if (fresh || line_number < g.example_line) {
    g.key = std::move(key);
    g.atoms = std::move(d.cause.atoms);
    g.descriptions = std::move(d.cause.descriptions);
    g.example_line = line_number;
    if (facts == nullptr) read_line();
    g.example_id = std::string(id_json);
    g.example_facts = facts_to_json(*facts);
    g.example_as_of = as_of;
    g.example_trace_diff = d.changed ? diff_traces(*d.old_result.trace, *d.new_result.trace)
                                     : std::vector<TraceDiffStep>{};
    g.example_old = std::move(d.old_result);
    g.example_new = std::move(d.new_result);
  }
}

void DiffAccumulator::merge(DiffAccumulator&& other) {
  if (engine_) engine_->cause_by_signature.clear();  // it points into groups_
  report_.cases += other.report_.cases;
  report_.changed += other.report_.changed;
  report_.decision_changes += other.report_.decision_changes;
  report_.ignored_rules_as_of += other.report_.ignored_rules_as_of;
  const auto errors = report_.errors + other.report_.errors;
  for (auto& e : other.report_.first_errors) add_error(e.line, std::move(e.id), std::move(e.message));
  report_.errors = errors;
  for (auto& [key, g] : other.groups_) {
    auto [it, fresh] = groups_.try_emplace(key);
    if (fresh) {
      it->second = std::move(g);
      continue;
    }
    DiffGroup& mine = it->second;
    mine.count += g.count;
    mine.decision_changes += g.decision_changes;
    for (const auto& [t, c] : g.transitions) mine.transitions[t] += c;
    if (g.example_line < mine.example_line) {
      auto transitions = std::move(mine.transitions);
      const auto count = mine.count, decisions = mine.decision_changes;
      mine = std::move(g);
      mine.transitions = std::move(transitions);
      mine.count = count;
      mine.decision_changes = decisions;
    }
  }
}

DiffReport DiffAccumulator::finish() && {
  DiffReport out = std::move(report_);
  for (auto& [key, g] : groups_) out.groups.push_back(std::move(g));
  std::stable_sort(out.groups.begin(), out.groups.end(), [](const DiffGroup& a, const DiffGroup& b) {
    return a.count != b.count ? a.count > b.count : a.key < b.key;
  });
  return out;
}

}  // namespace edict
