// Boundary witnesses: where two compiled policies (or one policy read at two rulebook dates) disagree,
// found from the policies alone, without a corpus (`edict diff OLD NEW --witnesses`).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "edict/export.h"
#include "edict/policy.hpp"

namespace edict {

struct EDICT_API WitnessOptions {
  std::optional<Date> old_rules_as_of;  // read OLD as published on this date (absent: latest)
  std::optional<Date> new_rules_as_of;  // read NEW as published on this date (absent: latest)
  // The transaction dates to explore. Empty: every effective date of either policy, the day before each,
  // and one date after the last.
  std::vector<Date> as_of_dates;
  std::size_t max_evaluations = 2'000'000;  // a bound on the search; the result says when it was hit
};

// One region of disagreement, with a concrete minimal case at its boundary.
struct EDICT_API Witness {
  std::string region;       // human description: the conditions that define the region
  std::vector<std::string> cause;  // the rules / exemptions / thresholds / groups / parameters involved
  Facts facts;              // the concrete case
  Date as_of;
  EvalResult old_result;    // with trace
  EvalResult new_result;    // with trace
};

struct EDICT_API WitnessReport {
  std::vector<Witness> witnesses;  // deterministic order
  std::size_t evaluations = 0;     // candidate cases evaluated
  bool truncated = false;          // max_evaluations was reached
};

// Derives candidate values from every threshold (at, just below and just above each bound, at the bound's
// decimal precision, solving derived ratios for their facts), every group (a member of each cell of the
// groups' overlap and one outside all) and every effective date; evaluates both policies and reports each
// region where their decisions or classifications differ. Exact: boundaries are computed in exact decimals.
EDICT_API WitnessReport find_witnesses(const Policy& old_policy, const Policy& new_policy,
                                       const WitnessOptions& options);

// The witnesses as an `edict test` file: one `test` per witness expecting NEW's decision and classifications.
EDICT_API std::string witnesses_to_tests(const WitnessReport& report);

}  // namespace edict
