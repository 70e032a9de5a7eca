// A trace in HTML: one step as a line, the full trace as nested lists (the tree that `depth` draws), and a
// result as badges. Read from the steps' data through the texts render.hpp gives every renderer.
#include <fmt/format.h>

#include "edict/render.hpp"
#include "report/html.hpp"

namespace edict::report {

namespace {

using Kind = TraceStep::Kind;

const char* status_class(TraceStep::Status status) {
  switch (status) {
    case TraceStep::Status::kFired: return "t-true";
    case TraceStep::Status::kNotFired: return "t-false";
    case TraceStep::Status::kIndeterminate: return "t-unknown";
    default: return "muted";
  }
}

// A rule's or exemption's head, with what it gives and where it is written, and its title, citation,
// window and authority on the lines below.
void append_entity_step(std::string& out, const TraceStep& s) {
  out += fmt::format("<div class=\"head\">{} <span>{}</span>: <span class=\"{}\">{}</span>",
                     trace_kind_name(s.kind), esc(s.subject), status_class(s.status), esc(s.result));
  if (s.line) out += fmt::format(" <span class=\"loc\">{}:{}</span>", esc(s.file), s.line);
  out += "</div>";
  const auto sub = [&](std::string_view label, std::string_view text) {
    if (!text.empty()) out += fmt::format("<div class=\"sub\">{}: {}</div>", label, esc(text));
  };
  sub("title", s.title);
  sub("citation", s.citation);
  sub("in force", window_text(s.from, s.until) + (s.defined_by.empty() ? "" : "; defined by " + std::string(s.defined_by)));
  if (s.status != TraceStep::Status::kNotInForce) sub("then", trace_detail(s));
}

void append_step(std::string& out, const TraceStep& s) {
  if (s.kind == Kind::kRule || s.kind == Kind::kExemption) {
    append_entity_step(out, s);
    return;
  }
  if (s.kind != Kind::kCheck) {
    out += esc(step_line(s));
    return;
  }
  // A check's result in the colour of its truth, then its detail (group members, the rules of a label).
  const char* truth = s.truth == TraceStep::Truth::kTrue    ? "t-true"
                      : s.truth == TraceStep::Truth::kFalse ? "t-false"
                                                            : "t-unknown";
  out += fmt::format("{} -&gt; <span class=\"{}\">{}</span>", esc(trace_text(s)), truth, esc(s.result));
  const auto detail = trace_detail(s);
  if (!detail.empty()) out += fmt::format(" <span class=\"muted\">[{}]</span>", esc(detail));
}

}  // namespace

std::string window_text(Date from, Date until) {
  if (from == Date::min() && until == Date::max()) return "always";
  return fmt::format("[{}, {})", from == Date::min() ? "-inf" : from.to_string(),
                     until == Date::max() ? "+inf" : until.to_string());
}

std::string step_line(const TraceStep& s) {
  switch (s.kind) {
    case Kind::kRule:
    case Kind::kExemption:
      return fmt::format("{} {}: {}  {}", trace_kind_name(s.kind), s.subject, s.result, trace_window(s));
    case Kind::kCheck: return fmt::format("{} -> {}", trace_text(s), s.result);
    case Kind::kDefinition: return fmt::format("define {} = {} -> {}", s.subject, s.source, s.result);
    case Kind::kParameter:
      return fmt::format("parameter {} = {}{}", s.subject, s.result,
                         trace_detail(s).empty() ? "" : " (" + trace_detail(s) + ")");
    case Kind::kTier: return fmt::format("tier {} = {}", s.subject, s.result);
    case Kind::kDecision: return fmt::format("decision: {} ({})", s.result, trace_text(s));
    case Kind::kValue: return fmt::format("value {} = {} ({})", s.subject, s.result, trace_text(s));
  }
  return trace_text(s);
}

void append_trace(std::string& out, const Trace& trace) {
  // Steps are in tree order: a deeper step opens a list inside the item before it, a shallower one closes
  // lists back to its depth. INVARIANT: `open` items are open at depths 0..open-1.
  out += "<ul class=\"trace\">";
  std::uint32_t depth = 0;
  bool item_open = false;
  for (const auto& s : trace.steps) {
    if (item_open && s.depth > depth) {
      for (auto d = depth; d < s.depth; ++d) out += "<ul><li>";
      depth = s.depth;
    } else {
      if (item_open) out += "</li>";
      for (; depth > s.depth; --depth) out += "</ul></li>";
      out += "<li>";
    }
    item_open = true;
    append_step(out, s);
  }
  if (item_open) out += "</li>";
  for (; depth > 0; --depth) out += "</ul></li>";
  out += "</ul>\n";
}

void append_result_badges(std::string& out, const EvalResult& r) {
  const std::string decision = r.ok ? r.decision : "error";
  out += fmt::format("<span class=\"badge decision d-{}\">{}</span>", esc(decision), esc(decision));
  for (const auto& c : r.classifications) out += element("span", "badge", c);
}

}  // namespace edict::report
