// Internal read access to a Session's state after decide(): the lean outcome (indices into the program),
// for renderers that need more than the public Decision (interp/batch/decision_json.cpp).
#pragma once

#include "edict/policy.hpp"
#include "eval/value.hpp"

namespace edict::detail {

struct SessionAccess {
  // The outcome of the session's last decide() or evaluate(); valid until its next call. Meaningful only when
  // that call's facts were bound (Decision::ok).
  static const eval::Outcome& outcome(const Session& session);
  static const CompiledProgram& program(const Session& session);
};

}  // namespace edict::detail
