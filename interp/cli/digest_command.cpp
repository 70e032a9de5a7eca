// `edict digest POLICY`: the policy's content digest (SHA-256), one line.
#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {

const char* const kDigestHelp = R"(usage: edict digest POLICY

Prints the policy's content digest: SHA-256 over its files' names relative to the policy root (sorted),
their texts and the standard-library modules they use, as 64 hex digits. It is the `policy_digest` of
every result and decision record of `edict eval` on POLICY, whatever the working directory or the spelling
of the path. Like `edict eval`, it leaves out a directory's tests/ folders; `edict check` and `edict test`
compile them too, so the digest they show covers those files as well.
Exit code 2 for usage and policy errors.
)";

}  // namespace

int run_digest(Args& args) {
  if (const auto code = help_exit(args, kDigestHelp)) return *code;
  const auto policy_path = args.next();
  if (!policy_path.empty() && policy_path[0] == '-') {
    return usage_error(fmt::format("unknown option `{}`", policy_path), kDigestHelp);
  }
  if (!args.done()) return usage_error(fmt::format("unexpected argument `{}`", args.peek()), kDigestHelp);
  const auto policy = load_policy(policy_path);
  if (!policy) return kUsage;
  fmt::print("{}\n", policy->digest());
  return kOk;
}

}  // namespace edict::cli
