// The option syntax the commands share, on CLI11: a command (a subcommand that keeps what it does not know,
// so that we can name it), dates, whole numbers in a range, one value of a fixed set, repeatable options,
// and the usage errors they give: our own messages (the README and the tests quote them), never CLI11's.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "edict/date.hpp"

namespace edict::cli {

// The values of `--format` that eval and diff accept (their renderers): a new format is one line here.
inline const std::vector<std::string> kReportFormats{"text", "json", "html"};
// The values of `--format` for the other commands.
inline const std::vector<std::string> kTextOrJson{"text", "json"};

// The subcommand `name` of `edict`. It keeps unknown options and surplus arguments (CLI11's "extras")
// instead of failing on them, so that unexpected_arguments can name them with a did-you-mean.
CLI::App* add_command(CLI::App& edict, const std::string& name);

// `NAME VALUE`, repeatable: one value per occurrence, in the order given.
CLI::Option* add_repeated_option(CLI::App& app, const std::string& name, std::vector<std::string>& target);
// `NAME DATE` (YYYY-MM-DD); otherwise "`NAME`: `TEXT` is not a valid date (YYYY-MM-DD)".
CLI::Option* add_date_option(CLI::App& app, const std::string& name, std::optional<Date>& target);
// `NAME N`, a whole number from `min` to `max` (decimal digits only), given to `store`; otherwise
// "`NAME TEXT`: expected a whole number from MIN to MAX".
CLI::Option* add_count_option(CLI::App& app, const std::string& name, std::size_t min, std::size_t max,
                              std::function<void(std::size_t)> store);
// `NAME VALUE`, one of `values`; otherwise "`NAME TEXT`: expected A, B or C".
CLI::Option* add_choice_option(CLI::App& app, const std::string& name, const std::vector<std::string>& values,
                               std::string& target);

// What CLI11 found wrong, in our words: "`--receipt` needs a value" for a missing value, else CLI11's message.
std::string parse_error_message(const CLI::ParseError& error);
// Why the arguments `app` kept as extras cannot be used ("" when there are none): "unknown option `--as-off`
// (did you mean `--as-of`?)", or "unexpected argument `X`".
std::string unexpected_arguments(const CLI::App& app);
}  // namespace edict::cli
