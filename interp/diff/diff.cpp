// Version diff over a corpus: streaming evaluation of two versions, causes derived from trace pairs,
// trace diffs, and the text / JSON reports. See edict/diff.hpp.
#include "edict/diff.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/line_reader.hpp"
#include "edict/render.hpp"
#include "edict/result.hpp"
#include "api/internals.hpp"

namespace edict {

namespace {

using Kind = TraceStep::Kind;

// ---------------------------------------------------------------- trace structure

// A rule or exemption step with the steps nested under it (not counting nested rules / exemptions), or the
// top-level steps that belong to no rule (head == nullptr).
struct Block {
  const TraceStep* head = nullptr;
  std::vector<const TraceStep*> children;
};

bool is_entity(const TraceStep& s) { return s.kind == Kind::kRule || s.kind == Kind::kExemption; }

std::vector<Block> blocks_of(const Trace& trace) {
  std::vector<Block> blocks;
  blocks.emplace_back();  // [0]: steps outside any rule
  std::vector<std::pair<std::uint32_t, std::size_t>> open;  // (depth, block index)
  for (const auto& s : trace.steps) {
    while (!open.empty() && open.back().first >= s.depth) open.pop_back();
    if (is_entity(s)) {
      blocks.push_back(Block{&s, {}});
      open.emplace_back(s.depth, blocks.size() - 1);
    } else {
      blocks[open.empty() ? 0 : open.back().second].children.push_back(&s);
    }
  }
  return blocks;
}

std::string block_key(const Block& b) {
  if (b.head == nullptr) return "(top)";
  return std::string(trace_kind_name(b.head->kind)) + " " + b.head->subject;
}

bool is_comparison(const TraceStep& s) { return s.kind == Kind::kCheck && s.check == TraceStep::Check::kCompare; }

// The check with its bounds blanked: the same comparison in two versions whose threshold moved.
std::string check_skeleton(const TraceStep& s) {
  if (!is_comparison(s)) return trace_text(s);
  std::string out;
  for (const auto& o : s.operands) {
    out += (o.op.empty() ? "" : " ? ") + (o.bound ? std::string("#") : trace_operand_text(o));
  }
  return out;
}

// The comparison without the facts' values: "product.tpp >= 4800" (a value printed otherwise than exactly
// stays).
std::string comparison_shape(const TraceStep& s) {
  if (!is_comparison(s)) return trace_text(s);
  std::string out;
  for (const auto& o : s.operands) {
    if (!o.op.empty()) out += fmt::format(" {} ", o.op);
    const bool drop_value = !o.bound && o.value.kind != TraceValue::Kind::kUnknown && !o.source.empty() &&
                            trace_value_text(o.value) == trace_exact_text(o.value);
    out += drop_value ? std::string(o.source) : trace_operand_text(o);
  }
  return out;
}

std::string child_key(const TraceStep& s) {
  if (s.kind == Kind::kCheck) return "check " + check_skeleton(s);
  if (s.kind == Kind::kDecision) return "decision";
  return std::string(trace_kind_name(s.kind)) + " " + s.subject;
}

// Keys made unique by occurrence: "check x#2".
std::vector<std::string> child_keys(const std::vector<const TraceStep*>& steps) {
  std::vector<std::string> keys;
  std::map<std::string, int> seen;
  for (const auto* s : steps) {
    auto key = child_key(*s);
    const int n = ++seen[key];
    if (n > 1) key += fmt::format("#{}", n);
    keys.push_back(std::move(key));
  }
  return keys;
}

// Longest common subsequence alignment: pairs (i, j), with -1 for a missing side, in merged order.
std::vector<std::pair<int, int>> align(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::uint32_t>> l(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      l[i][j] = a[i] == b[j] ? l[i + 1][j + 1] + 1 : std::max(l[i + 1][j], l[i][j + 1]);
    }
  }
  std::vector<std::pair<int, int>> out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.emplace_back(static_cast<int>(i++), static_cast<int>(j++));
    } else if (j < m && (i == n || l[i][j + 1] >= l[i + 1][j])) {
      out.emplace_back(-1, static_cast<int>(j++));
    } else {
      out.emplace_back(static_cast<int>(i++), -1);
    }
  }
  return out;
}

bool same_step(const TraceStep& a, const TraceStep& b) {
  // defined_by is not compared: two policy files name their base files differently.
  return trace_text(a) == trace_text(b) && a.result == b.result && trace_detail(a) == trace_detail(b) &&
         trace_window(a) == trace_window(b);
}

bool same_outcome(const TraceStep& a, const TraceStep& b) {
  return a.outcome == b.outcome && a.reason == b.reason && a.classifies == b.classifies;
}

// ---------------------------------------------------------------- causes

enum class Effect { kOff, kOn, kUnknown };

Effect effect_of(const TraceStep* head) {
  if (head == nullptr) return Effect::kOff;
  if (head->status == TraceStep::Status::kFired) return Effect::kOn;
  if (head->status == TraceStep::Status::kIndeterminate) return Effect::kUnknown;
  return Effect::kOff;  // not fired, does not apply, not in force
}

const char* effect_text(Effect e, bool exemption) {
  switch (e) {
    case Effect::kOn: return exemption ? "applies" : "fires";
    case Effect::kUnknown: return "is indeterminate";
    case Effect::kOff: break;
  }
  return exemption ? "does not apply" : "does not fire";
}

struct Atom {
  std::string key;
  std::string description;
  bool downstream = false;  // explained by another change (a classification made elsewhere)
};

// The checks that made an entity fire: " (when product.kind == ic, product.tpp >= 4800)".
std::string true_checks(const Block* b) {
  if (b == nullptr || effect_of(b->head) != Effect::kOn) return {};
  std::string out;
  for (const auto* s : b->children) {
    if (s->kind != Kind::kCheck || s->truth != TraceStep::Truth::kTrue) continue;
    out += (out.empty() ? " (when " : ", ") + comparison_shape(*s);
  }
  return out.empty() ? out : out + ")";
}

