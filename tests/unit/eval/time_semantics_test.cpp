// Time semantics through whole evaluations: effective windows [from, until), dated group membership,
// dated parameters (with `none`), tiers, and amendments read through rules_as_of.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../support/semantic_support.hpp"

using edict_test::any_contains;
using edict_test::compile_ok;
using edict_test::contains;
using edict_test::evaluate_json;
using edict_test::summary;

namespace {

const std::string kHeader = R"(policy "Time"
  outcomes deny > review > allow
  default allow
end
use iso3166
fact destination.country : country "Destination"
fact product.tpp : decimal default 0 "TPP"
)";

}  // namespace

TEST_CASE("effective windows include from and exclude until", "[eval][time]") {
  auto policy = compile_ok(kHeader + R"(
rule windowed
  title "in force during 2024"
  citation "test"
  effective from 2024-01-01 until 2025-01-01
  when product.tpp >= 100
  then deny because "windowed"
end
rule open_start
  title "in force until 2024-03-01"
  citation "test"
  effective until 2024-03-01
  when product.tpp >= 100
  then review because "open start"
end
rule open_end
  title "in force from 2024-06-15"
  citation "test"
  effective from 2024-06-15
  when product.tpp >= 100
  then classify "late"
end
)");
  struct Row {
    const char* as_of;
    const char* decision;
    bool late;
  };
  const Row rows[] = {
      {"2023-12-31", "review", false},  // the day before `from`: only open_start
      {"2024-01-01", "deny", false},    // on `from`
      {"2024-01-02", "deny", false},    // the day after
      {"2024-02-29", "deny", false},
      {"2024-03-01", "deny", false},    // open_start ends on its `until` (exclusive)
      {"2024-06-14", "deny", false},
      {"2024-06-15", "deny", true},     // open_end starts (inclusive)
      {"2024-12-31", "deny", true},     // the day before `until`
      {"2025-01-01", "allow", true},    // on `until`: no longer in force
      {"2025-01-02", "allow", true},
      {"1900-01-01", "review", false},
      {"9999-12-31", "allow", true},
  };
  for (const Row& row : rows) {
    INFO("as_of " << row.as_of);
    const auto result = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 100}})",
                                      row.as_of);
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == row.decision);
    CHECK(contains(result.classifications, "late") == row.late);
  }
  // Below the threshold nothing fires, whatever the date.
  const auto quiet = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 99.99}})",
                                   "2024-06-01");
  INFO(summary(quiet));
  REQUIRE(quiet.ok);
  CHECK(quiet.decision == "allow");
}

TEST_CASE("dates compare chronologically in conditions", "[eval][time]") {
  auto policy = compile_ok(R"(policy "Dates"
  outcomes deny > allow
  default allow
end
fact shipment.date : date "Shipment date"
rule early
  title "early shipments"
  citation "test"
  when 2024-01-31 <= shipment.date < 2024-03-01
  then deny because "february"
end
)");
  struct Row {
    const char* date;
    const char* decision;
  };
  const Row rows[] = {{"2024-01-30", "allow"}, {"2024-01-31", "deny"}, {"2024-02-29", "deny"},
                      {"2024-03-01", "allow"}, {"2023-02-15", "allow"}, {"2025-02-15", "allow"}};
  for (const Row& row : rows) {
    INFO(row.date);
    const auto result = evaluate_json(*policy, std::string(R"({"shipment": {"date": ")") + row.date + "\"}}");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == row.decision);
  }
  for (const char* bad : {"2023-02-29", "2024-13-01", "24-01-01", "2024/01/01", "yesterday"}) {
    INFO(bad);
    const auto result = evaluate_json(*policy, std::string(R"({"shipment": {"date": ")") + bad + "\"}}");
    INFO(summary(result));
    CHECK_FALSE(result.ok);
    CHECK(any_contains(result.errors, "shipment.date"));
  }
}

