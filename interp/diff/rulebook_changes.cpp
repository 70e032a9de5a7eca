// What changed between two rulebooks, read from the compiled policies alone (edict::compare_rulebooks): the
// rules and exemptions added, removed, or changed in condition, outcome, `overrides` list or effective
// window; the groups whose dated membership changed; the parameters whose dated values changed. Each change
// names both sides, so that a reviewer sees what an amendment did, not only that something did.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "api/internals.hpp"
#include "edict/diff.hpp"
#include "eval/rulebook.hpp"
#include "ir/queries.hpp"

namespace edict {

namespace {

using ir::kNone;
using Kind = RulebookChange::Kind;

// The rulebook a side reads: the one published as of its date, or the latest.
Date rulebook_date(std::optional<Date> rules) { return rules.value_or(Date::from_days(Date::max().days() - 1)); }

struct Side {
  const CompiledProgram& p;
  Date rules;
};

std::string node_text(const CompiledProgram& p, std::uint32_t node) {
  if (node == kNone) return "none";
  auto text = ir::span_text(p.sources, p.nodes[node].span);
  return text.empty() ? "(no source)" : text;
}

std::string window_text(const ir::RuleVersion& v) {
  const auto from = v.from == Date::min() ? std::string("always") : "from " + v.from.to_string();
  return v.until == Date::max() ? from : from + " until " + v.until.to_string();
}

std::string outcome_text(const CompiledProgram& p, const ir::RuleVersion& v) {
  return v.outcome_kind == ir::OutcomeKind::kClassify ? "classify \"" + p.labels[v.outcome] + "\""
                                                      : p.outcomes[v.outcome];
}

std::set<std::string> overrides_of(const CompiledProgram& p, const ir::RuleVersion& v) {
  std::set<std::string> out;
  for (const auto o : v.overrides) out.insert(p.entities[o].name);
  return out;
}

std::string names_text(const std::set<std::string>& names, const char* sign) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + (sign + n);
  return out;
}

struct Collector {
  Side side[2];
  std::vector<RulebookChange> out;

  void add(Kind kind, std::string subject, std::string name, std::string key, std::string text,
           std::string defined_by) {
    out.push_back({kind, std::move(subject), std::move(name), std::move(key), std::move(text), std::move(defined_by)});
  }

  const ir::RuleVersion* version(int i, const std::string& name, bool& exemption) const {
    const auto& p = side[i].p;
    const auto named = [&](const ir::Entity& e) { return e.name == name; };
    const auto it = std::find_if(p.entities.begin(), p.entities.end(), named);
    if (it == p.entities.end()) return nullptr;
    exemption = it->exemption;
    return ir::visible_version(*it, side[i].rules);
  }

