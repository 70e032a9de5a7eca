// The evaluator (stage 4): walks the compiled nodes for one set of bound facts and dates, with
// three-valued logic for unknowns, then combines rule outcomes and exemptions into the decision.
#include <algorithm>
#include <array>
#include <limits>
#include <set>
#include <span>
#include <unordered_map>

#include <fmt/format.h>

#include "eval/evaluator.hpp"
#include "eval/frame.hpp"
#include "eval/probe.hpp"
#include "eval/rulebook.hpp"
#include "core/names.hpp"
#include "ir/queries.hpp"

namespace edict::eval {

using ir::compare_symbol;
using ir::holds;
using ir::is_constant;

namespace {

const char* truth_word(Tri t) { return t == Tri::kTrue ? "true" : t == Tri::kFalse ? "false" : "unknown"; }

}  // namespace


// ================================================================ expressions

Value Frame::eval(std::uint32_t index) {
  take_step();
  const auto& node = p_.nodes[index];
  switch (node.op) {
    case ir::Op::kConstBool:
    case ir::Op::kConstNum:
    case ir::Op::kConstStr:
    case ir::Op::kConstDate:
    case ir::Op::kConstEnum: return constant_value(p_, node);
    case ir::Op::kFact:
      if (checks_ != nullptr && node.type.type == ir::Type::kBool) {
        noted(index, facts_->present[node.a] ? truth(facts_->values[node.a]) : Tri::kUnknown);
      }
      if (!facts_->present[node.a]) return unknown(missing_fact(node.a));
      return facts_->values[node.a];
    case ir::Op::kDefinition: return definition(node.a);
    case ir::Op::kParameter: return parameter(node.a);
    case ir::Op::kTier: return tier(node.a);
    case ir::Op::kNeg: {
      auto v = eval(node.a);
      if (!v.known()) return v;
      v.number = -v.number;
      return v;
    }
    case ir::Op::kIf: return eval_if(node);
    case ir::Op::kAsOf: {
      Value v;
      v.kind = Kind::kDate;
      v.integer = as_of_.days();
      return v;
    }
    case ir::Op::kAddDays:
    case ir::Op::kDaysBetween: return eval_dates(node);
    case ir::Op::kAdd:
    case ir::Op::kSub:
    case ir::Op::kMul:
    case ir::Op::kDiv: return eval_arith(node);
    case ir::Op::kClassified:
    case ir::Op::kNot:
    case ir::Op::kAnd:
    case ir::Op::kOr:
    case ir::Op::kCompare:
    case ir::Op::kIn:
    case ir::Op::kMatches:
    case ir::Op::kStartsWith:
    case ir::Op::kPresent: return of_tri(test(index));
    case ir::Op::kSetGroup:
    case ir::Op::kSetUnion:
    case ir::Op::kSetIntersect:
    case ir::Op::kSetExcept: break;  // sets are only read through contains()
  }
  return {};
}

const Value& Frame::operand(std::uint32_t index, Value& scratch) {
  const auto& node = p_.nodes[index];
  switch (node.op) {
    case ir::Op::kFact:
      if (!facts_->present[node.a] || checks_ != nullptr) break;  // eval() records the missing fact, or notes it
      take_step();
      return facts_->values[node.a];
    case ir::Op::kConstNum: take_step(); return number_constants_[node.a];
    case ir::Op::kDefinition: take_step(); return definition(node.a);
    case ir::Op::kParameter: take_step(); return parameter(node.a);
    default: break;
  }
  scratch = eval(index);
  return scratch;
}

Tri Frame::test(std::uint32_t index) {
  Tri fused;
  if (fused_[index].kind != FusedCheck::Kind::kGeneral && fused_check(index, fused)) return fused;
  take_step();  // a boolean node reached through eval() (or a bool leaf through test()) takes two steps
  const auto& node = p_.nodes[index];
  switch (node.op) {
    case ir::Op::kConstBool: return node.a != 0 ? Tri::kTrue : Tri::kFalse;
    case ir::Op::kClassified: return test_classified(node);
    case ir::Op::kNot: return test_not(node);
    case ir::Op::kAnd:
    case ir::Op::kOr: return test_logic(node);
    case ir::Op::kIf: return test_if(node);
    case ir::Op::kCompare: return noted(index, test_compare(node));
    case ir::Op::kIn:
    case ir::Op::kMatches:
    case ir::Op::kStartsWith: return noted(index, test_membership(node));
    case ir::Op::kPresent: return noted(index, test_present(node));
    default: return test_leaf(index, false);  // facts, definitions, parameters of type bool
  }
}

// `if c then x else y` as a condition: an unknown condition makes it unknown.
Tri Frame::test_if(const ir::Node& node) {
  const auto mark = missing_.size();
  const auto condition = test(node.a);
  if (condition == Tri::kUnknown) return Tri::kUnknown;
  drop_missing_from(mark);
  return test(condition == Tri::kTrue ? node.b : node.c);
}

Tri Frame::test_not(const ir::Node& node) {
  // `not x` of a boolean fact, definition or parameter is one check in the trace: "not product.datacenter".
  Tri t;
  if (trace_ && is_leaf_value(p_.nodes[node.a].op)) {
    take_step();  // the step test(node.a) would take: traced and untraced evaluations count alike
    t = test_leaf(node.a, true);
  } else {
    t = test(node.a);
  }
  return t == Tri::kUnknown ? t : (t == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
}

// A boolean fact, definition or parameter used as a condition; with a trace, a check of its own (the value
// of `not x` when negated), so that every check that explains a result is shown.
Tri Frame::test_leaf(std::uint32_t index, bool negated) {
  const auto t = truth(eval(index));
  if (!trace_) [[likely]] return t;
  const auto shown = t == Tri::kUnknown || !negated ? t : (t == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
  auto& s = check(negated ? TraceStep::Check::kNot : TraceStep::Check::kBoolean, shown, index);
  if (s.source.empty()) s.source = "value";
  add_operand(s, index, of_tri(t));
  return t;
}

Tri Frame::test_classified(const ir::Node& node) {
  const auto state = labels_[node.a];
  if (trace_) [[unlikely]] {
    auto& s = check(TraceStep::Check::kClassified, state, index_of(node));
    for (const auto r : label_by_[node.a]) append(trace_->names, s.rules, std::string_view(p_.entities[r].name));
  }
  if (state == Tri::kUnknown) {
    // The unknown classification's missing facts were recorded with the rule that left it unknown.
    for (const auto e : p_.label_rules[node.a]) {
      if (e < entities_.size() && entities_[e].status == Status::kUnknown) {
        missing_.insert(missing_.end(), entities_[e].missing.begin(), entities_[e].missing.end());
      }
    }
  }
  return state;
}

Tri Frame::test_present(const ir::Node& node) {
  const bool present = facts_->present[node.a] != 0;
  const bool result = node.negated ? !present : present;
  if (trace_) [[unlikely]] check(node.negated ? TraceStep::Check::kAbsent : TraceStep::Check::kPresent,
                    result ? Tri::kTrue : Tri::kFalse, index_of(node));
  return result ? Tri::kTrue : Tri::kFalse;
}

// `and` / `or` with short-circuit and three-valued logic, over the chain of operands of the same operator
// (`a and b and c`) from left to right: the first decisive operand (false for `and`, true for `or`) decides;
// otherwise any unknown operand makes the result unknown. Missing facts recorded by an operand that did not
// decide the result are forgotten, so only facts that matter are reported. The result, the missing facts and
// the steps taken are those of the nested operators evaluated one by one: an operator on the left spine is
// always reached, so its step is taken first.
Tri Frame::test_logic(const ir::Node& node) {
  const auto& chain = logic_chains_[index_of(node)];
  take_steps(chain.inner);
  const auto mark = missing_.size();
  const bool is_and = node.op == ir::Op::kAnd;
  const Tri decisive = is_and ? Tri::kFalse : Tri::kTrue;
  bool unknown = false;
  for (std::uint32_t i = 0; i < chain.count; ++i) {
    const auto operand = chain_operands_[chain.first + i];
    Tri t;
    if (fused_[operand].kind == FusedCheck::Kind::kGeneral || !fused_check(operand, t)) t = test(operand);
    if (t == decisive) {
      drop_missing_from(mark);
      return decisive;
    }
    unknown = unknown || t == Tri::kUnknown;
  }
  if (unknown) return Tri::kUnknown;
  drop_missing_from(mark);
  return is_and ? Tri::kTrue : Tri::kFalse;
}

namespace {

// A comparison operator as the mask of the orders it accepts (FusedCheck::accepts).
std::uint8_t accepted_orders(syntax::CompareOp op) {
  return static_cast<std::uint8_t>(holds(op, -1) | holds(op, 0) << 1 | holds(op, 1) << 2);
}

}  // namespace

void Frame::collect_fused_checks() {
  fused_.resize(p_.nodes.size());
  std::vector<std::uint32_t> uses(p_.definitions.size(), 0);  // nodes that read each definition
  for (const auto& n : p_.nodes) {
    if (n.op == ir::Op::kDefinition) ++uses[n.a];
  }
  const auto number_fact = [&](std::uint32_t i) {
    return p_.nodes[i].op == ir::Op::kFact && p_.nodes[i].type.type == ir::Type::kNumber;
  };
  // A multi-use definition `a / b` of two number facts: the fused check computes it on its first read.
  const auto mark_quotient = [&](FusedCheck& fused) {
    const auto& node = p_.nodes[p_.definitions[fused.definition].node];
    if (node.op != ir::Op::kDiv || !number_fact(node.a) || !number_fact(node.b)) return;
    fused.quotient = true;
    fused.slot = p_.nodes[node.a].a;
    fused.other = p_.nodes[node.b].a;
  };
  const auto bool_fact = [&](std::uint32_t i) {
    return p_.nodes[i].op == ir::Op::kFact && p_.nodes[i].type.type == ir::Type::kBool;
  };
  for (std::uint32_t i = 0; i < p_.nodes.size(); ++i) {
    const auto& n = p_.nodes[i];
    auto& fused = fused_[i];
    if (bool_fact(i) || (n.op == ir::Op::kNot && bool_fact(n.a))) {
      fused = {FusedCheck::Kind::kBoolFact, n.op == ir::Op::kNot, 0, bool_fact(i) ? n.a : p_.nodes[n.a].a, 0, 0, nullptr};
      continue;
    }
    if (n.op == ir::Op::kPresent) {
      fused = {FusedCheck::Kind::kFactPresent, n.negated, 0, n.a, 0, 0, nullptr};
      continue;
    }
    if (n.op == ir::Op::kClassified || (n.op == ir::Op::kNot && p_.nodes[n.a].op == ir::Op::kClassified)) {
      const bool negated = n.op == ir::Op::kNot;
      fused = {FusedCheck::Kind::kClassified, negated, 0, 0, negated ? p_.nodes[n.a].a : n.a, 0, nullptr};
      continue;
    }
    if (n.op == ir::Op::kMatches && p_.nodes[n.a].op == ir::Op::kFact && p_.facts[p_.nodes[n.a].a].matched &&
        p_.nodes[n.b].op == ir::Op::kSetGroup) {
      const auto& group = p_.groups[p_.nodes[n.b].a];
      if (group.definition == kNone && !group.prefixes && group.element.names) {
        fused = {FusedCheck::Kind::kFactMatchesGroup, n.negated, 0, p_.nodes[n.a].a, p_.nodes[n.b].a, 0, nullptr};
      }
      continue;
    }
    if (n.op == ir::Op::kIn && p_.nodes[n.a].op == ir::Op::kFact && p_.nodes[n.a].type.type == ir::Type::kEnum) {
      fused = {FusedCheck::Kind::kFactInSet, n.negated, 0, p_.nodes[n.a].a, n.b, 0, nullptr};
      continue;
    }
    if (n.op == ir::Op::kCompare && n.kid_count == 3) {
      fuse_range(n, uses, fused);
      if (fused.kind == FusedCheck::Kind::kDefinitionVsNumber) mark_quotient(fused);
      continue;
    }
    if (n.op != ir::Op::kCompare || n.kid_count != 2) continue;
    const auto left = p_.kid_list[n.first_kid];
    const auto& right = p_.nodes[p_.kid_list[n.first_kid + 1]];
    const auto accepts = accepted_orders(p_.compare_ops[n.first_kid]);
    if (right.op == ir::Op::kConstEnum && p_.nodes[left].op == ir::Op::kFact &&
        p_.nodes[left].type.type == ir::Type::kEnum) {
      fused = {FusedCheck::Kind::kFactVsCode, false, accepts, p_.nodes[left].a, right.a, 0, nullptr};
      continue;
    }
    if (right.op != ir::Op::kConstNum) continue;
    const auto* constant = &number_constants_[right.a].number;
    if (number_fact(left)) {
      fused = {FusedCheck::Kind::kFactVsNumber, false, accepts, p_.nodes[left].a, 0, 0, constant};
      continue;
    }
    if (p_.nodes[left].op == ir::Op::kDefinition && uses[p_.nodes[left].a] > 1 &&
        p_.nodes[left].type.type == ir::Type::kNumber) {
      fused = {FusedCheck::Kind::kDefinitionVsNumber, false, accepts, 0, 0, p_.nodes[left].a, constant};
      mark_quotient(fused);
      continue;
    }
    if (p_.nodes[left].op != ir::Op::kDefinition || uses[p_.nodes[left].a] != 1 || !constant->is_small()) continue;
    const auto definition = p_.nodes[left].a;
    const auto& quotient = p_.nodes[p_.definitions[definition].node];
    if (quotient.op != ir::Op::kDiv || !number_fact(quotient.a) || !number_fact(quotient.b)) continue;
    fused = {FusedCheck::Kind::kQuotientVsNumber, false, accepts, p_.nodes[quotient.a].a, p_.nodes[quotient.b].a,
             definition, constant};
  }
}

// A chain `lower op x op upper` of two number constants around a number fact, or around a definition read by
// several checks (`uses`: per definition, the nodes that read it).
void Frame::fuse_range(const ir::Node& n, const std::vector<std::uint32_t>& uses, FusedCheck& fused) const {
  const auto& lower = p_.nodes[p_.kid_list[n.first_kid]];
  const auto& x = p_.nodes[p_.kid_list[n.first_kid + 1]];
  const auto& upper = p_.nodes[p_.kid_list[n.first_kid + 2]];
  if (lower.op != ir::Op::kConstNum || upper.op != ir::Op::kConstNum || x.type.type != ir::Type::kNumber) return;
  const auto mask = [&](std::uint32_t link) { return accepted_orders(p_.compare_ops[n.first_kid + link]); };
  if (x.op == ir::Op::kFact) {
    fused = {FusedCheck::Kind::kFactInRange, false, mask(1), x.a, 0, 0, &number_constants_[upper.a].number};
  } else if (x.op == ir::Op::kDefinition && uses[x.a] > 1) {
    fused = {FusedCheck::Kind::kDefinitionVsNumber, false, mask(1), 0, 0, x.a, &number_constants_[upper.a].number};
  } else {
    return;
  }
  fused.lower = &number_constants_[lower.a].number;
  fused.lower_accepts = mask(0);
}

void Frame::collect_logic_chains() {
  logic_chains_.resize(p_.nodes.size());
  std::vector<std::uint32_t> right;  // the right operands met going down the spine, last first
  for (std::uint32_t n = 0; n < p_.nodes.size(); ++n) {
    const auto op = p_.nodes[n].op;
    if (op != ir::Op::kAnd && op != ir::Op::kOr) continue;
    auto& chain = logic_chains_[n];
    right.clear();
    std::uint32_t x = n;
    while (p_.nodes[p_.nodes[x].a].op == op) {
      right.push_back(p_.nodes[x].b);
      x = p_.nodes[x].a;
      ++chain.inner;
    }
    chain.first = static_cast<std::uint32_t>(chain_operands_.size());
    chain_operands_.push_back(p_.nodes[x].a);
    chain_operands_.push_back(p_.nodes[x].b);
    chain_operands_.insert(chain_operands_.end(), right.rbegin(), right.rend());
    chain.count = static_cast<std::uint32_t>(chain_operands_.size()) - chain.first;
  }
}

// `if c then x else y` of any type: an unknown condition makes the value unknown.
Value Frame::eval_if(const ir::Node& node) {
  const auto mark = missing_.size();
  const auto condition = test(node.a);
  if (condition == Tri::kUnknown) return {};
  drop_missing_from(mark);
  return eval(condition == Tri::kTrue ? node.b : node.c);
}

// `date ± N days` (a date; N must be whole and the date stay within 0001-9999) and `date - date` (days).
Value Frame::eval_dates(const ir::Node& node) {
  auto a = eval(node.a);
  const auto b = eval(node.b);
  if (!a.known() || !b.known()) return {};
  if (node.op == ir::Op::kDaysBetween) {
    Value days;
    days.kind = Kind::kNumber;
    days.number = Num::from_int(std::int64_t{a.integer} - b.integer);
    return days;
  }
  std::int64_t n = 0, d = 1;
  if (!b.number.as_fraction(n, d) || d != 1 || n > 4'000'000 || n < -4'000'000) return unknown(kDateOutOfRange);
  const std::int64_t days = std::int64_t{a.integer} + (node.negated ? -n : n);
  constexpr std::int64_t kFirst = -719'162, kLast = 2'932'896;  // 0001-01-01 and 9999-12-31
  if (days < kFirst || days > kLast) return unknown(kDateOutOfRange);
  a.integer = static_cast<std::int32_t>(days);
  return a;
}

Value Frame::eval_arith(const ir::Node& node) {
  Value scratch_a, scratch_b;  // the operands are read in place when stored (facts, constants, definitions)
  const Value& a = operand(node.a, scratch_a);
  const Value& b = operand(node.b, scratch_b);
  if (!a.known() || !b.known()) return {};
  const bool small = a.number.is_small() && b.number.is_small();  // 256 bits at most: within the limit
  if (!small && a.number.bit_size() + b.number.bit_size() > core::kMaxNumBits) {
    if (trace_) [[unlikely]] check(TraceStep::Check::kTooLarge, Tri::kUnknown, index_of(node));
    return unknown(kNumberTooLarge);
  }
  Value result;
  result.kind = Kind::kNumber;
  switch (node.op) {
    case ir::Op::kAdd: result.number = a.number + b.number; break;
    case ir::Op::kSub: result.number = a.number - b.number; break;
    case ir::Op::kMul: result.number = a.number * b.number; break;
    default:
      if (b.number.is_zero()) {
        if (trace_) [[unlikely]] check(TraceStep::Check::kDivisionByZero, Tri::kUnknown, index_of(node));
        return unknown(kDivisionByZero);
      }
      result.number = a.number / b.number;
      break;
  }
  return result;
}

Tri Frame::test_compare(const ir::Node& node) {
  if (trace_ == nullptr) {  // without the trace's bookkeeping: each operand compared with the one before it
    const auto mark = missing_.size();
    Value scratch[2];  // an operand computed, and the one before it
    const Value* previous = &operand(p_.kid_list[node.first_kid], scratch[0]);
    Tri result = Tri::kTrue;
    for (std::uint32_t i = 1; i < node.kid_count; ++i) {
      const Value& current = operand(p_.kid_list[node.first_kid + i], scratch[i % 2]);
      if (!previous->known() || !current.known()) {
        if (result == Tri::kTrue) result = Tri::kUnknown;
      } else if (!holds(p_.compare_ops[node.first_kid + i - 1], compare_values(*previous, current))) {
        result = Tri::kFalse;
      }
      previous = &current;
    }
    if (result != Tri::kUnknown) drop_missing_from(mark);
    return result;
  }
  // Every operand is evaluated (a chain is short, and the trace shows all values); the chain is true when
  // every link holds, false when a known link fails.
  Value values[8];
  std::vector<Value> many;
  Value* v = values;
  if (node.kid_count > 8) {
    many.resize(node.kid_count);
    v = many.data();
  }
  const auto mark = missing_.size();
  for (std::uint32_t i = 0; i < node.kid_count; ++i) v[i] = eval(p_.kid_list[node.first_kid + i]);
  Tri result = Tri::kTrue;
  for (std::uint32_t i = 0; i + 1 < node.kid_count; ++i) {
    if (!v[i].known() || !v[i + 1].known()) {
      if (result == Tri::kTrue) result = Tri::kUnknown;
      continue;
    }
    if (!holds(p_.compare_ops[node.first_kid + i], compare_values(v[i], v[i + 1]))) result = Tri::kFalse;
  }
  if (result != Tri::kUnknown) drop_missing_from(mark);
  if (trace_) [[unlikely]] {
    auto& s = check(TraceStep::Check::kCompare, result, index_of(node));
    for (std::uint32_t i = 0; i < node.kid_count; ++i) {
      auto& o = add_operand(s, p_.kid_list[node.first_kid + i], v[i]);
      if (i == 0) continue;
      o.op = compare_symbol(p_.compare_ops[node.first_kid + i - 1]);
      o.compared = v[i - 1].known() && v[i].known();
      if (o.compared) o.order = static_cast<std::int8_t>(compare_values(v[i - 1], v[i]));
    }
  }
  return result;
}

Tri Frame::test_membership(const ir::Node& node) {
  Value scratch;
  const Value& element = operand(node.a, scratch);
  const auto kind = node.op == ir::Op::kMatches      ? TraceStep::Check::kMatches
                    : node.op == ir::Op::kStartsWith ? TraceStep::Check::kStartsWith
                    : node.negated                   ? TraceStep::Check::kNotIn
                                                     : TraceStep::Check::kIn;
  if (!element.known()) {
    if (trace_) [[unlikely]] {
      add_operand(check(kind, Tri::kUnknown, index_of(node)), node.a, element);
    }
    return Tri::kUnknown;
  }
  std::string_view matched;
  bool found = element.kind == Kind::kEnum ? enum_member(node.b, element)
                                           : contains(node.b, element, trace_ ? &matched : nullptr);
  if (node.negated) found = !found;
  if (trace_) [[unlikely]] {
    auto& s = check(kind, found ? Tri::kTrue : Tri::kFalse, index_of(node));
    add_operand(s, node.a, element);
    s.members = cached_group_members(node.b);
    s.matched = matched;
  }
  return found ? Tri::kTrue : Tri::kFalse;
}

bool Frame::contains(std::uint32_t set_node, const Value& element, std::string_view* matched) {
  take_step();
  const auto& node = p_.nodes[set_node];
  switch (node.op) {
    case ir::Op::kSetGroup: return group_contains(p_.groups[node.a], element, matched);
    case ir::Op::kSetUnion: return contains(node.a, element, matched) || contains(node.b, element, matched);
    case ir::Op::kSetIntersect: return contains(node.a, element, matched) && contains(node.b, element, matched);
    case ir::Op::kSetExcept: return contains(node.a, element, matched) && !contains(node.b, element, nullptr);
    default: return false;
  }
}

// The index of the caches is computed when compiling (ir::index_enum_sets); each frame has its own bits.
void Frame::prepare_set_caches() {
  set_caches_.reserve(p_.enum_set_cache_words.size());
  for (const auto words : p_.enum_set_cache_words) {
    const auto first = static_cast<std::uint32_t>(set_words_);
    set_caches_.push_back({first, first + words, words});
    set_words_ += 2 * std::size_t{words};
  }
}

bool Frame::learn_member(std::uint32_t set_node, const Value& element) {
  const auto id = p_.enum_set_cache_of[set_node];
  const auto code = static_cast<std::size_t>(element.integer);
  if (id == kNone || code / 64 >= set_caches_[id].words) return contains(set_node, element, nullptr);
  const auto& cache = set_caches_[id];
  const std::uint64_t bit = std::uint64_t{1} << (code % 64);
  auto& known = dates_->set_bits[cache.known + code / 64];
  auto& member = dates_->set_bits[cache.member + code / 64];
  if ((known & bit) == 0) {
    // Computed before it is marked known: contains() may stop at the step limit, leaving no half-written bit.
    const auto before = steps_left;
    const bool found = contains(set_node, element, nullptr);
    set_cache_steps_ += before - steps_left;
    member = found ? (member | bit) : (member & ~bit);
    known |= bit;
  }
  return (member & bit) != 0;
}

const std::string& Frame::normalized_name(const std::string& name) {
  for (const auto& slot : name_keys_) {
    if (slot.filled && slot.source == name) return slot.key;
  }
  auto& slot = name_keys_[next_name_key_];
  next_name_key_ = (next_name_key_ + 1) % std::size(name_keys_);
  slot.filled = false;  // until both strings are written (an allocation may throw in between)
  slot.source.assign(name);
  core::normalize_party_name_into(name, slot.key);
  slot.filled = true;
  return slot.key;
}

bool Frame::group_contains(const ir::Group& group, const Value& element, std::string_view* matched) {
  if (group.definition != kNone) return contains(group.definition, element, matched);
  if (element.kind == Kind::kEnum) {
    const auto i = static_cast<std::size_t>(element.integer);
    return i < group.enum_events.size() && ir::member_as_of(group.enum_events[i], as_of_, rules_as_of_);
  }
  if (group.prefixes) return prefix_contains(group, *element.string, matched);
  const std::string* key = element.string;
  if (group.element.names) {  // a fact's name is normalised once per value given (BoundFacts::name_key)
    key = facts_->name_key_of(*element.string, p_);
    if (key == nullptr) key = &normalized_name(*element.string);
  }
  return entry_member(group, *key, matched);
}

bool Frame::entry_member(const ir::Group& group, const std::string& key, std::string_view* matched) const {
  const auto it = group.keys.find(key);
  if (it == group.keys.end()) return false;
  const bool member = ir::member_as_of(group.entry_events[it->second], as_of_, rules_as_of_);
  if (member && matched != nullptr && matched->empty()) *matched = group.entries[it->second];
  return member;
}

// A prefix group: the first entry in force (in declaration order) that `text` starts with.
bool Frame::prefix_contains(const ir::Group& group, std::string_view text, std::string_view* matched) const {
  for (std::size_t i = 0; i < group.entries.size(); ++i) {
    if (!text.starts_with(group.entries[i]) || !ir::member_as_of(group.entry_events[i], as_of_, rules_as_of_)) continue;
    if (matched != nullptr && matched->empty()) *matched = group.entries[i];
    return true;
  }
  return false;
}

const Value& Frame::definition(std::uint32_t index) {
  auto& memo = definitions_[index];
  if (memo.done(run_count_)) return replayed(memo);
  const auto mark = missing_.size();
  const auto trace_at = trace_ ? trace_->steps.size() : 0;
  if (trace_) [[unlikely]] {
    auto& s = step(TraceStep::Kind::kDefinition);
    s.subject = p_.definitions[index].name;
    s.node = p_.definitions[index].node;
    if (index < p_.definition_texts.size()) s.source = p_.definition_texts[index];
  }
  ++depth_;
  auto value = eval(p_.definitions[index].node);
  --depth_;
  memo.run = run_count_;
  remember_missing(memo, mark);
  memo.value = std::move(value);
  if (trace_) [[unlikely]] {
    auto& s = trace_->steps[trace_at];
    s.value = trace_value(memo.value, p_.definitions[index].node);
    s.has_value = memo.value.known();
    if (memo.value.kind == Kind::kBool) s.truth = memo.value.boolean ? TraceStep::Truth::kTrue : TraceStep::Truth::kFalse;
    s.result = s.has_value ? s.value.text() : "unknown";
    if (s.value.kind == TraceValue::Kind::kString) s.result = fmt::format("\"{}\"", s.value.exact);
  }
  return memo.value;
}

const Value& Frame::parameter(std::uint32_t index) {
  auto& memo = parameters_[index];
  if (memo.done(run_count_)) {
    if (!memo.value.known()) missing_.push_back(kParameterBit | index);
    return memo.value;
  }
  memo.run = run_count_;
  const auto& param = p_.parameters[index];
  const ir::ParameterStep* chosen = step_in_force(param, as_of_, rules_as_of_);
  memo.value = chosen != nullptr && chosen->value != kNone ? eval(chosen->value) : Value{};
  const auto value_node = chosen != nullptr ? chosen->value : kNone;
  if (!memo.value.known()) missing_.push_back(kParameterBit | index);
  if (trace_) [[unlikely]] {
    auto& s = step(TraceStep::Kind::kParameter, param.span, true);
    s.subject = param.name;
    s.value = trace_value(memo.value, value_node);
    s.has_value = chosen != nullptr;
    if (chosen != nullptr) s.from = chosen->from;
    s.result = !memo.value.known() ? "none"
               : s.value.kind == TraceValue::Kind::kString ? fmt::format("\"{}\"", s.value.exact)
                                                            : s.value.text();
  }
  return memo.value;
}

const Value& Frame::tier(std::uint32_t index) {
  auto& memo = tiers_[index];
  if (memo.done(run_count_)) return replayed(memo);
  const auto& t = p_.tiers[index];
  const auto trace_at = trace_ ? trace_->steps.size() : 0;
  if (trace_) [[unlikely]] step(TraceStep::Kind::kTier, t.span, true).subject = t.name;
  const auto mark = missing_.size();
  ++depth_;
  auto label = t.otherwise;
  for (const auto& c : t.cases) {
    const auto v = test(c.condition);
    if (v == Tri::kFalse) continue;
    label = v == Tri::kTrue ? c.label : kNone;  // an earlier case is unknown: so is the tier
    break;
  }
  Value result;
  if (label != kNone) {
    result.kind = Kind::kString;
    result.string = &p_.strings[label];
  }
  --depth_;
  memo.run = run_count_;
  memo.value = result;
  if (result.known()) drop_missing_from(mark);
  remember_missing(memo, mark);
  if (trace_) [[unlikely]] trace_->steps[trace_at].result = result.known() ? *result.string : "unknown";
  return memo.value;
}

// ================================================================ trace helpers

TraceStep& Frame::step(TraceStep::Kind kind, syntax::Span span, bool located) {
  auto& s = trace_->steps.emplace_back();
  s.kind = kind;
  s.depth = depth_;
  if (located && span.file < p_.sources.size()) {
    s.file = p_.sources[span.file].path;
    s.line = line_of(span.file, span.begin);
    s.column = span.begin - p_.line_starts[span.file][s.line - 1] + 1;
  }
  return s;
}

// A binary search in the file's line starts (computed at compile time; starts[0] == 0), remembered by place.
std::uint32_t Frame::line_of(std::uint32_t file, std::uint32_t offset) {
  constexpr std::size_t kSlots = 1024;  // a power of two
  if (lines_seen_.empty()) lines_seen_.resize(kSlots);
  auto& slot = lines_seen_[(offset * 2654435761u + file) & (kSlots - 1)];
  if (slot.file == file && slot.offset == offset) return slot.line;
  const auto& starts = p_.line_starts[file];
  const auto after = std::upper_bound(starts.begin(), starts.end(), offset);
  slot = {file, offset, static_cast<std::uint32_t>(after - starts.begin())};
  return slot.line;
}

TraceStep& Frame::check(TraceStep::Check check, Tri truth, std::uint32_t index) {
  const auto& node = p_.nodes[index];
  auto& s = step(TraceStep::Kind::kCheck, node.span, true);
  s.check = check;
  s.truth = truth;
  s.result = truth_word(truth);
  s.node = index;
  if (node.text != kNone) s.source = p_.strings[node.text];
  return s;
}

// A value as exact text: integers without formatting through a rational; "a/b" when not a terminating decimal.
TraceValue Frame::trace_value(const Value& v, std::uint32_t node) const {
  return shown_value(p_, v, node == kNone ? kNone : p_.nodes[node].type.enum_id);
}

TraceOperand& Frame::add_operand(TraceStep& s, std::uint32_t index, const Value& v) {
  auto& o = append_new(trace_->operands, s.operands);
  const auto& node = p_.nodes[index];
  if (!is_constant(node.op) && node.text != kNone) o.source = p_.strings[node.text];
  show_value(p_, v, node.type.enum_id, o.value);
  o.bound = is_constant(node.op) || node.op == ir::Op::kParameter;
  if (node.op != ir::Op::kFact) return o;
  const auto& fact = p_.facts[node.a];
  o.fact = true;
  o.fact_path = fact.path;
  const auto present = facts_->present[node.a];
  o.provenance = present == kAbsent ? Provenance::kMissing : present == kDefaulted ? Provenance::kDefaulted
                                                                                  : Provenance::kGiven;
  if (present == kDefaulted && p_.nodes[fact.default_node].op == ir::Op::kFact) {
    o.default_from = p_.facts[p_.nodes[fact.default_node].a].path;
  }
  return o;
}

// Only the lengths of the old views are read: the lists are contiguous, in step order.
void Frame::rebase_views() {
  std::size_t operand = 0, name = 0;
  for (auto& s : trace_->steps) {
    s.operands = {trace_->operands.data() + operand, s.operands.size()};
    operand += s.operands.size();
    s.rules = {trace_->names.data() + name, s.rules.size()};
    name += s.rules.size();
    s.exemptions = {trace_->names.data() + name, s.exemptions.size()};
    name += s.exemptions.size();
  }
}

// The names of missing facts (sorted, unique).
std::vector<std::string> Frame::missing_names(const std::vector<std::uint32_t>& ids) const {
  std::vector<std::string> names;
  names.reserve(ids.size());
  for (const auto id : ids) names.push_back(missing_name(p_, id));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// The members of a set as of the dates (at most 12 listed).
std::shared_ptr<const GroupMembers> Frame::group_members(std::uint32_t set_node) {
  auto members = std::make_shared<GroupMembers>();
  members->as_of = as_of_;
  const auto add_if_member = [&](const Value& v, const std::string& shown) {
    if (!contains(set_node, v, nullptr)) return;
    if (members->listed.size() < 12) members->listed.push_back(shown);
    ++members->total;
  };
  // Candidates: the elements with membership events in some group of the expression (`except` only removes).
  std::vector<const ir::Group*> groups;
  std::vector<std::uint32_t> stack{set_node};
  while (!stack.empty()) {
    const auto& n = p_.nodes[stack.back()];
    stack.pop_back();
    if (n.op != ir::Op::kSetGroup) {
      stack.push_back(n.a);
      stack.push_back(n.b);
      continue;
    }
    groups.push_back(&p_.groups[n.a]);
    if (groups.back()->definition != kNone) stack.push_back(groups.back()->definition);
  }
  const auto enum_id = p_.nodes[set_node].type.enum_id;
  if (enum_id != kNone) {
    const auto& codes = p_.enums[enum_id].codes;
    for (std::uint32_t i = 0; i < codes.size(); ++i) {
      const auto has_events = [&](const ir::Group* g) {
        return i < g->enum_events.size() && !g->enum_events[i].empty();
      };
      if (!std::any_of(groups.begin(), groups.end(), has_events)) continue;
      Value v;
      v.kind = Kind::kEnum;
      v.integer = static_cast<std::int32_t>(i);
      add_if_member(v, codes[i]);
    }
  } else {
    std::set<std::string> names;
    for (const auto* g : groups) names.insert(g->entries.begin(), g->entries.end());
    for (const auto& name : names) {
      Value v;
      v.kind = Kind::kString;
      v.string = &name;
      add_if_member(v, name);
    }
  }
  return members;
}

std::string missing_name(const CompiledProgram& program, std::uint32_t id) {
  if (id == kDivisionByZero) return "(division by zero)";
  if (id == kNumberTooLarge) return "(number too large)";
  if (id == kDateOutOfRange) return "(date out of range, or not a whole number of days)";
  if (id & kParameterBit) {
    return fmt::format("(parameter {} has no value)", program.parameters[id & ~kParameterBit].name);
  }
  return program.facts[id].path;
}

// ================================================================ rules and the decision

Frame::Status Frame::condition_status(std::uint32_t condition, std::vector<std::uint32_t>& missing) {
  const auto mark = missing_.size();
  const auto result = condition == kNone ? Tri::kFalse : test(condition);
  if (result == Tri::kUnknown) missing.assign(missing_.begin() + static_cast<std::ptrdiff_t>(mark), missing_.end());
  drop_missing_from(mark);
  return result == Tri::kTrue ? Status::kTrue : result == Tri::kFalse ? Status::kFalse : Status::kUnknown;
}

void Frame::evaluate_entity(std::uint32_t index) {
  auto& state = entities_[index];
  if (state.evaluated) return;
  state.evaluated = true;
  if (state.version == nullptr) return;  // not in this rulebook
  const auto& v = *state.version;
  const std::size_t at = trace_ ? open_entity_step(index) : 0;
  if (!v.in_force_on(as_of_)) {
    state.status = Status::kNotInForce;
  } else {
    ++depth_;
    state.status = condition_status(v.condition, state.missing);
    --depth_;
    if (v.outcome_kind == ir::OutcomeKind::kClassify && v.outcome != kNone) {
      auto& label = labels_[v.outcome];
      if (state.status == Status::kTrue) {
        label = Tri::kTrue;
        if (trace_) [[unlikely]] label_by_[v.outcome].push_back(index);
      } else if (state.status == Status::kUnknown && label == Tri::kFalse) {
        label = Tri::kUnknown;
      }
    }
  }
  if (trace_) [[unlikely]] close_entity_step(at, index);
}

std::size_t Frame::open_entity_step(std::uint32_t index) {
  const auto& entity = p_.entities[index];
  const auto& v = *entities_[index].version;
  const std::size_t at = trace_->steps.size();
  auto& s = step(entity.exemption ? TraceStep::Kind::kExemption : TraceStep::Kind::kRule, v.span, true);
  s.subject = entity.name;
  s.title = v.title;
  s.citation = v.citation;
  s.from = v.from;
  s.until = v.until;
  s.defined_by = v.defined_by;
  s.classifies = v.outcome_kind == ir::OutcomeKind::kClassify;
  if (v.outcome != kNone) s.outcome = s.classifies ? p_.labels[v.outcome] : p_.outcomes[v.outcome];
  s.reason = v.reason;
  return at;
}

void Frame::close_entity_step(std::size_t at, std::uint32_t index) {
  const auto& state = entities_[index];
  auto& s = trace_->steps[at];
  if (state.status == Status::kNotInForce) {
    s.status = TraceStep::Status::kNotInForce;
    s.result = "not in force";
    return;
  }
  s.status = state.status == Status::kTrue    ? TraceStep::Status::kFired
             : state.status == Status::kFalse ? TraceStep::Status::kNotFired
                                              : TraceStep::Status::kIndeterminate;
  const bool exemption = p_.entities[index].exemption;
  const char* fired = exemption ? "applies" : "fired";
  const char* not_fired = exemption ? "does not apply" : "not fired";
  s.result = state.status == Status::kTrue ? fired : state.status == Status::kFalse ? not_fired : "indeterminate";
  if (state.status == Status::kUnknown) s.unknown = missing_names(state.missing);
}

bool Frame::overrides(std::uint32_t exemption, std::uint32_t target) const {
  const auto* v = entities_[exemption].version;
  return v != nullptr && std::find(v->overrides.begin(), v->overrides.end(), target) != v->overrides.end();
}

// The winners among the exemptions that act on `rule` when those in uncertain_all_ whose bit is set in
// `guess` apply too: an exemption acts when it applies and overrides the rule or an acting exemption, and
// wins when no other acting one overrides it. Returns the outcome (kNone: the winners conflict) and leaves
// the winners, sorted, in `winners`.
std::uint32_t Frame::outcome_with(std::uint32_t rule, std::uint64_t guess, std::vector<std::uint32_t>& winners) {
  const auto applies = [&](std::uint32_t e) {
    if (entities_[e].status == Status::kTrue) return true;
    const auto at = std::find(uncertain_all_.begin(), uncertain_all_.end(), e) - uncertain_all_.begin();
    return at < static_cast<std::ptrdiff_t>(uncertain_all_.size()) && ((guess >> at) & 1) != 0;
  };
  acting_.clear();
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto e : candidates_) {
      if (!applies(e) || std::find(acting_.begin(), acting_.end(), e) != acting_.end()) continue;
      const auto narrows = [&](std::uint32_t a) { return overrides(e, a); };
      if (overrides(e, rule) || std::any_of(acting_.begin(), acting_.end(), narrows)) {
        acting_.push_back(e);
        grew = true;
      }
    }
  }
  winners.clear();
  for (const auto e : acting_) {
    const auto beats = [&](std::uint32_t a) { return a != e && overrides(a, e); };
    if (std::none_of(acting_.begin(), acting_.end(), beats)) winners.push_back(e);
  }
  std::sort(winners.begin(), winners.end());
  if (winners.empty()) return entities_[rule].version->outcome;
  const auto outcome = entities_[winners.front()].version->outcome;
  for (const auto e : winners) {
    if (entities_[e].version->outcome != outcome) return kNone;
  }
  return outcome;
}

void Frame::apply_exemptions(std::uint32_t rule) {
  // Only the compile-time candidates can override this rule; their versions in this rulebook decide. An
  // exemption is tried when it overrides the rule, or narrows a tried exemption that applies or may apply
  // (unknown). Narrowing an exemption that does not apply changes nothing.
  candidates_.clear();
  uncertain_all_.clear();
  // Untraced, those not in force are left out: they take no step and change nothing. A trace shows them.
  const auto possible = trace_ != nullptr ? std::span<const std::uint32_t>(p_.exemption_candidates[rule])
                                          : dates_->candidates_of(rule);
  const auto tried = [&](std::uint32_t e) {
    if (overrides(e, rule)) return true;
    return std::any_of(candidates_.begin(), candidates_.end(), [&](std::uint32_t c) {
      return (entities_[c].status == Status::kTrue || entities_[c].status == Status::kUnknown) && overrides(e, c);
    });
  };
  bool acting = false;  // a tried exemption applies or may apply
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto e : possible) {
      if (std::find(candidates_.begin(), candidates_.end(), e) != candidates_.end() || !tried(e)) continue;
      candidates_.push_back(e);
      evaluate_entity(e);
      const auto status = entities_[e].status;
      if (status == Status::kUnknown) uncertain_all_.push_back(e);
      acting = acting || status == Status::kTrue || status == Status::kUnknown;
      grew = true;
    }
    if (!acting) break;  // then only the exemptions overriding the rule itself can be tried: all were
  }
  if (!acting) {
    // The usual case: no exemption of this rule applies or may apply, so none narrows another one either.
    effective_ = entities_[rule].version->outcome;
    applied_.clear();
    conflict_ = false;
    possible_outcomes_.assign(1, effective_);
    return;
  }
  // What is known: the unknown exemptions taken as not applying. Then every other way they could come out
  // (each unknown exemption applies or not; beyond kMaxGuessed of them, any outcome is possible).
  effective_ = outcome_with(rule, 0, applied_);
  conflict_ = effective_ == kNone;
  possible_outcomes_.assign(1, effective_);
  if (uncertain_all_.size() > kMaxGuessed) {
    possible_outcomes_.push_back(kNone);
    return;
  }
  for (std::uint64_t guess = 1; guess < (std::uint64_t{1} << uncertain_all_.size()); ++guess) {
    const auto outcome = outcome_with(rule, guess, guess_winners_);
    if (std::find(possible_outcomes_.begin(), possible_outcomes_.end(), outcome) == possible_outcomes_.end()) {
      possible_outcomes_.push_back(outcome);
    }
  }
}

