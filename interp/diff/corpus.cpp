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

// A block stops taking lines once its text reaches this size (long lines), besides DiffOptions::chunk_lines.
constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

// The lines longer than the facts limit: skipped unread, reported as bad lines (DiffAccumulator keeps the
// others).
class TooLongLines {
 public:
  TooLongLines(std::size_t max_bytes, std::size_t max_kept) : max_bytes_(max_bytes), max_kept_(max_kept) {}

  void note(const core::LineBlock& block) {
    for (const auto& line : block.lines) {
      if (!line.too_long) continue;
      ++count_;
      if (first_.size() < max_kept_) first_.push_back(line.number);
    }
  }

  void add_errors(DiffReport& report) const {
    report.errors += count_;
    auto& kept = report.first_errors;
    for (const auto line : first_) {
      kept.push_back({line, {}, fmt::format("line longer than {} bytes (the facts limit); skipped", max_bytes_)});
    }
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    if (kept.size() > max_kept_) kept.resize(max_kept_);
  }

 private:
  std::size_t max_bytes_;
  std::size_t max_kept_;
  std::size_t count_ = 0;
  std::vector<std::size_t> first_;  // the first max_kept_ of them
};

void add_block(DiffAccumulator& accumulator, const core::LineBlock& block) {
  for (const auto& line : block.lines) {
    if (!line.too_long) accumulator.add_line(block.at(line), line.number);
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
  TooLongLines too_long(max_bytes, options.max_errors_kept);
  const auto next_block = [&](core::LineBlock& block) {
    if (!reader.fill(block, options.chunk_lines, kBlockBytes)) return false;
    too_long.note(block);
    return true;
  };
  DiffAccumulator total(old_policy, new_policy, options);
  if (options.threads <= 1) {
    for (core::LineBlock block; next_block(block);) add_block(total, block);
  } else {
    std::vector<DiffAccumulator> partial;  // one per worker, merged at the end; 3 blocks per worker in flight
    for (std::size_t t = 0; t < options.threads; ++t) partial.emplace_back(old_policy, new_policy, options);
    core::WorkerPool(static_cast<unsigned>(options.threads))
        .stream<core::LineBlock>(
            3 * options.threads, next_block,
            [&](unsigned worker, const core::LineBlock& block) { add_block(partial[worker], block); },
            [](const core::LineBlock&) {});
    for (auto& p : partial) total.merge(std::move(p));
  }
  auto report = std::move(total).finish();
  too_long.add_errors(report);
  return report;
}

}  // namespace edict
