// Small questions about the compiled form, answered the same way by the evaluator, the witness search and
// coverage: the version a rulebook reads, membership under dated events, comparison operators, constants,
// source text of a span.
#pragma once

#include <string>
#include <vector>

#include "ir/program.hpp"

namespace edict::ir {

// The version of `entity` in the rulebook published as of `rules_as_of` (null: not in that rulebook).
const RuleVersion* visible_version(const Entity& entity, Date rules_as_of);

// Membership of one element under its dated events: the last event visible in the rulebook (known_from <=
// rules_as_of) and in force (from <= as_of) wins; among events of the same date, the later declared.
bool member_as_of(const std::vector<MembershipEvent>& events, Date as_of, Date rules_as_of);

// Whether `a op b` holds, given c = -1, 0 or 1 for a < b, a == b, a > b. Inline: every comparison the
// evaluator makes ends here.
inline bool holds(syntax::CompareOp op, int c) {
  switch (op) {
    case syntax::CompareOp::kEq: return c == 0;
    case syntax::CompareOp::kNe: return c != 0;
    case syntax::CompareOp::kLt: return c < 0;
    case syntax::CompareOp::kLe: return c <= 0;
    case syntax::CompareOp::kGt: return c > 0;
    case syntax::CompareOp::kGe: return c >= 0;
  }
  return false;
}

// "==", "!=", "<", "<=", ">", ">=".
const char* compare_symbol(syntax::CompareOp op);

// A literal of any type.
bool is_constant(Op op);

// Fills program.enum_set_cache_of and enum_set_cache_words from the nodes (once, when compiling).
void index_enum_sets(CompiledProgram& program);

// Marks the string facts that `matches` compares (FactSlot::matched), directly or through definitions (once,
// when compiling): the bound facts keep their normalised names (BoundFacts::name_key), computed once per value
// given rather than by every decision.
void index_name_facts(CompiledProgram& program);

// The source text of a span on one line, runs of whitespace as single spaces.
std::string span_text(const std::vector<SourceFile>& sources, syntax::Span span);

}  // namespace edict::ir
