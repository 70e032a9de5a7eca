// Decision records (interp/audit): canonical facts, the log line, its reader and the comparison replay uses.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

#include "audit/decision_record.hpp"
#include "edict/edict.hpp"

namespace {

using edict::audit::DecisionRecord;
using edict::audit::FactsInLog;

const std::filesystem::path kRoot = EDICT_SOURCE_DIR;
const std::string kDigest(64, 'a');

edict::Facts facts_of(const std::string& json) {
  std::string error;
  auto facts = edict::Facts::from_json(json, &error);
  REQUIRE(facts);
  return *facts;
}

DecisionRecord sample() {
  DecisionRecord r;
  r.decision_id = "0123456789abcdef0123456789abcdef";
  r.time = "2026-12-06T10:15:30.123Z";
  r.policy_digest = kDigest;
  r.as_of = "2023-12-01";
  r.rules_as_of = "latest";
  r.facts_json = R"({"destination":{"country":"CN"},"product":{"tpp":4992}})";
  r.decision = "license_required";
  r.classifications = {"3A090.a"};
  r.deciding_rules = {"license_ac_2023"};
  return r;
}

const std::string kSampleLine =
    R"({"decision_id":"0123456789abcdef0123456789abcdef","time":"2026-12-06T10:15:30.123Z",)"
    R"("policy_digest":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","as_of":"2023-12-01",)"
    R"("rules_as_of":"latest","facts":{"destination":{"country":"CN"},"product":{"tpp":4992}},)"
    R"("decision":"license_required","classifications":["3A090.a"],"deciding_rules":["license_ac_2023"],)"
    R"("exemptions":[]})";

// The line with `from` replaced by `to` (which must occur once).
std::string edited(std::string line, const std::string& from, const std::string& to) {
  const auto at = line.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(line.find(from, at + 1) == std::string::npos);
  return line.replace(at, from.size(), to);
}

std::string parse_error(const std::string& line) {
  std::string error;
  const auto record = edict::audit::parse_log_line(line, &error);
  CHECK_FALSE(record);
  return error;
}

}  // namespace

TEST_CASE("canonical facts: sorted keys, nested objects, numbers exactly as given", "[audit]") {
  using edict::audit::canonical_facts_json;
  CHECK(canonical_facts_json(facts_of(R"({"z": 1, "a": {"y": "x", "b": true}, "m": null})")) ==
        R"({"a":{"b":true,"y":"x"},"m":null,"z":1})");
  // Dotted keys and nested objects are the same facts; numbers keep their text (no double: 0.1, 1e400).
  CHECK(canonical_facts_json(facts_of(R"({"product.tpp": 2054.240, "product": {"x": 1e400}, "q": 0.1})")) ==
        R"({"product":{"tpp":2054.240,"x":1e400},"q":0.1})");
  CHECK(canonical_facts_json(facts_of(R"({"p": {}, "s": "a\"b\n\u00e9"})")) == R"({"p":{},"s":"a\"b\né"})");
  CHECK(canonical_facts_json(edict::Facts{}) == "{}");
  // Facts built in code can hold a value at a path that prefixes others: dotted keys keep them readable.
  edict::Facts code;
  code.set_number("a", "5");
  code.set_number("a.b", "4");
  code.set_string("a.c.d", "x");
  const auto text = canonical_facts_json(code);
  CHECK(text == R"({"a":5,"a.b":4,"a.c":{"d":"x"}})");
  CHECK(canonical_facts_json(facts_of(text)) == text);
  // Arrays carry no content in Facts: left out.
  CHECK(canonical_facts_json(facts_of(R"({"a": [1, 2], "b": 1})")) == R"({"b":1})");
}

TEST_CASE("a record written and read back is the same record, byte for byte", "[audit]") {
  const auto record = sample();
  CHECK(edict::audit::to_log_line(record) == kSampleLine);
  std::string error;
  const auto back = edict::audit::parse_log_line(kSampleLine, &error);
  REQUIRE(back);
  CHECK(error.empty());
  CHECK(*back == record);

  // With the facts digest instead of the facts.
  auto digested = record;
  digested.facts_json.clear();
  digested.facts_digest = std::string(64, '0');
  const auto line = edict::audit::to_log_line(digested);
  CHECK(line.find("\"facts_digest\":\"" + std::string(64, '0') + "\"") != std::string::npos);
  CHECK(line.find("\"facts\"") == std::string::npos);
  const auto digested_back = edict::audit::parse_log_line(line, &error);
  REQUIRE(digested_back);
  CHECK(*digested_back == digested);

  // Whitespace and key order do not matter; facts are read exactly and written canonically.
  const std::string loose =
      R"( { "exemptions" : [ ], "decision" : "license_required", "facts" : {"product": {"tpp": 4992},)"
      R"( "destination.country": "CN"}, "classifications": ["3A090.a"], "deciding_rules": ["license_ac_2023"],)"
      R"( "rules_as_of": "latest", "as_of": "2023-12-01", "policy_digest": ")" + kDigest +
      R"(", "time": "2026-12-06T10:15:30.123Z", "decision_id": "0123456789abcdef0123456789abcdef" } )";
  const auto from_loose = edict::audit::parse_log_line(loose, &error);
  INFO(error);
  REQUIRE(from_loose);
  CHECK(edict::audit::to_log_line(*from_loose) == kSampleLine);
}

