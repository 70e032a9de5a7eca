#include <catch2/catch.hpp>

#include <iterator>
#include <string>

#include "edict/facts.hpp"

using edict::Date;
using edict::FactEntry;
using edict::Facts;
using edict::FactValue;
using Kind = edict::FactValue::Kind;

namespace {

Facts parse_ok(const std::string& json, const std::string& source = "facts.json") {
  std::string error;
  auto facts = Facts::from_json(json, &error, source);
  INFO(json);
  INFO(error);
  REQUIRE(facts.has_value());
  CHECK(error.empty());
  return *facts;
}

std::string parse_error(const std::string& json, std::size_t max_depth = 64) {
  std::string error;
  auto facts = Facts::from_json(json, &error, "facts.json", max_depth);
  INFO(json);
  CHECK_FALSE(facts.has_value());
  return error;
}

std::string number_text(const Facts& facts, std::string_view path) {
  const FactEntry* entry = facts.find(path);
  REQUIRE(entry != nullptr);
  REQUIRE(entry->value.kind == Kind::kNumber);
  return entry->value.text;
}

}  // namespace

TEST_CASE("Facts setters replace values and keep first insertion order", "[facts]") {
  Facts facts;
  facts.set_number("product.tpp", "2461.24");
  facts.set_integer("transaction.quantity", -12);
  facts.set_bool("product.datacenter", true);
  facts.set_string("destination.country", "CN");
  facts.set_date("shipment.date", *Date::parse("2024-02-29"));
  facts.set_null("end_user.hq_country");
  facts.set("product.tpp", FactValue{Kind::kNumber, false, "4992"}, "--set");

  const auto& entries = facts.entries();
  REQUIRE(entries.size() == 6);
  CHECK(entries[0].path == "product.tpp");
  CHECK(entries[0].value == FactValue{Kind::kNumber, false, "4992"});
  CHECK(entries[0].source == "--set");
  CHECK(entries[1].value == FactValue{Kind::kNumber, false, "-12"});
  CHECK(entries[2].value == FactValue{Kind::kBool, true, ""});
  CHECK(entries[3].value == FactValue{Kind::kString, false, "CN"});
  CHECK(entries[4].value == FactValue{Kind::kString, false, "2024-02-29"});
  CHECK(entries[5].value.kind == Kind::kNull);
  CHECK(facts.find("product") == nullptr);
  CHECK(facts.find("shipment.date")->path == "shipment.date");
}

TEST_CASE("Facts::from_json keeps the exact text of numbers", "[facts]") {
  const Facts facts = parse_ok(R"({
    "a": 2461.24, "b": 1e26, "c": -0.5, "d": 123456789012345678901234567890,
    "e": 18446744073709551615, "f": 18446744073709551616, "g": -9223372036854775808,
    "h": -9223372036854775809, "i": 1E5, "j": 0.1, "k": 4800, "l": 1.0e-400, "m": 0, "n": 2.50,
    "o": 1e400, "p": -1e+999
  })");
  CHECK(number_text(facts, "a") == "2461.24");
  CHECK(number_text(facts, "b") == "1e26");
  CHECK(number_text(facts, "c") == "-0.5");
  CHECK(number_text(facts, "d") == "123456789012345678901234567890");
  CHECK(number_text(facts, "e") == "18446744073709551615");
  CHECK(number_text(facts, "f") == "18446744073709551616");
  CHECK(number_text(facts, "g") == "-9223372036854775808");
  CHECK(number_text(facts, "h") == "-9223372036854775809");
  CHECK(number_text(facts, "i") == "1E5");
  CHECK(number_text(facts, "j") == "0.1");
  CHECK(number_text(facts, "k") == "4800");
  CHECK(number_text(facts, "l") == "1.0e-400");
  CHECK(number_text(facts, "m") == "0");
  CHECK(number_text(facts, "n") == "2.50");
  // Beyond the range of a double: numbers are never converted, so their text is simply kept.
  CHECK(number_text(facts, "o") == "1e400");
  CHECK(number_text(facts, "p") == "-1e+999");
  CHECK(facts.entries().size() == 16);
}

TEST_CASE("Facts::from_json keeps numbers that do not fit a double, anywhere", "[facts]") {
  const std::string huge(400, '7');
  const Facts facts = parse_ok("{\"x\": {\"big\": " + huge + ", \"list\": [1e999, 2]}, \"after\": 3.25,\n \"neg\": -" +
                               huge + "}");
  CHECK(number_text(facts, "x.big") == huge);
  CHECK(facts.find("x.list")->value.kind == Kind::kArray);
  CHECK(number_text(facts, "after") == "3.25");
  CHECK(number_text(facts, "neg") == "-" + huge);
  // An error after such a number still reports the original position.
  CHECK(parse_error("{\"a\": 1e999,\n  \"b\": tru }") == "line 2, column 11: invalid literal");
}

