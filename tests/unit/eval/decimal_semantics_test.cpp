// Exact decimal semantics through whole evaluations: thresholds, ranges, division, huge numbers, and the
// binding of numeric facts (JSON text and Facts::set_number) to the schema.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../support/semantic_support.hpp"

using edict_test::any_contains;
using edict_test::compile_ok;
using edict_test::contains;
using edict_test::evaluate;
using edict_test::evaluate_json;
using edict_test::facts_json;
using edict_test::summary;

namespace {

// A policy with one decision rule `hit` whose condition is `condition`.
std::string policy_with(const std::string& condition) {
  return R"(policy "Decimals"
  outcomes deny > review > allow
  default allow
end
fact product.tpp : decimal "TPP"
fact product.area : decimal "Die area"
fact product.note : optional string "Free text"
fact product.ops : optional decimal "Training operations"
fact transaction.quantity : integer default 1 "Units"
rule hit
  title "the condition under test"
  citation "test"
  when )" + condition + R"(
  then deny because "hit"
end
)";
}

}  // namespace

TEST_CASE("decimal comparisons at exactly the threshold", "[eval][decimal]") {
  struct Row {
    const char* condition;
    const char* tpp;  // JSON number text
    const char* expected;
  };
  const Row rows[] = {
      // inclusive bound
      {"product.tpp >= 4800", "4800", "deny"},
      {"product.tpp >= 4800", "4799.999999", "allow"},
      {"product.tpp >= 4800", "4800.000001", "deny"},
      {"product.tpp >= 4800", "4800.000000", "deny"},
      {"product.tpp >= 4800", "4.8e3", "deny"},
      {"product.tpp >= 4800", "4799999999e-6", "allow"},
      // exclusive bound
      {"product.tpp > 2", "2", "allow"},
      {"product.tpp > 2", "2.0000001", "deny"},
      {"product.tpp > 2", "1.9999999", "allow"},
      {"product.tpp > 2", "2.0", "allow"},
      {"product.tpp < 2", "2", "allow"},
      {"product.tpp < 2", "1.99999999999999999999999999", "deny"},
      {"product.tpp <= 2", "2.00000000000000000000000001", "allow"},
      {"product.tpp <= 2", "2", "deny"},
      {"product.tpp == 2", "2.000", "deny"},
      {"product.tpp != 2", "2.000", "allow"},
      {"product.tpp != 2", "2.0000000000000000000001", "deny"},
      // chained range 2400 <= x < 4800 at both ends
      {"2400 <= product.tpp < 4800", "2400", "deny"},
      {"2400 <= product.tpp < 4800", "2399.9999", "allow"},
      {"2400 <= product.tpp < 4800", "4799.9999", "deny"},
      {"2400 <= product.tpp < 4800", "4800", "allow"},
      {"2400 <= product.tpp < 4800", "3000", "deny"},
      {"4800 > product.tpp >= 2400", "2400", "deny"},
      {"4800 > product.tpp >= 2400", "4800", "allow"},
      // negative numbers and unary minus
      {"-product.tpp < -4800", "4800", "allow"},
      {"-product.tpp < -4800", "4800.01", "deny"},
      {"product.tpp - 4800 >= 0", "4800", "deny"},
      {"product.tpp - 4800 >= 0", "4799.99", "allow"},
  };
  for (const Row& row : rows) {
    INFO(row.condition << " with product.tpp = " << row.tpp);
    auto policy = compile_ok(policy_with(row.condition));
    const auto result = evaluate_json(*policy, std::string(R"({"product": {"tpp": )") + row.tpp + "}}");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == row.expected);
    if (std::string(row.expected) == "deny") {
      CHECK(result.deciding_rules == std::vector<std::string>{"hit"});
    } else {
      CHECK(result.deciding_rules.empty());
    }
  }
}

