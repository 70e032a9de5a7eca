// Splitting a byte stream into lines (for the batch and the diff corpus), one by one or in blocks, with a bound
// on the length of a line: a longer line is skipped piece by piece, never held in memory as a whole.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace edict::core {

// Consecutive lines of the input, back to back in one string, each with its 1-based line number.
struct LineBlock {
  struct Line {
    std::size_t begin = 0;
    std::size_t size = 0;
    std::size_t number = 0;
    bool too_long = false;  // skipped unread: no bytes in `text`
  };
  std::string text;
  std::vector<Line> lines;
  std::string_view at(const Line& line) const { return std::string_view(text).substr(line.begin, line.size); }
};

class LineReader {
 public:
  enum class Status { kLine, kTooLong, kEnd };

  // `in` must outlive the reader; it is read in pieces of `piece_bytes`.
  LineReader(std::istream& in, std::size_t max_line_bytes, std::size_t piece_bytes = std::size_t{1} << 16);

  // Reads the next line. kLine: its bytes, without the `\n` and one `\r` before it, are appended to `out`.
  // kTooLong: it had more than max_line_bytes bytes (after that removal); `out` is unchanged and the rest of
  // the line was skipped. kEnd: no more lines (a last line without `\n` is still a line; an empty input has
  // none).
  Status next(std::string& out);
  // Refills `block` with the next lines: at most max_lines (at least 1), and no more once its text has
  // max_bytes (by default 1 MiB: a block of long lines stops early). False when no line was left.
  bool fill(LineBlock& block, std::size_t max_lines, std::size_t max_bytes = std::size_t{1} << 20);
  // The stream went bad before its end (a read error, not the end of input).
  bool failed() const { return failed_; }
  // Eager reading (for pipes and terminals, where a line may be all there is for now): each read takes only
  // what the stream has ready (at least one byte), never waiting to fill a piece, so next() returns a line as
  // soon as its `\n` has arrived. The lines are the same either way.
  void set_eager(bool eager) { eager_ = eager; }

 private:
  bool refill();

  std::istream& in_;
  std::size_t max_line_bytes_;
  std::string piece_;
  std::size_t at_ = 0;   // next unread byte of piece_
  std::size_t end_ = 0;  // bytes of piece_ holding input
  bool failed_ = false;
  bool eager_ = false;
  std::size_t lines_read_ = 0;  // by fill
};

}  // namespace edict::core
