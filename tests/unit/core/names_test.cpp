#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "core/names.hpp"

using edict::core::normalize_party_name;

TEST_CASE("normalize_party_name: table", "[names]") {
  struct Row {
    const char* input;
    const char* expected;
  };
  const Row rows[] = {
      {"Moore Threads Technology Co., Ltd.", "moore threads technology"},
      {"MOORE THREADS TECHNOLOGY", "moore threads technology"},
      {"moore   threads\ttechnology", "moore threads technology"},
      {"BIREN TECHNOLOGY", "biren technology"},
      {"Biren Technology Co Ltd", "biren technology"},
      {"Inspur (Taiwan) Co Ltd", "inspur taiwan"},
      {"Inspur (Taiwan) Co. Ltd", "inspur taiwan"},
      {"  Zhipu AI  ", "zhipu ai"},
      {"Zhipu A.I. Co., Ltd.", "zhipu ai"},  // dots join letters: "A.I." is "ai"
      {"O'Brien Ltd", "obrien"},
      {"Beijing Zhipu Huazhang Technology Co., Ltd.", "beijing zhipu huazhang technology"},
      {"The Acme Corporation", "acme"},
      {"Acme Corp.", "acme"},
      {"Acme, Inc.", "acme"},
      {"Acme Incorporated", "acme"},
      {"Acme Limited", "acme"},
      {"Acme LLC", "acme"},
      {"Acme L.L.C.", "acme"},
      {"Acme PLC", "acme"},
      {"Acme GmbH", "acme"},
      {"Acme AG", "acme"},
      {"Acme S.A.", "acme"},
      {"Acme SA", "acme"},
      {"Acme B.V.", "acme"},
      {"Acme N.V.", "acme"},
      {"Acme Pte. Ltd.", "acme"},
      {"Acme Pty Ltd", "acme"},
      {"Acme Company", "acme"},
      {"Acme Holding Group", "acme holding group"},  // "group" is part of the name
      {"Acme Co Inc Ltd", "acme"},
      {"Theodore Co", "theodore"},
      {"Cohort Ltd", "cohort"},
      {"Ltd Acme", "ltd acme"},  // only trailing suffixes
      {"Company", "company"},    // never empty
      {"The Company", "company"},
      {"The", "the"},
      {"Co Ltd", "co"},
      {"", ""},
      {"...", ""},
      {"A&B-C/D", "a b c d"},
      {"X.A.I. Holdings", "xai holdings"},
      {"Sunway 3rd Gen Co.", "sunway 3rd gen"},
      {"Zürich Technik AG", "zürich technik"},  // non-ASCII bytes kept as-is
      {"中科曙光 Co., Ltd.", "中科曙光"},
  };
  for (const Row& row : rows) {
    INFO(row.input);
    CHECK(normalize_party_name(row.input) == row.expected);
  }
}

TEST_CASE("normalize_party_name: variants of one party normalise equally", "[names]") {
  const std::string canonical = normalize_party_name("Moore Threads Technology Co., Ltd.");
  for (const char* variant : {"MOORE THREADS TECHNOLOGY CO LTD", "Moore Threads Technology", "moore-threads technology",
                              "The Moore Threads Technology Company Limited", "Moore Threads Technology Co.,Ltd"}) {
    INFO(variant);
    CHECK(normalize_party_name(variant) == canonical);
  }
  CHECK(normalize_party_name("Moore Threads") != canonical);
}

// Every byte is folded by one table (names.cpp); this is the rule it encodes, byte by byte, written as the
// language states it: letters and digits kept (upper case lowered), bytes of multi-byte characters kept, dots
// and apostrophes dropped, anything else a separator. Random names over every byte value must agree on the
// words they give (the suffix stripping afterwards is the same code).
TEST_CASE("normalize_party_name: each byte folded as the rule says", "[names][property]") {
  const auto words_by_rule = [](const std::string& name) {
    std::string out;
    bool pending_space = false;
    for (const char c : name) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '.' || c == '\'') continue;
      const bool kept = byte >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!kept) {
        pending_space = !out.empty();
        continue;
      }
      if (pending_space) out += ' ';
      pending_space = false;
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
  };
  std::mt19937 random(20261207);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 24);
  for (int i = 0; i < 20000; ++i) {
    std::string name(static_cast<std::size_t>(length(random)), ' ');
    for (auto& c : name) c = static_cast<char>(byte(random));
    name += " Zq9";  // ends in a word no suffix ends with: only the folding is compared
    const auto expected = words_by_rule(name);
    INFO(i);
    CHECK(normalize_party_name(name) == (expected.rfind("the ", 0) == 0 && expected.size() > 4 ? expected.substr(4) : expected));
  }
}
