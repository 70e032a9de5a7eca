// Batch evaluation of JSONL cases (`edict eval --cases`): one JSON object per input line in, one JSON result
// per line out, in input order, whatever the number of threads.
//
// Input line: {"id": string or number (optional), "facts": {...}, "as_of": "YYYY-MM-DD" (optional),
// "rules_as_of": "YYYY-MM-DD" (optional)}. Lines end with `\n`; one `\r` before it is dropped; the last line
// needs no `\n`. Output line: render_json(result, id) of the evaluation, or for a line that cannot be
// evaluated an error object {"id"?, "line": N, "error": {"messages": [...]}} (N the 1-based input line, given
// by run_batch; plus "warnings" when the facts do not fit the schema). Every input line gives exactly one
// output line, whatever it contains.
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "edict/export.h"
#include "edict/date.hpp"
#include "edict/policy.hpp"

namespace edict {

struct EDICT_API BatchOptions {
  std::size_t threads = 1;          // evaluation threads, 1 to 256; 1 evaluates on the calling thread
  std::optional<Date> as_of;        // for lines without "as_of"; absent: such a line gets an error object
  std::optional<Date> rules_as_of;  // for lines without "rules_as_of"; absent = the latest rulebook
  bool trace = false;               // include each result's trace (much slower)
  // A longer line (bytes, without its `\n`) gives an error object; its content is skipped, never held in
  // memory as a whole.
  std::size_t max_line_bytes = std::size_t{1} << 20;
  std::size_t block_lines = 1024;   // lines per unit of work handed to a thread
  // At most this many blocks are in flight (read, being evaluated or waiting to be written); 0 = 2 per thread
  // plus 2. With block_lines and max_line_bytes this bounds memory, whatever the input size.
  std::size_t max_blocks = 0;
};

struct EDICT_API BatchSummary {
  std::size_t lines = 0;   // lines read = lines written (unless write_failed)
  std::size_t errors = 0;  // lines answered with an error object
  bool read_failed = false;   // the input stream went bad (not at its end): the lines before were processed
  bool write_failed = false;  // the output stream failed; processing stopped
};

// Reads every line of `in` and writes one result line per input line to `out`, in input order. Output bytes
// do not depend on options.threads. With threads > 1, a reader/writer (the calling thread) and `threads`
// workers (each with its own Session) overlap reading, evaluation and writing; blocks of lines move through
// bounded queues, so memory stays flat for any input size. `policy` must outlive the call; `in` and `out`
// are used only by the calling thread. Never throws for bad input lines (they give error objects).
EDICT_API BatchSummary run_batch(const Policy& policy, std::istream& in, std::ostream& out,
                                 const BatchOptions& options);

// Evaluates single lines as run_batch does: the state of one thread (a Session and reusable buffers). Not
// thread-safe; `policy` must outlive it.
class EDICT_API BatchLineEvaluator {
 public:
  BatchLineEvaluator(const Policy& policy, const BatchOptions& options);
  ~BatchLineEvaluator();
  BatchLineEvaluator(const BatchLineEvaluator&) = delete;
  BatchLineEvaluator& operator=(const BatchLineEvaluator&) = delete;

  // Appends the output line for `line` (without its `\n` and `\r`), followed by `\n`, to `out`. Returns false
  // when it is an error object (without "line": this evaluator does not know line numbers; run_batch adds
  // it). A line longer than options.max_line_bytes gives the too-long error.
  bool append_line(std::string_view line, std::string& out);
  // Appends the error object of a line that was too long (run_batch skips such a line's content).
  void append_too_long(std::string& out) const;
  // The output line for `line`, without the `\n`.
  std::string evaluate_line(std::string_view line);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace edict
