// The source formatter behind `edict fmt`: one policy file in, the same program in the canonical layout out,
// every comment kept (grammar/LANGUAGE.md section 9).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "edict/export.h"
#include "edict/diagnostic.hpp"
#include "edict/policy.hpp"

namespace edict {

struct EDICT_API FormatResult {
  std::optional<std::string> text;     // the formatted file; absent when there are diagnostics
  std::vector<Diagnostic> diagnostics;  // syntax errors of the source (as `edict check` shows them)
  bool ok() const { return text.has_value(); }
};

// Formats one source file. Only the syntax is checked (names and types are not), so a file of a policy
// formats on its own. The result is verified before it is returned: it parses to the same syntax tree and
// holds the same comments, else an `internal-error` diagnostic is returned instead of a text that would
// change the program. Formatting the result again gives the result. Uses the size and nesting limits of
// `options`; ignores its other fields. Never throws except std::bad_alloc; thread-safe.
EDICT_API FormatResult format_source(const SourceFile& source, const CompileOptions& options = {});

}  // namespace edict
