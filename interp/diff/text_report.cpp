// The text report of a corpus diff (edict::render_diff_text) and of a trace diff (render_trace_diff_text).
#include <algorithm>

#include <fmt/format.h>

#include "diff/trace_blocks.hpp"
#include "edict/diff.hpp"
#include "edict/render.hpp"

namespace edict {

namespace {

using Kind = TraceStep::Kind;

std::string step_line(const TraceStep& s) {
  switch (s.kind) {
    case Kind::kRule:
    case Kind::kExemption:
      return fmt::format("{} {}: {}  {}", trace_kind_name(s.kind), s.subject, s.result, trace_window(s));
    case Kind::kCheck: return fmt::format("{} -> {}", trace_text(s), s.result);
    case Kind::kDefinition: return fmt::format("{} = {} -> {}", s.subject, s.source, s.result);
    case Kind::kParameter: return fmt::format("parameter {} = {}", s.subject, s.result);
    case Kind::kTier: return fmt::format("tier {} = {}", s.subject, s.result);
    case Kind::kDecision: return fmt::format("decision: {} ({})", s.result, trace_text(s));
    case Kind::kValue: return fmt::format("value {} = {} ({})", s.subject, s.result, trace_text(s));
  }
  return trace_text(s);
}

}  // namespace

std::string result_summary(const EvalResult& r) {
  return diff::summary_of(r.ok ? std::string_view(r.decision) : "error", r.classifications);
}

std::string render_trace_diff_text(const std::vector<TraceDiffStep>& steps, std::string_view indent_all) {
  std::string out;
  // Differing steps, each under its rule or exemption for context.
  const TraceDiffStep* head = nullptr;
  bool head_shown = false;
  for (const auto& d : steps) {
    const TraceStep& any = d.new_step ? *d.new_step : *d.old_step;
    if (diff::is_entity(any)) {
      head = &d;
      head_shown = false;
    }
    if (d.mark == ' ') continue;
    if (head != nullptr && head != &d && !head_shown) {
      const TraceStep& h = head->new_step ? *head->new_step : *head->old_step;
      out += fmt::format("{}{} {}\n", indent_all, head->mark, step_line(h));
      head_shown = true;
    }
    if (head == &d) head_shown = true;
    const std::string indent(std::min<std::uint32_t>(any.depth, 8) * 2, ' ');
    if (d.mark == '~') {
      out += fmt::format("{}~ {}{}  |  {}\n", indent_all, indent, step_line(*d.old_step), step_line(*d.new_step));
    } else {
      out += fmt::format("{}{} {}{}\n", indent_all, d.mark, indent, step_line(any));
    }
  }
  return out;
}

std::string render_diff_text(const DiffReport& report, std::size_t max_groups_with_traces) {
  std::string out = fmt::format("{} cases, {} changed ({} decisions, {} classifications or values only), {} cause groups",
                                report.cases, report.changed, report.decision_changes,
                                report.changed - report.decision_changes, report.groups.size());
  if (report.errors) out += fmt::format(", {} bad lines", report.errors);
  out += "\n";
  if (report.ignored_rules_as_of) {
    out += fmt::format("note: {} lines set \"rules_as_of\"; ignored (diff reads the rulebooks as given on the "
                       "command line)\n",
                       report.ignored_rules_as_of);
  }
  for (const auto& e : report.first_errors) {
    out += fmt::format("error: line {}{}: {}\n", e.line, e.id.empty() ? "" : " (id " + e.id + ")", e.message);
  }
  if (report.errors > report.first_errors.size()) {
    out += fmt::format("error: ... and {} more bad lines\n", report.errors - report.first_errors.size());
  }
  for (std::size_t gi = 0; gi < report.groups.size(); ++gi) {
    const auto& g = report.groups[gi];
    out += fmt::format("\n[{}] {} cases ({} decisions changed): {}\n", gi + 1, g.count, g.decision_changes, g.key);
    for (const auto& d : g.descriptions) out += fmt::format("  cause: {}\n", d);
    std::vector<std::pair<std::string, std::size_t>> transitions(g.transitions.begin(), g.transitions.end());
    std::stable_sort(transitions.begin(), transitions.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    // A value computed from the date (a deadline) makes a transition per date: the commonest are shown, the
    // rest counted (the JSON report lists them all).
    constexpr std::size_t kTransitionsShown = 10;
    std::size_t rest_cases = 0;
    for (std::size_t i = 0; i < transitions.size(); ++i) {
      const auto& [t, c] = transitions[i];
      if (i < kTransitionsShown) {
        out += fmt::format("  {:>8}  {}\n", c, t);
      } else {
        rest_cases += c;
      }
    }
    if (transitions.size() > kTransitionsShown) {
      out += fmt::format("  {:>8}  ... in {} more transitions\n", rest_cases, transitions.size() - kTransitionsShown);
    }
    out += fmt::format("  example: line {}{}, as of {}: {}\n", g.example_line,
                       g.example_id.empty() ? "" : " id " + g.example_id, g.example_as_of.to_string(),
                       g.example_facts);
    out += fmt::format("    OLD: {}\n    NEW: {}\n", result_summary(g.example_old), result_summary(g.example_new));
    if (gi >= max_groups_with_traces) continue;
    out += "  trace diff (- OLD only, + NEW only, ~ changed: OLD | NEW):\n";
    out += render_trace_diff_text(g.example_trace_diff, "    ");
  }
  return out;
}

}  // namespace edict
