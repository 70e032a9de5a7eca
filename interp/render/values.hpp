// A result's output values and obligations as JSON (render_json and the batch writer, batch/decision_json.cpp,
// which must give the same bytes) and as text (render_text and the explanation).
#pragma once

#include <string>
#include <vector>

#include "edict/result.hpp"

namespace edict {

// `,"values":{"NAME":VALUE,...},"value_sources":{"NAME":{"state":S,"by":[...]},...}`, nothing when there are
// no outputs. VALUE: a number or a date as an exact string, a string, true / false, or null when the output
// is unset, indeterminate or in conflict; S: "set", "unset", "indeterminate" or "conflict". `quoted_names`,
// when given, holds each output's name already as a JSON string (a batch quotes them once).
void append_values_json(std::string& out, const std::vector<OutputValue>& values,
                        const std::vector<std::string>* quoted_names = nullptr);

// `,"obligations":[{"name","due","citation","by","possible"?},...]` (due null when it has no date; possible:
// true only when the rule or exemption that gives it was indeterminate), nothing when empty.
void append_obligations_json(std::string& out, const std::vector<Obligation>& obligations);

// The text lines of a result's values (unset ones left out) and obligations, for render_text and the
// explanation: "value duty_rate: 50  (by semis)", "obligation: Notify BIS, due 2024-05-07 (by NAC; 15 CFR ...)".
std::string values_text(const EvalResult& result);

// "set", "unset", "indeterminate", "conflict".
const char* value_state_name(OutputValue::State state);

// The value when it is set ("25", "2024-05-07"), else its state ("unset", "indeterminate", "conflict"): how a
// diff and a failed test show a value.
std::string value_or_state(const OutputValue& value);

// "; value duty_rate 25 -> 50" for each output whose value or state differs between two results of one
// policy or of two versions (matched by position; an output one side lacks shows as "(no output)"), "" when
// none does: how a diff and the witness search tell and show a changed value. With `states_only`, each side
// shows its state ("; value fee set -> set"): what the witness search groups regions by, so that a value
// computed from the date (a deadline) does not split a region per date.
std::string value_changes(const std::vector<OutputValue>& old_values, const std::vector<OutputValue>& new_values,
                          bool states_only = false);

}  // namespace edict
