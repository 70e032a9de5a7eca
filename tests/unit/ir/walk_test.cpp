// ir::for_each_child: the operands of each operator, and the names followed only when asked.
#include <catch2/catch.hpp>

#include <vector>

#include "ir/walk.hpp"

using edict::CompiledProgram;
using namespace edict::ir;

namespace {

std::uint32_t add(CompiledProgram& p, Op op, std::uint32_t a = kNone, std::uint32_t b = kNone,
                  std::uint32_t c = kNone) {
  Node n;
  n.op = op;
  n.a = a;
  n.b = b;
  n.c = c;
  p.nodes.push_back(n);
  return static_cast<std::uint32_t>(p.nodes.size() - 1);
}

std::vector<std::uint32_t> children(const CompiledProgram& p, std::uint32_t node, unsigned follow) {
  std::vector<std::uint32_t> out;
  for_each_child(p, p.nodes[node], follow, [&](std::uint32_t kid) { out.push_back(kid); });
  return out;
}

}  // namespace

TEST_CASE("for_each_child visits operands in order and never kNone") {
  CompiledProgram p;
  const auto x = add(p, Op::kFact, 0);
  const auto y = add(p, Op::kConstNum, 0);
  const auto z = add(p, Op::kConstBool, 1);
  CHECK(children(p, x, kNames).empty());
  CHECK(children(p, add(p, Op::kNot, z), kOperands) == std::vector<std::uint32_t>{z});
  CHECK(children(p, add(p, Op::kAdd, x, y), kOperands) == std::vector<std::uint32_t>{x, y});
  CHECK(children(p, add(p, Op::kIf, z, x, y), kOperands) == std::vector<std::uint32_t>{z, x, y});
  CHECK(children(p, add(p, Op::kPresent, 0), kNames).empty());
  p.kid_list = {x, y, x};
  const auto cmp = add(p, Op::kCompare);
  p.nodes[cmp].first_kid = 0;
  p.nodes[cmp].kid_count = 3;
  CHECK(children(p, cmp, kOperands) == std::vector<std::uint32_t>{x, y, x});
}

TEST_CASE("for_each_child follows names only when asked") {
  CompiledProgram p;
  const auto x = add(p, Op::kFact, 0);
  const auto y = add(p, Op::kConstNum, 0);
  p.definitions.push_back({"d", x, {}});
  p.tiers.push_back({"t", {{0, x}, {1, y}}, 2, {}, {}});
  p.parameters.push_back({"p", {}, {{{}, {}, {}, y}, {{}, {}, {}, kNone}}, {}});
  p.groups.push_back({});
  p.groups.push_back({});
  p.groups[1].definition = y;
  const auto def = add(p, Op::kDefinition, 0);
  const auto tier = add(p, Op::kTier, 0);
  const auto param = add(p, Op::kParameter, 0);
  const auto plain_group = add(p, Op::kSetGroup, 0);
  const auto defined_group = add(p, Op::kSetGroup, 1);
  for (const auto name : {def, tier, param, defined_group}) CHECK(children(p, name, kOperands).empty());
  CHECK(children(p, def, kDefinitions) == std::vector<std::uint32_t>{x});
  CHECK(children(p, def, kTiers).empty());
  CHECK(children(p, tier, kTiers) == std::vector<std::uint32_t>{x, y});
  CHECK(children(p, param, kParameters) == std::vector<std::uint32_t>{y});
  CHECK(children(p, plain_group, kGroups).empty());
  CHECK(children(p, defined_group, kNames) == std::vector<std::uint32_t>{y});
  CHECK(children(p, add(p, Op::kSetUnion, plain_group, defined_group), kOperands) ==
        std::vector<std::uint32_t>{plain_group, defined_group});
}
