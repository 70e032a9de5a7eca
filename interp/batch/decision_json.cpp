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

// `,"KEY":` as one literal, joined at compile time, so that a key is one append per line (not three).
#define EDICT_JSON_KEY(name) ",\"" name "\":"

// `names` sorted (and with duplicates removed when `unique`), as a JSON list.
void append_sorted(std::string& out, std::vector<std::string_view>& names, bool unique = false) {
  std::sort(names.begin(), names.end());
  if (unique) names.erase(std::unique(names.begin(), names.end()), names.end());
  append_json_strings(out, names);
}

// Quotes every name of `program` into `quoted`, unless it already holds them.
const QuotedNames& quoted_names(const CompiledProgram& program, QuotedNames& quoted) {
  if (quoted.digest == program.digest && !quoted.digest.empty()) return quoted;
  const auto quote = [](std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
  };
  const auto rank_by_name = [](const auto& items, const auto& name_of) {
    std::vector<std::uint32_t> order(items.size()), rank(items.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return name_of(items[a]) < name_of(items[b]); });
    for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    return rank;
  };
  quoted = {};
  for (const auto& o : program.outcomes) quoted.outcomes.push_back(quote(o));
  for (const auto& l : program.labels) quoted.labels.push_back(quote(l));
  for (const auto& o : program.outputs) quoted.outputs.push_back(quote(o.name));
  for (const auto& e : program.entities) {
    quoted.entities.push_back(quote(e.name));
    auto& reasons = quoted.reasons.emplace_back();
    for (const auto& v : e.versions) reasons.push_back(v.reason.empty() ? std::string() : quote(v.reason));
  }
  quoted.label_rank = rank_by_name(program.labels, [](const std::string& l) -> std::string_view { return l; });
  quoted.entity_rank = rank_by_name(program.entities, [](const ir::Entity& e) -> std::string_view { return e.name; });
  quoted.digest = program.digest;
  return quoted;
}

// The quoted names of `ids` in the order of their names (`rank`), as a JSON list.
void append_by_name(std::string& out, std::vector<std::uint32_t>& ids, const std::vector<std::uint32_t>& rank,
                    const std::vector<std::string>& quoted) {
  std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return rank[a] < rank[b]; });
  out += '[';
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += quoted[ids[i]];
  }
  out += ']';
}

// Reasons in evaluation order: a deciding rule's own when no exemption changed it, then each exemption's
// (once per exemption), as eval::to_result gives them.
void append_reasons(std::string& out, const CompiledProgram& program, const eval::Outcome& outcome,
                    DecisionJsonScratch& scratch) {
  out += '[';
  bool first = true;
  const auto reason = [&](const eval::Decided& d) {
    const auto& versions = program.entities[d.entity].versions;
    const auto& text = scratch.quoted.reasons[d.entity][static_cast<std::size_t>(d.version - versions.data())];
    if (text.empty()) return;
    if (!first) out += ',';
    first = false;
    out += text;
  };
  for (std::size_t i = 0; i < outcome.deciding.size(); ++i) {
    if (!outcome.deciding_exempted[i]) reason(outcome.deciding[i]);
  }
  scratch.reason_given.clear();
  for (const auto& e : outcome.exemptions) {
    if (e.version->reason.empty()) continue;
    const auto& given = scratch.reason_given;
    if (std::find(given.begin(), given.end(), e.entity) != given.end()) continue;
    scratch.reason_given.push_back(e.entity);
    reason(e);
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
  const auto& quoted = quoted_names(program, scratch.quoted);
  out += outcome.decision == ir::kNone ? std::string_view("\"indeterminate\"") : quoted.outcomes[outcome.decision];
  auto& ids = scratch.ids;
  const auto entities_by_name = [&](std::string_view key, const auto& list, const auto& entity_of) {
    out += key;
    ids.clear();
    for (const auto& item : list) ids.push_back(entity_of(item));
    append_by_name(out, ids, quoted.entity_rank, quoted.entities);
  };
  out += EDICT_JSON_KEY("classifications");
  ids.assign(outcome.classifications.begin(), outcome.classifications.end());
  append_by_name(out, ids, quoted.label_rank, quoted.labels);
  const auto decided_entity = [](const eval::Decided& d) { return d.entity; };
  entities_by_name(EDICT_JSON_KEY("deciding_rules"), outcome.deciding, decided_entity);
  entities_by_name(EDICT_JSON_KEY("exemptions"), outcome.exemptions, decided_entity);
  out += EDICT_JSON_KEY("reasons");
  append_reasons(out, program, outcome, scratch);
  out += EDICT_JSON_KEY("citations");
  append_citations(out, outcome, names);
  out += EDICT_JSON_KEY("indeterminate_facts");
  append_missing(out, program, outcome, scratch.missing);
  entities_by_name(EDICT_JSON_KEY("indeterminate_rules"), outcome.indeterminate, [](std::uint32_t e) { return e; });
  out += EDICT_JSON_KEY("conflicts");
  append_conflicts(out, program, outcome);
  if (!program.outputs.empty()) {  // values are strings: built here (a policy without outputs pays nothing)
    eval::to_values(program, outcome, scratch.values);
    append_values_json(out, scratch.values, &quoted.outputs);
  }
  if (program.has_obligations) {
    eval::to_obligations(program, outcome, scratch.obligations);
    append_obligations_json(out, scratch.obligations);
  }
  out += EDICT_JSON_KEY("warnings");
  append_json_strings(out, *decision.warnings);
  append_dates(out, options, program, scratch);
  out += '}';
}

}  // namespace edict::batch

#undef EDICT_JSON_KEY