void Frame::collect_date_breaks() {
  std::size_t dates = 0;  // counted first: one allocation (a Session is made per one-shot evaluation)
  for (const auto& entity : p_.entities) dates += 4 * entity.versions.size();
  for (const auto& group : p_.groups) {
    for (const auto* lists : {&group.enum_events, &group.entry_events}) {
      for (const auto& events : *lists) dates += 2 * events.size();
    }
  }
  for (const auto& parameter : p_.parameters) dates += 3 * parameter.steps.size();
  date_breaks_.reserve(2 * dates);
  const auto add = [&](Date d) {
    date_breaks_.push_back(d.days());
    date_breaks_.push_back(std::int64_t{d.days()} + 1);
  };
  for (const auto& entity : p_.entities) {
    for (const auto& v : entity.versions) {
      for (const Date d : {v.known_from, v.known_until, v.from, v.until}) add(d);
    }
  }
  const auto add_events = [&](const std::vector<std::vector<ir::MembershipEvent>>& lists) {
    for (const auto& events : lists) {
      for (const auto& e : events) {
        add(e.known_from);
        add(e.from);
      }
    }
  };
  for (const auto& group : p_.groups) {
    add_events(group.enum_events);
    add_events(group.entry_events);
  }
  for (const auto& parameter : p_.parameters) {
    for (const auto& step : parameter.steps) {
      for (const Date d : {step.known_from, step.known_until, step.from}) add(d);
    }
  }
  std::sort(date_breaks_.begin(), date_breaks_.end());
  date_breaks_.erase(std::unique(date_breaks_.begin(), date_breaks_.end()), date_breaks_.end());
}

