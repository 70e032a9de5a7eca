// The JSON result of an evaluation without trace, from a Session's lean outcome (see decision_json.hpp).
// Mirrors eval::to_result (which lists are sorted, which reasons and citations are given) and render_json.
#include "batch/decision_json.hpp"

#include <algorithm>

#include "api/internals.hpp"
#include "core/json_writer.hpp"
#include "render/values.hpp"

namespace edict::batch {

namespace {

using core::append_json_string;
using core::append_json_strings;

void append_key(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;
  out += "\":";
}

// `names` sorted (and with duplicates removed when `unique`), as a JSON list.
void append_sorted(std::string& out, std::vector<std::string_view>& names, bool unique = false) {
  std::sort(names.begin(), names.end());
  if (unique) names.erase(std::unique(names.begin(), names.end()), names.end());
  append_json_strings(out, names);
}

// Reasons in evaluation order: a deciding rule's own when no exemption changed it, then each exemption's
// (once per exemption), as eval::to_result gives them.
void append_reasons(std::string& out, const eval::Outcome& outcome, DecisionJsonScratch& scratch) {
  out += '[';
  bool first = true;
  const auto reason = [&](const std::string& text) {
    if (text.empty()) return;
    if (!first) out += ',';
    first = false;
    append_json_string(out, text);
  };
  for (std::size_t i = 0; i < outcome.deciding.size(); ++i) {
    if (!outcome.deciding_exempted[i]) reason(outcome.deciding[i].version->reason);
  }
  scratch.reason_given.clear();
  for (const auto& e : outcome.exemptions) {
    if (e.version->reason.empty()) continue;
    const auto& given = scratch.reason_given;
    if (std::find(given.begin(), given.end(), e.entity) != given.end()) continue;
    scratch.reason_given.push_back(e.entity);
    reason(e.version->reason);
  }
  out += ']';
}

void append_citations(std::string& out, const eval::Outcome& outcome, std::vector<std::string_view>& names) {
  names.clear();
  for (const auto& r : outcome.deciding) names.emplace_back(r.version->citation);
  for (const auto& e : outcome.exemptions) names.emplace_back(e.version->citation);
  append_sorted(out, names, true);
}

void append_missing(std::string& out, const CompiledProgram& program, const eval::Outcome& outcome,
                    std::vector<std::string>& missing) {
  missing.clear();
  for (const auto id : outcome.missing) missing.push_back(eval::missing_name(program, id));
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  append_json_strings(out, missing);
}

void append_entity_names(std::string& out, const CompiledProgram& program, const std::vector<std::uint32_t>& ids,
                         std::vector<std::string_view>& names) {
  names.clear();
  for (const auto id : ids) names.emplace_back(program.entities[id].name);
  append_sorted(out, names);
}

void append_conflicts(std::string& out, const CompiledProgram& program, const eval::Outcome& outcome) {
  out += '[';
  for (std::size_t i = 0; i < outcome.conflicts.size(); ++i) {
    const auto& [rule, exemptions] = outcome.conflicts[i];
    out += i ? ",{\"rule\":" : "{\"rule\":";
    append_json_string(out, program.entities[rule].name);
    out += ",\"exemptions\":[";
    for (std::size_t k = 0; k < exemptions.size(); ++k) {
      if (k) out += ',';
      append_json_string(out, program.entities[exemptions[k]].name);
    }
    out += "]}";
  }
  out += ']';
}

// The text of `date` (or "latest"), formatted again only when it differs from the last one.
const std::string& date_text(const std::optional<Date>& date, std::optional<Date>& last, std::string& text) {
  if (last != date || text.empty()) {
    text = date ? date->to_string() : std::string("latest");  // 10 characters: no heap allocation
    last = date;
  }
  return text;
}

void append_dates(std::string& out, const EvalOptions& options, const CompiledProgram& program,
                  DecisionJsonScratch& scratch) {
  out += ",\"as_of\":\"";
  out += date_text(options.as_of, scratch.as_of, scratch.as_of_text);  // set (checked by Session::decide)
  out += "\",\"rules_as_of\":\"";
  out += date_text(options.rules_as_of, scratch.rules_as_of, scratch.rules_as_of_text);
  out += "\",\"policy_digest\":\"";
  out += program.digest;
  out += '"';
}

}  // namespace

void append_decision_json(std::string& out, const Session& session, const Decision& decision,
                          const EvalOptions& options, std::string_view id_json, DecisionJsonScratch& scratch) {
  const auto& program = detail::Internals::program(session);
  const auto& outcome = detail::Internals::outcome(session);
  auto& names = scratch.names;
  out += '{';
  if (!id_json.empty()) {
    out += "\"id\":";
    out += id_json;
    out += ',';
  }
  out += "\"decision\":";
  append_json_string(out, decision.decision);
  const auto sorted_member = [&](std::string_view key, const auto& list) {
    append_key(out, key);
    names.assign(list.begin(), list.end());
    append_sorted(out, names);
  };
  sorted_member("classifications", decision.classifications);
  sorted_member("deciding_rules", decision.deciding_rules);
  sorted_member("exemptions", decision.exemptions);
  append_key(out, "reasons");
  append_reasons(out, outcome, scratch);
  append_key(out, "citations");
  append_citations(out, outcome, names);
  append_key(out, "indeterminate_facts");
  append_missing(out, program, outcome, scratch.missing);
  append_key(out, "indeterminate_rules");
  append_entity_names(out, program, outcome.indeterminate, names);
  append_key(out, "conflicts");
  append_conflicts(out, program, outcome);
  if (!program.outputs.empty()) {  // values are strings: built here (a policy without outputs pays nothing)
    eval::to_values(program, outcome, scratch.values);
    append_values_json(out, scratch.values);
  }
  if (program.has_obligations) {
    eval::to_obligations(program, outcome, scratch.obligations);
    append_obligations_json(out, scratch.obligations);
  }
  append_key(out, "warnings");
  append_json_strings(out, *decision.warnings);
  append_dates(out, options, program, scratch);
  out += '}';
}

}  // namespace edict::batch
