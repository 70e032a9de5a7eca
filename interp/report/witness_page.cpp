// `edict diff --witnesses --format html` (render_witnesses_html): each region where OLD and NEW disagree, with
// its causes, its witness case (facts, OLD and NEW) and the difference of the two traces (diff_traces).
// Uses only the Witness fields every search fills, so that a richer search adds to it without breaking it.
#include <fmt/format.h>

#include "edict/report.hpp"
#include "report/html.hpp"

namespace edict {

namespace {

using report::element;
using report::esc;

void append_witness(std::string& out, const Witness& w, std::size_t number) {
  out += fmt::format("<section class=\"group\" id=\"w{}\"><h2>[{}] ", number, number);
  report::append_result_badges(out, w.old_result);
  out += " &#8594; ";
  report::append_result_badges(out, w.new_result);
  out += "</h2>\n";
  out += element("p", "", w.region) + "\n";
  if (w.cases) out += fmt::format("<p class=\"muted\">{} candidate cases of the search lie in this region.</p>\n", w.cases);
  if (!w.cause.empty()) {
    out += "<h3>Cause</h3><ul>";
    for (const auto& c : w.cause) out += element("li", "", c);
    out += "</ul>\n";
  }
  if (!w.changes.empty()) {
    out += "<h3>What changed</h3><ul>";
    for (const auto& c : w.changes) out += element("li", "", c);
    out += "</ul>\n";
  }
  out += fmt::format("<h3>Witness, as of {}{}</h3>\n", w.as_of.to_string(),
                     w.representative.empty() ? "" : ": " + esc(w.representative));
  report::append_facts_table(out, w.facts);
  report::append_sides(out, w.old_result, w.new_result);
  if (w.old_result.trace && w.new_result.trace) {
    out += "<h3>Trace difference</h3>\n";
    report::append_trace_diff(out, diff_traces(*w.old_result.trace, *w.new_result.trace));
  }
  out += "</section>\n";
}

}  // namespace

std::string render_witnesses_html(const WitnessReport& report) {
  const auto title = fmt::format("{} regions where OLD and NEW disagree", report.witnesses.size());
  std::string body = "<header><h1>" + esc(title) + "</h1>\n";
  body += fmt::format("<p class=\"muted\">{} candidate cases evaluated{}.</p>\n", report.evaluations,
                      report.truncated ? "; the search stopped at its evaluation bound" : "");
  if (report.truncated && !report.cut.empty()) body += element("p", "muted", "cut: " + report.cut + ". " + report.widen);
  if (!report.changes.empty()) {  // what the rulebooks say changed, before the regions where it matters
    body += "<details><summary>Changes between the rulebooks (" + std::to_string(report.changes.size()) +
            ")</summary><ul>";
    for (const auto& c : report.changes) body += element("li", "", c.text);
    body += "</ul></details>\n";
  }
  body += "</header>\n<main>\n";
  if (report.witnesses.empty()) body += "<p>No region found where the decisions differ.</p>\n";
  for (std::size_t i = 0; i < report.witnesses.size(); ++i) append_witness(body, report.witnesses[i], i + 1);
  body += "</main>\n<footer>Edict witness report: - OLD only, + NEW only, ~ changed</footer>\n";
  return report::page(title, body);
}

}  // namespace edict
