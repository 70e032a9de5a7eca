// A progress line for long work (issue 16 item 5): on standard error, only when it is a terminal and the
// command was not given --quiet, never on standard output. One line, rewritten in place at most five times a
// second and erased when the work ends, so what a pipe or a file receives is the same with or without it.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

#include "edict/witness.hpp"

namespace edict::cli {

class ProgressLine {
 public:
  // Shown when standard error is a terminal and not `quiet`.
  explicit ProgressLine(bool quiet);
  ~ProgressLine();  // erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool shown() const { return shown_; }
  // Put before what follows, e.g. "2023-10-17 (3 of 15): " for one amendment of a changelog. Restarts the
  // rate and time-left estimates, which belong to one piece of work.
  void stage(std::string prefix);
  // A witness search: "N / TOTAL cases, R/s, T s left, K regions so far".
  void search(const WitnessProgress& p);
  // A corpus read line by line: "N cases read, R/s", plus "P% of the input, T s left" when its size is known.
  void input(std::size_t lines, std::size_t bytes, std::optional<std::size_t> total_bytes);
  // Erases the line (before the report is printed on a terminal that shows both).
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  // Whether to draw now (the first call, then every 200 ms, and always at the end of the work); also gives
  // the seconds since the stage began.
  bool due(bool at_end, double& seconds);
  void draw(const std::string& text);

  bool shown_ = false;
  std::mutex mutex_;  // a search reports from its worker threads
  std::string prefix_;
  Clock::time_point start_ = Clock::now();
  std::optional<Clock::time_point> last_;
  bool drawn_ = false;
};

}  // namespace edict::cli
