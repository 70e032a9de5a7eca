// Property tests over the EAR pack and a corpus of about 1,000 facts (catalog products x destinations x end
// users x dates, tests/unit/support/ear_support.hpp): compiling twice gives the same policy, and evaluation
// is deterministic and keeps no state between calls (byte-identical JSON traces from a fresh Session, a reused
// one, one that evaluated other facts in between, and Policy::evaluate).
#include <catch2/catch.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "../support/ear_support.hpp"

namespace {

edict::EvalOptions with_trace(edict::EvalOptions options) {
  options.trace = true;
  return options;
}

}  // namespace

TEST_CASE("property: compiling the EAR pack twice gives identical digests and traces", "[property][determinism]") {
  const auto first = edict_test::compile_ear();
  const auto second = edict_test::compile_ear();
  CHECK(first->digest() == second->digest());
  CHECK(first->tests().size() == second->tests().size());
  for (const edict_test::EarCase& c : edict_test::ear_cases(/*stride=*/2)) {
    INFO(c.label);
    const edict::EvalOptions options = with_trace(c.options);
    CHECK(edict::render_json(first->evaluate(c.facts, options)) ==
          edict::render_json(second->evaluate(c.facts, options)));
  }
}

TEST_CASE("property: evaluation keeps no state between calls", "[property][determinism]") {
  const auto policy = edict_test::compile_ear();
  const std::vector<edict_test::EarCase> cases = edict_test::ear_cases();
  // The reference: Policy::evaluate, which uses a fresh evaluation state for every call.
  std::vector<std::string> expected;
  for (const auto& c : cases) expected.push_back(edict::render_json(policy->evaluate(c.facts, with_trace(c.options))));

  SECTION("one Session reused in corpus order, another in reverse order, each also deciding in between") {
    edict::Session forward(*policy);
    edict::Session backward(*policy);
    const std::size_t n = cases.size();
    for (std::size_t k = 0; k < n; ++k) {
      const auto& c = cases[k];
      const auto& other = cases[n - 1 - k];
      INFO(c.label << " / " << other.label);
      (void)forward.decide(other.facts, other.options);  // other facts in between: nothing must leak
      CHECK(edict::render_json(forward.evaluate(c.facts, with_trace(c.options))) == expected[k]);
      CHECK(edict::render_json(backward.evaluate(other.facts, with_trace(other.options))) == expected[n - 1 - k]);
    }
  }
  SECTION("Session::decide from a fresh Session and from a reused one agree, and with evaluate()") {
    edict::Session reused(*policy);
    for (const auto& c : cases) (void)reused.decide(c.facts, c.options);  // warm it up on everything
    for (std::size_t k = 0; k < cases.size(); k += 3) {
      const auto& c = cases[k];
      INFO(c.label);
      edict::Session fresh(*policy);
      const std::string from_fresh = edict_test::summarize(fresh.decide(c.facts, c.options));
      CHECK(edict_test::summarize(reused.decide(c.facts, c.options)) == from_fresh);
      const edict::EvalResult full = policy->evaluate(c.facts, c.options);
      CHECK(from_fresh.find("decision: " + full.decision + "\n") != std::string::npos);
    }
  }
}
