// Checking, part 3: expressions. Resolves names, checks types and lowers each expression into flat nodes.
#include <algorithm>

#include <fmt/format.h>

#include "core/names.hpp"
#include "core/suggest.hpp"
#include "ir/queries.hpp"
#include "sema/checker.hpp"

namespace edict::sema {

using syntax::ExprKind;

std::uint32_t Checker::add_node(ir::Node node) {
  program_->nodes.push_back(node);
  return static_cast<std::uint32_t>(program_->nodes.size() - 1);
}

std::uint32_t Checker::intern_string(const std::string& text) {
  auto& strings = program_->strings;
  const auto [it, inserted] = string_index_.try_emplace(text, static_cast<std::uint32_t>(strings.size()));
  if (inserted) strings.push_back(text);
  return it->second;
}

std::string Checker::span_text(syntax::Span span) const { return ir::span_text(program_->sources, span); }

std::string Checker::type_name(const ir::TypeInfo& type) const {
  switch (type.type) {
    case ir::Type::kBool: return "a bool";
    case ir::Type::kNumber: return "a number";
    case ir::Type::kString: return "a string";
    case ir::Type::kDate: return "a date";
    case ir::Type::kEnum: return fmt::format("a `{}`", program_->enums[type.enum_id].name);
    case ir::Type::kSet:
      if (type.enum_id != ir::kNone) return fmt::format("a set of `{}`", program_->enums[type.enum_id].name);
      return type.names ? "a set of names" : "a set of strings";
  }
  return "a value";
}

std::uint32_t Checker::lower_condition(const syntax::Expr& expr) {
  const auto node = lower(expr);
  if (node == ir::kNone) return node;
  if (program_->nodes[node].type.type != ir::Type::kBool) {
    error(expr.span, "type-mismatch",
          fmt::format("a condition must be true or false, but this is {}", type_name(program_->nodes[node].type)));
    return ir::kNone;
  }
  return node;
}

// `depth` counts the expressions and definitions above this one, so that chains of definitions are bounded
// like nested expressions (the evaluator recurses through them).
void Checker::lower_definition(std::uint32_t index, std::size_t depth) {
  definition_state_[index] = LowerState::kInProgress;
  const auto node = lower(*definition_syntax_[index], depth);
  program_->definitions[index].node = node;
  definition_state_[index] = LowerState::kDone;
}

namespace {

ir::Op arith(syntax::ArithOp op) {
  switch (op) {
    case syntax::ArithOp::kAdd: return ir::Op::kAdd;
    case syntax::ArithOp::kSub: return ir::Op::kSub;
    case syntax::ArithOp::kMul: return ir::Op::kMul;
    case syntax::ArithOp::kDiv: return ir::Op::kDiv;
  }
  return ir::Op::kAdd;
}

bool ordered_type(ir::Type t) { return t == ir::Type::kNumber || t == ir::Type::kDate; }

}  // namespace

std::string member_help(const std::string& text, const ir::EnumType& e) {
  if (auto help = core::did_you_mean_member(text, e.codes, e.displays); !help.empty()) return help;
  std::string allowed;
  for (std::size_t i = 0; i < e.codes.size() && i < 12; ++i) allowed += (i ? ", " : "") + ("`" + e.codes[i] + "`");
  if (e.codes.size() > 12) allowed += fmt::format(" ({} more)", e.codes.size() - 12);
  return "allowed values: " + allowed;
}

bool coerce_to_enum(Checker& c, std::uint32_t literal, const ir::TypeInfo& type) {
  auto& program = *c.program_;
  if (type.type != ir::Type::kEnum) return true;
  if (program.nodes[literal].op == ir::Op::kIf && program.nodes[literal].type.type == ir::Type::kString) {
    // `if ... then "high" else "low"`: both branches become codes, and so does the `if`.
    const auto then_node = program.nodes[literal].b, else_node = program.nodes[literal].c;
    const bool ok = coerce_to_enum(c, then_node, type) && coerce_to_enum(c, else_node, type);
    if (ok && program.nodes[then_node].type == type && program.nodes[else_node].type == type) {
      program.nodes[literal].type = type;
    }
    return ok;
  }
  auto& lit = program.nodes[literal];
  if (lit.op != ir::Op::kConstStr) return true;
  const auto& text = program.strings[lit.a];
  const auto& e = program.enums[type.enum_id];
  const auto it = e.index.find(text);
  if (it == e.index.end()) {
    const bool closed_list = e.name.rfind("one of ", 0) == 0;
    c.error(lit.span, "unknown-member",
            closed_list ? fmt::format("`{}` is not an allowed value of `{}`", text, e.name.substr(7))
                        : fmt::format("`{}` is not a `{}`", text, e.name),
            member_help(text, e));
    return false;
  }
  lit.op = ir::Op::kConstEnum;
  lit.a = it->second;
  lit.type = type;
  return true;
}

// A `"text"` literal compared with an enumeration or a tier becomes a checked constant of that type.
bool coerce_string_literal(Checker& c, std::uint32_t literal, std::uint32_t other) {
  auto& program = *c.program_;
  const auto& lit = program.nodes[literal];
  const auto& o = program.nodes[other];
  if (lit.op != ir::Op::kConstStr) return true;
  const auto& text = program.strings[lit.a];
  if (o.type.type == ir::Type::kEnum) return coerce_to_enum(c, literal, o.type);
  if (o.op == ir::Op::kTier) {
    const auto& labels = program.tiers[o.a].labels;
    if (std::find(labels.begin(), labels.end(), text) == labels.end()) {
      c.error(lit.span, "unknown-member", fmt::format("`{}` is not a label of tier `{}`", text, program.tiers[o.a].name),
              source::did_you_mean(text, labels));
      return false;
    }
  }
  return true;
}

std::uint32_t Checker::lower(const syntax::Expr& e, std::size_t depth) {
  if (depth > limits_.nesting_depth) {
    error(e.span, "limit-exceeded",
          fmt::format("expression nesting is deeper than {} levels", limits_.nesting_depth));
    return ir::kNone;
  }
  ir::Node node;
  node.span = e.span;
  switch (e.kind) {
    case ExprKind::kNumber: {
      std::string digits = e.text;
      auto value = core::parse_decimal(digits, true, limits_.number_digits);
      if (!value) {
        error(e.span, "invalid-number", fmt::format("`{}` is not a valid number", e.text));
        return ir::kNone;
      }
      program_->numbers.push_back(*value);
      node.op = ir::Op::kConstNum;
      node.a = static_cast<std::uint32_t>(program_->numbers.size() - 1);
      node.type = {ir::Type::kNumber};
      return add_node(node);
    }
    case ExprKind::kString:
      node.op = ir::Op::kConstStr;
      node.a = intern_string(e.text);
      node.type = {ir::Type::kString};
      return add_node(node);
    case ExprKind::kDate: {
      const auto date = Date::parse(e.text);
      if (!date) {
        error(e.span, "invalid-date", fmt::format("`{}` is not a valid calendar date", e.text));
        return ir::kNone;
      }
      node.op = ir::Op::kConstDate;
      node.a = static_cast<std::uint32_t>(date->days());
      node.type = {ir::Type::kDate};
      return add_node(node);
    }
    case ExprKind::kBool:
      node.op = ir::Op::kConstBool;
      node.a = e.text == "true" ? 1 : 0;
      node.type = {ir::Type::kBool};
      return add_node(node);
    case ExprKind::kPath: return lower_path(e, depth);
    case ExprKind::kAsOf: {
      node.op = ir::Op::kAsOf;
      node.span = e.span;
      node.type = {ir::Type::kDate};
      node.text = intern_string("as_of");
      return add_node(node);
    }
    case ExprKind::kClassified: {
      classified_uses_.emplace_back(e.text, e.span);
      const auto it = label_index_.find(e.text);
      node.op = ir::Op::kClassified;
      node.a = it == label_index_.end() ? ir::kNone : it->second;
      node.type = {ir::Type::kBool};
      node.text = intern_string(span_text(e.span));
      if (node.a == ir::kNone) return ir::kNone;  // reported by lower_bodies
      return add_node(node);
    }
    case ExprKind::kSetLiteral:
    case ExprKind::kSetOp:
      error(e.span, "type-mismatch", "a set can only be used after `in` or `matches`, or to define a group");
      return ir::kNone;
    case ExprKind::kNeg:
    case ExprKind::kNot: return lower_unary(e, depth);
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const auto a = lower_condition_at(*e.kids[0], depth + 1, e.kind == ExprKind::kAnd ? "and" : "or");
      const auto b = lower_condition_at(*e.kids[1], depth + 1, e.kind == ExprKind::kAnd ? "and" : "or");
      if (a == ir::kNone || b == ir::kNone) return ir::kNone;
      node.op = e.kind == ExprKind::kAnd ? ir::Op::kAnd : ir::Op::kOr;
      node.a = a;
      node.b = b;
      node.type = {ir::Type::kBool};
      return add_node(node);
    }
    case ExprKind::kArith: return lower_arith(e, depth);
    case ExprKind::kCompare: return lower_compare(e, depth);
    case ExprKind::kIn:
    case ExprKind::kMatches: return lower_membership(e, depth);
    case ExprKind::kStartsWith: return lower_starts_with(e, depth);
    case ExprKind::kPresent: return lower_present(e);
    case ExprKind::kIf: return lower_if(e, depth);
  }
  return ir::kNone;
}

