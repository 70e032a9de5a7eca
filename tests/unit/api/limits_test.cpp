// edict::Limits: each limit, when exceeded, gives `limit-exceeded` at the right place (compile), an error naming
// the JSON path (facts) or an explicit evaluation error (steps); the same input within the limit is fine.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "../support/semantic_support.hpp"
#include "api/internals.hpp"

using edict_test::compile_ok;
using edict_test::diagnostics_text;
using edict_test::facts_json;
using edict_test::summary;

namespace {

// One policy that uses every construct a compile limit bounds; lib.edict is imported.
const std::string kMain = R"(policy "Limits"
  outcomes deny > allow
  default allow
end
use iso3166
import "lib.edict"
fact product.tpp : decimal "TPP"
define d1 = product.tpp + 1
define d2 = d1 + 1
define d3 = d2 + 1
group g : string
  members {"a", "b", "c"}
end
rule r1
  title "abcdefghijk"
  citation "c"
  when d3 > ((((1234)))) and product.name in g
  then deny
end
rule r2
  title "t"
  citation "c"
  when product.tpp > 1
  then deny
end
rule r3
  title "t"
  citation "c"
  when product.tpp > 2
  then deny
end
)";
const std::string kLib = "fact product.name : string \"Name\"\n";

std::optional<std::string> read_memory(const std::string& path) {
  if (path == "pol/lib.edict") return kLib;
  return std::nullopt;
}

edict::CompileResult compile_with(const edict::Limits& limits) {
  edict::CompileOptions options;
  options.limits = limits;
  options.read_file = &read_memory;
  return edict::compile({edict::SourceFile{"pol/main.edict", kMain}}, options);
}

// 1-based line and column of the first occurrence of `needle` in kMain.
std::pair<std::uint32_t, std::uint32_t> position_of(const std::string& needle) {
  const auto at = kMain.find(needle);
  REQUIRE(at != std::string::npos);
  const auto line_start = kMain.rfind('\n', at) == std::string::npos ? 0 : kMain.rfind('\n', at) + 1;
  return {static_cast<std::uint32_t>(std::count(kMain.begin(), kMain.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1),
          static_cast<std::uint32_t>(at - line_start + 1)};
}

}  // namespace

