// Runtime values of the evaluator (stage 4), and facts bound to a program's schema.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "edict/facts.hpp"
#include "edict/result.hpp"
#include "eval/number.hpp"
#include "ir/program.hpp"

namespace edict::eval {

// A value, or kUnknown when it could not be computed (a missing fact, a parameter with no value, a
// division by zero). Strings point into storage that outlives the evaluation (bound facts or the program).
struct Value {
  enum class Kind : std::uint8_t { kUnknown, kBool, kNumber, kString, kDate, kEnum };
  Kind kind = Kind::kUnknown;
  bool boolean = false;
  std::int32_t integer = 0;  // kDate: days; kEnum: member index
  const std::string* string = nullptr;
  Rational number;

  static Value of_bool(bool b) {
    Value v;
    v.kind = Kind::kBool;
    v.boolean = b;
    return v;
  }
  bool known() const { return kind != Kind::kUnknown; }
};

// Facts checked against the schema: one value per fact slot (kUnknown when absent).
struct BoundFacts {
  std::vector<Value> values;
  std::vector<bool> present;
  std::vector<std::string> strings;  // one per slot; Value::string points here, so never resized after bind
};

// Checks `facts` against the program's schema. Type errors go to result.errors (naming the field path,
// and result.ok becomes false); unknown fields go to result.warnings.
BoundFacts bind(const CompiledProgram& program, const Facts& facts, EvalResult& result);

// Evaluates the bound facts. Fills the decision fields of `result` and, when `trace` is not null, the trace.
void evaluate(const CompiledProgram& program, const BoundFacts& facts, Date as_of, Date rules_as_of, Trace* trace,
              EvalResult& result);

// `enum_id` names the enumeration of a kEnum value (its code is shown).
std::string format_value(const CompiledProgram& program, const Value& value, std::uint32_t enum_id = ir::kNone);

}  // namespace edict::eval
