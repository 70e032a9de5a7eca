// Human text rendering of a result and its trace: a summary, then the trace as an indented tree. Every
// string that comes from the policy or the facts (names, titles, citations, reasons, values) is printed
// through shown(), so that a control character in a title cannot act on the terminal.
#include <fmt/format.h>

#include "edict/render.hpp"
#include "render/values.hpp"
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
std::string defaulted_note(View<TraceOperand> operands) {
  std::string out;
  for (const auto& o : operands) {
    if (o.provenance != Provenance::kDefaulted) continue;
    out += (out.empty() ? "  [default: " : ", ") + shown(o.fact_path) +
           (o.default_from.empty() ? std::string(" (its default value)") : " from " + shown(o.default_from));
  }
  return out.empty() ? out : out + "]";
}

// The items separated by ", ", after `first` ("" when there are none).
template <typename Items>
std::string comma_list(const Items& items, const char* first = "") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? first : ", ") + std::string(i);
  return out;
}

// "as of 2024-01-01: 3 members: CN, HK, MO" (at most 12 listed).
std::string members_text(const GroupMembers& m) {
  std::string list = comma_list(m.listed);
  if (m.total > m.listed.size()) list += fmt::format(", ... ({} more)", m.total - m.listed.size());
  return fmt::format("as of {}: {} member{}{}{}", m.as_of.to_string(), m.total, m.total == 1 ? "" : "s",
                     m.total ? ": " : "", list);
}

std::string check_text(const TraceStep& s) {
  using Check = TraceStep::Check;
  const std::string source(s.source);
  switch (s.check) {
    case Check::kNot: return "not " + source;
    case Check::kPresent: return source + " is present";
    case Check::kAbsent: return source + " is absent";
    case Check::kCompare: {
      std::string out;
      for (const auto& o : s.operands) out += (o.op.empty() ? "" : fmt::format(" {} ", o.op)) + trace_operand_text(o);
      return out;
    }
    case Check::kIn:
    case Check::kNotIn:
    case Check::kMatches:
    case Check::kStartsWith: {
      // An unknown element reads `in`, also for `not in` (as the trace always printed it).
      const char* verb = s.check == Check::kMatches                                       ? "matches"
                         : s.check == Check::kStartsWith                                    ? "starts with"
                         : s.check == Check::kNotIn && s.truth != TraceStep::Truth::kUnknown ? "not in"
                                                                                           : "in";
      return fmt::format("{} {} {}", s.operands.empty() ? "" : trace_operand_text(s.operands[0]), verb, source);
    }
    default: return source;
  }
}

std::string check_detail(const TraceStep& s) {
  using Check = TraceStep::Check;
  switch (s.check) {
    case Check::kBoolean:
    case Check::kNot:
      return !s.operands.empty() && s.operands[0].provenance == Provenance::kMissing ? "missing" : "";
    case Check::kClassified: return comma_list(s.rules, "by ");
    case Check::kTooLarge: return "number too large";
    case Check::kDivisionByZero: return "division by zero";
    case Check::kIn:
    case Check::kNotIn:
    case Check::kMatches:
    case Check::kStartsWith:
      if (!s.members) return {};
      return (s.matched.empty() ? "" : fmt::format("matched `{}`; ", s.matched)) + members_text(*s.members);
    default: return {};
  }
}

void append_step(std::string& out, const TraceStep& s) {
  const std::string indent(2 + 4 * s.depth, ' ');
  const auto where = s.line ? fmt::format("  ({}:{})", shown(s.file), s.line) : std::string();
  const std::string subject = shown(s.subject);
  const std::string text = shown(trace_text(s));
  const std::string result = shown(s.result);
  const std::string detail = shown(trace_detail(s));
  switch (s.kind) {
    case TraceStep::Kind::kRule:
    case TraceStep::Kind::kExemption: {
      const char* word = s.kind == TraceStep::Kind::kRule ? "rule" : "exemption";
      out += fmt::format("{}{} {}: {}{}\n", indent, word, subject, result, where);
      const std::string inner(indent.size() + 4, ' ');
      if (!s.title.empty()) out += fmt::format("{}title: {}\n", inner, shown(s.title));
      if (!s.citation.empty()) out += fmt::format("{}citation: {}\n", inner, shown(s.citation));
      out += fmt::format("{}in force: {}; defined by: {}\n", inner, trace_window(s), shown(s.defined_by));
      if (!detail.empty() && s.status != TraceStep::Status::kNotInForce) {
        out += fmt::format("{}then: {}\n", inner, detail);
      }
      return;
    }
    case TraceStep::Kind::kCheck:
      out += fmt::format("{}{} -> {}{}{}\n", indent, text, result, detail.empty() ? "" : "  [" + detail + "]",
                         defaulted_note(s.operands));
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
      out += fmt::format("{}decision: {}: {}{}\n", indent, result, text, detail.empty() ? "" : " (" + detail + ")");
      return;
    case TraceStep::Kind::kValue:
      out += fmt::format("{}value {} = {}: {}\n", indent, subject, result, text);
      return;
  }
}

}  // namespace