TEST_CASE("Facts::from_json flattens nested objects into dotted paths", "[facts]") {
  const Facts facts = parse_ok(R"({
    "product": {"tpp": 4992, "kind": "ic", "datacenter": false, "die": {"area_mm2": 814}},
    "destination": {"country": "CN"},
    "end_user": {"hq_country": null, "name": "Moore Threads"},
    "tags": ["a", {"b": 1}, [2]],
    "empty": {},
    "dotted.key": true
  })",
                               "h800.json");
  const auto& e = facts.entries();
  struct Row {
    const char* path;
    Kind kind;
  };
  const Row expected[] = {
      {"product", Kind::kObject},       {"product.tpp", Kind::kNumber},          {"product.kind", Kind::kString},
      {"product.datacenter", Kind::kBool}, {"product.die", Kind::kObject},     {"product.die.area_mm2", Kind::kNumber},
      {"destination", Kind::kObject},   {"destination.country", Kind::kString}, {"end_user", Kind::kObject},
      {"end_user.hq_country", Kind::kNull}, {"end_user.name", Kind::kString},  {"tags", Kind::kArray},
      {"empty", Kind::kObject},         {"dotted.key", Kind::kBool},
  };
  REQUIRE(e.size() == std::size(expected));
  for (std::size_t i = 0; i < e.size(); ++i) {
    INFO(i);
    CHECK(e[i].path == expected[i].path);
    CHECK(e[i].value.kind == expected[i].kind);
  }
  CHECK(e[0].value == FactValue{Kind::kObject, false, ""});
  CHECK(facts.find("product.kind")->value == FactValue{Kind::kString, false, "ic"});
  CHECK(facts.find("product.datacenter")->value == FactValue{Kind::kBool, false, ""});
  CHECK(facts.find("dotted.key")->value == FactValue{Kind::kBool, true, ""});
  CHECK(facts.find("tags.b") == nullptr);
  for (const FactEntry& entry : e) CHECK(entry.source == "h800.json");
}

TEST_CASE("Facts::from_json reports malformed JSON with line and column", "[facts]") {
  CHECK(parse_error("{\"a\": tru}") == "line 1, column 10: invalid literal");
  CHECK(parse_error("{\"a\":\n  1,\n  }") == "line 3, column 3: unexpected `}`; expected string literal");
  CHECK(parse_error("{\"a\": 1") == "line 1, column 8: unexpected end of input; expected `,` or `}`");
  CHECK(parse_error("") == "line 1, column 1: unexpected end of input; expected `{`");
  CHECK(parse_error("{} x") == "line 1, column 4: unexpected `x`; expected end of input");
  CHECK(parse_error("{\"a\": 1 \"b\": 2}") == "line 1, column 9: unexpected string literal; expected `,` or `}`");
  CHECK(parse_error("{\"a\":01}") == "line 1, column 7: invalid number: leading zero");
  const std::string control = parse_error("{\"a\": \"x\n\"}");
  CHECK(control.starts_with("line 1, column 9: invalid string: control character U+000A (LF) must be escaped"));
  CHECK(parse_error("{\"a\": \"\xff\"}") == "line 1, column 8: invalid string: ill-formed UTF-8 byte");
}

TEST_CASE("Facts::from_json requires an object at the top level", "[facts]") {
  CHECK(parse_error("[1, 2]") == "facts must be a JSON object");
  CHECK(parse_error("42") == "facts must be a JSON object");
  CHECK(parse_error("\"x\"") == "facts must be a JSON object");
  CHECK(parse_error("null") == "facts must be a JSON object");
  CHECK(parse_ok("{}").entries().empty());
  CHECK(parse_ok(" \n{ }\n").entries().empty());
}

TEST_CASE("Facts::from_json limits the nesting depth", "[facts]") {
  auto nested = [](std::size_t levels, char open, char close) {
    std::string text = "{\"x\": ";
    for (std::size_t i = 1; i < levels; ++i) text += open == '{' ? "{\"x\": " : "[";
    text += "1";
    for (std::size_t i = 1; i < levels; ++i) text += close;
    return text + "}";
  };
  CHECK(parse_ok(nested(64, '{', '}')).entries().size() == 64);  // 63 nested objects and the number
  CHECK(parse_error(nested(65, '{', '}')) == "facts are nested deeper than 64 levels");
  CHECK(parse_ok(nested(64, '[', ']')).entries().size() == 1);
  CHECK(parse_error(nested(65, '[', ']')) == "facts are nested deeper than 64 levels");
  CHECK(parse_error(nested(5, '{', '}'), 4) == "facts are nested deeper than 4 levels");
  // Deep input far beyond the limit stops early without trouble.
  CHECK(parse_error(std::string(100000, '[')) == "facts must be a JSON object");
  CHECK(parse_error("{\"a\":" + std::string(100000, '[')) == "facts are nested deeper than 64 levels");
}

