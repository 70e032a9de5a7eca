// `--explain`: the decision and its deciding path, read from the trace. The deciding rules (or, when the
// decision is indeterminate, the unknown rules), the exemptions in force that were considered for them, and
// the rules that set the labels those conditions found true, each with the operands that decided its
// condition.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/json_writer.hpp"
#include "edict/render.hpp"
#include "explain/conditions.hpp"
#include "render/values.hpp"

namespace edict {

namespace {

using answers::Block;
using answers::shown;

bool contains(const std::vector<std::string>& items, std::string_view name) {
  return std::find(items.begin(), items.end(), name) != items.end();
}

ExplainedEntity entity_of(const Block& block, const answers::Entities& entities, Date rules) {
  const auto& s = *block.head;
  ExplainedEntity e;
  e.name = s.subject;
  e.exemption = s.kind == TraceStep::Kind::kExemption;
  e.status = s.status;
  e.classifies = s.classifies;
  e.outcome = s.outcome;
  e.reason = s.reason;
  e.citation = s.citation;
  e.file = s.file;
  e.line = s.line;
  e.from = s.from;
  e.until = s.until;
  if (const auto* v = entities.version(s.subject, rules)) {
    e.condition = answers::deciding_path(answers::condition_tree(entities.program(), v->condition, block));
  }
  return e;
}

// The labels that a condition's deciding path found true.
void true_labels(const ConditionNode& n, std::set<std::string_view>& rules) {
  if (n.check && n.check->check == TraceStep::Check::kClassified && n.truth == TraceStep::Truth::kTrue) {
    for (const auto r : n.check->rules) rules.insert(r);
  }
  for (const auto& k : n.children) true_labels(k, rules);
}

const char* status_word(const ExplainedEntity& e) {
  switch (e.status) {
    case TraceStep::Status::kFired: return e.exemption ? "applies" : "fired";
    case TraceStep::Status::kNotFired: return e.exemption ? "does not apply" : "not fired";
    case TraceStep::Status::kIndeterminate: return "indeterminate";
    case TraceStep::Status::kNotInForce: return "not in force";
    case TraceStep::Status::kNone: break;
  }
  return "";
}

void append_entity_text(std::string& out, const ExplainedEntity& e) {
  const auto gives = e.classifies ? fmt::format("classifies \"{}\"", shown(e.outcome)) : shown(e.outcome);
  out += fmt::format("{} {} -> {}: {}  ({}:{})", e.exemption ? "exemption" : "rule", shown(e.name), gives,
                     status_word(e), shown(e.file), e.line);
  if (!e.overrides.empty()) {
    std::string over;
    for (const auto& o : e.overrides) over += (over.empty() ? "" : ", ") + shown(o);
    out += fmt::format("  [over {}]", over);
  }
  out += '\n';
  if (!e.citation.empty()) out += fmt::format("  citation: {}\n", shown(e.citation));
  answers::append_condition_text(out, e.condition, 2, true);
}

void append_entity_json(std::string& out, const ExplainedEntity& e) {
  out += "{\"name\":";
  core::append_json_string(out, e.name);
  out += fmt::format(",\"kind\":\"{}\",\"status\":", e.exemption ? "exemption" : "rule");
  core::append_json_string(out, status_word(e));
  out += e.classifies ? ",\"classifies\":" : ",\"outcome\":";
  core::append_json_string(out, e.outcome);
  if (!e.reason.empty()) {
    out += ",\"reason\":";
    core::append_json_string(out, e.reason);
  }
  out += ",\"citation\":";
  core::append_json_string(out, e.citation);
  out += ",\"location\":{\"file\":";
  core::append_json_string(out, e.file);
  out += fmt::format(",\"line\":{}}}", e.line);
  if (e.exemption) {
    out += ",\"overrides\":";
    core::append_json_strings(out, e.overrides);
  }
  out += ",\"condition\":";
  answers::append_condition_json(out, e.condition);
  out += '}';
}

void append_entities_json(std::string& out, const char* key, const std::vector<ExplainedEntity>& list) {
  out += fmt::format("\"{}\":[", key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ',';
    append_entity_json(out, list[i]);
  }
  out += ']';
}

}  // namespace

Explanation explain(const Policy& policy, const Facts& facts, const EvalOptions& options) {
  EvalOptions traced = options;
  traced.trace = true;
  Explanation x;
  x.result = policy.evaluate(facts, traced);
  if (!x.result.ok || !x.result.trace) return x;
  const answers::Entities entities(program_of(policy));
  const auto& program = entities.program();
  const auto blocks = answers::blocks_of(*x.result.trace);
  const Date rules = answers::rulebook_date(x.result);
  const bool indeterminate = x.result.decision == "indeterminate";
  // Indeterminate: the unknown rules and exemptions, and the rules whose exemptions conflict.
  auto deciding = indeterminate ? x.result.indeterminate_rules : x.result.deciding_rules;
  if (indeterminate) {
    for (const auto& conflict : x.result.conflicts) deciding.push_back(conflict.rule);
  }

  for (const auto& b : blocks) {
    if (b.head->kind == TraceStep::Kind::kRule && contains(deciding, b.head->subject)) {
      x.rules.push_back(entity_of(b, entities, rules));
    }
  }
  // Exemptions in force that may override a deciding rule (directly or through another exemption).
  for (const auto& b : blocks) {
    if (b.head->kind != TraceStep::Kind::kExemption || b.head->status == TraceStep::Status::kNotInForce) continue;
    const auto e = entities.index(b.head->subject);
    std::vector<std::string> over;
    for (const auto& r : x.rules) {
      const auto ri = entities.index(r.name);
      if (ri == ir::kNone) continue;
      const auto& candidates = program.exemption_candidates[ri];
      if (std::find(candidates.begin(), candidates.end(), e) != candidates.end()) over.push_back(r.name);
    }
    if (over.empty() && !(indeterminate && contains(deciding, b.head->subject))) continue;
    x.exemptions.push_back(entity_of(b, entities, rules));
    x.exemptions.back().overrides = std::move(over);
  }
  // The rules that set the labels found true, and the labels their own conditions found true.
  std::set<std::string_view> wanted, done;
  for (const auto& e : x.rules) true_labels(e.condition, wanted);
  for (const auto& e : x.exemptions) true_labels(e.condition, wanted);
  while (true) {
    std::set<std::string_view> more;
    for (const auto& b : blocks) {
      const auto name = std::string_view(b.head->subject);
      if (!wanted.count(name) || done.count(name) || contains(deciding, name)) continue;
      done.insert(name);
      x.classifications.push_back(entity_of(b, entities, rules));
      true_labels(x.classifications.back().condition, more);
    }
    bool grew = false;
    for (const auto m : more) grew |= wanted.insert(m).second;
    if (!grew) break;
  }
  // Trace order: a label's rule before the rules that test it.
  std::stable_sort(x.classifications.begin(), x.classifications.end(),
                   [](const ExplainedEntity& a, const ExplainedEntity& b) {
                     return a.file != b.file ? a.file < b.file : a.line < b.line;
                   });
  return x;
}

std::string render_explanation_text(const Explanation& x) {
  const auto& r = x.result;
  if (!r.ok) return render_text(r);
  std::string out = fmt::format("decision: {}  (as of {}; rules as of {}", shown(r.decision), r.as_of.to_string(),
                                r.rules_as_of ? r.rules_as_of->to_string() : "latest");
  if (!r.classifications.empty()) {
    std::string labels;
    for (const auto& c : r.classifications) labels += (labels.empty() ? "" : ", ") + shown(c);
    out += "; classified " + labels;
  }
  out += ")\n";
  if (!r.indeterminate_facts.empty()) {
    std::string missing;
    for (const auto& f : r.indeterminate_facts) missing += (missing.empty() ? "" : ", ") + shown(f);
    out += fmt::format("missing facts: {}\n", missing);
  }
  for (const auto& c : r.conflicts) {
    std::string ex;
    for (const auto& e : c.exemptions) ex += (ex.empty() ? "" : ", ") + shown(e);
    out += fmt::format("conflict: exemptions {} all apply to rule {} with different outcomes\n", ex, shown(c.rule));
  }
  if (x.rules.empty()) out += "no rule decided: the default outcome applies (see --why-not OUTCOME)\n";
  for (const auto& e : x.rules) append_entity_text(out, e);
  for (const auto& e : x.classifications) append_entity_text(out, e);
  for (const auto& e : x.exemptions) append_entity_text(out, e);
  out += values_text(r);
  for (const auto& w : r.warnings) out += fmt::format("warning: {}\n", shown(w));
  return out;
}

std::string render_explanation_json(const Explanation& x) {
  EvalResult summary;
  const EvalResult* r = &x.result;
  if (x.result.trace) {  // the summary only: the explanation replaces the full trace
    summary = x.result;
    summary.trace.reset();
    r = &summary;
  }
  std::string out = render_json(*r);
  if (!r->ok) return out;
  out.pop_back();  // the closing brace
  out += ",\"explanation\":{";
  append_entities_json(out, "rules", x.rules);
  out += ',';
  append_entities_json(out, "classifications", x.classifications);
  out += ',';
  append_entities_json(out, "exemptions", x.exemptions);
  out += "}}";
  return out;
}

}  // namespace edict