TEST_CASE("dated group membership: add from D, remove from D", "[eval][time][group]") {
  auto policy = compile_ok(kHeader + R"(
group embargoed : country
  members {CU, IR}
  add {NI} from 2024-03-15
  remove {IR} from 2025-01-01
  add {IR} from 2026-01-01
end
group watched : country = embargoed union {VE}
end
rule embargo
  title "embargoed destinations"
  citation "test"
  when destination.country in embargoed
  then deny because "embargoed"
end
rule watch
  title "watched destinations"
  citation "test"
  when destination.country in watched
  then review because "watched"
end
rule not_embargoed
  title "classification by non-membership"
  citation "test"
  when destination.country not in embargoed
  then classify "free"
end
)");
  struct Row {
    const char* country;
    const char* as_of;
    const char* decision;
  };
  const Row rows[] = {
      {"CU", "2000-01-01", "deny"},  {"CU", "2030-01-01", "deny"},
      {"NI", "2024-03-14", "allow"}, {"NI", "2024-03-15", "deny"}, {"NI", "2030-01-01", "deny"},
      {"IR", "2024-12-31", "deny"},  {"IR", "2025-01-01", "allow"}, {"IR", "2025-12-31", "allow"},
      {"IR", "2026-01-01", "deny"},  {"VE", "2024-01-01", "review"}, {"FR", "2024-01-01", "allow"},
  };
  for (const Row& row : rows) {
    INFO(row.country << " as of " << row.as_of);
    const auto result =
        evaluate_json(*policy, std::string(R"({"destination": {"country": ")") + row.country + "\"}}", row.as_of);
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == row.decision);
    // The union group follows its operand's membership over time.
    const bool in_embargoed = std::string(row.decision) == "deny";
    CHECK(contains(result.classifications, "free") == !in_embargoed);
  }
}

TEST_CASE("parameters take the last step on or before as_of, and none means no value", "[eval][time][parameter]") {
  auto policy = compile_ok(kHeader + R"(
parameter cap
  1000 from 2024-01-01
  2000 from 2025-01-01
  none from 2025-06-01
  3000 from 2026-01-01
end
rule over_cap
  title "over the cap"
  citation "test"
  when product.tpp > cap
  then review because "over the cap"
end
)");
  struct Row {
    const char* as_of;
    const char* tpp;
    const char* decision;  // "indeterminate" when the parameter has no value
  };
  const Row rows[] = {
      {"2023-12-31", "1500", "indeterminate"},  // before the first step
      {"2024-01-01", "1500", "review"},
      {"2024-01-01", "1000", "allow"},
      {"2024-12-31", "1500", "review"},
      {"2025-01-01", "1500", "allow"},  // the 2000 step
      {"2025-01-01", "2000.01", "review"},
      {"2025-05-31", "2500", "review"},
      {"2025-06-01", "2500", "indeterminate"},  // the `none` step
      {"2025-12-31", "1", "indeterminate"},
      {"2026-01-01", "2500", "allow"},
      {"2026-01-01", "3001", "review"},
  };
  for (const Row& row : rows) {
    INFO("as_of " << row.as_of << ", tpp " << row.tpp);
    const auto result = evaluate_json(
        *policy, std::string(R"({"destination": {"country": "FR"}, "product": {"tpp": )") + row.tpp + "}}", row.as_of);
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.decision == row.decision);
    const bool unknown = std::string(row.decision) == "indeterminate";
    CHECK(contains(result.indeterminate_rules, "over_cap") == unknown);
    CHECK(contains(result.indeterminate_facts, "(parameter cap has no value)") == unknown);
  }
}

TEST_CASE("a parameter with no value does not block a more severe decision", "[eval][time][parameter]") {
  auto policy = compile_ok(kHeader + R"(
parameter cap
  none from 2020-01-01
  1 from 2099-01-01
end
rule over_cap
  title "over the cap"
  citation "test"
  when product.tpp > cap
  then review because "over the cap"
end
rule huge
  title "huge"
  citation "test"
  when product.tpp >= 10000
  then deny because "huge"
end
rule guarded
  title "guarded by a false operand"
  citation "test"
  when product.tpp > 1e9 and product.tpp > cap
  then deny because "guarded"
end
)");
  const auto decided = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 10000}})");
  INFO(summary(decided));
  REQUIRE(decided.ok);
  CHECK(decided.decision == "deny");
  CHECK(decided.deciding_rules == std::vector<std::string>{"huge"});
  CHECK(contains(decided.indeterminate_rules, "over_cap"));
  CHECK_FALSE(contains(decided.indeterminate_rules, "guarded"));  // false and ? is false

  const auto blocked = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 10}})");
  INFO(summary(blocked));
  REQUIRE(blocked.ok);
  CHECK(blocked.decision == "indeterminate");
  CHECK(blocked.indeterminate_rules == std::vector<std::string>{"over_cap"});
}

