// Batch evaluation (edict::run_batch, edict/batch.hpp): the calling thread reads blocks of lines and writes
// the finished blocks in input order, while the worker pool's threads evaluate blocks, each with its own
// BatchLineEvaluator (Session and buffers, reused). At most max_blocks blocks exist: when all are in flight,
// the reader waits for the oldest, writes it and refills it, so memory does not grow with the input.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "core/line_reader.hpp"
#include "core/worker_pool.hpp"
#include "edict/batch.hpp"

namespace edict {

namespace {

// A unit of work: some consecutive input lines and, once evaluated, their output lines.
struct Block {
  core::LineBlock input;
  std::string output;
  std::size_t errors = 0;
};

// Gives the error object that starts at `begin` of `out` (the last line there) its input line number:
// {"id":…,"line":N,"error":…}. Every error object has an "error" member, after "id" when there is one, and
// the text `"error":` cannot occur earlier: inside a JSON string its quotes would be escaped. Only the bytes
// of this one line move.
void insert_line_number(std::string& out, std::size_t begin, std::size_t number) {
  const auto at = out.find("\"error\":", begin);
  if (at == std::string::npos) return;
  char field[32];
  const int n = std::snprintf(field, sizeof field, "\"line\":%zu,", number);
  out.insert(at, field, static_cast<std::size_t>(n));
}

void evaluate_block(BatchLineEvaluator& evaluator, Block& block) {
  block.output.clear();
  block.errors = 0;
  for (const auto& line : block.input.lines) {
    const std::size_t begin = block.output.size();
    if (line.too_long) {
      evaluator.append_too_long(block.output);
      block.output += '\n';
    } else if (evaluator.append_line(block.input.at(line), block.output)) {
      continue;
    }
    insert_line_number(block.output, begin, line.number);
    ++block.errors;
  }
}

void write_block(std::ostream& out, const Block& block, BatchSummary& summary) {
  if (summary.write_failed) return;
  out.write(block.output.data(), static_cast<std::streamsize>(block.output.size()));
  if (!out) {
    summary.write_failed = true;
    return;
  }
  summary.lines += block.input.lines.size();
  summary.errors += block.errors;
}

BatchSummary run_serial(const Policy& policy, std::istream& in, std::ostream& out, const BatchOptions& options) {
  BatchSummary summary;
  core::LineReader reader(in, options.max_line_bytes);
  BatchLineEvaluator evaluator(policy, options);
  Block block;
  while (!summary.write_failed && reader.fill(block.input, options.block_lines)) {
    evaluate_block(evaluator, block);
    write_block(out, block, summary);
  }
  summary.read_failed = reader.failed();
  return summary;
}

// The calling thread reads and writes blocks in input order; `options.threads` workers evaluate them, each with
// its own BatchLineEvaluator (made on the worker's thread, at its first block).
BatchSummary run_threaded(const Policy& policy, std::istream& in, std::ostream& out, const BatchOptions& options) {
  BatchSummary summary;
  core::LineReader reader(in, options.max_line_bytes);
  std::vector<std::optional<BatchLineEvaluator>> evaluators(options.threads);
  const std::size_t max_blocks = options.max_blocks != 0 ? options.max_blocks : 2 * options.threads + 2;
  core::WorkerPool(static_cast<unsigned>(options.threads))
      .stream<Block>(
          std::max<std::size_t>(2, max_blocks),
          [&](Block& block) { return !summary.write_failed && reader.fill(block.input, options.block_lines); },
          [&](unsigned worker, Block& block) {
            auto& evaluator = evaluators[worker];
            if (!evaluator) evaluator.emplace(policy, options);
            evaluate_block(*evaluator, block);
          },
          [&](Block& block) { write_block(out, block, summary); });  // after a write failure, only waits
  summary.read_failed = reader.failed();
  return summary;
}

}  // namespace

BatchSummary run_batch(const Policy& policy, std::istream& in, std::ostream& out, const BatchOptions& options) {
  BatchOptions checked = options;
  checked.threads = std::clamp<std::size_t>(options.threads, 1, 256);
  BatchSummary summary;
  if (checked.threads == 1) {
    summary = run_serial(policy, in, out, checked);
  } else {
    summary = run_threaded(policy, in, out, checked);
  }
  out.flush();
  if (!out) summary.write_failed = true;
  return summary;
}

}  // namespace edict
