// `--why-not OUTCOME`: every rule and exemption that gives OUTCOME (and, through `classified`, every rule
// that sets a label they need), with the checks that failed on the evaluation's trace and the nearest value
// of each fact that flips one (nearest.cpp). Each nearest value alone is then decided by the evaluator; when
// none gives OUTCOME, each path is repaired check by check (re-evaluating with a trace after each round, so
// checks skipped by short-circuit are seen) and the smallest set that gives OUTCOME is kept.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/json_writer.hpp"
#include "edict/render.hpp"
#include "explain/conditions.hpp"

namespace edict {

namespace {

using answers::Block;
using answers::shown;
using Truth = TraceStep::Truth;
using Changes = std::vector<FactChange>;

constexpr int kRepairRounds = 6;

struct Context {
  const Policy& policy;
  const answers::Entities& entities;
  const CompiledProgram& p;
  EvalOptions options;  // traced
  std::string outcome;
  Session* session = nullptr;  // every evaluation of one answer reuses it
  std::size_t evaluations = 0;
};

bool is_label_check(const ConditionNode& n) {
  return n.check && n.check->check == TraceStep::Check::kClassified && n.node != ir::kNone;
}

std::string label_of(const CompiledProgram& p, const ConditionNode& n) { return p.labels[p.nodes[n.node].a]; }

// The evaluated checks whose truth is not `want` on the way to making `n` evaluate to `want`.
void failing(const ConditionNode& n, bool want, std::vector<const ConditionNode*>& out) {
  const Truth wanted = want ? Truth::kTrue : Truth::kFalse;
  switch (n.kind) {
    case ConditionNode::Kind::kCheck:
      if (n.evaluated && n.truth != wanted) out.push_back(&n);
      return;
    case ConditionNode::Kind::kNot: failing(n.children[0], !want, out); return;
    case ConditionNode::Kind::kAll:
    case ConditionNode::Kind::kAny:
      if (n.evaluated && n.truth == wanted) return;
      for (const auto& k : n.children) failing(k, want, out);
      return;
    case ConditionNode::Kind::kIf: return;
  }
}

std::string changes_key(const Changes& changes) {
  std::string out;
  for (const auto& x : changes) out += x.text() + ";";
  return out;
}

ConditionNode tree_of(const Context& c, const Block& b, Date rules) {
  const auto* v = c.entities.version(b.head->subject, rules);
  return v ? answers::condition_tree(c.p, v->condition, b) : ConditionNode{};
}

// The exemptions that applied over `rule` in this trace.
std::vector<const Block*> applied_over(const Context& c, const std::vector<Block>& blocks, std::string_view rule) {
  std::vector<const Block*> out;
  const auto ri = c.entities.index(rule);
  if (ri == ir::kNone) return out;
  const auto& candidates = c.p.exemption_candidates[ri];
  for (const auto& b : blocks) {
    if (b.head->kind != TraceStep::Kind::kExemption || b.head->status != TraceStep::Status::kFired) continue;
    if (std::find(candidates.begin(), candidates.end(), c.entities.index(b.head->subject)) != candidates.end()) {
      out.push_back(&b);
    }
  }
  return out;
}

// One path: `want` true for a rule that should fire, false for a blocking one that should not.
WhyNotPath path_of(const Context& c, const Block& b, const EvalResult& r, const std::vector<Block>& blocks,
                   const Facts& facts, bool want = true) {
  WhyNotPath path;
  const auto& head = *b.head;
  path.entity = head.subject;
  path.exemption = head.kind == TraceStep::Kind::kExemption;
  path.status = head.status;
  path.file = head.file;
  path.line = head.line;
  (head.classifies ? path.label : path.outcome) = head.outcome;
  const Date rules = answers::rulebook_date(r);
  if (head.status == TraceStep::Status::kNotInForce) {
    if (const auto* v = c.entities.version(head.subject, rules)) {
      if (v->from > r.as_of) path.applies_from = v->from;
      else if (v->until <= r.as_of) path.ended = v->until;
    }
    return path;
  }
  const auto tree = tree_of(c, b, rules);
  path.blocking = !want;
  if (head.status == TraceStep::Status::kFired && !path.exemption && want) {
    // Fired with the outcome: exemptions replaced it; what made each apply.
    for (const auto* e : applied_over(c, blocks, head.subject)) {
      path.exempted_by.emplace_back(e->head->subject);
      std::vector<const ConditionNode*> leaves;
      const auto et = answers::deciding_path(tree_of(c, *e, rules));
      failing(et, false, leaves);
      for (const auto* l : leaves) path.failed.push_back(answers::failed_condition(c.p, *l, false, facts));
    }
    return path;
  }
  std::vector<const ConditionNode*> leaves;
  const auto path_tree = want ? tree : answers::deciding_path(tree);  // the leaves point into it
  failing(path_tree, want, leaves);
  for (const auto* l : leaves) {
    path.failed.push_back(answers::failed_condition(c.p, *l, want, facts));
    if (is_label_check(*l)) path.via.push_back(label_of(c.p, *l));
  }
  if (path.exemption) {
    if (const auto* v = c.entities.version(head.subject, rules)) {
      for (const auto o : v->overrides) {
        const auto* ob = answers::find_block(blocks, c.p.entities[o].name);
        if (!ob || ob->head->status != TraceStep::Status::kFired) path.over.push_back(c.p.entities[o].name);
      }
    }
  }
  return path;
}

// ---- repair: the changes that make one condition evaluate to `want` in the current trace

struct Repair {
  const Context& c;
  const std::vector<Block>& blocks;
  const EvalResult& r;
  const Facts& facts;
  int depth = 0;