TEST_CASE("tiers: the first matching case, otherwise the fallback", "[eval][time][tier]") {
  auto policy = compile_ok(kHeader + R"(
group tier1_countries : country
  members {US, FR, JP}
end
tier size_tier
  "large" when product.tpp >= 1000
  "medium" when product.tpp >= 500
  "small" when product.tpp > 0
  otherwise "none"
end
tier country_tier
  "tier1" when destination.country in tier1_countries
  "tier3" when destination.country in {CN, MO}
  otherwise "tier2"
end
rule large
  title "large"
  citation "test"
  when size_tier == "large"
  then classify "large"
end
rule medium
  title "medium"
  citation "test"
  when size_tier == "medium"
  then classify "medium"
end
rule small
  title "small"
  citation "test"
  when size_tier == "small"
  then classify "small"
end
rule nothing
  title "nothing"
  citation "test"
  when size_tier == "none"
  then classify "none"
end
rule tier3_large
  title "tier 3 and not small"
  citation "test"
  when country_tier == "tier3" and size_tier != "small" and size_tier != "none"
  then deny because "tier 3"
end
rule tier2
  title "tier 2"
  citation "test"
  when country_tier == "tier2"
  then review because "tier 2"
end
)");
  struct Row {
    const char* country;
    const char* tpp;
    const char* label;
    const char* decision;
  };
  const Row rows[] = {
      {"US", "5000", "large", "allow"},   // both the first and second cases hold: the first wins
      {"US", "1000", "large", "allow"},
      {"US", "999.99", "medium", "allow"},
      {"US", "500", "medium", "allow"},
      {"US", "1", "small", "allow"},
      {"US", "0", "none", "allow"},
      {"CN", "500", "medium", "deny"},
      {"MO", "0.5", "small", "allow"},
      {"DE", "0", "none", "review"},  // otherwise
      {"DE", "2000", "large", "review"},
  };
  for (const Row& row : rows) {
    INFO(row.country << ", tpp " << row.tpp);
    const auto result = evaluate_json(*policy,
                                      std::string(R"({"destination": {"country": ")") + row.country +
                                          R"("}, "product": {"tpp": )" + row.tpp + "}}");
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.classifications == std::vector<std::string>{row.label});
    CHECK(result.decision == row.decision);
  }
}

namespace {

const std::string kAmendBase = R"(policy "Amendments"
  outcomes deny > review > allow
  default allow
end
use iso3166
fact destination.country : country "Destination"
fact product.tpp : decimal default 0 "TPP"

group embargoed : country
  members {CU}
end

parameter cap
  1000 from 2000-01-01
end

rule big
  title "big items"
  citation "base"
  effective from 2023-01-01
  when product.tpp >= 4800
  then classify "big"
end

rule windowed
  title "windowed"
  citation "base"
  effective from 2024-01-01 until 2025-01-01
  when product.tpp >= 1
  then classify "windowed"
end

rule embargo
  title "embargo"
  citation "base"
  when destination.country in embargoed
  then classify "embargoed"
end

rule legacy
  title "legacy"
  citation "base"
  when product.tpp >= 1
  then classify "legacy"
end

rule over_cap
  title "over the cap"
  citation "base"
  when product.tpp > cap
  then classify "over_cap"
end

rule decided
  title "decision from a classification"
  citation "base"
  when classified "big"
  then deny because "big item, base"
end
)";

// Published 2024-01-01: lowers the threshold of `big` (keeping its other clauses).
const std::string kAmend1 = R"(amendment "Lower threshold" published 2024-01-01
  citation "AM-1"
end
amend rule big
  when product.tpp >= 2400
end
)";

// Published 2024-06-01: shortens a window, adds a group member, repeals a rule, adds a parameter step.
const std::string kAmend2 = R"(amendment "Mid-year changes" published 2024-06-01 end
amend rule windowed
  effective from 2024-01-01 until 2024-07-01
end
amend group embargoed
  add {KP} from 2024-07-01
end
repeal rule legacy
amend parameter cap
  500 from 2024-09-01
end
)";

// Published 2024-09-01 but given first: applied after the others (publication order).
const std::string kAmend3 = R"(amendment "Even lower" published 2024-09-01 end
amend rule big
  when product.tpp >= 1000
end
)";

std::shared_ptr<const edict::Policy> amended_policy() {
  return compile_ok({edict::SourceFile{"a3.edict", kAmend3}, edict::SourceFile{"base.edict", kAmendBase},
                     edict::SourceFile{"a1.edict", kAmend1}, edict::SourceFile{"a2.edict", kAmend2}});
}

}  // namespace

