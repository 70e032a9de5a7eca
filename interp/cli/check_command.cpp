// `edict check POLICY`: compile and print diagnostics.
#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {
const char* const kCheckHelp = "usage: edict check POLICY\n\nCompiles the policy and prints errors and warnings.\n";
}  // namespace

int run_check(Args& args) {
  if (args.done() || args.peek() == "--help") {
    fmt::print("{}", kCheckHelp);
    return args.done() ? kUsage : kOk;
  }
  const auto path = args.next();
  if (!args.done()) return usage_error(fmt::format("unexpected argument `{}`", args.peek()), kCheckHelp);
  auto compiled = compile_path(path);
  const auto rendered = render_all(compiled.diagnostics);
  if (!rendered.empty()) fmt::print(stderr, "{}", rendered);
  if (!compiled.ok()) return kUsage;
  fmt::print("{}: ok ({} tests; digest {})\n", path, compiled.policy->tests().size(), compiled.policy->digest());
  return kOk;
}


}  // namespace edict::cli
