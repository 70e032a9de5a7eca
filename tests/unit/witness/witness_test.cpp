// Boundary witnesses (`edict diff OLD NEW --witnesses`): synthetic pairs whose single change is known, and the
// EAR pack read before and after its amendments.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support/semantic_support.hpp"
#include "edict/testing.hpp"
#include "edict/witness.hpp"
#include "core/number.hpp"

using edict_test::compile_ok;
using edict_test::date;

namespace {

const std::string kHeader = R"(policy "Witness"
  outcomes deny > review > allow
  default allow
end
use iso3166
)";

std::string rule(const std::string& name, const std::string& when, const std::string& then) {
  return "rule " + name + "\n  title \"" + name + "\"\n  citation \"cite " + name + "\"\n  when " + when +
         "\n  then " + then + "\nend\n";
}

std::string fact_text(const edict::Facts& facts, const std::string& path) {
  const auto* e = facts.find(path);
  if (e == nullptr) return "(absent)";
  if (e->value.kind == edict::FactValue::Kind::kBool) return e->value.boolean ? "true" : "false";
  return e->value.text;
}

edict::core::Rational number(const edict::Facts& facts, const std::string& path) {
  const auto* e = facts.find(path);
  REQUIRE(e != nullptr);
  const auto n = edict::core::parse_decimal(e->value.text, false);
  REQUIRE(n.has_value());
  return *n;
}

std::string describe(const edict::Witness& w) {
  std::string out;
  {
    out += "- " + w.region + " @" + w.as_of.to_string() + " {";
    for (const auto& e : w.facts.entries()) out += e.path + "=" + (e.value.kind == edict::FactValue::Kind::kBool ? (e.value.boolean ? "true" : "false") : e.value.text) + " ";
    out += "} cause:";
    for (const auto& c : w.cause) out += " " + c;
    out += "\n";
  }
  return out;
}

std::string describe(const edict::WitnessReport& report) {
  std::string out = "evaluations=" + std::to_string(report.evaluations) + " witnesses=" +
                    std::to_string(report.witnesses.size()) + "\n";
  for (const auto& w : report.witnesses) out += describe(w);
  return out;
}

// NEW plus the generated test file: every generated test passes.
void require_tests_pass(std::vector<edict::SourceFile> new_sources, const edict::WitnessReport& report) {
  const auto tests = edict::witnesses_to_tests(report);
  INFO(tests);
  new_sources.push_back({"witness_tests.edict", tests});
  auto policy = compile_ok(new_sources);
  REQUIRE(policy->tests().size() == report.witnesses.size());
  for (const auto& outcome : edict::run_tests(*policy)) {
    std::string failures;
    for (const auto& f : outcome.failures) failures += f + "\n";
    INFO(outcome.name << "\n" << failures);
    CHECK(outcome.passed);
  }
}

std::vector<edict::SourceFile> read_dir(const std::string& dir) {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".edict") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<edict::SourceFile> out;
  for (const auto& p : paths) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back({p, ss.str()});
  }
  return out;
}

}  // namespace

TEST_CASE("a threshold moved from >= to > yields exactly the witness at the bound", "[witness]") {
  const std::string facts = "fact order.amount : decimal \"amount\"\nfact order.rush : bool \"rush\"\n";
  const std::string old_text = kHeader + facts + rule("big", "order.amount >= 4800", "deny because \"big\"") +
                               rule("rush", "order.rush", "review because \"rush\"");
  const std::string new_text = kHeader + facts + rule("big", "order.amount > 4800", "deny because \"big\"") +
                               rule("rush", "order.rush", "review because \"rush\"");
  auto old_policy = compile_ok(old_text);
  auto new_policy = compile_ok(new_text);
  const auto report = edict::find_witnesses(*old_policy, *new_policy, {});
  INFO(describe(report));
  REQUIRE(report.witnesses.size() == 1);
  const auto& w = report.witnesses[0];
  CHECK(fact_text(w.facts, "order.amount") == "4800");
  CHECK(w.old_result.decision == "deny");
  CHECK(w.new_result.decision == "allow");
  CHECK(w.cause == std::vector<std::string>{"rule big"});
  CHECK(w.region.find("order.amount >= 4800") != std::string::npos);
  CHECK(w.old_result.trace != nullptr);
  CHECK(w.new_result.trace != nullptr);
  CHECK_FALSE(report.truncated);
  CHECK(report.evaluations > 0);
  require_tests_pass({{"test.edict", new_text}}, report);
}

