// `edict lint POLICY [--format text|json]`: what in a policy can never matter (edict/lint.hpp).
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cli/commands.hpp"
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

}  // namespace

int run_lint(Args& args) {
  const auto help = lint_help();
  if (const auto code = help_exit(args, help.c_str())) return *code;
  std::optional<std::string> path;
  std::string format = "text";
  while (!args.done()) {
    auto arg = args.next();
    if (arg == "--format") {
      std::string error;
      const auto value = option_format(args, arg, error);
      if (!value) return usage_error(error, help.c_str());
      format = *value;
    } else if (path || (arg.size() > 1 && arg.rfind("--", 0) == 0)) {
      return usage_error(fmt::format("unexpected argument `{}`", arg), help.c_str());
    } else {
      path = std::move(arg);
    }
  }
  if (!path) return usage_error("missing POLICY", help.c_str());
  const auto policy = load_policy(*path);
  if (!policy) return kUsage;
  const auto findings = lint(*policy);
  if (format == "json") {
    fmt::print("{{\"ok\":{},\"diagnostics\":{}}}\n", findings.empty() ? "true" : "false", diagnostics_json(findings));
  } else if (findings.empty()) {
    fmt::print("{}: no lint findings\n", *path);
  } else {
    fmt::print("{}", render_all(findings, findings.size()));
  }
  return findings.empty() ? kOk : kTestsFailed;
}

}  // namespace edict::cli
