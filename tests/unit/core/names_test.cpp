#include <catch2/catch.hpp>

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