void Frame::note_interval_days() {
  const auto from = [&](std::size_t interval) {
    return interval == 0 ? std::numeric_limits<std::int64_t>::min() : date_breaks_[interval - 1];
  };
  const auto to = [&](std::size_t interval) {
    return interval == date_breaks_.size() ? std::numeric_limits<std::int64_t>::max() : date_breaks_[interval];
  };
  as_of_from_ = from(dates_->as_of_interval);
  as_of_to_ = to(dates_->as_of_interval);
  rules_from_ = from(dates_->rules_interval);
  rules_to_ = to(dates_->rules_interval);
}

// Makes dates_ the memo of these intervals: found among the last few, or the least recently used one, emptied.
// The entities in force at the previous dates are settled as not in force; those of the new dates are reset
// by reset_entities().
void Frame::switch_dates(std::size_t as_of_interval, std::size_t rules_interval) {
  if (dates_ != nullptr && others_settled_) {
    for (const auto e : dates_->in_force) {
      entities_[e].evaluated = true;
      entities_[e].status = Status::kNotInForce;  // in force at other dates: it has a version
    }
  }
  DatesMemo* chosen = nullptr;
  for (auto& memo : dates_memos_) {
    if (memo.valid && memo.as_of_interval == as_of_interval && memo.rules_interval == rules_interval) chosen = &memo;
  }
  if (chosen == nullptr) {
    chosen = &dates_memos_[0];
    for (auto& memo : dates_memos_) {
      if (memo.used < chosen->used) chosen = &memo;
    }
    chosen->as_of_interval = as_of_interval;
    chosen->rules_interval = rules_interval;
    chosen->valid = true;
    chosen->set_bits.assign(set_words_, 0);
    chosen->lists_ready = false;
    chosen->plan.built = false;
  }
  dates_ = chosen;
}

