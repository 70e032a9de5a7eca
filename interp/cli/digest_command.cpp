// `edict digest POLICY`: the policy's content digest (SHA-256), one line.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"

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

int run_digest(const std::string& policy_path) {
  if (policy_path.empty()) return usage_error("missing POLICY", "digest");
  const auto policy = load_policy(policy_path);
  if (!policy) return kUsage;
  fmt::print("{}\n", policy->digest());
  return kOk;
}

}  // namespace

Command add_digest(CLI::App& edict) {
  auto policy = std::make_shared<std::string>();
  auto* app = add_command(edict, "digest");
  app->add_option("POLICY", *policy);
  return {app, kDigestHelp, [policy] { return run_digest(*policy); }};
}

}  // namespace edict::cli