TEST_CASE("performance density 2461.24 / 415.75 >= 5.92 is exactly true", "[eval][decimal]") {
  // 2461.24 / 415.75 = 5.92 exactly (415.75 * 5.92 = 2461.24); in binary floating point it is
  // 5.919999999999999... and the comparison would be false.
  auto policy = compile_ok(policy_with("product.tpp / product.area >= 5.92"));

  SECTION("facts from JSON text") {
    const auto result = evaluate_json(*policy, R"({"product": {"tpp": 2461.24, "area": 415.75}})");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == "deny");
  }
  SECTION("facts from Facts::set_number") {
    edict::Facts facts;
    facts.set_number("product.tpp", "2461.24");
    facts.set_number("product.area", "415.75");
    const auto result = evaluate(*policy, facts, "2024-06-01");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == "deny");
  }
  SECTION("one ten-thousandth less is below the threshold") {
    const auto result = evaluate_json(*policy, R"({"product": {"tpp": 2461.2399, "area": 415.75}})");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == "allow");
  }
  SECTION("the strict comparison is false at exactly 5.92") {
    auto strict = compile_ok(policy_with("product.tpp / product.area > 5.92"));
    const auto result = evaluate_json(*strict, R"({"product": {"tpp": 2461.24, "area": 415.75}})");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == "allow");
  }
  SECTION("equality with the exact quotient") {
    auto equal = compile_ok(policy_with("product.tpp / product.area == 5.92"));
    const auto result = evaluate_json(*equal, R"({"product": {"tpp": "2461.24", "area": "415.75"}})");
    // Numbers given as JSON strings are the wrong type for decimal facts (strings are strings).
    INFO(summary(result));
    CHECK_FALSE(result.ok);
    const auto ok = evaluate_json(*equal, R"({"product": {"tpp": 2461.24, "area": 415.75}})");
    INFO(summary(ok));
    REQUIRE(ok.ok);
    CHECK(ok.decision == "deny");
  }
}

TEST_CASE("exact arithmetic: literals, facts and rationals", "[eval][decimal]") {
  struct Row {
    const char* condition;
    const char* facts;
    const char* expected;
  };
  const Row rows[] = {
      {"0.1 + 0.2 == 0.3", "{}", "deny"},
      {"0.1 + 0.2 != 0.3", "{}", "allow"},
      {"product.tpp + product.area == 0.3", R"({"product": {"tpp": 0.1, "area": 0.2}})", "deny"},
      {"1 / 3 * 3 == 1", "{}", "deny"},
      {"1 / 3 == 0.3333333333333333333333333333", "{}", "allow"},
      {"1 / 3 > 0.3333333333333333333333333333", "{}", "deny"},
      {"product.tpp / 3 * 3 == product.tpp", R"({"product": {"tpp": 10}})", "deny"},
      {"2 * 3 - 4 / 2 == 4", "{}", "deny"},  // precedence
      {"(2 * 3 - 4) / 2 == 1", "{}", "deny"},
      {"1.10 == 1.1", "{}", "deny"},
      {"26_900_000 == 26900000", "{}", "deny"},
      {"product.tpp == 26_900_000", R"({"product": {"tpp": 26900000}})", "deny"},
      {"product.tpp < 26_900_000", R"({"product": {"tpp": 26899999.999}})", "deny"},
      {"1e26 == 100000000000000000000000000", "{}", "deny"},
      {"1E+2 == 100", "{}", "deny"},
      {"25e-1 == 2.5", "{}", "deny"},
      {"1_000.5 == 1000.5", "{}", "deny"},
      // 10^26 - 1 is distinct from 10^26 (not in binary floating point)
      {"1e26 - 1 < 1e26", "{}", "deny"},
      {"product.ops >= 1e26", R"({"product": {"ops": 1e26}})", "deny"},
      {"product.ops >= 1e26", R"({"product": {"ops": 99999999999999999999999999}})", "allow"},
      {"product.ops >= 1e26", R"({"product": {"ops": 100000000000000000000000000}})", "deny"},
      {"product.ops >= 1e26", R"({"product": {"ops": 9.9999999999999999999999999e25}})", "allow"},
      // 40-digit integers, exact
      {"1234567890123456789012345678901234567890 + 1 == 1234567890123456789012345678901234567891", "{}", "deny"},
      {"product.ops + 1 > 1234567890123456789012345678901234567890",
       R"({"product": {"ops": 1234567890123456789012345678901234567890}})", "deny"},
      {"product.ops == 1234567890123456789012345678901234567891",
       R"({"product": {"ops": 1234567890123456789012345678901234567890}})", "allow"},
      {"product.ops * product.ops == 1524157875323883675049535156256668194500533455762536198787501905199875019052100",
       R"({"product": {"ops": 1234567890123456789012345678901234567890}})", "deny"},
      {"transaction.quantity * product.tpp == 3", R"({"product": {"tpp": 1.5}, "transaction": {"quantity": 2}})",
       "deny"},
      {"transaction.quantity == 1", "{}", "deny"},  // integer default
  };
  for (const Row& row : rows) {
    INFO(row.condition << " with " << row.facts);
    auto policy = compile_ok(policy_with(row.condition));
    const auto result = evaluate_json(*policy, row.facts);
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == row.expected);
    CHECK(result.indeterminate_rules.empty());
  }
}

