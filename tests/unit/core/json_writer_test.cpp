// JSON string escaping (core/json_writer.hpp), which scans eight bytes at a time: on random byte strings it
// gives exactly what the byte-by-byte rule gives (quote, backslash and the control bytes escaped; every other
// byte, UTF-8 included, as it is), whatever the length and wherever the bytes to escape fall.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include <fmt/format.h>

#include "core/json_writer.hpp"

namespace {

std::string escaped_byte_by_byte(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace

TEST_CASE("JSON strings are escaped as the byte-by-byte rule escapes them", "[json]") {
  std::mt19937 random(1808);
  const std::string specials = std::string("\"\\\n\r\t\x01\x1f\x7f\x80\xff ", 12) + std::string(1, '\0');
  for (int i = 0; i < 20000; ++i) {
    std::string text(random() % 40, 'a');
    for (auto& c : text) {
      const auto pick = random() % 10;
      c = pick < 6 ? static_cast<char>('a' + random() % 26) : pick < 8 ? specials[random() % specials.size()]
                                                                       : static_cast<char>(random() % 256);
    }
    std::string out = "prefix";
    edict::core::append_json_string(out, text);
    REQUIRE(out == "prefix" + escaped_byte_by_byte(text));
  }
  std::string plain(1000, 'x');
  std::string out;
  edict::core::append_json_string(out, plain);
  CHECK(out == "\"" + plain + "\"");
}
