// What differs between OLD and NEW: the rules and exemptions whose versions in force at the explored dates
// differ in meaning (compared through a structural text of their conditions, values and obligations), or
// give an output whose declaration differs, the groups and parameters
// whose dated contents differ, and the rules related to a differing one (through classifications they set
// or test, or exemptions).
#include <algorithm>

#include "ir/walk.hpp"
#include "witness/search.hpp"

namespace edict::witness {

std::string Structure::group(std::uint32_t g) {
  if (auto it = group_memo.find(g); it != group_memo.end()) return it->second;
  const auto& grp = s.p->groups[g];
  std::string out = "G(" + grp.name + ":";
  if (grp.definition != kNone) {
    out += node(grp.definition);
  } else {
    auto events = [&](const std::vector<ir::MembershipEvent>& evs) {
      std::string t;
      for (const auto& e : evs) {
        if (e.known_from > s.rules) continue;
        t += (e.add ? "+" : "-") + e.from.to_string() + ",";
      }
      return t;
    };
    for (std::size_t i = 0; i < grp.enum_events.size(); ++i) {
      const auto t = events(grp.enum_events[i]);
      if (!t.empty()) out += s.p->enums[grp.element.enum_id].codes[i] + "[" + t + "]";
    }
    for (std::size_t i = 0; i < grp.entries.size(); ++i) {
      const auto t = events(grp.entry_events[i]);
      if (!t.empty()) out += "\"" + grp.entries[i] + "\"[" + t + "]";
    }
    std::vector<std::pair<std::string, std::uint32_t>> keys(grp.keys.begin(), grp.keys.end());
    std::sort(keys.begin(), keys.end());
    for (const auto& [k, e] : keys) out += k + ">" + std::to_string(e) + ";";
  }
  out += ")";
  return group_memo[g] = out;
}

std::string Structure::parameter(std::uint32_t i) {
  const auto& param = s.p->parameters[i];
  std::string out = "P(" + param.name + ":";
  for (const auto& st : param.steps) {
    if (!eval::step_visible(st, s.rules)) continue;
    out += st.from.to_string() + "=" + (st.value == kNone ? std::string("none") : node(st.value)) + ";";
  }
  return out + ")";
}

// What a version gives besides its outcome: each value it sets and each obligation, by name.
std::string Structure::results(const ir::RuleVersion& v) {
  std::string out;
  for (const auto& set : v.sets) out += "set " + s.p->outputs[set.output].name + "=" + node(set.node) + ";";
  for (const auto& o : v.obligations) out += "oblige \"" + o.name + "\" by " + node(o.due) + " citing " + o.citation + ";";
  return out;
}

std::string Structure::node(std::uint32_t index) {
  if (index == kNone) return "-";
  const auto& n = s.p->nodes[index];
  const std::string neg = n.negated ? "!" : "";
  switch (n.op) {
    case ir::Op::kConstBool: return n.a ? "true" : "false";
    case ir::Op::kConstNum: return "N" + s.p->numbers[n.a].str();
    case ir::Op::kConstStr: return "S\"" + s.p->strings[n.a] + "\"";
    case ir::Op::kConstDate: return "D" + std::to_string(static_cast<std::int32_t>(n.a));
    case ir::Op::kConstEnum:
      return "E" + (n.type.enum_id != kNone ? s.p->enums[n.type.enum_id].codes[n.a] : std::to_string(n.a));
    case ir::Op::kFact: return "F" + s.p->facts[n.a].path;
    case ir::Op::kDefinition:
      return "Def(" + s.p->definitions[n.a].name + ":" + node(s.p->definitions[n.a].node) + ")";
    case ir::Op::kParameter: return parameter(n.a);
    case ir::Op::kTier: {
      const auto& t = s.p->tiers[n.a];
      std::string out = "T(" + t.name + ":";
      for (const auto& c : t.cases) out += s.p->strings[c.label] + "<-" + node(c.condition) + ";";
      return out + "else " + s.p->strings[t.otherwise] + ")";
    }
    case ir::Op::kClassified: return "C\"" + s.p->labels[n.a] + "\"";
    case ir::Op::kPresent: return neg + "Present(" + s.p->facts[n.a].path + ")";
    case ir::Op::kSetGroup: return group(n.a);
    case ir::Op::kCompare: {
      std::string out = "Cmp(";
      for (std::uint32_t i = 0; i < n.kid_count; ++i) {
        if (i > 0) out += " " + std::to_string(static_cast<int>(s.p->compare_ops[n.first_kid + i - 1])) + " ";
        out += node(s.p->kid_list[n.first_kid + i]);
      }
      return out + ")";
    }
    default:
      return neg + "Op" + std::to_string(static_cast<int>(n.op)) + "(" + node(n.a) + "," + node(n.b) + "," +
             node(n.c) + ")";
  }
}

namespace {

// Labels tested by a condition (through definitions and tiers).
void labels_tested(const CompiledProgram& p, std::uint32_t index, std::set<std::string>& out,
                   std::set<std::uint32_t>& seen) {
  if (index == kNone || !seen.insert(index).second) return;
  const auto& n = p.nodes[index];
  if (n.op == ir::Op::kClassified) out.insert(p.labels[n.a]);
  ir::for_each_child(p, n, ir::kDefinitions | ir::kTiers, [&](std::uint32_t kid) { labels_tested(p, kid, out, seen); });
}

}  // namespace

void Search::find_differences() {
  Structure st[2] = {Structure{sides_[0], {}}, Structure{sides_[1], {}}};
  std::set<std::string> names;
  for (const auto& s : sides_) for (const auto& e : s.p->entities) names.insert(e.name);
  for (const auto& name : names) {
    std::string sig[2];
    for (int i = 0; i < 2; ++i) {
      const auto& s = sides_[i];
      const auto idx = s.entity_index(name);
      const auto* v = idx == kNone ? nullptr : s.visible(s.p->entities[idx]);
      std::string active;
      if (v) {
        for (const auto d : dates_) active += (v->from <= d && d < v->until) ? '1' : '0';
      }
      if (!v || active.find('1') == std::string::npos) {
        sig[i] = "none";
        continue;
      }
      const auto& e = s.p->entities[idx];
      std::string out = std::string(e.exemption ? "X" : "R") + active + "|";
      out += v->outcome_kind == ir::OutcomeKind::kClassify ? "classify " + s.p->labels[v->outcome]
                                                           : "decide " + s.p->outcomes[v->outcome];
      std::vector<std::string> over;
      for (const auto o : v->overrides) over.push_back(s.p->entities[o].name);
      std::sort(over.begin(), over.end());
      out += "|over:";
      for (const auto& o : over) out += o + ",";
      out += "|" + st[i].node(v->condition) + "|" + st[i].results(*v);
      sig[i] = std::move(out);
    }
    if (sig[0] != sig[1]) differing_.insert(name);
  }
  find_differing_outputs(st);
  find_differing_tables(st);
}

// The rules and exemptions that give an output whose declaration differs (type, combine, default) differ too:
// their cases may give other values.
void Search::find_differing_outputs(Structure (&st)[2]) {
  std::map<std::string, std::string> outputs[2];  // name -> structural text, per side
  for (int i = 0; i < 2; ++i) {
    for (const auto& o : sides_[i].p->outputs) {
      outputs[i][o.name] = std::to_string(static_cast<int>(o.type.type)) + (o.integer ? "i" : "") + "/" +
                           std::to_string(static_cast<int>(o.combine)) + "/" + st[i].node(o.default_node);
    }
  }
  std::set<std::uint32_t> differing[2];  // output indices, per side
  for (int i = 0; i < 2; ++i) {
    const auto& p = *sides_[i].p;
    for (std::uint32_t k = 0; k < p.outputs.size(); ++k) {
      const auto it = outputs[1 - i].find(p.outputs[k].name);
      if (it == outputs[1 - i].end() || it->second != outputs[i][p.outputs[k].name]) differing[i].insert(k);
    }
  }
  for (int i = 0; i < 2; ++i) {
    for (const auto& e : sides_[i].p->entities) {
      const auto* v = sides_[i].visible(e);
      if (v == nullptr) continue;
      for (const auto& set : v->sets) {
        if (differing[i].count(set.output)) differing_.insert(e.name);
      }
    }
  }
}

// Groups and parameters whose dated contents differ (named in causes).
void Search::find_differing_tables(Structure (&st)[2]) {
  std::map<std::string, std::string> groups[2], parameters[2];  // name -> structural text, per side
  for (int i = 0; i < 2; ++i) {
    const auto& p = *sides_[i].p;
    for (std::uint32_t g = 0; g < p.groups.size(); ++g) {
      if (p.groups[g].name.empty() || p.groups[g].name[0] != '{') groups[i][p.groups[g].name] = st[i].group(g);
    }
    for (std::uint32_t k = 0; k < p.parameters.size(); ++k) parameters[i][p.parameters[k].name] = st[i].parameter(k);
  }
  const auto differing = [](const std::map<std::string, std::string> (&texts)[2], std::set<std::string>& out) {
    for (int i = 0; i < 2; ++i) {
      for (const auto& [name, text] : texts[i]) {
        const auto it = texts[1 - i].find(name);
        if (it == texts[1 - i].end() || it->second != text) out.insert(name);
      }
    }
  };
  differing(groups, differing_groups_);
  differing(parameters, differing_parameters_);
}

void Search::close_relevance() {
  struct Links {
    std::set<std::string> tests, classifies, overrides;
  };
  std::map<std::string, Links> links;  // per entity name, over both sides (active versions only)
  for (const auto& s : sides_) {
    for (const auto& e : s.p->entities) {
      const auto* v = s.visible(e);
      if (!v) continue;
      bool active = false;
      for (const auto d : dates_) active = active || (v->from <= d && d < v->until);
      if (!active) continue;
      auto& l = links[e.name];
      std::set<std::uint32_t> seen;
      labels_tested(*s.p, v->condition, l.tests, seen);
      if (v->outcome_kind == ir::OutcomeKind::kClassify) l.classifies.insert(s.p->labels[v->outcome]);
      for (const auto o : v->overrides) l.overrides.insert(s.p->entities[o].name);
    }
  }
  relevant_ = differing_;
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& [name, l] : links) {
      if (relevant_.count(name)) continue;
      bool related = false;
      for (const auto& r : relevant_) {
        const auto it = links.find(r);
        if (it == links.end()) continue;
        const auto& rl = it->second;
        for (const auto& lab : rl.tests) related = related || l.classifies.count(lab);
        for (const auto& lab : rl.classifies) related = related || l.tests.count(lab);
        related = related || rl.overrides.count(name) || l.overrides.count(r);
        if (related) break;
      }
      if (related) {
        relevant_.insert(name);
        changed = true;
      }
    }
  }
}

}  // namespace edict::witness
