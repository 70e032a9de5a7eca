// Diagnostics as data (compile errors and warnings), and the one renderer used by the CLI, tests and hosts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "edict/export.h"

namespace edict {

enum class Severity : std::uint8_t { kError, kWarning };

// Lines and columns are 1-based; column counts bytes. line == 0 means the diagnostic has no location.
struct EDICT_API Diagnostic {
  Severity severity = Severity::kError;
  std::string code;     // stable identifier, e.g. "unknown-name" (the list is in grammar/LANGUAGE.md section 7)
  std::string message;  // lowercase, one line, user text in backticks
  std::string help;     // may be empty
  std::string file;     // path as given to compile(), relative to the policy root where possible
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_column = 0;  // exclusive, on the same line (underline width); 0 = caret only
  std::string source_line;       // the text of `line`, without its newline (see below for long lines)
  // A line longer than 512 bytes is kept only around the column, so that many diagnostics on one very long
  // line do not each copy it: source_line is then the excerpt that starts source_line_offset bytes into the
  // line, and source_line_truncated says that the line goes on after it. Columns still count from the
  // start of the line.
  std::uint32_t source_line_offset = 0;
  bool source_line_truncated = false;
};

// Renders one diagnostic:
//   file:line:col: error[code]: message
//      12 |   when product.tpx > 1
//         |        ^~~~~~~~~~~
//      = help: did you mean `product.tpp`?
// Policy-authored text in the message, help and source line is shown with control characters, bidirectional
// formatting characters and bytes that are not UTF-8 escaped (`\x1b`, `\u202e`, `\xff`); tabs stay tabs.
EDICT_API std::string render(const Diagnostic& diagnostic);
// How many diagnostics render_all shows by default; a policy with thousands of errors prints a count of the rest.
inline constexpr std::size_t kMaxRenderedDiagnostics = 100;

// Renders all diagnostics, separated by blank lines, followed by a summary line ("2 errors, 1 warning").
// Shows at most `max_shown`, in order: errors first claim the places (the first `max_shown` errors), then
// warnings fill the places left, so that warnings never hide an error; the ones left out are counted
// ("... and 19900 more errors not shown") before the summary, which counts all of them.
EDICT_API std::string render_all(const std::vector<Diagnostic>& diagnostics,
                                 std::size_t max_shown = kMaxRenderedDiagnostics);

EDICT_API bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace edict
