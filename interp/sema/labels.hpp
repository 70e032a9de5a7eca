// The classification labels a condition tests (`classified "3A090.a"`), for the order of rules (order.cpp)
// and the `rules testing classified` selector of `overrides` (overrides.cpp).
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "ir/program.hpp"
#include "ir/walk.hpp"

namespace edict::sema {

// Collects the classification labels a node tests, following definitions, tiers, parameters and groups.
class LabelCollector {
 public:
  explicit LabelCollector(const CompiledProgram& program) : program_(program) {}

  std::set<std::uint32_t> collect(std::uint32_t root) {
    labels_.clear();
    seen_.assign(program_.nodes.size(), false);
    std::vector<std::uint32_t> stack;
    if (root != ir::kNone) stack.push_back(root);
    while (!stack.empty()) {
      const auto n = stack.back();
      stack.pop_back();
      if (n == ir::kNone || seen_[n]) continue;
      seen_[n] = true;
      const auto& node = program_.nodes[n];
      if (node.op == ir::Op::kClassified) labels_.insert(node.a);
      ir::for_each_child(program_, node, ir::kNames, [&](std::uint32_t kid) { stack.push_back(kid); });
    }
    return labels_;
  }

 private:
  const CompiledProgram& program_;
  std::set<std::uint32_t> labels_;
  std::vector<bool> seen_;
};

}  // namespace edict::sema
