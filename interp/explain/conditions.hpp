// Internal to interp/explain/: a rule's compiled condition read together with its block of the trace. The
// parts, one job per file:
//   conditions.cpp  blocks of a trace, condition trees, deciding paths, the text of a leaf
//   explain.cpp     `--explain`: the deciding path of a decision, as text and JSON
//   nearest.cpp     the nearest value of one fact that flips a failed check (exact decimals)
//   why_not.cpp     `--why-not OUTCOME`: the paths to an outcome and the smallest change found
//   what_if.cpp     `--what-if`: two traced evaluations and their difference (diff.hpp)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/internals.hpp"
#include "edict/explain.hpp"
#include "ir/program.hpp"

namespace edict::answers {

// A rule's or exemption's step and the steps under it.
struct Block {
  const TraceStep* head = nullptr;
  std::vector<const TraceStep*> steps;
  // The first check of `node` in the block (`not x` of a boolean is recorded at x's node, as kNot).
  const TraceStep* check_of(std::uint32_t node) const;
};

// The rule and exemption blocks of a trace, in trace order.
std::vector<Block> blocks_of(const Trace& trace);
const Block* find_block(const std::vector<Block>& blocks, std::string_view name);

// The rulebook date an evaluation read (absent rules_as_of: the latest).
Date rulebook_date(const EvalResult& result);

// Entities by name, and the version of one in a rulebook.
class Entities {
 public:
  explicit Entities(const CompiledProgram& program);
  std::uint32_t index(std::string_view name) const;  // ir::kNone when unknown
  const ir::RuleVersion* version(std::string_view name, Date rules) const;
  const CompiledProgram& program() const { return p_; }

 private:
  const CompiledProgram& p_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// The condition `node` as evaluated in `block` (connectives flattened: `a and (b and c)` is all of a, b, c).
ConditionNode condition_tree(const CompiledProgram& program, std::uint32_t node, const Block& block);
// Only the operands that decided each connective's truth (all of a true `and`, the first false operand of a
// false one, ...); the others are counted in `omitted`.
ConditionNode deciding_path(const ConditionNode& tree);
// The leaves of a tree, in order.
void leaves_of(const ConditionNode& tree, std::vector<const ConditionNode*>& out);

// "true" / "false" / "unknown".
const char* truth_word(TraceStep::Truth truth);
// A leaf as one line: "product.tpp 15832 >= 4800 -> true  [product.tpp: given]", with its detail (group
// members, the rules that classified a label) and where each fact came from (given, default, missing).
std::string leaf_line(const TraceStep& check);
// Where the facts of a check came from, as JSON objects [{"fact", "value"?, "provenance", "from"?}].
std::string leaf_facts_json(const TraceStep& check);
// A condition tree as JSON {"kind", "truth", "evaluated", "text"?, "result"?, "detail"?, "facts"?,
// "children"?, "omitted"?}.
void append_condition_json(std::string& out, const ConditionNode& node);
// A condition tree as indented text lines (`indent` spaces before the first level).
void append_condition_text(std::string& out, const ConditionNode& node, std::size_t indent, bool root);

// A check that should have evaluated to `want`: what it needs, and the nearest value of each fact that alone
// flips it (nearest.cpp). `facts` are the facts evaluated (a derived value's other operands are read there).
FailedCondition failed_condition(const CompiledProgram& program, const ConditionNode& leaf, bool want,
                                 const Facts& facts);
// A FactValue as JSON text (4800, "CN", true).
std::string value_json(const FactValue& value);

// Policy text as printed (control characters escaped).
std::string shown(std::string_view text);

}  // namespace edict::answers