void explain_entity(const Block* o, const Block* n, std::vector<Atom>& atoms) {
  const TraceStep* oh = o ? o->head : nullptr;
  const TraceStep* nh = n ? n->head : nullptr;
  const TraceStep& any = nh ? *nh : *oh;
  const bool exemption = any.kind == Kind::kExemption;
  const std::string what = fmt::format("{} `{}`", exemption ? "exemption" : "rule", any.subject);
  const std::string who = fmt::format("{} {}", exemption ? "exemption" : "rule", any.subject);
  const Effect eo = effect_of(oh), en = effect_of(nh);
  const std::string change = fmt::format("{} {} in NEW, {} in OLD", what, effect_text(en, exemption),
                                         effect_text(eo, exemption));
  if (oh == nullptr) {
    atoms.push_back({who + ": added", fmt::format("{} is new in NEW and {}{}; added by {}", what,
                                                  effect_text(en, exemption), true_checks(n),
                                                  nh->defined_by.empty() ? "NEW" : nh->defined_by)});
    return;
  }
  if (nh == nullptr) {
    atoms.push_back({who + ": removed",
                     fmt::format("{} is not in NEW (repealed); it {} in OLD{}", what, effect_text(eo, exemption),
                                 true_checks(o))});
    return;
  }
  const bool old_in_force = oh->status != TraceStep::Status::kNotInForce;
  const bool new_in_force = nh->status != TraceStep::Status::kNotInForce;
  const std::string amended_by(nh->defined_by);
  if (old_in_force != new_in_force) {
    const auto ow = trace_window(*oh), nw = trace_window(*nh);
    atoms.push_back({fmt::format("{}: in force {} -> {}", who, ow, nw),
                     fmt::format("{}: effective window {} in OLD, {} in NEW{}", change, ow, nw,
                                 oh->defined_by != nh->defined_by ? " (amended by " + amended_by + ")" : "")});
    return;
  }
  if (eo == en && eo == Effect::kOn && !same_outcome(*oh, *nh)) {
    const auto od = trace_detail(*oh), nd = trace_detail(*nh);
    atoms.push_back({fmt::format("{}: outcome {} -> {}", who, od, nd),
                     fmt::format("{}: outcome `{}` in OLD, `{}` in NEW", what, od, nd)});
    return;
  }
  // Both in force, the condition's value changed: find the checks that explain it.
  const auto ok = child_keys(o->children), nk = child_keys(n->children);
  std::map<std::string, const TraceStep*> old_by_key;
  for (std::size_t i = 0; i < ok.size(); ++i) old_by_key[ok[i]] = o->children[i];
  const std::size_t before = atoms.size();
  for (std::size_t j = 0; j < nk.size(); ++j) {
    const auto it = old_by_key.find(nk[j]);
    if (it == old_by_key.end()) continue;
    const TraceStep& a = *it->second;
    const TraceStep& b = *n->children[j];
    if (a.kind == Kind::kParameter) {
      if (a.result != b.result) {
        atoms.push_back({fmt::format("parameter {}: {} -> {}", a.subject, a.result, b.result),
                         fmt::format("{}: parameter `{}` is {} in OLD, {} in NEW", change, a.subject, a.result,
                                     b.result)});
      }
      continue;
    }
    if (a.kind == Kind::kDefinition) {
      if (a.source != b.source) {
        atoms.push_back({fmt::format("definition {}: {} -> {}", a.subject, a.source, b.source),
                         fmt::format("{}: definition `{}` is `{}` in OLD, `{}` in NEW", change, a.subject, a.source,
                                     b.source)});
      }
      continue;
    }
    if (a.kind != Kind::kCheck || a.truth == b.truth) continue;
    const auto at = trace_text(a), bt = trace_text(b);
    using Check = TraceStep::Check;
    // A membership of a known element in one named group (not a set expression).
    const bool membership = at == bt && (a.check == Check::kIn || a.check == Check::kMatches) &&
                            a.truth != TraceStep::Truth::kUnknown && !a.operands.empty() && !a.source.empty() &&
                            a.source.find(' ') == std::string_view::npos;
    if (at != bt && is_comparison(a) && is_comparison(b)) {
      const auto sa = comparison_shape(a), sb = comparison_shape(b);
      atoms.push_back({fmt::format("threshold {} -> {}", sa, sb),
                       fmt::format("{}: threshold `{}` in OLD became `{}` in NEW ({} -> {} for this case)", change,
                                   sa, sb, a.result, b.result)});
    } else if (at == bt && a.check == Check::kClassified) {
      atoms.push_back({fmt::format("{}: via {}", who, at),
                       fmt::format("{}: {} is {} in OLD, {} in NEW", change, at, a.result, b.result), true});
    } else if (membership) {
      const bool added = b.truth == TraceStep::Truth::kTrue;
      const auto element = trace_value_text(a.operands[0].value);
      atoms.push_back({fmt::format("group {}: {}{}", a.source, added ? "+" : "-", element),
                       fmt::format("{}: {} is {} group `{}` in NEW, {} in OLD", change, element,
                                   added ? "a member of" : "not a member of", a.source, added ? "not" : "it was")});
    } else {
      atoms.push_back({fmt::format("{}: check {} -> {}", who, at == bt ? at : at + " / " + bt, b.result),
                       fmt::format("{}: check `{}` is {} in OLD, `{}` is {} in NEW", change, at, a.result, bt,
                                   b.result)});
    }
  }
  if (atoms.size() == before) {
    atoms.push_back({fmt::format("{}: condition changed{}", who,
                                 oh->defined_by != nh->defined_by ? " (amended by " + amended_by + ")" : ""),
                     fmt::format("{}{}", change, oh->defined_by != nh->defined_by ? "; amended by " + amended_by : "")});
  }
}

std::string transition_of(const EvalResult& r) {
  std::string out = r.ok ? r.decision : "error";
  out += " [";
  for (std::size_t i = 0; i < r.classifications.size(); ++i) out += (i ? "," : "") + r.classifications[i];
  return out + "]";
}

bool results_differ(const EvalResult& a, const EvalResult& b) {
  return a.decision != b.decision || a.classifications != b.classifications;
}

