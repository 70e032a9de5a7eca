// The `edict` command-line tool: dispatches to one command per file (check, eval, test, diff, fmt, lint,
// digest, replay, serve). The CLI uses the public API, and the service layer (interp/serve) for `edict serve`. Exit codes are in cli/commands.hpp.
#include <cerrno>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <system_error>

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
  edict lint POLICY [--format json]  what in the policy can never matter: warnings with codes (`edict lint --help`)
  edict digest POLICY                print the policy's content digest (SHA-256)
  edict replay POLICY LOG.jsonl      re-evaluate logged decisions and report every mismatch (`edict replay --help`)
  edict serve POLICY [--listen H:P]  serve decisions over HTTP, with a decision log (`edict serve --help`)
  edict --version

POLICY is a .edict file or a directory (every .edict file below it; amendments are ordered by their
publication date).

exit codes: 0 ok, 1 failing tests (or unformatted files with `fmt --check`, decisions that differ with
`replay`), 2 usage errors, policy errors, invalid facts, files that cannot be read and output that cannot
be written
)";

}  // namespace

namespace {

// Standard output is checked once, after the command: a failed write (a full disk, /dev/full, a closed
// pipe with SIGPIPE ignored) is exit code 2 with a message, never a silent success. `write_error` is the
// errno of a write that already failed (fmt::print throws on a failed fwrite), or 0.
int check_standard_output(int code, int write_error) {
  errno = 0;
  const bool flush_failed = std::fflush(stdout) != 0;  // first: std::cout.flush() flushes stdout too
  if (flush_failed && write_error == 0) write_error = errno;
  std::cout.flush();
  if (!flush_failed && !std::ferror(stdout) && !std::cout.fail()) return code;
  fmt::print(stderr, "edict: cannot write to standard output{}\n",
             write_error != 0 ? ": " + edict::describe_errno(write_error) : std::string());
  return edict::cli::kUsage;
}

int run(edict::cli::Args& args, const std::string& command) {
  if (command == "check") return edict::cli::run_check(args);
  if (command == "eval") return edict::cli::run_eval(args);
  if (command == "test") return edict::cli::run_test(args);
  if (command == "diff") return edict::cli::run_diff(args);
  if (command == "fmt") return edict::cli::run_fmt(args);
  if (command == "digest") return edict::cli::run_digest(args);
  if (command == "replay") return edict::cli::run_replay(args);
  if (command == "serve") return edict::cli::run_serve(args);
  if (command == "lint") return edict::cli::run_lint(args);
  if (command == "--help" || command == "-h" || command == "help") {
    fmt::print("{}", kMainHelp);
    return edict::cli::kOk;
  }
  if (command == "--version") {
    fmt::print("edict {}\n", edict::version());
    return edict::cli::kOk;
  }
  return edict::cli::usage_error(fmt::format("unknown command `{}`", command), kMainHelp);
}

}  // namespace

int main(int argc, char** argv) {
  edict::cli::Args args;
  for (int i = 1; i < argc; ++i) args.items.emplace_back(argv[i]);
  if (args.done()) {
    fmt::print(stderr, "{}", kMainHelp);
    return edict::cli::kUsage;
  }
  const auto command = args.next();
  int code = edict::cli::kUsage;
  int write_error = 0;
  try {
    code = run(args, command);
  } catch (const std::system_error& e) {
    // fmt::print throws when writing standard output fails: that is an output error, not an internal one.
    if (!std::ferror(stdout)) {
      fmt::print(stderr, "edict: internal error: {}\n", e.what());
      return edict::cli::kUsage;
    }
    write_error = e.code().value();
  } catch (const std::exception& e) {
    fmt::print(stderr, "edict: internal error: {}\n", e.what());
    return edict::cli::kUsage;
  }
  return check_standard_output(code, write_error);
}
