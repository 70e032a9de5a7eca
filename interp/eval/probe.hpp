// The evaluator's own operations for analyses that reason about a policy instead of deciding one case (the
// witness search of `edict diff --witnesses`): the value of one expression, membership in a set, and the
// truth of every check a condition evaluates. Each answer is computed by the evaluator (evaluator.cpp), so
// that an analysis never carries a second copy of the semantics. A Probe is not thread-safe: use one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "eval/value.hpp"

namespace edict::eval {

class Frame;

using Truth = TraceStep::Truth;  // kFalse, kTrue, kUnknown

// One check (a comparison, membership, presence test or boolean fact) and the truth it evaluated to.
struct CheckTruth {
  std::uint32_t node = ir::kNone;
  Truth truth = Truth::kUnknown;
};

class Probe {
 public:
  explicit Probe(const CompiledProgram& program);  // `program` must outlive the probe
  ~Probe();
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;

  // The value of expression node `node` for `facts` at the dates. No rule is evaluated, so `classified`
  // reads false.
  Value value(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint32_t node);
  // As value(), with `classified` reading true for the labels in `classified` and false for the others
  // (`edict lint` treats classifications as free: it asks whether some labels make a condition true). Bounded
  // by limit_steps().
  Value value(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint32_t node,
              std::span<const std::uint32_t> classified);

  // For analyses of expressions the evaluator has not bounded yet (lint): each later call of the value
  // overload above and of contains() may visit at most `steps` nodes; one that needs more gives an unknown
  // value (contains: false) and sets exhausted() until clear_exhausted().
  void limit_steps(std::uint64_t steps);
  bool exhausted() const { return exhausted_; }
  void clear_exhausted() { exhausted_ = false; }

  // Whether `element` (typed as the set's elements: see to_value) is in set node `set_node` at the dates.
  bool contains(std::uint32_t set_node, const Value& element, Date as_of, Date rules_as_of);

  // Decides `facts` as Evaluator::run does (so `classified` reads what the rules classified), then evaluates
  // `conditions` in order and appends to `checks` each check evaluated, in evaluation order; checks skipped by
  // short-circuit are absent, and a check inside a definition is listed the first time it is evaluated.
  void checks(const BoundFacts& facts, Date as_of, Date rules_as_of, std::span<const std::uint32_t> conditions,
              std::vector<CheckTruth>& checks);

 private:
  std::unique_ptr<Frame> frame_;
  std::uint64_t max_steps_ = UINT64_MAX;
  bool exhausted_ = false;
};

}  // namespace edict::eval