// ---------------------------------------------------------------- JSON helpers

}  // namespace

std::string facts_to_json(const Facts& facts) {
  std::vector<std::pair<std::vector<std::string>, const FactValue*>> leaves;
  for (const auto& e : facts.entries()) {
    if (e.value.kind == FactValue::Kind::kObject || e.value.kind == FactValue::Kind::kArray) continue;
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (;;) {
      const auto dot = e.path.find('.', from);
      parts.push_back(e.path.substr(from, dot == std::string::npos ? std::string::npos : dot - from));
      if (dot == std::string::npos) break;
      from = dot + 1;
    }
    leaves.emplace_back(std::move(parts), &e.value);
  }
  std::sort(leaves.begin(), leaves.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string out = "{";
  std::vector<std::string> open;  // the current object path
  bool first = true;
  for (const auto& [parts, value] : leaves) {
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    while (open.size() > common) {
      out += "}";
      open.pop_back();
      first = false;
    }
    for (std::size_t i = common; i + 1 < parts.size(); ++i) {
      out += (first ? "" : ",") + json_quote(parts[i]) + ":{";
      open.push_back(parts[i]);
      first = true;
    }
    out += (first ? "" : ",") + json_quote(parts.back()) + ":";
    first = false;
    switch (value->kind) {
      case FactValue::Kind::kNumber: out += value->text; break;
      case FactValue::Kind::kString: out += json_quote(value->text); break;
      case FactValue::Kind::kBool: out += value->boolean ? "true" : "false"; break;
      default: out += "null"; break;
    }
  }
  for (std::size_t i = 0; i < open.size(); ++i) out += "}";
  return out + "}";
}

namespace {

void json_field(std::string& out, const char* name, std::string_view value, bool quote = true) {
  if (value.empty()) return;
  out += fmt::format(",\"{}\":{}", name, quote ? json_quote(value) : value);
}

std::string step_json(const TraceStep& s) {
  std::string out = fmt::format("{{\"kind\":\"{}\",\"depth\":{}", trace_kind_name(s.kind), s.depth);
  json_field(out, "subject", s.subject);
  if (is_entity(s)) json_field(out, "window", trace_window(s));
  json_field(out, "defined_by", s.defined_by);
  json_field(out, "text", trace_text(s));
  json_field(out, "result", s.result);
  json_field(out, "detail", trace_detail(s));
  if (!s.file.empty()) {
    out += fmt::format(",\"location\":{{\"file\":{},\"line\":{},\"column\":{}}}", json_quote(s.file), s.line,
                       s.column);
  }
  return out + "}";
}

std::string step_line(const TraceStep& s) {
  switch (s.kind) {
    case Kind::kRule:
    case Kind::kExemption:
      return fmt::format("{} {}: {}  {}", trace_kind_name(s.kind), s.subject, s.result, trace_window(s));
    case Kind::kCheck: return fmt::format("{} -> {}", trace_text(s), s.result);
    case Kind::kDefinition: return fmt::format("{} = {} -> {}", s.subject, s.source, s.result);
    case Kind::kParameter: return fmt::format("parameter {} = {}", s.subject, s.result);
    case Kind::kTier: return fmt::format("tier {} = {}", s.subject, s.result);
    case Kind::kDecision: return fmt::format("decision: {} ({})", s.result, trace_text(s));
  }
  return trace_text(s);
}

}  // namespace

// ---------------------------------------------------------------- public: one case

std::string CaseCause::key() const {
  std::string out;
  for (const auto& a : atoms) out += (out.empty() ? "" : "; ") + a;
  return out;
}

CaseCause explain_change(const EvalResult& old_result, const EvalResult& new_result) {
  CaseCause cause;
  std::vector<Atom> atoms;
  if (old_result.trace && new_result.trace) {
    const auto ob = blocks_of(*old_result.trace), nb = blocks_of(*new_result.trace);
    std::map<std::string, const Block*> old_by_key, new_by_key;
    for (std::size_t i = 1; i < ob.size(); ++i) old_by_key.emplace(block_key(ob[i]), &ob[i]);
    for (std::size_t i = 1; i < nb.size(); ++i) new_by_key.emplace(block_key(nb[i]), &nb[i]);
    std::set<std::string> keys;
    for (const auto& [k, b] : old_by_key) keys.insert(k);
    for (const auto& [k, b] : new_by_key) keys.insert(k);
    for (const auto& k : keys) {
      const auto oi = old_by_key.find(k), ni = new_by_key.find(k);
      const Block* o = oi == old_by_key.end() ? nullptr : oi->second;
      const Block* n = ni == new_by_key.end() ? nullptr : ni->second;
      const Effect eo = effect_of(o ? o->head : nullptr), en = effect_of(n ? n->head : nullptr);
      const bool outcome_changed = eo == Effect::kOn && en == Effect::kOn && !same_outcome(*o->head, *n->head);
      if (eo != en || outcome_changed) explain_entity(o, n, atoms);
    }
  }
  const bool any_primary = std::any_of(atoms.begin(), atoms.end(), [](const Atom& a) { return !a.downstream; });
  std::map<std::string, std::string> unique;
  for (const auto& a : atoms) {
    if (a.downstream && any_primary) continue;
    unique.emplace(a.key, a.description);
  }
  if (unique.empty()) {
    unique.emplace(fmt::format("decision {} -> {}", transition_of(old_result), transition_of(new_result)),
                   fmt::format("the result changed from {} to {} without a rule or exemption changing status",
                               transition_of(old_result), transition_of(new_result)));
  }
  for (auto& [k, d] : unique) {
    cause.atoms.push_back(k);
    cause.descriptions.push_back(std::move(d));
  }
  return cause;
}

std::vector<TraceDiffStep> diff_traces(const Trace& old_trace, const Trace& new_trace) {
  std::vector<TraceDiffStep> out;
  const auto ob = blocks_of(old_trace), nb = blocks_of(new_trace);
  std::vector<std::string> ok, nk;
  for (const auto& b : ob) ok.push_back(block_key(b));
  for (const auto& b : nb) nk.push_back(block_key(b));
  const auto emit_children = [&](const Block* o, const Block* n) {
    static const std::vector<const TraceStep*> none;
    const auto& oc = o ? o->children : none;
    const auto& nc = n ? n->children : none;
    for (const auto& [i, j] : align(child_keys(oc), child_keys(nc))) {
      TraceDiffStep d;
      if (i >= 0) d.old_step = *oc[static_cast<std::size_t>(i)];
      if (j >= 0) d.new_step = *nc[static_cast<std::size_t>(j)];
      d.mark = i < 0 ? '+' : j < 0 ? '-' : same_step(*d.old_step, *d.new_step) ? ' ' : '~';
      out.push_back(std::move(d));
    }
  };
  // The steps outside any rule (the decision) come last.
  auto pairs = align(ok, nk);
  std::stable_partition(pairs.begin(), pairs.end(), [&](const std::pair<int, int>& p) {
    return !(p.first == 0 || p.second == 0);
  });
  for (const auto& [i, j] : pairs) {
    const Block* o = i >= 0 ? &ob[static_cast<std::size_t>(i)] : nullptr;
    const Block* n = j >= 0 ? &nb[static_cast<std::size_t>(j)] : nullptr;
    if ((o && o->head) || (n && n->head)) {
      TraceDiffStep d;
      if (o) d.old_step = *o->head;
      if (n) d.new_step = *n->head;
      d.mark = !o ? '+' : !n ? '-' : same_step(*d.old_step, *d.new_step) ? ' ' : '~';
      out.push_back(std::move(d));
    }
    emit_children(o, n);
  }
  return out;
}

CaseDiff diff_case(const Policy& old_policy, const Policy& new_policy, const Facts& facts, Date as_of,
                   const DiffOptions& options) {
  CaseDiff d;
  EvalOptions eo;
  eo.as_of = as_of;
  eo.trace = true;
  eo.rules_as_of = options.old_rules_as_of;
  d.old_result = old_policy.evaluate(facts, eo);
  eo.rules_as_of = options.new_rules_as_of;
  d.new_result = new_policy.evaluate(facts, eo);
  d.changed = d.old_result.ok && d.new_result.ok && results_differ(d.old_result, d.new_result);
  if (d.changed) {
    d.cause = explain_change(d.old_result, d.new_result);
    d.trace_diff = diff_traces(*d.old_result.trace, *d.new_result.trace);
  }
  return d;
}

// ---------------------------------------------------------------- cause signatures

namespace {

using Bits = std::vector<std::uint64_t>;

void set_bit(Bits& b, std::size_t i) { b[i / 64] |= std::uint64_t{1} << (i % 64); }
bool bit(const Bits& b, std::size_t i) { return (b[i / 64] >> (i % 64)) & 1u; }
void or_into(Bits& to, const Bits& from) {
  for (std::size_t i = 0; i < to.size(); ++i) to[i] |= from[i];
}

// What the trace block of each rule or exemption of one program can depend on, besides the dates and the
// fired rules: the facts its condition can read (through definitions, parameters, tiers and fact defaults),
// and those of every entity sharing a definition, parameter or tier with it (these are memoised: the entity
// evaluated first shows their steps, so which entity that is depends on the other entity's facts).
struct ProgramReads {
  const CompiledProgram* p = nullptr;
  std::size_t words = 0;
  std::unordered_map<std::string_view, std::uint32_t> entity_by_name;
  std::vector<Bits> relevant;  // per entity: fact slots

  explicit ProgramReads(const CompiledProgram& program) : p(&program), words((program.facts.size() + 63) / 64 + 1) {
    const std::size_t items = program.definitions.size() + program.parameters.size() + program.tiers.size();
    std::vector<Bits> item_facts(items, Bits(words));  // memo: reads of each shared item
    std::vector<std::vector<std::uint32_t>> item_items(items);
    std::vector<std::uint8_t> item_state(items, 0);                          // 0 new, 1 running, 2 done
    std::vector<Bits> own(program.entities.size(), Bits(words));
    std::vector<std::vector<std::uint32_t>> touched(program.entities.size());
    // Adds the reads of `node` to (facts, items).
    const auto walk = [&](auto&& self, std::uint32_t node, Bits& facts, std::vector<std::uint32_t>& its) -> void {
      if (node == ir::kNone || node >= program.nodes.size()) return;
      const auto& n = program.nodes[node];
      const auto add_fact = [&](std::uint32_t slot) {
        for (int guard = 0; slot < program.facts.size() && guard < 8; ++guard) {
          set_bit(facts, slot);
          const auto d = program.facts[slot].default_node;
          if (d == ir::kNone || program.nodes[d].op != ir::Op::kFact) break;
          slot = program.nodes[d].a;
        }
      };
      const auto add_item = [&](std::uint32_t item, auto&& body) {
        its.push_back(item);
        if (item_state[item] == 0) {
          item_state[item] = 1;
          Bits f(words);
          std::vector<std::uint32_t> i2;
          body(f, i2);
          item_facts[item] = std::move(f);
          item_items[item] = std::move(i2);
          item_state[item] = 2;
        }
        or_into(facts, item_facts[item]);
        its.insert(its.end(), item_items[item].begin(), item_items[item].end());
      };
      switch (n.op) {
        case ir::Op::kConstBool: case ir::Op::kConstNum: case ir::Op::kConstStr: case ir::Op::kConstDate:
        case ir::Op::kConstEnum: case ir::Op::kClassified:
          return;
        case ir::Op::kFact:
        case ir::Op::kPresent: add_fact(n.a); return;
        case ir::Op::kDefinition:
          if (n.a < program.definitions.size()) {
            add_item(n.a, [&](Bits& f, std::vector<std::uint32_t>& i2) { self(self, program.definitions[n.a].node, f, i2); });
          }
          return;
        case ir::Op::kParameter:
          if (n.a < program.parameters.size()) {
            add_item(static_cast<std::uint32_t>(program.definitions.size() + n.a),
                     [&](Bits& f, std::vector<std::uint32_t>& i2) {
                       for (const auto& st : program.parameters[n.a].steps) self(self, st.value, f, i2);
                     });
          }
          return;
        case ir::Op::kTier:
          if (n.a < program.tiers.size()) {
            add_item(static_cast<std::uint32_t>(program.definitions.size() + program.parameters.size() + n.a),
                     [&](Bits& f, std::vector<std::uint32_t>& i2) {
                       for (const auto& c : program.tiers[n.a].cases) self(self, c.condition, f, i2);
                     });
          }
          return;
        case ir::Op::kSetGroup:
          if (n.a < program.groups.size()) self(self, program.groups[n.a].definition, facts, its);
          return;
        default:
          break;
      }
      self(self, n.a, facts, its);
      self(self, n.b, facts, its);
      self(self, n.c, facts, its);
      for (std::uint32_t k = 0; k < n.kid_count; ++k) self(self, program.kid_list[n.first_kid + k], facts, its);
    };
    for (std::uint32_t e = 0; e < program.entities.size(); ++e) {
      entity_by_name.emplace(program.entities[e].name, e);
      for (const auto& v : program.entities[e].versions) walk(walk, v.condition, own[e], touched[e]);
      std::sort(touched[e].begin(), touched[e].end());
      touched[e].erase(std::unique(touched[e].begin(), touched[e].end()), touched[e].end());
    }
    std::vector<Bits> sharers(items, Bits(words));  // per item: the facts of every entity touching it
    for (std::size_t e = 0; e < own.size(); ++e) {
      for (const auto item : touched[e]) or_into(sharers[item], own[e]);
    }
    relevant = own;
    for (std::size_t e = 0; e < own.size(); ++e) {
      for (const auto item : touched[e]) or_into(relevant[e], sharers[item]);
    }
  }
};

void add_dates(const CompiledProgram& p, std::vector<Date>& out) {
  for (const auto& e : p.entities) {
    for (const auto& v : e.versions) {
      out.push_back(v.from);
      out.push_back(v.until);
    }
  }
  for (const auto& g : p.groups) {
    for (const auto& events : g.enum_events) {
      for (const auto& ev : events) out.push_back(ev.from);
    }
    for (const auto& events : g.entry_events) {
      for (const auto& ev : events) out.push_back(ev.from);
    }
  }
  for (const auto& prm : p.parameters) {
    for (const auto& st : prm.steps) out.push_back(st.from);
  }
}

void put(std::string& sig, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  sig.append(reinterpret_cast<const char*>(&n), sizeof n);
  sig.append(s);
}

void put_decision(std::string& sig, const Decision& d) {
  put(sig, d.decision);
  sig += static_cast<char>(d.classifications.size());
  for (const auto c : d.classifications) put(sig, c);
  sig += static_cast<char>(d.fired.size());
  for (const auto f : d.fired) put(sig, f);
}

std::string transition_of(const Decision& d) {
  std::string out(d.decision);
  out += " [";
  for (std::size_t i = 0; i < d.classifications.size(); ++i) {
    if (i) out += ",";
    out += d.classifications[i];
  }
  return out + "]";
}

bool decisions_differ(const Decision& a, const Decision& b) {
  return a.decision != b.decision || a.classifications != b.classifications;
}

bool contains(const std::vector<std::string_view>& list, std::string_view x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

}  // namespace

struct DiffAccumulator::Engine {
  Session old_session;
  Session new_session;
  std::unique_ptr<ProgramReads> old_reads, new_reads;  // built at the first changed case
  std::vector<Date> boundaries;                         // sorted effective dates of both programs
  // A signature -> its group and its transition's counter (nodes of std::map: stable until merge()).
  struct Known {
    DiffGroup* group = nullptr;
    std::size_t* transition_count = nullptr;
  };
  std::unordered_map<std::string, Known> cause_by_signature;
  std::string signature;
  Bits old_mask, new_mask;

  Engine(const Policy& o, const Policy& n) : old_session(o), new_session(n) {}

  void prepare(const Policy& o, const Policy& n) {
    if (old_reads) return;
    old_reads = std::make_unique<ProgramReads>(program_of(o));
    new_reads = std::make_unique<ProgramReads>(program_of(n));
    add_dates(program_of(o), boundaries);
    add_dates(program_of(n), boundaries);
    std::sort(boundaries.begin(), boundaries.end());
    boundaries.erase(std::unique(boundaries.begin(), boundaries.end()), boundaries.end());
  }

  void mark(const ProgramReads& reads, Bits& mask, std::string_view entity) {
    const auto it = reads.entity_by_name.find(entity);
    if (it != reads.entity_by_name.end()) or_into(mask, reads.relevant[it->second]);
  }

  // The signature of a changed case (see DiffOptions::exact_causes); false when it must be traced.
  bool make_signature(const Decision& a, const Decision& b, const Facts& facts, Date as_of) {
    if (a.indeterminate || b.indeterminate) return false;
    signature.clear();
    put_decision(signature, a);
    put_decision(signature, b);
    const auto period = static_cast<std::uint32_t>(
        std::upper_bound(boundaries.begin(), boundaries.end(), as_of) - boundaries.begin());
    signature.append(reinterpret_cast<const char*>(&period), sizeof period);
    old_mask.assign(old_reads->words, 0);
    new_mask.assign(new_reads->words, 0);
    for (const auto f : a.fired) {
      if (!contains(b.fired, f)) {
        mark(*old_reads, old_mask, f);
        mark(*new_reads, new_mask, f);
      }
    }
    for (const auto f : b.fired) {
      if (!contains(a.fired, f)) {
        mark(*old_reads, old_mask, f);
        mark(*new_reads, new_mask, f);
      }
    }
    const auto& op = *old_reads->p;
    const auto& np = *new_reads->p;
    for (const auto& e : facts.entries()) {
      const auto oi = op.fact_index.find(e.path);
      bool used = oi != op.fact_index.end() && bit(old_mask, oi->second);
      if (&op == &np) {
        used = used || (oi != op.fact_index.end() && bit(new_mask, oi->second));
      } else if (!used) {
        const auto ni = np.fact_index.find(e.path);
        used = ni != np.fact_index.end() && bit(new_mask, ni->second);
      }
      if (!used) continue;
      put(signature, e.path);
      signature += static_cast<char>(e.value.kind);
      signature += e.value.boolean ? '1' : '0';
      put(signature, e.value.text);
    }
    return true;
  }
};

// ---------------------------------------------------------------- streaming accumulator

DiffAccumulator::DiffAccumulator(const Policy& old_policy, const Policy& new_policy, DiffOptions options)
    : old_(&old_policy), new_(&new_policy), options_(std::move(options)) {}
DiffAccumulator::~DiffAccumulator() = default;
DiffAccumulator::DiffAccumulator(DiffAccumulator&&) noexcept = default;
DiffAccumulator& DiffAccumulator::operator=(DiffAccumulator&&) noexcept = default;

void DiffAccumulator::add_error(std::size_t line, std::string id, std::string message) {
  ++report_.errors;
  auto& kept = report_.first_errors;
  if (kept.size() >= options_.max_errors_kept && (kept.empty() || kept.back().line < line)) return;
  kept.push_back({line, std::move(id), std::move(message)});
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  if (kept.size() > options_.max_errors_kept) kept.pop_back();
}

void DiffAccumulator::add_line(std::string_view line, std::size_t line_number) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
    add_error(line_number, {}, "empty line");
    return;
  }
  std::string parse_error;
  auto parsed = Facts::from_json(line, &parse_error, "line");
  if (!parsed) {
    add_error(line_number, {}, parse_error);
    return;
  }
  Facts facts;
  std::string id;
  Date as_of = options_.as_of;
  std::string problem;
  for (const auto& e : parsed->entries()) {
    if (e.path == "id") {
      id = e.value.kind == FactValue::Kind::kString ? json_quote(e.value.text) : e.value.text;
    } else if (e.path.size() > 6 && e.path.compare(0, 6, "facts.") == 0) {
      facts.set(e.path.substr(6), e.value, e.source);
    } else if (e.path == "as_of" || e.path == "rules_as_of") {
      const auto date = Date::parse(e.value.text);
      if (e.value.kind != FactValue::Kind::kString || !date) {
        problem = fmt::format("`{}` must be a date string YYYY-MM-DD", e.path);
      } else if (e.path == "as_of") {
        as_of = *date;
      } else {
        ++report_.ignored_rules_as_of;
      }
    } else if (e.path != "facts") {
      problem = fmt::format("unknown field `{}` (expected id, facts, as_of, rules_as_of)", e.path);
    }
  }
  if (!problem.empty()) {
    add_error(line_number, id, problem);
    return;
  }
  add_case(facts, as_of, id, line_number);
}

