// `edict lint`: what in a policy can never matter. Warnings with stable codes, located like compile
// diagnostics (edict/diagnostic.hpp: render, render_all; edict/render.hpp: diagnostics_json).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "edict/diagnostic.hpp"
#include "edict/export.h"
#include "edict/policy.hpp"

namespace edict {

struct EDICT_API LintOptions {
  // The most evaluations one question may take (combinations of the facts' regions times dates); a
  // question that needs more is left open and reports nothing.
  std::size_t max_cases = 50'000;
  // The most expression and set nodes one of those evaluations may visit (a bound like Limits::eval_steps);
  // a question with an evaluation that needs more is left open.
  std::uint64_t max_steps = 100'000;
};

// One warning code and what it finds.
struct EDICT_API LintCode {
  const char* code;
  const char* finds;
};

// Every code lint reports, in the order of the README's table.
EDICT_API const std::vector<LintCode>& lint_codes();

// The findings of a compiled policy, all warnings, sorted by file and position. Findings on a line with a
// `# lint: allow CODE -- reason` comment (or on the line after one) are dropped; such a comment without a
// reason, or that suppresses nothing, is itself a finding. Deterministic; `policy` is only read.
EDICT_API std::vector<Diagnostic> lint(const Policy& policy, const LintOptions& options = {});

}  // namespace edict
