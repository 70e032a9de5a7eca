// The `edict` command-line tool: one CLI11 subcommand per command, each in its own file (check, eval, test,
// diff, changelog, fmt, lint, digest, replay, serve), plus `help [COMMAND]` and `--version`. The CLI uses the public API,
// and the service layer (interp/serve) for `edict serve`. Exit codes are in cli/commands.hpp.
#include <cerrno>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace {

const char* const kMainHelp = R"(edict: compile and evaluate Edict policies

usage:
  edict check POLICY                 compile the policy and print its diagnostics
  edict eval POLICY [options]        evaluate the policy on facts (see `edict eval --help`)
  edict test POLICY [TESTS...]       run the policy's `test` declarations and test files (`edict test --help`)
  edict diff OLD NEW --cases FILE    which decisions change between two versions, and why (`edict diff --help`)
  edict changelog POLICY             what each amendment changed, with regions and witnesses (`--help`)
  edict fmt [--check|--write] PATHS  print policy files in the canonical layout (`edict fmt --help`)
  edict lint POLICY [--format json]  what in the policy can never matter: warnings with codes (`edict lint --help`)
  edict digest POLICY                print the policy's content digest (SHA-256)
  edict replay POLICY LOG.jsonl      re-evaluate logged decisions and report every mismatch (`edict replay --help`)
  edict serve POLICY [--listen H:P]  serve decisions over HTTP, with a decision log (`edict serve --help`)
  edict help [COMMAND]               this help, or the command's (as `edict COMMAND --help`)
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

using edict::cli::Command;
using edict::cli::kOk;
using edict::cli::kUsage;
using edict::cli::usage_error;

// The command `edict` parsed (nullptr for none, or for `help`).
const Command* parsed_command(const CLI::App& edict, const std::vector<Command>& commands) {
  const auto parsed = edict.get_subcommands();
  if (parsed.empty()) return nullptr;
  for (const auto& command : commands) {
    if (parsed.front() == command.app) return &command;
  }
  return nullptr;
}

// "unknown command `evl` (did you mean `eval`?)", as a usage error of the tool as a whole.
int unknown(const char* what, const std::string& word, const std::vector<std::string>& known) {
  return usage_error(fmt::format("unknown {} `{}`{}", what, word, edict::cli::did_you_mean(word, known)), "");
}

std::vector<std::string> command_names(const std::vector<Command>& commands) {
  std::vector<std::string> names;
  for (const auto& command : commands) names.push_back(command.app->get_name());
  return names;
}

// `edict help [COMMAND]`: the main help, or the command's.
int run_help(const CLI::App& help, const std::string& topic, const std::vector<Command>& commands) {
  if (auto extra = edict::cli::unexpected_arguments(help); !extra.empty()) return usage_error(extra, "");
  if (topic.empty()) {
    fmt::print("{}", kMainHelp);
    return kOk;
  }
  for (const auto& command : commands) {
    if (command.app->get_name() == topic) {
      fmt::print("{}", command.help);
      return kOk;
    }
  }
  return unknown("command", topic, command_names(commands));
}

// What is left over at the top level: an unknown command or option, with the nearest known one.
int unknown_command(const std::string& word, const std::vector<Command>& commands) {
  if (word.size() > 1 && word[0] == '-') {
    return unknown("option", word.substr(0, word.find('=')), {"--help", "--version"});
  }
  return unknown("command", word, command_names(commands));
}

// Reads the arguments with CLI11 and runs the command they name.
int run(int argc, char** argv) {
  CLI::App edict{"compile and evaluate Edict policies", "edict"};
  edict.require_subcommand(0, 1);  // one command: a later command name is an argument of the first
  edict.allow_extras(true);        // an unknown command is ours to report (unknown_command)
  // A single-valued option given twice takes the last value, as a shell alias followed by an override expects.
  edict.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  bool version = false;
  edict.add_flag("--version", version);
  const std::vector<Command> commands{edict::cli::add_check(edict), edict::cli::add_eval(edict),
                                      edict::cli::add_test(edict),  edict::cli::add_diff(edict),
                                      edict::cli::add_fmt(edict),   edict::cli::add_lint(edict),
                                      edict::cli::add_digest(edict), edict::cli::add_replay(edict),
                                      edict::cli::add_serve(edict), edict::cli::add_changelog(edict)};
  std::string topic;
  auto* help = edict::cli::add_command(edict, "help");
  help->add_option("COMMAND", topic);

  const auto name_of = [&] {
    const auto* command = parsed_command(edict, commands);
    return command ? command->app->get_name() : std::string();
  };
  try {
    edict.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    const auto* command = parsed_command(edict, commands);
    fmt::print("{}", command ? command->help : std::string(kMainHelp));
    return kOk;
  } catch (const CLI::ParseError& e) {
    return usage_error(edict::cli::parse_error_message(e), name_of());
  } catch (const edict::cli::UsageError& e) {
    return usage_error(e.what(), name_of());
  }
  if (!edict.remaining().empty()) return unknown_command(edict.remaining().front(), commands);
  if (version) {
    fmt::print("edict {}\n", edict::version());
    return kOk;
  }
  if (help->parsed()) return run_help(*help, topic, commands);
  const auto* command = parsed_command(edict, commands);
  if (command == nullptr) {
    fmt::print(stderr, "{}", kMainHelp);
    return kUsage;
  }
  if (auto extra = edict::cli::unexpected_arguments(*command->app); !extra.empty()) {
    return usage_error(extra, command->app->get_name());
  }
  return command->run();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "{}", kMainHelp);
    return edict::cli::kUsage;
  }
  int code = edict::cli::kUsage;
  int write_error = 0;
  try {
    code = run(argc, argv);
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
