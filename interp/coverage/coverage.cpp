// Coverage (`edict test --coverage`): a static inventory of the policy's rules, exemptions, definitions,
// membership tests and threshold comparisons (from the compiled program), counted over the traces of the
// evaluations. Threshold sides are decided exactly (rationals), never in floating point.
#include "edict/coverage.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "edict/render.hpp"
#include "core/number.hpp"
#include "api/internals.hpp"
#include "ir/queries.hpp"
#include "ir/walk.hpp"
#include "source/located.hpp"

namespace edict {

namespace {

struct Location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// Line and column as the trace computes them (1-based, bytes).
Location locate(const CompiledProgram& p, const syntax::Span& span) {
  Location l;
  if (span.file >= p.sources.size()) return l;
  const auto& file = p.sources[span.file];
  l.file = file.path;
  const auto at = source::line_column(p.line_starts[span.file],
                                      std::min(span.begin, static_cast<std::uint32_t>(file.text.size())));
  l.line = at.line;
  l.column = at.column;
  return l;
}

std::string key_of(const std::string& file, std::uint32_t line, std::uint32_t column) {
  return fmt::format("{}:{}:{}", file, line, column);
}

bool is_bound(ir::Op op) { return ir::is_constant(op) || op == ir::Op::kParameter; }

// Walks the compiled program once to list every membership test and threshold comparison with its owner.
class Inventory {
 public:
  Inventory(const CompiledProgram& p, CoverageReport& report) : p_(p), report_(report) {}

  void walk(std::uint32_t index, const std::string& owner) {
    if (index == ir::kNone || index >= p_.nodes.size()) return;
    const auto& node = p_.nodes[index];
    if (node.op == ir::Op::kCompare) compare(node, owner);
    if (node.op == ir::Op::kIn || node.op == ir::Op::kMatches || node.op == ir::Op::kStartsWith) {
      membership(node, owner);
    }
    ir::for_each_child(p_, node, ir::kOperands, [&](std::uint32_t kid) { walk(kid, owner); });
  }

  std::map<std::string, std::size_t> memberships;  // "file:line:col" -> index
  std::map<std::string, std::size_t> thresholds;   // "file:line:col#k" -> index

 private:
  std::string source_text(const syntax::Span& span) const { return ir::span_text(p_.sources, span); }

  void membership(const ir::Node& node, const std::string& owner) {
    const auto at = locate(p_, node.span);
    const auto key = key_of(at.file, at.line, at.column);
    if (memberships.count(key)) return;
    ConditionCoverage c;
    c.name = source_text(node.span);
    c.owner = owner;
    c.file = at.file;
    c.line = at.line;
    c.column = at.column;
    memberships[key] = report_.memberships.size();
    report_.memberships.push_back(std::move(c));
  }

  void compare(const ir::Node& node, const std::string& owner) {
    const auto at = locate(p_, node.span);
    for (std::uint32_t k = 0; k + 1 < node.kid_count; ++k) {
      const auto a = p_.kid_list[node.first_kid + k];
      const auto b = p_.kid_list[node.first_kid + k + 1];
      const auto& na = p_.nodes[a];
      const auto& nb = p_.nodes[b];
      if (is_bound(na.op) == is_bound(nb.op)) continue;
      if (na.type.type != ir::Type::kNumber || nb.type.type != ir::Type::kNumber) continue;
      const auto key = fmt::format("{}#{}", key_of(at.file, at.line, at.column), k);
      if (thresholds.count(key)) continue;
      ThresholdCoverage t;
      t.text = fmt::format("{} {} {}", source_text(na.span), ir::compare_symbol(p_.compare_ops[node.first_kid + k]),
                           source_text(nb.span));
      t.owner = owner;
      t.file = at.file;
      t.line = at.line;
      t.column = at.column;
      thresholds[key] = report_.thresholds.size();
      report_.thresholds.push_back(std::move(t));
    }
  }