  std::optional<Changes> of(const ConditionNode& n, bool want) {
    const Truth wanted = want ? Truth::kTrue : Truth::kFalse;
    if (n.evaluated && n.truth == wanted) return Changes{};
    if (!n.evaluated) return Changes{};  // not reached yet: the next round sees it
    switch (n.kind) {
      case ConditionNode::Kind::kCheck: {
        if (is_label_check(n)) return want ? label(label_of(c.p, n)) : label_off(label_of(c.p, n));
        auto fc = answers::failed_condition(c.p, n, want, facts);
        if (fc.changes.empty()) return std::nullopt;
        return Changes{fc.changes[0]};
      }
      case ConditionNode::Kind::kNot: return of(n.children[0], !want);
      case ConditionNode::Kind::kAll:
      case ConditionNode::Kind::kAny: {
        const bool every = (n.kind == ConditionNode::Kind::kAll) == want;
        std::optional<Changes> best;
        Changes all;
        for (const auto& k : n.children) {
          auto one = of(k, want);
          if (every) {
            if (!one) return std::nullopt;
            merge(all, *one);
          } else if (one && (!best || one->size() < best->size())) {
            best = std::move(one);
          }
        }
        return every ? std::optional<Changes>(all) : best;
      }
      case ConditionNode::Kind::kIf: return std::nullopt;
    }
    return std::nullopt;
  }

  std::optional<Changes> label(const std::string& name) {
    if (++depth > 8) return std::nullopt;
    std::optional<Changes> best;
    const auto it = std::find(c.p.labels.begin(), c.p.labels.end(), name);
    if (it == c.p.labels.end()) return best;
    for (const auto e : c.p.label_rules[static_cast<std::size_t>(it - c.p.labels.begin())]) {
      const auto* b = answers::find_block(blocks, c.p.entities[e].name);
      if (!b || b->head->status == TraceStep::Status::kNotInForce) continue;
      auto one = of(tree_of(c, *b, answers::rulebook_date(r)), true);
      if (one && (!best || one->size() < best->size())) best = std::move(one);
    }
    --depth;
    return best;
  }

  // Every rule that set the label must not fire.
  std::optional<Changes> label_off(const std::string& name) {
    if (++depth > 8) return std::nullopt;
    Changes all;
    const auto it = std::find(c.p.labels.begin(), c.p.labels.end(), name);
    if (it == c.p.labels.end()) return std::nullopt;
    for (const auto e : c.p.label_rules[static_cast<std::size_t>(it - c.p.labels.begin())]) {
      const auto* b = answers::find_block(blocks, c.p.entities[e].name);
      if (!b || b->head->status != TraceStep::Status::kFired) continue;
      auto one = of(answers::deciding_path(tree_of(c, *b, answers::rulebook_date(r))), false);
      if (!one) return std::nullopt;
      merge(all, *one);
    }
    --depth;
    return all;
  }

