// `eval --set PATH=VALUE` and `--what-if PATH=VALUE`: one fact given on the command line. The text is split
// and its path checked as the option is read; once the policy is compiled, the value is read and checked
// against the facts the policy declares, so that a typo or an unquoted string gets a hint, not a decision
// made without it.
#pragma once

#include <optional>
#include <string>

#include "edict/edict.hpp"

namespace edict::cli {

struct FactSetting {
  std::string option;  // "--set" or "--what-if"
  std::string path;    // dotted: "product.tpp"
  std::string text;    // the value as typed
};

// `OPTION PATH=VALUE` split; a UsageError (options.hpp) when there is no `=` or the path has an empty part.
FactSetting parse_fact_setting(const std::string& option, const std::string& text);

// The value: a JSON scalar when the text parses as one (4800, true, "x"), otherwise the text as a string
// (CN). A JSON number the facts reader refuses (an exponent beyond +-10,000) is an error, as it is in a facts
// file: nullopt and *error set.
std::optional<FactValue> setting_value(const FactSetting& setting, const Limits& limits, std::string& error);

// Why the setting does not fit the policy ("" when it does): a path the policy does not declare (with the
// nearest declared one), or a number or boolean given to a string or enumeration fact (with the quoted
// spelling that gives the text).
std::string setting_problem(const FactSetting& setting, const FactValue& value, const PolicyInventory& inventory);

}  // namespace edict::cli