void DiffAccumulator::add_case(const Facts& facts, Date as_of, std::string_view id_json, std::size_t line_number) {
  if (!engine_) engine_ = std::make_unique<Engine>(*old_, *new_);
  Engine& en = *engine_;
  EvalOptions eo;
  eo.as_of = as_of;
  eo.rules_as_of = options_.old_rules_as_of;
  const Decision& a = en.old_session.decide(facts, eo);
  eo.rules_as_of = options_.new_rules_as_of;
  const Decision& b = en.new_session.decide(facts, eo);
  if (!a.ok || !b.ok) {
    const auto& bad = !a.ok ? a : b;
    std::string message = !a.ok ? "invalid facts in OLD: " : "invalid facts in NEW: ";
    if (bad.errors != nullptr) {
      for (std::size_t i = 0; i < bad.errors->size(); ++i) message += (i ? "; " : "") + (*bad.errors)[i];
    }
    add_error(line_number, std::string(id_json), message);
    return;
  }
  ++report_.cases;
  if (!decisions_differ(a, b)) return;
  ++report_.changed;
  const bool decision_changed = a.decision != b.decision;
  if (decision_changed) ++report_.decision_changes;
  // A case with the signature of an earlier one has its cause (the example stays the earlier case). The
  // signature includes both decisions and classifications, hence the transition.
  bool signed_case = false;
  if (!options_.exact_causes) {
    en.prepare(*old_, *new_);
    signed_case = en.make_signature(a, b, facts, as_of);
    if (signed_case) {
      const auto known = en.cause_by_signature.find(en.signature);
      if (known != en.cause_by_signature.end() && line_number > known->second.group->example_line) {
        DiffGroup& g = *known->second.group;
        ++g.count;
        if (decision_changed) ++g.decision_changes;
        ++*known->second.transition_count;
        return;
      }
    }
  }
  auto transition = transition_of(a) + " -> " + transition_of(b);
  // Evaluate both again with traces to find the cause.
  CaseDiff d;
  eo.trace = true;
  if (options_.exact_causes) {
    d = diff_case(*old_, *new_, facts, as_of, options_);
  } else {
    eo.rules_as_of = options_.old_rules_as_of;
    d.old_result = en.old_session.evaluate(facts, eo);
    eo.rules_as_of = options_.new_rules_as_of;
    d.new_result = en.new_session.evaluate(facts, eo);
    d.changed = true;
    d.cause = explain_change(d.old_result, d.new_result);
    d.trace_diff = diff_traces(*d.old_result.trace, *d.new_result.trace);
  }
  auto key = d.cause.key();
  auto [it, fresh] = groups_.try_emplace(key);
  DiffGroup& g = it->second;
  ++g.count;
  if (decision_changed) ++g.decision_changes;
  auto& transition_count = g.transitions[std::move(transition)];
  ++transition_count;
  if (signed_case) {
    if (en.cause_by_signature.size() >= std::max<std::size_t>(1, options_.max_signatures)) {
      en.cause_by_signature.clear();
    }
    en.cause_by_signature.insert_or_assign(en.signature, Engine::Known{&g, &transition_count});
  }
  if (fresh || line_number < g.example_line) {
    g.key = std::move(key);
    g.atoms = std::move(d.cause.atoms);
    g.descriptions = std::move(d.cause.descriptions);
    g.example_line = line_number;
    g.example_id = std::string(id_json);
    g.example_facts = facts_to_json(facts);
    g.example_as_of = as_of;
    g.example_old = std::move(d.old_result);
    g.example_new = std::move(d.new_result);
    g.example_trace_diff = std::move(d.trace_diff);
  }
}

