// The inside of a FactFrame (edict/fact_frame.hpp): facts already bound to the program's schema, as bind()
// leaves them, so that Session::decide(frame) goes straight to the evaluator.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "edict/fact_frame.hpp"
#include "eval/value.hpp"
#include "ir/program.hpp"

namespace edict {

namespace api {

// Not part of the exported FactFrame class, so that none of it is exported from the shared library.
struct FrameState {
  explicit FrameState(std::shared_ptr<const CompiledProgram> p);

  // The bound facts with their defaults filled: what the evaluator reads. Defaults are filled here, once per
  // decision after a change, rather than by every setter.
  const eval::BoundFacts& bound();
  // Converts `raw` into the fact's slot (FactFrame's setters).
  bool put(FactRef fact, const eval::RawValue& raw);

  std::shared_ptr<const CompiledProgram> program;
  eval::BoundFacts facts;
  std::vector<std::string> errors;
  std::vector<std::uint32_t> defaulted_slots;  // the facts with a `default`
  bool defaults_stale = true;
};

}  // namespace api

}  // namespace edict
