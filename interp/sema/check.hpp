// Checking and lowering (stages 2-3): syntax trees of all loaded files -> one compiled program.
// Resolves names, checks types, applies amendments in publication order, orders rules by their
// classification dependencies, and reports every semantic error (sorted by position by the caller).
#pragma once

#include <memory>
#include <vector>

#include "ir/program.hpp"
#include "sema/loader.hpp"

namespace edict::sema {

struct CheckResult {
  std::shared_ptr<CompiledProgram> program;  // null when there are errors
  std::vector<source::SpanDiagnostic> diagnostics;
  std::vector<SourceFile> sources;  // every loaded file (Span::file indexes it), also when there are errors
};

CheckResult check(Loaded loaded, const CompileOptions& options);

}  // namespace edict::sema
