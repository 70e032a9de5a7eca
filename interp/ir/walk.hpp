// The one operand walk: which node ids a node reaches. Every pass that descends the compiled form (sema's
// checks, coverage, the witness search) asks here instead of switching over the operators itself.
#pragma once

#include "ir/program.hpp"

namespace edict::ir {

// What a walk follows besides operands. A name (definition, tier, parameter, group) is a leaf unless followed.
enum Follow : unsigned {
  kOperands = 0,           // the chain of a comparison; a, b and c of the other operators
  kDefinitions = 1u << 0,  // a definition's expression
  kTiers = 1u << 1,        // a tier's case conditions, in order
  kParameters = 1u << 2,   // a parameter's step values (`none` steps have none)
  kGroups = 1u << 3,       // a group's defining set expression (`= set_expr`), if any
  kNames = kDefinitions | kTiers | kParameters | kGroups,
};

// Calls visit(id) for each node `node` reaches, in order, never with kNone: its operands, and the nodes of
// the names `follow` selects. Constants, facts, `is present` and `classified` reach none.
template <class Visit>
void for_each_child(const CompiledProgram& p, const Node& node, unsigned follow, Visit&& visit) {
  const auto some = [&](std::uint32_t id) {
    if (id != kNone) visit(id);
  };
  switch (node.op) {
    case Op::kConstBool: case Op::kConstNum: case Op::kConstStr: case Op::kConstDate: case Op::kConstEnum:
    case Op::kFact: case Op::kClassified: case Op::kPresent: case Op::kAsOf:
      return;
    case Op::kDefinition:
      if (follow & kDefinitions) some(p.definitions[node.a].node);
      return;
    case Op::kParameter:
      if (follow & kParameters) {
        for (const auto& step : p.parameters[node.a].steps) some(step.value);
      }
      return;
    case Op::kTier:
      if (follow & kTiers) {
        for (const auto& c : p.tiers[node.a].cases) some(c.condition);
      }
      return;
    case Op::kSetGroup:
      if (follow & kGroups) some(p.groups[node.a].definition);
      return;
    case Op::kCompare:
      for (std::uint32_t i = 0; i < node.kid_count; ++i) some(p.kid_list[node.first_kid + i]);
      return;
    case Op::kNeg: case Op::kNot: case Op::kAnd: case Op::kOr: case Op::kAdd: case Op::kSub: case Op::kMul:
    case Op::kDiv: case Op::kIn: case Op::kMatches: case Op::kStartsWith: case Op::kIf: case Op::kSetUnion: case Op::kSetIntersect:
    case Op::kSetExcept: case Op::kAddDays: case Op::kDaysBetween:
      some(node.a);
      some(node.b);
      some(node.c);
      return;
  }
}

}  // namespace edict::ir
