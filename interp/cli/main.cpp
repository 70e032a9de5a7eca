// The `edict` command-line tool: dispatches to one command per file (check, eval, test, diff, fmt). The CLI
// uses the public API only. Exit codes are in cli/commands.hpp.
#include <exception>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace {

const char* const kMainHelp = R"(edict: compile and evaluate Edict policies

usage:
  edict check POLICY                 compile the policy and print its diagnostics
  edict eval POLICY [options]        evaluate the policy on facts (see `edict eval --help`)
  edict test POLICY [--filter TEXT]  run the policy's `test` declarations
  edict diff OLD NEW --cases FILE    which decisions change between two versions, and why (`edict diff --help`)
  edict fmt [--check|--write] PATHS  print policy files in the canonical layout (`edict fmt --help`)
  edict --version

POLICY is a .edict file or a directory (every .edict file below it; amendments are ordered by their
publication date).

exit codes: 0 ok, 1 failing tests (or unformatted files with `fmt --check`), 2 usage errors, policy
errors or invalid facts
)";

}  // namespace

int main(int argc, char** argv) {
  edict::cli::Args args;
  for (int i = 1; i < argc; ++i) args.items.emplace_back(argv[i]);
  if (args.done()) {
    fmt::print(stderr, "{}", kMainHelp);
    return edict::cli::kUsage;
  }
  const auto command = args.next();
  try {
    if (command == "check") return edict::cli::run_check(args);
    if (command == "eval") return edict::cli::run_eval(args);
    if (command == "test") return edict::cli::run_test(args);
    if (command == "diff") return edict::cli::run_diff(args);
    if (command == "fmt") return edict::cli::run_fmt(args);
    if (command == "--help" || command == "-h" || command == "help") {
      fmt::print("{}", kMainHelp);
      return edict::cli::kOk;
    }
    if (command == "--version") {
      fmt::print("edict {}\n", edict::kVersion);
      return edict::cli::kOk;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "edict: internal error: {}\n", e.what());
    return edict::cli::kUsage;
  }
  return edict::cli::usage_error(fmt::format("unknown command `{}`", command), kMainHelp);
}