void DiffAccumulator::merge(DiffAccumulator&& other) {
  if (engine_) engine_->cause_by_signature.clear();  // it points into groups_
  report_.cases += other.report_.cases;
  report_.changed += other.report_.changed;
  report_.decision_changes += other.report_.decision_changes;
  report_.ignored_rules_as_of += other.report_.ignored_rules_as_of;
  const auto errors = report_.errors + other.report_.errors;
  for (auto& e : other.report_.first_errors) add_error(e.line, std::move(e.id), std::move(e.message));
  report_.errors = errors;
  for (auto& [key, g] : other.groups_) {
    auto [it, fresh] = groups_.try_emplace(key);
    if (fresh) {
      it->second = std::move(g);
      continue;
    }
    DiffGroup& mine = it->second;
    mine.count += g.count;
    mine.decision_changes += g.decision_changes;
    for (const auto& [t, c] : g.transitions) mine.transitions[t] += c;
    if (g.example_line < mine.example_line) {
      auto transitions = std::move(mine.transitions);
      const auto count = mine.count, decisions = mine.decision_changes;
      mine = std::move(g);
      mine.transitions = std::move(transitions);
      mine.count = count;
      mine.decision_changes = decisions;
    }
  }
}

DiffReport DiffAccumulator::finish() && {
  DiffReport out = std::move(report_);
  for (auto& [key, g] : groups_) out.groups.push_back(std::move(g));
  std::stable_sort(out.groups.begin(), out.groups.end(), [](const DiffGroup& a, const DiffGroup& b) {
    return a.count != b.count ? a.count > b.count : a.key < b.key;
  });
  return out;
}