TEST_CASE("amendments are read through rules_as_of, effective dates through as_of", "[eval][time][amendment]") {
  auto policy = amended_policy();
  struct Row {
    const char* what;
    const char* facts;
    const char* as_of;
    const char* rules_as_of;  // "" = latest
    const char* label;
    bool expected;
  };
  const Row rows[] = {
      // amend rule: threshold 4800 -> 2400 (published 2024-01-01) -> 1000 (published 2024-09-01)
      {"base threshold", R"({"product": {"tpp": 3000}})", "2024-06-01", "2023-12-31", "big", false},
      {"base threshold", R"({"product": {"tpp": 4800}})", "2024-06-01", "2023-12-31", "big", true},
      {"amended on publication day", R"({"product": {"tpp": 3000}})", "2024-06-01", "2024-01-01", "big", true},
      {"amended threshold", R"({"product": {"tpp": 2400}})", "2024-06-01", "2024-08-31", "big", true},
      {"amended threshold", R"({"product": {"tpp": 2399}})", "2024-06-01", "2024-08-31", "big", false},
      {"second amendment", R"({"product": {"tpp": 1000}})", "2024-06-01", "2024-09-01", "big", true},
      {"second amendment, latest", R"({"product": {"tpp": 1000}})", "2024-06-01", "", "big", true},
      {"second amendment, latest", R"({"product": {"tpp": 999}})", "2024-06-01", "", "big", false},
      {"kept window: before from", R"({"product": {"tpp": 5000}})", "2022-12-31", "", "big", false},
      {"kept window: on from", R"({"product": {"tpp": 5000}})", "2023-01-01", "", "big", true},
      // amend rule: window [2024-01-01, 2025-01-01) -> [2024-01-01, 2024-07-01)
      {"old window", R"({"product": {"tpp": 1}})", "2024-08-01", "2024-05-31", "windowed", true},
      {"new window", R"({"product": {"tpp": 1}})", "2024-08-01", "2024-06-01", "windowed", false},
      {"new window, last day", R"({"product": {"tpp": 1}})", "2024-06-30", "", "windowed", true},
      {"new window, until", R"({"product": {"tpp": 1}})", "2024-07-01", "", "windowed", false},
      // amend group: KP added from 2024-07-01
      {"group before amendment", R"({"destination": {"country": "KP"}})", "2024-08-01", "2024-05-31", "embargoed",
       false},
      {"group, day before add", R"({"destination": {"country": "KP"}})", "2024-06-30", "", "embargoed", false},
      {"group, on add", R"({"destination": {"country": "KP"}})", "2024-07-01", "", "embargoed", true},
      {"group, original member", R"({"destination": {"country": "CU"}})", "2024-07-01", "", "embargoed", true},
      // repeal
      {"before repeal", R"({"product": {"tpp": 1}})", "2024-08-01", "2024-05-31", "legacy", true},
      {"after repeal", R"({"product": {"tpp": 1}})", "2024-08-01", "2024-06-01", "legacy", false},
      {"after repeal, earlier as_of", R"({"product": {"tpp": 1}})", "2023-08-01", "", "legacy", false},
      // amend parameter: 500 from 2024-09-01
      {"parameter before amendment", R"({"product": {"tpp": 700}})", "2024-10-01", "2024-05-31", "over_cap", false},
      {"parameter step, before its date", R"({"product": {"tpp": 700}})", "2024-08-31", "", "over_cap", false},
      {"parameter step, on its date", R"({"product": {"tpp": 700}})", "2024-09-01", "", "over_cap", true},
      {"parameter step, old value", R"({"product": {"tpp": 1001}})", "2024-08-31", "2023-06-01", "over_cap", true},
  };
  for (const Row& row : rows) {
    INFO(row.what << ": " << row.facts << " as_of " << row.as_of << " rules_as_of "
                  << (*row.rules_as_of ? row.rules_as_of : "latest"));
    auto facts = edict_test::facts_json(row.facts);
    if (facts.find("destination.country") == nullptr) facts.set_string("destination.country", "FR");
    const auto result = edict_test::evaluate(*policy, facts, row.as_of, row.rules_as_of);
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(result.indeterminate_rules.empty());
    CHECK(contains(result.classifications, row.label) == row.expected);
  }
}

