// A trace seen as blocks: each rule or exemption step with the steps nested under it, keyed so that the
// blocks and steps of two versions' traces can be paired (shared by the causes and the trace diff).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edict/result.hpp"

namespace edict::diff {

// A rule or exemption step with the steps nested under it (not counting nested rules / exemptions), or the
// top-level steps that belong to no rule (head == nullptr).
struct Block {
  const TraceStep* head = nullptr;
  std::vector<const TraceStep*> children;
};

bool is_entity(const TraceStep& step);  // a rule or an exemption
bool is_comparison(const TraceStep& step);
// [0]: the steps outside any rule; then one block per rule or exemption step, in trace order.
std::vector<Block> blocks_of(const Trace& trace);
std::string block_key(const Block& block);  // "rule x", "(top)"
// The comparison without the facts' values: "product.tpp >= 4800" (a value printed otherwise than exactly
// stays).
std::string comparison_shape(const TraceStep& step);
// The keys of steps for pairing, made unique by occurrence: "check x#2". A check's key has its bounds
// blanked, so that the same comparison in two versions whose threshold moved pairs up.
std::vector<std::string> child_keys(const std::vector<const TraceStep*>& steps);
bool same_outcome(const TraceStep& a, const TraceStep& b);

// "decision [classification,...]" (result_summary; a transition is "OLD -> NEW").
template <class Classifications>
std::string summary_of(std::string_view decision, const Classifications& classifications) {
  std::string out(decision);
  out += " [";
  for (std::size_t i = 0; i < classifications.size(); ++i) (out += i ? "," : "") += classifications[i];
  return out + "]";
}

}  // namespace edict::diff