// ---------------------------------------------------------------- corpus, threads

namespace {

// Lines of a corpus, numbered from 1, read with the batch's bounded reader: a line longer than `max_bytes`
// is skipped piece by piece (never held in memory) and kept as a bad line. A read error stops the reading
// and leaves the stream bad(), for the caller to report.
class CorpusReader {
 public:
  CorpusReader(std::istream& in, std::size_t max_bytes, std::size_t max_kept)
      : reader_(in, max_bytes), max_bytes_(max_bytes), max_kept_(max_kept) {}

  // The next line that was not too long into `line`; false at the end of the input (or a read error).
  bool next(std::string& line) {
    for (;;) {
      line.clear();
      const auto status = reader_.next(line);
      if (status == core::LineReader::Status::kEnd) return false;
      ++line_number_;
      if (status == core::LineReader::Status::kLine) return true;
      ++too_long_count_;
      if (too_long_.size() < max_kept_) too_long_.push_back(line_number_);
    }
  }
  std::size_t line_number() const { return line_number_; }

  // Adds the too-long lines to the report as bad lines, as DiffAccumulator keeps its own.
  void add_errors(DiffReport& report) const {
    report.errors += too_long_count_;
    auto& kept = report.first_errors;
    for (const auto line : too_long_) {
      kept.push_back({line, {}, fmt::format("line longer than {} bytes (the facts limit); skipped", max_bytes_)});
    }
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    if (kept.size() > max_kept_) kept.resize(max_kept_);
  }