// `-x` and `not x`.
std::uint32_t Checker::lower_unary(const syntax::Expr& e, std::size_t depth) {
  ir::Node node;
  node.span = e.span;
  const auto kid = lower(*e.kids[0], depth + 1);
  if (kid == ir::kNone) return kid;
  const bool neg = e.kind == ExprKind::kNeg;
  const auto want = neg ? ir::Type::kNumber : ir::Type::kBool;
  if (program_->nodes[kid].type.type != want) {
    error(e.kids[0]->span, "type-mismatch",
          fmt::format("`{}` needs {}, but this is {}", neg ? "-" : "not", neg ? "a number" : "a bool",
                      type_name(program_->nodes[kid].type)));
    return ir::kNone;
  }
  node.op = neg ? ir::Op::kNeg : ir::Op::kNot;
  node.a = kid;
  node.type = {want};
  return add_node(node);
}

// `a + b`, `a - b`, `a * b`, `a / b`: numbers.
std::uint32_t Checker::lower_arith(const syntax::Expr& e, std::size_t depth) {
  ir::Node node;
  node.span = e.span;
  const auto a = lower(*e.kids[0], depth + 1);
  const auto b = lower(*e.kids[1], depth + 1);
  if (a == ir::kNone || b == ir::kNone) return ir::kNone;
  const auto a_type = program_->nodes[a].type.type, b_type = program_->nodes[b].type.type;
  if (a_type == ir::Type::kDate || (b_type == ir::Type::kDate && e.arith_op == syntax::ArithOp::kAdd)) {
    return lower_date_arith(e, a, b);
  }
  for (const auto kid : {a, b}) {
    if (program_->nodes[kid].type.type != ir::Type::kNumber) {
      error(program_->nodes[kid].span, "type-mismatch",
            fmt::format("arithmetic needs numbers, but this is {}", type_name(program_->nodes[kid].type)));
      return ir::kNone;
    }
  }
  node.op = arith(e.arith_op);
  node.a = a;
  node.b = b;
  node.type = {ir::Type::kNumber};
  node.text = intern_string(span_text(e.span));
  return add_node(node);
}

