// Diagnostics located by byte spans (what every stage produces), and their conversion to the public
// Diagnostic with file, line, column and source line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edict/diagnostic.hpp"
#include "edict/policy.hpp"
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

LineColumn line_column(std::string_view text, std::uint32_t offset);
std::string_view line_text(std::string_view text, std::uint32_t line);

Diagnostic locate(const std::vector<SourceFile>& files, const SpanDiagnostic& diagnostic);

// Converts and sorts by file index, then position (stable for equal positions).
std::vector<Diagnostic> locate_all(const std::vector<SourceFile>& files, std::vector<SpanDiagnostic> diagnostics);

// "did you mean `x`?" for the closest candidate (edit distance at most a third of the length), or "".
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace edict::source
