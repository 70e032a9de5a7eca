// Splitting a byte stream into bounded lines (see line_reader.hpp).
#include "core/line_reader.hpp"

#include <algorithm>
#include <cstring>

namespace edict::core {

LineReader::LineReader(std::istream& in, std::size_t max_line_bytes, std::size_t piece_bytes)
    : in_(in), max_line_bytes_(max_line_bytes), piece_(piece_bytes == 0 ? 1 : piece_bytes, '\0') {}

bool LineReader::refill() {
  at_ = end_ = 0;
  if (!in_.good()) return false;
  if (eager_) {
    // peek() waits for at least one byte; readsome() then takes what the stream buffer holds, without waiting
    // (a stream buffer that tells nothing of what it holds gives one byte at a time).
    if (in_.peek() == std::istream::traits_type::eof()) {
      if (in_.bad()) failed_ = true;
      return false;
    }
    std::streamsize n = in_.readsome(piece_.data(), static_cast<std::streamsize>(piece_.size()));
    if (n <= 0 && in_.get(piece_[0])) n = 1;
    if (in_.bad()) failed_ = true;
    end_ = static_cast<std::size_t>(n > 0 ? n : 0);
    return end_ > 0;
  }
  in_.read(piece_.data(), static_cast<std::streamsize>(piece_.size()));
  end_ = static_cast<std::size_t>(in_.gcount());
  if (in_.bad()) failed_ = true;
  return end_ > 0;
}

LineReader::Status LineReader::next(std::string& out) {
  const std::size_t start = out.size();
  std::size_t length = 0;   // bytes of the line so far (all of them, kept or not)
  bool started = false;     // some byte of this line (or its `\n`) was read
  // One byte more than the limit is kept, so that a line of exactly max_line_bytes followed by `\r` fits.
  const std::size_t keep_limit = max_line_bytes_ + 1;
  for (;;) {
    if (at_ == end_ && !refill()) {
      if (!started) return Status::kEnd;
      break;  // the last line, without `\n`
    }
    started = true;
    const char* begin = piece_.data() + at_;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', end_ - at_));
    const std::size_t size = newline ? static_cast<std::size_t>(newline - begin) : end_ - at_;
    if (length <= keep_limit) {
      if (length + size <= keep_limit) {
        out.append(begin, size);
      } else {
        out.resize(start);  // too long: what was kept is dropped, the rest is skipped
      }
    }
    length += size;
    at_ += size;
    if (newline) {
      ++at_;
      break;
    }
  }
  if (length > keep_limit) return Status::kTooLong;
  if (length > 0 && out.back() == '\r') {
    out.pop_back();
    --length;
  }
  if (length > max_line_bytes_) {
    out.resize(start);
    return Status::kTooLong;
  }
  return Status::kLine;
}

bool LineReader::fill(LineBlock& block, std::size_t max_lines, std::size_t max_bytes) {
  block.text.clear();
  block.lines.clear();
  while (block.lines.size() < std::max<std::size_t>(1, max_lines) && block.text.size() < max_bytes) {
    const std::size_t begin = block.text.size();
    const auto status = next(block.text);
    if (status == Status::kEnd) break;
    block.lines.push_back({begin, block.text.size() - begin, ++lines_read_, status == Status::kTooLong});
  }
  return !block.lines.empty();
}

}  // namespace edict::core
