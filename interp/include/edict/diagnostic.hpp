// Diagnostics as data (compile errors and warnings), and the one renderer used by the CLI, tests and hosts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace edict {

enum class Severity : std::uint8_t { kError, kWarning };

// Lines and columns are 1-based; column counts bytes. line == 0 means the diagnostic has no location.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;     // stable identifier, e.g. "unknown-name" (see docs/diagnostics in LANGUAGE.md)
  std::string message;  // lowercase, one line, user text in backticks
  std::string help;     // may be empty
  std::string file;     // path as given to compile(), relative to the policy root where possible
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_column = 0;  // exclusive, on the same line (underline width); 0 = caret only
  std::string source_line;       // the text of `line`, without its newline
};

// Renders one diagnostic:
//   file:line:col: error[code]: message
//      12 |   when product.tpx > 1
//         |        ^~~~~~~~~~~
//      = help: did you mean `product.tpp`?
std::string render(const Diagnostic& diagnostic);
// Renders all diagnostics, separated by blank lines, followed by a summary line ("2 errors, 1 warning").
std::string render_all(const std::vector<Diagnostic>& diagnostics);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace edict