// What every evaluation starts with: the memo of its pair of date intervals (with the versions of its
// rulebook and the rules in force), a new run_count_ (memoised values are forgotten), the facts and dates,
// no label decided and no fact missing.
void Frame::enter(const BoundFacts& facts, Date as_of, Date rules_as_of) {
  const std::int64_t as_of_day = as_of.days(), rules_day = rules_as_of.days();
  const bool same_intervals = dates_ != nullptr && as_of_from_ <= as_of_day && as_of_day < as_of_to_ &&
                              rules_from_ <= rules_day && rules_day < rules_to_;
  if (!same_intervals) {
    const auto as_of_interval = interval_of(as_of), rules_interval = interval_of(rules_as_of);
    if (dates_ == nullptr || dates_->as_of_interval != as_of_interval || dates_->rules_interval != rules_interval) {
      switch_dates(as_of_interval, rules_interval);
    }
    note_interval_days();
  }
  dates_->used = run_count_ + 1;
  ++run_count_;
  facts_ = &facts;
  as_of_ = as_of;
  rules_as_of_ = rules_as_of;
  depth_ = 0;
  std::fill(labels_.begin(), labels_.end(), Tri::kFalse);
  missing_.clear();
  read_versions();
  if (!dates_->lists_ready) select_in_force();
}

