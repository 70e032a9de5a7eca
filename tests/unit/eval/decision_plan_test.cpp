// The untraced decision runs from a plan compiled per pair of date intervals (eval/decision_plan.cpp): it
// decides where every rule in force is true or false and no exemption of a fired rule applies;
// where an exemption applies it hands its statuses to the general combination, and where a check is unknown
// the general path decides the case from the start. So each random case here, at a random date, is decided
// with the plan and without it (a traced evaluation never uses one) and must agree on everything: the result,
// the values and obligations, the deciding rules, and the exact number of evaluation steps.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <edict/render.hpp>
#include <fmt/format.h>

#include "../support/semantic_support.hpp"
#include "../support/step_limits.hpp"
#include "api/internals.hpp"
#include "eval/evaluator.hpp"

namespace {

using edict_test::compile_ok;
using edict_test::date;
using edict_test::steps_to_finish;

// Classifications read by later rules; exemptions that override a rule and one that narrows another; rules
// and exemptions that come into force and go out of it; a rule without a condition's chain (one check),
// nested `and` / `or`, checks the plan decides itself and checks it hands to test() (`not`, a definition);
// outputs given by decision and classification rules, combined in several ways, and an obligation.
const char* const kPolicy = R"(policy "decision plan"
  outcomes deny > review > allow
  default allow
end

use iso3166

fact product.kind : optional one of "ic", "hbm", "computer" "Kind"
fact product.tpp : optional decimal "TPP"
fact product.area : optional decimal "Die area"
fact destination.country : optional country "Destination"
fact product.datacenter : optional bool "Datacenter"
fact end_user.name : optional string "End user"

define density = product.tpp / product.area
define margin = product.tpp - 4800

output margin_left : decimal combine max "TPP above 4800, the largest given"
output basis : string combine first "The first rule that gave one"
output chip_tpp : decimal default 0 "The TPP of a chip"
output notice_by : date combine deciding "Notice due"

group embargoed : country = {CN, RU, IR}
group allies : country = {DE, GB, JP}

rule chip
  title "chip" citation "c"
  when product.kind == "ic" and product.tpp >= 1000
  then classify "chip"
  set chip_tpp = product.tpp
end

rule big_chip
  title "big chip" citation "bc"
  effective from 2023-01-01
  when classified "chip" and (margin >= 0 or product.datacenter)
  then classify "big"
end

rule embargo
  title "embargo" citation "e"
  when destination.country in embargoed and (classified "chip" or product.kind == "computer")
  then deny because "embargoed"
  set margin_left = margin
  set basis = "embargo"
  set notice_by = as_of + 10 days
end

rule dense
  title "dense" citation "d"
  effective from 2023-11-17
  when product.kind == "ic" and density >= 5.92 and destination.country not in allies
  then deny because "dense"
  set basis = "dense"
  set notice_by = as_of + 10 days
end

rule review_big
  title "review big" citation "r"
  effective from 2023-01-01 until 2025-01-01
  when classified "big" and not product.datacenter
  then review because "big"
  set notice_by = as_of + 30 days
  oblige "Review the big chip" by as_of + 5 days citing "r.1"
end

rule named
  title "named" citation "n"
  when end_user.name is present and destination.country in embargoed
  then deny because "named"
end

exemption small_area
  title "small area" citation "sa"
  overrides dense
  effective from 2024-01-01
  when product.area < 100
  then review because "small area"
end

exemption datacenter_ally
  title "datacenter" citation "dc"
  overrides review_big, embargo
  when destination.country in allies or product.tpp < 1000
  then allow because "ally, or a small computer"
end

exemption small_area_ic
  title "small area, ic" citation "sai"
  overrides small_area
  when product.kind == "ic" and product.tpp < 2000
  then deny because "narrowed"
end
)";

std::string pick(std::mt19937& random, const std::vector<std::string>& choices) {
  return choices[std::uniform_int_distribution<std::size_t>(0, choices.size() - 1)(random)];
}