TEST_CASE("make_record takes the evaluation's result, dates, digest and facts", "[audit]") {
  const auto compiled = edict::compile_path((kRoot / "policies/examples/chips").string());
  REQUIRE(compiled.ok());
  const auto facts = facts_of(R"({"product": {"tpp": 4992, "die_area_mm2": 814, "datacenter": true},
                                  "destination": {"country": "CN"}})");
  edict::EvalOptions options;
  options.as_of = edict::Date::parse("2024-06-01");
  const auto result = compiled.policy->evaluate(facts, options);
  REQUIRE(result.ok);
  const auto record = edict::audit::make_record(result, facts, "id-1", "2026-12-06T00:00:00.000Z");
  CHECK(record.decision_id == "id-1");
  CHECK(record.policy_digest == compiled.policy->digest());
  CHECK(record.as_of == "2024-06-01");
  CHECK(record.rules_as_of == "latest");
  CHECK(record.facts_json ==
        R"({"destination":{"country":"CN"},"product":{"datacenter":true,"die_area_mm2":814,"tpp":4992}})");
  CHECK(record.facts_digest.empty());
  CHECK(record.decision == result.decision);
  CHECK(record.classifications == result.classifications);
  CHECK(record.deciding_rules == result.deciding_rules);
  CHECK(record.exemptions == result.exemptions);

  options.rules_as_of = edict::Date::parse("2023-06-01");
  const auto dated = compiled.policy->evaluate(facts, options);
  REQUIRE(dated.ok);
  const auto digested = edict::audit::make_record(dated, facts, "id-2", "2026-12-06T00:00:00.000Z", FactsInLog::kDigest);
  CHECK(digested.rules_as_of == "2023-06-01");
  CHECK(digested.facts_json.empty());
  // The SHA-256 of the canonical facts text (the value is `printf '%s' TEXT | sha256sum`).
  CHECK(digested.facts_digest == "1cf5cc3292cad41f107dbe1598a896ccf6ac81b164c507aa36fdcd8d3e3453d9");
  CHECK(edict::audit::make_record(dated, facts_of(R"({"destination": {"country": "CN"}, "product": {"tpp": 4992,
            "die_area_mm2": 814, "datacenter": true}})"), "x", "t", FactsInLog::kDigest).facts_digest ==
        digested.facts_digest);
}