std::string trace_value_text(const TraceValue& v) {
  return v.kind == TraceValue::Kind::kString ? fmt::format("\"{}\"", v.exact) : v.text();
}

std::string trace_exact_text(const TraceValue& v) {
  return v.kind == TraceValue::Kind::kString ? fmt::format("\"{}\"", v.exact) : v.exact;
}

std::string trace_operand_text(const TraceOperand& o) {
  const auto value = o.value.kind != TraceValue::Kind::kUnknown ? trace_value_text(o.value)
                     : o.fact                                   ? std::string("(missing)")
                                                                : std::string("(unknown)");
  return o.source.empty() ? value : fmt::format("{} {}", o.source, value);
}

std::string trace_window(const TraceStep& s) {
  if (s.from == Date::min() && s.until == Date::max()) return "always";
  return fmt::format("[{}, {})", s.from == Date::min() ? "-inf" : s.from.to_string(),
                     s.until == Date::max() ? "+inf" : s.until.to_string());
}

std::string trace_text(const TraceStep& s) {
  switch (s.kind) {
    case TraceStep::Kind::kCheck: return check_text(s);
    case TraceStep::Kind::kDefinition: return std::string(s.source);
    case TraceStep::Kind::kDecision:
      if (s.truth == TraceStep::Truth::kUnknown) {
        return s.conflict ? "exemptions conflict" : "an indeterminate rule or exemption could change it";
      }
      return s.rules.empty() ? "no rule decided (default)" : comma_list(s.rules, "by ");
    case TraceStep::Kind::kValue:  // "combine max of a, b", "no rule gave a value"
      return s.rules.empty() ? "no rule gave a value" : fmt::format("combine {} of {}", s.source, comma_list(s.rules, ""));
    default: return {};
  }
}

std::string trace_detail(const TraceStep& s) {
  std::string out;
  switch (s.kind) {
    case TraceStep::Kind::kRule:
    case TraceStep::Kind::kExemption:
      if (s.status == TraceStep::Status::kNotInForce) return {};
      if (s.classifies) {
        out = fmt::format("classify \"{}\"", s.outcome);
      } else if (!s.outcome.empty()) {
        out = std::string(s.outcome) + (s.reason.empty() ? "" : fmt::format(" because \"{}\"", s.reason));
      }
      if (s.status == TraceStep::Status::kIndeterminate) {
        out += "; unknown: " + comma_list(s.unknown);
      }
      return out;
    case TraceStep::Kind::kCheck: return check_detail(s);
    case TraceStep::Kind::kParameter:
      if (!s.has_value) return "no value yet";
      return "from " + (s.from == Date::min() ? std::string("-inf") : s.from.to_string());
    case TraceStep::Kind::kDecision:
      out = comma_list(s.exemptions, "exemption ");
      for (const auto& f : s.unknown) out += (out.empty() ? "unknown: " : ", ") + f;
      return out;
    default: return {};
  }
}

namespace {

// "value duty_rate: 25  (by semis)", "value notify_by: unset", "value x: conflict (a, b)".
std::string value_line(const OutputValue& v) {
  switch (v.state) {
    case OutputValue::State::kSet: {
      const auto value = v.type == "string" ? fmt::format("\"{}\"", v.value) : v.value;
      return fmt::format("value {}: {}{}\n", shown(v.name), shown(value), v.by.empty() ? "  (default)" : "  (by " + joined(v.by) + ")");
    }
    case OutputValue::State::kUnset: return fmt::format("value {}: unset\n", shown(v.name));
    case OutputValue::State::kIndeterminate:
      return fmt::format("value {}: indeterminate{}\n", shown(v.name), v.by.empty() ? "" : "  (" + joined(v.by) + ")");
    case OutputValue::State::kConflict:
      return fmt::format("value {}: conflict: {} give different values\n", shown(v.name), joined(v.by));
  }
  return {};
}

}  // namespace

std::string values_text(const EvalResult& r) {
  std::string out;
  for (const auto& v : r.values) {  // an unset output is left out of the text (JSON has it as null)
    if (v.state != OutputValue::State::kUnset) out += value_line(v);
  }
  for (const auto& o : r.obligations) {
    out += fmt::format("obligation{}: {}{} (by {}{})\n", o.possible ? ", if the indeterminate rule applies" : "",
                       shown(o.name), o.due.empty() ? "" : ", due " + o.due, shown(o.by),
                       o.citation.empty() ? "" : "; " + shown(o.citation));
  }
  return out;
}

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
  out += values_text(r);
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
