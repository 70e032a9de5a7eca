// Binding facts to the schema (start of stage 4): every value is type-checked and converted once, so the
// evaluator never looks anything up by name.
#include <functional>

#include <fmt/format.h>

#include "core/names.hpp"
#include "eval/fact_hints.hpp"
#include "eval/value.hpp"

namespace edict::eval {

namespace {

std::string describe(const RawValue& v) {
  switch (v.kind) {
    case FactValue::Kind::kNull: return "null";
    case FactValue::Kind::kBool: return v.boolean ? "true" : "false";
    case FactValue::Kind::kNumber: return fmt::format("the number {}", v.text);
    case FactValue::Kind::kString: return fmt::format("the string \"{}\"", v.text);
    case FactValue::Kind::kObject: return "an object";
    case FactValue::Kind::kArray: return "an array";
  }
  return "a value";
}

// Why number text is refused ("" when it is fine): more digits than allowed, an exponent beyond the fixed
// limit, or not a number at all.
std::string number_problem(std::string_view text, std::size_t max_digits) {
  std::size_t digits = 0, i = text.starts_with('-') ? 1 : 0;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) digits += (text[i] >= '0' && text[i] <= '9');
  if (digits > max_digits) return fmt::format("number has {} digits, more than the limit of {}", digits, max_digits);
  if (i < text.size() && core::parse_decimal(text, false, max_digits) == std::nullopt &&
      core::parse_decimal(text.substr(0, i), false, max_digits) != std::nullopt) {
    return fmt::format("the exponent of `{}` is beyond the limit of +-{}", text, core::kMaxDecimalExponent);
  }
  return fmt::format("`{}` is not a valid number", text);
}

}  // namespace

// Converts one raw value to the slot's type; returns an error message, or "" on success.
std::string convert(const CompiledProgram& program, const ir::FactSlot& slot, const RawValue& raw,
                    const Limits& limits, Value& out, std::string& storage) {
  const auto wrong = [&](const char* expected) {
    return fmt::format("`{}`: expected {}, got {}", slot.path, expected, describe(raw));
  };
  switch (slot.type.type) {
    case ir::Type::kBool:
      if (raw.kind != FactValue::Kind::kBool) return wrong("true or false");
      out.kind = Value::Kind::kBool;
      out.boolean = raw.boolean;
      return {};
    case ir::Type::kNumber: {
      if (raw.kind != FactValue::Kind::kNumber) return wrong(slot.integer ? "an integer" : "a number");
      auto number = core::parse_num(raw.text, limits.fact_number_digits);
      if (!number) {
        return fmt::format("`{}`: expected {}: {}", slot.path, slot.integer ? "an integer" : "a number",
                           number_problem(raw.text, limits.fact_number_digits));
      }
      if (slot.integer && !number->is_integer()) {
        return fmt::format("`{}`: expected an integer, got {}", slot.path, raw.text);
      }
      out.kind = Value::Kind::kNumber;
      out.number = std::move(*number);
      return {};
    }
    case ir::Type::kString:
      if (raw.kind != FactValue::Kind::kString) return wrong("a string");
      if (raw.text.size() > limits.fact_string_bytes) {
        return fmt::format("`{}`: string is {} bytes, more than the limit of {} bytes", slot.path, raw.text.size(),
                           limits.fact_string_bytes);
      }
      storage.assign(raw.text);  // reuses the slot's capacity
      out.kind = Value::Kind::kString;
      out.string = &storage;
      return {};
    case ir::Type::kDate: {
      if (raw.kind != FactValue::Kind::kString) return wrong("a date string (YYYY-MM-DD)");
      const auto date = Date::parse(raw.text);
      if (!date) {
        return fmt::format("`{}`: \"{}\" is not a valid date (expected an existing calendar date YYYY-MM-DD)",
                           slot.path, raw.text);
      }
      out.kind = Value::Kind::kDate;
      out.integer = date->days();
      return {};
    }
    case ir::Type::kEnum: {
      const auto& e = program.enums[slot.type.enum_id];
      const auto closed_list = [&] { return e.name.rfind("one of ", 0) == 0; };  // for the messages only
      if (raw.kind != FactValue::Kind::kString) {
        return wrong(closed_list() ? "a string" : fmt::format("a `{}` code", e.name).c_str());
      }
      const auto it = e.index.find(raw.text);
      if (it == e.index.end()) {
        if (closed_list()) {
          std::string allowed;
          for (const auto& c : e.codes) allowed += (allowed.empty() ? "" : ", ") + ("\"" + c + "\"");
          return fmt::format("`{}`: \"{}\" is not one of {}{}", slot.path, raw.text, allowed,
                             member_hint(e, raw.text));
        }
        return fmt::format("`{}`: \"{}\" is not a valid `{}` code{}", slot.path, raw.text, e.name,
                           member_hint(e, raw.text));
      }
      out.kind = Value::Kind::kEnum;
      out.integer = static_cast<std::int32_t>(it->second);
      return {};
    }
    case ir::Type::kSet: break;
  }
  return fmt::format("`{}`: unsupported fact type", slot.path);
}

