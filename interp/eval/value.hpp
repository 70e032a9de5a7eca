// Runtime values of the evaluator (stage 4), facts bound to a program's schema, and the lean outcome of one
// evaluation (indices into the program; turned into an EvalResult only when asked).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edict/facts.hpp"
#include "edict/result.hpp"
#include "core/num.hpp"
#include "ir/program.hpp"

namespace edict::eval {

// The exact numbers of core/, used throughout evaluation.
using core::Integer;
using core::Num;
using core::Rational;

// A value, or kUnknown when it could not be computed (a missing fact, a parameter with no value, a
// division by zero). Strings point into storage that outlives the evaluation (bound facts or the program).
struct Value {
  enum class Kind : std::uint8_t { kUnknown, kBool, kNumber, kString, kDate, kEnum };
  Kind kind = Kind::kUnknown;
  bool boolean = false;
  std::int32_t integer = 0;  // kDate: days; kEnum: member index
  const std::string* string = nullptr;
  Num number;

  static Value of_bool(bool b) {
    Value v;
    v.kind = Kind::kBool;
    v.boolean = b;
    return v;
  }
  bool known() const { return kind != Kind::kUnknown; }
};

// The value of a constant node (kConstBool .. kConstEnum); unknown for any other node. Inline: the evaluator
// reads constants on its hot path.
// The order of two known values of one kind (-1, 0 or 1): numbers exactly, dates by day, enumeration values
// by position, false before true, strings by their bytes.
inline int compare_values(const Value& a, const Value& b) {
  switch (a.kind) {
    case Value::Kind::kNumber: return compare(a.number, b.number);
    case Value::Kind::kDate:
    case Value::Kind::kEnum: return a.integer < b.integer ? -1 : (a.integer > b.integer ? 1 : 0);
    case Value::Kind::kBool: return static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
    case Value::Kind::kString: return a.string->compare(*b.string) < 0 ? -1 : (*a.string == *b.string ? 0 : 1);
    case Value::Kind::kUnknown: break;
  }
  return 0;
}

inline Value constant_value(const CompiledProgram& program, const ir::Node& node) {
  Value v;
  switch (node.op) {
    case ir::Op::kConstBool: return Value::of_bool(node.a != 0);
    case ir::Op::kConstNum:
      v.kind = Value::Kind::kNumber;
      v.number = program.num_constants[node.a];
      break;
    case ir::Op::kConstStr:
      v.kind = Value::Kind::kString;
      v.string = &program.strings[node.a];
      break;
    case ir::Op::kConstDate:
    case ir::Op::kConstEnum:
      v.kind = node.op == ir::Op::kConstDate ? Value::Kind::kDate : Value::Kind::kEnum;
      v.integer = static_cast<std::int32_t>(node.a);
      break;
    default: break;
  }
  return v;
}

// How a fact slot got its value (BoundFacts::present): the trace marks defaulted facts.
constexpr std::uint8_t kAbsent = 0;
constexpr std::uint8_t kGiven = 1;
constexpr std::uint8_t kDefaulted = 2;  // filled by the fact's `default` (a constant or another fact)

// Facts checked against the schema: one value per fact slot (kUnknown when absent). Reusable: bind()
// overwrites it in place, so repeated binds into one BoundFacts do not allocate once warmed up.
struct BoundFacts {
  std::vector<Value> values;
  std::vector<std::uint8_t> present;  // kAbsent, kGiven or kDefaulted, per slot
  std::vector<std::string> strings;  // one per slot; Value::string points here
  // The normalised party name of string fact `slot`, one that `matches` compares (FactSlot::matched):
  // computed by the first decision that needs it after the fact was given (store_fact), and kept while the
  // fact stays, so that a frame decided again, or a name read by several checks, is normalised once. A cache,
  // hence const: bound facts are read by one thread at a time (a session's own, or a frame, whose defaults
  // are filled in place too).
  const std::string& name_key(std::uint32_t slot) const;
  // name_key() of the fact whose string `name` is (a name from elsewhere, such as a constant: null).
  const std::string* name_key_of(const std::string& name, const CompiledProgram& program) const;
  mutable std::vector<std::string> name_keys;      // per slot: the cache of name_key()
  mutable std::vector<std::uint8_t> name_key_stale;  // per slot: 1 until name_key() computes it again
  // The slot of each entry of the previous facts bound here (path, slot, or kNone for unknown): facts of the
  // same shape, as in a batch, are then bound without hashing their paths.
  struct PathSlot {
    bool valid = false;  // a default entry must not match the empty path
    std::string path;
    std::uint32_t slot = ir::kNone;
  };
  std::vector<PathSlot> previous_paths;
};

// Checks `facts` against the program's schema into `out`. Type errors, and values beyond the fact limits of
// `limits` (fact_entries, fact_number_digits, fact_string_bytes: facts built in code never went through the
// JSON reader), go to *errors (naming the field path and what was expected); unknown fields go to *warnings.
// Returns false when there are errors.
bool bind(const CompiledProgram& program, const Facts& facts, const Limits& limits, BoundFacts& out,
          std::vector<std::string>* errors, std::vector<std::string>* warnings);

// A raw fact value as bind() reads it: a view of a FactValue, or of a value a host gives one at a time.
struct RawValue {
  FactValue::Kind kind = FactValue::Kind::kNull;
  bool boolean = false;
  std::string_view text;  // kNumber: the exact decimal text; kString: the string
  static RawValue of(const FactValue& v) { return {v.kind, v.boolean, v.text}; }
};

// The one conversion of a raw value to the type of fact `slot` (type checks and the fact limits of `limits`):
// "" when it fits (the value in `out`; a string in `storage`, which `out` points to), else the error, which
// names the fact's path and what was expected.
std::string convert(const CompiledProgram& program, const ir::FactSlot& slot, const RawValue& raw,
                    const Limits& limits, Value& out, std::string& storage);

// convert() into fact `slot` of `bound` (its value and string), marking the normalised name of a string that
// `matches` compares to be computed again. Every path that gives a bound fact goes through here.
std::string store_fact(const CompiledProgram& program, std::uint32_t slot, const RawValue& raw, const Limits& limits,
                       BoundFacts& bound);

// Gives each absent fact that has a `default` its default value (a constant, or another fact's value) and
// marks it kDefaulted. bind() ends with it.
void fill_defaults(const CompiledProgram& program, BoundFacts& bound);
// The same for one fact (a no-op unless it is absent and has a default): for callers that know which facts
// have one.
void fill_default(const CompiledProgram& program, BoundFacts& bound, std::size_t slot);

// Converts one raw value to the type of fact `slot` as bind() does (within the default Limits); false when it
// does not fit. A string value points into `storage`.
bool to_value(const CompiledProgram& program, std::uint32_t slot, const FactValue& raw, Value& out,
              std::string& storage);

// Gives fact `slot` the value `value` in bound facts (for analyses that vary one fact: the value need not be
// a decimal), and derives the defaults again, since a default may copy that fact.
void set_fact(const CompiledProgram& program, BoundFacts& facts, std::uint32_t slot, const Value& value);

// A rule or exemption in the version that was read.
struct Decided {
  std::uint32_t entity = ir::kNone;
  const ir::RuleVersion* version = nullptr;
};

// An output's value after one evaluation (the lean form of OutputValue).
struct OutputOutcome {
  OutputValue::State state = OutputValue::State::kUnset;
  Value value;
  std::uint32_t first_by = 0;  // Outcome::value_by[first_by .. first_by + by_count): the entities behind it
  std::uint32_t by_count = 0;
};

// What one evaluation decided, as indices into the program. Reusable like BoundFacts.
struct Outcome {
  std::uint32_t decision = ir::kNone;       // outcome index; kNone = indeterminate
  std::vector<std::uint32_t> classifications;  // label indices, in label order
  std::vector<Decided> deciding;            // deciding rules, in evaluation order
  std::vector<std::uint8_t> deciding_exempted;  // per deciding rule: an exemption changed its outcome
  std::vector<Decided> exemptions;          // the exemptions that did, in evaluation order, no duplicates
  std::vector<std::uint32_t> missing;       // missing ids (fact slots, or kParameterBit | parameter, or
                                            // kDivisionByZero, kNumberTooLarge), sorted, unique
  std::vector<std::uint32_t> indeterminate;  // entities whose condition was unknown
  std::vector<std::uint32_t> fired;          // rules that fired and exemptions that applied, in evaluation order
  std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> conflicts;  // rule, its exemptions
  std::vector<OutputOutcome> values;  // per output (empty when the program declares none)
  std::vector<std::uint32_t> value_by;
  // `values` are every output's, all unset, with `value_by` and `obligations` empty: the next evaluation that
  // gives no value need not write them again (set by the evaluator only).
  bool values_unset = false;
  struct ObligationOutcome {
    const ir::RuleVersion* version = nullptr;
    std::uint32_t entity = ir::kNone;
    std::uint32_t index = 0;  // into version->obligations
    Value due;                // unknown when the date could not be computed (or there is none)
    bool possible = false;    // its rule or exemption was indeterminate
  };
  std::vector<ObligationOutcome> obligations;
};

inline constexpr std::uint32_t kParameterBit = 0x40000000u;
inline constexpr std::uint32_t kDivisionByZero = 0x7FFFFFFFu;
inline constexpr std::uint32_t kNumberTooLarge = 0x7FFFFFFEu;  // arithmetic beyond kMaxNumBits
inline constexpr std::uint32_t kDateOutOfRange = 0x7FFFFFFDu;  // date arithmetic beyond 0001-9999, or partial days

// "product.tpp", "(parameter cap has no value)", "(division by zero)" or "(number too large)".
std::string missing_name(const CompiledProgram& program, std::uint32_t id);

// A value as the results and traces show it (numbers exact; an enumeration value as the code of `enum_id`).
TraceValue shown_value(const CompiledProgram& program, const Value& v, std::uint32_t enum_id);
// The same, written into `out` (a trace's operand, filled in place).
void show_value(const CompiledProgram& program, const Value& v, std::uint32_t enum_id, TraceValue& out);

// "decimal", "integer", "date", "string", "bool", or the enumeration's name.
std::string output_type_name(const CompiledProgram& program, const ir::Output& output);

// The obligations of `outcome` (EvalResult::obligations), filled in place like to_values.
void to_obligations(const CompiledProgram& program, const Outcome& outcome, std::vector<Obligation>& obligations);

// True when two outcomes of one program give every output the same state and value, hence the same text in
// EvalResult::values (a value's text is exact: equal values, and only they, show alike).
bool same_values(const Outcome& a, const Outcome& b);

// The outputs' values of `outcome`, by name (EvalResult::values).
void to_values(const CompiledProgram& program, const Outcome& outcome, std::vector<OutputValue>& values);

// Fills the decision fields of `result` from `outcome` (strings are copied).
void to_result(const CompiledProgram& program, const Outcome& outcome, EvalResult& result);

}  // namespace edict::eval
