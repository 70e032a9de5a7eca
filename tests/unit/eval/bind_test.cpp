// Binding facts to the schema (interp/eval/bind.cpp): regressions found by the facts_eval fuzz target.
#include <catch2/catch.hpp>

#include <string>

#include "../support/semantic_support.hpp"

namespace {

const char* const kPolicy = R"(policy "Binding"
  outcomes deny > allow
  default allow
end
fact product.name : string "Name"
fact product.tpp : decimal "TPP"
rule big
  title "big"
  citation "c"
  when product.tpp >= 4800
  then deny because "big"
end
)";

}  // namespace

TEST_CASE("a fact with the empty name is unknown, in a fresh and in a reused evaluation state", "[eval][bind]") {
  const auto policy = edict_test::compile_ok(kPolicy);
  edict::EvalOptions options;
  options.as_of = edict_test::date("2024-01-01");
  const edict::Facts facts = edict_test::facts_json(R"({"": 2, "product": {"tpp": 4800}})");
  // It used to be bound to the first fact (product.name) when the path cache was new: "expected a string".
  const edict::EvalResult fresh = policy->evaluate(facts, options);
  INFO(edict::render_json(fresh));
  CHECK(fresh.ok);
  CHECK(fresh.decision == "deny");
  REQUIRE(fresh.warnings.size() == 1);
  CHECK(fresh.warnings[0] == "unknown fact `` is ignored");

  edict::Session session(*policy);
  CHECK(edict::render_json(session.evaluate(facts, options)) == edict::render_json(fresh));
  CHECK(edict::render_json(session.evaluate(facts, options)) == edict::render_json(fresh));
}
