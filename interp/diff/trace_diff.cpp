// The trace diff of one changed case (edict::diff_traces): the two traces' blocks and steps aligned.
#include <algorithm>
#include <cstdint>
#include <utility>

#include "diff/trace_blocks.hpp"
#include "edict/diff.hpp"
#include "edict/render.hpp"

namespace edict {

namespace {

using diff::Block;

// Longest common subsequence alignment: pairs (i, j), with -1 for a missing side, in merged order.
std::vector<std::pair<int, int>> align(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::uint32_t>> l(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      l[i][j] = a[i] == b[j] ? l[i + 1][j + 1] + 1 : std::max(l[i + 1][j], l[i][j + 1]);
    }
  }
  std::vector<std::pair<int, int>> out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.emplace_back(static_cast<int>(i++), static_cast<int>(j++));
    } else if (j < m && (i == n || l[i][j + 1] >= l[i + 1][j])) {
      out.emplace_back(-1, static_cast<int>(j++));
    } else {
      out.emplace_back(static_cast<int>(i++), -1);
    }
  }
  return out;
}

bool same_step(const TraceStep& a, const TraceStep& b) {
  // defined_by is not compared: two policy files name their base files differently.
  return trace_text(a) == trace_text(b) && a.result == b.result && trace_detail(a) == trace_detail(b) &&
         trace_window(a) == trace_window(b);
}

// One diff step of two paired steps (either may be missing).
TraceDiffStep paired(const TraceStep* old_step, const TraceStep* new_step) {
  TraceDiffStep d;
  if (old_step) d.old_step = *old_step;
  if (new_step) d.new_step = *new_step;
  d.mark = !old_step ? '+' : !new_step ? '-' : same_step(*old_step, *new_step) ? ' ' : '~';
  return d;
}

void add_children(const Block* o, const Block* n, std::vector<TraceDiffStep>& out) {
  static const std::vector<const TraceStep*> none;
  const auto& oc = o ? o->children : none;
  const auto& nc = n ? n->children : none;
  for (const auto& [i, j] : align(diff::child_keys(oc), diff::child_keys(nc))) {
    out.push_back(paired(i >= 0 ? oc[static_cast<std::size_t>(i)] : nullptr,
                         j >= 0 ? nc[static_cast<std::size_t>(j)] : nullptr));
  }
}

}  // namespace

std::vector<TraceDiffStep> diff_traces(const Trace& old_trace, const Trace& new_trace) {
  std::vector<TraceDiffStep> out;
  const auto ob = diff::blocks_of(old_trace), nb = diff::blocks_of(new_trace);
  std::vector<std::string> ok, nk;
  for (const auto& b : ob) ok.push_back(diff::block_key(b));
  for (const auto& b : nb) nk.push_back(diff::block_key(b));
  // The steps outside any rule (the decision) come last.
  auto pairs = align(ok, nk);
  std::stable_partition(pairs.begin(), pairs.end(), [&](const std::pair<int, int>& p) {
    return !(p.first == 0 || p.second == 0);
  });
  for (const auto& [i, j] : pairs) {
    const Block* o = i >= 0 ? &ob[static_cast<std::size_t>(i)] : nullptr;
    const Block* n = j >= 0 ? &nb[static_cast<std::size_t>(j)] : nullptr;
    if ((o && o->head) || (n && n->head)) out.push_back(paired(o ? o->head : nullptr, n ? n->head : nullptr));
    add_children(o, n, out);
  }
  return out;
}

}  // namespace edict
