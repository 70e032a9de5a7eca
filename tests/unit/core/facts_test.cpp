#include <catch2/catch.hpp>

#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

std::string fmt_key(int i) { return "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", "; }

bool same_entries(const std::vector<FactEntry>& a, const std::vector<FactEntry>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].path != b[i].path || a[i].value != b[i].value || a[i].source != b[i].source) return false;
  }
  return true;
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
  CHECK(parse_error("{\"a\":01}") == "line 1, column 7: `a`: invalid number: leading zero");
  const std::string control = parse_error("{\"a\": \"x\n\"}");
  CHECK(control.starts_with("line 1, column 9: `a`: invalid string: control character U+000A (LF) must be escaped"));
  CHECK(parse_error("{\"a\": \"\xff\"}") == "line 1, column 8: `a`: invalid string: ill-formed UTF-8 byte");
}

TEST_CASE("Facts::from_json requires an object at the top level", "[facts]") {
  CHECK(parse_error("[1, 2]") == "facts must be a JSON object, got an array");
  CHECK(parse_error("42") == "facts must be a JSON object, got a number");
  CHECK(parse_error("\"x\"") == "facts must be a JSON object, got a string");
  CHECK(parse_error("null") == "facts must be a JSON object, got null");
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
  CHECK(parse_error(nested(65, '{', '}')) == "line 1, column 385: facts are nested deeper than 64 levels");
  CHECK(parse_ok(nested(64, '[', ']')).entries().size() == 1);
  CHECK(parse_error(nested(65, '[', ']')) == "line 1, column 70: facts are nested deeper than 64 levels");
  CHECK(parse_error(nested(5, '{', '}'), 4) == "line 1, column 25: facts are nested deeper than 4 levels");
  // Deep input far beyond the limit stops early without trouble.
  CHECK(parse_error(std::string(100000, '[')) == "facts must be a JSON object, got an array");
  CHECK(parse_error("{\"a\":" + std::string(100000, '[')) == "line 1, column 69: facts are nested deeper than 64 levels");
}

TEST_CASE("Facts::from_json rejects duplicate keys", "[facts]") {
  CHECK(parse_error(R"({"product": {"tpp": 1, "tpp": 1}})") == "line 1, column 24: duplicate key `product.tpp` (first at line 1, column 14)");
  CHECK(parse_error(R"({"a": 1, "a": 2})") == "line 1, column 10: duplicate key `a` (first at line 1, column 2)");
  CHECK(parse_error(R"({"a": {"b": 1}, "a": {"c": 2}})") == "line 1, column 17: duplicate key `a` (first at line 1, column 2)");
  CHECK(parse_error(R"({"a.b": 1, "a": {"b": 2}})") == "line 1, column 18: duplicate key `a.b` (first at line 1, column 2)");
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

// ---- the hand-written reader ----

namespace {

std::string string_value(const std::string& json_text) {
  const Facts facts = parse_ok("{\"s\": " + json_text + "}");
  const FactEntry* entry = facts.find("s");
  REQUIRE(entry != nullptr);
  REQUIRE(entry->value.kind == Kind::kString);
  return entry->value.text;
}

}  // namespace

TEST_CASE("Facts::from_json unescapes strings", "[facts][json]") {
  struct Row {
    const char* json;
    std::string text;
  };
  const Row rows[] = {
      {R"("plain")", "plain"},
      {R"("")", ""},
      {R"("a\"b")", "a\"b"},
      {R"("a\\b")", "a\\b"},
      {R"("a\/b")", "a/b"},
      {R"("\b\f\n\r\t")", "\b\f\n\r\t"},
      {R"("\u0041\u00e9\u20AC")", "A\xC3\xA9\xE2\x82\xAC"},
      {R"("\u0000")", std::string(1, '\0')},
      {R"("\ud83d\ude00")", "\xF0\x9F\x98\x80"},  // surrogate pair -> U+1F600
      {R"("\uDBFF\uDFFF")", "\xF4\x8F\xBF\xBF"},  // U+10FFFF
      {"\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},
      {R"("x\n" )", "x\n"},
  };
  for (const Row& row : rows) {
    INFO(row.json);
    CHECK(string_value(row.json) == row.text);
  }
  // Keys are unescaped too, before they are joined into paths.
  const Facts facts = parse_ok(R"({"a\u002Eb": 1, "q\"": {"\u00e9": true}})");
  CHECK(facts.find("a.b") != nullptr);
  CHECK(facts.find("q\".\xC3\xA9") != nullptr);
}