  static void merge(Changes& into, const Changes& more) {
    for (const auto& m : more) {
      const auto same = std::find_if(into.begin(), into.end(), [&](const FactChange& x) { return x.path == m.path; });
      if (same == into.end()) into.push_back(m);
      else *same = m;
    }
  }
};

// Repairs `rule` (or the exemptions replacing it) round by round until the decision is the outcome.
// `base` is the traced evaluation of `facts` (the first round reads it instead of evaluating again).
std::optional<Changes> repair(Context& c, const Facts& facts, const EvalResult& base,
                              const std::vector<std::string>& entities, bool want) {
  Changes changes;
  for (int round = 0; round < kRepairRounds; ++round) {
    const Facts now = with_changes(facts, changes);
    EvalResult evaluated;
    if (round > 0) {
      evaluated = c.session->evaluate(now, c.options);
      ++c.evaluations;
    }
    const EvalResult& r = round > 0 ? evaluated : base;
    if (!r.ok || !r.trace) return std::nullopt;
    if (r.decision == c.outcome) return changes;
    const auto blocks = answers::blocks_of(*r.trace);
    Repair fix{c, blocks, r, now};
    Changes more;
    for (const auto& entity : entities) {
      const auto* b = answers::find_block(blocks, entity);
      if (!b || b->head->status == TraceStep::Status::kNotInForce) {
        if (want) return std::nullopt;
        continue;  // a blocking rule no longer in the way
      }
      std::optional<Changes> one;
      if (want && b->head->status == TraceStep::Status::kFired && b->head->kind == TraceStep::Kind::kRule) {
        one = Changes{};
        for (const auto* e : applied_over(c, blocks, entity)) {
          auto off = fix.of(tree_of(c, *e, answers::rulebook_date(r)), false);
          if (!off) return std::nullopt;
          Repair::merge(*one, *off);
        }
      } else {
        one = fix.of(tree_of(c, *b, answers::rulebook_date(r)), want);
      }
      if (!one) return std::nullopt;
      Repair::merge(more, *one);
    }
    if (more.empty()) return std::nullopt;
    const auto before = changes_key(changes);
    Repair::merge(changes, more);
    if (changes_key(changes) == before) return std::nullopt;  // no progress
  }
  return std::nullopt;
}

std::string changes_text(const Changes& changes) {
  std::string out;
  for (const auto& x : changes) out += (out.empty() ? "" : ", ") + shown(x.text());
  return out;
}

const char* status_word(const WhyNotPath& p) {
  switch (p.status) {
    case TraceStep::Status::kFired: return p.exemption ? "applies" : "fired";
    case TraceStep::Status::kNotFired: return p.exemption ? "does not apply" : "not fired";
    case TraceStep::Status::kIndeterminate: return "indeterminate";
    case TraceStep::Status::kNotInForce: return "not in force";
    case TraceStep::Status::kNone: break;
  }
  return "";
}

void append_path_text(std::string& out, const WhyNotPath& p) {
  const auto gives = p.label.empty() ? shown(p.outcome) : fmt::format("classifies \"{}\"", shown(p.label));
  out += fmt::format("{} {} -> {}: {}  ({}:{})\n", p.exemption ? "exemption" : "rule", shown(p.entity), gives,
                     status_word(p), shown(p.file), p.line);
  if (p.applies_from) out += fmt::format("  in force from {} (after the date)\n", p.applies_from->to_string());
  if (p.ended) out += fmt::format("  in force until {} (before the date)\n", p.ended->to_string());
  if (p.blocking) out += "  fired for a more severe decision: it must not fire; the checks that made it fire:\n";
  if (!p.exempted_by.empty()) {
    std::string ex;
    for (const auto& e : p.exempted_by) ex += (ex.empty() ? "" : ", ") + shown(e);
    out += fmt::format("  replaced by exemption {}, which applies because:\n", ex);
  }
  if (!p.over.empty()) {
    std::string over;
    for (const auto& o : p.over) over += (over.empty() ? "" : ", ") + shown(o);
    out += fmt::format("  needs rule {} to fire as well\n", over);
  }
  for (const auto& f : p.failed) {
    out += (p.blocking ? "  holds: " : "  failed: ") + (f.leaf.check ? answers::leaf_line(*f.leaf.check) : std::string("(not evaluated)")) + "\n";
    std::string line = "    needs " + shown(f.needs);
    if (!f.changes.empty()) {
      std::string nearest;
      for (const auto& x : f.changes) nearest += (nearest.empty() ? "" : " or ") + shown(x.text());
      line += "; nearest: " + nearest;
    }
    out += line + "\n";
    if (!f.members.empty()) {
      std::string m;
      for (const auto& x : f.members) m += (m.empty() ? "" : ", ") + shown(x);
      if (f.members_total > f.members.size()) m += fmt::format(", ... ({} more)", f.members_total - f.members.size());
      out += fmt::format("    members that satisfy it: {}\n", m);
    }
  }
}

void append_changes_json(std::string& out, const Changes& changes) {
  out += '[';
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (i) out += ',';
    out += "{\"fact\":";
    core::append_json_string(out, changes[i].path);
    out += ",\"value\":" + answers::value_json(changes[i].value) + "}";
  }
  out += ']';
}

void append_path_json(std::string& out, const WhyNotPath& p) {
  out += "{\"name\":";
  core::append_json_string(out, p.entity);
  out += fmt::format(",\"kind\":\"{}\",\"status\":\"{}\"", p.exemption ? "exemption" : "rule", status_word(p));
  out += p.label.empty() ? ",\"outcome\":" : ",\"classifies\":";
  core::append_json_string(out, p.label.empty() ? p.outcome : p.label);
  out += ",\"location\":{\"file\":";
  core::append_json_string(out, p.file);
  out += fmt::format(",\"line\":{}}}", p.line);
  if (p.applies_from) out += fmt::format(",\"applies_from\":\"{}\"", p.applies_from->to_string());
  if (p.ended) out += fmt::format(",\"ended\":\"{}\"", p.ended->to_string());
  if (!p.exempted_by.empty()) {
    out += ",\"exempted_by\":";
    core::append_json_strings(out, p.exempted_by);
  }
  if (p.blocking) out += ",\"blocking\":true";
  if (!p.over.empty()) {
    out += ",\"needs_rules\":";
    core::append_json_strings(out, p.over);
  }
  out += ",\"failed\":[";
  for (std::size_t i = 0; i < p.failed.size(); ++i) {
    const auto& f = p.failed[i];
    if (i) out += ',';
    out += "{\"check\":";
    answers::append_condition_json(out, f.leaf);
    out += ",\"needs\":";
    core::append_json_string(out, f.needs);
    out += ",\"nearest\":";
    append_changes_json(out, f.changes);
    if (!f.members.empty()) {
      out += ",\"members\":";
      core::append_json_strings(out, f.members);
      out += fmt::format(",\"members_total\":{}", f.members_total);
    }
    out += '}';
  }
  out += "]}";
}

}  // namespace

