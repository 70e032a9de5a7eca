// JSON rendering of a result and its trace. Schema (stable, documented in README "Output"):
// {"decision", "classifications", "deciding_rules", "exemptions", "reasons", "citations",
//  "indeterminate_facts", "indeterminate_rules", "conflicts", "warnings", "as_of", "rules_as_of",
//  "policy_digest", "trace"?}; on bad facts {"error": {"messages": [...]}, "warnings": [...]}.
#include <algorithm>

#include <fmt/format.h>

#include "edict/render.hpp"
#include "core/json_writer.hpp"
#include "render/values.hpp"

namespace edict {

namespace {

using core::append_json_string;
using core::append_json_strings;


void field(std::string& out, const char* key, std::string_view value, bool skip_empty = true) {
  if (skip_empty && value.empty()) return;
  out += fmt::format(",\"{}\":", key);
  append_json_string(out, value);
}

// A comparison's operands: exact values ("" when unknown), which are bounds, and the operators between them.
void append_comparison(std::string& out, View<TraceOperand> operands) {
  out += ",\"operands\":[";
  for (std::size_t i = 0; i < operands.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, trace_exact_text(operands[i].value));
  }
  out += "],\"bounds\":[";
  for (std::size_t i = 0; i < operands.size(); ++i) out += i ? (operands[i].bound ? ",true" : ",false") : (operands[i].bound ? "true" : "false");
  out += "],\"operators\":[";
  for (std::size_t i = 1; i < operands.size(); ++i) {
    if (i > 1) out += ',';
    append_json_string(out, operands[i].op);
  }
  out += ']';
}

void append_defaulted(std::string& out, View<TraceOperand> operands) {
  bool first = true;
  for (const auto& o : operands) {
    if (o.provenance != Provenance::kDefaulted) continue;
    out += first ? ",\"defaulted\":[{\"fact\":" : ",{\"fact\":";
    first = false;
    append_json_string(out, o.fact_path);
    if (!o.default_from.empty()) {
      out += ",\"from\":";
      append_json_string(out, o.default_from);
    }
    out += '}';
  }
  if (!first) out += ']';
}

void append_step(std::string& out, const TraceStep& s) {
  out += fmt::format("{{\"kind\":\"{}\",\"depth\":{}", trace_kind_name(s.kind), s.depth);
  const bool entity = s.kind == TraceStep::Kind::kRule || s.kind == TraceStep::Kind::kExemption;
  field(out, "subject", s.subject);
  field(out, "title", s.title);
  field(out, "citation", s.citation);
  if (entity) field(out, "window", trace_window(s));
  field(out, "defined_by", s.defined_by);
  field(out, "text", trace_text(s));
  field(out, "result", s.result);
  field(out, "detail", trace_detail(s));
  if (s.check == TraceStep::Check::kCompare && !s.operands.empty()) append_comparison(out, s.operands);
  append_defaulted(out, s.operands);
  if (s.line != 0) {
    out += ",\"location\":{\"file\":";
    append_json_string(out, s.file);
    out += fmt::format(",\"line\":{},\"column\":{}}}", s.line, s.column);
  }
  out += '}';
}

}  // namespace

const char* trace_kind_name(TraceStep::Kind kind) {
  switch (kind) {
    case TraceStep::Kind::kRule: return "rule";
    case TraceStep::Kind::kExemption: return "exemption";
    case TraceStep::Kind::kCheck: return "check";
    case TraceStep::Kind::kDefinition: return "definition";
    case TraceStep::Kind::kParameter: return "parameter";
    case TraceStep::Kind::kTier: return "tier";
    case TraceStep::Kind::kDecision: return "decision";
    case TraceStep::Kind::kValue: return "value";
  }
  return "step";
}

