// Internal to interp/report/: the HTML pages of `--format html`, one job per file:
//   html.cpp        escaping policy and fact text for HTML, small element helpers
//   page.cpp        the page shell: head, the one inline stylesheet (screen, phone, print), no script
//   trace_html.cpp  a trace step as a line, the full trace as nested lists, results as badges
//   facts_html.cpp  a facts table
//   diff_html.cpp   a trace difference as a table of -/+/~ rows, OLD and NEW side by side
//   eval_page.cpp   render_eval_html: the decision, its deciding path, the facts, citations, the trace
//   diff_page.cpp   render_diff_html: the groups of changed decisions of a corpus, with an example each
//   witness_page.cpp  render_witnesses_html: the regions where two versions disagree, with a witness each
// Every string that comes from a policy, the facts or a result goes through esc() before it is written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edict/diff.hpp"
#include "edict/facts.hpp"
#include "edict/result.hpp"

namespace edict::report {

// `text` for an HTML element or a quoted attribute: control, bidirectional and non-UTF-8 characters shown
// as escapes (as the text renderings print them), then & < > " ' as character references.
std::string esc(std::string_view text);
void append_esc(std::string& out, std::string_view text);
// <tag class="cls">escaped text</tag> (no class attribute when `cls` is empty).
std::string element(std::string_view tag, std::string_view cls, std::string_view text);

// The page around `body` (HTML already escaped): doctype, language, viewport, a Content-Security-Policy
// that forbids every fetch and script, the stylesheet, and `title` (escaped here).
std::string page(std::string_view title, std::string_view body);

// One step as a line of text (not escaped): "rule x: fired  [2023-11-17, +inf)", "product.tpp 15832 >= 4800
// -> true", "parameter p = 1000", "decision: license_required (by a, b)".
std::string step_line(const TraceStep& step);
// The full trace as nested lists (<ul class="trace">), each rule with its title, citation and window.
void append_trace(std::string& out, const Trace& trace);
// "decision" with its classifications as badges, or "error" for facts that did not fit.
void append_result_badges(std::string& out, const EvalResult& result);
// "[2023-11-17, +inf)" or "always".
std::string window_text(Date from, Date until);

// The facts as a two-column table (path, value); object entries are left out (their members are listed).
void append_facts_table(std::string& out, const Facts& facts);
// Facts given as a JSON object (DiffGroup::example_facts): the same table, or the JSON as code if unreadable.
void append_facts_json_table(std::string& out, std::string_view json);

// The differing steps of a trace diff, each under its rule or exemption, as a table: mark, OLD, NEW.
void append_trace_diff(std::string& out, const std::vector<TraceDiffStep>& steps);
// OLD and NEW side by side: each decision with its classifications, deciding rules, rules-as-of date and
// policy digest.
void append_sides(std::string& out, const EvalResult& old_result, const EvalResult& new_result);

}  // namespace edict::report