// Mostly complete facts (the plan's cases), sometimes one missing (the general path's).
std::string random_facts(std::mt19937& random) {
  const auto often = [&](const std::vector<std::string>& values) {
    return std::uniform_int_distribution<int>(0, 9)(random) == 0 ? std::string() : pick(random, values);
  };
  std::vector<std::string> product;
  const auto add = [&](std::vector<std::string>& to, const char* name, const std::string& value) {
    if (!value.empty()) to.push_back(fmt::format("\"{}\": {}", name, value));
  };
  add(product, "kind", often({"\"ic\"", "\"hbm\"", "\"computer\""}));
  add(product, "tpp", often({"0", "999", "1000", "1999", "4800", "4799.5", "5920", "6000", "12000"}));
  add(product, "area", often({"50", "99.5", "100", "1000", "0", "600"}));
  add(product, "datacenter", often({"true", "false"}));
  std::vector<std::string> fields;
  fields.push_back("\"product\": {" + fmt::format("{}", fmt::join(product, ", ")) + "}");
  add(fields, "destination", "{\"country\": " + pick(random, {"\"CN\"", "\"RU\"", "\"DE\"", "\"JP\"", "\"US\""}) + "}");
  if (std::uniform_int_distribution<int>(0, 3)(random) == 0) add(fields, "end_user", "{\"name\": \"Acme\"}");
  return "{" + fmt::format("{}", fmt::join(fields, ", ")) + "}";
}

const std::vector<std::string> kDates = {"2022-06-01", "2023-06-01", "2023-12-01", "2024-06-01", "2025-06-01"};

}  // namespace

TEST_CASE("a decision plan decides as the general path does, in the same number of steps", "[eval][plan]") {
  const auto policy = compile_ok(kPolicy);
  const auto& program = edict::detail::Internals::program(*policy);
  std::mt19937 random(20261207);
  edict::Session reused(*policy);  // one session for every case and date: its plans are rebuilt and reused
  edict::eval::Evaluator planning(program), general_only(program);
  general_only.disable_plans();
  const auto latest = edict::Date::from_days(edict::Date::max().days() - 1);
  constexpr std::uint64_t kSteps = 1'000'000;
  int determinate = 0, exempted = 0, by_plan_candidates = 0;
  for (int i = 0; i < 600; ++i) {
    const auto text = random_facts(random);
    const auto as_of = pick(random, kDates);
    INFO(text << " as of " << as_of);
    std::string error;
    const auto facts = edict::Facts::from_json(text, &error);
    REQUIRE(facts.has_value());
    edict::EvalOptions plain;
    plain.as_of = date(as_of);
    auto traced = plain;
    traced.trace = true;

    auto general = policy->evaluate(*facts, traced);  // a trace: the general path
    REQUIRE(general.ok);
    general.trace.reset();
    const auto planned = policy->evaluate(*facts, plain);
    CHECK(edict::render_json(planned) == edict::render_json(general));
    const auto& decided = reused.decide(*facts, plain);
    CHECK(std::string(decided.decision) == general.decision);
    CHECK(decided.classifications.size() == general.classifications.size());
    if (!decided.indeterminate) ++determinate;
    if (!general.exemptions.empty()) ++exempted;
    if (!decided.indeterminate && general.exemptions.empty()) ++by_plan_candidates;

    edict::eval::BoundFacts bound;
    std::vector<std::string> errors, warnings;
    REQUIRE(edict::eval::bind(program, *facts, policy->limits(), bound, &errors, &warnings));
    const auto with_plans = steps_to_finish(program, bound, *plain.as_of, [](edict::eval::Evaluator&) {});
    CHECK(with_plans == steps_to_finish(program, bound, *plain.as_of, [](edict::eval::Evaluator& e) { e.disable_plans(); }));
    // The same two evaluators for every case: the plans of several dates kept and switched between.
    edict::eval::Outcome with_plan, without_plan;
    REQUIRE(planning.run(bound, *plain.as_of, latest, kSteps, nullptr, with_plan));
    REQUIRE(general_only.run(bound, *plain.as_of, latest, kSteps, nullptr, without_plan));
    edict::EvalResult a, b;
    edict::eval::to_result(program, with_plan, a);
    edict::eval::to_result(program, without_plan, b);
    CHECK(edict::render_json(a) == edict::render_json(b));
  }
  CHECK(planning.decided_by_plans() > 300);
  CHECK(planning.continued_from_plans() > 20);  // an exemption applied: the general combination finished
  CHECK(general_only.decided_by_plans() == 0);
  // Both paths are exercised: most cases are the plan's; some are handed back (an exemption applies, a fact
  // is missing).
  CHECK(by_plan_candidates > 300);
  CHECK(exempted > 20);
  CHECK(determinate < 600);
}