void Frame::reset(const BoundFacts& facts, Date as_of, Date rules_as_of, Trace* trace) {
  trace_ = trace;
  enter(facts, as_of, rules_as_of);
  // A trace step is large: growing the vector step by step would move every step several times.
  if (trace_ != nullptr) {
    trace_->steps.reserve(trace_->steps.size() + trace_steps_hint_);
    trace_->operands.reserve(trace_->operands.size() + trace_operands_hint_);
    trace_->names.reserve(trace_->names.size() + trace_names_hint_);
    views_moved_ = false;
  }
  if (trace_) [[unlikely]] {
    for (auto& by : label_by_) by.clear();
  }
  reset_entities();
  fired_.clear();
  fired_applied_.clear();
  all_missing_.clear();
}

void Frame::select_in_force() {
  auto& d = *dates_;
  if (d.in_force.capacity() == 0) {  // the first dates this memo holds: sized once for any dates
    d.in_force.reserve(entities_.size());
    d.in_force_order.reserve(p_.order.size());
    d.in_force_exemptions.reserve(all_exemptions_.size());
  }
  d.in_force.clear();
  d.in_force_order.clear();
  d.in_force_exemptions.clear();
  for (std::uint32_t e = 0; e < entities_.size(); ++e) {
    if (in_force(e)) d.in_force.push_back(e);
  }
  for (const auto e : p_.order) {
    if (in_force(e)) d.in_force_order.push_back(e);
  }
  for (const auto e : all_exemptions_) {
    if (in_force(e)) d.in_force_exemptions.push_back(e);
  }
  d.candidates.clear();
  d.candidates_from.assign(1, 0);
  for (const auto& possible : p_.exemption_candidates) {
    for (const auto x : possible) {
      if (in_force(x)) d.candidates.push_back(x);
    }
    d.candidates_from.push_back(static_cast<std::uint32_t>(d.candidates.size()));
  }
  d.lists_ready = true;
}

