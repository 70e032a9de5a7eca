// A trace difference as a table: the steps that differ between OLD and NEW, each under the rule or exemption
// it belongs to (shown as context when that head did not change), with - (OLD only), + (NEW only) and
// ~ (aligned, different) rows.
#include <fmt/format.h>

#include "report/html.hpp"

namespace edict::report {

namespace {

bool is_entity(const TraceStep& s) { return s.kind == TraceStep::Kind::kRule || s.kind == TraceStep::Kind::kExemption; }

const TraceStep& any_step(const TraceDiffStep& d) { return d.new_step ? *d.new_step : *d.old_step; }

const char* row_class(char mark) {
  switch (mark) {
    case '+': return "m-add";
    case '-': return "m-del";
    case '~': return "m-chg";
    default: return "m-ctx";
  }
}

// A step's text, indented by its depth (non-breaking spaces, so that the indentation survives wrapping).
std::string cell(const std::optional<TraceStep>& step) {
  if (!step) return {};
  std::string out;
  for (std::uint32_t i = 0; i < std::min<std::uint32_t>(step->depth, 8); ++i) out += "&#160;&#160;";
  return out + esc(step_line(*step));
}

void append_row(std::string& out, const TraceDiffStep& d) {
  // A row that only one side has leaves the other cell empty; a context row shows the step once.
  const char mark = d.mark == ' ' ? ' ' : d.mark;
  const std::string old_cell = d.mark == '+' ? "" : cell(d.old_step ? d.old_step : d.new_step);
  const std::string new_cell = d.mark == '-' ? "" : d.mark == ' ' ? old_cell : cell(d.new_step);
  out += fmt::format("<tr class=\"{}\"><td class=\"mark\">{}</td><td>{}</td><td>{}</td></tr>", row_class(mark),
                     mark == ' ' ? "&#160;" : std::string(1, mark), old_cell, new_cell);
}

}  // namespace

void append_trace_diff(std::string& out, const std::vector<TraceDiffStep>& steps) {
  std::string rows;
  const TraceDiffStep* head = nullptr;
  bool head_shown = false;
  for (const auto& d : steps) {
    if (!d.old_step && !d.new_step) continue;
    if (is_entity(any_step(d))) {
      head = &d;
      head_shown = false;
    }
    if (d.mark == ' ') continue;
    if (head != nullptr && !head_shown) {  // the rule this step belongs to, for context
      append_row(rows, *head);
      head_shown = true;
    }
    if (head != &d) append_row(rows, d);
  }
  if (rows.empty()) {
    out += "<p class=\"muted\">The traces do not differ.</p>\n";
    return;
  }
  out += "<div class=\"table-box\"><table class=\"tdiff\"><thead><tr><th title=\"- OLD only, + NEW only, ~ changed\">"
         "&#177;</th><th>OLD</th><th>NEW</th></tr></thead><tbody>";
  out += rows;
  out += "</tbody></table></div>\n";
}

}  // namespace edict::report

namespace edict::report {

namespace {

void append_side(std::string& out, const char* label, const EvalResult& r) {
  out += fmt::format("<div><h4>{}</h4><p>", label);
  append_result_badges(out, r);
  out += "</p>";
  if (!r.deciding_rules.empty()) {
    std::string rules;
    for (const auto& d : r.deciding_rules) rules += (rules.empty() ? "" : ", ") + ("<code>" + esc(d) + "</code>");
    out += "<p class=\"muted\">by " + rules + "</p>";
  }
  for (const auto& e : r.errors) out += element("p", "muted", e);
  out += fmt::format("<p class=\"muted\">rules as of {}</p>",
                     r.rules_as_of ? r.rules_as_of->to_string() : std::string("latest"));
  if (!r.policy_digest.empty()) out += element("p", "digest", r.policy_digest);
  out += "</div>";
}

}  // namespace

void append_sides(std::string& out, const EvalResult& old_result, const EvalResult& new_result) {
  out += "<div class=\"sides\">";
  append_side(out, "OLD", old_result);
  append_side(out, "NEW", new_result);
  out += "</div>\n";
}

}  // namespace edict::report
