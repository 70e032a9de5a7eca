// The compiled program as a documented JSON document (`edict check POLICY --dump-ir`), for reference models
// and reviews. The format is described in tests/reference/IR.md.
#pragma once

#include <string>

#include "edict/export.h"

namespace edict {

class Policy;

// The compiled program of `policy` as JSON: outcomes, enumerations, facts, definitions, groups, parameters,
// tiers, rules and exemptions (every version, with its rulebook and effective windows), conditions as
// expression trees, and the policy's tests. Numbers are exact decimal or rational strings, never floats.
// Deterministic: the same policy always gives the same bytes. Ends with a newline.
EDICT_API std::string dump_ir_json(const Policy& policy);

}  // namespace edict