TEST_CASE("amend rule keeps the clauses it does not list", "[eval][time][amendment]") {
  auto policy = amended_policy();
  const auto result = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 3000}})",
                                    "2024-06-01", "2024-02-01");
  INFO(summary(result));
  REQUIRE(result.ok);
  CHECK(contains(result.classifications, "big"));
  CHECK(result.decision == "deny");
  CHECK(result.deciding_rules == std::vector<std::string>{"decided"});
  CHECK(contains(result.reasons, "big item, base"));
  CHECK(result.rules_as_of == edict_test::date("2024-02-01"));

  // The trace names the amendment that gave the version in force.
  edict::EvalOptions options;
  options.as_of = edict_test::date("2024-06-01");
  options.rules_as_of = edict_test::date("2024-02-01");
  options.trace = true;
  const auto traced = policy->evaluate(
      edict_test::facts_json(R"({"destination": {"country": "FR"}, "product": {"tpp": 3000}})"), options);
  REQUIRE(traced.trace != nullptr);
  bool found = false;
  for (const auto& step : traced.trace->steps) {
    if (step.kind == edict::TraceStep::Kind::kRule && step.subject == "big") {
      found = true;
      CHECK(step.title == "big items");
      CHECK(step.citation == "base");
      CHECK(step.defined_by.find("Lower threshold") != std::string::npos);
    }
  }
  CHECK(found);
}

TEST_CASE("amend outside an amendment file is an error", "[eval][time][amendment][diagnostics]") {
  const std::string amend_in_base = kAmendBase + R"(
amend rule big
  when product.tpp >= 1
end
)";
  const std::string repeal_in_base = kAmendBase + "\nrepeal rule legacy\n";
  const std::string group_in_base = kAmendBase + "\namend group embargoed\n  add {KP} from 2024-07-01\nend\n";
  for (const std::string* text : {&amend_in_base, &repeal_in_base, &group_in_base}) {
    auto compiled = edict::compile({edict::SourceFile{"base.edict", *text}});
    INFO(edict_test::diagnostics_text(compiled.diagnostics));
    CHECK_FALSE(compiled.ok());
    const auto* diagnostic = edict_test::find_code(compiled.diagnostics, "amend-outside-amendment");
    REQUIRE(diagnostic != nullptr);
    CHECK(diagnostic->severity == edict::Severity::kError);
    CHECK(diagnostic->file == "base.edict");
    CHECK(diagnostic->line > 60);  // at the appended declaration, not at the top of the file
  }
}

TEST_CASE("amending or repealing a rule that does not exist is an error", "[eval][time][amendment][diagnostics]") {
  const std::string bad = R"(amendment "Bad" published 2024-01-01 end
amend rule bigg
  when product.tpp >= 1
end
)";
  auto compiled = edict::compile({edict::SourceFile{"base.edict", kAmendBase}, edict::SourceFile{"bad.edict", bad}});
  INFO(edict_test::diagnostics_text(compiled.diagnostics));
  CHECK_FALSE(compiled.ok());
  const auto* diagnostic = edict_test::find_code(compiled.diagnostics, "unknown-name");
  REQUIRE(diagnostic != nullptr);
  CHECK(diagnostic->file == "bad.edict");
  CHECK(diagnostic->line == 2);
  CHECK(diagnostic->help.find("`big`") != std::string::npos);

  const std::string repeal = "amendment \"Bad\" published 2024-01-01 end\nrepeal rule legacyy\n";
  auto repealed = edict::compile({edict::SourceFile{"base.edict", kAmendBase}, edict::SourceFile{"bad.edict", repeal}});
  INFO(edict_test::diagnostics_text(repealed.diagnostics));
  CHECK_FALSE(repealed.ok());
  CHECK_FALSE(edict_test::codes_of(repealed.diagnostics, edict::Severity::kError).empty());
}

// A fact of an enumeration type may default to a code written as a string (LANGUAGE.md 2.4).
TEST_CASE("a fact default given as an enumeration code", "[eval][time]") {
  auto compiled = edict_test::compile_text(kHeader + R"(
fact end_user.country : country default "CU" "End-user country"
rule cuba
  title "cuba"
  citation "test"
  when end_user.country == "CU"
  then deny because "cuba"
end
)");
  INFO(edict_test::diagnostics_text(compiled.diagnostics));
  REQUIRE(compiled.ok());
  const auto result = evaluate_json(*compiled.policy, R"({"destination": {"country": "FR"}})");
  INFO(summary(result));
  CHECK(result.decision == "deny");
}