TEST_CASE("division by zero makes the rule indeterminate, never crashes", "[eval][decimal]") {
  SECTION("a rule that could decide the most severe outcome blocks the decision") {
    struct Row {
      const char* condition;
      const char* facts;
    };
    const Row rows[] = {
        {"product.tpp / product.area >= 5.92", R"({"product": {"tpp": 2461.24, "area": 0}})"},
        {"product.tpp / product.area >= 5.92", R"({"product": {"tpp": 0, "area": 0.000}})"},
        {"1 / 0 > 0", "{}"},
        {"product.tpp / (product.area - 415.75) > 1", R"({"product": {"tpp": 1, "area": 415.75}})"},
        {"product.tpp > 1 and product.tpp / product.area > 1", R"({"product": {"tpp": 2, "area": 0}})"},
    };
    for (const Row& row : rows) {
      INFO(row.condition << " with " << row.facts);
      auto policy = compile_ok(policy_with(row.condition));
      const auto result = evaluate_json(*policy, row.facts);
      INFO(summary(result));
      REQUIRE(result.ok);
      CHECK(result.decision == "indeterminate");
      CHECK(contains(result.indeterminate_rules, "hit"));
      CHECK(result.deciding_rules.empty());
      // Nothing is missing (the facts are all given): the only entry says why the rule is unknown.
      CHECK_FALSE(contains(result.indeterminate_facts, "product.tpp"));
      CHECK_FALSE(contains(result.indeterminate_facts, "product.area"));
      CHECK(any_contains(result.indeterminate_facts, "division by zero"));
    }
  }
  SECTION("short-circuit avoids the division") {
    auto policy = compile_ok(policy_with("product.area != 0 and product.tpp / product.area > 1"));
    const auto result = evaluate_json(*policy, R"({"product": {"tpp": 2, "area": 0}})");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == "allow");
    CHECK(result.indeterminate_rules.empty());
  }
  SECTION("an indeterminate rule that could not change the decision does not block it") {
    const std::string text = R"(policy "Division"
  outcomes deny > review > allow
  default allow
end
fact product.tpp : decimal "TPP"
fact product.area : decimal "Die area"
rule severe
  title "severe"
  citation "test"
  when product.tpp >= 4800
  then deny because "big"
end
rule density
  title "density"
  citation "test"
  when product.tpp / product.area >= 5.92
  then review because "dense"
end
)";
    auto policy = compile_ok(text);
    const auto blocked = evaluate_json(*policy, R"({"product": {"tpp": 100, "area": 0}})");
    INFO(summary(blocked));
    REQUIRE(blocked.ok);
    CHECK(blocked.decision == "indeterminate");  // review would be more severe than allow
    CHECK(blocked.indeterminate_rules == std::vector<std::string>{"density"});

    const auto decided = evaluate_json(*policy, R"({"product": {"tpp": 5000, "area": 0}})");
    INFO(summary(decided));
    REQUIRE(decided.ok);
    CHECK(decided.decision == "deny");
    CHECK(decided.deciding_rules == std::vector<std::string>{"severe"});
    CHECK(contains(decided.indeterminate_rules, "density"));
  }
  SECTION("division by zero in a definition") {
    const std::string text = R"(policy "Division"
  outcomes deny > allow
  default allow
end
fact product.tpp : decimal "TPP"
fact product.area : decimal "Die area"
define density = product.tpp / product.area
rule dense
  title "dense"
  citation "test"
  when density >= 5.92
  then deny because "dense"
end
)";
    auto policy = compile_ok(text);
    edict::EvalOptions options;
    options.as_of = edict_test::date("2024-06-01");
    options.trace = true;
    const auto result = policy->evaluate(facts_json(R"({"product": {"tpp": 1, "area": 0}})"), options);
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == "indeterminate");
    CHECK(contains(result.indeterminate_rules, "dense"));
    REQUIRE(result.trace != nullptr);
    CHECK_FALSE(result.trace->steps.empty());
  }
}