TEST_CASE("every compile limit gives limit-exceeded where it is exceeded", "[limits][api]") {
  REQUIRE(compile_with(edict::Limits{}).ok());
  struct Row {
    const char* name;
    std::function<void(edict::Limits&)> set;
    const char* at;       // the diagnostic points here (in pol/main.edict)
    std::string message;  // exactly
  };
  const Row rows[] = {
      {"source_file_bytes", [](edict::Limits& l) { l.source_file_bytes = 200; }, "policy \"Limits\"",
       "source file is " + std::to_string(kMain.size()) + " bytes, larger than the limit of 200 bytes"},
      {"total_source_bytes", [](edict::Limits& l) { l.total_source_bytes = kMain.size() + 20; },
       "import \"lib.edict\"",
       "loading `pol/lib.edict` (34 bytes) would make the policy's files larger than " +
           std::to_string(kMain.size() + 20) + " bytes in all"},
      {"imported_files", [](edict::Limits& l) { l.imported_files = 2; }, "import \"lib.edict\"",
       "loading `pol/lib.edict` would make more than 2 policy files"},
      {"nesting_depth", [](edict::Limits& l) { l.nesting_depth = 3; }, "(1234)",
       "expression nesting is deeper than 3 levels"},
      {"chain_depth", [](edict::Limits& l) { l.chain_depth = 2; }, "d3 = d2",
       "definition `d3` is built from a chain of more than 2 definitions"},
      {"number_digits", [](edict::Limits& l) { l.number_digits = 3; }, "1234",
       "number literal has more than 3 digits"},
      {"string_bytes", [](edict::Limits& l) { l.string_bytes = 10; }, "\"abcdefghijk\"",
       "string literal is 11 bytes, more than the limit of 10 bytes"},
      {"rules", [](edict::Limits& l) { l.rules = 2; }, "r3", "the policy has more than 2 rules and exemptions"},
      {"group_members", [](edict::Limits& l) { l.group_members = 2; }, "\"c\"",
       "group `g` has more than 2 members"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    edict::Limits limits;
    row.set(limits);
    const auto compiled = compile_with(limits);
    INFO(diagnostics_text(compiled.diagnostics));
    CHECK_FALSE(compiled.ok());
    const auto* d = edict_test::find_code(compiled.diagnostics, "limit-exceeded");
    REQUIRE(d != nullptr);
    CHECK(d->message == row.message);
    CHECK(d->file == "pol/main.edict");
    const auto [line, column] = position_of(row.at);
    CHECK(d->line == line);
    CHECK(d->column == column);
  }
}

TEST_CASE("an enum with more members than group_members is limit-exceeded", "[limits][api]") {
  edict::CompileOptions options;
  options.limits.group_members = 300;  // iso3166 has 249 codes
  CHECK(compile_ok({edict::SourceFile{"p.edict", R"(policy "E"
  outcomes deny > allow
  default allow
end
use iso3166
)"}}, options));
  options.limits.group_members = 100;
  const auto compiled = edict::compile({edict::SourceFile{"p.edict", "policy \"E\"\n  outcomes deny > allow\n  default allow\nend\nuse iso3166\n"}}, options);
  const auto* d = edict_test::find_code(compiled.diagnostics, "limit-exceeded");
  REQUIRE(d != nullptr);
  CHECK(d->message == "enum `country` has more than 100 members");
}

TEST_CASE("the deprecated CompileOptions fields still override the limits", "[limits][api]") {
  edict::CompileOptions options;
  options.max_nesting_depth = 3;
  options.max_number_digits = 5;
  options.max_source_bytes = 7;
  const auto limits = options.effective_limits();
  CHECK(limits.nesting_depth == 3);
  CHECK(limits.chain_depth == 3);
  CHECK(limits.number_digits == 5);
  CHECK(limits.source_file_bytes == 7);
  CHECK(limits.rules == edict::Limits{}.rules);
}

TEST_CASE("100,000-deep expressions are limit-exceeded with the default limits, never a stack overflow",
          "[limits][api]") {
  const std::string head = "policy \"Deep\"\n  outcomes deny > allow\n  default allow\nend\nfact x : decimal \"x\"\n"
                           "fact b : bool \"b\"\nrule r\n  title \"t\"\n  citation \"c\"\n  when ";
  const auto repeat = [](const std::string& piece, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += piece;
    return out;
  };
  const int n = 100000;
  const std::string conditions[] = {
      repeat("(", n) + "b" + repeat(")", n),
      repeat("not ", n) + "b",
      repeat("-", n) + "x > 0",
      repeat("- ", n) + "x > 0",
      "x" + repeat(" + x", n) + " > 0",
      "b" + repeat(" and b", n),
      "b" + repeat(" or b", n),
      repeat("if b then ", n) + "b" + repeat(" else b", n),
  };
  for (const auto& condition : conditions) {
    INFO(condition.substr(0, 40));
    const auto compiled = edict::compile({edict::SourceFile{"deep.edict", head + condition + "\n  then deny\nend\n"}});
    CHECK_FALSE(compiled.ok());
    const auto* d = edict_test::find_code(compiled.diagnostics, "limit-exceeded");
    REQUIRE(d != nullptr);
    CHECK(d->message == "expression nesting is deeper than 64 levels");
    CHECK(d->line == 10);
  }
}

// ---- facts ------------------------------------------------------------------------------------------------

TEST_CASE("every facts limit gives an error naming the path or position", "[limits][facts]") {
  struct Row {
    const char* name;
    std::function<void(edict::Limits&)> set;
    const char* json;
    const char* error;  // exactly
  };
  const Row rows[] = {
      {"facts_bytes", [](edict::Limits& l) { l.facts_bytes = 10; }, R"({"product": {"tpp": 1}})",
       "facts are 23 bytes, more than the limit of 10 bytes"},
      {"facts_depth", [](edict::Limits& l) { l.facts_depth = 2; }, R"({"product": {"tpp": {"x": 1}}})",
       "line 1, column 21: facts are nested deeper than 2 levels"},
      {"fact_entries", [](edict::Limits& l) { l.fact_entries = 2; }, R"({"product": {"tpp": 1, "name": "x"}})",
       "line 1, column 32: `product.name`: facts have more than 2 entries"},
      {"fact_number_digits", [](edict::Limits& l) { l.fact_number_digits = 3; }, R"({"product": {"tpp": 12.34}})",
       "line 1, column 21: `product.tpp`: number has 4 digits, more than the limit of 3"},
      {"fact_number_digits in an array", [](edict::Limits& l) { l.fact_number_digits = 3; },
       R"({"list": [1, 2, 3000]})", "line 1, column 17: `list`: number has 4 digits, more than the limit of 3"},
      {"exponent", [](edict::Limits&) {}, R"({"product": {"tpp": 1e10001}})",
       "line 1, column 21: `product.tpp`: exponent of `1e10001` is beyond the limit of +-10000"},
      {"fact_string_bytes", [](edict::Limits& l) { l.fact_string_bytes = 3; }, R"({"product": {"name": "abcd"}})",
       "line 1, column 22: `product.name`: string is 4 bytes, more than the limit of 3 bytes"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    edict::Limits limits;
    row.set(limits);
    std::string error;
    CHECK_FALSE(edict::Facts::from_json(row.json, &error, "f.json", limits).has_value());
    CHECK(error == row.error);
    edict::Facts reused;
    CHECK_FALSE(reused.assign_json(row.json, &error, "f.json", limits));
    CHECK(error == row.error);
    CHECK(reused.entries().empty());
  }
  // Within the limits, and exponents up to +-10000, all is read.
  std::string error;
  CHECK(edict::Facts::from_json(R"({"product": {"tpp": 1e10000, "n": 1E-10000}})", &error).has_value());
  CHECK(edict::Facts::from_json("{\"a\": " + std::string(1000, '9') + "}", &error).has_value());
  CHECK(edict::Facts::from_json("{\"a\": \"" + std::string(64 << 10, 'x') + "\"}", &error).has_value());
}

TEST_CASE("deep JSON facts are an error with the default limits, never a stack overflow", "[limits][facts]") {
  std::string error;
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  CHECK_FALSE(edict::Facts::from_json(objects, &error).has_value());
  CHECK(error == "line 1, column 321: facts are nested deeper than 64 levels");
  CHECK_FALSE(edict::Facts::from_json("{\"a\":" + std::string(100000, '['), &error).has_value());
  CHECK(error == "line 1, column 69: facts are nested deeper than 64 levels");
}

namespace {

const std::string kFactsPolicy = R"(policy "Facts"
  outcomes deny > allow
  default allow
end
fact product.tpp : decimal "TPP"
fact product.name : optional string "Name"
rule r
  title "t"
  citation "c"
  when product.tpp >= 4800
  then deny
end
)";

}  // namespace

TEST_CASE("facts built in code are held to the fact limits when evaluated", "[limits][facts]") {
  const auto policy = compile_ok(kFactsPolicy);
  edict::EvalOptions options;
  options.as_of = edict_test::date("2024-01-01");
  struct Row {
    const char* name;
    std::function<void(edict::Facts&)> fill;
    const char* error;
  };
  const Row rows[] = {
      {"digits", [](edict::Facts& f) { f.set_number("product.tpp", std::string(1001, '9')); },
       "`product.tpp`: expected a number: number has 1001 digits, more than the limit of 1000"},
      {"exponent", [](edict::Facts& f) { f.set_number("product.tpp", "1e10001"); },
       "`product.tpp`: expected a number: the exponent of `1e10001` is beyond the limit of +-10000"},
      {"not a number", [](edict::Facts& f) { f.set_number("product.tpp", "12abc"); },
       "`product.tpp`: expected a number: `12abc` is not a valid number"},
      {"string", [](edict::Facts& f) {
         f.set_number("product.tpp", "1");
         f.set_string("product.name", std::string((64 << 10) + 1, 'x'));
       },
       "`product.name`: string is 65537 bytes, more than the limit of 65536 bytes"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    edict::Facts facts;
    row.fill(facts);
    const auto r = policy->evaluate(facts, options);
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.limit_exceeded);
    CHECK(r.errors == std::vector<std::string>{row.error});
  }
  edict::Facts three;
  three.set_number("product.tpp", "1");
  three.set_string("product.name", "n");
  three.set_bool("extra", true);
  edict::Limits two = policy->limits();
  two.fact_entries = 2;
  options.limits = two;
  const auto r = policy->evaluate(three, options);
  CHECK_FALSE(r.ok);
  CHECK(r.errors == std::vector<std::string>{"facts have 3 entries, more than the limit of 2"});
}

TEST_CASE("a number in exponent form is read exactly", "[limits][facts]") {
  const auto policy = compile_ok(kFactsPolicy);
  const struct {
    const char* tpp;
    const char* decision;
  } rows[] = {{"4.8e3", "deny"}, {"48E2", "deny"}, {"4.7999e3", "allow"}, {"480000e-2", "deny"},
              {"479999.99e-2", "allow"}, {"1e10000", "deny"}};
  for (const auto& row : rows) {
    INFO(row.tpp);
    const auto r = edict_test::evaluate_json(*policy, std::string(R"({"product": {"tpp": )") + row.tpp + "}}");
    INFO(summary(r));
    CHECK(r.decision == row.decision);
  }
}

// ---- evaluation steps ---------------------------------------------------------------------------------------

namespace {

// g0 = {US}, g1 = g0 union g0, ..., g40: a membership test of a non-member visits 2^41 set nodes.
std::string doubling_groups() {
  std::string text = R"(policy "Steps"
  outcomes deny > allow
  default allow
end
use iso3166
fact destination.country : country "Destination"
group g0 : country
  members {US}
end
)";
  for (int k = 1; k <= 40; ++k) {
    text += "group g" + std::to_string(k) + " : country = g" + std::to_string(k - 1) + " union g" +
            std::to_string(k - 1) + " end\n";
  }
  return text + "rule r\n  title \"t\"\n  citation \"c\"\n  when destination.country in g40\n  then deny\nend\n";
}

}  // namespace

TEST_CASE("an evaluation that needs more steps than the limit stops with an explicit error", "[limits][eval]") {
  const auto policy = compile_ok(doubling_groups());
  edict::EvalOptions options;
  options.as_of = edict_test::date("2024-01-01");
  const std::string expected = "evaluation stopped after 10000000 steps: the policy needs more than the limit of "
                               "evaluation steps (Limits::eval_steps)";
  for (const bool trace : {false, true}) {
    INFO("trace " << trace);
    options.trace = trace;
    const auto r = policy->evaluate(facts_json(R"({"destination": {"country": "CN"}})"), options);
    CHECK_FALSE(r.ok);
    CHECK(r.limit_exceeded);
    CHECK(r.errors == std::vector<std::string>{expected});
    CHECK(r.decision.empty());
    CHECK(edict::render_text(r).starts_with("error: the evaluation exceeded a limit\n  - " + expected));
  }
  edict::Session session(*policy);
  options.trace = false;
  const auto& d = session.decide(facts_json(R"({"destination": {"country": "CN"}})"), options);
  CHECK_FALSE(d.ok);
  CHECK(d.limit_exceeded);
  CHECK(*d.errors == std::vector<std::string>{expected});
  // The session is fine afterwards: a member is found on the first path (union stops at the first true).
  const auto& again = session.decide(facts_json(R"({"destination": {"country": "US"}})"), options);
  CHECK(again.ok);
  CHECK(again.decision == "deny");
}

TEST_CASE("without set-algebra chains an evaluation takes at most two steps per compiled node", "[limits][eval]") {
  const auto policy = compile_ok(R"(policy "Bound"
  outcomes deny > review > allow
  default allow
end
use iso3166
fact x : decimal "x"
fact destination.country : country "Destination"
define twice = x * 2
define both = twice + twice
parameter cap
  10 from 2020-01-01
end
tier size
  "big" when both > cap
  otherwise "small"
end
rule classify_big
  title "t"
  citation "c"
  when size == "big" and destination.country in {CN, RU}
  then classify "BIG"
end
rule r
  title "t"
  citation "c"
  when classified "BIG" or (x > 100 and not (x > 1000))
  then deny
end
exemption e
  title "t"
  citation "c"
  overrides r
  when twice > 7
  then review
end
)");
  const auto nodes = edict::program_of(*policy).nodes.size();
  const auto facts = facts_json(R"({"x": 4, "destination": {"country": "CN"}})");
  edict::EvalOptions options;
  options.as_of = edict_test::date("2024-01-01");
  edict::Limits limits = policy->limits();
  // The fewest steps that suffice: found by bisection.
  std::uint64_t low = 0, high = 2 * nodes + 1;
  const auto fits = [&](std::uint64_t steps) {
    limits.eval_steps = steps;
    options.limits = limits;
    return policy->evaluate(facts, options).ok;
  };
  REQUIRE(fits(high));
  while (low + 1 < high) {
    const auto mid = (low + high) / 2;
    (fits(mid) ? high : low) = mid;
  }
  INFO("steps " << high << ", nodes " << nodes);
  CHECK(high <= 2 * nodes);
  CHECK(fits(high));
  CHECK_FALSE(fits(high - 1));
  limits.eval_steps = high;
  options.limits = limits;
  CHECK(policy->evaluate(facts, options).decision == "review");
}

TEST_CASE("evaluation uses the compile limits unless EvalOptions::limits is set", "[limits][eval]") {
  edict::CompileOptions compile_options;
  compile_options.limits.eval_steps = 2;
  const auto policy = compile_ok({edict::SourceFile{"p.edict", kFactsPolicy}}, compile_options);
  CHECK(policy->limits().eval_steps == 2);
  const auto facts = facts_json(R"({"product": {"tpp": 5000}})");
  edict::EvalOptions options;
  options.as_of = edict_test::date("2024-01-01");
  const auto stopped = policy->evaluate(facts, options);
  CHECK(stopped.limit_exceeded);
  options.limits = edict::Limits{};
  const auto r = policy->evaluate(facts, options);
  INFO(summary(r));
  CHECK(r.decision == "deny");
}

// ---- the policy root -------------------------------------------------------------------------------------

TEST_CASE("a policy cannot read files outside its root", "[limits][imports]") {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("edict_root_test_" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "pol");
  fs::create_directories(base / "outside");
  const auto write = [](const fs::path& path, const std::string& text) { std::ofstream(path) << text; };
  const std::string head = "policy \"Root\"\n  outcomes deny > allow\n  default allow\nend\n";
  write(base / "outside" / "secret.edict", "fact secret : decimal \"s\"\n");
  write(base / "pol" / "inside.edict", "fact inside : decimal \"i\"\n");
  fs::create_symlink(base / "outside" / "secret.edict", base / "pol" / "link.edict");
  fs::create_symlink(base / "pol" / "inside.edict", base / "pol" / "ok_link.edict");
  struct Row {
    std::string import;
    const char* code;  // nullptr: compiles
  };
  const Row rows[] = {
      {"inside.edict", nullptr},
      {"ok_link.edict", nullptr},  // a symbolic link that stays inside the root is followed
      {"../outside/secret.edict", "import-outside-root"},
      {(base / "outside" / "secret.edict").string(), "import-outside-root"},  // absolute
      {"/etc/passwd", "import-outside-root"},
      {"link.edict", "import-outside-root"},  // a symbolic link that leads outside
  };
  for (const Row& row : rows) {
    INFO(row.import);
    const auto compiled = edict::compile(
        {edict::SourceFile{(base / "pol" / "main.edict").string(), "import \"" + row.import + "\"\n" + head}});
    INFO(diagnostics_text(compiled.diagnostics));
    if (row.code == nullptr) {
      CHECK(compiled.ok());
    } else {
      CHECK(edict_test::find_code(compiled.diagnostics, row.code) != nullptr);
    }
  }
  // A directory compiled as a policy: a symbolic link in it that leads outside is refused too.
  write(base / "pol" / "main.edict", head);
  const auto whole = edict::compile_path((base / "pol").string());
  INFO(diagnostics_text(whole.diagnostics));
  CHECK_FALSE(whole.ok());
  const auto* d = edict_test::find_code(whole.diagnostics, "import-outside-root");
  REQUIRE(d != nullptr);
  CHECK(d->message.find("link.edict` is a symbolic link that leads outside") != std::string::npos);
  fs::remove_all(base);
}
