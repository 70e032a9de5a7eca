// `eval --set` and `--what-if` (see fact_settings.hpp).
#include "cli/fact_settings.hpp"

#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/number.hpp"

namespace edict::cli {

namespace {

// Why `path` is not a fact path ("" when it is one): dotted names, none of them empty.
std::string bad_fact_path(const std::string& path) {
  if (path.empty()) return "the fact path is empty";
  if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos) {
    return fmt::format("`{}` is not a fact path: a dotted path has no empty part (e.g. product.tpp)", path);
  }
  return {};
}

const FactInfo* declared_fact(const PolicyInventory& inventory, const std::string& path) {
  for (const auto& fact : inventory.facts) {
    if (fact.path == path) return &fact;
  }
  return nullptr;
}

// A number or a boolean where text is expected: the shell took the quotes, so `8518` arrived unquoted.
std::string unquoted_text_problem(const FactSetting& s, const FactValue& value, const FactInfo& fact) {
  const bool takes_text = fact.type == "string" || !fact.allowed_values.empty();
  if (!takes_text || (value.kind != FactValue::Kind::kNumber && value.kind != FactValue::Kind::kBool)) return {};
  const auto expected = fact.type == "string" ? std::string("a string") : fmt::format("a code of `{}`", fact.type);
  const auto got = value.kind == FactValue::Kind::kNumber ? "the number " + value.text
                                                          : std::string(value.boolean ? "true" : "false");
  return fmt::format("`{} {}={}`: expected {}, got {}; to give it as text, quote it: {} '{}=\"{}\"'", s.option,
                     s.path, s.text, expected, got, s.option, s.path, s.text);
}

}  // namespace

FactSetting parse_fact_setting(const std::string& option, const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) throw UsageError(fmt::format("`{} {}`: expected PATH=VALUE", option, text));
  if (auto bad = bad_fact_path(text.substr(0, eq)); !bad.empty()) {
    throw UsageError(fmt::format("`{} {}`: {}", option, text, bad));
  }
  return FactSetting{option, text.substr(0, eq), text.substr(eq + 1)};
}

std::optional<FactValue> setting_value(const FactSetting& setting, const Limits& limits, std::string& error) {
  std::string problem;
  auto parsed = Facts::from_json("{\"v\":" + setting.text + "}", &problem, setting.option, limits);
  if (parsed && parsed->entries().size() == 1 && parsed->entries()[0].path == "v") {
    const auto& v = parsed->entries()[0].value;
    if (v.kind != FactValue::Kind::kObject && v.kind != FactValue::Kind::kArray) return v;
  }
  if (!parsed && core::is_json_number(setting.text)) {
    // The reader's message is "line 1, column C: `v`: REASON": the position is in the wrapper, not useful.
    const auto reason = problem.find("`v`: ");
    error = fmt::format("`{} {}={}`: {}", setting.option, setting.path, setting.text,
                        reason == std::string::npos ? problem : problem.substr(reason + 5));
    return std::nullopt;
  }
  return FactValue{FactValue::Kind::kString, false, setting.text};
}

std::string setting_problem(const FactSetting& setting, const FactValue& value, const PolicyInventory& inventory) {
  const auto* fact = declared_fact(inventory, setting.path);
  if (fact) return unquoted_text_problem(setting, value, *fact);
  std::vector<std::string> paths;
  for (const auto& f : inventory.facts) paths.push_back(f.path);
  return fmt::format("`{} {}={}`: the policy declares no fact `{}`{}", setting.option, setting.path, setting.text,
                     setting.path, did_you_mean(setting.path, paths));
}

}  // namespace edict::cli
