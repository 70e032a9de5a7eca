// The result of one evaluation, with its optional explainable trace.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edict/export.h"
#include "edict/date.hpp"
#include "edict/view.hpp"

namespace edict {

// A value in a trace, exactly as the evaluator held it.
struct EDICT_API TraceValue {
  enum class Kind : std::uint8_t { kUnknown, kBool, kNumber, kString, kDate, kEnum };
  Kind kind = Kind::kUnknown;
  // kNumber: exact ("4992", "-2.5", "2496/407"); kString: the string; kDate: "2024-06-01"; kEnum: its code;
  // kBool: "true" / "false"; kUnknown: empty.
  std::string exact;
  std::string shown;  // how it is printed, when that differs from `exact` (a number that is not a decimal)
  const std::string& text() const { return shown.empty() ? exact : shown; }
};

// Where a fact operand's value came from.
enum class Provenance : std::uint8_t {
  kNotAFact,   // a literal, definition, parameter or expression
  kGiven,      // in the facts
  kDefaulted,  // filled by its `default` (from another fact: default_from, else a constant)
  kMissing,    // absent: unknown
};

// One operand of a check: a compared value, a membership's element, or the boolean fact / definition /
// parameter a check tests. Views point into the policy, which the Trace keeps alive.
struct EDICT_API TraceOperand {
  TraceOperand() {}  // NOLINT(modernize-use-equals-default): no zero-fill before the initialisers (TraceStep)
  std::string_view source;  // as written ("product.tpp"); empty for a literal
  std::string_view op;      // the comparison operator before this operand ("<=", ...); empty for the first
  TraceValue value;
  bool bound = false;       // a literal or a parameter (the threshold side of a comparison)
  bool fact = false;        // a fact (then `provenance` and `fact_path` are set)
  Provenance provenance = Provenance::kNotAFact;
  std::string_view fact_path;
  std::string_view default_from;  // kDefaulted from another fact: its path
  // A comparison's operand after the first: how the previous operand compares to this one (-1, 0, 1), exactly;
  // `compared` is false when either is unknown.
  std::int8_t order = 0;
  bool compared = false;
};

// A group's members as of the evaluation date (at most 12 listed), shared by the traces of one date.
struct EDICT_API GroupMembers {
  Date as_of;
  std::size_t total = 0;
  std::vector<std::string> listed;
};

// One step of a trace. Steps form a tree through `depth` (0 = top level, children follow their parent).
// The step holds data, not text: render.hpp turns it into the text and JSON the tools print. Its lists are
// views into the Trace that holds it (one vector per trace, not one allocation per step).
struct EDICT_API TraceStep {
  enum class Kind : std::uint8_t {
    kRule,        // a rule considered: subject = id, status
    kExemption,   // an exemption considered: subject = id, status
    kCheck,       // one comparison / membership / name match / boolean fact, definition or parameter inside a
                  // condition (`not x` as one check): check, truth, operands
    kDefinition,  // a definition's value: subject = name, source = expression, value
    kParameter,   // a parameter's value as of the date
    kTier,        // a tier's label
    kDecision,    // the final decision: result = decision, rules = deciding rules
    kValue,       // an output's value: subject = output, result = its value (or unset / indeterminate /
                  // conflict), rules = the rules and exemptions whose values made it, source = how they combine
  };
  // kRule / kExemption. Exemptions print kFired as "applies", kNotFired as "does not apply".
  enum class Status : std::uint8_t { kNone, kFired, kNotFired, kIndeterminate, kNotInForce };
  enum class Truth : std::uint8_t { kFalse, kTrue, kUnknown };
  enum class Check : std::uint8_t {
    kNone,
    kBoolean,         // a boolean fact / definition / parameter: operands[0]
    kNot,             // `not` of one: operands[0] holds the value before negation
    kClassified,      // `classified "x"`: source; rules = the rules that classified it
    kPresent,         // `x is present`: operands[0]
    kAbsent,          // `x is absent`: operands[0]
    kCompare,         // a comparison (chain): operands with their operators
    kIn,              // membership: operands[0] is the element, group / members / matched
    kNotIn,
    kMatches,         // a name matched against a list of names
    kTooLarge,        // arithmetic whose result would exceed the number size limit (source)
    kDivisionByZero,  // (source)
    kStartsWith,      // a string or code against prefixes: operands[0], group / members / matched
  };
  // User-provided: `steps.emplace_back()` then runs only the member initialisers; with a defaulted
  // constructor, value-initialisation would first zero-fill the whole (large) step.
  TraceStep() {}  // NOLINT(modernize-use-equals-default)
  Kind kind = Kind::kCheck;
  Status status = Status::kNone;
  Check check = Check::kNone;
  // kCheck: its result; kDefinition: a boolean value (kUnknown: unknown or not boolean, see has_value);
  // kDecision: kUnknown when indeterminate, else kTrue.
  Truth truth = Truth::kUnknown;
  std::uint32_t depth = 0;
  std::uint32_t node = UINT32_MAX;  // the compiled node of a check or definition (an index into the policy)
  std::string_view subject;  // rule / exemption / definition / parameter / tier / output name (in the policy)
  std::string result;      // as printed: "true" / "false" / "unknown" / a value / a status word / the decision
  std::string_view source;  // a check's or definition's expression as written; a membership's group
  // kRule / kExemption: the version read for this rulebook.
  std::string_view title, citation, defined_by;
  Date from = Date::min(), until = Date::max();  // the effective window (trace_window prints it)
  std::string_view outcome;  // the outcome it gives, or the label it classifies (classifies == true)
  std::string_view reason;   // its `because`
  bool classifies = false;
  // kDefinition, kParameter: the value (unknown: none). kParameter: `from` is the date of the value's step
  // (has_value false: no value yet).
  TraceValue value;
  bool has_value = false;
  View<TraceOperand> operands;    // kCheck
  std::shared_ptr<const GroupMembers> members;  // kIn / kNotIn / kMatches with a known element
  std::string_view matched;             // kMatches: the entry that matched
  // kCheck kClassified: the rules that set the label; kDecision: the deciding rules (sorted).
  View<std::string_view> rules;
  View<std::string_view> exemptions;  // kDecision: the deciding exemptions (sorted)
  std::vector<std::string> unknown;  // indeterminate kRule / kExemption / kDecision: missing facts (sorted)
  bool conflict = false;             // kDecision: indeterminate because exemptions conflict
  std::string_view file;             // source location of the construct
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// Not copyable: the steps' lists are views into `operands` and `names` (a move keeps them valid).
struct EDICT_API Trace {
  Trace() = default;
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;
  Trace(Trace&&) = default;
  Trace& operator=(Trace&&) = default;
  std::vector<TraceStep> steps;
  std::vector<TraceOperand> operands;      // every step's operands, in step order
  std::vector<std::string_view> names;     // every step's rules and exemptions, in step order
  std::shared_ptr<const void> policy;  // keeps the policy that the steps' views point into alive
};

struct EDICT_API ExemptionConflict {
  std::string rule;
  std::vector<std::string> exemptions;  // the applicable exemptions whose outcomes disagree
};

// The value of one output of the policy (`output NAME : TYPE ...`), made from the `set` clauses of the rules
// and exemptions that took effect.
struct EDICT_API OutputValue {
  enum class State : std::uint8_t {
    kSet,            // `value` holds it
    kUnset,          // no rule gave a value and the output has no default
    kIndeterminate,  // a rule that gives it was indeterminate, or its value needs a missing fact
    kConflict,       // rules gave different values and the output combines them as `unique` or `deciding`
  };
  std::string name;
  std::string type;  // "decimal", "integer", "date", "string", "bool", or an enumeration's name
  State state = State::kUnset;
  // kSet: exact text: a number as a decimal ("308.64", or "1/3" when it has no finite decimal form), a date
  // "YYYY-MM-DD", a string, a code, "true" / "false".
  std::string value;
  // The rules and exemptions whose values made it (max / min: those that gave the winning value; kConflict:
  // every one whose value was compared; kIndeterminate: the ones whose value was unknown or that gave one).
  std::vector<std::string> by;
};

// An obligation a rule or exemption that took effect attaches to the result (`oblige "..." by DATE citing
// "..."`), e.g. notifying an authority 25 days before the export.
struct EDICT_API Obligation {
  std::string name;
  std::string due;       // "YYYY-MM-DD"; "" when it has no date; "indeterminate" when the date needs a missing fact
  std::string citation;  // "" when none
  std::string by;        // the rule or exemption
  // The rule or exemption was indeterminate (a fact it needs is missing): the obligation applies if it does.
  bool possible = false;
};

struct EDICT_API EvalResult {
  // False when the facts could not be bound to the schema, or when the evaluation exceeded a limit
  // (limit_exceeded); `errors` then says why (naming field paths, or the limit) and no decision is made.
  bool ok = true;
  bool limit_exceeded = false;  // the evaluation stopped at Limits::eval_steps (the facts were fine)
  std::vector<std::string> errors;
  std::vector<std::string> warnings;  // e.g. unknown fields in the facts

  std::string decision;                          // an outcome name, or "indeterminate"
  std::vector<std::string> classifications;      // sorted
  std::vector<std::string> deciding_rules;       // rules whose (possibly exempted) outcome is the decision
  std::vector<std::string> exemptions;           // exemptions that changed a deciding rule's outcome
  std::vector<std::string> reasons;              // `because` texts of the deciding rules / exemptions
  std::vector<std::string> citations;            // citations of the deciding rules and exemptions
  std::vector<std::string> indeterminate_facts;  // missing fact paths (sorted) when something was unknown
  std::vector<std::string> indeterminate_rules;  // rules / exemptions whose condition was unknown
  std::vector<ExemptionConflict> conflicts;
  std::vector<OutputValue> values;  // one per output of the policy, in declaration order (none declared: empty)
  std::vector<Obligation> obligations;  // in evaluation order

  Date as_of;
  std::optional<Date> rules_as_of;  // absent = the latest rulebook
  std::string policy_digest;

  std::shared_ptr<const Trace> trace;  // set when EvalOptions::trace was true
};

}  // namespace edict