  void entity(const std::string& name) {
    bool exemption = false;
    const auto* o = version(0, name, exemption);
    const auto* n = version(1, name, exemption);
    if (o == nullptr && n == nullptr) return;
    const std::string subject = (exemption ? "exemption " : "rule ") + name;
    const auto& op = side[0].p;
    const auto& np = side[1].p;
    if (o == nullptr) {
      add(Kind::kAdded, subject, name, subject + ": added",
          fmt::format("{} added by {}, in force {}: when {} then {}", subject, n->defined_by, window_text(*n),
                      node_text(np, n->condition), outcome_text(np, *n)),
          n->defined_by);
      return;
    }
    if (n == nullptr) {
      add(Kind::kRemoved, subject, name, subject + ": removed",
          fmt::format("{} removed (in OLD, by {}: when {} then {})", subject, o->defined_by,
                      node_text(op, o->condition), outcome_text(op, *o)),
          {});  // the repeal is not recorded in NEW's versions: who removed it is not known here
      return;
    }
    const auto& by = n->defined_by;
    const auto ot = node_text(op, o->condition), nt = node_text(np, n->condition);
    if (ot != nt) {
      add(Kind::kCondition, subject, name, subject + ": condition changed",
          fmt::format("{}: condition changed by {}: OLD `{}`; NEW `{}`", subject, by, ot, nt), by);
    }
    if (outcome_text(op, *o) != outcome_text(np, *n)) {
      add(Kind::kOutcome, subject, name,
          fmt::format("{}: outcome {} -> {}", subject, outcome_text(op, *o), outcome_text(np, *n)),
          fmt::format("{}: outcome changed by {}: OLD {}; NEW {}", subject, by, outcome_text(op, *o),
                      outcome_text(np, *n)),
          by);
    }
    const auto oo = overrides_of(op, *o), no = overrides_of(np, *n);
    if (oo != no) {
      std::set<std::string> added, removed;
      std::set_difference(no.begin(), no.end(), oo.begin(), oo.end(), std::inserter(added, added.end()));
      std::set_difference(oo.begin(), oo.end(), no.begin(), no.end(), std::inserter(removed, removed.end()));
      const auto delta = names_text(added, "+") + (added.empty() || removed.empty() ? "" : " ") + names_text(removed, "-");
      add(Kind::kOverrides, subject, name, subject + ": overrides " + delta,
          fmt::format("{}: overrides list changed by {}: {}{}{}", subject, by,
                      added.empty() ? "" : "now overrides " + names_text(added, ""),
                      added.empty() || removed.empty() ? "" : "; ",
                      removed.empty() ? "" : "no longer overrides " + names_text(removed, "")),
          by);
    }
    if (o->from != n->from || o->until != n->until) {
      add(Kind::kWindow, subject, name, fmt::format("{}: in force {} -> {}", subject, window_text(*o), window_text(*n)),
          fmt::format("{}: effective window moved by {}: OLD in force {}; NEW in force {}", subject, by,
                      window_text(*o), window_text(*n)),
          by);
    }
  }
};

// A group's dated membership as its rulebook shows it: member -> "+2023-01-17 -2024-01-01 ".
std::map<std::string, std::string> membership(const Side& s, const ir::Group& g) {
  std::map<std::string, std::string> out;
  auto events = [&](const std::vector<ir::MembershipEvent>& evs) {
    std::string t;
    for (const auto& e : evs) {
      if (e.known_from <= s.rules) t += (e.add ? "+" : "-") + e.from.to_string() + " ";
    }
    return t;
  };
  for (std::size_t i = 0; i < g.enum_events.size(); ++i) {
    if (auto t = events(g.enum_events[i]); !t.empty()) out[s.p.enums[g.element.enum_id].codes[i]] = std::move(t);
  }
  for (std::size_t i = 0; i < g.entries.size(); ++i) {
    if (auto t = events(g.entry_events[i]); !t.empty()) out[g.entries[i]] = std::move(t);
  }
  return out;
}

// "MO joins on 2023-01-17" from events "+2023-01-17 " (the events only one side has).
std::string event_words(const std::string& member, const std::string& events) {
  std::string out;
  std::size_t at = 0;
  while (at + 1 < events.size()) {
    const auto end = events.find(' ', at);
    const auto ev = events.substr(at, end - at);
    const auto date = ev.substr(1);
    out += (out.empty() ? "" : ", ") + member;
    if (date == Date::min().to_string()) {
      out += ev[0] == '+' ? " is a member from the start" : " is removed from the start";
    } else {
      out += (ev[0] == '+' ? " joins on " : " leaves on ") + date;
    }
    at = end + 1;
  }
  return out;
}

void compare_groups(Collector& c) {
  std::map<std::string, const ir::Group*> groups[2];
  for (int i = 0; i < 2; ++i) {
    for (const auto& g : c.side[i].p.groups) {
      if (!g.name.empty() && g.name[0] != '{') groups[i][g.name] = &g;
    }
  }
  std::set<std::string> names;
  for (const auto& m : groups) for (const auto& [n, g] : m) names.insert(n);
  for (const auto& name : names) {
    const auto* og = groups[0].count(name) ? groups[0].at(name) : nullptr;
    const auto* ng = groups[1].count(name) ? groups[1].at(name) : nullptr;
    if (og == nullptr || ng == nullptr) continue;  // a new or removed group shows in the conditions that use it
    if (og->definition != kNone || ng->definition != kNone) {
      const auto ot = node_text(c.side[0].p, og->definition), nt = node_text(c.side[1].p, ng->definition);
      if (ot != nt) {
        c.add(Kind::kGroup, "group " + name, name, "group " + name + ": definition changed",
              fmt::format("group {}: definition changed: OLD `{}`; NEW `{}`", name, ot, nt), {});
      }
      continue;
    }
    const auto om = membership(c.side[0], *og), nm = membership(c.side[1], *ng);
    if (om == nm) continue;
    std::vector<std::string> gained, lost;  // NEW-only events, OLD-only events
    std::set<std::string> members;
    for (const auto& [m, t] : om) members.insert(m);
    for (const auto& [m, t] : nm) members.insert(m);
    std::string key;
    for (const auto& m : members) {
      const auto o = om.count(m) ? om.at(m) : std::string(), n = nm.count(m) ? nm.at(m) : std::string();
      if (o == n) continue;
      // Events are appended in declaration order: the common prefix is unchanged.
      std::size_t k = 0;
      while (k < o.size() && k < n.size() && o[k] == n[k]) ++k;
      while (k > 0 && o[k - 1] != ' ') --k;
      if (k < n.size()) gained.push_back(event_words(m, n.substr(k)));
      if (k < o.size()) lost.push_back(event_words(m, o.substr(k)));
      key += (key.empty() ? "" : " ") + m;
    }
    auto join = [](const std::vector<std::string>& v) {
      std::string out;
      const std::size_t shown = std::min<std::size_t>(v.size(), 12);
      for (std::size_t i = 0; i < shown; ++i) out += (i ? "; " : "") + v[i];
      if (v.size() > shown) out += fmt::format("; and {} more", v.size() - shown);
      return out;
    };
    std::string text = "group " + name + ": membership changed:";
    if (!gained.empty()) text += " NEW " + join(gained);
    if (!gained.empty() && !lost.empty()) text += ";";
    if (!lost.empty()) text += " OLD only: " + join(lost);
    c.add(Kind::kGroup, "group " + name, name, "group " + name + ": " + key, text, {});
  }
}

// A parameter's visible steps: "1500 from 2024-06-01".
std::vector<std::string> steps_of(const Side& s, const ir::Parameter& param) {
  std::vector<std::string> out;
  for (const auto& st : param.steps) {
    if (!eval::step_visible(st, s.rules)) continue;
    const auto from = st.from == Date::min() ? std::string("always") : "from " + st.from.to_string();
    out.push_back(node_text(s.p, st.value) + " " + from);
  }
  return out;
}

void compare_parameters(Collector& c) {
  std::map<std::string, const ir::Parameter*> params[2];
  for (int i = 0; i < 2; ++i) for (const auto& p : c.side[i].p.parameters) params[i][p.name] = &p;
  for (const auto& [name, op] : params[0]) {
    const auto it = params[1].find(name);
    if (it == params[1].end()) continue;
    const auto os = steps_of(c.side[0], *op), ns = steps_of(c.side[1], *it->second);
    if (os == ns) continue;
    auto join = [](const std::vector<std::string>& v) {
      std::string out;
      for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
      return out.empty() ? std::string("no value") : out;
    };
    c.add(Kind::kParameter, "parameter " + name, name, "parameter " + name + ": " + join(os) + " -> " + join(ns),
          fmt::format("parameter {}: value changed: OLD {}; NEW {}", name, join(os), join(ns)), {});
  }
}

}  // namespace