// Date arithmetic: `date + N days`, `N days + date`, `date - N days` (a date), `date - date` (a number of
// days). The days must be a whole number when evaluated, else the value is unknown.
std::uint32_t Checker::lower_date_arith(const syntax::Expr& e, std::uint32_t a, std::uint32_t b) {
  const auto type_of = [&](std::uint32_t n) { return program_->nodes[n].type.type; };
  ir::Node node;
  node.span = e.span;
  node.text = intern_string(span_text(e.span));
  if (e.arith_op == syntax::ArithOp::kAdd && type_of(a) == ir::Type::kNumber) std::swap(a, b);
  const bool add = e.arith_op == syntax::ArithOp::kAdd, sub = e.arith_op == syntax::ArithOp::kSub;
  if ((add || sub) && type_of(a) == ir::Type::kDate && type_of(b) == ir::Type::kNumber) {
    node.op = ir::Op::kAddDays;
    node.negated = sub;
    node.type = {ir::Type::kDate};
  } else if (sub && type_of(a) == ir::Type::kDate && type_of(b) == ir::Type::kDate) {
    node.op = ir::Op::kDaysBetween;
    node.type = {ir::Type::kNumber};
  } else {
    error(e.span, "type-mismatch",
          fmt::format("dates take `+` or `-` a number of days (`as_of + 25 days`) or `-` another date, not {} {} {}",
                      type_name(program_->nodes[a].type), e.arith_op == syntax::ArithOp::kMul ? "*" : e.arith_op == syntax::ArithOp::kDiv ? "/" : e.arith_op == syntax::ArithOp::kAdd ? "+" : "-",
                      type_name(program_->nodes[b].type)));
    return ir::kNone;
  }
  node.a = a;
  node.b = b;
  return add_node(node);
}

