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

#include <fmt/format.h>

namespace edict {
namespace {

constexpr std::size_t kMinGutterWidth = 4;

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

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
  if (location.empty()) return fmt::format("{}: {}\n", kind, d.message);
  return fmt::format("{}: {}: {}\n", location, kind, d.message);
}

// The marker line under the source: the prefix keeps the source's tabs so that the caret lines up, and a
// multi-byte UTF-8 character counts as one column.
std::string underline(const Diagnostic& d) {
  const std::string_view source = d.source_line;
  const std::size_t start = d.column - 1;  // byte offset of the caret
  std::string marks;
  for (std::size_t i = 0; i < start; ++i) {
    if (i < source.size()) {
      if (is_utf8_continuation(source[i])) continue;
      marks += source[i] == '\t' ? '\t' : ' ';
    } else {
      marks += ' ';
    }
  }
  marks += '^';
  const std::size_t end = d.end_column > d.column ? d.end_column - 1 : start + 1;  // exclusive byte offset
  for (std::size_t i = start + 1; i < end; ++i) {
    if (i < source.size() && is_utf8_continuation(source[i])) continue;
    marks += '~';
  }
  return marks;
}

std::string plural(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

}  // namespace

std::string render(const Diagnostic& diagnostic) {
  std::string out = header(diagnostic);
  const std::string line_number = diagnostic.line > 0 ? std::to_string(diagnostic.line) : std::string();
  const std::size_t width = std::max(kMinGutterWidth, line_number.size());
  if (diagnostic.line > 0) {
    std::string source_row = fmt::format(" {:>{}} | {}", line_number, width, diagnostic.source_line);
    while (!source_row.empty() && source_row.back() == ' ') source_row.pop_back();
    out += source_row;
    out += '\n';
    if (diagnostic.column > 0) out += fmt::format(" {:>{}} | {}\n", "", width, underline(diagnostic));
  }
  if (!diagnostic.help.empty()) out += fmt::format(" {:>{}} = help: {}\n", "", width, diagnostic.help);
  return out;
}

std::string render_all(const std::vector<Diagnostic>& diagnostics) {
  if (diagnostics.empty()) return {};
  std::string out;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const Diagnostic& diagnostic : diagnostics) {
    out += render(diagnostic);
    out += '\n';
    (diagnostic.severity == Severity::kError ? errors : warnings) += 1;
  }
  if (errors > 0 && warnings > 0) {
    out += fmt::format("{}, {}\n", plural(errors, "error"), plural(warnings, "warning"));
  } else if (errors > 0) {
    out += plural(errors, "error") + "\n";
  } else {
    out += plural(warnings, "warning") + "\n";
  }
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace edict