 private:
  core::LineReader reader_;
  std::size_t max_bytes_;
  std::size_t max_kept_;
  std::size_t line_number_ = 0;
  std::size_t too_long_count_ = 0;
  std::vector<std::size_t> too_long_;  // the first max_kept_ of them
};

}  // namespace

// A line is a facts document: it may be as long as the facts limit of the policies (the smaller one), no
// longer. A read error leaves `in` bad(): the report then covers only the lines before it, and the caller
// (`edict diff`) must not take it for the whole corpus.
DiffReport diff_corpus(const Policy& old_policy, const Policy& new_policy, std::istream& in,
                       const DiffOptions& options) {
  const std::size_t chunk_lines = std::max<std::size_t>(1, options.chunk_lines);
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  CorpusReader reader(in, std::min(old_policy.limits().facts_bytes, new_policy.limits().facts_bytes),
                      options.max_errors_kept);
  DiffAccumulator total(old_policy, new_policy, options);
  std::string line;
  if (threads == 1) {
    while (reader.next(line)) total.add_line(line, reader.line_number());
    auto report = std::move(total).finish();
    reader.add_errors(report);
    return report;
  }
  struct Chunk {
    std::vector<std::size_t> numbers;  // each line's number (too-long lines leave gaps)
    std::vector<std::string> lines;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Chunk> queue;
  bool done = false;
  std::vector<DiffAccumulator> partial;
  partial.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) partial.emplace_back(old_policy, new_policy, options);
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (;;) {
        Chunk chunk;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return !queue.empty() || done; });
          if (queue.empty()) return;
          chunk = std::move(queue.front());
          queue.pop_front();
        }
        changed.notify_all();
        for (std::size_t i = 0; i < chunk.lines.size(); ++i) partial[t].add_line(chunk.lines[i], chunk.numbers[i]);
      }
    });
  }
  Chunk chunk;
  const auto push = [&] {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return queue.size() < 2 * threads; });  // bounded: flat memory
    queue.push_back(std::move(chunk));
    lock.unlock();
    changed.notify_all();
    chunk = Chunk{};
  };
  while (reader.next(line)) {
    if (chunk.lines.empty()) {
      chunk.lines.reserve(chunk_lines);
      chunk.numbers.reserve(chunk_lines);
    }
    chunk.lines.push_back(std::move(line));
    chunk.numbers.push_back(reader.line_number());
    if (chunk.lines.size() == chunk_lines) push();
  }
  if (!chunk.lines.empty()) push();
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  changed.notify_all();
  for (auto& w : workers) w.join();
  for (auto& p : partial) total.merge(std::move(p));
  auto report = std::move(total).finish();
  reader.add_errors(report);
  return report;
}