namespace {

bool is_object_prefix(const CompiledProgram& program, const std::string& path) {
  const auto prefix = path + ".";
  for (const auto& f : program.facts) {
    if (f.path.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

std::string store_fact(const CompiledProgram& program, std::uint32_t slot, const RawValue& raw, const Limits& limits,
                       BoundFacts& bound) {
  const auto& schema = program.facts[slot];
  auto message = convert(program, schema, raw, limits, bound.values[slot], bound.strings[slot]);
  if (schema.matched) bound.name_key_stale[slot] = 1;
  return message;
}

const std::string& BoundFacts::name_key(std::uint32_t slot) const {
  if (name_key_stale[slot] != 0) {
    core::normalize_party_name_into(strings[slot], name_keys[slot]);
    name_key_stale[slot] = 0;
  }
  return name_keys[slot];
}

const std::string* BoundFacts::name_key_of(const std::string& name, const CompiledProgram& program) const {
  // Compared as addresses (std::less: a total order even for pointers into different arrays).
  const std::less<const std::string*> before;
  if (strings.empty() || before(&name, strings.data()) || !before(&name, strings.data() + strings.size())) {
    return nullptr;
  }
  const auto slot = static_cast<std::uint32_t>(&name - strings.data());
  return program.facts[slot].matched ? &name_key(slot) : nullptr;
}

// Fills fact `slot`, when it is absent and has a `default` (LANGUAGE.md 2.4): a constant, or the value of
// another fact (which has no default itself).
void fill_default(const CompiledProgram& program, BoundFacts& bound, std::size_t slot) {
  const auto& schema = program.facts[slot];
  if (bound.present[slot] || schema.default_node == ir::kNone) return;
  const auto& node = program.nodes[schema.default_node];
  if (node.op == ir::Op::kFact) {
    if (!bound.present[node.a]) return;
    bound.values[slot] = bound.values[node.a];
  } else {
    bound.values[slot] = constant_value(program, node);
    if (!bound.values[slot].known()) return;
  }
  bound.present[slot] = kDefaulted;
}

void fill_defaults(const CompiledProgram& program, BoundFacts& bound) {
  for (std::size_t slot = 0; slot < program.facts.size(); ++slot) fill_default(program, bound, slot);
}

bool bind(const CompiledProgram& program, const Facts& facts, const Limits& limits, BoundFacts& bound,
          std::vector<std::string>* errors, std::vector<std::string>* warnings) {
  const auto count = program.facts.size();
  bound.values.resize(count);
  bound.present.assign(count, kAbsent);
  bound.strings.resize(count);
  bound.name_keys.resize(count);
  bound.name_key_stale.resize(count, 1);
  const auto& entries = facts.entries();
  if (entries.size() > limits.fact_entries) {
    errors->push_back(fmt::format("facts have {} entries, more than the limit of {}", entries.size(),
                                  limits.fact_entries));
    return false;
  }
  bool ok = true;
  if (bound.previous_paths.size() < entries.size()) bound.previous_paths.resize(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    auto& previous = bound.previous_paths[i];
    std::uint32_t slot = ir::kNone;
    if (previous.valid && previous.path == entry.path) {
      slot = previous.slot;
    } else {
      const auto it = program.fact_index.find(entry.path);
      slot = it == program.fact_index.end() ? ir::kNone : it->second;
      previous.valid = true;
      previous.path.assign(entry.path);
      previous.slot = slot;
    }
    if (slot == ir::kNone) {
      if (entry.value.kind == FactValue::Kind::kObject && is_object_prefix(program, entry.path)) continue;
      warnings->push_back(unknown_fact_warning(program, entry.path));
      continue;
    }
    const auto& schema = program.facts[slot];
    if (entry.value.kind == FactValue::Kind::kNull) {
      if (!schema.optional) {
        ok = false;
        errors->push_back(fmt::format("`{}`: null is only allowed for optional facts", entry.path));
      }
      continue;
    }
    auto message = store_fact(program, slot, RawValue::of(entry.value), limits, bound);
    if (!message.empty()) {
      ok = false;
      errors->push_back(std::move(message));
      continue;
    }
    bound.present[slot] = kGiven;
  }
  fill_defaults(program, bound);
  return ok;
}

bool to_value(const CompiledProgram& program, std::uint32_t slot, const FactValue& raw, Value& out,
              std::string& storage) {
  return convert(program, program.facts[slot], RawValue::of(raw), Limits{}, out, storage).empty();
}

void set_fact(const CompiledProgram& program, BoundFacts& bound, std::uint32_t slot, const Value& value) {
  bound.values[slot] = value;
  bound.present[slot] = kGiven;
  for (auto& present : bound.present) {
    if (present == kDefaulted) present = kAbsent;
  }
  fill_defaults(program, bound);
}

}  // namespace edict::eval
