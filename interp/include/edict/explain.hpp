// Answers for rule authors about one decision (`edict eval --explain`, `--why-not OUTCOME`, `--what-if`):
// why this outcome, why not another one, and what a change of facts would change. Every answer is a view of
// the structured trace (result.hpp TraceStep) read with the compiled conditions; every value tried is
// decided by the evaluator itself (Policy::evaluate). Numbers are exact decimals, never rounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edict/export.h"
#include "edict/diff.hpp"
#include "edict/policy.hpp"

namespace edict {

// One node of a rule's or exemption's condition, as the evaluation left it. Connectives (`and`, `or`, `not`,
// `if`) hold their operands; a check is a leaf and holds its trace step (values, operators, group members,
// whether each fact was given, defaulted or missing).
struct EDICT_API ConditionNode {
  enum class Kind : std::uint8_t { kAll, kAny, kNot, kIf, kCheck };
  Kind kind = Kind::kCheck;
  TraceStep::Truth truth = TraceStep::Truth::kUnknown;
  bool evaluated = false;           // false: skipped by short-circuit (or not traced)
  std::uint32_t node = UINT32_MAX;  // the compiled node (an index into the policy)
  std::optional<TraceStep> check;   // kCheck, evaluated: its step (views into the Trace of the answer)
  std::vector<ConditionNode> children;
  std::size_t omitted = 0;          // operands left out of a deciding path: they did not decide the result
};

// A rule or exemption on the deciding path (or on a path to another outcome), with its condition.
struct EDICT_API ExplainedEntity {
  std::string name;
  bool exemption = false;
  TraceStep::Status status = TraceStep::Status::kNone;
  bool classifies = false;
  std::string outcome;   // the outcome it gives, or the label it classifies
  std::string reason;
  std::string citation;
  std::string file;      // source location
  std::uint32_t line = 0;
  Date from = Date::min(), until = Date::max();  // its effective window
  std::vector<std::string> overrides;  // an exemption: the deciding rules it was considered for
  ConditionNode condition;             // the deciding path of the condition (operands that decided it)
};

// `--explain`: the decision and only its deciding path.
struct EDICT_API Explanation {
  EvalResult result;                              // with its full trace (the views above point into it)
  std::vector<ExplainedEntity> rules;             // deciding rules (or, when indeterminate, the unknown ones)
  std::vector<ExplainedEntity> exemptions;        // considered for a deciding rule (in force), in trace order
  std::vector<ExplainedEntity> classifications;   // rules that set a label the path above tests as true
};

// Evaluates with a trace (options.trace is ignored) and keeps the deciding path.
EDICT_API Explanation explain(const Policy& policy, const Facts& facts, const EvalOptions& options);
// Text: at most a few lines per deciding rule. JSON: {"decision", ..., "explanation": {...}} (README).
EDICT_API std::string render_explanation_text(const Explanation& explanation);
EDICT_API std::string render_explanation_json(const Explanation& explanation);

// One fact value to try: `path` = `value` (JSON: a number as exact decimal text, "a string", true/false).
struct EDICT_API FactChange {
  std::string path;
  FactValue value;
  std::string text() const;  // "product.tpp=2400"
};

// A condition that failed on a path to the asked outcome.
struct EDICT_API FailedCondition {
  ConditionNode leaf;                // a check, with its step
  std::string needs;                 // "product.tpp >= 2400 (is 2368)", "destination.country in d5_macau"
  // The nearest value of each fact that alone flips it (exact; a derived value is solved for each of its
  // facts), when a fact decides it.
  std::vector<FactChange> changes;
  std::vector<std::string> members;  // a group test: members that satisfy it as of the date (at most 12)
  std::size_t members_total = 0;
};

// One way the outcome could have been produced: a rule giving it (or classifying a label that a rule giving it
// tests), or an exemption giving it over a rule.
struct EDICT_API WhyNotPath {
  std::string entity;
  bool exemption = false;
  std::string label;                 // a classification path: the label the entity classifies
  std::string outcome;               // otherwise: the outcome it gives
  TraceStep::Status status = TraceStep::Status::kNone;
  std::string file;
  std::uint32_t line = 0;
  std::optional<Date> applies_from;  // not in force on the date: the first date it is in force (if any later)
  std::optional<Date> ended;         // not in force on the date: the date it ended
  std::vector<FailedCondition> failed;
  std::vector<std::string> exempted_by;  // fired with the outcome, replaced by these exemptions
  std::vector<std::string> over;         // an exemption: the rules it overrides that did not fire
  // Fired (or set a label) for a more severe decision: the decision can be OUTCOME only if it does not fire;
  // `failed` then lists the checks that made it fire.
  bool blocking = false;
  std::vector<std::string> via;          // labels this path needs: see WhyNotAnswer::label_paths
};

struct EDICT_API TriedChange {
  std::vector<FactChange> changes;
  std::string decision;          // the decision with the changes ("error" when the facts did not fit)
  std::vector<std::string> exemptions;  // exemptions that changed a deciding rule's outcome
};

struct EDICT_API WhyNotAnswer {
  std::string error;             // a usage error (an outcome the policy does not declare); nothing else set
  EvalResult result;             // the evaluation as asked, with its trace
  std::string outcome;
  bool already = false;          // the decision already is the outcome
  std::vector<WhyNotPath> paths;        // rules and exemptions that give the outcome, in trace order
  std::vector<WhyNotPath> label_paths;  // rules that classify a label some path needs, in trace order
  std::vector<TriedChange> singles;     // every single nearest change tried, with its decision
  // The smallest change found that gives the outcome: one change when one suffices (`single`), else the
  // smallest set the repair of each path found (not proven minimal). Empty `minimal`: none found.
  std::vector<FactChange> minimal;
  bool single = false;
  std::size_t evaluations = 0;   // evaluations made to answer
};

// Why the decision is not `outcome`: each path to it with the conditions that failed and their nearest
// flipping values, and the smallest change of facts found that gives it (each checked by evaluation).
EDICT_API WhyNotAnswer why_not(const Policy& policy, const Facts& facts, const EvalOptions& options,
                               std::string_view outcome);
EDICT_API std::string render_why_not_text(const WhyNotAnswer& answer);
EDICT_API std::string render_why_not_json(const WhyNotAnswer& answer);

// `--what-if`: the decision with the facts as given and with `changes` applied over them (a change replaces
// the value at its path), both traced, and their difference (diff.hpp).
struct EDICT_API WhatIf {
  std::vector<FactChange> changes;
  EvalResult before;
  EvalResult after;
  CaseCause cause;
  std::vector<TraceDiffStep> trace_diff;
  bool changed() const;  // decision or classifications differ
};

EDICT_API WhatIf what_if(const Policy& policy, const Facts& facts, const std::vector<FactChange>& changes,
                         const EvalOptions& options);
EDICT_API std::string render_what_if_text(const WhatIf& answer);
EDICT_API std::string render_what_if_json(const WhatIf& answer);

// `facts` with each change replacing the value at its path, and everything under it (added when absent);
// `source` names the changed values in messages.
EDICT_API Facts with_changes(const Facts& facts, const std::vector<FactChange>& changes,
                             const std::string& source = "--what-if");

}  // namespace edict