// ---------------------------------------------------------------- rendering

std::string result_summary(const EvalResult& result) { return transition_of(result); }

std::string render_trace_diff_text(const std::vector<TraceDiffStep>& steps, std::string_view indent_all) {
  std::string out;
  // Differing steps, each under its rule or exemption for context.
  const TraceDiffStep* head = nullptr;
  bool head_shown = false;
  for (const auto& d : steps) {
    const TraceStep& any = d.new_step ? *d.new_step : *d.old_step;
    if (is_entity(any)) {
      head = &d;
      head_shown = false;
    }
    if (d.mark == ' ') continue;
    if (head != nullptr && head != &d && !head_shown) {
      const TraceStep& h = head->new_step ? *head->new_step : *head->old_step;
      out += fmt::format("{}{} {}\n", indent_all, head->mark, step_line(h));
      head_shown = true;
    }
    if (head == &d) head_shown = true;
    const std::string indent(std::min<std::uint32_t>(any.depth, 8) * 2, ' ');
    if (d.mark == '~') {
      out += fmt::format("{}~ {}{}  |  {}\n", indent_all, indent, step_line(*d.old_step), step_line(*d.new_step));
    } else {
      out += fmt::format("{}{} {}{}\n", indent_all, d.mark, indent, step_line(any));
    }
    if (head == &d) head_shown = true;
  }
  return out;
}

std::string render_diff_text(const DiffReport& report, std::size_t max_groups_with_traces) {
  std::string out = fmt::format("{} cases, {} changed ({} decisions, {} classifications only), {} cause groups",
                                report.cases, report.changed, report.decision_changes,
                                report.changed - report.decision_changes, report.groups.size());
  if (report.errors) out += fmt::format(", {} bad lines", report.errors);
  out += "\n";
  if (report.ignored_rules_as_of) {
    out += fmt::format("note: {} lines set \"rules_as_of\"; ignored (diff reads the rulebooks as given on the "
                       "command line)\n",
                       report.ignored_rules_as_of);
  }
  for (const auto& e : report.first_errors) {
    out += fmt::format("error: line {}{}: {}\n", e.line, e.id.empty() ? "" : " (id " + e.id + ")", e.message);
  }
  if (report.errors > report.first_errors.size()) {
    out += fmt::format("error: ... and {} more bad lines\n", report.errors - report.first_errors.size());
  }
  for (std::size_t gi = 0; gi < report.groups.size(); ++gi) {
    const auto& g = report.groups[gi];
    out += fmt::format("\n[{}] {} cases ({} decisions changed): {}\n", gi + 1, g.count, g.decision_changes, g.key);
    for (const auto& d : g.descriptions) out += fmt::format("  cause: {}\n", d);
    std::vector<std::pair<std::string, std::size_t>> transitions(g.transitions.begin(), g.transitions.end());
    std::stable_sort(transitions.begin(), transitions.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [t, c] : transitions) out += fmt::format("  {:>8}  {}\n", c, t);
    out += fmt::format("  example: line {}{}, as of {}: {}\n", g.example_line,
                       g.example_id.empty() ? "" : " id " + g.example_id, g.example_as_of.to_string(),
                       g.example_facts);
    out += fmt::format("    OLD: {}\n    NEW: {}\n", transition_of(g.example_old), transition_of(g.example_new));
    if (gi >= max_groups_with_traces) continue;
    out += "  trace diff (- OLD only, + NEW only, ~ changed: OLD | NEW):\n";
    out += render_trace_diff_text(g.example_trace_diff, "    ");
  }
  return out;
}

std::string render_diff_json(const DiffReport& report) {
  std::string out = fmt::format(
      "{{\"cases\":{},\"changed\":{},\"decision_changes\":{},\"errors\":{},\"ignored_rules_as_of\":{},"
      "\"error_lines\":[",
      report.cases, report.changed, report.decision_changes, report.errors, report.ignored_rules_as_of);
  for (std::size_t i = 0; i < report.first_errors.size(); ++i) {
    const auto& e = report.first_errors[i];
    out += fmt::format("{}{{\"line\":{},\"id\":{},\"message\":{}}}", i ? "," : "", e.line,
                       e.id.empty() ? "null" : e.id, json_quote(e.message));
  }
  out += "],\"groups\":[";
  for (std::size_t gi = 0; gi < report.groups.size(); ++gi) {
    const auto& g = report.groups[gi];
    out += fmt::format("{}{{\"key\":{},\"count\":{},\"decision_changes\":{},\"causes\":[", gi ? "," : "",
                       json_quote(g.key), g.count, g.decision_changes);
    for (std::size_t i = 0; i < g.atoms.size(); ++i) {
      out += fmt::format("{}{{\"cause\":{},\"description\":{}}}", i ? "," : "", json_quote(g.atoms[i]),
                         json_quote(g.descriptions[i]));
    }
    out += "],\"transitions\":[";
    bool first = true;
    for (const auto& [t, c] : g.transitions) {
      out += fmt::format("{}{{\"change\":{},\"count\":{}}}", first ? "" : ",", json_quote(t), c);
      first = false;
    }
    EvalResult old_summary = g.example_old, new_summary = g.example_new;
    old_summary.trace.reset();
    new_summary.trace.reset();
    out += fmt::format("],\"example\":{{\"line\":{},\"id\":{},\"as_of\":\"{}\",\"facts\":{},\"old\":{},\"new\":{},"
                       "\"trace_diff\":[",
                       g.example_line, g.example_id.empty() ? "null" : g.example_id, g.example_as_of.to_string(),
                       g.example_facts, render_json(old_summary), render_json(new_summary));
    for (std::size_t i = 0; i < g.example_trace_diff.size(); ++i) {
      const auto& d = g.example_trace_diff[i];
      out += fmt::format("{}{{\"mark\":\"{}\",\"old\":{},\"new\":{}}}", i ? "," : "", d.mark,
                         d.old_step ? step_json(*d.old_step) : "null", d.new_step ? step_json(*d.new_step) : "null");
    }
    out += "]}}";
  }
  return out + "]}";
}

}  // namespace edict
