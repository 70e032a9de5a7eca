// The test runner behind `edict test`: runs a policy's `test` declarations and table-driven cases (JSONL or
// CSV files, one case a row).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "edict/export.h"
#include "edict/coverage.hpp"
#include "edict/policy.hpp"

namespace edict {

struct EDICT_API TestOutcome {
  std::string name;
  std::string file;
  std::uint32_t line = 0;
  bool passed = false;
  std::vector<std::string> failures;  // "expected decision `notify`, got `license_required`"
  EvalResult result;                  // with trace (default-constructed when the case could not be run)
  bool evaluated = false;             // false: bad row, unreadable facts, no as_of (see failures)
};

// One case of a table file. A row that cannot be read becomes a case with `error` set: it fails with that
// message when run.
struct EDICT_API TableCase {
  PolicyTest test;
  std::string error;
};

// Reads a `.jsonl` or a `.csv` table (see README "edict test") of at most Limits::table_bytes. Paths in it
// are relative to the table file and may not leave `root` (empty: the table's directory), under the import
// rules (grammar/LANGUAGE.md section 8): such a row fails with the reason. A file that cannot be read gives
// one case with an error. Never throws.
EDICT_API std::vector<TableCase> read_test_table(const std::string& path, const std::string& root = {},
                                       const Limits& limits = {});

struct EDICT_API TestRunOptions {
  std::string filter;               // substring of the test name; empty = all
  std::vector<std::string> tables;  // .jsonl / .csv files, run after the policy's own tests
  std::string root;                 // the directory tables' facts files may not leave; empty: each table's own
};

// Runs the tests; reads fact files from disk. Never throws for bad tests (they fail with a message).
EDICT_API std::vector<TestOutcome> run_tests(const Policy& policy, const TestRunOptions& options = {});

}  // namespace edict