// `fact is present` / `fact is absent`.
std::uint32_t Checker::lower_present(const syntax::Expr& e) {
  ir::Node node;
  node.span = e.span;
  const auto& kid = *e.kids[0];
  const auto it = kid.kind == ExprKind::kPath ? program_->fact_index.find(kid.text) : program_->fact_index.end();
  if (it == program_->fact_index.end()) {
    error(kid.span, "type-mismatch", "`is present` / `is absent` apply to a fact");
    return ir::kNone;
  }
  node.op = ir::Op::kPresent;
  node.a = it->second;
  node.negated = e.negated;
  node.type = {ir::Type::kBool};
  node.text = intern_string(kid.text);
  return add_node(node);
}

// `if c then a else b`: both branches of one type.
std::uint32_t Checker::lower_if(const syntax::Expr& e, std::size_t depth) {
  ir::Node node;
  node.span = e.span;
  const auto c = lower_condition_at(*e.kids[0], depth + 1, "if");
  const auto a = lower(*e.kids[1], depth + 1);
  const auto b = lower(*e.kids[2], depth + 1);
  if (c == ir::kNone || a == ir::kNone || b == ir::kNone) return ir::kNone;
  coerce_string_literal(*this, a, b);
  coerce_string_literal(*this, b, a);
  if (!(program_->nodes[a].type == program_->nodes[b].type)) {
    error(e.span, "type-mismatch",
          fmt::format("`then` gives {} but `else` gives {}", type_name(program_->nodes[a].type),
                      type_name(program_->nodes[b].type)));
    return ir::kNone;
  }
  node.op = ir::Op::kIf;
  node.a = c;
  node.b = a;
  node.c = b;
  node.type = program_->nodes[a].type;
  return add_node(node);
}

std::uint32_t Checker::lower_condition_at(const syntax::Expr& e, std::size_t depth, const char* context) {
  const auto node = lower(e, depth);
  if (node == ir::kNone) return node;
  if (program_->nodes[node].type.type != ir::Type::kBool) {
    error(e.span, "type-mismatch",
          fmt::format("`{}` needs true or false, but this is {}", context, type_name(program_->nodes[node].type)));
    return ir::kNone;
  }
  return node;
}

