// The library's own access to what the public API keeps opaque: the compiled program of a Policy, and the
// lean outcome of a Session's last call. For the tools built on the API (batch, diff, coverage, witness,
// the IR dump); hosts never see these types.
#pragma once

#include <memory>

#include "edict/policy.hpp"
#include "eval/value.hpp"
#include "ir/program.hpp"

namespace edict {

struct Policy::Compiled {
  std::shared_ptr<const CompiledProgram> program;
};

namespace detail {

struct Internals {
  static std::shared_ptr<const Policy> make_policy(std::shared_ptr<const CompiledProgram> program);
  static const CompiledProgram& program(const Policy& policy) { return *policy.compiled_->program; }
  static const std::shared_ptr<const CompiledProgram>& shared_program(const Policy& policy) {
    return policy.compiled_->program;
  }
  // The session's program, and the outcome of its last decide() or evaluate(); valid until its next call.
  // Meaningful only when that call's facts were bound (Decision::ok).
  static const CompiledProgram& program(const Session& session);
  static const eval::Outcome& outcome(const Session& session);
  // The inside of a prepared-facts frame (api/fact_frame_state.hpp).
  static api::FrameState& state(const FactFrame& frame) { return *frame.state_; }
};

}  // namespace detail

// Shorthand for the tools: the compiled program of a policy.
inline const CompiledProgram& program_of(const Policy& policy) { return detail::Internals::program(policy); }

}  // namespace edict
