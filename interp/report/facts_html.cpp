// Facts as a table: one row per leaf value, by dotted path, as given.
#include <fmt/format.h>

#include "report/html.hpp"

namespace edict::report {

namespace {

// A value as JSON writes it: a string quoted, a number exactly as written.
std::string value_text(const FactValue& v) {
  switch (v.kind) {
    case FactValue::Kind::kNull: return "null";
    case FactValue::Kind::kBool: return v.boolean ? "true" : "false";
    case FactValue::Kind::kNumber: return v.text;
    case FactValue::Kind::kString: return "\"" + v.text + "\"";
    case FactValue::Kind::kArray: return "[...]";
    case FactValue::Kind::kObject: return "{...}";
  }
  return v.text;
}

}  // namespace

void append_facts_table(std::string& out, const Facts& facts) {
  out += "<div class=\"table-box\"><table class=\"facts\"><thead><tr><th>fact</th><th>value</th></tr></thead><tbody>";
  std::size_t rows = 0;
  for (const auto& e : facts.entries()) {
    if (e.value.kind == FactValue::Kind::kObject) continue;  // its members have rows of their own
    out += fmt::format("<tr><td><code>{}</code></td><td class=\"val\">{}</td></tr>", esc(e.path),
                       esc(value_text(e.value)));
    ++rows;
  }
  if (rows == 0) out += "<tr><td colspan=\"2\" class=\"muted\">no facts</td></tr>";
  out += "</tbody></table></div>\n";
}

void append_facts_json_table(std::string& out, std::string_view json) {
  std::string error;
  if (const auto facts = Facts::from_json(json, &error)) {
    append_facts_table(out, *facts);
  } else {
    out += element("pre", "", json) + "\n";
  }
}

}  // namespace edict::report