// A parameter with no value in any step has no type: using it is a compile error, never a condition that
// silently does not fire.
TEST_CASE("a parameter whose only step is none is a compile error where it is used", "[eval][time][parameter]") {
  auto compiled = edict_test::compile_text(kHeader + R"(
parameter cap
  none from 2020-01-01
end
rule over_cap
  title "over the cap"
  citation "test"
  when product.tpp > cap
  then review because "over the cap"
end
)");
  INFO(edict_test::diagnostics_text(compiled.diagnostics));
  CHECK_FALSE(compiled.ok());
  CHECK(contains(edict_test::codes_of(compiled.diagnostics, edict::Severity::kError), "untyped-parameter"));
}

TEST_CASE("a parameter that becomes none makes the rule indeterminate", "[eval][time][parameter]") {
  auto policy = compile_ok(kHeader + R"(
parameter cap
  100 from 2020-01-01
  none from 2024-01-01
end
rule over_cap
  title "over the cap"
  citation "test"
  when product.tpp > cap
  then review because "over the cap"
end
)");
  const auto result = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 10}})", "2024-06-01");
  INFO(summary(result));
  REQUIRE(result.ok);
  CHECK(result.decision == "indeterminate");
  CHECK(contains(result.indeterminate_rules, "over_cap"));
  CHECK(contains(result.indeterminate_facts, "(parameter cap has no value)"));
}

TEST_CASE("rules declared in an amendment exist only in rulebooks published after it", "[eval][time][amendment]") {
  const std::string added = R"(amendment "New rule" published 2024-06-01 end
rule added
  title "added"
  citation "new"
  effective from 2024-01-01
  when product.tpp >= 1
  then classify "added"
end
)";
  auto policy = compile_ok({edict::SourceFile{"base.edict", kAmendBase}, edict::SourceFile{"new.edict", added}});
  struct Row {
    const char* as_of;
    const char* rules_as_of;
    bool expected;
  };
  const Row rows[] = {
      {"2024-03-01", "2024-05-31", false},  // the rulebook did not have it yet
      {"2024-03-01", "2024-06-01", true},   // read later, it applies back to its effective date
      {"2023-12-31", "2024-06-01", false},  // before its effective date
      {"2024-03-01", "", true},
  };
  for (const Row& row : rows) {
    INFO("as_of " << row.as_of << " rules_as_of " << row.rules_as_of);
    const auto result = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 1}})",
                                      row.as_of, row.rules_as_of);
    INFO(summary(result));
    REQUIRE(result.ok);
    CHECK(contains(result.classifications, "added") == row.expected);
  }
}

TEST_CASE("amendments published on the same day apply in file path order", "[eval][time][amendment]") {
  const std::string first = R"(amendment "First" published 2024-03-01 end
amend rule big
  when product.tpp >= 10
end
)";
  const std::string second = R"(amendment "Second" published 2024-03-01 end
amend rule big
  when product.tpp >= 20
end
)";
  // Given in reverse path order: z_second.edict is applied last.
  auto policy = compile_ok({edict::SourceFile{"z_second.edict", second}, edict::SourceFile{"base.edict", kAmendBase},
                            edict::SourceFile{"m_first.edict", first}});
  const auto low = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 15}})",
                                 "2024-06-01");
  INFO(summary(low));
  REQUIRE(low.ok);
  CHECK_FALSE(contains(low.classifications, "big"));
  const auto high = evaluate_json(*policy, R"({"destination": {"country": "FR"}, "product": {"tpp": 20}})",
                                  "2024-06-01");
  INFO(summary(high));
  REQUIRE(high.ok);
  CHECK(contains(high.classifications, "big"));
}

TEST_CASE("amending a repealed rule is an error", "[eval][time][amendment][diagnostics]") {
  const std::string repeal = "amendment \"Repeal\" published 2024-01-01 end\nrepeal rule legacy\n";
  const std::string amend = R"(amendment "Too late" published 2024-02-01 end
amend rule legacy
  when product.tpp >= 5
end
)";
  auto compiled = edict::compile({edict::SourceFile{"base.edict", kAmendBase}, edict::SourceFile{"r.edict", repeal},
                                  edict::SourceFile{"s.edict", amend}});
  INFO(edict_test::diagnostics_text(compiled.diagnostics));
  CHECK_FALSE(compiled.ok());
  const auto* diagnostic = edict_test::find_code(compiled.diagnostics, "amend-repealed");
  REQUIRE(diagnostic != nullptr);
  CHECK(diagnostic->file == "s.edict");
}
