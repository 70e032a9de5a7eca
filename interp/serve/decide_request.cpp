// Reading a decide request (see decide_request.hpp).
#include "serve/decide_request.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace edict::serve {

bool DecideRequest::read(std::string_view body, const Limits& limits) {
  problems.clear();
  eval = EvalOptions{};
  explain = false;
  std::string error;
  if (!body_.assign_json(body, &error, "request", limits)) {
    const auto first = body.find_first_not_of(" \t\r\n");
    problems.push_back(first == std::string_view::npos ? "the request body is empty: expected a JSON object "
                                                         "{\"facts\", \"as_of\", ...}"
                                                       : "request body: " + error);
    return false;
  }
  bool has_facts = false;
  std::string object_field;  // the members of an object-valued field other than "facts" are skipped
  for (const auto& entry : body_.entries()) {
    const auto& path = entry.path;
    const auto kind = entry.value.kind;
    using Kind = FactValue::Kind;
    if (path.starts_with("facts.")) continue;
    if (!object_field.empty() && path.size() > object_field.size() && path[object_field.size()] == '.' &&
        path.starts_with(object_field)) {
      continue;
    }
    if (kind == Kind::kObject) object_field = path;
    if (path == "facts") {
      has_facts = true;
      if (kind != Kind::kObject) problems.emplace_back("`facts` must be a JSON object");
    } else if (path == "as_of" || path == "rules_as_of") {
      const auto date = Date::parse(entry.value.text);
      if (kind != Kind::kString || !date) {
        problems.push_back(fmt::format("`{}` must be a date string YYYY-MM-DD", path));
      } else {
        (path == "as_of" ? eval.as_of : eval.rules_as_of) = date;
      }
    } else if (path == "trace" || path == "explain") {
      if (kind != Kind::kBool) {
        problems.push_back(fmt::format("`{}` must be true or false", path));
      } else {
        (path == "trace" ? eval.trace : explain) = entry.value.boolean;
      }
    } else {
      problems.push_back(
          fmt::format("unknown field `{}` (expected facts, as_of, rules_as_of, trace, explain)", path));
    }
  }
  if (!has_facts) problems.emplace_back("`facts` is missing: expected a JSON object of facts");
  if (!eval.as_of && std::none_of(problems.begin(), problems.end(),
                                         [](const std::string& p) { return p.starts_with("`as_of`"); })) {
    problems.emplace_back("`as_of` is missing: the date of the transaction, YYYY-MM-DD");
  }
  if (!problems.empty()) return false;
  facts.assign_subtree(body_, "facts");
  return true;
}

}  // namespace edict::serve
