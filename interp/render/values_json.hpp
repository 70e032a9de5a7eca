// The JSON of a result's output values, shared by render_json and the batch writer (batch/decision_json.cpp),
// which must give the same bytes.
#pragma once

#include <string>
#include <vector>

#include "edict/result.hpp"

namespace edict {

// `,"values":{"NAME":VALUE,...},"value_sources":{"NAME":{"state":S,"by":[...]},...}`, nothing when there are
// no outputs. VALUE: a number or a date as an exact string, a string, true / false, or null when the output
// is unset, indeterminate or in conflict; S: "set", "unset", "indeterminate" or "conflict".
void append_values_json(std::string& out, const std::vector<OutputValue>& values);

// "set", "unset", "indeterminate", "conflict".
const char* value_state_name(OutputValue::State state);

}  // namespace edict