TEST_CASE("Facts::from_json rejects malformed strings", "[facts][json]") {
  struct Row {
    const char* json;
    const char* error;
  };
  const Row rows[] = {
      {"{\"s\": \"a\\x\"}", "line 1, column 9: `s`: invalid string: invalid escape `\\x`"},
      {"{\"s\": \"a\\'\"}", "line 1, column 9: `s`: invalid string: invalid escape `\\'`"},
      {"{\"s\": \"\\u12G4\"}", "line 1, column 12: `s`: invalid string: `\\u` must be followed by 4 hex digits"},
      {"{\"s\": \"\\uDE00\"}",
       "line 1, column 8: `s`: invalid string: low surrogate U+DC00..U+DFFF must follow a high surrogate"},
      {"{\"s\": \"\\uD83D\"}",
       "line 1, column 14: `s`: invalid string: high surrogate U+D800..U+DBFF must be followed by `\\u` and a low "
       "surrogate U+DC00..U+DFFF"},
      {"{\"s\": \"\\uD83Dx\"}",
       "line 1, column 14: `s`: invalid string: high surrogate U+D800..U+DBFF must be followed by `\\u` and a low "
       "surrogate U+DC00..U+DFFF"},
      {"{\"s\": \"\\uD83D\\u0041\"}",
       "line 1, column 14: `s`: invalid string: high surrogate U+D800..U+DBFF must be followed by a low surrogate "
       "U+DC00..U+DFFF"},
      {"{\"s\": \"a\tb\"}", "line 1, column 9: `s`: invalid string: control character U+0009 (HT) must be escaped"},
      {"{\"s\": \"\x01\"}", "line 1, column 8: `s`: invalid string: control character U+0001 (SOH) must be escaped"},
      {"{\"s\": \"\xC0\xAF\"}", "line 1, column 8: `s`: invalid string: ill-formed UTF-8 byte"},       // overlong
      {"{\"s\": \"\xED\xA0\x80\"}", "line 1, column 9: `s`: invalid string: ill-formed UTF-8 byte"},   // surrogate
      {"{\"s\": \"\xF4\x90\x80\x80\"}", "line 1, column 9: `s`: invalid string: ill-formed UTF-8 byte"},  // > U+10FFFF
      {"{\"s\": \"\xE2\x82\"}", "line 1, column 10: `s`: invalid string: ill-formed UTF-8 byte"},     // truncated
      {"{\"s\": \"abc", "line 1, column 11: `s`: unexpected end of input in a string; expected `\"`"},
      {"{\"k\x80\": 1}", "line 1, column 4: invalid string: ill-formed UTF-8 byte"},
  };
  for (const Row& row : rows) CHECK(parse_error(row.json) == row.error);
}

TEST_CASE("Facts::from_json validates numbers strictly and keeps their text", "[facts][json]") {
  for (const char* text : {"0", "-0", "0.5e-3", "1E+2", "-12.75", "1e400", "-0.0", "10", "9e-999", "0E0"}) {
    INFO(text);
    CHECK(number_text(parse_ok(std::string("{\"n\": ") + text + "}"), "n") == text);
    // Inside arrays they are validated the same way.
    CHECK(parse_ok(std::string("{\"a\": [") + text + "]}").entries().size() == 1);
  }
  struct Row {
    const char* text;
    const char* error;
  };
  const Row rows[] = {
      {"01", "line 1, column 8: `n`: invalid number: leading zero"},
      {"-01", "line 1, column 9: `n`: invalid number: leading zero"},
      {"1.", "line 1, column 9: `n`: invalid number: expected a digit after `.`"},
      {".5", "line 1, column 7: unexpected `.`; expected `[`, `{`, or a literal"},
      {"-", "line 1, column 8: `n`: invalid number: expected a digit after `-`"},
      {"-a", "line 1, column 8: `n`: invalid number: expected a digit after `-`"},
      {"1e", "line 1, column 9: `n`: invalid number: expected a digit after `e`"},
      {"1E+", "line 1, column 10: `n`: invalid number: expected a digit after `E+`"},
      {"+1", "line 1, column 7: unexpected `+`; expected `[`, `{`, or a literal"},
      {"1.5.3", "line 1, column 10: unexpected `.`; expected `,` or `}`"},
      {"0x10", "line 1, column 8: unexpected `x`; expected `,` or `}`"},
      {"Infinity", "line 1, column 7: unexpected `I`; expected `[`, `{`, or a literal"},
  };
  for (const Row& row : rows) {
    CHECK(parse_error(std::string("{\"n\": ") + row.text + "}") == row.error);
    CHECK_FALSE(Facts::from_json(std::string("{\"n\": [") + row.text + "]}", nullptr));
  }
  CHECK(parse_error("{\"n\": 1") == "line 1, column 8: unexpected end of input; expected `,` or `}`");
  CHECK(parse_error("{\"n\": -") == "line 1, column 8: `n`: unexpected end of input; expected a digit after `-`");
}

