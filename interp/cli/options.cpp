// The option syntax the commands share (see options.hpp).
#include "cli/options.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace edict::cli {

namespace {

// "A or B", "A, B or C".
std::string alternatives(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += i == 0 ? "" : i + 1 == values.size() ? " or " : ", ";
    out += values[i];
  }
  return out;
}

// The whole text is a decimal number from min to max (checked digit by digit, before it could overflow).
std::optional<std::size_t> parse_count(const std::string& text, std::size_t min, std::size_t max) {
  if (text.empty()) return std::nullopt;
  std::size_t value = 0;
  for (const char c : text) {
    const auto digit = static_cast<std::size_t>(c - '0');
    if (c < '0' || c > '9' || value > max / 10 || digit > max - value * 10) return std::nullopt;
    value = value * 10 + digit;
  }
  if (value < min) return std::nullopt;
  return value;
}

// The long names of `app`'s options, as typed ("--as-of"); positionals have none.
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

bool looks_like_option(const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; }

}  // namespace

CLI::App* add_command(CLI::App& edict, const std::string& name) {
  auto* command = edict.add_subcommand(name);
  command->allow_extras(true);
  return command;
}

CLI::Option* add_repeated_option(CLI::App& app, const std::string& name, std::vector<std::string>& target) {
  // One value per occurrence: `--facts a.json POLICY` must leave POLICY to the positional.
  return app.add_option(name, target)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

CLI::Option* add_date_option(CLI::App& app, const std::string& name, std::optional<Date>& target) {
  return app.add_option_function<std::string>(name, [name, &target](const std::string& text) {
    target = Date::parse(text);
    if (!target) throw UsageError(fmt::format("`{}`: `{}` is not a valid date (YYYY-MM-DD)", name, text));
  });
}

CLI::Option* add_count_option(CLI::App& app, const std::string& name, std::size_t min, std::size_t max,
                              std::function<void(std::size_t)> store) {
  return app.add_option_function<std::string>(name, [=, store = std::move(store)](const std::string& text) {
    const auto value = parse_count(text, min, max);
    if (!value) throw UsageError(fmt::format("`{} {}`: expected a whole number from {} to {}", name, text, min, max));
    store(*value);
  });
}

CLI::Option* add_choice_option(CLI::App& app, const std::string& name, const std::vector<std::string>& values,
                               std::string& target) {
  return app.add_option_function<std::string>(name, [name, &values, &target](const std::string& text) {
    if (std::find(values.begin(), values.end(), text) == values.end()) {
      throw UsageError(fmt::format("`{} {}`: expected {}", name, text, alternatives(values)));
    }
    target = text;
  });
}

std::string parse_error_message(const CLI::ParseError& error) {
  // CLI11 says "--receipt: 1 required TEXT missing" (ArgumentMismatch::TypedAtLeast) when the value is missing.
  const std::string_view text = error.what();
  const auto colon = text.find(": ");
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr && colon != std::string_view::npos &&
      text.ends_with(" missing")) {
    return fmt::format("`{}` needs a value", text.substr(0, colon));
  }
  return std::string(text);
}

std::string unexpected_arguments(const CLI::App& app) {
  const auto extras = app.remaining();
  if (extras.empty()) return {};
  for (const auto& arg : extras) {
    if (looks_like_option(arg)) {
      const auto name = arg.substr(0, arg.find('='));  // `--as-off=2024-01-01` is the option `--as-off`
      return fmt::format("unknown option `{}`{}", name, did_you_mean(name, option_names(app)));
    }
  }
  return fmt::format("unexpected argument `{}`", extras.front());
}

}  // namespace edict::cli
