// Human text rendering of a result and its trace: a summary, then the trace as an indented tree. Every
// string that comes from the policy or the facts (names, titles, citations, reasons, values) is printed
// through shown(), so that a control character in a title cannot act on the terminal.
#include <fmt/format.h>

#include "edict/render.hpp"
#include "utf8.hpp"

namespace edict {

namespace {

// `text` with control characters, bidirectional formatting characters and non-UTF-8 bytes escaped.
std::string shown(std::string_view text) { return utf8::printable(text); }

std::string joined(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + shown(i);
  return out;
}

// "  [default: end_user.hq_country from destination.country]": the check's facts that were not given.
std::string defaulted_note(const std::vector<DefaultedFact>& facts) {
  if (facts.empty()) return {};
  std::string out = "  [default: ";
  for (std::size_t i = 0; i < facts.size(); ++i) {
    out += (i ? ", " : "") + shown(facts[i].fact) +
           (facts[i].from.empty() ? std::string(" (its default value)") : " from " + shown(facts[i].from));
  }
  return out + "]";
}

void append_step(std::string& out, const TraceStep& s) {
  const std::string indent(2 + 4 * s.depth, ' ');
  const auto where = s.line ? fmt::format("  ({}:{})", shown(s.file), s.line) : std::string();
  const std::string subject = shown(s.subject);
  const std::string text = shown(s.text);
  const std::string result = shown(s.result);
  const std::string detail = shown(s.detail);
  switch (s.kind) {
    case TraceStep::Kind::kRule:
    case TraceStep::Kind::kExemption: {
      const char* word = s.kind == TraceStep::Kind::kRule ? "rule" : "exemption";
      out += fmt::format("{}{} {}: {}{}\n", indent, word, subject, result, where);
      const std::string inner(indent.size() + 4, ' ');
      if (!s.title.empty()) out += fmt::format("{}title: {}\n", inner, shown(s.title));
      if (!s.citation.empty()) out += fmt::format("{}citation: {}\n", inner, shown(s.citation));
      out += fmt::format("{}in force: {}; defined by: {}\n", inner, shown(s.window), shown(s.defined_by));
      if (!s.detail.empty() && s.result != "not in force") out += fmt::format("{}then: {}\n", inner, detail);
      return;
    }
    case TraceStep::Kind::kCheck:
      out += fmt::format("{}{} -> {}{}{}\n", indent, text, result, s.detail.empty() ? "" : "  [" + detail + "]",
                         defaulted_note(s.defaulted));
      return;
    case TraceStep::Kind::kDefinition:
      out += fmt::format("{}define {} = {} -> {}\n", indent, subject, text, result);
      return;
    case TraceStep::Kind::kParameter:
      out += fmt::format("{}parameter {} = {} ({})\n", indent, subject, result, detail);
      return;
    case TraceStep::Kind::kTier:
      out += fmt::format("{}tier {} -> {}\n", indent, subject, result);
      return;
    case TraceStep::Kind::kDecision:
      out += fmt::format("{}decision: {}: {}{}\n", indent, result, text, s.detail.empty() ? "" : " (" + detail + ")");
      return;
  }
}

}  // namespace

std::string render_text(const EvalResult& r) {
  std::string out;
  if (!r.ok) {
    out += r.limit_exceeded ? "error: the evaluation exceeded a limit\n" : "error: the facts do not fit the policy's schema\n";
    for (const auto& e : r.errors) out += fmt::format("  - {}\n", shown(e));
    for (const auto& w : r.warnings) out += fmt::format("warning: {}\n", shown(w));
    return out;
  }
  out += fmt::format("decision: {}\n", shown(r.decision));
  out += fmt::format("deciding rules: {}\n", joined(r.deciding_rules));
  if (!r.exemptions.empty()) out += fmt::format("exemptions: {}\n", joined(r.exemptions));
  out += fmt::format("classifications: {}\n", joined(r.classifications));
  for (const auto& reason : r.reasons) out += fmt::format("reason: {}\n", shown(reason));
  for (const auto& c : r.citations) out += fmt::format("citation: {}\n", shown(c));
  if (!r.indeterminate_facts.empty()) out += fmt::format("missing facts: {}\n", joined(r.indeterminate_facts));
  if (!r.indeterminate_rules.empty()) out += fmt::format("indeterminate: {}\n", joined(r.indeterminate_rules));
  for (const auto& c : r.conflicts) {
    out += fmt::format("conflict: exemptions {} all apply to rule {} with different outcomes\n", joined(c.exemptions),
                       shown(c.rule));
  }
  for (const auto& w : r.warnings) out += fmt::format("warning: {}\n", shown(w));
  out += fmt::format("as of: {}; rules as of: {}; policy digest: {}\n", r.as_of.to_string(),
                     r.rules_as_of ? r.rules_as_of->to_string() : "latest", r.policy_digest);
  if (r.trace) {
    out += "trace:\n";
    for (const auto& s : r.trace->steps) append_step(out, s);
  }
  return out;
}

}  // namespace edict
