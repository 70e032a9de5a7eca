// A `test` declaration of a policy, ready to run (run_tests in testing.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edict/export.h"
#include "edict/date.hpp"
#include "edict/facts.hpp"

namespace edict {

struct EDICT_API PolicyTest {
  struct Expectation {
    enum class Kind : std::uint8_t { kDecision, kClassifications, kClassified, kNotClassified, kDeciding,
                                     kExemption, kMissing,
                                     kValue,        // values = {output, expected value} or {output, "", state}
                                                    // (state: unset, indeterminate or conflict)
                                     kObligation };  // values = {name}
    Kind kind = Kind::kDecision;
    std::vector<std::string> values;
    std::uint32_t line = 0;
  };
  std::string name;
  std::string file;
  std::uint32_t line = 0;
  std::optional<Date> as_of;
  std::optional<Date> rules_as_of;
  std::vector<std::string> fact_files;  // resolved paths, read in order, then `givens` override them
  Facts givens;
  std::vector<Expectation> expectations;
};

}  // namespace edict
