// `edict lint POLICY [--format text|json]`: what in a policy can never matter (edict/lint.hpp).
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "edict/lint.hpp"

namespace edict::cli {

namespace {

const char* const kLintHelpHead =
    "usage: edict lint POLICY [--format text|json]\n\n"
    "Compiles the policy and reports what in it can never matter, as warnings with a code, file:line:col\n"
    "and help (the same form as `edict check`). Exit code 1 when there is a finding, 0 when there is none,\n"
    "2 for usage and policy errors.\n\n"
    "  --format json  print one JSON object: {\"ok\": no findings, \"diagnostics\": [...]}\n\n"
    "A comment `# lint: allow CODE[, CODE] -- reason` at the end of a finding's line, or alone on the line\n"
    "before it, accepts that finding; the reason is required.\n\n"
    "codes:\n";

std::string lint_help() {
  std::string help = kLintHelpHead;
  for (const auto& c : lint_codes()) help += fmt::format("  {:<36} {}\n", c.code, c.finds);
  return help;
}

struct LintArgs {
  std::string policy;
  std::string format = "text";
};

int run_lint(const LintArgs& a) {
  if (a.policy.empty()) return usage_error("missing POLICY", "lint");
  const auto policy = load_policy(a.policy);
  if (!policy) return kUsage;
  const auto findings = lint(*policy);
  if (a.format == "json") {
    fmt::print("{{\"ok\":{},\"diagnostics\":{}}}\n", findings.empty() ? "true" : "false", diagnostics_json(findings));
  } else if (findings.empty()) {
    fmt::print("{}: no lint findings\n", a.policy);
  } else {
    fmt::print("{}", render_all(findings, findings.size()));
  }
  return findings.empty() ? kOk : kTestsFailed;
}

}  // namespace

Command add_lint(CLI::App& edict) {
  auto args = std::make_shared<LintArgs>();
  auto* app = add_command(edict, "lint");
  app->add_option("POLICY", args->policy);
  add_choice_option(*app, "--format", kTextOrJson, args->format);
  return {app, lint_help(), [args] { return run_lint(*args); }};
}

}  // namespace edict::cli
