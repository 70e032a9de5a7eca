// What a rulebook shows as of a date (LANGUAGE.md 2.7, 2.11): the parameter step in force (the version of a
// rule or exemption a rulebook reads: ir::visible_version). The evaluator and the analyses (witness search)
// answer these questions only here.
#pragma once

#include "edict/date.hpp"
#include "ir/program.hpp"

namespace edict::eval {

// Whether a parameter step is in the rulebook published as of `rules_as_of`.
bool step_visible(const ir::ParameterStep& step, Date rules_as_of);

// The step of `parameter` in force on `as_of` in that rulebook: the latest `from` not after as_of; among
// steps of the same `from`, the one published last (null: no value yet).
const ir::ParameterStep* step_in_force(const ir::Parameter& parameter, Date as_of, Date rules_as_of);

}  // namespace edict::eval
