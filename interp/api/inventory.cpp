// Policy::inventory(): what a compiled policy declares, read off the compiled program into plain types.
#include "edict/inventory.hpp"

#include <algorithm>

#include "edict/policy.hpp"
#include "core/number.hpp"
#include "api/internals.hpp"

namespace edict {

namespace {

std::string type_name(const CompiledProgram& p, const ir::TypeInfo& type, bool integer) {
  switch (type.type) {
    case ir::Type::kBool: return "bool";
    case ir::Type::kNumber: return integer ? "integer" : "decimal";
    case ir::Type::kString: return type.names ? "names" : "string";
    case ir::Type::kDate: return "date";
    case ir::Type::kEnum: return type.enum_id < p.enums.size() ? p.enums[type.enum_id].name : "enum";
    case ir::Type::kSet: return "set";
  }
  return "unknown";
}

// A constant node as written in a policy ("4800", "CN", "2024-01-01", "true"); its source text otherwise.
std::string constant_text(const CompiledProgram& p, std::uint32_t index) {
  const auto& node = p.nodes[index];
  switch (node.op) {
    case ir::Op::kConstBool: return node.a != 0 ? "true" : "false";
    case ir::Op::kConstNum: return core::format_decimal(p.numbers[node.a]);
    case ir::Op::kConstStr: return p.strings[node.a];
    case ir::Op::kConstDate: return Date::from_days(static_cast<std::int32_t>(node.a)).to_string();
    case ir::Op::kConstEnum: return p.enums[node.type.enum_id].codes[node.a];
    case ir::Op::kFact: return p.facts[node.a].path;
    default: return node.text == ir::kNone ? std::string() : p.strings[node.text];
  }
}

FactInfo fact_info(const CompiledProgram& p, const ir::FactSlot& f) {
  FactInfo out;
  out.path = f.path;
  out.type = type_name(p, f.type, f.integer);
  out.description = f.doc;
  out.optional = f.optional;
  if (f.default_node != ir::kNone) {
    out.default_value = constant_text(p, f.default_node);
    out.default_is_fact = p.nodes[f.default_node].op == ir::Op::kFact;
  }
  if (f.type.type == ir::Type::kEnum && f.type.enum_id < p.enums.size()) out.allowed_values = p.enums[f.type.enum_id].codes;
  return out;
}

VersionInfo version_info(const CompiledProgram& p, const ir::RuleVersion& v) {
  VersionInfo out{v.from, v.until, v.known_from, v.known_until, v.title, v.citation, v.defined_by, {}, {}, v.reason, {}};
  if (v.outcome != ir::kNone) {
    (v.outcome_kind == ir::OutcomeKind::kClassify ? out.classifies : out.decides) =
        v.outcome_kind == ir::OutcomeKind::kClassify ? p.labels[v.outcome] : p.outcomes[v.outcome];
  }
  for (const auto e : v.overrides) out.overrides.push_back(p.entities[e].name);
  return out;
}

RuleInfo rule_info(const CompiledProgram& p, const ir::Entity& e) {
  RuleInfo out;
  out.name = e.name;
  out.exemption = e.exemption;
  for (const auto& v : e.versions) out.versions.push_back(version_info(p, v));
  if (e.span.file < p.sources.size()) {
    out.file = p.sources[e.span.file].path;
    const auto& starts = p.line_starts[e.span.file];  // byte offset of each line: a binary search
    out.line = static_cast<unsigned>(std::upper_bound(starts.begin(), starts.end(), e.span.begin) - starts.begin());
  }
  return out;
}

ParameterInfo parameter_info(const CompiledProgram& p, const ir::Parameter& param) {
  ParameterInfo out{param.name, type_name(p, param.type, false), {}};
  for (const auto& s : param.steps) {
    ParameterStepInfo step{s.from, s.known_from, s.known_until, std::nullopt};
    if (s.value != ir::kNone) step.value = constant_text(p, s.value);
    out.steps.push_back(std::move(step));
  }
  return out;
}

}  // namespace

PolicyInventory Policy::inventory() const {
  const auto& p = *compiled_->program;
  PolicyInventory out;
  out.title = p.policy_title;
  out.outcomes = p.outcomes;
  if (p.default_outcome < p.outcomes.size()) out.default_outcome = p.outcomes[p.default_outcome];
  out.classifications = p.labels;
  for (const auto& f : p.facts) out.facts.push_back(fact_info(p, f));
  for (const auto& d : p.definitions) out.definitions.push_back(d.name);
  for (const auto& g : p.groups) {
    if (g.name.empty() || g.name.front() == '{') continue;  // set literals compile to anonymous groups
    const auto element = g.element.type == ir::Type::kEnum ? type_name(p, g.element, false)
                                                            : std::string(g.element.names ? "names" : "string");
    out.groups.push_back({g.name, element, g.definition != ir::kNone});
  }
  for (const auto& param : p.parameters) out.parameters.push_back(parameter_info(p, param));
  for (const auto& t : p.tiers) out.tiers.push_back({t.name, t.labels});
  for (const auto& e : p.entities) out.rules.push_back(rule_info(p, e));
  return out;
}

}  // namespace edict
