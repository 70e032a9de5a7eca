// Locating span diagnostics: byte offsets -> line, column and source line; did-you-mean hints.
#include "source/located.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>

#include "core/suggest.hpp"

namespace edict::source {

LineIndex::LineIndex(std::string_view text) : text_size_(static_cast<std::uint32_t>(text.size())) {
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) {
    starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }
}

LineColumn LineIndex::line_column(std::uint32_t offset) const {
  return source::line_column(starts_, std::min(offset, text_size_));
}

std::string_view LineIndex::line_text(std::string_view text, std::uint32_t line) const {
  if (line == 0 || line > starts_.size()) return {};
  const std::size_t begin = std::min<std::size_t>(starts_[line - 1], text.size());
  std::size_t end = line < starts_.size() ? starts_[line] - 1 : text.size();  // at the `\n`, or the end
  end = std::clamp(end, begin, text.size());
  auto result = text.substr(begin, end - begin);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

LineColumn line_column(std::span<const std::uint32_t> line_starts, std::uint32_t offset) {
  // The line is the number of line starts at or before `offset` (line_starts[0] == 0 counts as line 1).
  const auto after = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  const auto line = static_cast<std::uint32_t>(std::max<std::ptrdiff_t>(1, after - line_starts.begin()));
  const std::uint32_t start = line_starts.empty() ? 0 : line_starts[line - 1];
  return LineColumn{line, offset - start + 1};
}

LineColumn line_column(std::string_view text, std::uint32_t offset) {
  const auto end = std::min<std::size_t>(offset, text.size());
  const auto head = text.substr(0, end);
  const auto newline = head.rfind('\n');
  const auto line_start = newline == std::string_view::npos ? 0 : newline + 1;
  const auto lines = std::count(head.begin(), head.end(), '\n');
  return LineColumn{static_cast<std::uint32_t>(lines + 1), static_cast<std::uint32_t>(end - line_start + 1)};
}

std::string_view line_text(std::string_view text, std::uint32_t line) {
  std::size_t begin = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    const auto nl = text.find('\n', begin);
    if (nl == std::string_view::npos) return {};
    begin = nl + 1;
  }
  auto end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  auto result = text.substr(begin, end - begin);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

namespace {
// The diagnostic without file, line and column.
Diagnostic unlocated(const SpanDiagnostic& d) {
  Diagnostic out;
  out.severity = d.severity;
  out.code = d.code;
  out.message = d.message;
  out.help = d.help;
  return out;
}

// Lines up to this length are kept whole in Diagnostic::source_line; longer ones are cut to an excerpt of
// kExcerptBytes starting kExcerptLead bytes before the column (see Diagnostic::source_line_offset).
constexpr std::size_t kMaxWholeLineBytes = 512;
constexpr std::size_t kExcerptLead = 160;
constexpr std::size_t kExcerptBytes = 480;

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

// Fills source_line (and, for a long line, its offset and truncation) from `line`, given out.column.
void set_source_line(Diagnostic& out, std::string_view line) {
  if (line.size() <= kMaxWholeLineBytes) {
    out.source_line = std::string(line);
    return;
  }
  const std::size_t caret = std::min<std::size_t>(out.column - 1, line.size());
  std::size_t begin = caret > kExcerptLead ? caret - kExcerptLead : 0;
  std::size_t end = std::min(line.size(), begin + kExcerptBytes);
  // Whole characters only (a character has at most 3 continuation bytes; more are ill-formed anyway).
  for (int i = 0; i < 3 && begin > 0 && is_utf8_continuation(line[begin]); ++i) --begin;
  for (int i = 0; i < 3 && end < line.size() && end > begin + 1 && is_utf8_continuation(line[end]); ++i) --end;
  out.source_line = std::string(line.substr(begin, end - begin));
  out.source_line_offset = static_cast<std::uint32_t>(begin);
  out.source_line_truncated = end < line.size();
}
}  // namespace

Diagnostic locate(const SourceFile& file, const LineIndex& lines, const SpanDiagnostic& d) {
  Diagnostic out = unlocated(d);
  if (!d.located) return out;
  out.file = file.path;
  const auto begin = lines.line_column(d.span.begin);
  out.line = begin.line;
  out.column = begin.column;
  const std::string_view line = lines.line_text(file.text, begin.line);
  set_source_line(out, line);
  if (d.span.end > d.span.begin) {
    const auto end = lines.line_column(d.span.end);
    out.end_column = end.line == begin.line ? end.column : static_cast<std::uint32_t>(line.size() + 1);
  }
  return out;
}

std::vector<Diagnostic> locate_all(const std::vector<SourceFile>& files, std::vector<SpanDiagnostic> diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const SpanDiagnostic& a, const SpanDiagnostic& b) {
    if (a.located != b.located) return !a.located;
    if (a.span.file != b.span.file) return a.span.file < b.span.file;
    return a.span.begin < b.span.begin;
  });
  std::vector<Diagnostic> out;
  out.reserve(diagnostics.size());
  std::vector<std::optional<LineIndex>> indexes(files.size());  // built for the files that have diagnostics
  for (const auto& d : diagnostics) {
    if (!d.located || d.span.file >= files.size()) {
      out.push_back(unlocated(d));
      continue;
    }
    auto& index = indexes[d.span.file];
    if (!index) index.emplace(files[d.span.file].text);
    out.push_back(locate(files[d.span.file], *index, d));
  }
  return out;
}

// One name, by the shared rule (core/suggest.hpp).
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates) {
  return core::did_you_mean(core::nearest_names(wrong, candidates, 1));
}

}  // namespace edict::source