std::vector<RulebookChange> compare_rulebooks(const Policy& old_policy, const Policy& new_policy,
                                              std::optional<Date> old_rules_as_of,
                                              std::optional<Date> new_rules_as_of) {
  Collector c{{{program_of(old_policy), rulebook_date(old_rules_as_of)},
               {program_of(new_policy), rulebook_date(new_rules_as_of)}},
              {}};
  std::set<std::string> names;
  for (const auto& s : c.side) for (const auto& e : s.p.entities) names.insert(e.name);
  for (const auto& name : names) c.entity(name);
  compare_groups(c);
  compare_parameters(c);
  std::stable_sort(c.out.begin(), c.out.end(),
                   [](const RulebookChange& a, const RulebookChange& b) { return a.subject < b.subject; });
  return c.out;
}

}  // namespace edict

namespace edict {

CaseCause refine_cause(CaseCause cause, const std::vector<RulebookChange>& changes) {
  std::map<std::string, std::string> refined;  // key -> description, sorted and unique as CaseCause wants
  for (std::size_t i = 0; i < cause.atoms.size(); ++i) {
    const auto& atom = cause.atoms[i];
    const bool added = atom.ends_with(": added"), removed = atom.ends_with(": removed");
    const auto subject = atom.substr(0, atom.rfind(':'));
    if (subject.starts_with("group ") || subject.starts_with("parameter ")) {
      // The trace shows one member or value; the rulebooks give the dates of the change.
      auto description = cause.descriptions[i];
      for (const auto& c : changes) {
        if (c.subject == subject) description += " (" + c.text + ")";
      }
      refined.emplace(atom, std::move(description));
      continue;
    }
    if (!(added || removed) || !(subject.starts_with("rule ") || subject.starts_with("exemption "))) {
      refined.emplace(atom, cause.descriptions[i]);
      continue;
    }
    const auto real = added ? RulebookChange::Kind::kAdded : RulebookChange::Kind::kRemoved;
    bool exact = false, any = false;
    for (const auto& c : changes) {
      if (c.subject != subject) continue;
      if (c.kind == real) exact = true;
      any = true;
    }
    if (exact) {
      refined.emplace(atom, cause.descriptions[i]);
      continue;
    }
    for (const auto& c : changes) {
      if (c.subject == subject) refined.emplace(c.key, c.text);
    }
    if (!any) {
      refined.emplace(subject + (added ? ": reached in NEW only" : ": reached in OLD only"),
                      fmt::format("{} is in both versions, unchanged; another change made it {} in {} only", subject,
                                  "evaluated", added ? "NEW" : "OLD"));
    }
  }
  CaseCause out;
  for (auto& [k, d] : refined) {
    out.atoms.push_back(k);
    out.descriptions.push_back(std::move(d));
  }
  return out;
}

}  // namespace edict
