// The exact number of evaluation steps (Limits::eval_steps) an evaluation takes: the smallest limit under
// which it finishes, found by bisection on fresh evaluators (no set membership remembered from before). The
// tests of the evaluator's fast paths (fused checks, decision plans) compare it with the general path's.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>

#include "eval/evaluator.hpp"

namespace edict_test {

// The smallest step limit under which `finishes(limit)` succeeds (it must succeed under 100,000).
template <typename Finishes>
std::uint64_t smallest_limit(Finishes finishes) {
  std::uint64_t low = 1, high = 100'000;
  REQUIRE(finishes(high));
  while (low < high) {
    const auto middle = low + (high - low) / 2;
    if (finishes(middle)) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}

// The steps `facts` take as of `as_of` (latest rulebook) on a fresh evaluator that `configure(evaluator)` set up.
template <typename Configure>
std::uint64_t steps_to_finish(const edict::CompiledProgram& program, const edict::eval::BoundFacts& facts,
                              edict::Date as_of, Configure configure) {
  return smallest_limit([&](std::uint64_t limit) {
    edict::eval::Evaluator evaluator(program);
    configure(evaluator);
    edict::eval::Outcome outcome;
    return evaluator.run(facts, as_of, edict::Date::from_days(edict::Date::max().days() - 1), limit, nullptr, outcome);
  });
}

}  // namespace edict_test
