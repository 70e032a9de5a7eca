// Reading one case line (see case_line.hpp).
#include "core/case_line.hpp"

#include <fmt/format.h>

#include "core/json_writer.hpp"

namespace edict::core {

bool CaseLine::read(std::string_view text, const Limits& limits) {
  id_json.clear();
  problem.clear();
  object_field_.clear();
  as_of.reset();
  rules_as_of.reset();
  if (!line_.assign_json(text, &problem, "line", limits)) return false;
  for (const auto& entry : line_.entries()) read_field(entry);
  if (!problem.empty()) return false;
  facts.assign_subtree(line_, "facts");
  return true;
}

// One entry of the case object, in document order. Entries under "facts." are taken by assign_subtree; the
// members of another object field are skipped (the field itself is reported).
void CaseLine::read_field(const FactEntry& entry) {
  const auto& path = entry.path;
  const auto kind = entry.value.kind;
  using Kind = FactValue::Kind;
  if (path.starts_with("facts.")) return;
  if (!object_field_.empty() && path.size() > object_field_.size() && path[object_field_.size()] == '.' &&
      path.starts_with(object_field_)) {
    return;
  }
  if (kind == Kind::kObject) object_field_ = path;
  if (path == "id") {
    if (kind == Kind::kString) {
      append_json_string(id_json, entry.value.text);
    } else if (kind == Kind::kNumber) {
      id_json = entry.value.text;
    } else {
      problem = "`id` must be a string or a number";
    }
  } else if (path == "facts") {
    if (kind != Kind::kObject) problem = "`facts` must be a JSON object";
  } else if (path == "as_of" || path == "rules_as_of") {
    const auto date = Date::parse(entry.value.text);
    if (kind != Kind::kString || !date) {
      problem = fmt::format("`{}` must be a date string YYYY-MM-DD", path);
    } else {
      (path == "as_of" ? as_of : rules_as_of) = date;
    }
  } else {
    problem = fmt::format("unknown field `{}` (expected id, facts, as_of, rules_as_of)", path);
  }
}

}  // namespace edict::core
