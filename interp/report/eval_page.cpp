// `edict eval --format html` (render_eval_html): the decision, its deciding path (explain()), the facts with
// where each came from, the citations, and the full trace folded below. Every part is read from the
// Explanation and its trace, never from their text renderings.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "edict/render.hpp"
#include "edict/report.hpp"
#include "report/html.hpp"

namespace edict {

namespace {

using report::element;
using report::esc;
using Truth = TraceStep::Truth;

const char* truth_word(Truth t) { return t == Truth::kTrue ? "true" : t == Truth::kFalse ? "false" : "unknown"; }

std::string truth_html(Truth t) {
  return fmt::format("<span class=\"t-{0}\">{0}</span>", truth_word(t));
}

const char* connective(ConditionNode::Kind k) {
  switch (k) {
    case ConditionNode::Kind::kAll: return "all of";
    case ConditionNode::Kind::kAny: return "any of";
    case ConditionNode::Kind::kNot: return "not";
    case ConditionNode::Kind::kIf: return "if";
    case ConditionNode::Kind::kCheck: break;
  }
  return "";
}

// A comparison with each value marked: the facts' values (.val) and the bounds they are compared with
// (.bound, the thresholds), so that "15832 >= 4800" reads at a glance.
std::string check_html(const TraceStep& s) {
  if (s.check != TraceStep::Check::kCompare) return "<code>" + esc(trace_text(s)) + "</code>";
  std::string out = "<code>";
  for (const auto& o : s.operands) {
    if (!o.op.empty()) out += " " + esc(o.op) + " ";
    const auto value = o.value.kind == TraceValue::Kind::kUnknown ? std::string(o.fact ? "(missing)" : "(unknown)")
                                                                   : trace_value_text(o.value);
    if (!o.source.empty()) out += esc(o.source) + " ";
    out += fmt::format("<span class=\"{}\">{}</span>", o.bound ? "bound" : "val", esc(value));
  }
  return out + "</code>";
}

// Where each fact of a check came from: given, defaulted (from which fact) or missing.
std::string provenance_html(const TraceStep& s) {
  std::string out;
  for (const auto& o : s.operands) {
    if (!o.fact) continue;
    std::string one = esc(o.fact_path) + ": ";
    switch (o.provenance) {
      case Provenance::kGiven: one += "given"; break;
      case Provenance::kDefaulted:
        one += o.default_from.empty() ? "defaulted (its default value)" : "defaulted from " + esc(o.default_from);
        break;
      case Provenance::kMissing: one += "missing"; break;
      case Provenance::kNotAFact: break;
    }
    out += (out.empty() ? "" : "; ") + one;
  }
  return out.empty() ? out : " <span class=\"prov\">[" + out + "]</span>";
}

void append_condition(std::string& out, const ConditionNode& n) {
  out += "<li>";
  if (n.kind == ConditionNode::Kind::kCheck) {
    if (!n.check) {
      out += "<span class=\"muted\">(not evaluated)</span></li>";
      return;
    }
    const auto& s = *n.check;
    out += check_html(s) + " &#8594; " + truth_html(n.truth);
    const auto detail = trace_detail(s);
    if (!detail.empty()) out += " <span class=\"muted\">[" + esc(detail) + "]</span>";
    out += provenance_html(s) + "</li>";
    return;
  }
  out += fmt::format("<b>{}</b> &#8594; {}", connective(n.kind),
                     n.evaluated ? truth_html(n.truth) : "<span class=\"muted\">not evaluated</span>");
  if (n.omitted) out += fmt::format(" <span class=\"muted\">({} more not needed)</span>", n.omitted);
  out += "<ul>";
  for (const auto& k : n.children) append_condition(out, k);
  out += "</ul></li>";
}

// A rule's `when a and b` lists its operands at the top level.
void append_condition_root(std::string& out, const ConditionNode& n) {
  out += "<ul class=\"cond\">";
  if (n.kind == ConditionNode::Kind::kAll && n.children.size() > 0) {
    for (const auto& k : n.children) append_condition(out, k);
  } else {
    append_condition(out, n);
  }
  out += "</ul>";
}

const TraceStep* head_step(const EvalResult& r, const std::string& name) {
  if (!r.trace) return nullptr;
  for (const auto& s : r.trace->steps) {
    if ((s.kind == TraceStep::Kind::kRule || s.kind == TraceStep::Kind::kExemption) && s.subject == name) return &s;
  }
  return nullptr;
}

const char* status_word(const ExplainedEntity& e) {
  switch (e.status) {
    case TraceStep::Status::kFired: return e.exemption ? "applies" : "fired";
    case TraceStep::Status::kNotFired: return e.exemption ? "does not apply" : "not fired";
    case TraceStep::Status::kIndeterminate: return "indeterminate";
    case TraceStep::Status::kNotInForce: return "not in force";
    case TraceStep::Status::kNone: break;
  }
  return "";
}

const char* status_class(TraceStep::Status status) {
  switch (status) {
    case TraceStep::Status::kFired: return "t-true";
    case TraceStep::Status::kIndeterminate: return "t-unknown";
    default: return "t-false";
  }
}

void append_entity(std::string& out, const ExplainedEntity& e, const EvalResult& r) {
  out += "<article class=\"entity\">";
  const auto gives = e.classifies ? "classifies &#8220;" + esc(e.outcome) + "&#8221;" : esc(e.outcome);
  out += fmt::format("<h3>{} <code>{}</code> &#8594; {}: <span class=\"{}\">{}</span></h3>",
                     e.exemption ? "exemption" : "rule", esc(e.name), gives,
                     status_class(e.status), status_word(e));
  if (const auto* head = head_step(r, e.name); head && !head->title.empty()) out += element("p", "", head->title);
  if (!e.citation.empty()) out += element("p", "cite", e.citation);
  if (!e.reason.empty()) out += "<p>because &#8220;" + esc(e.reason) + "&#8221;</p>";
  if (!e.overrides.empty()) {
    std::string over;
    for (const auto& o : e.overrides) over += (over.empty() ? "" : ", ") + ("<code>" + esc(o) + "</code>");
    out += "<p>considered over " + over + "</p>";
  }
  out += fmt::format("<p class=\"loc\">{}:{} &#183; in force {}</p>", esc(e.file), e.line,
                     esc(report::window_text(e.from, e.until)));
  append_condition_root(out, e.condition);
  out += "</article>\n";
}

void append_entities(std::string& out, const char* heading, const char* note, const std::vector<ExplainedEntity>& list,
                     const EvalResult& r) {
  if (list.empty()) return;
  out += fmt::format("<h3 class=\"muted\">{}</h3>", heading);
  if (*note) out += fmt::format("<p class=\"muted\">{}</p>", note);
  for (const auto& e : list) append_entity(out, e, r);
}

std::string dates_meta(const EvalResult& r, const std::string& policy_title, const std::string& digest) {
  std::string out = "<dl class=\"meta\">";
  if (!policy_title.empty()) out += "<dt>policy</dt><dd>" + esc(policy_title) + "</dd>";
  out += "<dt>as of</dt><dd>" + r.as_of.to_string() + "</dd>";
  out += "<dt>rules as of</dt><dd>" + (r.rules_as_of ? r.rules_as_of->to_string() : std::string("latest")) + "</dd>";
  if (!r.deciding_rules.empty()) {
    std::string rules;
    for (const auto& d : r.deciding_rules) rules += (rules.empty() ? "" : ", ") + ("<code>" + esc(d) + "</code>");
    out += "<dt>deciding rules</dt><dd>" + rules + "</dd>";
  }
  if (!r.exemptions.empty()) {
    std::string ex;
    for (const auto& d : r.exemptions) ex += (ex.empty() ? "" : ", ") + ("<code>" + esc(d) + "</code>");
    out += "<dt>exemptions</dt><dd>" + ex + "</dd>";
  }
  out += "<dt>policy digest</dt><dd class=\"digest\">" + esc(digest) + "</dd></dl>\n";
  return out;
}

// The facts given, then those the policy filled by default or found missing (read from the trace).
void append_facts(std::string& out, const Facts& facts, const EvalResult& r) {
  out += "<section id=\"facts\"><h2>Facts</h2>";
  report::append_facts_table(out, facts);
  std::map<std::string, std::string> defaulted;  // path -> "value, from other.fact": sorted, each once
  if (r.trace) {
    for (const auto& o : r.trace->operands) {
      if (!o.fact || o.provenance != Provenance::kDefaulted) continue;
      defaulted.emplace(std::string(o.fact_path),
                        trace_value_text(o.value) + (o.default_from.empty() ? std::string(" (its default value)")
                                                                            : " from " + std::string(o.default_from)));
    }
  }
  if (!defaulted.empty()) {
    out += "<p>Filled by the policy&#8217;s defaults:</p><div class=\"table-box\"><table class=\"facts\"><tbody>";
    for (const auto& [path, value] : defaulted) {
      out += fmt::format("<tr><td><code>{}</code></td><td>{}</td></tr>", esc(path), esc(value));
    }
    out += "</tbody></table></div>";
  }
  if (!r.indeterminate_facts.empty()) {
    std::string missing;
    for (const auto& f : r.indeterminate_facts) missing += (missing.empty() ? "" : ", ") + ("<code>" + esc(f) + "</code>");
    out += "<p>Missing (unknown): " + missing + "</p>";
  }
  out += "</section>\n";
}

// The citations of the deciding path: deciding rules and exemptions first (the result's), then the
// classifications they rely on, each once.
void append_citations(std::string& out, const Explanation& x) {
  std::vector<std::string> all = x.result.citations;
  for (const auto* list : {&x.rules, &x.classifications, &x.exemptions}) {
    for (const auto& e : *list) {
      if (!e.citation.empty() && std::find(all.begin(), all.end(), e.citation) == all.end()) all.push_back(e.citation);
    }
  }
  if (all.empty()) return;
  out += "<section id=\"citations\"><h2>Citations</h2><ol>";
  for (const auto& c : all) out += element("li", "cite", c);
  out += "</ol></section>\n";
}

void append_errors(std::string& out, const EvalResult& r) {
  out += fmt::format("<section id=\"errors\"><h2>{}</h2><ul>",
                     r.limit_exceeded ? "The evaluation exceeded a limit" : "The facts do not fit the policy");
  for (const auto& e : r.errors) out += element("li", "", e);
  out += "</ul></section>\n";
}

void append_why(std::string& out, const Explanation& x) {
  const auto& r = x.result;
  out += "<section id=\"why\"><h2>Why</h2>";
  for (const auto& c : r.conflicts) {
    std::string ex;
    for (const auto& e : c.exemptions) ex += (ex.empty() ? "" : ", ") + ("<code>" + esc(e) + "</code>");
    out += "<p>Conflict: exemptions " + ex + " all apply to rule <code>" + esc(c.rule) +
           "</code> with different outcomes.</p>";
  }
  if (r.decision == "indeterminate") {
    out += "<p>Undecided: a rule or exemption could not be evaluated for want of facts, and it could change the "
           "decision.</p>";
  } else if (x.rules.empty()) {
    out += "<p>No rule decided: the policy&#8217;s default outcome applies.</p>";
  }
  append_entities(out, r.decision == "indeterminate" ? "Undecided rules" : "Deciding rules", "", x.rules, r);
  append_entities(out, "Classifications they rely on", "", x.classifications, r);
  append_entities(out, "Exemptions considered", "In force and able to override a deciding rule.", x.exemptions, r);
  out += "</section>\n";
}

}  // namespace

std::string render_eval_html(const Policy& policy, const Facts& facts, const EvalOptions& options) {
  const Explanation x = explain(policy, facts, options);
  const auto& r = x.result;
  const std::string decision = r.ok ? r.decision : "error";
  const std::string title = policy.inventory().title;
  std::string body = "<header>";
  body += "<h1>Decision: ";
  report::append_result_badges(body, r);
  body += "</h1>\n";
  body += dates_meta(r, title, r.policy_digest.empty() ? policy.digest() : r.policy_digest);
  body += "</header>\n<main>\n";
  for (const auto& w : r.warnings) body += element("p", "muted", "warning: " + w);
  if (!r.ok) {
    append_errors(body, r);
  } else {
    append_why(body, x);
  }
  append_facts(body, facts, r);
  if (r.ok) append_citations(body, x);
  if (r.trace) {
    body += fmt::format("<section id=\"trace\"><h2>Trace</h2><details><summary>The full trace ({} steps)</summary>"
                        "<div class=\"trace-box\">",
                        r.trace->steps.size());
    report::append_trace(body, *r.trace);
    body += "</div></details></section>\n";
  }
  body += "</main>\n<footer>Edict evaluation report</footer>\n";
  return report::page("Decision: " + decision + (title.empty() ? "" : " \u2014 " + title), body);
}

}  // namespace edict
