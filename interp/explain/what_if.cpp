// `--what-if PATH=VALUE`: the facts as given and with the changes, both evaluated with a trace, and their
// difference through the diff machinery (diff.hpp: explain_change, diff_traces, render_trace_diff_text).
#include <fmt/format.h>

#include "core/json_writer.hpp"
#include "edict/render.hpp"
#include "explain/conditions.hpp"

namespace edict {

namespace {

using answers::shown;

std::string summary_line(const EvalResult& r) {
  if (!r.ok) return "error";
  std::string out = r.decision;
  if (!r.exemptions.empty()) {
    std::string ex;
    for (const auto& e : r.exemptions) ex += (ex.empty() ? "" : ", ") + e;
    out += " (exemption " + ex + ")";
  }
  std::string labels;
  for (const auto& c : r.classifications) labels += (labels.empty() ? "" : ", ") + c;
  return out + (labels.empty() ? "" : " [classified " + labels + "]");
}

void append_side_json(std::string& out, const char* key, const EvalResult& r) {
  EvalResult summary = r;
  summary.trace.reset();
  out += fmt::format(",\"{}\":", key) + render_json(summary);
}

}  // namespace

bool WhatIf::changed() const {
  return before.decision != after.decision || before.classifications != after.classifications ||
         before.ok != after.ok;
}

WhatIf what_if(const Policy& policy, const Facts& facts, const std::vector<FactChange>& changes,
               const EvalOptions& options) {
  EvalOptions traced = options;
  traced.trace = true;
  WhatIf w;
  w.changes = changes;
  w.before = policy.evaluate(facts, traced);
  w.after = policy.evaluate(with_changes(facts, changes), traced);
  if (w.before.ok && w.after.ok && w.before.trace && w.after.trace) {
    w.trace_diff = diff_traces(*w.before.trace, *w.after.trace);
    if (w.changed()) w.cause = explain_change(w.before, w.after);
  }
  return w;
}

std::string render_what_if_text(const WhatIf& w) {
  std::string changes;
  for (const auto& c : w.changes) changes += (changes.empty() ? "" : ", ") + shown(c.text());
  std::string out = fmt::format("what if {}  (as of {})\n", changes, w.before.as_of.to_string());
  out += fmt::format("decision: {} -> {}{}\n", shown(summary_line(w.before)), shown(summary_line(w.after)),
                     w.changed() ? "" : "  (unchanged)");
  for (const auto* side : {&w.before, &w.after}) {
    if (side->ok) continue;
    out += fmt::format("{}:\n", side == &w.before ? "as given" : "with the changes");
    out += render_text(*side);
  }
  if (!w.cause.descriptions.empty()) out += "cause (OLD: as given, NEW: with the changes):\n";
  for (const auto& d : w.cause.descriptions) out += fmt::format("  {}\n", shown(d));
  bool any = false;
  for (const auto& d : w.trace_diff) any |= d.mark != ' ';
  if (any) {
    out += "trace difference (- as given only, + with the changes only, ~ changed: as given | with the changes):\n";
    out += render_trace_diff_text(w.trace_diff, "  ");
  } else if (w.before.ok && w.after.ok) {
    out += "trace: no difference\n";
  }
  return out;
}

std::string render_what_if_json(const WhatIf& w) {
  std::string out = "{\"what_if\":[";
  for (std::size_t i = 0; i < w.changes.size(); ++i) {
    if (i) out += ',';
    out += "{\"fact\":";
    core::append_json_string(out, w.changes[i].path);
    out += ",\"value\":" + answers::value_json(w.changes[i].value) + "}";
  }
  out += fmt::format("],\"changed\":{}", w.changed() ? "true" : "false");
  append_side_json(out, "before", w.before);
  append_side_json(out, "after", w.after);
  out += ",\"cause\":";
  core::append_json_strings(out, w.cause.descriptions);
  out += ",\"trace_diff\":[";
  bool first = true;
  for (const auto& d : w.trace_diff) {
    if (d.mark == ' ') continue;
    if (!first) out += ',';
    first = false;
    out += fmt::format("{{\"mark\":\"{}\"", d.mark);
    for (const auto& [key, step] : {std::pair{"before", &d.old_step}, std::pair{"after", &d.new_step}}) {
      if (!*step) continue;
      const auto& s = **step;
      out += fmt::format(",\"{}\":{{\"kind\":\"{}\"", key, trace_kind_name(s.kind));
      if (!s.subject.empty()) {
        out += ",\"subject\":";
        core::append_json_string(out, s.subject);
      }
      out += ",\"text\":";
      core::append_json_string(out, trace_text(s));
      out += ",\"result\":";
      core::append_json_string(out, s.result);
      out += '}';
    }
    out += '}';
  }
  return out + "]}";
}

}  // namespace edict