std::uint32_t Checker::lower_path(const syntax::Expr& e, std::size_t depth) {
  ir::Node node;
  node.span = e.span;
  node.text = intern_string(e.text);
  if (const auto f = program_->fact_index.find(e.text); f != program_->fact_index.end()) {
    node.op = ir::Op::kFact;
    node.a = f->second;
    node.type = program_->facts[f->second].type;
    return add_node(node);
  }
  const auto it = names_.find(e.text);
  if (it == names_.end()) {
    std::vector<std::string> candidates;
    for (const auto& f : program_->facts) candidates.push_back(f.path);
    for (const auto& [name, entry] : names_) {
      if (entry.kind != NameKind::kEntity) candidates.push_back(name);
    }
    std::sort(candidates.begin(), candidates.end());
    error(e.span, "unknown-name", fmt::format("unknown name `{}`", e.text), source::did_you_mean(e.text, candidates));
    return ir::kNone;
  }
  const auto index = it->second.index;
  switch (it->second.kind) {
    case NameKind::kDefinition: {
      if (definition_state_[index] == LowerState::kInProgress) {
        error(e.span, "definition-cycle", fmt::format("definition `{}` depends on itself", e.text));
        return ir::kNone;
      }
      if (definition_state_[index] == LowerState::kPending) lower_definition(index, depth + 1);
      const auto def = program_->definitions[index].node;
      if (def == ir::kNone) return ir::kNone;
      node.op = ir::Op::kDefinition;
      node.a = index;
      node.type = program_->nodes[def].type;
      return add_node(node);
    }
    case NameKind::kParameter: {
      lower_parameter_values(index);
      const auto& parameter = program_->parameters[index];
      if (!parameter_typed_.count(index)) {
        error(e.span, "untyped-parameter",
              fmt::format("parameter `{}` has no value in any step, so its type is unknown", e.text),
              "give it a value from some date, e.g. `0 from 1900-01-01`, before its `none` steps");
        return ir::kNone;
      }
      node.op = ir::Op::kParameter;
      node.a = index;
      node.type = parameter.type;
      return add_node(node);
    }
    case NameKind::kTier:
      node.op = ir::Op::kTier;
      node.a = index;
      node.type = {ir::Type::kString};
      return add_node(node);
    case NameKind::kGroup:
      error(e.span, "type-mismatch", fmt::format("`{}` is a group: test membership with `in {}`", e.text, e.text));
      return ir::kNone;
    case NameKind::kEntity:
      error(e.span, "type-mismatch",
            fmt::format("`{}` is a rule; to test what a rule classified, write `classified \"LABEL\"`", e.text));
      return ir::kNone;
    case NameKind::kOutput:
      error(e.span, "type-mismatch",
            fmt::format("`{}` is an output: its value is made after the decision, so no condition can read it", e.text),
            "compute the value in a `define` and use the definition in both places");
      return ir::kNone;
  }
  return ir::kNone;
}

// The operator between kids[i] and kids[i + 1] of a comparison: the first token after the left operand
// (comments skipped), for errors that point at the operator itself.
syntax::Span Checker::operator_span(const syntax::Expr& e, std::size_t i) const {
  const std::string_view text = program_->sources[e.span.file].text;
  std::size_t p = e.kids[i]->span.end;
  const std::size_t stop = std::min<std::size_t>(e.kids[i + 1]->span.begin, text.size());
  while (p < stop && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r' || text[p] == '#')) {
    if (text[p] == '#') p = std::min(text.find('\n', p), stop);
    else ++p;
  }
  std::size_t end = p;
  while (end < stop && std::string_view("=!<>").find(text[end]) != std::string_view::npos) ++end;
  return {e.span.file, static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(end)};
}

// `x == g` with a group or a set on the right: membership is `in` (LANGUAGE.md section 3), so say so at
// the operator instead of a type error at the group.
bool Checker::check_membership_compare(const syntax::Expr& e) {
  if (e.ops.size() != 1 || (e.ops[0] != syntax::CompareOp::kEq && e.ops[0] != syntax::CompareOp::kNe)) return true;
  const auto& rhs = *e.kids[1];
  const bool set_literal = rhs.kind == ExprKind::kSetLiteral || rhs.kind == ExprKind::kSetOp;
  const auto name = rhs.kind == ExprKind::kPath ? names_.find(rhs.text) : names_.end();
  if (!set_literal && (name == names_.end() || name->second.kind != NameKind::kGroup)) return true;
  const bool eq = e.ops[0] == syntax::CompareOp::kEq;
  const std::string set = set_literal ? "a set" : fmt::format("group `{}`", rhs.text);
  error(operator_span(e, 0), "type-mismatch",
        fmt::format("`{}` does not test membership in {}: use `{}`", eq ? "==" : "!=", set, eq ? "in" : "not in"),
        fmt::format("write `{} {} {}`", span_text(e.kids[0]->span), eq ? "in" : "not in", span_text(rhs.span)));
  return false;
}

