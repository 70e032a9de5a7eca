// Diagnostics located by byte spans (what every stage produces), and their conversion to the public
// Diagnostic with file, line, column and source line.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edict/diagnostic.hpp"
#include "edict/source_file.hpp"
#include "syntax.hpp"

namespace edict::source {

struct SpanDiagnostic {
  Severity severity = Severity::kError;
  std::string code;
  std::string message;
  std::string help;
  syntax::Span span;
  bool located = true;
};

struct LineColumn {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in bytes
};

// Where each line of one text starts: built once in one pass over the text, then every lookup is a binary
// search, so that locating many offsets costs O(text + lookups * log lines) instead of a scan per lookup.
// Lines end at `\n` (a `\r` before it belongs to the line it ends; line_text drops it). Offsets are bytes;
// an offset past the end of the text is taken as the end. Holds no reference to the text.
class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);

  // Line and column of the byte at `offset` (the end of the text: one past its last byte).
  [[nodiscard]] LineColumn line_column(std::uint32_t offset) const;
  // The text of 1-based `line` of `text` (the text this index was built from), without its line break;
  // empty past the last line.
  [[nodiscard]] std::string_view line_text(std::string_view text, std::uint32_t line) const;
  // Byte offset of the start of each line; starts()[0] == 0.
  [[nodiscard]] const std::vector<std::uint32_t>& starts() const { return starts_; }

 private:
  std::vector<std::uint32_t> starts_{0};
  std::uint32_t text_size_ = 0;
};

// Line and column of `offset` given the start of each line (starts[0] == 0, ascending), by binary search.
LineColumn line_column(std::span<const std::uint32_t> line_starts, std::uint32_t offset);

// One-off lookups: each scans the text up to `offset` (or `line`). For more than one lookup in a text, build
// a LineIndex.
LineColumn line_column(std::string_view text, std::uint32_t offset);
std::string_view line_text(std::string_view text, std::uint32_t line);

// One diagnostic located in `file`, whose line index is `lines`.
Diagnostic locate(const SourceFile& file, const LineIndex& lines, const SpanDiagnostic& diagnostic);

// Converts and sorts by file index, then position (stable for equal positions). Linear in the size of the
// files that have diagnostics plus the diagnostics (times log lines).
std::vector<Diagnostic> locate_all(const std::vector<SourceFile>& files, std::vector<SpanDiagnostic> diagnostics);

// "did you mean `x`?" for the nearest candidate (core::nearest_names), or "".
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace edict::source
