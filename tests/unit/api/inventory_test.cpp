// Policy::inventory(): what a policy declares, for hosts building forms and reviewers' indexes.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "edict/edict.hpp"
#include "../support/repo_files.hpp"

namespace {

template <typename Items>
const auto* named(const Items& items, const std::string& name) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const auto& i) { return i.name == name; });
  REQUIRE(it != items.end());
  return &*it;
}

}  // namespace

TEST_CASE("inventory of the example policy: facts, outcomes, rules, amendments", "[inventory]") {
  const auto policy = edict_test::load("policies/examples/chips");
  const auto inv = policy->inventory();
  CHECK(inv.title == "Demo advanced-chip controls");
  CHECK(inv.outcomes == std::vector<std::string>{"license_required", "notify", "license_exception", "no_license_required"});
  CHECK(inv.default_outcome == "no_license_required");

  REQUIRE(inv.facts.size() == 5);
  CHECK(inv.facts[0].path == "product.tpp");
  CHECK(inv.facts[0].type == "decimal");
  CHECK(inv.facts[0].description == "Total processing performance (TPP)");
  const auto& hq = inv.facts[4];
  CHECK(hq.path == "end_user.hq_country");
  CHECK(hq.optional);
  CHECK(hq.default_value == "destination.country");
  CHECK(hq.default_is_fact);
  CHECK(hq.type == "country");
  CHECK(std::count(hq.allowed_values.begin(), hq.allowed_values.end(), "CN") == 1);

  CHECK(named(inv.groups, "restricted")->element_type == "country");
  const auto* threshold = named(inv.parameters, "tpp_threshold");
  REQUIRE(threshold->steps.size() == 1);
  CHECK(threshold->steps[0].value == "4800");
  CHECK(threshold->steps[0].from.to_string() == "2022-10-07");
  CHECK(named(inv.tiers, "destination_tier")->labels == std::vector<std::string>{"allied", "restricted", "other"});

  // An amended rule has two versions: the base one, and the amendment's, which ends it on 2024-01-01.
  const auto* high = named(inv.rules, "class_high");
  CHECK_FALSE(high->exemption);
  REQUIRE(high->versions.size() == 2);
  CHECK(high->versions[1].until.to_string() == "2024-01-01");
  CHECK(high->versions[1].defined_by == "Demo tightening");
  CHECK(high->versions[1].classifies == "HIGH");
  CHECK(high->line == 40);
  const auto* parts = named(inv.rules, "consumer_parts");
  CHECK(parts->exemption);
  CHECK(parts->versions.back().decides == "notify");
  CHECK(parts->versions.back().overrides == std::vector<std::string>{"license_restricted", "license_hq"});
}

TEST_CASE("inventory JSON is deterministic and names open ends null", "[inventory]") {
  const auto policy = edict_test::load("policies/examples/chips");
  const auto json = edict::inventory_json(policy->inventory());
  CHECK(json == edict::inventory_json(edict_test::load("policies/examples/chips")->inventory()));
  CHECK(json.rfind("{\"title\":\"Demo advanced-chip controls\",\"outcomes\":[", 0) == 0);
  CHECK(json.find("\"default\":{\"fact\":\"destination.country\"}") != std::string::npos);
  CHECK(json.find("\"effective_until\":null") != std::string::npos);
}
