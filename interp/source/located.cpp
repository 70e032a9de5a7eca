// Locating span diagnostics: byte offsets -> line, column and source line; did-you-mean hints.
#include "source/located.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace edict::source {

LineColumn line_column(std::string_view text, std::uint32_t offset) {
  LineColumn at;
  const auto end = std::min<std::size_t>(offset, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
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

Diagnostic locate(const std::vector<SourceFile>& files, const SpanDiagnostic& d) {
  Diagnostic out;
  out.severity = d.severity;
  out.code = d.code;
  out.message = d.message;
  out.help = d.help;
  if (!d.located || d.span.file >= files.size()) return out;
  const auto& file = files[d.span.file];
  out.file = file.path;
  const auto begin = line_column(file.text, d.span.begin);
  out.line = begin.line;
  out.column = begin.column;
  out.source_line = std::string(line_text(file.text, begin.line));
  if (d.span.end > d.span.begin) {
    const auto end = line_column(file.text, d.span.end);
    out.end_column = end.line == begin.line ? end.column
                                            : static_cast<std::uint32_t>(out.source_line.size() + 1);
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
  for (const auto& d : diagnostics) out.push_back(locate(files, d));
  return out;
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    const auto d = edit_distance(wrong, c);
    if (best == nullptr || d < best_distance || (d == best_distance && c < *best)) {
      best = &c;
      best_distance = d;
    }
  }
  if (best == nullptr || best_distance == 0 || best_distance > std::max<std::size_t>(2, wrong.size() / 3)) return {};
  return fmt::format("did you mean `{}`?", *best);
}

}  // namespace edict::source
