// The evaluator (stage 4): evaluates one compiled program on bound facts as of two dates. One Evaluator holds
// all per-evaluation scratch state, sized once for its program and reused by every run, so evaluations
// without a trace do not allocate once warmed up. An Evaluator is not thread-safe: use one per thread.
#pragma once

#include <cstdint>
#include <memory>

#include "eval/value.hpp"

namespace edict::eval {

class Frame;

class Evaluator {
 public:
  explicit Evaluator(const CompiledProgram& program);  // `program` must outlive the evaluator
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Evaluates; `out` is overwritten. When `trace` is not null, the steps are appended to it. Returns false,
  // leaving `out` (and the trace) incomplete, when the evaluation needed more than `max_steps` node visits
  // (Limits::eval_steps).
  bool run(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint64_t max_steps, Trace* trace,
           Outcome& out);

  // Every check takes the general path from now on, as in a traced evaluation: for the tests that compare
  // the fused checks (frame.hpp) with it.
  void disable_fused_checks();
  std::size_t fused_checks() const;  // how many checks of the program have a fused form
  // Every decision takes the general path from now on (no decision plan, decision_plan.cpp): for the tests that
  // compare the plans with it.
  void disable_plans();
  std::uint64_t decided_by_plans() const;  // the decisions a plan made (the others took the general path)
  // Those where an exemption applied: the plan's statuses were handed to the general combination.
  std::uint64_t continued_from_plans() const;

 private:
  std::unique_ptr<Frame> frame_;
};

}  // namespace edict::eval
