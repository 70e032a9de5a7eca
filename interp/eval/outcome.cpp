// Turning a lean Outcome (indices) into the public EvalResult (names, reasons, citations).
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/number.hpp"
#include "eval/value.hpp"

namespace edict::eval {

void show_value(const CompiledProgram& program, const Value& v, std::uint32_t enum_id, TraceValue& out) {
  using Kind = Value::Kind;
  out.shown.clear();
  switch (v.kind) {
    case Kind::kUnknown:
      out.kind = TraceValue::Kind::kUnknown;
      out.exact.clear();
      return;
    case Kind::kBool:
      out.kind = TraceValue::Kind::kBool;
      out.exact = v.boolean ? "true" : "false";
      return;
    case Kind::kNumber: {
      out.kind = TraceValue::Kind::kNumber;
      std::int64_t n = 0, d = 1;
      out.exact = v.number.as_fraction(n, d) ? core::format_decimal(n, d) : core::format_decimal(v.number.to_rational());
      const auto space = out.exact.find(' ');  // "2496/407 (≈6.132678)"
      if (space != std::string::npos) {
        out.shown = out.exact;
        out.exact.resize(space);
      }
      return;
    }
    case Kind::kString: out.kind = TraceValue::Kind::kString; out.exact = *v.string; return;
    case Kind::kDate:
      out.kind = TraceValue::Kind::kDate;
      out.exact = Date::from_days(v.integer).to_string();
      return;
    case Kind::kEnum:
      out.kind = TraceValue::Kind::kEnum;
      if (enum_id < program.enums.size()) {
        out.exact = program.enums[enum_id].codes[static_cast<std::size_t>(v.integer)];
      } else {
        out.exact = fmt::format("#{}", v.integer);
      }
      return;
  }
}

TraceValue shown_value(const CompiledProgram& program, const Value& v, std::uint32_t enum_id) {
  TraceValue out;
  show_value(program, v, enum_id, out);
  return out;
}

std::string output_type_name(const CompiledProgram& program, const ir::Output& output) {
  switch (output.type.type) {
    case ir::Type::kNumber: return output.integer ? "integer" : "decimal";
    case ir::Type::kDate: return "date";
    case ir::Type::kString: return "string";
    case ir::Type::kBool: return "bool";
    case ir::Type::kEnum: return output.type.enum_id < program.enums.size() ? program.enums[output.type.enum_id].name : "enum";
    case ir::Type::kSet: break;
  }
  return "set";
}

void to_result(const CompiledProgram& program, const Outcome& outcome, EvalResult& result) {
  result.decision = outcome.decision == ir::kNone ? "indeterminate" : program.outcomes[outcome.decision];
  for (const auto l : outcome.classifications) result.classifications.push_back(program.labels[l]);
  std::sort(result.classifications.begin(), result.classifications.end());
  // Reasons in evaluation order: a rule's own when no exemption changed it, else its exemptions' (once).
  std::set<std::uint32_t> exemption_reasons_given;
  for (std::size_t i = 0; i < outcome.deciding.size(); ++i) {
    const auto& rule = outcome.deciding[i];
    result.deciding_rules.push_back(program.entities[rule.entity].name);
    result.citations.push_back(rule.version->citation);
    if (!outcome.deciding_exempted[i] && !rule.version->reason.empty()) {
      result.reasons.push_back(rule.version->reason);
    }
  }
  for (const auto& e : outcome.exemptions) {
    result.exemptions.push_back(program.entities[e.entity].name);
    result.citations.push_back(e.version->citation);
    if (!e.version->reason.empty() && exemption_reasons_given.insert(e.entity).second) {
      result.reasons.push_back(e.version->reason);
    }
  }
  std::sort(result.deciding_rules.begin(), result.deciding_rules.end());
  std::sort(result.exemptions.begin(), result.exemptions.end());
  std::sort(result.citations.begin(), result.citations.end());
  result.citations.erase(std::unique(result.citations.begin(), result.citations.end()), result.citations.end());
  std::set<std::string> missing;
  for (const auto id : outcome.missing) missing.insert(missing_name(program, id));
  result.indeterminate_facts.assign(missing.begin(), missing.end());
  for (const auto e : outcome.indeterminate) result.indeterminate_rules.push_back(program.entities[e].name);
  std::sort(result.indeterminate_rules.begin(), result.indeterminate_rules.end());
  for (const auto& [rule, exemptions] : outcome.conflicts) {
    ExemptionConflict conflict;
    conflict.rule = program.entities[rule].name;
    for (const auto e : exemptions) conflict.exemptions.push_back(program.entities[e].name);
    result.conflicts.push_back(std::move(conflict));
  }
  to_values(program, outcome, result.values);
  to_obligations(program, outcome, result.obligations);
}

void to_obligations(const CompiledProgram& program, const Outcome& outcome, std::vector<Obligation>& obligations) {
  obligations.resize(outcome.obligations.size());
  for (std::size_t i = 0; i < outcome.obligations.size(); ++i) {
    const auto& o = outcome.obligations[i];
    const auto& declared = o.version->obligations[o.index];
    auto& out = obligations[i];
    out.name.assign(declared.name);
    out.citation.assign(declared.citation);
    out.by.assign(program.entities[o.entity].name);
    out.possible = o.possible;
    out.due.clear();
    if (o.due.known()) {
      out.due.assign(Date::from_days(o.due.integer).to_string());
    } else if (declared.due != ir::kNone) {
      out.due.assign("indeterminate");
    }
  }
}

// Fills `values` in place: a reused vector keeps its strings' storage, so that a warmed-up session or batch
// writer does not allocate per decision (tests/alloc).
bool same_values(const Outcome& a, const Outcome& b) {
  if (a.values.size() != b.values.size()) return false;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    const auto& v = a.values[i];
    const auto& w = b.values[i];
    if (v.state != w.state) return false;
    if (v.state != OutputValue::State::kSet) continue;
    if (v.value.kind != w.value.kind || compare_values(v.value, w.value) != 0) return false;
  }
  return true;
}

void to_values(const CompiledProgram& program, const Outcome& outcome, std::vector<OutputValue>& values) {
  const std::size_t count = std::min(outcome.values.size(), program.outputs.size());
  values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& o = outcome.values[i];
    const auto& output = program.outputs[i];
    auto& v = values[i];
    v.name.assign(output.name);
    v.type.assign(output_type_name(program, output));
    v.state = o.state;
    v.value.clear();
    if (o.state == OutputValue::State::kSet) v.value.assign(shown_value(program, o.value, output.type.enum_id).exact);
    v.by.resize(o.by_count);
    for (std::uint32_t k = 0; k < o.by_count; ++k) v.by[k].assign(program.entities[outcome.value_by[o.first_by + k]].name);
  }
}

}  // namespace edict::eval
