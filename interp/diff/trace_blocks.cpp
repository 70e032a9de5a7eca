// A trace seen as blocks, and the keys that pair steps of two traces (see trace_blocks.hpp).
#include "diff/trace_blocks.hpp"

#include <cstdint>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "edict/render.hpp"

namespace edict::diff {

using Kind = TraceStep::Kind;

bool is_entity(const TraceStep& s) { return s.kind == Kind::kRule || s.kind == Kind::kExemption; }

bool is_comparison(const TraceStep& s) { return s.kind == Kind::kCheck && s.check == TraceStep::Check::kCompare; }

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
  return std::string(trace_kind_name(b.head->kind)) + " " + std::string(b.head->subject);
}

namespace {

// The check with its bounds blanked: the same comparison in two versions whose threshold moved.
std::string check_skeleton(const TraceStep& s) {
  if (!is_comparison(s)) return trace_text(s);
  std::string out;
  for (const auto& o : s.operands) {
    out += (o.op.empty() ? "" : " ? ") + (o.bound ? std::string("#") : trace_operand_text(o));
  }
  return out;
}

std::string child_key(const TraceStep& s) {
  if (s.kind == Kind::kCheck) return "check " + check_skeleton(s);
  if (s.kind == Kind::kDecision) return "decision";
  return std::string(trace_kind_name(s.kind)) + " " + std::string(s.subject);
}

}  // namespace

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

bool same_outcome(const TraceStep& a, const TraceStep& b) {
  return a.outcome == b.outcome && a.reason == b.reason && a.classifies == b.classifies;
}

}  // namespace edict::diff
