// `edict diff --cases FILE --format html` (render_diff_html): a summary of the changed cases, a contents
// list of the cause groups, then each group with its causes, transitions, example case (facts, OLD and NEW,
// and the trace difference). Read from the DiffReport's data.
#include <algorithm>

#include <fmt/format.h>

#include "edict/report.hpp"
#include "report/html.hpp"

namespace edict {

namespace {

using report::element;
using report::esc;

std::string cases(std::size_t n) { return fmt::format("{} case{}", n, n == 1 ? "" : "s"); }

std::string summary_html(const DiffReport& report) {
  std::string out = "<dl class=\"meta\">";
  out += fmt::format("<dt>cases</dt><dd>{}</dd><dt>changed</dt><dd>{}</dd>", report.cases, report.changed);
  out += fmt::format("<dt>decisions changed</dt><dd>{}</dd><dt>classifications or values only</dt><dd>{}</dd>",
                     report.decision_changes, report.changed - report.decision_changes);
  out += fmt::format("<dt>cause groups</dt><dd>{}</dd>", report.groups.size());
  if (report.errors) out += fmt::format("<dt>bad lines</dt><dd>{}</dd>", report.errors);
  out += "</dl>\n";
  if (report.ignored_rules_as_of) {
    out += fmt::format("<p class=\"muted\">{} lines set &#8220;rules_as_of&#8221;; ignored (diff reads the "
                       "rulebooks as given on the command line).</p>\n",
                       report.ignored_rules_as_of);
  }
  if (!report.first_errors.empty()) {
    out += "<ul>";
    for (const auto& e : report.first_errors) {
      out += element("li", "", fmt::format("line {}{}: {}", e.line, e.id.empty() ? "" : " (id " + e.id + ")",
                                           e.message));
    }
    if (report.errors > report.first_errors.size()) {
      out += fmt::format("<li>... and {} more bad lines</li>", report.errors - report.first_errors.size());
    }
    out += "</ul>\n";
  }
  return out;
}

std::string contents_html(const DiffReport& report) {
  if (report.groups.empty()) return "<p>No decision or classification changed.</p>\n";
  std::string out = "<nav><h2>Groups</h2><ol>";
  for (std::size_t i = 0; i < report.groups.size(); ++i) {
    const auto& g = report.groups[i];
    out += fmt::format("<li><a href=\"#g{}\">{}</a>: {}</li>", i + 1, cases(g.count), esc(g.key));
  }
  return out + "</ol></nav>\n";
}

void append_transitions(std::string& out, const DiffGroup& g) {
  std::vector<std::pair<std::string, std::size_t>> transitions(g.transitions.begin(), g.transitions.end());
  std::stable_sort(transitions.begin(), transitions.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  out += "<div class=\"table-box\"><table><thead><tr><th class=\"num\">cases</th><th>OLD &#8594; NEW</th></tr></thead><tbody>";
  for (const auto& [t, c] : transitions) out += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td></tr>", c, esc(t));
  out += "</tbody></table></div>\n";
}

void append_group(std::string& out, const DiffGroup& g, std::size_t number) {
  out += fmt::format("<section class=\"group\" id=\"g{}\"><h2>[{}] {} ({} decisions changed)</h2>\n", number,
                     number, cases(g.count), g.decision_changes);
  out += "<h3>Cause</h3><ul>";
  for (const auto& d : g.descriptions) out += element("li", "", d);
  out += "</ul>\n";
  append_transitions(out, g);
  out += fmt::format("<h3>Example: line {}{}, as of {}</h3>\n", g.example_line,
                     g.example_id.empty() ? "" : ", id " + esc(g.example_id), g.example_as_of.to_string());
  report::append_facts_json_table(out, g.example_facts);
  report::append_sides(out, g.example_old, g.example_new);
  out += "<h3>Trace difference</h3>\n";
  report::append_trace_diff(out, g.example_trace_diff);
  out += "</section>\n";
}

}  // namespace

std::string render_diff_html(const DiffReport& report) {
  std::string body = fmt::format("<header><h1>Diff: {} of {} cases changed</h1>\n", report.changed, report.cases);
  body += summary_html(report);
  body += "</header>\n<main>\n";
  body += contents_html(report);
  for (std::size_t i = 0; i < report.groups.size(); ++i) append_group(body, report.groups[i], i + 1);
  body += "</main>\n<footer>Edict diff report: - OLD only, + NEW only, ~ changed</footer>\n";
  return report::page(fmt::format("Diff: {} of {} cases changed", report.changed, report.cases), body);
}

}  // namespace edict
