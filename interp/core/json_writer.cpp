// JSON string escaping shared by the result and trace renderers.
#include "core/json_writer.hpp"

#include <fmt/format.h>

namespace edict::core {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t run = 0;  // start of the current run of characters that need no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += fmt::format("\\u{:04x}", c);
    }
  }
  out.append(text, run, text.size() - run);
  out += '"';
}

void append_fact_json(std::string& out, const FactValue& value) {
  switch (value.kind) {
    case FactValue::Kind::kNumber: out += value.text; break;
    case FactValue::Kind::kString: append_json_string(out, value.text); break;
    case FactValue::Kind::kBool: out += value.boolean ? "true" : "false"; break;
    default: out += "null"; break;
  }
}

}  // namespace edict::core

namespace edict {
std::string json_quote(std::string_view text) {
  std::string out;
  core::append_json_string(out, text);
  return out;
}
}  // namespace edict
