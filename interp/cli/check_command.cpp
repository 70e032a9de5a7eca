// `edict check POLICY`: compile and print diagnostics.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"

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

struct CheckArgs {
  std::string policy;
  bool dump_ir = false;
  std::string format = "text";
};

int run_check(const CheckArgs& a) {
  if (a.policy.empty()) return usage_error("missing POLICY", "check");
  if (a.dump_ir && a.format == "json") return usage_error("`--dump-ir` and `--format json` both print JSON", "check");
  CompileOptions options;
  options.include_tests = true;  // check the policy's tests as well
  auto compiled = compile_path(a.policy, options);
  if (a.format == "json") {
    fmt::print("{}", check_json(compiled));
    return compiled.ok() ? kOk : kUsage;
  }
  const auto rendered = render_all(compiled.diagnostics);
  if (!rendered.empty()) fmt::print(stderr, "{}", rendered);
  if (!compiled.ok()) return kUsage;
  if (a.dump_ir) {
    fmt::print("{}", dump_ir_json(*compiled.policy));
    return kOk;
  }
  fmt::print("{}: ok ({} tests; digest {})\n", a.policy, compiled.policy->tests().size(), compiled.policy->digest());
  return kOk;
}

}  // namespace

Command add_check(CLI::App& edict) {
  auto args = std::make_shared<CheckArgs>();
  auto* app = add_command(edict, "check");
  app->add_option("POLICY", args->policy);
  app->add_flag("--dump-ir", args->dump_ir);
  add_choice_option(*app, "--format", kTextOrJson, args->format);
  return {app, kCheckHelp, [args] { return run_check(*args); }};
}

}  // namespace edict::cli
