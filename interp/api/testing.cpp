// The test runner: evaluates each `test` declaration and compares the result with its expectations.
#include "edict/testing.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace edict {

namespace {

std::string listed(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + ("`" + i + "`");
  return out.empty() ? "nothing" : out;
}

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return a == b;
}

bool contains(const std::vector<std::string>& items, const std::string& x) {
  return std::find(items.begin(), items.end(), x) != items.end();
}

// Reads the test's fact files, then applies its `given` values on top.
std::optional<Facts> gather_facts(const PolicyTest& test, std::string& error) {
  Facts facts;
  for (const auto& path : test.fact_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = fmt::format("cannot read fact file `{}`", path);
      return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string parse_error;
    auto parsed = Facts::from_json(text.str(), &parse_error, path);
    if (!parsed) {
      error = fmt::format("{}: {}", path, parse_error);
      return std::nullopt;
    }
    for (const auto& e : parsed->entries()) facts.set(e.path, e.value, e.source);
  }
  for (const auto& e : test.givens.entries()) facts.set(e.path, e.value, e.source);
  return facts;
}

void check(const PolicyTest::Expectation& e, const EvalResult& r, std::vector<std::string>& failures) {
  using K = PolicyTest::Expectation::Kind;
  const auto fail = [&](std::string message) { failures.push_back(fmt::format("line {}: {}", e.line, message)); };
  const std::string first = e.values.empty() ? std::string() : e.values[0];
  switch (e.kind) {
    case K::kDecision:
      if (r.decision != first) fail(fmt::format("expected decision `{}`, got `{}`", first, r.decision));
      break;
    case K::kClassifications:
      if (!same_set(e.values, r.classifications)) {
        fail(fmt::format("expected classifications {}, got {}", listed(e.values), listed(r.classifications)));
      }
      break;
    case K::kClassified:
      if (!contains(r.classifications, first)) {
        fail(fmt::format("expected classification `{}`, got {}", first, listed(r.classifications)));
      }
      break;
    case K::kNotClassified:
      if (contains(r.classifications, first)) fail(fmt::format("expected no classification `{}`", first));
      break;
    case K::kDeciding:
      if (!same_set(e.values, r.deciding_rules)) {
        fail(fmt::format("expected deciding rules {}, got {}", listed(e.values), listed(r.deciding_rules)));
      }
      break;
    case K::kExemption:
      if (!contains(r.exemptions, first)) {
        fail(fmt::format("expected exemption `{}`, got {}", first, listed(r.exemptions)));
      }
      break;
    case K::kMissing:
      for (const auto& v : e.values) {
        if (!contains(r.indeterminate_facts, v)) {
          fail(fmt::format("expected missing fact `{}`, got {}", v, listed(r.indeterminate_facts)));
        }
      }
      break;
  }
}

}  // namespace

std::vector<TestOutcome> run_tests(const Policy& policy, const TestRunOptions& options) {
  std::vector<TestOutcome> outcomes;
  for (const auto& test : policy.tests()) {
    if (!options.filter.empty() && test.name.find(options.filter) == std::string::npos) continue;
    TestOutcome outcome;
    outcome.name = test.name;
    outcome.file = test.file;
    outcome.line = test.line;
    std::string error;
    auto facts = gather_facts(test, error);
    if (!test.as_of) error = "the test has no `as_of` date";
    if (!facts || !test.as_of) {
      outcome.failures.push_back(error);
      outcomes.push_back(std::move(outcome));
      continue;
    }
    EvalOptions eval_options;
    eval_options.as_of = *test.as_of;
    eval_options.rules_as_of = test.rules_as_of;
    eval_options.trace = true;
    outcome.result = policy.evaluate(*facts, eval_options);
    if (!outcome.result.ok) {
      for (const auto& e : outcome.result.errors) outcome.failures.push_back("bad facts: " + e);
    } else {
      for (const auto& e : test.expectations) check(e, outcome.result, outcome.failures);
    }
    outcome.passed = outcome.failures.empty();
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace edict
