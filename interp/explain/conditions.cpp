// Blocks of a trace, condition trees read from the compiled form with the trace's checks as leaves, deciding
// paths, and the text and JSON of a leaf.
#include <algorithm>

#include <fmt/format.h>

#include "core/json_writer.hpp"
#include "edict/render.hpp"
#include "ir/queries.hpp"
#include "explain/conditions.hpp"
#include "utf8.hpp"

namespace edict::answers {

namespace {

using Kind = ConditionNode::Kind;
using Truth = TraceStep::Truth;

bool is_leaf_value(ir::Op op) {
  return op == ir::Op::kFact || op == ir::Op::kDefinition || op == ir::Op::kParameter || op == ir::Op::kConstBool;
}

Truth all_of(const std::vector<ConditionNode>& kids) {
  bool unknown = false;
  for (const auto& k : kids) {
    if (k.truth == Truth::kFalse && k.evaluated) return Truth::kFalse;
    if (k.truth != Truth::kTrue || !k.evaluated) unknown = true;
  }
  return unknown ? Truth::kUnknown : Truth::kTrue;
}

Truth any_of(const std::vector<ConditionNode>& kids) {
  bool unknown = false;
  for (const auto& k : kids) {
    if (k.truth == Truth::kTrue && k.evaluated) return Truth::kTrue;
    if (k.truth != Truth::kFalse || !k.evaluated) unknown = true;
  }
  return unknown ? Truth::kUnknown : Truth::kFalse;
}

Truth negated(Truth t) { return t == Truth::kTrue ? Truth::kFalse : t == Truth::kFalse ? Truth::kTrue : t; }

// The operands of an `and` / `or` chain, flattened.
void chain(const CompiledProgram& p, std::uint32_t node, ir::Op op, std::vector<std::uint32_t>& out) {
  const auto& n = p.nodes[node];
  if (n.op != op) {
    out.push_back(node);
    return;
  }
  chain(p, n.a, op, out);
  chain(p, n.b, op, out);
}

const char* provenance_word(Provenance p) {
  switch (p) {
    case Provenance::kGiven: return "given";
    case Provenance::kDefaulted: return "default";
    case Provenance::kMissing: return "missing";
    case Provenance::kNotAFact: break;
  }
  return "";
}

bool boolean_check(const TraceStep& s) {
  return s.check == TraceStep::Check::kBoolean || s.check == TraceStep::Check::kNot;
}

// "[product.tpp: given]", "[product.datacenter = true: given]", "[end_user.hq_country: default from
// destination.country]".
std::string facts_note(const TraceStep& s) {
  std::string out;
  for (const auto& o : s.operands) {
    if (!o.fact) continue;
    std::string one = shown(o.fact_path);
    if (boolean_check(s) && o.value.kind != TraceValue::Kind::kUnknown) one += " = " + trace_value_text(o.value);
    one += fmt::format(": {}", provenance_word(o.provenance));
    if (o.provenance == Provenance::kDefaulted) {
      one += o.default_from.empty() ? std::string(" (its default value)") : " from " + shown(o.default_from);
    }
    out += (out.empty() ? "" : "; ") + one;
  }
  return out.empty() ? out : "  [" + out + "]";
}

ConditionNode pruned(const ConditionNode& n);

// Keeps the children selected by `keep`, counting the others as omitted.
template <class Keep>
ConditionNode keep_children(const ConditionNode& n, Keep keep) {
  ConditionNode out = n;
  out.children.clear();
  out.omitted = 0;
  for (const auto& k : n.children) {
    if (keep(k)) {
      out.children.push_back(pruned(k));
    } else {
      ++out.omitted;
    }
  }
  return out;
}

ConditionNode pruned(const ConditionNode& n) {
  switch (n.kind) {
    case Kind::kCheck: return n;
    case Kind::kNot: return keep_children(n, [](const ConditionNode&) { return true; });
    case Kind::kIf: return keep_children(n, [](const ConditionNode& k) { return k.evaluated; });
    case Kind::kAll:
    case Kind::kAny: {
      // The value that decides the connective alone: false for `all of`, true for `any of`.
      const Truth decisive = n.kind == Kind::kAll ? Truth::kFalse : Truth::kTrue;
      if (n.truth == decisive) {
        bool taken = false;
        return keep_children(n, [&](const ConditionNode& k) {
          if (taken || !k.evaluated || k.truth != decisive) return false;
          return taken = true;
        });
      }
      if (n.truth == Truth::kUnknown) {
        return keep_children(n, [](const ConditionNode& k) { return k.evaluated && k.truth == Truth::kUnknown; });
      }
      return keep_children(n, [](const ConditionNode&) { return true; });
    }
  }
  return n;
}

std::string connective_word(const ConditionNode& n) {
  switch (n.kind) {
    case Kind::kAll: return "all of";
    case Kind::kAny: return "any of";
    case Kind::kNot: return "not";
    case Kind::kIf: return "if";
    case Kind::kCheck: break;
  }
  return "";
}

}  // namespace

std::string shown(std::string_view text) { return utf8::printable(text); }

const TraceStep* Block::check_of(std::uint32_t node) const {
  for (const auto* s : steps) {
    if (s->kind == TraceStep::Kind::kCheck && s->node == node) return s;
  }
  return nullptr;
}

std::vector<Block> blocks_of(const Trace& trace) {
  std::vector<Block> out;
  const TraceStep* head = nullptr;
  for (const auto& s : trace.steps) {
    const bool entity = s.kind == TraceStep::Kind::kRule || s.kind == TraceStep::Kind::kExemption;
    if (head && s.depth > head->depth) {
      out.back().steps.push_back(&s);
      continue;
    }
    head = entity ? &s : nullptr;
    if (entity) out.push_back(Block{&s, {}});
  }
  return out;
}

const Block* find_block(const std::vector<Block>& blocks, std::string_view name) {
  for (const auto& b : blocks) {
    if (b.head->subject == name) return &b;
  }
  return nullptr;
}

Date rulebook_date(const EvalResult& result) {
  return result.rules_as_of.value_or(Date::from_days(Date::max().days() - 1));
}

Entities::Entities(const CompiledProgram& program) : p_(program) {
  for (std::uint32_t i = 0; i < p_.entities.size(); ++i) index_.emplace(p_.entities[i].name, i);
}

std::uint32_t Entities::index(std::string_view name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? ir::kNone : it->second;
}

const ir::RuleVersion* Entities::version(std::string_view name, Date rules) const {
  const auto i = index(name);
  return i == ir::kNone ? nullptr : ir::visible_version(p_.entities[i], rules);
}

ConditionNode condition_tree(const CompiledProgram& p, std::uint32_t node, const Block& block) {
  ConditionNode out;
  out.node = node;
  if (node == ir::kNone) return out;
  const auto& n = p.nodes[node];
  // `not x` of a boolean value is one check, recorded at x's node.
  if (n.op == ir::Op::kNot && is_leaf_value(p.nodes[n.a].op)) {
    if (const auto* s = block.check_of(n.a); s && s->check == TraceStep::Check::kNot) {
      out.check = *s;
      out.evaluated = true;
      out.truth = s->truth;
      return out;
    }
  }
  switch (n.op) {
    case ir::Op::kAnd:
    case ir::Op::kOr: {
      out.kind = n.op == ir::Op::kAnd ? Kind::kAll : Kind::kAny;
      std::vector<std::uint32_t> operands;
      chain(p, node, n.op, operands);
      for (const auto o : operands) out.children.push_back(condition_tree(p, o, block));
      out.truth = out.kind == Kind::kAll ? all_of(out.children) : any_of(out.children);
      out.evaluated = std::any_of(out.children.begin(), out.children.end(),
                                  [](const ConditionNode& k) { return k.evaluated; });
      return out;
    }
    case ir::Op::kNot:
      out.kind = Kind::kNot;
      out.children.push_back(condition_tree(p, n.a, block));
      out.evaluated = out.children[0].evaluated;
      out.truth = out.evaluated ? negated(out.children[0].truth) : Truth::kUnknown;
      return out;
    case ir::Op::kIf: {
      out.kind = Kind::kIf;
      for (const auto o : {n.a, n.b, n.c}) out.children.push_back(condition_tree(p, o, block));
      const auto& c = out.children[0];
      out.evaluated = c.evaluated;
      if (c.evaluated && c.truth != Truth::kUnknown) {
        const auto& taken = out.children[c.truth == Truth::kTrue ? 1 : 2];
        out.truth = taken.evaluated ? taken.truth : Truth::kUnknown;
      }
      return out;
    }
    default:
      if (const auto* s = block.check_of(node)) {
        out.check = *s;
        out.evaluated = true;
        out.truth = s->truth;
      }
      return out;
  }
}

ConditionNode deciding_path(const ConditionNode& tree) { return pruned(tree); }

void leaves_of(const ConditionNode& tree, std::vector<const ConditionNode*>& out) {
  if (tree.kind == Kind::kCheck) {
    out.push_back(&tree);
    return;
  }
  for (const auto& k : tree.children) leaves_of(k, out);
}

const char* truth_word(Truth truth) {
  switch (truth) {
    case Truth::kTrue: return "true";
    case Truth::kFalse: return "false";
    case Truth::kUnknown: break;
  }
  return "unknown";
}

std::string leaf_line(const TraceStep& s) {
  const auto detail = trace_detail(s);
  return fmt::format("{} -> {}{}{}", shown(trace_text(s)), shown(s.result),
                     detail.empty() ? "" : "  [" + shown(detail) + "]", facts_note(s));
}

std::string leaf_facts_json(const TraceStep& s) {
  std::string out = "[";
  for (const auto& o : s.operands) {
    if (!o.fact) continue;
    if (out.size() > 1) out += ',';
    out += "{\"fact\":";
    core::append_json_string(out, o.fact_path);
    if (o.value.kind != TraceValue::Kind::kUnknown) {
      out += ",\"value\":";
      core::append_json_string(out, trace_exact_text(o.value));
    }
    out += ",\"provenance\":";
    core::append_json_string(out, provenance_word(o.provenance));
    if (!o.default_from.empty()) {
      out += ",\"from\":";
      core::append_json_string(out, o.default_from);
    }
    out += '}';
  }
  return out + "]";
}

void append_condition_json(std::string& out, const ConditionNode& n) {
  out += "{\"kind\":";
  core::append_json_string(out, n.kind == Kind::kCheck ? "check" : connective_word(n));
  out += ",\"truth\":";
  core::append_json_string(out, n.evaluated ? truth_word(n.truth) : "not evaluated");
  if (n.check) {
    out += ",\"text\":";
    core::append_json_string(out, trace_text(*n.check));
    out += ",\"result\":";
    core::append_json_string(out, n.check->result);
    if (const auto detail = trace_detail(*n.check); !detail.empty()) {
      out += ",\"detail\":";
      core::append_json_string(out, detail);
    }
    out += ",\"facts\":" + leaf_facts_json(*n.check);
  }
  if (!n.children.empty()) {
    out += ",\"children\":[";
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      if (i) out += ',';
      append_condition_json(out, n.children[i]);
    }
    out += ']';
  }
  if (n.omitted) out += fmt::format(",\"omitted\":{}", n.omitted);
  out += '}';
}

