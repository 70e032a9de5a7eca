// JSON string escaping shared by the result and trace renderers.
#include "core/json_writer.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace edict::core {

namespace {

bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The bytes of the word `v` that need an escape, each as its high bit: in each test the lowest flagged byte is
// exact (a borrow only flags bytes above a true one), so the lowest bit set is the first such byte.
std::uint64_t escapes_in(std::uint64_t v) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
  const auto zero_bytes = [](std::uint64_t w) { return (w - kOnes) & ~w & kHigh; };
  return ((v - 0x20 * kOnes) & ~v & kHigh)  // a byte below 0x20
         | zero_bytes(v ^ ('"' * kOnes)) | zero_bytes(v ^ ('\\' * kOnes));
}

std::uint64_t word_at(const char* at) {
  std::uint64_t v;
  std::memcpy(&v, at, 8);
  return v;
}

// The first byte at or after `from` that needs an escape (text.size() when none): eight bytes at a time, the
// last word read overlapping the one before it when that one was read here (its bytes then need no escape, so
// they flag nothing, nor borrow). Most strings have none at all.
std::size_t next_escape(std::string_view text, std::size_t from) {
  std::size_t i = from;
  for (; i + 8 <= text.size(); i += 8) {
    if (const auto flagged = escapes_in(word_at(text.data() + i)); flagged != 0) {
      return i + static_cast<std::size_t>(std::countr_zero(flagged)) / 8;
    }
  }
  if (i == text.size()) return i;
  if (text.size() >= from + 8) {  // the overlapped bytes were read above and need no escape
    const std::size_t last = text.size() - 8;
    const auto flagged = escapes_in(word_at(text.data() + last));
    return flagged != 0 ? last + static_cast<std::size_t>(std::countr_zero(flagged)) / 8 : text.size();
  }
  while (i < text.size() && !needs_escape(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

static_assert(std::endian::native == std::endian::little, "next_escape finds a byte by the order of its bits");

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t run = 0;;) {  // text[run, at) needs no escape
    const std::size_t at = next_escape(text, run);
    out.append(text.data() + run, at - run);
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
