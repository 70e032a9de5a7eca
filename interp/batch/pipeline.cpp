// Batch evaluation (edict::run_batch, edict/batch.hpp): the calling thread reads blocks of lines and writes
// the finished blocks in input order, while worker threads evaluate blocks, each with its own
// BatchLineEvaluator (Session and buffers, reused). At most max_blocks blocks exist: when all are in flight,
// the reader waits for the oldest, writes it and refills it, so memory does not grow with the input.
#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/line_reader.hpp"
#include "edict/batch.hpp"

namespace edict {

namespace {

// A block stops taking lines once its text reaches this size (long lines), besides options.block_lines.
constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

struct Line {
  std::size_t begin = 0;
  std::size_t size = 0;
  std::size_t number = 0;  // 1-based input line number
  bool too_long = false;
};

// A unit of work: some consecutive input lines and, once evaluated, their output lines.
struct Block {
  std::string text;  // the lines' bytes, back to back
  std::vector<Line> lines;
  std::string output;
  std::size_t errors = 0;
  bool done = false;  // evaluated; guarded by the pipeline's mutex
};

// Refills `block` with the next lines (at least one unless the input is exhausted); `line_number` counts the
// lines read so far.
void fill_block(core::LineReader& reader, Block& block, const BatchOptions& options, std::size_t& line_number) {
  block.text.clear();
  block.lines.clear();
  const std::size_t max_lines = std::max<std::size_t>(1, options.block_lines);
  while (block.lines.size() < max_lines && block.text.size() < kBlockBytes) {
    const std::size_t begin = block.text.size();
    const auto status = reader.next(block.text);
    if (status == core::LineReader::Status::kEnd) return;
    block.lines.push_back(
        {begin, block.text.size() - begin, ++line_number, status == core::LineReader::Status::kTooLong});
  }
}

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
  const std::string_view text = block.text;
  for (const Line& line : block.lines) {
    const std::size_t begin = block.output.size();
    if (line.too_long) {
      evaluator.append_too_long(block.output);
      block.output += '\n';
    } else if (evaluator.append_line(text.substr(line.begin, line.size), block.output)) {
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
  summary.lines += block.lines.size();
  summary.errors += block.errors;
}

BatchSummary run_serial(const Policy& policy, std::istream& in, std::ostream& out, const BatchOptions& options) {
  BatchSummary summary;
  core::LineReader reader(in, options.max_line_bytes);
  BatchLineEvaluator evaluator(policy, options);
  Block block;
  std::size_t line_number = 0;
  for (;;) {
    fill_block(reader, block, options, line_number);
    if (block.lines.empty() || summary.write_failed) break;
    evaluate_block(evaluator, block);
    write_block(out, block, summary);
  }
  summary.read_failed = reader.failed();
  return summary;
}

// The threaded pipeline: the calling thread reads and writes, `options.threads` workers evaluate.
class Pipeline {
 public:
  Pipeline(const Policy& policy, const BatchOptions& options) : policy_(policy), options_(options) {}
  ~Pipeline() { stop(); }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  BatchSummary run(std::istream& in, std::ostream& out);

 private:
  void work();
  void submit(Block& block);
  void wait_done(Block& block);
  bool is_done(Block& block);
  Block* free_block();
  void write_oldest(std::ostream& out);
  void stop();

  const Policy& policy_;
  const BatchOptions& options_;
  std::vector<std::unique_ptr<Block>> blocks_;  // INVARIANT: declared before workers_, destroyed after them
  std::vector<Block*> free_;
  std::deque<Block*> in_flight_;  // submitted, oldest first: written in this order
  BatchSummary summary_;

  std::mutex mutex_;
  std::condition_variable job_ready_, block_done_;
  std::deque<Block*> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

void Pipeline::work() {
  BatchLineEvaluator evaluator(policy_, options_);
  for (;;) {
    Block* block = nullptr;
    {
      std::unique_lock lock(mutex_);
      job_ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      block = jobs_.front();
      jobs_.pop_front();
    }
    evaluate_block(evaluator, *block);
    {
      std::lock_guard lock(mutex_);
      block->done = true;
    }
    block_done_.notify_all();
  }
}

void Pipeline::submit(Block& block) {
  {
    std::lock_guard lock(mutex_);
    block.done = false;
    jobs_.push_back(&block);
  }
  job_ready_.notify_one();
  in_flight_.push_back(&block);
}

void Pipeline::wait_done(Block& block) {
  std::unique_lock lock(mutex_);
  block_done_.wait(lock, [&] { return block.done; });
}

bool Pipeline::is_done(Block& block) {
  std::lock_guard lock(mutex_);
  return block.done;
}

// A block to fill: a free one, a new one while fewer than max_blocks exist, else the oldest in flight once it
// is written (by the caller: nullptr then).
Block* Pipeline::free_block() {
  if (!free_.empty()) {
    Block* block = free_.back();
    free_.pop_back();
    return block;
  }
  const std::size_t max_blocks = options_.max_blocks != 0 ? options_.max_blocks : 2 * options_.threads + 2;
  if (blocks_.size() < std::max<std::size_t>(2, max_blocks)) {
    blocks_.push_back(std::make_unique<Block>());
    return blocks_.back().get();
  }
  return nullptr;
}

void Pipeline::write_oldest(std::ostream& out) {
  Block* oldest = in_flight_.front();
  wait_done(*oldest);
  write_block(out, *oldest, summary_);
  in_flight_.pop_front();
  free_.push_back(oldest);
}

BatchSummary Pipeline::run(std::istream& in, std::ostream& out) {
  for (std::size_t i = 0; i < options_.threads; ++i) workers_.emplace_back([this] { work(); });
  core::LineReader reader(in, options_.max_line_bytes);
  std::size_t line_number = 0;
  while (!summary_.write_failed) {
    Block* block = free_block();
    if (block == nullptr) {
      write_oldest(out);
      continue;
    }
    fill_block(reader, *block, options_, line_number);
    if (block->lines.empty()) {
      free_.push_back(block);
      break;
    }
    submit(*block);
    // Write what is already finished, so that output flows while the workers are busy.
    while (!in_flight_.empty() && is_done(*in_flight_.front())) write_oldest(out);
  }
  while (!in_flight_.empty()) write_oldest(out);  // after a write failure, only waits for the workers
  summary_.read_failed = reader.failed();
  stop();
  return summary_;
}

void Pipeline::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  job_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
  workers_.clear();
}

}  // namespace

BatchSummary run_batch(const Policy& policy, std::istream& in, std::ostream& out, const BatchOptions& options) {
  BatchOptions checked = options;
  checked.threads = std::clamp<std::size_t>(options.threads, 1, 256);
  BatchSummary summary;
  if (checked.threads == 1) {
    summary = run_serial(policy, in, out, checked);
  } else {
    Pipeline pipeline(policy, checked);
    summary = pipeline.run(in, out);
  }
  out.flush();
  if (!out) summary.write_failed = true;
  return summary;
}

}  // namespace edict
