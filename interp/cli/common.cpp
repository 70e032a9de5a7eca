// Shared pieces of the `edict` commands.
#include "cli/commands.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

namespace edict::cli {

std::optional<std::string> read_all(const std::string& path) {
  if (path == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int usage_error(const std::string& message, const char* help) {
  fmt::print(stderr, "edict: {}\n\n{}", message, help);
  return kUsage;
}


std::optional<std::string> option_value(Args& args, const std::string& flag, std::string& error) {
  if (args.done()) {
    error = fmt::format("`{}` needs a value", flag);
    return std::nullopt;
  }
  return args.next();
}

std::optional<Date> option_date(Args& args, const std::string& flag, std::string& error) {
  auto text = option_value(args, flag, error);
  if (!text) return std::nullopt;
  auto date = Date::parse(*text);
  if (!date) error = fmt::format("`{}`: `{}` is not a valid date (YYYY-MM-DD)", flag, *text);
  return date;
}

std::optional<std::string> option_format(Args& args, const std::string& flag, std::string& error) {
  auto format = option_value(args, flag, error);
  if (format && *format != "text" && *format != "json") {
    error = fmt::format("`{} {}`: expected text or json", flag, *format);
    return std::nullopt;
  }
  return format;
}

std::shared_ptr<const Policy> load_policy(const std::string& path) {
  auto compiled = compile_path(path);
  if (!compiled.ok()) fmt::print(stderr, "{}", render_all(compiled.diagnostics));
  return compiled.policy;
}

}  // namespace edict::cli
