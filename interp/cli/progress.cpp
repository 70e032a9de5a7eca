// The progress line of long commands (progress.hpp).
#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace edict::cli {

namespace {

// "12 s left", or "" while no rate is known yet.
std::string time_left(double done, double total, double seconds) {
  if (done <= 0 || seconds <= 0 || total < done) return {};
  const double rate = done / seconds;
  return fmt::format(", {:.0f} s left", (total - done) / rate);
}

double per_second(std::size_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0;
}

}  // namespace

ProgressLine::ProgressLine(bool quiet) : shown_(!quiet && ::isatty(STDERR_FILENO) != 0) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::stage(std::string prefix) {
  std::lock_guard lock(mutex_);
  prefix_ = std::move(prefix);
  start_ = Clock::now();
  last_.reset();
}

void ProgressLine::search(const WitnessProgress& p) {
  double seconds = 0;
  if (!due(p.cases_done >= p.cases_total, seconds)) return;
  draw(fmt::format("{} / {} cases, {:.0f}/s{}, {} regions so far", p.cases_done, p.cases_total,
                   per_second(p.cases_done, seconds),
                   time_left(static_cast<double>(p.cases_done), static_cast<double>(p.cases_total), seconds),
                   p.regions));
}

void ProgressLine::input(std::size_t lines, std::size_t bytes, std::optional<std::size_t> total_bytes) {
  double seconds = 0;
  if (!due(total_bytes && bytes >= *total_bytes, seconds)) return;
  std::string text = fmt::format("{} cases read, {:.0f}/s", lines, per_second(lines, seconds));
  if (total_bytes && *total_bytes > 0) {
    text += fmt::format(", {}% of the input{}", bytes * 100 / *total_bytes,
                        time_left(static_cast<double>(bytes), static_cast<double>(*total_bytes), seconds));
  }
  draw(text);
}

void ProgressLine::clear() {
  std::lock_guard lock(mutex_);
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

bool ProgressLine::due(bool at_end, double& seconds) {
  if (!shown_) return false;
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  if (last_ && !at_end && now - *last_ < std::chrono::milliseconds(200)) return false;
  last_ = now;
  seconds = std::chrono::duration<double>(now - start_).count();
  return true;
}

void ProgressLine::draw(const std::string& text) {
  std::lock_guard lock(mutex_);
  fmt::print(stderr, "\r{}{}\033[K", prefix_, text);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace edict::cli
