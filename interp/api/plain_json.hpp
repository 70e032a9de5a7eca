// The fast way from JSON text into a FactFrame (issue 18): a facts object, or a batch case line, read straight
// into the frame's slots, without building Facts entries and binding them by path.
//
// It only takes *plain* input: every member a declared fact (or an object on the way to one), each once;
// ASCII strings without escapes; numbers without an exponent; no arrays; values that fit their facts. On
// anything else it returns false, having changed nothing the caller keeps, and the caller takes the general
// path (Facts::assign_json and bind), which gives every error and warning with its message. So the two paths
// agree by construction: this one never decides anything the general one would decide differently, and each
// value goes through the one conversion (eval::convert).
#pragma once

#include <string_view>

#include "api/fact_frame_state.hpp"
#include "core/case_line.hpp"

namespace edict::api {

// Reads a facts object into `frame` (cleared first). False when the text is not plain (the frame is then in
// no particular state: the caller refills it by the general path).
bool read_plain_facts(FrameState& frame, std::string_view json);

// Reads a case line ({"id", "facts", "as_of", "rules_as_of"}, core/case_line.hpp): the facts into `frame`,
// the other fields into `fields` (id_json, as_of, rules_as_of; problem cleared). False when it is not plain.
bool read_plain_case(FrameState& frame, std::string_view json, core::CaseLine& fields);

}  // namespace edict::api
