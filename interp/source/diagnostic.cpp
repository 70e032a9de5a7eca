// The one renderer of diagnostics (compile errors and warnings), in the style of rustc / clang:
//   file:line:col: error[code]: message
//      12 |   when product.tpx > 1
//         |        ^~~~~~~~~~~
//      = help: did you mean `product.tpp`?
#include "edict/diagnostic.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "utf8.hpp"

namespace edict {
namespace {

constexpr std::size_t kMinGutterWidth = 4;
constexpr std::string_view kCut = "...";  // where a long source line was cut (Diagnostic::source_line_offset)

std::string header(const Diagnostic& d) {
  std::string location;
  if (d.line > 0) {
    location = d.column > 0 ? fmt::format("{}:{}", d.line, d.column) : fmt::format("{}", d.line);
    if (!d.file.empty()) location = fmt::format("{}:{}", d.file, location);
  } else {
    location = d.file;
  }
  const char* severity = d.severity == Severity::kError ? "error" : "warning";
  std::string kind = d.code.empty() ? std::string(severity) : fmt::format("{}[{}]", severity, d.code);
  const std::string message = utf8::printable(d.message);
  if (location.empty()) return fmt::format("{}: {}\n", kind, message);
  return fmt::format("{}: {}: {}\n", location, kind, message);
}

// The source line as shown, and the marker line under it. They are built together, character by character,
// so that they stay aligned: the marker copies the source's tabs, a multi-byte UTF-8 character counts as one
// column, and an escaped character (`\x1b`) as many columns as its escape.
struct SourceRows {
  std::string source;
  std::string marks;
};

// A column of 0 (no caret) is taken as 1; render() then leaves the marker row out.
SourceRows source_rows(const Diagnostic& d) {
  const std::string_view line = d.source_line;
  const std::size_t offset = d.source_line_offset;
  const std::size_t column = std::max<std::size_t>(d.column, 1);
  const std::size_t caret = column - 1 > offset ? column - 1 - offset : 0;  // byte offset in `line`
  const std::size_t end = d.end_column > column ? d.end_column - 1 - offset : caret + 1;  // exclusive
  SourceRows rows;
  if (offset > 0) {
    rows.source += kCut;
    rows.marks.append(kCut.size(), ' ');
  }
  for (std::size_t i = 0; i < line.size();) {
    const utf8::Shown shown = utf8::shown(line.substr(i));
    const std::size_t width = shown.escape.empty() ? 1 : shown.escape.size();
    rows.source += shown.escape.empty() ? line.substr(i, shown.length) : std::string_view(shown.escape);
    if (i + shown.length <= caret) {
      if (line[i] == '\t') {
        rows.marks += '\t';
      } else {
        rows.marks.append(width, ' ');
      }
    } else if (i < end) {
      rows.marks += i <= caret ? '^' : '~';
      rows.marks.append(width - 1, '~');
    }
    i += shown.length;
  }
  if (caret >= line.size()) {  // past the end of the line: each missing byte is a column
    rows.marks.append(caret - line.size(), ' ');
    rows.marks += '^';
    if (end > caret + 1) rows.marks.append(end - caret - 1, '~');
  }
  if (d.source_line_truncated) rows.source += kCut;
  return rows;
}

std::string plural(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

// "2 errors, 1 warning" (the parts that are not zero; at least one is).
std::string counts(std::size_t errors, std::size_t warnings) {
  if (errors > 0 && warnings > 0) return fmt::format("{}, {}", plural(errors, "error"), plural(warnings, "warning"));
  return errors > 0 ? plural(errors, "error") : plural(warnings, "warning");
}

}  // namespace

std::string render(const Diagnostic& diagnostic) {
  std::string out = header(diagnostic);
  const std::string line_number = diagnostic.line > 0 ? std::to_string(diagnostic.line) : std::string();
  const std::size_t width = std::max(kMinGutterWidth, line_number.size());
  if (diagnostic.line > 0) {
    const SourceRows rows = source_rows(diagnostic);
    std::string source_row = fmt::format(" {:>{}} | {}", line_number, width, rows.source);
    while (!source_row.empty() && source_row.back() == ' ') source_row.pop_back();
    out += source_row;
    out += '\n';
    if (diagnostic.column > 0) out += fmt::format(" {:>{}} | {}\n", "", width, rows.marks);
  }
  if (!diagnostic.help.empty()) {
    out += fmt::format(" {:>{}} = help: {}\n", "", width, utf8::printable(diagnostic.help));
  }
  return out;
}

std::string render_all(const std::vector<Diagnostic>& diagnostics, std::size_t max_shown) {
  if (diagnostics.empty()) return {};
  const auto errors = static_cast<std::size_t>(std::count_if(
      diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.severity == Severity::kError; }));
  const std::size_t warnings = diagnostics.size() - errors;
  // Errors claim the places first; warnings get the places left.
  const std::size_t errors_shown = std::min(errors, max_shown);
  const std::size_t warnings_shown = std::min(warnings, max_shown - errors_shown);
  std::string out;
  std::size_t errors_done = 0;
  std::size_t warnings_done = 0;
  for (const Diagnostic& diagnostic : diagnostics) {
    const bool error = diagnostic.severity == Severity::kError;
    auto& done = error ? errors_done : warnings_done;
    if (done == (error ? errors_shown : warnings_shown)) continue;
    ++done;
    out += render(diagnostic);
    out += '\n';
  }
  std::vector<std::string> left_out;
  if (errors > errors_shown) left_out.push_back(plural(errors - errors_shown, "more error"));
  if (warnings > warnings_shown) left_out.push_back(plural(warnings - warnings_shown, "more warning"));
  if (!left_out.empty()) out += fmt::format("... and {} not shown\n", fmt::join(left_out, " and "));
  out += counts(errors, warnings) + "\n";
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace edict
