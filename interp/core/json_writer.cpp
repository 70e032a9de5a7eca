// JSON string escaping shared by the result and trace renderers.
#include "core/json_writer.hpp"

#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace edict::core {

namespace {

bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The first byte at or after `from` that needs an escape (text.size() when none): eight bytes at a time while
// none of them is a control byte, a quote or a backslash (most strings have none at all).
std::size_t next_escape(std::string_view text, std::size_t from) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
  const auto has_zero_byte = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  std::size_t i = from;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t v;
    std::memcpy(&v, text.data() + i, 8);
    const bool control = ((v - 0x20 * kOnes) & ~v & kHigh) != 0;  // a byte below 0x20
    if (control || has_zero_byte(v ^ ('"' * kOnes)) || has_zero_byte(v ^ ('\\' * kOnes))) break;
  }
  while (i < text.size() && !needs_escape(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t run = 0;;) {  // text[run, at) needs no escape
    const std::size_t at = next_escape(text, run);
    out.append(text, run, at - run);
    if (at == text.size()) break;
    const auto c = static_cast<unsigned char>(text[at]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += fmt::format("\\u{:04x}", c);
    }
    run = at + 1;
  }
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
