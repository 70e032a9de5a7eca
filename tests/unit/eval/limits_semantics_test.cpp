// Evaluation limits found by fuzzing: inputs that used to take exponential time or memory.
#include <catch2/catch.hpp>

#include <string>

#include "../support/semantic_support.hpp"

using edict_test::compile_ok;
using edict_test::compile_text;
using edict_test::contains;
using edict_test::evaluate_json;
using edict_test::facts_json;
using edict_test::summary;

namespace {

const std::string kHeader = R"(policy "Limits"
  outcomes deny > allow
  default allow
end
fact x : decimal "x"
)";

const std::string kRule = R"(
rule r
  title "r"
  citation "c"
  when d30 > 1
  then deny
end
)";

// d0 = x * factor, then d1 = d0 op d0, ..., d30 = d29 op d29: a chain of definitions each used twice.
std::string doubling_chain(const std::string& first, const std::string& op) {
  std::string text = kHeader + "define d0 = " + first + "\n";
  for (int k = 1; k <= 30; ++k) {
    text += "define d" + std::to_string(k) + " = d" + std::to_string(k - 1) + " " + op + " d" +
            std::to_string(k - 1) + "\n";
  }
  return text + kRule;
}

edict::EvalResult evaluate_traced(const edict::Policy& policy, std::string_view json, bool trace) {
  edict::EvalOptions options;
  options.as_of = *edict::Date::from_ymd(2024, 1, 1);
  options.trace = trace;
  return policy.evaluate(facts_json(json), options);
}

}  // namespace

TEST_CASE("a missing fact under definitions used twice is reported once, not 2^30 times", "[eval][limits]") {
  auto policy = compile_ok(doubling_chain("x + 1", "+"));
  for (const bool trace : {false, true}) {
    const auto r = evaluate_traced(*policy, "{}", trace);
    INFO(summary(r));
    CHECK(r.decision == "indeterminate");
    CHECK(r.indeterminate_facts == std::vector<std::string>{"x"});
  }
  const auto known = evaluate_json(*policy, R"({"x": 2})", "2024-01-01");
  CHECK(known.decision == "deny");
}

TEST_CASE("arithmetic beyond the number size limit is unknown, not a runaway computation", "[eval][limits]") {
  // d30 would be 10^(10000 * 2^30): every squaring doubles the size.
  auto policy = compile_ok(doubling_chain("1e10000 * x", "*"));
  for (const bool trace : {false, true}) {
    const auto r = evaluate_traced(*policy, R"({"x": 2})", trace);
    INFO(summary(r));
    CHECK(r.decision == "indeterminate");
    CHECK(contains(r.indeterminate_facts, "(number too large)"));
  }
  // Within the limit, exact as before: 10^10000 * 10^10000 has 66,441 bits.
  auto small = compile_ok(kHeader + "define d30 = 1e10000 * 1e10000 * 0 + x\n" + kRule);
  CHECK(evaluate_json(*small, R"({"x": 2})", "2024-01-01").decision == "deny");
}

TEST_CASE("a policy without any declaration is an error, not an empty program", "[sema][limits]") {
  for (const std::string text : {"", "\n# only a comment\n"}) {
    const auto result = compile_text(text);
    CHECK_FALSE(result.ok());
    REQUIRE_FALSE(result.diagnostics.empty());
    CHECK(result.diagnostics.front().code == "missing-policy");
  }
}
