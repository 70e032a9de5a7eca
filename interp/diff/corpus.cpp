// Reading a corpus and diffing it (edict::diff_corpus): lines are read on the calling thread and handed in
// chunks to the worker pool, each worker with its own accumulator; the accumulators are merged at the end.
#include <algorithm>

#include <fmt/format.h>

#include "core/line_reader.hpp"
#include "core/worker_pool.hpp"
#include "edict/diff.hpp"

namespace edict {

namespace {

// Some consecutive lines of the corpus.
struct CorpusChunk {
  std::vector<std::size_t> numbers;  // each line's number (too-long lines leave gaps)
  std::vector<std::string> lines;
};

// Lines of a corpus, numbered from 1, read with the batch's bounded reader: a line longer than `max_bytes`
// is skipped piece by piece (never held in memory) and kept as a bad line. A read error stops the reading
// and leaves the stream bad(), for the caller to report.
class CorpusReader {
 public:
  CorpusReader(std::istream& in, std::size_t max_bytes, std::size_t max_kept)
      : reader_(in, max_bytes), max_bytes_(max_bytes), max_kept_(max_kept) {}

  // The next line that was not too long into `line`; false at the end of the input (or a read error).
  bool next(std::string& line) {
    for (;;) {
      line.clear();
      const auto status = reader_.next(line);
      if (status == core::LineReader::Status::kEnd) return false;
      ++line_number_;
      if (status == core::LineReader::Status::kLine) return true;
      ++too_long_count_;
      if (too_long_.size() < max_kept_) too_long_.push_back(line_number_);
    }
  }
  std::size_t line_number() const { return line_number_; }

  // Refills `chunk` with up to `lines` lines; false when there were none left.
  bool fill(CorpusChunk& chunk, std::size_t lines) {
    chunk.numbers.clear();
    chunk.lines.clear();
    for (std::string line; chunk.lines.size() < lines && next(line);) {
      chunk.lines.push_back(std::move(line));
      chunk.numbers.push_back(line_number_);
    }
    return !chunk.lines.empty();
  }

  // Adds the too-long lines to the report as bad lines, as DiffAccumulator keeps its own.
  void add_errors(DiffReport& report) const {
    report.errors += too_long_count_;
    auto& kept = report.first_errors;
    for (const auto line : too_long_) {
      kept.push_back({line, {}, fmt::format("line longer than {} bytes (the facts limit); skipped", max_bytes_)});
    }
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    if (kept.size() > max_kept_) kept.resize(max_kept_);
  }

 private:
  core::LineReader reader_;
  std::size_t max_bytes_;
  std::size_t max_kept_;
  std::size_t line_number_ = 0;
  std::size_t too_long_count_ = 0;
  std::vector<std::size_t> too_long_;  // the first max_kept_ of them
};

// The accumulators of `threads` workers, merged into `total`; at most 3 chunks per worker in flight.
void diff_with_workers(CorpusReader& reader, DiffAccumulator& total, const Policy& old_policy,
                       const Policy& new_policy, const DiffOptions& options, std::size_t threads) {
  const std::size_t chunk_lines = std::max<std::size_t>(1, options.chunk_lines);
  std::vector<DiffAccumulator> partial;
  partial.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) partial.emplace_back(old_policy, new_policy, options);
  core::WorkerPool(static_cast<unsigned>(threads))
      .stream<CorpusChunk>(
          3 * threads, [&](CorpusChunk& chunk) { return reader.fill(chunk, chunk_lines); },
          [&](unsigned worker, CorpusChunk& chunk) {
            for (std::size_t i = 0; i < chunk.lines.size(); ++i) partial[worker].add_line(chunk.lines[i], chunk.numbers[i]);
          },
          [](CorpusChunk&) {});
  for (auto& p : partial) total.merge(std::move(p));
}

}  // namespace

// A line is a facts document: it may be as long as the facts limit of the policies (the smaller one), no
// longer. A read error leaves `in` bad(): the report then covers only the lines before it, and the caller
// (`edict diff`) must not take it for the whole corpus.
DiffReport diff_corpus(const Policy& old_policy, const Policy& new_policy, std::istream& in,
                       const DiffOptions& options) {
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  CorpusReader reader(in, std::min(old_policy.limits().facts_bytes, new_policy.limits().facts_bytes),
                      options.max_errors_kept);
  DiffAccumulator total(old_policy, new_policy, options);
  if (threads == 1) {
    for (std::string line; reader.next(line);) total.add_line(line, reader.line_number());
  } else {
    diff_with_workers(reader, total, old_policy, new_policy, options, threads);
  }
  auto report = std::move(total).finish();
  reader.add_errors(report);
  return report;
}

}  // namespace edict