void Frame::read_versions() {
  // The versions depend on rules_as_of only through the dates of date_breaks_.
  const bool same_rulebook = versions_read_ && dates_->rules_interval == versions_rules_interval_;
  versions_read_ = true;
  versions_rules_interval_ = dates_->rules_interval;
  if (!same_rulebook) {
    for (std::uint32_t i = 0; i < entities_.size(); ++i) {
      entities_[i].version = ir::visible_version(p_.entities[i], rules_as_of_);
    }
    others_settled_ = false;  // settled by the versions of another rulebook
  }
}

void Frame::reset_entities() {
  const auto reset_state = [&](EntityState& state) {
    state.status = Status::kNotInRulebook;
    state.evaluated = false;
    state.missing.clear();
  };
  if (trace_ != nullptr || !others_settled_) {
    // Every entity is reset; with a trace, every one is visited (and shown) by run().
    for (auto& state : entities_) reset_state(state);
    others_settled_ = trace_ == nullptr;
    if (!others_settled_) return;
    for (auto& state : entities_) {
      state.evaluated = true;
      if (state.version != nullptr) state.status = Status::kNotInForce;
    }
  }
  for (const auto e : dates_->in_force) reset_state(entities_[e]);
}

// ================================================================ outputs

// The values of the outputs (LANGUAGE.md, outputs): each rule or exemption that took effect gives its `set`
// values: a classification rule that fired, a decision rule that fired and was not overridden, an exemption
// that overrode a fired rule. An indeterminate rule or exemption that gives a value makes that output
// indeterminate (it could have given one). `deciding` outputs read the deciding rules and exemptions only.
void Frame::compute_values(Outcome& out) {
  begin_values(out);
  for (const auto& f : fired_) {
    const auto& version = *entities_[f.rule].version;
    if (f.applied_count == 0) give_values(out, f.rule, version);
    for (std::uint32_t i = 0; i < f.applied_count; ++i) {
      const auto e = fired_applied_[f.first_applied + i];
      give_values(out, e, *entities_[e].version);
    }
  }
  for (const auto e : with_sets_) {
    const auto& state = entities_[e];
    if (state.version == nullptr) continue;
    if (state.status == Status::kTrue && state.version->outcome_kind == ir::OutcomeKind::kClassify) {
      give_values(out, e, *state.version);
    } else if (state.status == Status::kUnknown) {
      mark_unknown_values(out, e, *state.version);
    }
  }
  end_values(out);
}

