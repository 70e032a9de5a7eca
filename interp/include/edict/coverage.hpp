// Coverage of a policy by a set of evaluations (`edict test --coverage`): which rules and exemptions fired,
// which definitions and group tests were true and false, which threshold comparisons were exercised at,
// below and above their bound, which effective dates were exercised on both sides, and which `set` and
// `oblige` clauses ever gave a value or an obligation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edict/export.h"
#include "edict/policy.hpp"
#include "edict/result.hpp"

namespace edict {

struct EDICT_API RuleCoverage {
  std::string name;
  bool exemption = false;
  std::string file;
  std::uint32_t line = 0;
  std::size_t in_force = 0;       // evaluations where it was in force
  std::size_t fired = 0;          // rules: fired; exemptions: applied
  std::size_t not_fired = 0;      // rules: not fired; exemptions: not applied
  std::size_t indeterminate = 0;
  std::size_t not_in_force = 0;   // considered, but as_of outside its window
  // One effective date (`from` or `until` of a version): evaluations dated before it, and on or after it.
  struct DateBound {
    std::string kind;  // "from" | "until"
    Date date;
    std::size_t before = 0;
    std::size_t on_or_after = 0;
  };
  std::vector<DateBound> dates;
};

// A definition, or a group-membership test (`x in g`, `x not in g`, `x matches list`).
struct EDICT_API ConditionCoverage {
  std::string name;   // definitions: the name; membership tests: the source text
  std::string owner;  // membership tests: the rule, exemption, definition or tier it sits in
  bool boolean = true;  // definitions: false for numbers, strings, ... (only `evaluated` matters then)
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::size_t evaluated = 0;
  std::size_t true_count = 0;
  std::size_t false_count = 0;
  std::size_t unknown = 0;
};

// One numeric comparison against a bound (a literal or a parameter). A chain (`a <= x < b`) gives one entry
// per bound.
struct EDICT_API ThresholdCoverage {
  std::string text;   // source text: "performance_density >= 5.92"
  std::string owner;  // the rule, exemption, definition or tier it sits in
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;  // of the whole comparison, as in the trace step
  std::size_t evaluated = 0;
  std::size_t below = 0;  // the compared value was less than the bound
  std::size_t at = 0;     // exactly equal
  std::size_t above = 0;
  std::size_t unknown = 0;  // a value was missing
};

// A `set OUTPUT = ...` clause (kind "set") or an `oblige "NAME"` clause (kind "oblige") of a rule or exemption
// (its versions together): the evaluations where it gave the output's value (the rule is among the value's
// sources) or attached its obligation.
struct EDICT_API ResultCoverage {
  std::string kind;   // "set" | "oblige"
  std::string name;   // the output, or the obligation's name
  std::string owner;  // the rule or exemption
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::size_t gave = 0;
};

struct EDICT_API CoverageReport {
  std::size_t evaluations = 0;
  std::vector<RuleCoverage> rules;             // rules and exemptions, in declaration order
  std::vector<ConditionCoverage> definitions;  // in declaration order
  std::vector<ConditionCoverage> memberships;  // by location
  std::vector<ThresholdCoverage> thresholds;   // by location
  std::vector<ResultCoverage> results;         // `set` and `oblige` clauses, in declaration order
  // Items: per rule fired + not fired (exemptions: applied + not applied), per date both sides, per
  // definition true + false (or evaluated), per membership test true + false, per threshold at + below + above,
  // per `set` or `oblige` clause gave.
  std::size_t items = 0;
  std::size_t covered = 0;
};

// Aggregates the traces of the results (results without a trace or with ok == false are skipped).
EDICT_API CoverageReport measure_coverage(const Policy& policy, const std::vector<const EvalResult*>& results);

// Text: the uncovered items first, then per rule and exemption, then definitions, tiers and the rest, and a
// final "coverage: N of M items (P%)" line.
EDICT_API std::string render_coverage_text(const CoverageReport& report);
// One JSON object (no trailing newline).
EDICT_API std::string render_coverage_json(const CoverageReport& report);

}  // namespace edict
