// Shared pieces of the `edict` commands: argument cursor, file reading, policy loading, exit codes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edict/edict.hpp"

namespace edict::cli {

// Exit codes: 0 ok; 1 failing tests (or changed decisions with --fail-on-change, or unformatted files with
// `fmt --check`); 2 usage errors, policy
// errors, unreadable or invalid facts.
constexpr int kOk = 0;
constexpr int kTestsFailed = 1;
constexpr int kUsage = 2;

struct Args {
  std::vector<std::string> items;
  std::size_t at = 0;
  bool done() const { return at >= items.size(); }
  const std::string& peek() const { return items[at]; }
  std::string next() { return items[at++]; }
};

// The value after option `flag`; nullopt (and *error set) when there is none.
std::optional<std::string> option_value(Args& args, const std::string& flag, std::string& error);
// The date after option `flag`; nullopt (and *error set) when it is missing or not YYYY-MM-DD.
std::optional<Date> option_date(Args& args, const std::string& flag, std::string& error);
// The value after `--format`: "text" or "json"; nullopt (and *error set) otherwise.
std::optional<std::string> option_format(Args& args, const std::string& flag, std::string& error);

// Reads a whole file ("-" = standard input); nullopt when it cannot be read.
std::optional<std::string> read_all(const std::string& path);
// Prints "edict: MESSAGE" and the command's help to stderr; returns kUsage.
int usage_error(const std::string& message, const char* help);
// Compiles POLICY; diagnostics are printed only when it fails (`edict check` shows warnings).
std::shared_ptr<const Policy> load_policy(const std::string& path);

int run_check(Args& args);
int run_eval(Args& args);
int run_test(Args& args);
int run_diff(Args& args);
int run_fmt(Args& args);

}  // namespace edict::cli
