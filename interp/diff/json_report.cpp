// The JSON report of a corpus diff (edict::render_diff_json), and facts as one nested JSON object.
#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "core/json_writer.hpp"
#include "diff/trace_blocks.hpp"
#include "edict/diff.hpp"
#include "edict/render.hpp"

namespace edict {

std::string facts_to_json(const Facts& facts) {
  std::vector<std::pair<std::vector<std::string>, const FactValue*>> leaves;
  for (const auto& e : facts.entries()) {
    if (e.value.kind == FactValue::Kind::kObject || e.value.kind == FactValue::Kind::kArray) continue;
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (;;) {
      const auto dot = e.path.find('.', from);
      parts.push_back(e.path.substr(from, dot == std::string::npos ? std::string::npos : dot - from));
      if (dot == std::string::npos) break;
      from = dot + 1;
    }
    leaves.emplace_back(std::move(parts), &e.value);
  }
  std::sort(leaves.begin(), leaves.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string out = "{";
  std::vector<std::string> open;  // the current object path
  bool first = true;
  for (const auto& [parts, value] : leaves) {
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    while (open.size() > common) {
      out += "}";
      open.pop_back();
      first = false;
    }
    for (std::size_t i = common; i + 1 < parts.size(); ++i) {
      out += (first ? "" : ",") + json_quote(parts[i]) + ":{";
      open.push_back(parts[i]);
      first = true;
    }
    out += (first ? "" : ",") + json_quote(parts.back()) + ":";
    first = false;
    core::append_fact_json(out, *value);
  }
  out.append(open.size(), '}');
  return out + "}";
}

namespace {

void json_field(std::string& out, const char* name, std::string_view value) {
  if (value.empty()) return;
  out += fmt::format(",\"{}\":{}", name, json_quote(value));
}

std::string step_json(const TraceStep& s) {
  std::string out = fmt::format("{{\"kind\":\"{}\",\"depth\":{}", trace_kind_name(s.kind), s.depth);
  json_field(out, "subject", s.subject);
  if (diff::is_entity(s)) json_field(out, "window", trace_window(s));
  json_field(out, "defined_by", s.defined_by);
  json_field(out, "text", trace_text(s));
  json_field(out, "result", s.result);
  json_field(out, "detail", trace_detail(s));
  if (!s.file.empty()) {
    out += fmt::format(",\"location\":{{\"file\":{},\"line\":{},\"column\":{}}}", json_quote(s.file), s.line,
                       s.column);
  }
  return out + "}";
}

}  // namespace

std::string render_diff_json(const DiffReport& report) {
  std::string out = fmt::format(
      "{{\"cases\":{},\"changed\":{},\"decision_changes\":{},\"errors\":{},\"ignored_rules_as_of\":{},"
      "\"error_lines\":[",
      report.cases, report.changed, report.decision_changes, report.errors, report.ignored_rules_as_of);
  for (std::size_t i = 0; i < report.first_errors.size(); ++i) {
    const auto& e = report.first_errors[i];
    out += fmt::format("{}{{\"line\":{},\"id\":{},\"message\":{}}}", i ? "," : "", e.line,
                       e.id.empty() ? "null" : e.id, json_quote(e.message));
  }
  out += "],\"groups\":[";
  for (std::size_t gi = 0; gi < report.groups.size(); ++gi) {
    const auto& g = report.groups[gi];
    out += fmt::format("{}{{\"key\":{},\"count\":{},\"decision_changes\":{},\"causes\":[", gi ? "," : "",
                       json_quote(g.key), g.count, g.decision_changes);
    for (std::size_t i = 0; i < g.atoms.size(); ++i) {
      out += fmt::format("{}{{\"cause\":{},\"description\":{}}}", i ? "," : "", json_quote(g.atoms[i]),
                         json_quote(g.descriptions[i]));
    }
    out += "],\"transitions\":[";
    for (bool first = true; const auto& [t, c] : g.transitions) {
      out += fmt::format("{}{{\"change\":{},\"count\":{}}}", std::exchange(first, false) ? "" : ",", json_quote(t), c);
    }
    EvalResult old_summary = g.example_old, new_summary = g.example_new;
    old_summary.trace.reset();
    new_summary.trace.reset();
    out += fmt::format("],\"example\":{{\"line\":{},\"id\":{},\"as_of\":\"{}\",\"facts\":{},\"old\":{},\"new\":{},"
                       "\"trace_diff\":[",
                       g.example_line, g.example_id.empty() ? "null" : g.example_id, g.example_as_of.to_string(),
                       g.example_facts, render_json(old_summary), render_json(new_summary));
    for (std::size_t i = 0; i < g.example_trace_diff.size(); ++i) {
      const auto& d = g.example_trace_diff[i];
      out += fmt::format("{}{{\"mark\":\"{}\",\"old\":{},\"new\":{}}}", i ? "," : "", d.mark,
                         d.old_step ? step_json(*d.old_step) : "null", d.new_step ? step_json(*d.new_step) : "null");
    }
    out += "]}}";
  }
  return out + "]}";
}

}  // namespace edict