std::uint32_t Checker::lower_compare(const syntax::Expr& e, std::size_t depth) {
  if (!check_membership_compare(e)) return ir::kNone;
  std::vector<std::uint32_t> kids;
  for (const auto& k : e.kids) {
    const auto kid = lower(*k, depth + 1);
    if (kid == ir::kNone) return ir::kNone;
    kids.push_back(kid);
  }
  bool up = false, down = false;
  for (const auto op : e.ops) {
    up |= op == syntax::CompareOp::kLt || op == syntax::CompareOp::kLe;
    down |= op == syntax::CompareOp::kGt || op == syntax::CompareOp::kGe;
    if (e.ops.size() > 1 && (op == syntax::CompareOp::kEq || op == syntax::CompareOp::kNe)) {
      error(e.span, "invalid-chain", "only `<`, `<=` or `>`, `>=` can be chained");
      return ir::kNone;
    }
  }
  if (up && down) {
    error(e.span, "invalid-chain", "a comparison chain must go in one direction (`a <= b < c`)");
    return ir::kNone;
  }
  for (std::size_t i = 0; i + 1 < kids.size(); ++i) {
    if (!coerce_string_literal(*this, kids[i], kids[i + 1])) return ir::kNone;
    if (!coerce_string_literal(*this, kids[i + 1], kids[i])) return ir::kNone;
    const auto& a = program_->nodes[kids[i]].type;
    const auto& b = program_->nodes[kids[i + 1]].type;
    if (!(a == b) || a.type == ir::Type::kSet) {
      error(e.span, "type-mismatch", fmt::format("cannot compare {} with {}", type_name(a), type_name(b)));
      return ir::kNone;
    }
    if ((up || down) && !ordered_type(a.type)) {
      error(e.span, "type-mismatch", fmt::format("`<` and `>` compare numbers or dates, not {}", type_name(a)));
      return ir::kNone;
    }
  }
  ir::Node node;
  node.op = ir::Op::kCompare;
  node.span = e.span;
  node.type = {ir::Type::kBool};
  node.first_kid = static_cast<std::uint32_t>(program_->kid_list.size());
  node.kid_count = static_cast<std::uint32_t>(kids.size());
  for (std::size_t i = 0; i < kids.size(); ++i) {
    auto& kid = program_->nodes[kids[i]];
    if (kid.text == ir::kNone) kid.text = intern_string(span_text(kid.span));
    program_->kid_list.push_back(kids[i]);
    program_->compare_ops.push_back(i < e.ops.size() ? e.ops[i] : syntax::CompareOp::kEq);
  }
  return add_node(node);
}

std::uint32_t Checker::lower_membership(const syntax::Expr& e, std::size_t depth) {
  const bool matches = e.kind == ExprKind::kMatches;
  const auto element = lower(*e.kids[0], depth + 1);
  if (element == ir::kNone) return ir::kNone;
  auto element_type = program_->nodes[element].type;
  if (element_type.type != ir::Type::kEnum && element_type.type != ir::Type::kString) {
    error(e.kids[0]->span, "type-mismatch",
          fmt::format("membership applies to codes and strings, not {}", type_name(element_type)));
    return ir::kNone;
  }
  if (matches) {
    if (element_type.type != ir::Type::kString) {
      error(e.kids[0]->span, "type-mismatch", "`matches` compares names: the left side must be a string");
      return ir::kNone;
    }
    element_type.names = true;
  }
  const auto set = lower_set(*e.kids[1], depth + 1, &element_type);
  if (set == ir::kNone) return ir::kNone;
  const auto& set_type = program_->nodes[set].type;
  const ir::TypeInfo expected{ir::Type::kSet, element_type.enum_id, element_type.names};
  if (!(set_type == expected)) {
    auto help = std::string();
    if (set_type.names && !matches) help = "party names are compared with `matches`";
    if (!set_type.names && matches) help = "`matches` needs a group of names (`group x : name`)";
    error(e.kids[1]->span, "type-mismatch",
          fmt::format("{} cannot be looked up in {}", type_name(program_->nodes[element].type), type_name(set_type)),
          help);
    return ir::kNone;
  }
  ir::Node node;
  node.op = matches ? ir::Op::kMatches : ir::Op::kIn;
  node.span = e.span;
  node.a = element;
  node.b = set;
  node.negated = e.negated;
  node.type = {ir::Type::kBool};
  auto& kid = program_->nodes[element];
  if (kid.text == ir::kNone) kid.text = intern_string(span_text(kid.span));
  node.text = intern_string(span_text(e.kids[1]->span));
  return add_node(node);
}