TEST_CASE("a group member added yields a witness with that country at the date", "[witness]") {
  const std::string base = kHeader + R"(
fact destination.country : country "destination"
group watched : country
  members {CN, IR}
end
)" + rule("watched_license", "destination.country in watched", "deny because \"watched\"");
  const std::string amendment = R"(amendment "Adds Russia" published 2024-01-10 end
amend group watched
  add {RU} from 2024-02-01
end
)";
  auto policy = compile_ok({{"base.edict", base}, {"2024.edict", amendment}});
  edict::WitnessOptions options;
  options.old_rules_as_of = date("2024-01-01");
  options.new_rules_as_of = date("2024-03-01");
  const auto report = edict::find_witnesses(*policy, *policy, options);
  INFO(describe(report));
  REQUIRE(report.witnesses.size() == 1);
  const auto& w = report.witnesses[0];
  CHECK(fact_text(w.facts, "destination.country") == "RU");
  CHECK(w.as_of == date("2024-02-01"));
  CHECK(w.old_result.decision == "allow");
  CHECK(w.new_result.decision == "deny");
  CHECK(std::find(w.cause.begin(), w.cause.end(), "group watched") != w.cause.end());
  require_tests_pass({{"base.edict", base}, {"2024.edict", amendment}}, report);
}

TEST_CASE("a parameter change yields the witness at the new bound", "[witness]") {
  const std::string base = kHeader + R"(
fact order.amount : decimal "amount"
parameter cap
  1000 from 2020-01-01
end
)" + rule("over_cap", "order.amount > cap", "deny because \"over the cap\"");
  const std::string amendment = R"(amendment "Raises the cap" published 2023-12-01 end
amend parameter cap
  2000.5 from 2024-01-01
end
)";
  auto policy = compile_ok({{"base.edict", base}, {"2023.edict", amendment}});
  edict::WitnessOptions options;
  options.old_rules_as_of = date("2023-11-30");
  options.as_of_dates = {date("2024-06-01")};
  const auto report = edict::find_witnesses(*policy, *policy, options);
  INFO(describe(report));
  REQUIRE(report.witnesses.size() == 1);
  const auto& w = report.witnesses[0];
  CHECK(fact_text(w.facts, "order.amount") == "2000.5");
  CHECK(w.old_result.decision == "deny");
  CHECK(w.new_result.decision == "allow");
  CHECK(std::find(w.cause.begin(), w.cause.end(), "parameter cap") != w.cause.end());
  require_tests_pass({{"base.edict", base}, {"2023.edict", amendment}}, report);
}

TEST_CASE("a performance-density bound: the witness sits exactly on 5.92", "[witness]") {
  const std::string facts = R"(fact product.tpp : decimal "tpp"
fact product.die_area_mm2 : decimal "die area"
define performance_density = product.tpp / product.die_area_mm2
)";
  const std::string old_text = kHeader + facts +
      rule("dense", "product.tpp >= 1600 and performance_density >= 5.92", "deny because \"dense\"");
  const std::string new_text = kHeader + facts +
      rule("dense", "product.tpp >= 1600 and performance_density > 5.92", "deny because \"dense\"");
  auto old_policy = compile_ok(old_text);
  auto new_policy = compile_ok(new_text);
  const auto report = edict::find_witnesses(*old_policy, *new_policy, {});
  INFO(describe(report));
  REQUIRE(report.witnesses.size() == 1);
  const auto& w = report.witnesses[0];
  const auto tpp = number(w.facts, "product.tpp");
  const auto area = number(w.facts, "product.die_area_mm2");
  CHECK(tpp >= 1600);
  CHECK(tpp / area == edict::core::Rational(592, 100));  // exact, no rounding
  CHECK(w.old_result.decision == "deny");
  CHECK(w.new_result.decision == "allow");
  require_tests_pass({{"test.edict", new_text}}, report);
}

