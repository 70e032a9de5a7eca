#include "witness/mini_eval.hpp"
#include "ir/queries.hpp"

#include <algorithm>

#include "core/names.hpp"
#include "core/num.hpp"

namespace edict::analysis {

namespace {

using K = MiniValue::Kind;

int compare_mini(const MiniValue& a, const MiniValue& b) {
  switch (a.kind) {
    case K::kNumber: return a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
    case K::kDate:
    case K::kEnum: return a.integer < b.integer ? -1 : (a.integer > b.integer ? 1 : 0);
    case K::kBool: return static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
    case K::kString: return a.string < b.string ? -1 : (a.string == b.string ? 0 : 1);
    case K::kUnknown: break;
  }
  return 0;
}


}  // namespace


MiniValue MiniEval::fact(std::uint32_t slot) const {
  if (slot < facts_.size() && facts_[slot] != nullptr) return *facts_[slot];
  const auto& f = p_.facts[slot];
  if (f.default_node != ir::kNone) return eval(f.default_node);
  return {};
}

bool MiniEval::group_contains(const ir::Group& group, const MiniValue& element) const {
  if (group.definition != ir::kNone) return contains(group.definition, element);
  if (element.kind == K::kEnum) {
    const auto i = static_cast<std::size_t>(element.integer);
    return i < group.enum_events.size() && ir::member_as_of(group.enum_events[i], as_of_, rules_);
  }
  if (element.kind != K::kString) return false;
  const auto key = group.element.names ? core::normalize_party_name(element.string) : element.string;
  const auto it = group.keys.find(key);
  if (it == group.keys.end()) return false;
  return ir::member_as_of(group.entry_events[it->second], as_of_, rules_);
}

bool MiniEval::contains(std::uint32_t set_node, const MiniValue& element) const {
  const auto& node = p_.nodes[set_node];
  switch (node.op) {
    case ir::Op::kSetGroup: return group_contains(p_.groups[node.a], element);
    case ir::Op::kSetUnion: return contains(node.a, element) || contains(node.b, element);
    case ir::Op::kSetIntersect: return contains(node.a, element) && contains(node.b, element);
    case ir::Op::kSetExcept: return contains(node.a, element) && !contains(node.b, element);
    default: return false;
  }
}

MiniValue MiniEval::compare(const ir::Node& node) const {
  std::vector<MiniValue> v(node.kid_count);
  for (std::uint32_t i = 0; i < node.kid_count; ++i) v[i] = eval(p_.kid_list[node.first_kid + i]);
  int result = 1;  // 1 true, 0 false, -1 unknown
  for (std::uint32_t i = 0; i + 1 < node.kid_count; ++i) {
    if (!v[i].known() || !v[i + 1].known()) {
      if (result == 1) result = -1;
      continue;
    }
    if (!ir::holds(p_.compare_ops[node.first_kid + i], compare_mini(v[i], v[i + 1]))) result = 0;
  }
  if (result < 0) return {};
  return MiniValue::of_bool(result == 1);
}

MiniValue MiniEval::eval(std::uint32_t index) const {
  auto v = eval_node(index);
  if (record != nullptr) {
    const auto& node = p_.nodes[index];
    const bool check = node.op == ir::Op::kCompare || node.op == ir::Op::kIn || node.op == ir::Op::kMatches ||
                       node.op == ir::Op::kPresent || (node.op == ir::Op::kFact && node.type.type == ir::Type::kBool);
    if (check) record->emplace_back(index, !v.known() || v.kind != MiniValue::Kind::kBool ? '?' : v.boolean ? '1' : '0');
  }
  return v;
}

MiniValue MiniEval::eval_node(std::uint32_t index) const {
  const auto& node = p_.nodes[index];
  MiniValue v;
  switch (node.op) {
    case ir::Op::kConstBool: return MiniValue::of_bool(node.a != 0);
    case ir::Op::kConstNum:
      v.kind = K::kNumber;
      v.number = p_.numbers[node.a];
      return v;
    case ir::Op::kConstStr:
      v.kind = K::kString;
      v.string = p_.strings[node.a];
      return v;
    case ir::Op::kConstDate:
      v.kind = K::kDate;
      v.integer = static_cast<std::int32_t>(node.a);
      return v;
    case ir::Op::kConstEnum:
      v.kind = K::kEnum;
      v.integer = node.a;
      return v;
    case ir::Op::kFact: return fact(node.a);
    case ir::Op::kDefinition: return eval(p_.definitions[node.a].node);
    case ir::Op::kParameter: {
      const auto& param = p_.parameters[node.a];
      const ir::ParameterStep* chosen = nullptr;
      for (const auto& s : param.steps) {
        if (s.known_from > rules_ || s.known_until <= rules_ || s.from > as_of_) continue;
        if (chosen == nullptr || s.from > chosen->from || (s.from == chosen->from && s.known_from >= chosen->known_from)) {
          chosen = &s;
        }
      }
      if (chosen == nullptr || chosen->value == ir::kNone) return {};
      return eval(chosen->value);
    }
    case ir::Op::kTier: {
      const auto& t = p_.tiers[node.a];
      for (const auto& c : t.cases) {
        const auto cond = eval(c.condition);
        if (!cond.known()) return {};
        if (cond.boolean) {
          v.kind = K::kString;
          v.string = p_.strings[c.label];
          return v;
        }
      }
      v.kind = K::kString;
      v.string = p_.strings[t.otherwise];
      return v;
    }
    case ir::Op::kClassified:
      if (classes == nullptr) return {};
      return MiniValue::of_bool(std::binary_search(classes->begin(), classes->end(), p_.labels[node.a]));
    case ir::Op::kNeg:
      v = eval(node.a);
      if (v.known()) v.number = -v.number;
      return v;
    case ir::Op::kNot:
      v = eval(node.a);
      if (v.known()) v.boolean = !v.boolean;
      return v;
    case ir::Op::kAnd:
    case ir::Op::kOr: {
      const bool is_and = node.op == ir::Op::kAnd;
      const auto a = eval(node.a);
      if (a.known() && a.boolean != is_and) return MiniValue::of_bool(!is_and);
      const auto b = eval(node.b);
      if (b.known() && b.boolean != is_and) return MiniValue::of_bool(!is_and);
      if (!a.known() || !b.known()) return {};
      return MiniValue::of_bool(is_and);
    }
    case ir::Op::kIf: {
      const auto c = eval(node.a);
      if (!c.known()) return {};
      return eval(c.boolean ? node.b : node.c);
    }
    case ir::Op::kAdd:
    case ir::Op::kSub:
    case ir::Op::kMul:
    case ir::Op::kDiv: {
      auto a = eval(node.a);
      if (!a.known()) return a;
      const auto b = eval(node.b);
      if (!b.known()) return b;
      if (a.kind != K::kNumber || b.kind != K::kNumber) return {};
      if (core::bit_size(a.number) + core::bit_size(b.number) > core::kMaxNumBits) return {};  // as the evaluator
      switch (node.op) {
        case ir::Op::kAdd: a.number += b.number; break;
        case ir::Op::kSub: a.number -= b.number; break;
        case ir::Op::kMul: a.number *= b.number; break;
        default:
          if (b.number == 0) return {};
          a.number /= b.number;
          break;
      }
      return a;
    }
    case ir::Op::kCompare: return compare(node);
    case ir::Op::kIn:
    case ir::Op::kMatches: {
      const auto element = eval(node.a);
      if (!element.known()) return {};
      bool found = contains(node.b, element);
      if (node.negated) found = !found;
      return MiniValue::of_bool(found);
    }
    case ir::Op::kPresent: {
      bool present = node.a < facts_.size() && facts_[node.a] != nullptr;
      if (!present) {
        const auto d = p_.facts[node.a].default_node;
        if (d != ir::kNone) present = p_.nodes[d].op != ir::Op::kFact || eval(d).known();
      }
      return MiniValue::of_bool(node.negated ? !present : present);
    }
    default: return {};
  }
}

}  // namespace edict::analysis
