// Human text rendering of a result and its trace: a summary, then the trace as an indented tree.
#include <fmt/format.h>

#include "edict/render.hpp"

namespace edict {

namespace {

std::string joined(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

void append_step(std::string& out, const TraceStep& s) {
  const std::string indent(2 + 4 * s.depth, ' ');
  const auto where = s.line ? fmt::format("  ({}:{})", s.file, s.line) : std::string();
  switch (s.kind) {
    case TraceStep::Kind::kRule:
    case TraceStep::Kind::kExemption: {
      const char* word = s.kind == TraceStep::Kind::kRule ? "rule" : "exemption";
      out += fmt::format("{}{} {}: {}{}\n", indent, word, s.subject, s.result, where);
      const std::string inner(indent.size() + 4, ' ');
      if (!s.title.empty()) out += fmt::format("{}title: {}\n", inner, s.title);
      if (!s.citation.empty()) out += fmt::format("{}citation: {}\n", inner, s.citation);
      out += fmt::format("{}in force: {}; defined by: {}\n", inner, s.window, s.defined_by);
      if (!s.detail.empty() && s.result != "not in force") out += fmt::format("{}then: {}\n", inner, s.detail);
      return;
    }
    case TraceStep::Kind::kCheck:
      out += fmt::format("{}{} -> {}{}\n", indent, s.text, s.result, s.detail.empty() ? "" : "  [" + s.detail + "]");
      return;
    case TraceStep::Kind::kDefinition:
      out += fmt::format("{}define {} = {} -> {}\n", indent, s.subject, s.text, s.result);
      return;
    case TraceStep::Kind::kParameter:
      out += fmt::format("{}parameter {} = {} ({})\n", indent, s.subject, s.result, s.detail);
      return;
    case TraceStep::Kind::kTier:
      out += fmt::format("{}tier {} -> {}\n", indent, s.subject, s.result);
      return;
    case TraceStep::Kind::kDecision:
      out += fmt::format("{}decision: {}: {}{}\n", indent, s.result, s.text, s.detail.empty() ? "" : " (" + s.detail + ")");
      return;
  }
}

}  // namespace

std::string render_text(const EvalResult& r) {
  std::string out;
  if (!r.ok) {
    out += r.limit_exceeded ? "error: the evaluation exceeded a limit\n" : "error: the facts do not fit the policy's schema\n";
    for (const auto& e : r.errors) out += fmt::format("  - {}\n", e);
    for (const auto& w : r.warnings) out += fmt::format("warning: {}\n", w);
    return out;
  }
  out += fmt::format("decision: {}\n", r.decision);
  out += fmt::format("deciding rules: {}\n", joined(r.deciding_rules));
  if (!r.exemptions.empty()) out += fmt::format("exemptions: {}\n", joined(r.exemptions));
  out += fmt::format("classifications: {}\n", joined(r.classifications));
  for (const auto& reason : r.reasons) out += fmt::format("reason: {}\n", reason);
  for (const auto& c : r.citations) out += fmt::format("citation: {}\n", c);
  if (!r.indeterminate_facts.empty()) out += fmt::format("missing facts: {}\n", joined(r.indeterminate_facts));
  if (!r.indeterminate_rules.empty()) out += fmt::format("indeterminate: {}\n", joined(r.indeterminate_rules));
  for (const auto& c : r.conflicts) {
    out += fmt::format("conflict: exemptions {} all apply to rule {} with different outcomes\n", joined(c.exemptions), c.rule);
  }
  for (const auto& w : r.warnings) out += fmt::format("warning: {}\n", w);
  out += fmt::format("as of: {}; rules as of: {}; policy digest: {}\n", r.as_of.to_string(),
                     r.rules_as_of ? r.rules_as_of->to_string() : "latest", r.policy_digest);
  if (r.trace) {
    out += "trace:\n";
    for (const auto& s : r.trace->steps) append_step(out, s);
  }
  return out;
}

}  // namespace edict
