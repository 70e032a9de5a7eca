// A small side evaluator of expression nodes over an explicit fact assignment, used by the witness search
// (interp/analysis/witness.cpp) to solve derived values for their facts and to tell which checks of the
// changed rules hold for a case. It never decides: decisions always come from Policy::evaluate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edict/date.hpp"
#include "core/number.hpp"
#include "ir/program.hpp"

namespace edict::analysis {

using core::Integer;
using core::Rational;

struct MiniValue {
  enum class Kind : std::uint8_t { kUnknown, kBool, kNumber, kString, kDate, kEnum };
  Kind kind = Kind::kUnknown;
  bool boolean = false;
  std::int64_t integer = 0;  // date days, enum member
  Rational number;
  std::string string;
  bool known() const { return kind != Kind::kUnknown; }
  static MiniValue of_bool(bool b) {
    MiniValue v;
    v.kind = Kind::kBool;
    v.boolean = b;
    return v;
  }
};

// One value per fact slot of the program; null = absent (defaults apply).
using MiniFacts = std::vector<const MiniValue*>;

class MiniEval {
 public:
  MiniEval(const CompiledProgram& program, Date as_of, Date rules_as_of, const MiniFacts& facts)
      : p_(program), as_of_(as_of), rules_(rules_as_of), facts_(facts) {}

  // With the result's classifications (sorted), `classified` checks are known; with a record, every check
  // (comparison, membership, presence test, boolean fact) that is evaluated writes its truth there, so that
  // short-circuited checks are absent as in a trace.
  const std::vector<std::string>* classes = nullptr;
  std::vector<std::pair<std::uint32_t, char>>* record = nullptr;

  MiniValue eval(std::uint32_t node) const;
  // Membership of an element (an enum member index, or a string) in a set node as of the dates.
  bool contains(std::uint32_t set_node, const MiniValue& element) const;
  bool group_contains(const ir::Group& group, const MiniValue& element) const;

 private:
  MiniValue fact(std::uint32_t slot) const;
  MiniValue eval_node(std::uint32_t node) const;
  MiniValue compare(const ir::Node& node) const;

  const CompiledProgram& p_;
  Date as_of_;
  Date rules_;
  const MiniFacts& facts_;
};

bool member_as_of(const std::vector<ir::MembershipEvent>& events, Date as_of, Date rules_as_of);

}  // namespace edict::analysis
