// The test runner's tables and coverage: exact boundary classification, threshold and date sides counted
// from traces, bad table rows failing with a message.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "edict/coverage.hpp"
#include "edict/testing.hpp"
#include "../support/semantic_support.hpp"

namespace {

const char* const kPolicy = R"(
policy "Coverage unit"
  outcomes license_required > no_license_required
  default no_license_required
end

fact product.tpp : decimal "TPP"
fact product.area : decimal "Die area"

define density = product.tpp / product.area

rule dense
  title "Dense"
  citation "Unit 1"
  effective from 2023-11-17
  when density >= 5.92
  then license_required
end
)";

edict::EvalResult run(const edict::Policy& policy, const std::string& tpp, const std::string& area,
                      const char* as_of) {
  edict::Facts facts;
  facts.set_number("product.tpp", tpp);
  facts.set_number("product.area", area);
  edict::EvalOptions options;
  options.as_of = *edict::Date::parse(as_of);
  options.trace = true;
  return policy.evaluate(facts, options);
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("edict_testing_test_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST_CASE("Coverage counts a threshold at, below and above its bound from the traces", "[coverage]") {
  const auto policy = edict_test::compile_ok(kPolicy);
  const auto at = run(*policy, "2054.24", "347", "2024-06-01");     // density exactly 5.92
  const auto below = run(*policy, "2054.23", "347", "2024-06-01");  // just below
  const auto above = run(*policy, "2054.25", "347", "2024-06-01");  // just above
  REQUIRE(at.decision == "license_required");
  REQUIRE(below.decision == "no_license_required");

  auto report = edict::measure_coverage(*policy, {&at});
  REQUIRE(report.thresholds.size() == 1);
  CHECK(report.thresholds[0].text == "density >= 5.92");
  CHECK(report.thresholds[0].at == 1);
  CHECK(report.thresholds[0].below == 0);
  CHECK(report.thresholds[0].above == 0);
  CHECK(edict::render_coverage_text(report).find("`density >= 5.92` (test.edict:16:8, in dense): not exercised "
                                                 "below, above") != std::string::npos);

  report = edict::measure_coverage(*policy, {&at, &below, &above});
  CHECK(report.thresholds[0].evaluated == 3);
  CHECK(report.thresholds[0].at == 1);
  CHECK(report.thresholds[0].below == 1);
  CHECK(report.thresholds[0].above == 1);
  REQUIRE(report.rules.size() == 1);
  CHECK(report.rules[0].fired == 2);
  CHECK(report.rules[0].not_fired == 1);
  // The effective date: only exercised on or after it so far.
  REQUIRE(report.rules[0].dates.size() == 1);
  CHECK(report.rules[0].dates[0].kind == "from");
  CHECK(report.rules[0].dates[0].before == 0);
  CHECK(report.rules[0].dates[0].on_or_after == 3);
  CHECK(report.covered < report.items);

  const auto before = run(*policy, "2054.24", "347", "2023-11-16");
  CHECK(before.decision == "no_license_required");
  report = edict::measure_coverage(*policy, {&at, &below, &above, &before});
  CHECK(report.rules[0].not_in_force == 1);
  CHECK(report.rules[0].dates[0].before == 1);
  CHECK(report.covered == report.items);
  CHECK(edict::render_coverage_text(report).find("uncovered (0):") != std::string::npos);
  CHECK(edict::render_coverage_json(report).find("\"percent\":100.0") != std::string::npos);
}

TEST_CASE("JSONL and CSV tables: good rows run, bad rows fail with a message", "[testing]") {
  const auto policy = edict_test::compile_ok(kPolicy);
  const auto jsonl = write_temp("cases.jsonl",
      "{\"name\": \"at 5.92\", \"facts\": {\"product\": {\"tpp\": 2054.24, \"area\": 347}}, \"as_of\": "
      "\"2024-06-01\", \"expect\": {\"decision\": \"license_required\", \"deciding_rules\": [\"dense\"]}}\n"
      "\n"
      "{\"name\": \"wrong\", \"facts\": {\"product\": {\"tpp\": 1, \"area\": 347}}, \"as_of\": \"2024-06-01\", "
      "\"expect\": {\"decision\": \"license_required\"}}\n"
      "{\"name\": \"broken\", \n"
      "{\"name\": \"bad date\", \"as_of\": \"2024-02-30\", \"expect\": {\"decision\": \"x\"}}\n");
  const auto csv = write_temp("cases.csv",
      "name,as_of,product.tpp,product.area,expect.decision\n"
      "csv at,2024-06-01,2054.24,347,license_required\n"
      "\"csv, quoted name\",2024-06-01,1,347,no_license_required\n"
      "csv short,2024-06-01\n");

  const auto cases = edict::read_test_table(jsonl);
  REQUIRE(cases.size() == 4);
  CHECK(cases[0].error.empty());
  CHECK(cases[0].test.line == 1);
  CHECK(cases[2].test.line == 4);
  CHECK(cases[2].error.find("not valid JSON") != std::string::npos);
  CHECK(cases[3].error.find("`as_of` must be a date") != std::string::npos);

  edict::TestRunOptions options;
  options.tables = {jsonl, csv};
  const auto outcomes = edict::run_tests(*policy, options);
  REQUIRE(outcomes.size() == 7);
  CHECK(outcomes[0].passed);
  CHECK(outcomes[0].result.trace != nullptr);
  CHECK_FALSE(outcomes[1].passed);
  REQUIRE(outcomes[1].failures.size() == 1);
  CHECK(outcomes[1].failures[0] == "line 3: expected decision `license_required`, got `no_license_required`");
  CHECK_FALSE(outcomes[2].passed);
  CHECK_FALSE(outcomes[2].evaluated);
  CHECK(outcomes[4].passed);
  CHECK(outcomes[5].name == "csv, quoted name");
  CHECK(outcomes[5].passed);
  CHECK_FALSE(outcomes[6].passed);
  CHECK(outcomes[6].failures[0].find("the row has 2 cells, the header 5") != std::string::npos);

  options.filter = "csv";
  CHECK(edict::run_tests(*policy, options).size() == 3);

  const auto missing = edict::read_test_table("/nonexistent/cases.jsonl");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].error.find("cannot read") != std::string::npos);
}
