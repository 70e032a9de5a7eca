// The decision log: one line per decision, appended to a file by a background writer thread fed through a
// bounded queue. Woken by the first line, the writer gathers lines for up to 2 ms (less when 256 pile up) and
// writes them with one write() (group commit: no thread wake-up per request under load). A request only moves its line into the queue; when the queue is full it waits for room at
// most `max_wait`, then the line is dropped and counted (LogFigures::dropped), so a stalled disk never holds
// a request for long. Lines are written whole: a write that fails part way is cut back to the last full line.
// Size-based rotation: before a line would take FILE past max_bytes, FILE.(keep-1) -> FILE.keep, ...,
// FILE -> FILE.1, and a new FILE is started. close() writes every queued line, syncs and stops the writer.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "serve/metrics.hpp"

namespace edict::serve {

struct DecisionLogOptions {
  std::string path;
  std::uint64_t max_bytes = 0;  // 0: never rotate
  unsigned keep = 5;            // rotated files kept (at least 1)
  std::size_t queue_lines = std::size_t{1} << 16;
  std::chrono::milliseconds max_wait{1000};
};

class DecisionLog {
 public:
  // Opens (creates, or appends to) the file and starts the writer; null and *error ("cannot open `PATH`:
  // REASON") when the file cannot be opened.
  static std::unique_ptr<DecisionLog> open(const DecisionLogOptions& options, std::string* error);
  ~DecisionLog();  // close()
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  // Queues one line (without its `\n`). False when it was dropped (the queue stayed full, or closed).
  bool append(std::string line);
  // Writes every queued line, syncs the file and stops the writer. Idempotent.
  void close();
  LogFigures figures() const;

 private:
  DecisionLog(const DecisionLogOptions& options, int fd, std::uint64_t size);
  void run();
  void write_lines(std::vector<std::string>& lines);
  bool write_all(const std::string& bytes);
  bool rotate();
  std::size_t wake_lines() const { return std::max<std::size_t>(1, std::min<std::size_t>(256, options_.queue_lines / 4)); }
  void report(const std::string& what);

  DecisionLogOptions options_;
  int fd_ = -1;
  std::uint64_t size_ = 0;  // bytes of the current file, all of them whole lines
  mutable std::mutex mutex_;
  std::condition_variable has_lines_;
  std::condition_variable has_room_;
  std::vector<std::string> queue_;
  bool closing_ = false;
  std::uint64_t lines_ = 0, dropped_ = 0, rotations_ = 0, write_errors_ = 0;
  std::size_t writing_ = 0;  // lines taken by the writer, not yet written
  bool failing_ = false;     // the last write failed (reported once until one succeeds)
  bool writer_idle_ = false; // the writer waits for a first line (guarded by mutex_)
  std::thread writer_;
};

}  // namespace edict::serve