Facts with_changes(const Facts& facts, const std::vector<FactChange>& changes, const std::string& source) {
  Facts out;
  for (const auto& e : facts.entries()) {
    const bool replaced = std::any_of(changes.begin(), changes.end(), [&](const FactChange& c) {
      return c.path == e.path || (e.path.size() > c.path.size() && e.path.compare(0, c.path.size(), c.path) == 0 &&
                                  e.path[c.path.size()] == '.');
    });
    if (!replaced) out.set(e.path, e.value, e.source);
  }
  for (const auto& c : changes) out.set(c.path, c.value, source);
  return out;
}

WhyNotAnswer why_not(const Policy& policy, const Facts& facts, const EvalOptions& options, std::string_view outcome) {
  WhyNotAnswer a;
  a.outcome = outcome;
  const answers::Entities entities(program_of(policy));
  const auto& p = entities.program();
  if (std::find(p.outcomes.begin(), p.outcomes.end(), outcome) == p.outcomes.end()) {
    std::string declared;
    for (const auto& o : p.outcomes) declared += (declared.empty() ? "" : ", ") + o;
    a.error = fmt::format("`{}` is not an outcome of this policy; its outcomes: {}", outcome, declared);
    return a;
  }
  Session session(policy);
  Context c{policy, entities, p, options, std::string(outcome), &session};
  c.options.trace = true;
  a.result = session.evaluate(facts, c.options);
  ++c.evaluations;
  if (!a.result.ok || !a.result.trace) return a;
  a.already = a.result.decision == outcome;
  const auto blocks = answers::blocks_of(*a.result.trace);

  // Rules whose window ended before the date could not have given it on that date: left out.
  const auto current = [](const WhyNotPath& path) { return !path.ended; };
  for (const auto& b : blocks) {
    if (b.head->classifies || b.head->outcome != outcome) continue;
    auto path = path_of(c, b, a.result, blocks, facts);
    if (current(path)) a.paths.push_back(std::move(path));
  }
  // A decision more severe than OUTCOME: its deciding rules must not fire.
  const auto rank = [&](std::string_view o) {
    return static_cast<std::size_t>(std::find(p.outcomes.begin(), p.outcomes.end(), o) - p.outcomes.begin());
  };
  std::vector<std::string> blocking;
  if (!a.already && rank(a.result.decision) < rank(outcome)) {
    for (const auto& b : blocks) {
      if (b.head->kind != TraceStep::Kind::kRule || b.head->status != TraceStep::Status::kFired) continue;
      if (std::find(a.result.deciding_rules.begin(), a.result.deciding_rules.end(), b.head->subject) ==
          a.result.deciding_rules.end()) {
        continue;
      }
      a.paths.push_back(path_of(c, b, a.result, blocks, facts, false));
      blocking.emplace_back(b.head->subject);
    }
  }
  // The rules that set (or, for a blocking path, that did set) a label a path needs, and the labels their own
  // conditions need.
  std::set<std::pair<std::string, bool>> seen;
  std::vector<std::pair<std::string, bool>> todo;
  for (const auto& path : a.paths) {
    for (const auto& v : path.via) todo.emplace_back(v, !path.blocking);
  }
  while (!todo.empty()) {
    const auto [label, want] = todo.front();
    todo.erase(todo.begin());
    if (!seen.insert({label, want}).second) continue;
    for (const auto& b : blocks) {
      if (!b.head->classifies || b.head->outcome != label) continue;
      if ((b.head->status == TraceStep::Status::kFired) == want) continue;
      auto path = path_of(c, b, a.result, blocks, facts, want);
      if (!current(path)) continue;
      a.label_paths.push_back(std::move(path));
      for (const auto& v : a.label_paths.back().via) todo.emplace_back(v, want);
    }
  }
  if (a.already) {
    a.evaluations = c.evaluations;
    return a;
  }
  // Each nearest value alone.
  std::set<std::string> tried;
  EvalOptions lean = options;
  lean.trace = false;
  for (const auto* list : {&a.paths, &a.label_paths}) {
    for (const auto& path : *list) {
      for (const auto& f : path.failed) {
        for (const auto& change : f.changes) {
          if (!tried.insert(change.text()).second) continue;
          const auto& d = session.decide(with_changes(facts, {change}), lean);
          ++c.evaluations;
          TriedChange t{{change}, d.ok ? std::string(d.decision) : "error", {}};
          for (const auto e : d.exemptions) t.exemptions.emplace_back(e);
          if (d.ok && d.decision == outcome && a.minimal.empty()) {
            a.minimal = t.changes;
            a.single = true;
          }
          a.singles.push_back(std::move(t));
        }
      }
    }
  }
  if (a.minimal.empty()) {
    // No single change: repair each path and keep the smallest set.
    // No single change works, so two is the least: the first set of two found ends the search.
    for (const auto& path : a.paths) {
      if (a.minimal.size() == 2) break;
      if (path.status == TraceStep::Status::kNotInForce || path.blocking) continue;
      auto found = repair(c, facts, a.result, {path.entity}, true);
      if (found && (a.minimal.empty() || found->size() < a.minimal.size())) a.minimal = std::move(*found);
    }
    if (!blocking.empty() && a.minimal.size() != 2) {
      auto found = repair(c, facts, a.result, blocking, false);
      if (found && (a.minimal.empty() || found->size() < a.minimal.size())) a.minimal = std::move(*found);
    }
    a.single = a.minimal.size() == 1;
  }
  a.evaluations = c.evaluations;
  return a;
}

