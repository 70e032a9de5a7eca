// Reading a corpus and diffing it (edict::diff_corpus): blocks of lines are read on the calling thread and,
// with several threads, handed to the worker pool, each worker with its own accumulator; the accumulators are
// merged at the end (the report does not depend on the split).
#include <algorithm>

#include <fmt/format.h>

#include "core/line_reader.hpp"
#include "core/worker_pool.hpp"
#include "edict/diff.hpp"

namespace edict {

namespace {

// A line longer than the facts limit was skipped unread: a bad line.
void add_block(DiffAccumulator& accumulator, const core::LineBlock& block, std::size_t max_bytes) {
  for (const auto& line : block.lines) {
    if (!line.too_long) {
      accumulator.add_line(block.at(line), line.number);
    } else {
      accumulator.add_error(line.number, {},
                            fmt::format("line longer than {} bytes (the facts limit); skipped", max_bytes));
    }
  }
}

}  // namespace

// A line is a facts document: it may be as long as the facts limit of the policies (the smaller one), no
// longer. A read error leaves `in` bad(): the report then covers only the lines before it, and the caller
// (`edict diff`) must not take it for the whole corpus.
DiffReport diff_corpus(const Policy& old_policy, const Policy& new_policy, std::istream& in,
                       const DiffOptions& options) {
  const std::size_t max_bytes = std::min(old_policy.limits().facts_bytes, new_policy.limits().facts_bytes);
  core::LineReader reader(in, max_bytes);
  const auto next_block = [&](core::LineBlock& block) { return reader.fill(block, options.chunk_lines); };
  DiffAccumulator total(old_policy, new_policy, options);
  if (options.threads <= 1) {
    for (core::LineBlock block; next_block(block);) add_block(total, block, max_bytes);
  } else {
    std::vector<DiffAccumulator> partial;  // one per worker, merged at the end; 3 blocks per worker in flight
    for (std::size_t t = 0; t < options.threads; ++t) partial.emplace_back(old_policy, new_policy, options);
    core::WorkerPool(static_cast<unsigned>(options.threads))
        .stream<core::LineBlock>(
            3 * options.threads, next_block,
            [&](unsigned worker, const core::LineBlock& block) { add_block(partial[worker], block, max_bytes); },
            [](const core::LineBlock&) {});
    for (auto& p : partial) total.merge(std::move(p));
  }
  return std::move(total).finish();
}

}  // namespace edict
