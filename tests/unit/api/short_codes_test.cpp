// ShortCodes (api/short_codes.hpp), the plain JSON reader's table of short codes: every code of every
// enumeration of the EAR pack whose codes are short (the countries) is found at the position ir::EnumType::index gives, and
// nothing else is found: other case, a prefix, a longer text, the empty text, a text of nine bytes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "api/internals.hpp"
#include "api/short_codes.hpp"
#include "edict/edict.hpp"

namespace {

const edict::CompiledProgram& ear_program() {
  static const auto policy = [] {
    auto result = edict::compile_path((std::filesystem::path(EDICT_SOURCE_DIR) / "policies/ear").string());
    REQUIRE(result.ok());
    return result.policy;
  }();
  return edict::detail::Internals::program(*policy);
}

}  // namespace

TEST_CASE("short codes are found at their positions and nothing else is", "[frame-json][short-codes]") {
  const auto& program = ear_program();
  REQUIRE_FALSE(program.enums.empty());
  std::size_t tables = 0;
  for (const auto& type : program.enums) {
    INFO("enumeration " << type.name);
    const edict::api::ShortCodes codes(type);
    bool all_short = true;
    for (const auto& [code, position] : type.index) all_short = all_short && !code.empty() && code.size() <= 8;
    CHECK(codes.empty() == !all_short);
    if (codes.empty()) continue;
    ++tables;
    for (const auto& [code, position] : type.index) {
      INFO("code " << code);
      CHECK(codes.find(code) == static_cast<std::int32_t>(position));
      const auto absent = [&](const std::string& text) { return !type.index.contains(text); };
      std::string lower = code;
      for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (absent(lower)) CHECK(codes.find(lower) == -1);
      if (absent(code + "X")) CHECK(codes.find(code + "X") == -1);
      if (code.size() > 1 && absent(code.substr(1))) CHECK(codes.find(code.substr(1)) == -1);
    }
    CHECK(codes.find("") == -1);
    CHECK(codes.find("ABCDEFGHI") == -1);
  }
  CHECK(tables >= 1);  // the countries (a closed list with "model_weights" has a code of 13 bytes)
}