std::string render_why_not_text(const WhyNotAnswer& a) {
  if (!a.error.empty()) return "error: " + shown(a.error) + "\n";
  const auto& r = a.result;
  if (!r.ok) return render_text(r);
  std::string out = fmt::format("decision: {}  (as of {}; rules as of {})\n", shown(r.decision), r.as_of.to_string(),
                                r.rules_as_of ? r.rules_as_of->to_string() : "latest");
  if (a.already) {
    out += fmt::format("the decision is already {}: see --explain\n", shown(a.outcome));
    return out;
  }
  out += fmt::format("why not {}:\n", shown(a.outcome));
  if (a.paths.empty()) out += fmt::format("no rule or exemption in this rulebook gives {}\n", shown(a.outcome));
  for (const auto& p : a.paths) append_path_text(out, p);
  if (!a.label_paths.empty()) out += "the rules that set, or would set, the labels these test:\n";
  for (const auto& p : a.label_paths) append_path_text(out, p);
  if (!a.singles.empty()) {
    out += "each nearest value alone (evaluated):\n";
    for (const auto& t : a.singles) {
      std::string ex;
      for (const auto& e : t.exemptions) ex += (ex.empty() ? "" : ", ") + shown(e);
      out += fmt::format("  {} -> {}{}\n", changes_text(t.changes), shown(t.decision),
                         ex.empty() ? "" : " (exemption " + ex + ")");
    }
  }
  if (a.minimal.empty()) {
    out += fmt::format("no change of facts found that gives {}\n", shown(a.outcome));
  } else if (a.single) {
    out += fmt::format("smallest change: {} (one change suffices)\n", changes_text(a.minimal));
  } else {
    out += fmt::format("smallest change found: {} ({} changes; no single nearest value suffices; the smallest set "
                       "found, not proven minimal)\n",
                       changes_text(a.minimal), a.minimal.size());
  }
  return out;
}