std::string render_json(const EvalResult& r, std::string_view id_json) {
  std::string out = "{";
  if (!id_json.empty()) out += fmt::format("\"id\":{},", id_json);
  if (!r.ok) {
    out += "\"error\":{\"messages\":";
    append_json_strings(out, r.errors);
    out += "},\"warnings\":";
    append_json_strings(out, r.warnings);
    out += '}';
    return out;
  }
  out += "\"decision\":";
  append_json_string(out, r.decision);
  const auto list = [&](const char* key, const std::vector<std::string>& items) {
    out += fmt::format(",\"{}\":", key);
    append_json_strings(out, items);
  };
  list("classifications", r.classifications);
  list("deciding_rules", r.deciding_rules);
  list("exemptions", r.exemptions);
  list("reasons", r.reasons);
  list("citations", r.citations);
  list("indeterminate_facts", r.indeterminate_facts);
  list("indeterminate_rules", r.indeterminate_rules);
  out += ",\"conflicts\":[";
  for (std::size_t i = 0; i < r.conflicts.size(); ++i) {
    out += i ? ",{\"rule\":" : "{\"rule\":";
    append_json_string(out, r.conflicts[i].rule);
    out += ",\"exemptions\":";
    append_json_strings(out, r.conflicts[i].exemptions);
    out += '}';
  }
  out += ']';
  append_values_json(out, r.values);
  append_obligations_json(out, r.obligations);
  list("warnings", r.warnings);
  out += fmt::format(",\"as_of\":\"{}\",\"rules_as_of\":\"{}\",\"policy_digest\":\"{}\"", r.as_of.to_string(),
                     r.rules_as_of ? r.rules_as_of->to_string() : "latest", r.policy_digest);
  if (r.trace) {
    out += ",\"trace\":[";
    for (std::size_t i = 0; i < r.trace->steps.size(); ++i) {
      if (i) out += ',';
      append_step(out, r.trace->steps[i]);
    }
    out += ']';
  }
  out += '}';
  return out;
}

const char* value_state_name(OutputValue::State state) {
  switch (state) {
    case OutputValue::State::kSet: return "set";
    case OutputValue::State::kUnset: return "unset";
    case OutputValue::State::kIndeterminate: return "indeterminate";
    case OutputValue::State::kConflict: return "conflict";
  }
  return "unset";
}

std::string value_or_state(const OutputValue& value) {
  return value.state == OutputValue::State::kSet ? value.value : std::string(value_state_name(value.state));
}

std::string value_changes(const std::vector<OutputValue>& old_values, const std::vector<OutputValue>& new_values,
                          bool states_only) {
  const auto shown = [states_only](const OutputValue* v) {
    if (v == nullptr) return std::string("(no output)");
    return states_only ? std::string(value_state_name(v->state)) : value_or_state(*v);
  };
  std::string out;
  for (std::size_t i = 0; i < std::max(old_values.size(), new_values.size()); ++i) {
    const auto* v = i < old_values.size() ? &old_values[i] : nullptr;
    const auto* w = i < new_values.size() ? &new_values[i] : nullptr;
    if (v != nullptr && w != nullptr && v->state == w->state && v->value == w->value) continue;
    out += fmt::format("; value {} {} -> {}", v != nullptr ? v->name : w->name, shown(v), shown(w));
  }
  return out;
}

void append_obligations_json(std::string& out, const std::vector<Obligation>& obligations) {
  if (obligations.empty()) return;
  out += ",\"obligations\":[";
  for (std::size_t i = 0; i < obligations.size(); ++i) {
    const auto& o = obligations[i];
    out += i ? ",{\"name\":" : "{\"name\":";
    append_json_string(out, o.name);
    out += ",\"due\":";
    if (o.due.empty()) {
      out += "null";
    } else {
      append_json_string(out, o.due);
    }
    out += ",\"citation\":";
    append_json_string(out, o.citation);
    out += ",\"by\":";
    append_json_string(out, o.by);
    if (o.possible) out += ",\"possible\":true";
    out += '}';
  }
  out += ']';
}

void append_values_json(std::string& out, const std::vector<OutputValue>& values,
                        const std::vector<std::string>* quoted_names) {
  if (values.empty()) return;
  const auto name = [&](std::size_t i) {
    if (quoted_names != nullptr) {
      out += (*quoted_names)[i];
    } else {
      append_json_string(out, values[i].name);
    }
  };
  out += ",\"values\":{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    if (i) out += ',';
    name(i);
    out += ':';
    if (v.state != OutputValue::State::kSet) {
      out += "null";
    } else if (v.type == "bool") {
      out += v.value;
    } else {
      append_json_string(out, v.value);
    }
  }
  out += "},\"value_sources\":{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    name(i);
    out += ":{\"state\":\"";  // piece by piece: the batch writer must not allocate per line
    out += value_state_name(values[i].state);
    out += "\",\"by\":";
    append_json_strings(out, values[i].by);
    out += '}';
  }
  out += '}';
}

}  // namespace edict
