// Rendering of results and traces: human text and JSON (stable schema, see README "Output").
#pragma once

#include <string>

#include "result.hpp"

namespace edict {

// The decision summary followed, when present, by the trace as an indented tree.
std::string render_text(const EvalResult& result);
// One JSON object (no trailing newline). Keys in a fixed order; includes "trace" when present.
std::string render_json(const EvalResult& result);

}  // namespace edict
