// `edict check POLICY`: compile and print diagnostics.
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {
const char* const kCheckHelp =
    "usage: edict check POLICY [--dump-ir]\n\n"
    "Compiles the policy and prints errors and warnings.\n\n"
    "  --dump-ir   print the compiled program as JSON instead of the summary line (format:\n"
    "              tests/reference/IR.md); errors and warnings still go to standard error\n";
}  // namespace

int run_check(Args& args) {
  if (args.done() || args.peek() == "--help") {
    fmt::print("{}", kCheckHelp);
    return args.done() ? kUsage : kOk;
  }
  std::optional<std::string> path;
  bool dump_ir = false;
  while (!args.done()) {
    auto arg = args.next();
    if (arg == "--dump-ir") {
      dump_ir = true;
    } else if (path || (arg.size() > 1 && arg.rfind("--", 0) == 0)) {
      return usage_error(fmt::format("unexpected argument `{}`", arg), kCheckHelp);
    } else {
      path = std::move(arg);
    }
  }
  if (!path) return usage_error("missing POLICY", kCheckHelp);
  auto compiled = compile_path(*path);
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