// `x starts with "8541"`, `x starts with {"8541", "8542"}`: a string, or the code of an enumeration value,
// against prefixes (LANGUAGE.md section 3).
std::uint32_t Checker::lower_starts_with(const syntax::Expr& e, std::size_t depth) {
  const auto element = lower(*e.kids[0], depth + 1);
  if (element == ir::kNone) return ir::kNone;
  const auto element_type = program_->nodes[element].type;
  if (element_type.type != ir::Type::kEnum && element_type.type != ir::Type::kString) {
    error(e.kids[0]->span, "type-mismatch",
          fmt::format("`starts with` applies to strings and codes, not {}", type_name(element_type)));
    return ir::kNone;
  }
  const auto group = prefix_group(*e.kids[1], element_type);
  if (group == ir::kNone) return ir::kNone;
  ir::Node set;
  set.op = ir::Op::kSetGroup;
  set.span = e.kids[1]->span;
  set.text = intern_string(span_text(set.span));
  set.a = group;
  set.type = {ir::Type::kSet, element_type.enum_id, false};
  ir::Node node;
  node.op = ir::Op::kStartsWith;
  node.span = e.span;
  node.a = element;
  node.b = add_node(set);
  node.type = {ir::Type::kBool};
  auto& kid = program_->nodes[element];
  if (kid.text == ir::kNone) kid.text = intern_string(span_text(kid.span));
  node.text = intern_string(span_text(e.kids[1]->span));
  return add_node(node);
}

// The anonymous group of a `starts with`: on a string, its prefixes (Group::prefixes); on an enumeration,
// the codes that start with one of them (each prefix must start some code). Always in force.
std::uint32_t Checker::prefix_group(const syntax::Expr& prefixes, const ir::TypeInfo& element) {
  std::vector<std::pair<std::string, syntax::Span>> texts;
  if (prefixes.kind == ExprKind::kString) {
    texts.emplace_back(prefixes.text, prefixes.span);
  } else {
    for (const auto& m : prefixes.members) {
      if (!m.aliases.empty()) error(m.span, "invalid-member", "a prefix has no aliases (`aka`)");
      texts.emplace_back(m.value, m.span);
    }
  }
  ir::Group group;
  group.name = span_text(prefixes.span);  // anonymous, as the set literals: "{...}"
  if (prefixes.kind == ExprKind::kString) group.name = "{" + group.name + "}";
  group.span = prefixes.span;
  group.element = {element.type, element.enum_id, false};
  const ir::MembershipEvent always{Date::min(), Date::min(), true};
  const auto errors_before = diagnostics_.size();
  if (element.type == ir::Type::kEnum) {
    const auto& type = program_->enums[element.enum_id];
    group.enum_events.resize(type.codes.size());
    for (const auto& [text, span] : texts) {
      bool any = false;
      for (std::size_t i = 0; i < type.codes.size(); ++i) {
        if (!std::string_view(type.codes[i]).starts_with(text)) continue;
        group.enum_events[i] = {always};
        any = true;
      }
      if (!any) error(span, "unknown-code", fmt::format("no `{}` code starts with \"{}\"", type.name, text));
    }
  } else {
    group.prefixes = true;
    for (const auto& [text, span] : texts) {
      if (!group.keys.emplace(text, static_cast<std::uint32_t>(group.entries.size())).second) {
        error(span, "duplicate-member", fmt::format("the prefix \"{}\" is listed twice", text));
        continue;
      }
      group.entries.push_back(text);
      group.entry_events.push_back({always});
    }
  }
  for (const auto& [text, span] : texts) {
    if (text.empty()) error(span, "invalid-member", "an empty prefix: every string starts with it");
  }
  if (diagnostics_.size() != errors_before) return ir::kNone;
  const auto index = static_cast<std::uint32_t>(program_->groups.size());
  program_->groups.push_back(std::move(group));
  return index;
}