TEST_CASE("Facts::from_json reports structural errors where they occur", "[facts][json]") {
  struct Row {
    const char* json;
    const char* error;
  };
  const Row rows[] = {
      {"{\"a\": 1,}", "line 1, column 9: unexpected `}`; expected string literal"},
      {"{\"a\" 1}", "line 1, column 6: unexpected number literal; expected `:`"},
      {"{\"a\": [1 2]}", "line 1, column 10: unexpected number literal; expected `,` or `]`"},
      {"{\"a\": [1,]}", "line 1, column 10: unexpected `]`; expected `[`, `{`, or a literal"},
      {"{\"a\": nul}", "line 1, column 10: invalid literal"},
      {"{\"a\": truex}", "line 1, column 11: unexpected `x`; expected `,` or `}`"},
      {"{\"a\": 1}}", "line 1, column 9: unexpected `}`; expected end of input"},
      {"{a: 1}", "line 1, column 2: unexpected `a`; expected string literal"},
      {"{\"a\": 1}\n\n  ]", "line 3, column 3: unexpected `]`; expected end of input"},
      {"{\"a\":\r\n\t\x01}", "line 2, column 2: unexpected byte 0x01; expected `[`, `{`, or a literal"},
      {"x", "line 1, column 1: unexpected `x`; expected `{`"},
      {"nul", "line 1, column 4: invalid literal"},
      {"not json", "line 1, column 2: invalid literal"},
      {"  \n ", "line 2, column 2: unexpected end of input; expected `{`"},
      {"true", "facts must be a JSON object, got a boolean"},
      {"-5", "facts must be a JSON object, got a number"},
  };
  for (const Row& row : rows) CHECK(parse_error(row.json) == row.error);
  // No error text is asked for: still no crash.
  CHECK_FALSE(Facts::from_json("{", nullptr).has_value());
}

