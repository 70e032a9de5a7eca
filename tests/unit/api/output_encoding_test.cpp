// Output encoding (Hardening round 2): JSON output stays JSON when policy strings hold non-ASCII UTF-8, and the
// text output escapes control characters that come from the policy or the facts.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "../support/semantic_support.hpp"

namespace {

const std::string kPolicy = R"edict(policy "Zürich – Straße" outcomes deny > allow default allow end
fact party.name : string "Name (Zürich, 東京)"
rule listed
  title "Zürich ≥ 東京 😀\nsecond line"
  citation "Art. 5 § 2"
  when party.name == "Zürich AG"
  then deny because "gelistet: Zürich\tAG"
end
)edict";

edict::EvalResult evaluate(const std::string& facts_json) {
  const auto policy = edict_test::compile_ok(kPolicy);
  edict::EvalOptions options;
  options.as_of = edict_test::date("2024-06-01");
  options.trace = true;
  return policy->evaluate(edict_test::facts_json(facts_json), options);
}

}  // namespace

TEST_CASE("JSON output is valid JSON when policy strings hold non-ASCII UTF-8", "[api][encoding]") {
  const auto result = evaluate(R"({"party": {"name": "Zürich AG"}})");
  REQUIRE(result.ok);
  const std::string json = edict::render_json(result);
  INFO(json);
  nlohmann::json parsed;
  REQUIRE_NOTHROW(parsed = nlohmann::json::parse(json));  // throws on invalid UTF-8 as well as bad syntax
  CHECK(parsed["decision"] == "deny");
  CHECK(parsed["reasons"][0] == "gelistet: Zürich\tAG");
  CHECK(parsed["citations"][0] == "Art. 5 § 2");
  CHECK(parsed["trace"][0]["title"] == "Zürich ≥ 東京 😀\nsecond line");
}

TEST_CASE("text output escapes control characters from the policy and the facts", "[api][encoding]") {
  const auto result = evaluate(R"({"party": {"name": "\u001b[2J\u009b31m\u202e"}})");
  REQUIRE(result.ok);
  const std::string text = edict::render_text(result);
  INFO(text);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("\xc2\x9b") == std::string::npos);
  CHECK(text.find("\xe2\x80\xae") == std::string::npos);
  CHECK(text.find("title: Zürich ≥ 東京 😀\\nsecond line\n") != std::string::npos);  // UTF-8 kept, `\n` escaped
  CHECK(text.find("party.name \"\\x1b[2J\\u009b31m\\u202e\" == \"Zürich AG\" -> false") != std::string::npos);
}