std::string render_why_not_json(const WhyNotAnswer& a) {
  if (!a.error.empty()) {
    std::string out = "{\"error\":{\"messages\":[";
    core::append_json_string(out, a.error);
    return out + "]}}";
  }
  EvalResult summary = a.result;
  summary.trace.reset();
  std::string out = render_json(summary);
  if (!summary.ok) return out;
  out.pop_back();
  out += ",\"why_not\":{\"outcome\":";
  core::append_json_string(out, a.outcome);
  out += fmt::format(",\"already\":{},\"paths\":[", a.already ? "true" : "false");
  for (std::size_t i = 0; i < a.paths.size(); ++i) {
    if (i) out += ',';
    append_path_json(out, a.paths[i]);
  }
  out += "],\"label_paths\":[";
  for (std::size_t i = 0; i < a.label_paths.size(); ++i) {
    if (i) out += ',';
    append_path_json(out, a.label_paths[i]);
  }
  out += "],\"tried\":[";
  for (std::size_t i = 0; i < a.singles.size(); ++i) {
    if (i) out += ',';
    out += "{\"changes\":";
    append_changes_json(out, a.singles[i].changes);
    out += ",\"decision\":";
    core::append_json_string(out, a.singles[i].decision);
    out += ",\"exemptions\":";
    core::append_json_strings(out, a.singles[i].exemptions);
    out += '}';
  }
  out += "],\"smallest_change\":";
  append_changes_json(out, a.minimal);
  out += fmt::format(",\"one_change_suffices\":{}}}}}", a.single ? "true" : "false");
  return out;
}

}  // namespace edict
