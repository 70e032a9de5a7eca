// The test runner behind `edict test`: runs a policy's `test` declarations.
#pragma once

#include <string>
#include <vector>

#include "policy.hpp"

namespace edict {

struct TestOutcome {
  std::string name;
  std::string file;
  std::uint32_t line = 0;
  bool passed = false;
  std::vector<std::string> failures;  // "expected decision `notify`, got `license_required`"
  EvalResult result;                  // with trace
};

struct TestRunOptions {
  std::string filter;  // substring of the test name; empty = all
};

// Runs the tests; reads fact files from disk. Never throws for bad tests (they fail with a message).
std::vector<TestOutcome> run_tests(const Policy& policy, const TestRunOptions& options = {});

}  // namespace edict