void append_condition_text(std::string& out, const ConditionNode& n, std::size_t indent, bool root) {
  const std::string pad(indent, ' ');
  if (n.kind == Kind::kCheck) {
    out += pad + (n.check ? leaf_line(*n.check) : std::string("(not evaluated)")) + "\n";
    return;
  }
  // A rule's `when a and b` lists its operands; a connective that kept one operand prints that operand with
  // a note of what it decided.
  if (root && n.kind == Kind::kAll) {
    for (const auto& k : n.children) append_condition_text(out, k, indent, false);
    return;
  }
  if ((n.kind == Kind::kAll || n.kind == Kind::kAny) && n.children.size() == 1) {
    std::string one;
    append_condition_text(one, n.children[0], indent, false);
    const auto end = one.find('\n');
    out += one.substr(0, end) + fmt::format("  (decides `{}` {})", connective_word(n), n.omitted + 1) +
           one.substr(end);
    return;
  }
  out += fmt::format("{}{} -> {}{}\n", pad, connective_word(n), n.evaluated ? truth_word(n.truth) : "not evaluated",
                     n.omitted ? fmt::format("  ({} more not needed)", n.omitted) : "");
  for (const auto& k : n.children) append_condition_text(out, k, indent + 2, false);
}

}  // namespace edict::answers