namespace {

const std::string kEarDir = std::string(EDICT_SOURCE_DIR) + "/policies/ear";

// A probe for Tier 3 (D:5 or Macau, Hong Kong as China) using the stdlib groups.
bool tier3(const std::string& country) {
  static const auto probe = compile_ok(R"(policy "probe"
  outcomes yes > no
  default no
end
use iso3166
use ear_country_groups
fact c : country "c"
rule t3
  title "t3"
  citation "c"
  when c in ear_d5 union {CN, HK, MO}
  then yes
end
)");
  edict::Facts facts;
  facts.set_string("c", country);
  edict::EvalOptions options;
  options.as_of = date("2025-06-01");
  return probe->evaluate(facts, options).decision == "yes";
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

TEST_CASE("EAR, October 2023 amendment: the A800/H800 region and the performance-density region", "[witness][ear]") {
  const auto sources = read_dir(kEarDir);
  auto policy = compile_ok(sources);
  edict::WitnessOptions options;
  options.old_rules_as_of = date("2023-10-16");
  options.new_rules_as_of = date("2023-10-26");
  options.as_of_dates = {date("2023-12-01")};
  const auto start = std::chrono::steady_clock::now();
  const auto report = edict::find_witnesses(*policy, *policy, options);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  INFO(describe(report));
  INFO("EAR 2023-10-16 vs 2023-10-26: " << report.evaluations << " cases, " << report.witnesses.size()
                                        << " regions, " << ms << " ms");
  CHECK_FALSE(report.truncated);
  bool a800 = false, density_only = false;
  for (const auto& w : report.witnesses) {
    const auto& f = w.facts;
    if (fact_text(f, "product.kind") != "ic") continue;
    if (w.old_result.decision == "no_license_required" && w.old_result.classifications.empty() &&
        w.new_result.decision == "license_required" && has(w.new_result.classifications, "3A090.a") &&
        fact_text(f, "end_user.name") == "(absent)" && fact_text(f, "product.datacenter") == "true") {
      // Regions that make the same change for the same causes are one region (ranking.cpp), so the A800
      // (TPP 4800, I/O 599 GB/s: below the 2022 line, inside the 2023 one) lies in this region without being
      // its witness: the witness moved onto the A800's numbers, in China, decides as the region on both sides.
      auto a800_to_china = f;
      a800_to_china.set_string("destination.country", "CN");
      a800_to_china.set_number("product.tpp", "4800");
      a800_to_china.set_number("product.io_bandwidth_gbps", "599");
      bool same = true;
      for (const bool newer : {false, true}) {
        edict::EvalOptions eo;
        eo.as_of = w.as_of;
        eo.rules_as_of = newer ? options.new_rules_as_of : options.old_rules_as_of;
        const auto r = policy->evaluate(a800_to_china, eo);
        same = same && r.decision == (newer ? w.new_result.decision : w.old_result.decision) &&
               r.classifications == (newer ? w.new_result.classifications : w.old_result.classifications);
      }
      a800 = a800 || same;
    }
    if (number(f, "product.tpp") < 4800 && w.old_result.classifications.empty() &&
        has(w.new_result.classifications, "3A090.a")) {
      const auto pd = number(f, "product.tpp") / number(f, "product.die_area_mm2");
      if (pd >= edict::core::Rational(592, 100)) density_only = true;
    }
  }
  CHECK(a800);
  CHECK(density_only);
}

TEST_CASE("EAR, AI Diffusion rescission: Tier 2 worldwide-license regions, none for Tier 3", "[witness][ear]") {
  const auto sources = read_dir(kEarDir);
  auto policy = compile_ok(sources);
  edict::WitnessOptions options;
  options.old_rules_as_of = date("2025-05-12");
  options.new_rules_as_of = date("2025-05-14");
  options.as_of_dates = {date("2025-06-01")};
  const auto start = std::chrono::steady_clock::now();
  const auto report = edict::find_witnesses(*policy, *policy, options);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  INFO(describe(report));
  INFO("EAR 2025-05-12 vs 2025-05-14: " << report.evaluations << " cases, " << report.witnesses.size()
                                        << " regions, " << ms << " ms");
  CHECK_FALSE(report.truncated);
  int tier2_worldwide = 0, tier3_values = 0;
  for (const auto& w : report.witnesses) {
    const auto country = fact_text(w.facts, "destination.country");
    const bool worldwide = has(w.old_result.deciding_rules, "license_worldwide_a_2025");
    if (worldwide && !tier3(country) && w.new_result.decision != "license_required") ++tier2_worldwide;
    // Nothing changes for Tier 3 destinations, except Cyprus: D:5 in the stdlib but also A:6, so outside the
    // 2023 license scope; shipped to a party headquartered outside D:5 it needed the Diffusion license (or
    // NAC) and now needs none (the pack's documented [U] Cyprus reading).
    // The 4E091 model-weights control applied to every destination outside Tier 1, so its rescission changes
    // Tier 3 destinations too: those regions are not about the tiers of the chip licenses.
    const bool model_weights = has(w.old_result.classifications, "4E091");
    // The decision stays for Tier 3 but the pack's `diffusion_tier_applied` output goes: a value-only region.
    const bool values_only = !w.decision_changed && w.old_result.classifications == w.new_result.classifications;
    if (tier3(country) && values_only) {
      CHECK(w.transition.find("; value diffusion_tier_applied tier3 -> unset") != std::string::npos);
      ++tier3_values;
      continue;
    }
    if (tier3(country) && !model_weights) {
      INFO(describe(w));
      CHECK(country == "CY");
      CHECK(fact_text(w.facts, "end_user.hq_country") != "(absent)");
    }
  }
  CHECK(tier2_worldwide > 0);
  CHECK(tier3_values > 0);
}

TEST_CASE("a set-tested value from an `if` definition: the witness varies the facts of both branches", "[witness]") {
  // Before the fix, only a definition that is just a fact passed its sets on: here no code of CN or RU was
  // tried, and the search found no region (6 evaluations, no witness).
  const std::string facts = R"(fact goods.transformed : bool "transformed"
fact goods.processed_in : country "processed in"
fact goods.origin : country "origin"
fact goods.value : decimal "value"
define origin = if goods.transformed then goods.processed_in else goods.origin
)";
  const std::string when = "origin in {CN, RU} and goods.value > 800";
  const std::string old_text = kHeader + facts + rule("origin_check", when, "allow");
  const std::string new_text = kHeader + facts + rule("origin_check", when, "deny because \"origin\"");
  auto old_policy = compile_ok(old_text);
  auto new_policy = compile_ok(new_text);
  const auto report = edict::find_witnesses(*old_policy, *new_policy, {});
  INFO(describe(report));
  REQUIRE(report.witnesses.size() == 1);
  const auto& w = report.witnesses[0];
  const auto origin = fact_text(w.facts, fact_text(w.facts, "goods.transformed") == "true" ? "goods.processed_in"
                                                                                           : "goods.origin");
  CHECK((origin == "CN" || origin == "RU"));
  CHECK(fact_text(w.facts, "goods.value") == "801");
  CHECK(w.old_result.decision == "allow");
  CHECK(w.new_result.decision == "deny");
  CHECK(w.cause == std::vector<std::string>{"rule origin_check"});
  require_tests_pass({{"test.edict", new_text}}, report);
}

// Values as results: a change that moves a value but no decision is a region of its own (change_kind 1),
// found from the `set` clause or the output's declaration, and the generated tests pin NEW's value.
TEST_CASE("a value-only change is a witness region with the value's transition", "[witness][values]") {
  const std::string facts = "fact order.amount : decimal \"amount\"\noutput fee : decimal \"fee\"\n";
  const auto with_fee = [&](const std::string& rate) {
    return kHeader + facts + "rule big\n  title \"big\"\n  citation \"c\"\n  when order.amount >= 100\n" +
           "  then review\n  set fee = order.amount * " + rate + "\nend\n";
  };
  const auto old_text = with_fee("2 / 100"), new_text = with_fee("3 / 100");
  auto old_policy = compile_ok(old_text);
  auto new_policy = compile_ok(new_text);
  const auto report = edict::find_witnesses(*old_policy, *new_policy, {});
  INFO(describe(report));
  REQUIRE(!report.witnesses.empty());
  for (const auto& w : report.witnesses) {
    CHECK_FALSE(w.decision_changed);
    CHECK(w.values_changed);
    CHECK(edict::change_kind(w) == 1);
    CHECK(w.transition.find("; value fee ") != std::string::npos);
    CHECK(w.old_result.decision == "review");
    CHECK(w.old_result.values.at(0).value != w.new_result.values.at(0).value);
    CHECK(std::find(w.cause.begin(), w.cause.end(), "rule big") != w.cause.end());
  }
  CHECK(edict::witnesses_to_tests(report).find("expect value fee = ") != std::string::npos);
  require_tests_pass({{"new.edict", new_text}}, report);
  const auto text = edict::render_witnesses_text(report);
  CHECK(text.find("Value changes with the same decision") != std::string::npos);
  CHECK(text.find("0 change the decision, " + std::to_string(report.witnesses.size()) + " change values only") !=
        std::string::npos);
}

TEST_CASE("an output whose combine changes makes the rules that give it differ", "[witness][values]") {
  const auto text = [&](const std::string& combine) {
    return kHeader + "fact a : bool \"a\"\nfact b : bool \"b\"\noutput cap : decimal combine " + combine +
           " \"cap\"\n" + "rule ra\n  title \"ra\"\n  citation \"c\"\n  when a\n  then review\n  set cap = 10\nend\n" +
           "rule rb\n  title \"rb\"\n  citation \"c\"\n  when b\n  then review\n  set cap = 20\nend\n";
  };
  auto old_policy = compile_ok(text("max"));
  auto new_policy = compile_ok(text("min"));
  const auto report = edict::find_witnesses(*old_policy, *new_policy, {});
  INFO(describe(report));
  REQUIRE(report.witnesses.size() == 1);
  const auto& w = report.witnesses[0];
  CHECK(w.transition == "review [] -> review []; value cap 20 -> 10");
  CHECK(fact_text(w.facts, "a") == "true");
  CHECK(fact_text(w.facts, "b") == "true");
}

TEST_CASE("a policy pair without outputs reports no value changes", "[witness][values]") {
  const std::string facts = "fact order.amount : decimal \"amount\"\n";
  auto old_policy = compile_ok(kHeader + facts + rule("big", "order.amount >= 10", "deny because \"big\""));
  auto new_policy = compile_ok(kHeader + facts + rule("big", "order.amount >= 20", "deny because \"big\""));
  const auto report = edict::find_witnesses(*old_policy, *new_policy, {});
  REQUIRE(!report.witnesses.empty());
  for (const auto& w : report.witnesses) {
    CHECK_FALSE(w.values_changed);
    CHECK(w.transition.find("value") == std::string::npos);
  }
}
