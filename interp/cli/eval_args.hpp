// The arguments of `edict eval`, shared by its one-evaluation path (eval_command.cpp) and its batch path
// (eval_batch.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/fact_settings.hpp"
#include "edict/edict.hpp"

namespace edict::cli {

struct EvalArgs {
  std::string policy;
  std::vector<std::string> fact_files;  // --facts FILE...
  std::vector<FactSetting> sets;        // --set PATH=VALUE..., applied in order
  std::optional<Date> as_of;
  std::optional<Date> rules_as_of;
  std::string format = "text";
  bool trace = false;
  std::string cases;                                            // --cases FILE: a batch
  std::string receipt;                                          // --receipt FILE
  std::size_t threads = 1;                                      // --threads N (batch only)
  std::size_t max_line_bytes = BatchOptions{}.max_line_bytes;  // --max-line-bytes N (batch only)
  bool line_buffered = false;                                   // --line-buffered (batch only)
  bool quiet = false;                                           // --quiet (batch only): no progress line
  bool explain = false;                                         // --explain
  std::optional<std::string> why_not;                           // --why-not OUTCOME
  std::vector<FactSetting> what_if;                             // --what-if PATH=VALUE...
  bool override_facts = false;                                  // --override
};

// `--cases`: the batch API (edict/batch.hpp) from the file or standard input to standard output, and with
// --receipt the records of the cases that evaluate.
int run_eval_batch(const Policy& policy, const EvalArgs& a);

}  // namespace edict::cli
