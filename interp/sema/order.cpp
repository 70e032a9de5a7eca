// Checking, part 4: the evaluation order of rules (every classification complete before it is tested),
// rule cycles, and exemptions that may conflict.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sema/checker.hpp"
#include "sema/labels.hpp"

namespace edict::sema {


void Checker::order_rules() {
  auto& program = *program_;
  const auto count = static_cast<std::uint32_t>(program.entities.size());
  // depends[e] = rules that must run before rule e; via[e][d] = the label that links them.
  std::vector<std::vector<std::uint32_t>> depends(count);
  std::vector<std::vector<std::uint32_t>> via(count);
  LabelCollector collector(program);
  for (std::uint32_t e = 0; e < count; ++e) {
    if (program.entities[e].exemption) continue;
    for (const auto& version : program.entities[e].versions) {
      for (const auto label : collector.collect(version.condition)) {
        for (const auto rule : program.label_rules[label]) {
          if (std::find(depends[e].begin(), depends[e].end(), rule) != depends[e].end()) continue;
          depends[e].push_back(rule);
          via[e].push_back(label);
        }
      }
    }
  }
  // Kahn's algorithm, stable: among ready rules the earliest declared goes first.
  std::vector<std::uint32_t> pending(count, 0);
  std::vector<std::vector<std::uint32_t>> dependents(count);
  for (std::uint32_t e = 0; e < count; ++e) {
    pending[e] = static_cast<std::uint32_t>(depends[e].size());
    for (const auto d : depends[e]) dependents[d].push_back(e);
  }
  std::set<std::uint32_t> ready;
  for (std::uint32_t e = 0; e < count; ++e) {
    if (!program.entities[e].exemption && pending[e] == 0) ready.insert(e);
  }
  std::vector<bool> done(count, false);
  while (!ready.empty()) {
    const auto e = *ready.begin();
    ready.erase(ready.begin());
    done[e] = true;
    program.order.push_back(e);
    for (const auto d : dependents[e]) {
      if (--pending[d] == 0) ready.insert(d);
    }
  }
  for (std::uint32_t start = 0; start < count; ++start) {
    if (program.entities[start].exemption || done[start]) continue;
    // Walk back along unfinished dependencies until a rule repeats: that is a cycle.
    std::vector<std::uint32_t> path{start};
    std::vector<std::uint32_t> labels;
    std::uint32_t at = start;
    while (true) {
      std::uint32_t next = ir::kNone, label = ir::kNone;
      for (std::size_t i = 0; i < depends[at].size(); ++i) {
        if (!done[depends[at][i]]) {
          next = depends[at][i];
          label = via[at][i];
          break;
        }
      }
      if (next == ir::kNone) break;
      labels.push_back(label);
      const auto seen = std::find(path.begin(), path.end(), next);
      if (seen != path.end()) {
        std::string text;
        for (auto i = static_cast<std::size_t>(seen - path.begin()); i < path.size(); ++i) {
          text += fmt::format("`{}` tests `classified \"{}\"` -> ", program.entities[path[i]].name,
                              program.labels[labels[i]]);
        }
        text += fmt::format("`{}`", program.entities[next].name);
        error(program.entities[next].span, "rule-cycle",
              fmt::format("rule `{}` depends on its own classification", program.entities[next].name), text);
        for (const auto p : path) done[p] = true;
        break;
      }
      path.push_back(next);
      at = next;
    }
    for (const auto p : path) done[p] = true;
  }
}

namespace {

// For every entity, the exemptions that override it in some version: sorted, without duplicates.
std::vector<std::vector<std::uint32_t>> overridden_by(const CompiledProgram& program) {
  std::vector<std::vector<std::uint32_t>> by(program.entities.size());
  for (std::uint32_t e = 0; e < program.entities.size(); ++e) {
    if (!program.entities[e].exemption) continue;
    for (const auto& v : program.entities[e].versions) {
      for (const std::uint32_t target : v.overrides) {
        auto& list = by[target];
        if (list.empty() || list.back() != e) list.push_back(e);  // e ascends: sorted, unique per e
      }
    }
  }
  return by;
}

}  // namespace

// Candidates of a rule: the exemptions that override it, or override one of its candidates (transitively).
// Linear in the override edges (a search over the reverse edges), not in rules times entities.
void Checker::collect_exemption_candidates() {
  auto& program = *program_;
  const auto count = static_cast<std::uint32_t>(program.entities.size());
  const auto by = overridden_by(program);
  program.exemption_candidates.assign(count, {});
  std::vector<std::uint32_t> seen(count, UINT32_MAX);  // the rule whose search last reached the exemption
  for (std::uint32_t rule = 0; rule < count; ++rule) {
    if (program.entities[rule].exemption || by[rule].empty()) continue;
    auto& candidates = program.exemption_candidates[rule];
    std::vector<std::uint32_t> stack{rule};
    while (!stack.empty()) {
      const std::uint32_t target = stack.back();
      stack.pop_back();
      for (const std::uint32_t e : by[target]) {
        if (seen[e] == rule) continue;
        seen[e] = rule;
        candidates.push_back(e);
        stack.push_back(e);
      }
    }
    std::sort(candidates.begin(), candidates.end());
  }
}

void Checker::warn_possible_conflicts() {
  const auto& program = *program_;
  const auto overrides = [&](std::uint32_t a, std::uint32_t b) {
    for (const auto& v : program.entities[a].versions) {
      if (std::find(v.overrides.begin(), v.overrides.end(), b) != v.overrides.end()) return true;
    }
    return false;
  };
  const auto by = overridden_by(program);
  for (std::uint32_t rule = 0; rule < program.entities.size(); ++rule) {
    if (program.entities[rule].exemption) continue;
    const std::vector<std::uint32_t>& exemptions = by[rule];  // ascending, as the former scan of all entities
    for (std::size_t i = 0; i < exemptions.size(); ++i) {
      for (std::size_t j = i + 1; j < exemptions.size(); ++j) {
        const auto a = exemptions[i], b = exemptions[j];
        if (overrides(a, b) || overrides(b, a)) continue;
        if (program.entities[a].versions.back().outcome == program.entities[b].versions.back().outcome) continue;
        warning(program.entities[b].span, "possible-exemption-conflict",
                fmt::format("exemptions `{}` and `{}` both override `{}` with different outcomes",
                            program.entities[a].name, program.entities[b].name, program.entities[rule].name),
                fmt::format("if both apply the decision is indeterminate; add `overrides {}` to the narrower one",
                            program.entities[a].name));
      }
    }
  }
}

}  // namespace edict::sema
