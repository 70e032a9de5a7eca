// Turning a lean Outcome (indices) into the public EvalResult (names, reasons, citations).
#include <algorithm>
#include <set>

#include "eval/value.hpp"

namespace edict::eval {

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
}

}  // namespace edict::eval