TEST_CASE("numeric facts are bound to the schema exactly", "[eval][decimal][facts]") {
  auto policy = compile_ok(policy_with("product.tpp >= 4800 or transaction.quantity > 100"));

  SECTION("integer facts accept integral values and reject fractions") {
    struct Row {
      const char* json;
      bool ok;
      const char* decision;
    };
    const Row rows[] = {
        {R"({"product": {"tpp": 1}, "transaction": {"quantity": 101}})", true, "deny"},
        {R"({"product": {"tpp": 1}, "transaction": {"quantity": 100}})", true, "allow"},
        {R"({"product": {"tpp": 1}, "transaction": {"quantity": 1.5}})", false, ""},
        {R"({"product": {"tpp": 1}, "transaction": {"quantity": 100.5}})", false, ""},
        {R"({"product": {"tpp": 1}, "transaction": {"quantity": "101"}})", false, ""},
        {R"({"product": {"tpp": 1}, "transaction": {"quantity": true}})", false, ""},
    };
    for (const Row& row : rows) {
      INFO(row.json);
      const auto result = evaluate_json(*policy, row.json);
      INFO(summary(result));
      CHECK(result.ok == row.ok);
      if (row.ok) {
        CHECK(result.decision == row.decision);
      } else {
        CHECK(any_contains(result.errors, "transaction.quantity"));
      }
    }
  }
  SECTION("set_number with a fraction for an integer fact is an error naming the path") {
    edict::Facts facts;
    facts.set_number("product.tpp", "1");
    facts.set_number("transaction.quantity", "1.5");
    const auto result = evaluate(*policy, facts, "2024-06-01");
    INFO(summary(result));
    CHECK_FALSE(result.ok);
    CHECK(any_contains(result.errors, "transaction.quantity"));
  }
  SECTION("wrong-type facts give ok=false with an error naming the path") {
    struct Row {
      const char* json;
      const char* path;
    };
    const Row rows[] = {
        {R"({"product": {"tpp": "4800"}})", "product.tpp"},
        {R"({"product": {"tpp": true}})", "product.tpp"},
        {R"({"product": {"tpp": [4800]}})", "product.tpp"},
        {R"({"product": {"tpp": {}}})", "product.tpp"},
        {R"({"product": {"tpp": 4800, "note": 12}})", "product.note"},
        {R"({"product": {"tpp": 4800, "ops": "1e26"}})", "product.ops"},
    };
    for (const Row& row : rows) {
      INFO(row.json);
      const auto result = evaluate_json(*policy, row.json);
      INFO(summary(result));
      CHECK_FALSE(result.ok);
      CHECK(any_contains(result.errors, row.path));
      CHECK(result.decision.empty());
    }
  }
  SECTION("malformed number text from set_number is an error naming the path") {
    for (const char* text : {"abc", "1.2.3", "", "--1", "1e", "0x10"}) {
      INFO("number text: '" << text << "'");
      edict::Facts facts;
      facts.set_number("product.tpp", text);
      const auto result = evaluate(*policy, facts, "2024-06-01");
      INFO(summary(result));
      CHECK_FALSE(result.ok);
      CHECK(any_contains(result.errors, "product.tpp"));
    }
  }
  SECTION("unknown extra facts give a warning and are not used") {
    const auto result =
        evaluate_json(*policy, R"({"product": {"tpp": 4800, "tppp": 1}, "shipment": {"weight": 3}})");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == "deny");
    CHECK(any_contains(result.warnings, "product.tppp"));
    CHECK(any_contains(result.warnings, "shipment.weight"));
    CHECK(result.errors.empty());
  }
  SECTION("no warnings for declared facts only") {
    const auto result = evaluate_json(*policy, R"({"product": {"tpp": 4800}})");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.warnings.empty());
  }
  SECTION("null is allowed only for optional facts") {
    struct Row {
      const char* json;
      bool ok;
      const char* error_path;
    };
    const Row rows[] = {
        {R"({"product": {"tpp": 1, "ops": null}})", true, ""},
        {R"({"product": {"tpp": 1, "note": null}})", true, ""},
        {R"({"product": {"tpp": null}})", false, "product.tpp"},
        {R"({"product": {"tpp": 1}, "transaction": {"quantity": null}})", false, "transaction.quantity"},
    };
    for (const Row& row : rows) {
      INFO(row.json);
      const auto result = evaluate_json(*policy, row.json);
      INFO(summary(result));
      CHECK(result.ok == row.ok);
      if (row.ok) {
        CHECK(result.decision == "allow");
      } else {
        CHECK(any_contains(result.errors, row.error_path));
      }
    }
  }
  SECTION("a null optional fact is absent") {
    auto absent = compile_ok(policy_with("product.ops is absent"));
    const auto with_null = evaluate_json(*absent, R"({"product": {"tpp": 1, "ops": null}})");
    INFO(summary(with_null));
    REQUIRE(with_null.ok);
    CHECK(with_null.decision == "deny");
    const auto with_value = evaluate_json(*absent, R"({"product": {"tpp": 1, "ops": 0}})");
    INFO(summary(with_value));
    REQUIRE(with_value.ok);
    CHECK(with_value.decision == "allow");
  }
}

