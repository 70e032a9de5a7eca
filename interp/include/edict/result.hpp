// The result of one evaluation, with its optional explainable trace.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "date.hpp"

namespace edict {

// A fact of a check that was not given but filled by its `default`.
struct DefaultedFact {
  std::string fact;  // its path
  std::string from;  // the fact it was copied from; empty when the default is a constant
};

// One step of a trace. Steps form a tree through `depth` (0 = top level, children follow their parent).
struct TraceStep {
  enum class Kind : std::uint8_t {
    kRule,        // a rule considered: subject = id, status = fired | not fired | indeterminate | not in force
    kExemption,   // an exemption considered: status = applied | not applied | overridden | indeterminate | ...
    kCheck,       // one comparison / membership / name match / boolean fact, definition or parameter inside a
                  // condition (`not x` as one check): text, result
    kDefinition,  // a definition's value: subject = name, text = expression, result = value
    kParameter,   // a parameter's value as of the date
    kTier,        // a tier's label
    kDecision,    // the final decision: result = decision, text = deciding rules
  };
  Kind kind = Kind::kCheck;
  std::uint32_t depth = 0;
  std::string subject;   // rule / exemption / definition / parameter / tier name
  std::string title;     // rules and exemptions
  std::string citation;  // rules and exemptions
  std::string window;    // effective window, e.g. "[2023-11-17, 2026-01-01)"
  std::string defined_by;  // the amendment (or base file) that gave this version
  std::string text;      // kCheck: "product.tpp 4992 >= 4800"; kDefinition: the expression
  std::string result;    // "true" / "false" / "unknown" / a value / a status
  std::string detail;    // e.g. group membership as of the date, outcome, missing facts
  // kCheck of a comparison: each operand's exact value ("4992", "-2.5", "2496/407"; "" when unknown), whether
  // it is a bound (a literal or a parameter), and the operators between operands ("<=", ">=", "==", ...).
  std::vector<std::string> operands;
  std::vector<bool> bounds;
  std::vector<std::string> operators;
  // kCheck: the facts among its operands that were filled by their default, not given.
  std::vector<DefaultedFact> defaulted;
  std::string file;      // source location of the construct
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct Trace {
  std::vector<TraceStep> steps;
};

struct ExemptionConflict {
  std::string rule;
  std::vector<std::string> exemptions;  // the applicable exemptions whose outcomes disagree
};

struct EvalResult {
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

  Date as_of;
  std::optional<Date> rules_as_of;  // absent = the latest rulebook
  std::string policy_digest;

  std::shared_ptr<const Trace> trace;  // set when EvalOptions::trace was true
};

}  // namespace edict
