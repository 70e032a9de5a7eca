// The EAR benchmark cases (2024-06-01, latest rulebook): facts built in code, the same facts as JSON text,
// and the baseline's pre-packed form; plus the agreement check between interpreter and baseline.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ear_baseline.hpp"
#include "edict/edict.hpp"

namespace bench {

struct EarCase {
  std::string label;
  std::string json;  // one line
  edict::Facts facts;
  PackedFacts packed;
};

const std::vector<EarCase>& ear_cases();
edict::EvalOptions ear_options(bool trace);  // as_of 2024-06-01, rules_as_of latest
std::shared_ptr<const edict::Policy> load_ear_pack();  // compile_path(EDICT_SOURCE_DIR "/policies/ear"); aborts on error
const EarBaseline& ear_baseline();
// Evaluates every case with the interpreter and the baseline; aborts with a message on any disagreement.
void check_agreement(const edict::Policy& policy);

}  // namespace bench
