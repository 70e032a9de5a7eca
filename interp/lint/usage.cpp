// Declarations nothing uses: facts, definitions, groups, parameters and tiers that no rule or exemption
// (in any version) reads, directly or through the names it uses. A fact counts as used also when only a
// declaration reads it (a definition nobody uses is reported once, not once more for each of its facts),
// or when it is another fact's default. Standard-library modules and set literals are never reported.
#include <fmt/format.h>

#include "ir/walk.hpp"
#include "lint/lint.hpp"

namespace edict::linter {

namespace {

struct Used {
  std::vector<bool> facts, definitions, groups, parameters, tiers;
  std::vector<bool> seen;  // nodes
};

void mark(const CompiledProgram& p, std::uint32_t index, Used& u) {
  if (index == kNone || u.seen[index]) return;
  u.seen[index] = true;
  const auto& n = p.nodes[index];
  switch (n.op) {
    case ir::Op::kFact: case ir::Op::kPresent: u.facts[n.a] = true; break;
    case ir::Op::kDefinition: u.definitions[n.a] = true; break;
    case ir::Op::kParameter: u.parameters[n.a] = true; break;
    case ir::Op::kTier: u.tiers[n.a] = true; break;
    case ir::Op::kSetGroup: u.groups[n.a] = true; break;
    default: break;
  }
  ir::for_each_child(p, n, ir::kNames, [&](std::uint32_t kid) { mark(p, kid, u); });
}

}  // namespace

void check_usage(Context& cx, std::vector<Finding>& out) {
  const auto& p = cx.p;
  Used u{std::vector<bool>(p.facts.size()), std::vector<bool>(p.definitions.size()),
         std::vector<bool>(p.groups.size()), std::vector<bool>(p.parameters.size()),
         std::vector<bool>(p.tiers.size()), std::vector<bool>(p.nodes.size())};
  for (const auto& e : p.entities) {
    for (const auto& v : e.versions) {
      mark(p, v.condition, u);
      for (const auto& set : v.sets) mark(p, set.node, u);  // the values a rule gives
    }
  }
  for (const auto& o : p.outputs) mark(p, o.default_node, u);
  // What the rules use is settled; facts read only by declarations still count as used.
  Used names = u;
  for (const auto& d : p.definitions) mark(p, d.node, names);
  for (const auto& t : p.tiers) {
    for (const auto& c : t.cases) mark(p, c.condition, names);
  }
  for (const auto& f : p.facts) mark(p, f.default_node, names);
  const auto report = [&](const char* code, const char* what, const std::string& name, syntax::Span span,
                          const char* help) {
    if (!cx.own_file(span.file)) return;
    out.push_back({code, fmt::format("{} `{}` is never used", what, name), help, span});
  };
  for (std::size_t i = 0; i < p.facts.size(); ++i) {
    if (!names.facts[i]) {
      report("unused-fact", "fact", p.facts[i].path, p.facts[i].span,
             "no rule, exemption or declaration reads it (facts files may still give it: they are not an error)");
    }
  }
  for (std::size_t i = 0; i < p.definitions.size(); ++i) {
    if (!u.definitions[i]) {
      report("unused-definition", "definition", p.definitions[i].name, p.definitions[i].span,
             "no rule or exemption reads it, directly or through another name");
    }
  }
  for (std::size_t i = 0; i < p.groups.size(); ++i) {
    if (!u.groups[i] && p.groups[i].name.rfind('{', 0) != 0) {
      report("unused-group", "group", p.groups[i].name, p.groups[i].span,
             "no rule or exemption tests membership in it, directly or through another name");
    }
  }
  for (std::size_t i = 0; i < p.parameters.size(); ++i) {
    if (!u.parameters[i]) {
      report("unused-parameter", "parameter", p.parameters[i].name, p.parameters[i].span,
             "no rule or exemption reads it, directly or through another name");
    }
  }
  for (std::size_t i = 0; i < p.tiers.size(); ++i) {
    if (!u.tiers[i]) {
      report("unused-tier", "tier", p.tiers[i].name, p.tiers[i].span,
             "no rule or exemption reads it, directly or through another name");
    }
  }
}

}  // namespace edict::linter
