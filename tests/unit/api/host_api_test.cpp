// The host API's guards (issue 13): an evaluation without a date is an error, never 1970; read_file is a
// callable with state; compiling a directory leaves its tests/ folder out unless asked; Facts can be refilled.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "edict/edict.hpp"

namespace {

const std::filesystem::path kRoot = EDICT_SOURCE_DIR;

std::shared_ptr<const edict::Policy> ear() {
  static const auto compiled = edict::compile_path((kRoot / "policies/ear").string());
  REQUIRE(compiled.ok());
  return compiled.policy;
}

edict::Facts h800_to_china() {
  edict::Facts facts;
  facts.set_string("product.kind", "ic");
  facts.set_number("product.tpp", "15832");
  facts.set_number("product.die_area_mm2", "814");
  facts.set_number("product.io_bandwidth_gbps", "528");
  facts.set_number("product.memory_bandwidth_gbps", "3350");
  facts.set_bool("product.datacenter", true);
  facts.set_string("destination.country", "CN");
  return facts;
}

}  // namespace

TEST_CASE("an evaluation without a date is an error, not an answer as of 1970", "[host-api]") {
  const auto policy = ear();
  edict::EvalOptions options;  // as_of left unset
  const auto result = policy->evaluate(h800_to_china(), options);
  CHECK_FALSE(result.ok);
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] == "no evaluation date: set EvalOptions::as_of, the date of the transaction");
  edict::Session session(*policy);
  const auto& decision = session.decide(h800_to_china(), options);
  CHECK_FALSE(decision.ok);
  CHECK(decision.decision.empty());
  options.as_of = edict::Date::parse("2023-12-01");
  CHECK(session.decide(h800_to_china(), options).decision == "license_required");
}

TEST_CASE("read_file is a callable that holds state", "[host-api]") {
  const std::map<std::string, std::string> bundle{
      {"pol/lib.edict", "define big = facts_value > 10\n"}};
  int reads = 0;
  edict::CompileOptions options;
  options.read_file = [&bundle, &reads](const std::string& path) -> std::optional<std::string> {
    ++reads;
    const auto it = bundle.find(path);
    return it == bundle.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  const auto compiled = edict::compile({{"pol/main.edict", "import \"missing.edict\"\n"}}, options);
  CHECK_FALSE(compiled.ok());
  CHECK(reads == 1);
}

TEST_CASE("compiling a directory leaves its tests folder out unless asked", "[host-api]") {
  const auto dir = (kRoot / "policies/ear").string();
  const auto production = edict::compile_path(dir);
  REQUIRE(production.ok());
  CHECK(production.policy->tests().empty());
  edict::CompileOptions with_tests;
  with_tests.include_tests = true;
  const auto all = edict::compile_path(dir, with_tests);
  REQUIRE(all.ok());
  CHECK(all.policy->tests().size() > 10);
  CHECK(all.policy->digest() != production.policy->digest());
}

TEST_CASE("a Facts can be cleared and refilled", "[host-api]") {
  auto facts = h800_to_china();
  facts.clear();
  CHECK(facts.entries().empty());
  CHECK(facts.find("product.tpp") == nullptr);
  facts.set_number("product.tpp", "1");
  REQUIRE(facts.entries().size() == 1);
  CHECK(facts.find("product.tpp")->value.text == "1");
}

TEST_CASE("Facts::assign sets a value in place, as set() does", "[host-api]") {
  using Kind = edict::FactValue::Kind;
  edict::Facts facts;
  facts.set_number("product.tpp", "1");
  facts.set_string("destination.country", "CN");
  facts.assign("product.tpp", Kind::kNumber, "4800");  // replaces: still one entry, in its place
  facts.assign("product.datacenter", Kind::kBool, {}, true);
  REQUIRE(facts.entries().size() == 3);
  CHECK(facts.entries()[0].path == "product.tpp");
  CHECK(facts.find("product.tpp")->value == edict::FactValue{Kind::kNumber, false, "4800"});
  CHECK(facts.find("product.datacenter")->value == edict::FactValue{Kind::kBool, true, ""});
  facts.clear();
  facts.assign("destination.country", Kind::kString, "NL");  // takes back a cleared entry's storage
  REQUIRE(facts.entries().size() == 1);
  CHECK(facts.find("destination.country")->value == edict::FactValue{Kind::kString, false, "NL"});
  CHECK(facts.find("destination.country")->source.empty());
}
