// `edict eval --cases`: a JSONL batch, all at once (threads) or a line at a time (see eval_args.hpp).
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/eval_args.hpp"
#include "cli/progress.hpp"
#include "cli/receipt_file.hpp"
#include "core/line_reader.hpp"

namespace edict::cli {

namespace {

// Whether the cases arrive a line at a time: standard input that is a pipe, a socket or a terminal, or a
// named pipe or socket.
bool interactive_input(const std::string& path) {
  struct stat st {};
  if (path == "-") {
    if (::isatty(STDIN_FILENO)) return true;
    if (::fstat(STDIN_FILENO, &st) != 0) return false;
  } else if (::stat(path.c_str(), &st) != 0) {
    return false;
  }
  return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
}

// `--cases` a line at a time: each line is read, evaluated and its output line written (and, when `flush`,
// flushed) before the next is read, so a host that writes one case and waits gets its answer. Same bytes as
// edict::run_batch: an error object gets its 1-based line number as `"line":N` before `"error"` (the text
// `"error":` cannot occur earlier in the line: inside a JSON string its quotes are escaped). Each line also
// goes to `receipts` when there are some.
int run_line_by_line(const Policy& policy, InputFile& input, const BatchOptions& options, bool flush,
                     BatchReceipts* receipts) {
  core::LineReader reader(input.stream(), options.max_line_bytes);
  reader.set_eager(flush);
  BatchLineEvaluator evaluator(policy, options);
  std::string line;
  std::string out;
  std::size_t number = 0;
  for (;;) {
    line.clear();
    const auto status = reader.next(line);
    if (status == core::LineReader::Status::kEnd) break;
    ++number;
    out.clear();
    bool ok = false;
    if (status == core::LineReader::Status::kTooLong) {
      evaluator.append_too_long(out);
      out += '\n';
    } else {
      ok = evaluator.append_line(line, out);
      if (receipts != nullptr) receipts->add(line);
    }
    if (const auto at = out.find("\"error\":"); !ok && at != std::string::npos) {
      out.insert(at, fmt::format("\"line\":{},", number));
    }
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (flush) std::cout.flush();
    if (!std::cout) return kUsage;  // main() reports the failed standard output
  }
  if (reader.failed() || input.failed()) {
    fmt::print(stderr, "edict: {} (after line {})\n", input.read_error(), number);
    return kUsage;
  }
  return kOk;
}

}  // namespace

int run_eval_batch(const Policy& policy, const EvalArgs& a) {
  InputFile input(a.cases);
  if (!input.ok()) {
    fmt::print(stderr, "edict: {}\n", input.problem().message);
    return kUsage;
  }
  BatchOptions options;
  options.threads = a.threads;
  options.as_of = a.as_of.value_or(Date::today_utc());
  options.rules_as_of = a.rules_as_of;
  options.trace = a.trace;
  options.max_line_bytes = a.max_line_bytes;
  const bool flush = a.line_buffered || interactive_input(a.cases);
  // On a terminal that shows the results, or where the cases are typed, the results are the progress.
  ProgressLine progress(a.quiet || ::isatty(STDOUT_FILENO) != 0 || (a.cases == "-" && ::isatty(STDIN_FILENO) != 0));
  input.show_progress(progress);
  if (!a.receipt.empty()) {
    // The records are written after the last line (whole or not at all): none when the input breaks off.
    BatchReceipts receipts(policy, options);
    const int code = run_line_by_line(policy, input, options, flush, &receipts);
    if (code != kOk) return code;
    return receipts.write(a.receipt).value_or(kOk);
  }
  if (flush) return run_line_by_line(policy, input, options, true, nullptr);
  const BatchSummary summary = edict::run_batch(policy, input.stream(), std::cout, options);
  if (summary.write_failed) return kUsage;  // main() reports the failed standard output
  if (summary.read_failed || input.failed()) {
    fmt::print(stderr, "edict: {} (after line {})\n", input.read_error(), summary.lines);
    return kUsage;
  }
  return kOk;
}

}  // namespace edict::cli