  const CompiledProgram& p_;
  CoverageReport& report_;
};

void count_condition(ConditionCoverage& c, TraceStep::Truth truth, bool known) {
  ++c.evaluated;
  if (!known) {
    ++c.unknown;
  } else if (truth == TraceStep::Truth::kTrue) {
    ++c.true_count;
  } else if (truth == TraceStep::Truth::kFalse) {
    ++c.false_count;
  }
}

std::string percent(std::size_t covered, std::size_t items) {
  if (items == 0) return "100.0";
  const auto tenths = (covered * 2000 + items) / (items * 2);  // rounded half up, in tenths of a percent
  return fmt::format("{}.{}", tenths / 10, tenths % 10);
}

std::string where(const std::string& file, std::uint32_t line, std::uint32_t column = 0) {
  return column ? fmt::format("{}:{}:{}", file, line, column) : fmt::format("{}:{}", file, line);
}

std::vector<std::string> missing_sides(const ThresholdCoverage& t) {
  std::vector<std::string> out;
  if (!t.below) out.emplace_back("below");
  if (!t.at) out.emplace_back("at");
  if (!t.above) out.emplace_back("above");
  return out;
}

std::string joined(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

// Where each rule, exemption and definition sits in the report, by name.
struct ReportIndex {
  std::map<std::string, std::size_t, std::less<>> rules, definitions;  // found by a step's subject (a view)
};

RuleCoverage rule_entry(const CompiledProgram& p, const ir::Entity& entity) {
  RuleCoverage r;
  r.name = entity.name;
  r.exemption = entity.exemption;
  const auto at = locate(p, entity.span);
  r.file = at.file;
  r.line = at.line;
  std::set<std::pair<Date, std::string>> dates;
  for (const auto& v : entity.versions) {
    if (v.from != Date::min()) dates.insert({v.from, "from"});
    if (v.until != Date::max()) dates.insert({v.until, "until"});
  }
  for (const auto& [date, kind] : dates) r.dates.push_back({kind, date, 0, 0});
  return r;
}

ConditionCoverage definition_entry(const CompiledProgram& p, const ir::Definition& d) {
  ConditionCoverage c;
  c.name = d.name;
  c.owner = d.name;
  c.boolean = d.node < p.nodes.size() && p.nodes[d.node].type.type == ir::Type::kBool;
  const auto at = locate(p, d.span);
  c.file = at.file;
  c.line = at.line;
  c.column = at.column;
  return c;
}

// The `set` and `oblige` clauses of an entity, one entry per output or obligation name over its versions.
void list_results(const CompiledProgram& p, const ir::Entity& entity, CoverageReport& report) {
  std::set<std::pair<std::string, std::string>> listed;  // kind, name
  const auto add = [&](const char* kind, const std::string& name, const syntax::Span& span) {
    if (!listed.insert({kind, name}).second) return;
    const auto at = locate(p, span);
    report.results.push_back({kind, name, entity.name, at.file, at.line, at.column, 0});
  };
  for (const auto& v : entity.versions) {
    for (const auto& set : v.sets) add("set", p.outputs[set.output].name, p.nodes[set.node].span);
    for (const auto& o : v.obligations) add("oblige", o.name, v.span);
  }
}

// Every item of the policy, not yet counted: rules with their dates and their `set` and `oblige` clauses,
// definitions, and (through the inventory) the memberships and thresholds of every condition.
ReportIndex list_items(const CompiledProgram& p, Inventory& inventory, CoverageReport& report) {
  ReportIndex index;
  for (const auto& entity : p.entities) {
    index.rules[entity.name] = report.rules.size();
    report.rules.push_back(rule_entry(p, entity));
    list_results(p, entity, report);
    for (const auto& v : entity.versions) inventory.walk(v.condition, entity.name);
  }
  for (const auto& d : p.definitions) {
    index.definitions[d.name] = report.definitions.size();
    report.definitions.push_back(definition_entry(p, d));
    inventory.walk(d.node, d.name);
  }
  for (const auto& tier : p.tiers) {
    for (const auto& c : tier.cases) inventory.walk(c.condition, tier.name);
  }
  return index;
}

void count_rule(RuleCoverage& r, const TraceStep& s, Date as_of) {
  using Status = TraceStep::Status;
  if (s.status == Status::kNotInForce) {
    ++r.not_in_force;
  } else {
    ++r.in_force;
    ++(s.status == Status::kFired ? r.fired : s.status == Status::kNotFired ? r.not_fired : r.indeterminate);
  }
  for (auto& d : r.dates) {
    const Date bound = d.kind == "from" ? s.from : s.until;
    if (bound == Date::min() || bound == Date::max() || bound != d.date) continue;
    ++(as_of < d.date ? d.before : d.on_or_after);
  }
}

void count_definition(ConditionCoverage& c, const TraceStep& s) {
  // A value that is not boolean counts as evaluated (neither true nor false).
  const bool boolean = s.value.kind == TraceValue::Kind::kBool || !s.has_value;
  count_condition(c, boolean ? s.truth : TraceStep::Truth::kUnknown, s.has_value);
}

// A membership check, or each bound of a comparison chain: which side of the bound the value was on.
void count_check(const Inventory& inventory, CoverageReport& report, const TraceStep& s) {
  const auto key = key_of(std::string(s.file), s.line, s.column);
  if (s.check != TraceStep::Check::kCompare) {
    const auto it = inventory.memberships.find(key);
    if (it != inventory.memberships.end()) {
      count_condition(report.memberships[it->second], s.truth, s.truth != TraceStep::Truth::kUnknown);
    }
    return;
  }
  for (std::size_t k = 0; k + 1 < s.operands.size(); ++k) {
    const auto it = inventory.thresholds.find(fmt::format("{}#{}", key, k));
    const auto& left = s.operands[k];
    const auto& right = s.operands[k + 1];
    if (it == inventory.thresholds.end() || left.bound == right.bound) continue;
    auto& t = report.thresholds[it->second];
    ++t.evaluated;
    // right.order: how left compares to right; the value's side of the bound.
    const int side = left.bound ? -right.order : right.order;
    if (!right.compared) {
      ++t.unknown;
    } else {
      ++(side < 0 ? t.below : side == 0 ? t.at : t.above);
    }
  }
}

// The clauses whose rule made an output's value (is among its sources) or attached an obligation.
void count_results(CoverageReport& report, const EvalResult& result) {
  for (auto& r : report.results) {
    bool gave = false;
    if (r.kind == "set") {
      for (const auto& v : result.values) {
        gave = gave || (v.name == r.name && std::find(v.by.begin(), v.by.end(), r.owner) != v.by.end());
      }
    } else {
      for (const auto& o : result.obligations) gave = gave || (o.name == r.name && o.by == r.owner);
    }
    if (gave) ++r.gave;
  }
}

void count_trace(const ReportIndex& index, const Inventory& inventory, CoverageReport& report,
                 const EvalResult& result) {
  for (const auto& s : result.trace->steps) {
    if (s.kind == TraceStep::Kind::kRule || s.kind == TraceStep::Kind::kExemption) {
      const auto it = index.rules.find(s.subject);
      if (it != index.rules.end()) count_rule(report.rules[it->second], s, result.as_of);
    } else if (s.kind == TraceStep::Kind::kDefinition) {
      const auto it = index.definitions.find(s.subject);
      if (it != index.definitions.end()) count_definition(report.definitions[it->second], s);
    } else if (s.kind == TraceStep::Kind::kCheck && s.line != 0) {
      count_check(inventory, report, s);
    }
  }
}

// Sorts the conditions by place and counts the items and those covered.
void total(CoverageReport& report) {
  const auto by_place = [](const auto& a, const auto& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  };
  std::stable_sort(report.memberships.begin(), report.memberships.end(), by_place);
  std::stable_sort(report.thresholds.begin(), report.thresholds.end(), by_place);
  const auto item = [&](bool covered) {
    ++report.items;
    if (covered) ++report.covered;
  };
  for (const auto& r : report.rules) {
    item(r.fired > 0);
    item(r.not_fired > 0);
    for (const auto& d : r.dates) {
      item(d.before > 0);
      item(d.on_or_after > 0);
    }
  }
  for (const auto& d : report.definitions) {
    if (d.boolean) {
      item(d.true_count > 0);
      item(d.false_count > 0);
    } else {
      item(d.evaluated > d.unknown);
    }
  }
  for (const auto& m : report.memberships) {
    item(m.true_count > 0);
    item(m.false_count > 0);
  }
  for (const auto& t : report.thresholds) {
    item(t.below > 0);
    item(t.at > 0);
    item(t.above > 0);
  }
  for (const auto& r : report.results) item(r.gave > 0);
}

// "`set duty_rate`", "`oblige "Notify BIS"`".
std::string clause_text(const ResultCoverage& r) {
  return r.kind == "set" ? "`set " + r.name + "`" : "`oblige \"" + r.name + "\"`";
}

}  // namespace

CoverageReport measure_coverage(const Policy& policy, const std::vector<const EvalResult*>& results) {
  const auto& p = program_of(policy);
  CoverageReport report;
  Inventory inventory(p, report);
  const ReportIndex index = list_items(p, inventory, report);
  for (const auto* result : results) {
    if (result == nullptr || !result->ok || !result->trace) continue;
    ++report.evaluations;
    count_trace(index, inventory, report, *result);
    count_results(report, *result);
  }
  total(report);
  return report;
}

namespace {

// What the evaluations never exercised, one line each.
std::vector<std::string> uncovered(const CoverageReport& report) {
  std::vector<std::string> gaps;
  for (const auto& r : report.rules) {
    const char* kind = r.exemption ? "exemption" : "rule";
    if (r.in_force == 0) {
      gaps.push_back(fmt::format("{} {} ({}): never in force", kind, r.name, where(r.file, r.line)));
    } else {
      if (!r.fired) gaps.push_back(fmt::format("{} {}: never {}", kind, r.name, r.exemption ? "applied" : "fired"));
      if (!r.not_fired) {
        gaps.push_back(fmt::format("{} {}: never {}", kind, r.name, r.exemption ? "not applied" : "not fired"));
      }
    }
    for (const auto& c : report.results) {
      if (c.owner == r.name && c.gave == 0) {
        gaps.push_back(fmt::format("{} {}: {} never gave {}", kind, r.name, clause_text(c),
                                   c.kind == "set" ? "the value" : "the obligation"));
      }
    }
    for (const auto& d : r.dates) {
      if (!d.before) gaps.push_back(fmt::format("{} {}: {} {} never exercised before it", kind, r.name, d.kind,
                                                d.date.to_string()));
      if (!d.on_or_after) gaps.push_back(fmt::format("{} {}: {} {} never exercised on or after it", kind, r.name,
                                                     d.kind, d.date.to_string()));
    }
  }
  for (const auto& d : report.definitions) {
    if (!d.boolean) {
      if (d.evaluated <= d.unknown) gaps.push_back(fmt::format("definition {}: never evaluated", d.name));
      continue;
    }
    if (!d.true_count) gaps.push_back(fmt::format("definition {}: never true", d.name));
    if (!d.false_count) gaps.push_back(fmt::format("definition {}: never false", d.name));
  }
  for (const auto& m : report.memberships) {
    std::vector<std::string> missing;
    if (!m.true_count) missing.emplace_back("true");
    if (!m.false_count) missing.emplace_back("false");
    if (!missing.empty()) {
      gaps.push_back(fmt::format("`{}` ({}, in {}): never {}", m.name, where(m.file, m.line, m.column), m.owner,
                                 joined(missing, " nor ")));
    }
  }
  for (const auto& t : report.thresholds) {
    const auto missing = missing_sides(t);
    if (!missing.empty()) {
      gaps.push_back(fmt::format("`{}` ({}, in {}): not exercised {}", t.text, where(t.file, t.line, t.column),
                                 t.owner, joined(missing)));
    }
  }
  return gaps;
}

}  // namespace

std::string render_coverage_text(const CoverageReport& report) {
  std::string out = fmt::format("coverage over {} evaluations\n", report.evaluations);
  const auto gaps = uncovered(report);  // first
  out += fmt::format("uncovered ({}):\n", gaps.size());
  for (const auto& g : gaps) out += "  " + g + "\n";

  // ---- details, grouped by owner
  const auto owned = [&](const std::string& owner, const char* indent) {
    std::string s;
    for (const auto& t : report.thresholds) {
      if (t.owner != owner) continue;
      s += fmt::format("{}`{}` ({}:{}): below {}, at {}, above {}{}\n", indent, t.text, t.line, t.column, t.below,
                       t.at, t.above, t.unknown ? fmt::format(", unknown {}", t.unknown) : std::string());
    }
    for (const auto& m : report.memberships) {
      if (m.owner != owner) continue;
      s += fmt::format("{}`{}` ({}:{}): true {}, false {}{}\n", indent, m.name, m.line, m.column, m.true_count,
                       m.false_count, m.unknown ? fmt::format(", unknown {}", m.unknown) : std::string());
    }
    return s;
  };
  out += "rules and exemptions:\n";
  std::set<std::string> listed;
  for (const auto& r : report.rules) {
    listed.insert(r.name);
    out += fmt::format("  {} {} ({}): in force {}: {} {}, {} {}, indeterminate {}; not in force {}\n",
                       r.exemption ? "exemption" : "rule", r.name, where(r.file, r.line), r.in_force,
                       r.exemption ? "applied" : "fired", r.fired, r.exemption ? "not applied" : "not fired",
                       r.not_fired, r.indeterminate, r.not_in_force);
    for (const auto& d : r.dates) {
      out += fmt::format("    {} {}: before {}, on or after {}\n", d.kind, d.date.to_string(), d.before, d.on_or_after);
    }
    for (const auto& c : report.results) {
      if (c.owner == r.name) out += fmt::format("    {} ({}:{}): gave {}\n", clause_text(c), c.line, c.column, c.gave);
    }
    out += owned(r.name, "    ");
  }
  if (!report.definitions.empty()) out += "definitions:\n";
  for (const auto& d : report.definitions) {
    listed.insert(d.name);
    if (d.boolean) {
      out += fmt::format("  {} ({}): evaluated {}: true {}, false {}, unknown {}\n", d.name, where(d.file, d.line),
                         d.evaluated, d.true_count, d.false_count, d.unknown);
    } else {
      out += fmt::format("  {} ({}): evaluated {}, unknown {}\n", d.name, where(d.file, d.line), d.evaluated,
                         d.unknown);
    }
    out += owned(d.name, "    ");
  }
  std::set<std::string> others;
  for (const auto& t : report.thresholds) {
    if (!listed.count(t.owner)) others.insert(t.owner);
  }
  for (const auto& m : report.memberships) {
    if (!listed.count(m.owner)) others.insert(m.owner);
  }
  if (!others.empty()) out += "tiers:\n";
  for (const auto& o : others) out += fmt::format("  {}\n", o) + owned(o, "    ");
  out += fmt::format("coverage: {} of {} items ({}%)\n", report.covered, report.items,
                     percent(report.covered, report.items));
  return out;
}

std::string render_coverage_json(const CoverageReport& report) {
  std::string out = fmt::format("{{\"evaluations\":{},\"items\":{},\"covered\":{},\"percent\":{},\"rules\":[",
                                report.evaluations, report.items, report.covered,
                                percent(report.covered, report.items));
  for (std::size_t i = 0; i < report.rules.size(); ++i) {
    const auto& r = report.rules[i];
    out += fmt::format(
        "{}{{\"name\":{},\"kind\":\"{}\",\"file\":{},\"line\":{},\"in_force\":{},\"{}\":{},\"{}\":{},"
        "\"indeterminate\":{},\"not_in_force\":{},\"dates\":[",
        i ? "," : "", json_quote(r.name), r.exemption ? "exemption" : "rule", json_quote(r.file), r.line, r.in_force,
        r.exemption ? "applied" : "fired", r.fired, r.exemption ? "not_applied" : "not_fired", r.not_fired,
        r.indeterminate, r.not_in_force);
    for (std::size_t j = 0; j < r.dates.size(); ++j) {
      const auto& d = r.dates[j];
      out += fmt::format("{}{{\"kind\":\"{}\",\"date\":\"{}\",\"before\":{},\"on_or_after\":{}}}", j ? "," : "",
                         d.kind, d.date.to_string(), d.before, d.on_or_after);
    }
    out += "]}";
  }
  const auto conditions = [&](const std::vector<ConditionCoverage>& items, bool definitions) {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& c = items[i];
      s += fmt::format("{}{{\"{}\":{},", i ? "," : "", definitions ? "name" : "text", json_quote(c.name));
      if (!definitions) s += fmt::format("\"owner\":{},", json_quote(c.owner));
      s += fmt::format("\"file\":{},\"line\":{},\"column\":{},\"evaluated\":{},", json_quote(c.file), c.line,
                       c.column, c.evaluated);
      if (c.boolean) s += fmt::format("\"true\":{},\"false\":{},", c.true_count, c.false_count);
      s += fmt::format("\"unknown\":{}}}", c.unknown);
    }
    return s;
  };
  out += "],\"definitions\":[" + conditions(report.definitions, true) + "],\"memberships\":[" +
         conditions(report.memberships, false) + "],\"thresholds\":[";
  for (std::size_t i = 0; i < report.thresholds.size(); ++i) {
    const auto& t = report.thresholds[i];
    out += fmt::format(
        "{}{{\"text\":{},\"owner\":{},\"file\":{},\"line\":{},\"column\":{},\"evaluated\":{},\"below\":{},"
        "\"at\":{},\"above\":{},\"unknown\":{}}}",
        i ? "," : "", json_quote(t.text), json_quote(t.owner), json_quote(t.file), t.line, t.column, t.evaluated,
        t.below, t.at, t.above, t.unknown);
  }
  out += "]";
  // Only a policy with outputs or obligations has the key: reports of other policies keep their bytes.
  if (!report.results.empty()) out += ",\"results\":[";
  for (std::size_t i = 0; i < report.results.size(); ++i) {
    const auto& r = report.results[i];
    out += fmt::format("{}{{\"kind\":\"{}\",\"name\":{},\"owner\":{},\"file\":{},\"line\":{},\"column\":{},\"gave\":{}}}",
                       i ? "," : "", r.kind, json_quote(r.name), json_quote(r.owner), json_quote(r.file), r.line,
                       r.column, r.gave);
  }
  if (!report.results.empty()) out += "]";
  out += "}";
  return out;
}

}  // namespace edict