TEST_CASE("Facts::from_json reads every prefix of a document without reading past it", "[facts][json]") {
  // Each truncation is copied into a buffer of exactly its size, so that a read past the end is caught by
  // sanitizers (and by the checks here: every proper prefix is an error, never a crash or a success).
  const std::string document = R"({"id": "c\u00e9-\ud83d\ude00", "facts": {"product": {"tpp": -4992.5e+3, "ok": true,)"
                               R"( "no": false, "none": null, "tags": ["a\n", {"k": [1, 2.0E-2]}, []], "e": {}},)"
                               " \"s\": \"caf\xC3\xA9\", \"dotted.key\": 0}}";
  REQUIRE(parse_ok(document).entries().size() == 11);
  for (std::size_t n = 0; n < document.size(); ++n) {
    const std::unique_ptr<char[]> buffer(new char[n == 0 ? 1 : n]);
    std::memcpy(buffer.get(), document.data(), n);
    std::string error;
    INFO(n);
    CHECK_FALSE(Facts::from_json(std::string_view(buffer.get(), n), &error).has_value());
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("Facts::from_json limits depth in objects and arrays alike", "[facts][json]") {
  CHECK(parse_error("{}", 0) == "line 1, column 1: facts are nested deeper than 0 levels");
  CHECK(parse_ok("{\"a\": [[[]]]}").entries().size() == 1);
  std::string error;
  CHECK(Facts::from_json("{\"a\": [[[]]]}", &error, "", 4).has_value());
  CHECK_FALSE(Facts::from_json("{\"a\": [[[[]]]]}", &error, "", 4).has_value());
  CHECK(error == "line 1, column 10: facts are nested deeper than 4 levels");
  CHECK(parse_error("{\"a\": [{\"b\": [{}]}]}", 4) == "line 1, column 15: facts are nested deeper than 4 levels");
  // Deep input is read without recursion: a million levels with a generous limit are just an error at the end.
  const std::string deep = "{\"a\":" + std::string(1000000, '[');
  CHECK(Facts::from_json(deep, &error, "", 2000000) == std::nullopt);
  CHECK(error == "line 1, column 1000006: unexpected end of input; expected `[`, `{`, or a literal");
}

TEST_CASE("Facts::from_json detects duplicate paths in small and large documents", "[facts][json]") {
  CHECK(parse_error(R"({"a": {"b": {"c": 1}}, "a.b": {"c": 2}})") == "line 1, column 24: duplicate key `a.b` (first at line 1, column 8)");
  CHECK(parse_error(R"({"a": {"b.c": 1, "b": {"c": 2}}})") == "line 1, column 24: duplicate key `a.b.c` (first at line 1, column 8)");
  CHECK(parse_error(R"({"x": [], "x": 1})") == "line 1, column 11: duplicate key `x` (first at line 1, column 2)");
  CHECK(parse_error(R"({"k\u0031": 1, "k1": 2})") == "line 1, column 16: duplicate key `k1` (first at line 1, column 2)");  // compared after unescaping
  // A large document (sorted check): the first repeated path in document order is reported.
  std::string big = "{";
  for (int i = 0; i < 500; ++i) big += fmt_key(i);
  CHECK(parse_ok(big + "\"end\": 0}").entries().size() == 501);
  CHECK(parse_error(big + "\"k300\": 1, \"k7\": 2}") == "line 1, column 6282: duplicate key `k300` (first at line 1, column 3682)");
  CHECK(parse_error(big + "\"o\": {\"k\": 1}, \"o.k\": 2, \"k9\": 3}") == "line 1, column 6297: duplicate key `o.k` (first at line 1, column 6288)");
}

TEST_CASE("Facts::assign_json refills a Facts and reuses its storage", "[facts][json]") {
  Facts facts;
  std::string error;
  const std::string long_text(100, 'x');
  REQUIRE(facts.assign_json(R"({"first": {"a": ")" + long_text + R"(", "b": 1, "c": [1]}})", &error, "one"));
  REQUIRE(facts.entries().size() == 4);
  const char* storage = facts.entries()[1].value.text.data();
  CHECK(facts.entries()[1].value.text == long_text);

  // Fewer entries, then more again: the elements and their strings are reused.
  REQUIRE(facts.assign_json(R"({"x": 5})", &error, "two"));
  REQUIRE(facts.entries().size() == 1);
  CHECK(facts.entries()[0].path == "x");
  CHECK(facts.entries()[0].value == FactValue{Kind::kNumber, false, "5"});
  CHECK(facts.entries()[0].source == "two");
  REQUIRE(facts.assign_json(R"({"p": true, "q": "short", "r": null, "s": {}})", &error));
  REQUIRE(facts.entries().size() == 4);
  CHECK(facts.entries()[1].path == "q");
  CHECK(facts.entries()[1].value == FactValue{Kind::kString, false, "short"});
  CHECK(facts.entries()[1].value.text.data() == storage);  // the 100-byte buffer, kept
  CHECK(facts.entries()[0].value == FactValue{Kind::kBool, true, ""});
  CHECK(facts.entries()[2].value == FactValue{Kind::kNull, false, ""});
  CHECK(facts.entries()[3].value == FactValue{Kind::kObject, false, ""});
  CHECK(facts.entries()[3].path == "s");
  CHECK(facts.entries()[0].source.empty());

  // A failure leaves it empty; the next call works again.
  CHECK_FALSE(facts.assign_json(R"({"a": 1, "a": 2})", &error));
  CHECK(error == "line 1, column 10: duplicate key `a` (first at line 1, column 2)");
  CHECK(facts.entries().empty());
  REQUIRE(facts.assign_json(R"({"a": 1})", &error));
  CHECK(facts.entries().size() == 1);
  const auto copy = Facts::from_json(R"({"a": 1})", &error);
  REQUIRE(copy);
  CHECK(same_entries(copy->entries(), facts.entries()));
}

TEST_CASE("Facts::assign_subtree takes the entries under a prefix", "[facts][json]") {
  const Facts line = parse_ok(R"({"id": 1, "facts": {"p": {"t": 2}, "q": "x"}, "factsx": 3, "facts.r": false})", "l");
  Facts facts;
  facts.set_number("stale", "1");
  facts.assign_subtree(line, "facts");
  REQUIRE(facts.entries().size() == 4);
  CHECK(facts.entries()[0].path == "p");
  CHECK(facts.entries()[0].value.kind == Kind::kObject);
  CHECK(facts.entries()[1].path == "p.t");
  CHECK(facts.entries()[1].value == FactValue{Kind::kNumber, false, "2"});
  CHECK(facts.entries()[2].path == "q");
  CHECK(facts.entries()[3].path == "r");
  CHECK(facts.entries()[3].source == "l");
  facts.assign_subtree(line, "facts.p");
  REQUIRE(facts.entries().size() == 1);
  CHECK(facts.entries()[0].path == "t");
  facts.assign_subtree(line, "");
  CHECK(same_entries(facts.entries(), line.entries()));
  facts.assign_subtree(facts, "facts");  // from itself
  CHECK(facts.entries().size() == 4);
}