void Frame::begin_values(Outcome& out) {
  if (!with_sets_ready_) {  // once: the entities that give values or obligations in some version
    with_sets_ready_ = true;
    for (std::uint32_t e = 0; e < p_.entities.size(); ++e) {
      const auto& versions = p_.entities[e].versions;
      const auto gives = [](const ir::RuleVersion& v) { return !v.sets.empty() || !v.obligations.empty(); };
      if (std::any_of(versions.begin(), versions.end(), gives)) {
        with_sets_.push_back(e);
      }
    }
    const auto has_default = [](const ir::Output& o) { return o.default_node != kNone; };
    output_defaults_ = std::any_of(p_.outputs.begin(), p_.outputs.end(), has_default);
  }
  const auto count = p_.outputs.size();
  if (by_lists_used_) {
    by_lists_.resize(count);
    for (auto& list : by_lists_) list.clear();
    by_lists_used_ = false;
  }
  if (out.values_unset && out.values.size() == count) return;  // (an outcome may have served another program)
  out.values.resize(count);
  for (auto& value : out.values) value.state = OutputValue::State::kUnset;
  out.obligations.clear();
  out.value_by.clear();
  out.values_unset = false;  // until end_values() finds that nothing was given
}

// The outputs' defaults, and the entities behind each value.
void Frame::end_values(Outcome& out) {
  if (out.values_unset && !output_defaults_) return;  // no value given: all unset, as begin_values() found them
  values_written(out);
  out.value_by.clear();
  bool any = !out.obligations.empty();
  const auto count = static_cast<std::uint32_t>(p_.outputs.size());
  for (std::uint32_t o = 0; o < count; ++o) {
    auto& value = out.values[o];
    const auto& output = p_.outputs[o];
    if (value.state == OutputValue::State::kUnset && output.default_node != kNone) {
      value.value = eval(output.default_node);
      value.state = value.value.known() ? OutputValue::State::kSet : OutputValue::State::kIndeterminate;
    }
    if (value.state == OutputValue::State::kSet && output.integer && !value.value.number.is_integer()) {
      value.state = OutputValue::State::kIndeterminate;  // an integer output given a fraction
    }
    auto& list = by_lists_[o];
    value.first_by = static_cast<std::uint32_t>(out.value_by.size());
    value.by_count = static_cast<std::uint32_t>(list.size());
    any = any || value.state != OutputValue::State::kUnset;
    if (list.empty()) continue;
    if (list.size() > 1) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      value.by_count = static_cast<std::uint32_t>(list.size());
    }
    out.value_by.insert(out.value_by.end(), list.begin(), list.end());
  }
  out.values_unset = !any && out.value_by.empty();
}