std::uint32_t Checker::lower_set(const syntax::Expr& e, std::size_t depth, const ir::TypeInfo* element) {
  if (depth > limits_.nesting_depth) {
    error(e.span, "limit-exceeded", fmt::format("expression nesting is deeper than {} levels", limits_.nesting_depth));
    return ir::kNone;
  }
  ir::Node node;
  node.span = e.span;
  node.text = intern_string(span_text(e.span));
  if (e.kind == ExprKind::kPath) {
    const auto it = names_.find(e.text);
    if (it == names_.end() || it->second.kind != NameKind::kGroup) {
      std::vector<std::string> groups;
      for (const auto& g : program_->groups) {
        if (g.name.front() != '{') groups.push_back(g.name);
      }
      error(e.span, "unknown-group", fmt::format("`{}` is not a group", e.text), source::did_you_mean(e.text, groups));
      return ir::kNone;
    }
    const auto& group = program_->groups[it->second.index];
    node.op = ir::Op::kSetGroup;
    node.a = it->second.index;
    node.type = {ir::Type::kSet, group.element.enum_id, group.element.names};
    return add_node(node);
  }
  if (e.kind == ExprKind::kSetLiteral) {
    if (element == nullptr) {
      error(e.span, "type-mismatch", "the type of this set is not known here");
      return ir::kNone;
    }
    const auto group = literal_group(e, *element);
    if (group == ir::kNone) return ir::kNone;
    node.op = ir::Op::kSetGroup;
    node.a = group;
    node.type = {ir::Type::kSet, element->enum_id, element->names};
    return add_node(node);
  }
  if (e.kind == ExprKind::kSetOp) {
    const auto a = lower_set(*e.kids[0], depth + 1, element);
    if (a == ir::kNone) return ir::kNone;
    const auto a_type = program_->nodes[a].type;
    const ir::TypeInfo a_element{a_type.enum_id == ir::kNone ? ir::Type::kString : ir::Type::kEnum, a_type.enum_id,
                                 a_type.names};
    const auto b = lower_set(*e.kids[1], depth + 1, element ? element : &a_element);
    if (b == ir::kNone) return ir::kNone;
    if (!(program_->nodes[b].type == a_type)) {
      error(e.span, "type-mismatch",
            fmt::format("cannot combine {} with {}", type_name(a_type), type_name(program_->nodes[b].type)));
      return ir::kNone;
    }
    node.op = e.set_op == syntax::SetOp::kUnion       ? ir::Op::kSetUnion
              : e.set_op == syntax::SetOp::kIntersect ? ir::Op::kSetIntersect
                                                      : ir::Op::kSetExcept;
    node.a = a;
    node.b = b;
    node.type = a_type;
    return add_node(node);
  }
  error(e.span, "type-mismatch", "expected a group, a set literal `{...}` or a set operation");
  return ir::kNone;
}

// Lowers the values of a parameter's steps (once); the first value fixes the parameter's type.
void Checker::lower_parameter_values(std::uint32_t index) {
  for (auto& p : pending_parameter_values_) {
    if (p.parameter != index || p.expr == nullptr) continue;
    const auto* expr = p.expr;
    p.expr = nullptr;
    const auto value = lower(*expr);
    if (value == ir::kNone) continue;
    auto& parameter = program_->parameters[index];
    const auto& type = program_->nodes[value].type;
    if (!parameter_typed_.count(index)) {
      parameter.type = type;
      parameter_typed_.insert(index);
    } else if (!(parameter.type == type)) {
      error(expr->span, "type-mismatch",
            fmt::format("parameter `{}` was {} before, this value is {}", parameter.name, type_name(parameter.type),
                        type_name(type)));
      continue;
    }
    parameter.steps[p.step].value = value;
  }
}

// A `{...}` literal becomes an anonymous group whose members are always in force.
std::uint32_t Checker::literal_group(const syntax::Expr& literal, const ir::TypeInfo& element) {
  ir::Group group;
  group.name = span_text(literal.span);
  group.span = literal.span;
  group.element = element;
  if (element.type == ir::Type::kEnum) {
    group.element.names = false;
    group.enum_events.resize(program_->enums[element.enum_id].codes.size());
  }
  const auto index = static_cast<std::uint32_t>(program_->groups.size());
  program_->groups.push_back(std::move(group));
  const auto errors_before = diagnostics_.size();
  add_members(program_->groups[index], literal, Date::min(), Date::min(), true);
  if (diagnostics_.size() != errors_before) return ir::kNone;
  return index;
}

}  // namespace edict::sema