// Regression: a JSON object where a decimal fact is expected was once flattened to `product.tpp.value` (an
// unknown-fact warning) and `product.tpp` silently missing, instead of a wrong-type error naming the path.
TEST_CASE("a non-empty JSON object given for a leaf fact is a wrong-type error", "[eval][decimal][facts]") {
  auto policy = compile_ok(policy_with("product.tpp >= 4800"));
  const auto result = evaluate_json(*policy, R"({"product": {"tpp": {"value": 4800}}})");
  INFO(summary(result));
  CHECK_FALSE(result.ok);
  CHECK(any_contains(result.errors, "product.tpp"));
}

TEST_CASE("number literal digit limit gives limit-exceeded, not a crash", "[eval][decimal][limits]") {
  const std::string digits(1001, '7');
  auto compiled = edict_test::compile_text(policy_with("product.tpp > " + digits));
  INFO(edict_test::diagnostics_text(compiled.diagnostics));
  CHECK_FALSE(compiled.ok());
  CHECK(edict_test::find_code(compiled.diagnostics, "limit-exceeded") != nullptr);

  auto policy = compile_ok(policy_with("product.tpp > 1"));
  edict::Facts facts;
  facts.set_number("product.tpp", digits);
  const auto result = evaluate(*policy, facts, "2024-06-01");
  INFO(summary(result));
  CHECK_FALSE(result.ok);
  CHECK(any_contains(result.errors, "product.tpp"));
}