// The `set` values of one rule or exemption that took effect (a `deciding` output only from a deciding one).
void Frame::give_values(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version) {
  if (gave_.size() != entities_.size()) gave_.assign(entities_.size(), 0);
  if (gave_[entity] == run_count_) return;  // an exemption that overrode several rules gives its values once
  gave_[entity] = run_count_;
  values_written(out);
  if (!version.obligations.empty()) add_obligations(out, entity, version, /*possible=*/false);
  for (const auto& set : version.sets) {
    if (p_.outputs[set.output].combine == ir::Combine::kDeciding) {
      const auto deciding = [&](const Decided& d) { return d.entity == entity; };
      if (std::none_of(out.deciding.begin(), out.deciding.end(), deciding) &&
          std::none_of(out.exemptions.begin(), out.exemptions.end(), deciding)) {
        // With the decision indeterminate, this rule might have been a deciding one.
        if (out.decision == kNone) {
          out.values[set.output].state = OutputValue::State::kIndeterminate;
          by_lists_[set.output].push_back(entity);
        }
        continue;
      }
    }
    const auto mark = missing_.size();
    auto v = eval(set.node);
    drop_missing_from(mark);
    if (!v.known()) {
      out.values[set.output].state = OutputValue::State::kIndeterminate;
      by_lists_[set.output].push_back(entity);
      continue;
    }
    combine_value(out, set.output, entity, std::move(v));
  }
}

// The obligations of one rule or exemption, in source order, each with its due date computed. `possible`:
// the rule or exemption was indeterminate, so the obligation applies only if it does.
void Frame::add_obligations(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version, bool possible) {
  for (std::uint32_t i = 0; i < version.obligations.size(); ++i) {
    Outcome::ObligationOutcome o;
    o.version = &version;
    o.entity = entity;
    o.index = i;
    o.possible = possible;
    if (version.obligations[i].due != kNone) {
      const auto mark = missing_.size();
      o.due = eval(version.obligations[i].due);
      drop_missing_from(mark);
    }
    out.obligations.push_back(std::move(o));
  }
}

// An indeterminate rule or exemption could have taken effect: the outputs it sets are indeterminate, and its
// obligations are listed as possible.
void Frame::mark_unknown_values(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version) {
  values_written(out);
  for (const auto& set : version.sets) {
    if (p_.outputs[set.output].combine == ir::Combine::kDeciding && out.decision != kNone) continue;
    out.values[set.output].state = OutputValue::State::kIndeterminate;
    by_lists_[set.output].push_back(entity);
  }
  add_obligations(out, entity, version, /*possible=*/true);
}

void Frame::combine_value(Outcome& out, std::uint32_t output, std::uint32_t entity, Value v) {
  auto& current = out.values[output];
  auto& by = by_lists_[output];
  using State = OutputValue::State;
  if (current.state == State::kIndeterminate || current.state == State::kConflict) return;
  if (current.state == State::kUnset) {
    current.state = State::kSet;
    current.value = std::move(v);
    by.push_back(entity);
    return;
  }
  const int order = compare_values(v, current.value);
  switch (p_.outputs[output].combine) {
    case ir::Combine::kUnique:
    case ir::Combine::kDeciding:
      if (order != 0) current.state = State::kConflict;
      by.push_back(entity);
      return;
    case ir::Combine::kMax:
    case ir::Combine::kMin: {
      const bool better = p_.outputs[output].combine == ir::Combine::kMax ? order > 0 : order < 0;
      if (order == 0) by.push_back(entity);
      if (!better) return;
      current.value = std::move(v);
      by.assign(1, entity);
      return;
    }
    case ir::Combine::kSum:
      if (current.value.number.bit_size() + v.number.bit_size() > core::kMaxNumBits) {
        current.state = State::kIndeterminate;
        return;
      }
      current.value.number = current.value.number + v.number;
      by.push_back(entity);
      return;
    case ir::Combine::kFirst:  // the first in declaration order
      if (entity < by.front()) {
        current.value = std::move(v);
        by.assign(1, entity);
      }
      return;
  }
}

void Frame::trace_values(const Outcome& out) {
  static constexpr const char* kCombine[] = {"unique", "deciding", "max", "min", "sum", "first"};
  for (std::uint32_t o = 0; o < p_.outputs.size(); ++o) {
    const auto& value = out.values[o];
    if (value.state == OutputValue::State::kUnset) continue;  // as in the text result: nothing to show
    auto& s = step(TraceStep::Kind::kValue);
    s.subject = p_.outputs[o].name;
    s.source = kCombine[static_cast<std::size_t>(p_.outputs[o].combine)];
    for (std::uint32_t k = 0; k < value.by_count; ++k) {
      append(trace_->names, s.rules, std::string_view(p_.entities[out.value_by[value.first_by + k]].name));
    }
    switch (value.state) {
      case OutputValue::State::kSet: {
        s.value = shown_value(p_, value.value, p_.outputs[o].type.enum_id);
        s.has_value = true;
        s.result = s.value.kind == TraceValue::Kind::kString ? fmt::format("\"{}\"", s.value.exact) : s.value.exact;
        s.truth = TraceStep::Truth::kTrue;
        break;
      }
      case OutputValue::State::kUnset: s.result = "unset"; break;
      case OutputValue::State::kIndeterminate: s.result = "indeterminate"; break;
      case OutputValue::State::kConflict: s.result = "conflict"; s.conflict = true; break;
    }
  }
}

Evaluator::Evaluator(const CompiledProgram& program) : frame_(std::make_unique<Frame>(program)) {}
Evaluator::~Evaluator() = default;

bool Evaluator::run(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint64_t max_steps, Trace* trace,
                    Outcome& out) {
  frame_->steps_left = max_steps;
  try {
    frame_->run(facts, as_of, rules_as_of, trace, out);
  } catch (const Frame::StepLimitExceeded&) {
    return false;
  }
  return true;
}

void Frame::disable_fused_checks() { fused_.assign(fused_.size(), FusedCheck{}); }
void Evaluator::disable_fused_checks() { frame_->disable_fused_checks(); }
void Evaluator::disable_plans() { frame_->disable_plans(); }
std::uint64_t Evaluator::decided_by_plans() const { return frame_->decided_by_plans; }
std::uint64_t Evaluator::continued_from_plans() const { return frame_->continued_from_plans; }
std::size_t Evaluator::fused_checks() const { return frame_->fused_checks(); }

// ================================================================ probes (probe.hpp)

// A probe cannot run out of steps: it evaluates expressions the evaluator has already bounded.
Probe::Probe(const CompiledProgram& program) : frame_(std::make_unique<Frame>(program)) {
  frame_->steps_left = std::numeric_limits<std::uint64_t>::max();
  frame_->disable_plans();  // Probe::checks reads the state the general path leaves
}
Probe::~Probe() = default;

Value Probe::value(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint32_t node) {
  frame_->reset(facts, as_of, rules_as_of, nullptr);
  return frame_->eval(node);
}

Value Probe::value(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint32_t node,
                   std::span<const std::uint32_t> classified) {
  frame_->reset(facts, as_of, rules_as_of, nullptr);
  for (const auto label : classified) frame_->labels_[label] = Tri::kTrue;
  frame_->steps_left = max_steps_;
  try {
    return frame_->eval(node);
  } catch (const Frame::StepLimitExceeded&) {
    exhausted_ = true;
    return Value{};
  }
}

void Probe::limit_steps(std::uint64_t steps) { max_steps_ = steps; }

bool Probe::contains(std::uint32_t set_node, const Value& element, Date as_of, Date rules_as_of) {
  frame_->reset(frame_->no_facts_, as_of, rules_as_of, nullptr);
  frame_->steps_left = max_steps_;
  try {
    return element.kind == Kind::kEnum ? frame_->enum_member(set_node, element)
                                       : frame_->contains(set_node, element, nullptr);
  } catch (const Frame::StepLimitExceeded&) {
    exhausted_ = true;
    return false;
  }
}

void Probe::checks(const BoundFacts& facts, Date as_of, Date rules_as_of, std::span<const std::uint32_t> conditions,
                   std::vector<CheckTruth>& checks) {
  frame_->run(facts, as_of, rules_as_of, nullptr, frame_->probe_outcome_);
  ++frame_->run_count_;  // forgets the memoised definitions and tiers: their checks are evaluated (and noted) again
  frame_->checks_ = &checks;
  for (const auto condition : conditions) frame_->test(condition);
  frame_->checks_ = nullptr;
}

}  // namespace edict::eval