TEST_CASE("every malformed record line is refused with a message naming the key", "[audit]") {
  CHECK(parse_error("") == "empty line");
  CHECK(parse_error("[1]") == "column 1: a record must be a JSON object");
  CHECK(parse_error("{}") == "missing key `decision_id`");
  CHECK(parse_error(R"({"decision_id":"x",)") == "column 20: expected a key (a string)");
  CHECK(parse_error(kSampleLine + "x") == "column 389: unexpected text after the record");
  CHECK(parse_error(edited(kSampleLine, R"("time":"2026-12-06T10:15:30.123Z",)", "")) == "missing key `time`");
  CHECK(parse_error(edited(kSampleLine, R"(,"exemptions":[])", "")) == "missing key `exemptions`");
  CHECK(parse_error(edited(kSampleLine, R"("decision":"license_required",)", "")) == "missing key `decision`");
  CHECK(parse_error(edited(kSampleLine, R"("exemptions":[])", R"("exemptions":[],"extra":1)")).starts_with(
      "unknown key `extra`"));
  CHECK(parse_error(edited(kSampleLine, R"("exemptions":[])", R"("exemptions":[],"as_of":"2023-12-01")")) ==
        "duplicate key `as_of`");
  CHECK(parse_error(edited(kSampleLine, R"("as_of":"2023-12-01")", R"("as_of":"2023-02-30")")) ==
        "`as_of`: `2023-02-30` is not a date (YYYY-MM-DD)");
  CHECK(parse_error(edited(kSampleLine, R"("as_of":"2023-12-01")", R"("as_of":20231201)")) ==
        "`as_of`: must be a string");
  CHECK(parse_error(edited(kSampleLine, R"("rules_as_of":"latest")", R"("rules_as_of":"newest")")) ==
        "`rules_as_of`: `newest` is not a date (YYYY-MM-DD) or \"latest\"");
  CHECK(parse_error(edited(kSampleLine, "2026-12-06T10:15:30.123Z", "2026-12-06 10:15:30")) ==
        "`time`: `2026-12-06 10:15:30` is not a UTC time YYYY-MM-DDTHH:MM:SS[.fff]Z");
  CHECK(parse_error(edited(kSampleLine, kDigest, "abc")) ==
        "`policy_digest`: `abc` is not a SHA-256 digest (64 lowercase hex digits)");
  CHECK(parse_error(edited(kSampleLine, R"("decision_id":"0123456789abcdef0123456789abcdef")",
                           R"("decision_id":"")")) == "`decision_id`: is empty");
  CHECK(parse_error(edited(kSampleLine, R"("decision":"license_required")", R"("decision":null)")) ==
        "`decision`: must be a string");
  CHECK(parse_error(edited(kSampleLine, R"(["3A090.a"])", R"("3A090.a")")) ==
        "`classifications`: must be an array of strings");
  CHECK(parse_error(edited(kSampleLine, R"(["license_ac_2023"])", R"(["license_ac_2023",7])")) ==
        "`deciding_rules`: must be an array of strings");
  CHECK(parse_error(edited(kSampleLine, R"(["license_ac_2023"])", R"(["license_ac_2023" "x"])")) ==
        "column 372: expected `,` or `]` in `deciding_rules`");
  CHECK(parse_error(edited(kSampleLine, R"({"destination":{"country":"CN"},"product":{"tpp":4992}})", "[]")) ==
        "`facts`: must be a JSON object");
  CHECK(parse_error(edited(kSampleLine, R"("tpp":4992)", R"("tpp":49.)")).starts_with("`facts`: line 1, column"));
  CHECK(parse_error(edited(kSampleLine, R"("tpp":4992)", R"("tpp":[1])")) ==
        "`facts`: `product.tpp` is an array: a record's facts hold no arrays");
  CHECK(parse_error(kSampleLine.substr(0, kSampleLine.find("4992") + 4)) == "`facts`: the object is not closed");
  // One `}` short: the object closes at the end of the line, and takes the record's other members as facts.
  CHECK(parse_error(edited(kSampleLine, R"("tpp":4992}})", R"("tpp":4992})")) ==
        "`facts`: `classifications` is an array: a record's facts hold no arrays");
  CHECK(parse_error(edited(kSampleLine, R"("facts":{"destination":{"country":"CN"},"product":{"tpp":4992}})",
                           R"("facts_digest":"xyz")")) ==
        "`facts_digest`: `xyz` is not a SHA-256 digest (64 lowercase hex digits)");
  CHECK(parse_error(edited(kSampleLine, R"("facts":{"destination":{"country":"CN"},"product":{"tpp":4992}},)", "")) ==
        "missing key `facts` (or `facts_digest`)");
  CHECK(parse_error(edited(kSampleLine, R"("rules_as_of":"latest",)",
                           R"("rules_as_of":"latest","facts_digest":")" + kDigest + "\",")) ==
        "`facts` and `facts_digest` are both given: a record keeps one of them");
  CHECK(parse_error(edited(kSampleLine, R"("3A090.a")", "\"3A090\\x\"")) ==
        "column 325: invalid string (bad escape, control character or invalid UTF-8)");
  CHECK(parse_error(edited(kSampleLine, R"("3A090.a")", "\"3A090\xff\"")) ==
        "column 325: invalid string (bad escape, control character or invalid UTF-8)");
  CHECK(parse_error(edited(kSampleLine, R"("3A090.a"])", R"("3A090.a)")) .starts_with("column "));
}

TEST_CASE("decision ids are random 128-bit hex, times are UTC with milliseconds", "[audit]") {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const auto id = edict::audit::new_decision_id();
    CHECK(id.size() == 32);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    ids.insert(id);
  }
  CHECK(ids.size() == 1000);
  auto record = sample();
  record.time = edict::audit::now_utc();
  INFO(record.time);
  CHECK(record.time.size() == 24);
  std::string error;
  CHECK(edict::audit::parse_log_line(edict::audit::to_log_line(record), &error));
  CHECK(error.empty());
}

TEST_CASE("comparing decisions: the decision, and the lists as sets", "[audit]") {
  const auto logged = sample();
  auto replayed = logged;
  replayed.decision_id = "other";
  replayed.policy_digest = std::string(64, 'b');
  CHECK(edict::audit::compare_decisions(logged, replayed).empty());
  replayed.classifications = {"3A090.a"};
  replayed.deciding_rules = {"license_ac_2023"};
  replayed.exemptions = {};
  CHECK(edict::audit::compare_decisions(logged, replayed).empty());
  replayed.decision = "no_license_required";
  replayed.classifications = {};
  replayed.exemptions = {"b", "a"};
  const auto differences = edict::audit::compare_decisions(logged, replayed);
  REQUIRE(differences.size() == 3);
  CHECK(differences[0].field == "decision");
  CHECK(differences[0].logged == "\"license_required\"");
  CHECK(differences[0].replayed == "\"no_license_required\"");
  CHECK(differences[1].field == "classifications");
  CHECK(differences[1].logged == "[\"3A090.a\"]");
  CHECK(differences[1].replayed == "[]");
  CHECK(differences[2].field == "exemptions");
  CHECK(differences[2].logged == "[]");
  CHECK(differences[2].replayed == "[\"a\",\"b\"]");
}
