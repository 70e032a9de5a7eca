// The decision-log writer (see decision_log.hpp).
#include "serve/decision_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace edict::serve {

namespace {
std::string describe(int error) { return std::strerror(error); }

// How often the writer writes what has been queued, when fewer than wake_lines() lines wait.
constexpr std::chrono::milliseconds kFlushInterval{2};

int open_append(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0640);
}
}  // namespace

std::unique_ptr<DecisionLog> DecisionLog::open(const DecisionLogOptions& options, std::string* error) {
  const int fd = open_append(options.path);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const int e = fd < 0 ? errno : (S_ISREG(st.st_mode) ? errno : EINVAL);
    if (fd >= 0) ::close(fd);
    *error = fmt::format("cannot open the decision log `{}`: {}", options.path,
                         e == EINVAL ? std::string("not a regular file") : describe(e));
    return nullptr;
  }
  auto log = std::unique_ptr<DecisionLog>(new DecisionLog(options, fd, static_cast<std::uint64_t>(st.st_size)));
  log->writer_ = std::thread([raw = log.get()] { raw->run(); });
  return log;
}

DecisionLog::DecisionLog(const DecisionLogOptions& options, int fd, std::uint64_t size)
    : options_(options), fd_(fd), size_(size) {
  if (options_.keep == 0) options_.keep = 1;
  if (options_.queue_lines == 0) options_.queue_lines = 1;
  queue_.reserve(options_.queue_lines);
}

DecisionLog::~DecisionLog() { close(); }

bool DecisionLog::append(std::string line) {
  std::unique_lock lock(mutex_);
  if (queue_.size() >= options_.queue_lines) {
    has_room_.wait_for(lock, options_.max_wait, [&] { return closing_ || queue_.size() < options_.queue_lines; });
  }
  if (closing_ || queue_.size() >= options_.queue_lines) {
    ++dropped_;
    return false;
  }
  queue_.push_back(std::move(line));
  // A request wakes the writer only when it sleeps with nothing to do, or when lines pile up: under load
  // the writer takes what accumulated every kFlushInterval, and requests do not pay a thread wake-up each.
  if ((writer_idle_ && queue_.size() == 1) || queue_.size() == wake_lines()) has_lines_.notify_one();
  return true;
}

void DecisionLog::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_ && !writer_.joinable()) return;
    closing_ = true;
  }
  has_lines_.notify_all();
  has_room_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (fd_ >= 0) {
    ::fsync(fd_);
    ::close(fd_);
    fd_ = -1;
  }
}

LogFigures DecisionLog::figures() const {
  std::lock_guard lock(mutex_);
  return {true, lines_, dropped_, rotations_, write_errors_, queue_.size() + writing_};
}

// The writer: takes every queued line at once and writes them; after close() it writes what is left, then
// stops. Lines queued before close() are all written (or counted as dropped when the writes fail).
void DecisionLog::run() {
  std::vector<std::string> batch;
  batch.reserve(options_.queue_lines);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      writer_idle_ = true;
      has_lines_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      writer_idle_ = false;
      // A little time for more lines to arrive, so that one write takes many.
      has_lines_.wait_for(lock, kFlushInterval, [&] { return closing_ || queue_.size() >= wake_lines(); });
      if (queue_.empty()) return;  // closing, and nothing left
      batch.swap(queue_);
      writing_ = batch.size();
    }
    has_room_.notify_all();
    write_lines(batch);
    batch.clear();
  }
}

// Writes the lines, rotating between lines as needed; one write per run of lines that fit the current file.
void DecisionLog::write_lines(std::vector<std::string>& lines) {
  std::string bytes;
  std::uint64_t pending = 0;  // lines in `bytes`
  const auto flush = [&] {
    if (pending == 0) return;
    const bool ok = write_all(bytes);
    std::lock_guard lock(mutex_);
    (ok ? lines_ : dropped_) += pending;
    writing_ -= static_cast<std::size_t>(pending);
    bytes.clear();
    pending = 0;
  };
  for (const auto& line : lines) {
    const std::uint64_t size = line.size() + 1;
    if (options_.max_bytes != 0 && size_ + bytes.size() + size > options_.max_bytes && size_ + bytes.size() > 0) {
      flush();
      if (size_ > 0) rotate();
    }
    bytes += line;
    bytes += '\n';
    ++pending;
  }
  flush();
}

// Appends `bytes` (whole lines) to the file. A failed or short write is cut back to the last whole line, so
// the file never ends in a torn line; false then.
bool DecisionLog::write_all(const std::string& bytes) {
  if (fd_ < 0) return false;
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = n < 0 ? errno : EIO;
      if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
        report(fmt::format("cannot cut a partly written line: {}", describe(errno)));
      }
      {
        std::lock_guard lock(mutex_);
        ++write_errors_;
      }
      if (!failing_) report(fmt::format("cannot write: {}; these lines are lost (counted as dropped)", describe(e)));
      failing_ = true;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  size_ += bytes.size();
  if (failing_) report("writing again");
  failing_ = false;
  return true;
}

// FILE.(keep-1) -> FILE.keep, ..., FILE -> FILE.1, then a new, empty FILE. On failure the current file is kept
// (it grows past max_bytes rather than losing lines).
bool DecisionLog::rotate() {
  const auto& path = options_.path;
  for (unsigned i = options_.keep; i > 1; --i) {
    const auto from = fmt::format("{}.{}", path, i - 1);
    if (::rename(from.c_str(), fmt::format("{}.{}", path, i).c_str()) != 0 && errno != ENOENT) {
      report(fmt::format("cannot rotate `{}`: {}", from, describe(errno)));
      return false;
    }
  }
  if (::rename(path.c_str(), (path + ".1").c_str()) != 0) {
    report(fmt::format("cannot rotate: {}", describe(errno)));
    return false;
  }
  const int fd = open_append(path);
  if (fd < 0) {
    report(fmt::format("cannot open a new file after rotating: {}; writing on to `{}.1`", describe(errno), path));
    return false;
  }
  ::fsync(fd_);
  ::close(fd_);
  fd_ = fd;
  size_ = 0;
  std::lock_guard lock(mutex_);
  ++rotations_;
  return true;
}

void DecisionLog::report(const std::string& what) {
  fmt::print(stderr, "edict serve: decision log `{}`: {}\n", options_.path, what);
}

}  // namespace edict::serve
