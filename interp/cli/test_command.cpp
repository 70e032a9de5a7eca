// `edict test POLICY`: run the policy's `test` declarations.
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {
const char* const kTestHelp =
    "usage: edict test POLICY [--filter TEXT] [--format text|json]\n\nRuns every `test` declaration of the policy; "
    "exit code 1 if one fails.\n";

}  // namespace

int run_test(Args& args) {
  if (args.done() || args.peek() == "--help") {
    fmt::print("{}", kTestHelp);
    return args.done() ? kUsage : kOk;
  }
  std::string policy_path, format = "text";
  TestRunOptions options;
  while (!args.done()) {
    const auto arg = args.next();
    if ((arg == "--filter" || arg == "--format") && !args.done()) {
      (arg == "--filter" ? options.filter : format) = args.next();
    } else if (!arg.empty() && arg[0] != '-' && policy_path.empty()) {
      policy_path = arg;
    } else {
      return usage_error(fmt::format("unexpected argument `{}`", arg), kTestHelp);
    }
  }
  auto policy = load_policy(policy_path);
  if (!policy) return kUsage;
  const auto outcomes = run_tests(*policy, options);
  std::size_t failed = 0;
  std::string json = "[";
  for (const auto& o : outcomes) {
    if (!o.passed) ++failed;
    if (format == "json") {
      if (json.size() > 1) json += ',';
      json += fmt::format("{{\"name\":{},\"file\":{},\"line\":{},\"passed\":{},\"failures\":[", json_quote(o.name),
                          json_quote(o.file), o.line, o.passed ? "true" : "false");
      for (std::size_t i = 0; i < o.failures.size(); ++i) json += (i ? "," : "") + json_quote(o.failures[i]);
      json += "]}";
      continue;
    }
    if (o.passed) continue;
    fmt::print("FAIL {} ({}:{})\n", o.name, o.file, o.line);
    for (const auto& f : o.failures) fmt::print("  {}\n", f);
    if (o.result.trace) {
      std::istringstream text(render_text(o.result));
      std::string line;
      while (std::getline(text, line)) fmt::print("  | {}\n", line);
    }
  }
  if (format == "json") {
    fmt::print("{}]\n", json);
  } else {
    fmt::print("{} tests, {} passed, {} failed\n", outcomes.size(), outcomes.size() - failed, failed);
  }
  return failed ? kTestsFailed : kOk;
}

}  // namespace edict::cli
