// `edict check POLICY`: compile and print diagnostics.
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {
const char* const kCheckHelp =
    "usage: edict check POLICY [--format text|json] [--dump-ir]\n\n"
    "Compiles the policy and prints errors and warnings.\n\n"
    "  --format json  print one JSON object on standard output: {\"ok\", \"diagnostics\": [...], and when\n"
    "                 it compiles \"digest\", \"tests\" and \"inventory\"}: what the policy declares (facts,\n"
    "                 outcomes, rules and exemptions with their versions, groups, parameters, tiers)\n"
    "  --dump-ir      print the compiled program as JSON instead of the summary line (format:\n"
    "                 tests/reference/IR.md); errors and warnings still go to standard error\n";

// {"ok", "diagnostics", "digest"?, "tests"?, "inventory"?}
std::string check_json(const CompileResult& compiled) {
  std::string out = fmt::format("{{\"ok\":{},\"diagnostics\":{}", compiled.ok() ? "true" : "false",
                                diagnostics_json(compiled.diagnostics));
  if (compiled.ok()) {
    out += fmt::format(",\"digest\":\"{}\",\"tests\":{},\"inventory\":{}", compiled.policy->digest(),
                       compiled.policy->tests().size(), inventory_json(compiled.policy->inventory()));
  }
  return out + "}\n";
}
}  // namespace

int run_check(Args& args) {
  if (const auto code = help_exit(args, kCheckHelp)) return *code;
  std::optional<std::string> path;
  bool dump_ir = false;
  std::string format = "text";
  while (!args.done()) {
    auto arg = args.next();
    if (arg == "--dump-ir") {
      dump_ir = true;
    } else if (arg == "--format") {
      std::string error;
      const auto value = option_format(args, arg, error);
      if (!value) return usage_error(error, kCheckHelp);
      format = *value;
    } else if (path || (arg.size() > 1 && arg.rfind("--", 0) == 0)) {
      return usage_error(fmt::format("unexpected argument `{}`", arg), kCheckHelp);
    } else {
      path = std::move(arg);
    }
  }
  if (!path) return usage_error("missing POLICY", kCheckHelp);
  if (dump_ir && format == "json") return usage_error("`--dump-ir` and `--format json` both print JSON", kCheckHelp);
  CompileOptions options;
  options.include_tests = true;  // check the policy's tests as well
  auto compiled = compile_path(*path, options);
  if (format == "json") {
    fmt::print("{}", check_json(compiled));
    return compiled.ok() ? kOk : kUsage;
  }
  const auto rendered = render_all(compiled.diagnostics);
  if (!rendered.empty()) fmt::print(stderr, "{}", rendered);
  if (!compiled.ok()) return kUsage;
  if (dump_ir) {
    fmt::print("{}", dump_ir_json(*compiled.policy));
    return kOk;
  }
  fmt::print("{}: ok ({} tests; digest {})\n", *path, compiled.policy->tests().size(), compiled.policy->digest());
  return kOk;
}

}  // namespace edict::cli