TEST_CASE("Facts::from_json rejects duplicate keys", "[facts]") {
  CHECK(parse_error(R"({"product": {"tpp": 1, "tpp": 1}})") == "duplicate key `product.tpp`");
  CHECK(parse_error(R"({"a": 1, "a": 2})") == "duplicate key `a`");
  CHECK(parse_error(R"({"a": {"b": 1}, "a": {"c": 2}})") == "duplicate key `a`");
  CHECK(parse_error(R"({"a.b": 1, "a": {"b": 2}})") == "duplicate key `a.b`");
  // The same key in different objects is fine, and keys inside arrays are not facts.
  CHECK(parse_ok(R"({"a": {"x": 1}, "b": {"x": 1}, "c": [{"k": 1, "k": 2}]})").entries().size() == 5);
}

TEST_CASE("Facts::merge adds new entries and detects conflicts", "[facts]") {
  Facts base = parse_ok(R"({"destination": {"country": "CN"}, "product": {"tpp": 4992}})", "h800.json");
  Facts overrides;
  overrides.set("destination.country", FactValue{Kind::kString, false, "US"}, "--set");
  std::string conflict;
  CHECK_FALSE(base.merge(overrides, &conflict));
  CHECK(conflict == R"(conflicting values for `destination.country`: "CN" from h800.json, "US" from --set)");
  CHECK(base.entries().size() == 4);  // two objects and two values
  CHECK(base.find("destination.country")->value.text == "CN");

  // Nothing changes on conflict, even for the entries that were not in conflict.
  Facts mixed;
  mixed.set("end_user.name", FactValue{Kind::kString, false, "Acme"}, "b.json");
  mixed.set("product.tpp", FactValue{Kind::kNumber, false, "4800"}, "b.json");
  CHECK_FALSE(base.merge(mixed, &conflict));
  CHECK(conflict == "conflicting values for `product.tpp`: 4992 from h800.json, 4800 from b.json");
  CHECK(base.find("end_user.name") == nullptr);

  // Equal values are fine; new entries are appended in order.
  Facts more;
  more.set("product.tpp", FactValue{Kind::kNumber, false, "4992"}, "more.json");
  more.set("product.kind", FactValue{Kind::kString, false, "ic"}, "more.json");
  more.set("transaction.quantity", FactValue{Kind::kNumber, false, "2"}, "more.json");
  conflict.clear();
  CHECK(base.merge(more, &conflict));
  CHECK(conflict.empty());
  REQUIRE(base.entries().size() == 6);
  CHECK(base.entries()[3].path == "product.tpp");
  CHECK(base.entries()[3].source == "h800.json");
  CHECK(base.entries()[4].path == "product.kind");
  CHECK(base.entries()[4].source == "more.json");
  CHECK(base.entries()[5].path == "transaction.quantity");

  // Two files with the same objects merge without conflict; a value where the other has an object conflicts.
  Facts second = parse_ok(R"({"product": {"kind": "ic"}})", "second.json");
  CHECK(base.merge(second, &conflict));
  Facts scalar;
  scalar.set("product", FactValue{Kind::kNumber, false, "5"}, "--set");
  CHECK_FALSE(base.merge(scalar, &conflict));
  CHECK(conflict == "conflicting values for `product`: an object from h800.json, 5 from --set");
}

TEST_CASE("Facts::merge describes every kind of value", "[facts]") {
  Facts a;
  a.set_null("n");
  a.set_bool("b", true);
  a.set_string("s", "say \"hi\"");
  a.set("o", FactValue{Kind::kObject, false, ""});
  std::string conflict;
  Facts b;
  b.set_bool("n", false);
  CHECK_FALSE(a.merge(b, &conflict));
  CHECK(conflict == "conflicting values for `n`: null, false");
  Facts c;
  c.set("s", FactValue{Kind::kArray, false, ""}, "x");
  CHECK_FALSE(a.merge(c, &conflict));
  CHECK(conflict == R"(conflicting values for `s`: "say \"hi\"", an array from x)");
  Facts d;
  d.set_number("o", "1");
  CHECK_FALSE(a.merge(d, &conflict));
  CHECK(conflict == "conflicting values for `o`: an object, 1");
  CHECK_FALSE(a.merge(d, nullptr));
  // Numbers compare by text: 1.0 and 1 differ here (the evaluator compares values, not text).
  Facts e;
  e.set_number("x", "1");
  Facts f;
  f.set_number("x", "1.0");
  CHECK_FALSE(e.merge(f, &conflict));
}
