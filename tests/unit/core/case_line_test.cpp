// The one case-line reader (core/case_line.hpp) of the batch and the diff corpus: fields, defaults, messages.
#include <catch2/catch.hpp>

#include <string>

#include "core/case_line.hpp"

using edict::core::CaseLine;

TEST_CASE("case line: id, facts and dates are read", "[core][case_line]") {
  CaseLine c;
  REQUIRE(c.read(R"({"id":"a\"b","facts":{"p":{"x":1.50}},"as_of":"2024-01-02","rules_as_of":"2023-05-06"})", {}));
  CHECK(c.id_json == R"("a\"b")");
  REQUIRE(c.facts.entries().size() == 2);  // "p" (object) and "p.x"
  CHECK(c.facts.find("p.x")->value.text == "1.50");
  CHECK(c.as_of->to_string() == "2024-01-02");
  CHECK(c.rules_as_of->to_string() == "2023-05-06");
  // A second line reuses the reader: nothing of the first stays.
  REQUIRE(c.read(R"({"id":7})", {}));
  CHECK(c.id_json == "7");
  CHECK(c.facts.entries().empty());
  CHECK_FALSE(c.as_of);
  CHECK_FALSE(c.rules_as_of);
}

TEST_CASE("case line: problems keep the id and the last message", "[core][case_line]") {
  CaseLine c;
  CHECK_FALSE(c.read(R"({"id":"k","as_of":"2024-13-01"})", {}));
  CHECK(c.id_json == R"("k")");
  CHECK(c.problem == "`as_of` must be a date string YYYY-MM-DD");
  CHECK_FALSE(c.read(R"({"id":true})", {}));
  CHECK(c.problem == "`id` must be a string or a number");
  CHECK_FALSE(c.read(R"({"facts":5})", {}));
  CHECK(c.problem == "`facts` must be a JSON object");
  CHECK_FALSE(c.read(R"({"extra":{"a":1}})", {}));
  CHECK(c.problem == "unknown field `extra` (expected id, facts, as_of, rules_as_of)");
  CHECK_FALSE(c.read("not json", {}));
  CHECK(c.problem == "line 1, column 2: invalid literal");
  CHECK(c.id_json.empty());
  CHECK(CaseLine::is_blank(" \t"));
  CHECK_FALSE(CaseLine::is_blank(" {}"));
}
