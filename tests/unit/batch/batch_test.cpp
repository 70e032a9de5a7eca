// Batch evaluation (edict/batch.hpp): the lean no-trace JSON equals render_json of the full result, every
// kind of bad line gets its own error object, and every input line gives exactly one output line, with the
// same bytes for any thread count, block size and number of blocks in flight.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "edict/batch.hpp"
#include "edict/edict.hpp"

#include "../support/repo_files.hpp"

using edict::BatchOptions;
using edict::Date;

namespace {

using edict_test::kRepoRoot;
using edict_test::load;
using edict_test::read;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t count_newlines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

BatchOptions options_at(const char* as_of, std::optional<Date> rules_as_of = std::nullopt) {
  BatchOptions options;
  options.as_of = *Date::parse(as_of);
  options.rules_as_of = rules_as_of;
  return options;
}

std::string run(const edict::Policy& policy, const std::string& input, const BatchOptions& options,
                edict::BatchSummary* summary = nullptr) {
  std::istringstream in(input);
  std::ostringstream out;
  const auto s = edict::run_batch(policy, in, out, options);
  if (summary != nullptr) *summary = s;
  return out.str();
}

// The reference: a well-formed case line evaluated with Policy::evaluate and rendered with render_json.
std::string reference(const edict::Policy& policy, const std::string& line, const BatchOptions& options) {
  std::string error;
  const auto parsed = edict::Facts::from_json(line, &error, "line");
  REQUIRE(parsed);
  edict::EvalOptions eval;
  eval.as_of = options.as_of;
  eval.rules_as_of = options.rules_as_of;
  eval.trace = options.trace;
  std::string id;
  if (const auto* e = parsed->find("id")) id = e->value.kind == edict::FactValue::Kind::kString ? edict::json_quote(e->value.text) : e->value.text;
  if (const auto* e = parsed->find("as_of")) eval.as_of = *Date::parse(e->value.text);
  if (const auto* e = parsed->find("rules_as_of")) eval.rules_as_of = Date::parse(e->value.text);
  edict::Facts facts;
  facts.assign_subtree(*parsed, "facts");
  return edict::render_json(policy.evaluate(facts, eval), id);
}

}  // namespace

TEST_CASE("Batch results without trace are byte-identical to render_json of the full result", "[batch]") {
  struct Corpus {
    const char* policy;
    std::vector<std::string> lines;
  };
  const auto ear_catalog = lines_of(read("tests/golden/corpora/ear_catalog.jsonl"));
  const auto diff_cases = lines_of(read("tests/golden/corpora/diff/cases.jsonl"));
  const std::vector<std::string> extra = {
      R"({"id":"no facts","facts":{}})",  // indeterminate: every missing fact named
      R"({"id":"conflict","facts":{"product":{"tpp":4900}}})",
      R"({"id":"with dates","facts":{"product":{"tpp":4900}},"as_of":"2023-01-01","rules_as_of":"2023-10-20"})",
      R"({"id":"escape \"me\"\n","facts":{"product":{"tpp":15832,"die_area_mm2":814,"datacenter":true},"destination":{"country":"CN"},"end_user":{"hq_country":"MO"}}})",
      R"({"facts":{"product":{"tpp":2054.24,"die_area_mm2":347,"datacenter":true},"destination":{"country":"RU"},"surplus":1}})",
  };
  std::vector<Corpus> corpora = {{"policies/ear", ear_catalog},
                                 {"tests/golden/corpora/diff/old.edict", diff_cases},
                                 {"tests/golden/corpora/diff/new.edict", diff_cases},
                                 {"policies/examples/chips", extra},
                                 {"tests/golden/policies/exemption_conflict.edict", extra},
                                 {"policies/ear", extra}};
  std::size_t compared = 0, indeterminate = 0, conflicts = 0, exempted = 0;
  for (const auto& corpus : corpora) {
    const auto policy = load(corpus.policy);
    for (const char* as_of : {"2022-06-01", "2023-12-01", "2025-03-01"}) {
      for (const auto rules_as_of : {std::optional<Date>{}, Date::parse("2023-10-20")}) {
        const auto options = options_at(as_of, rules_as_of);
        edict::BatchLineEvaluator evaluator(*policy, options);
        for (const auto& line : corpus.lines) {
          INFO(corpus.policy << " as of " << as_of << ": " << line);
          const std::string actual = evaluator.evaluate_line(line);
          REQUIRE(actual == reference(*policy, line, options));
          ++compared;
          indeterminate += actual.find("\"indeterminate_facts\":[\"") != std::string::npos;
          conflicts += actual.find("\"conflicts\":[{") != std::string::npos;
          exempted += actual.find("\"exemptions\":[\"") != std::string::npos;
        }
      }
    }
  }
  // The comparison covered every part of the output.
  CHECK(compared > 3000);
  CHECK(indeterminate > 0);
  CHECK(conflicts > 0);
  CHECK(exempted > 0);
}

TEST_CASE("Batch with trace gives render_json of the traced result", "[batch]") {
  const auto policy = load("policies/examples/chips");
  auto options = options_at("2024-06-01");
  options.trace = true;
  const std::string line =
      R"({"id":1,"facts":{"product":{"tpp":15832,"die_area_mm2":814,"datacenter":true},"destination":{"country":"CN"}}})";
  const std::string actual = edict::BatchLineEvaluator(*policy, options).evaluate_line(line);
  CHECK(actual == reference(*policy, line, options));
  CHECK(actual.find("\"trace\":[{") != std::string::npos);
}

TEST_CASE("Each bad batch line gets its own error object, with the id when it could be read", "[batch]") {
  using namespace std::string_literals;
  const auto policy = load("policies/examples/chips");
  auto options = options_at("2024-06-01");
  options.max_line_bytes = 64;
  edict::BatchLineEvaluator evaluator(*policy, options);
  struct BadLine {
    std::string line;
    std::string output;
  };
  const std::vector<BadLine> table = {
      {"", R"({"error":{"messages":["empty line"]}})"},
      {" \t ", R"({"error":{"messages":["empty line"]}})"},
      {R"({"id":1 "facts":{}})", R"({"error":{"messages":["line 1, column 9: unexpected string literal; expected `,` or `}`"]}})"},
      {R"({"id":"t","facts":{"product":)", R"({"error":{"messages":["line 1, column 30: unexpected end of input; expected `[`, `{`, or a literal"]}})"},
      {R"([{"id":1}])", R"({"error":{"messages":["a line must be a JSON object {\"id\", \"facts\", \"as_of\", \"rules_as_of\"}"]}})"},
      {"42", R"({"error":{"messages":["a line must be a JSON object {\"id\", \"facts\", \"as_of\", \"rules_as_of\"}"]}})"},
      {"{\"id\":\"u\xC3\",\"facts\":{}}", R"({"error":{"messages":["line 1, column 10: `id`: invalid string: ill-formed UTF-8 byte"]}})"},
      {"{\"id\":1,\0}"s, R"({"error":{"messages":["line 1, column 9: unexpected byte 0x00; expected string literal"]}})"},
      {R"({"id":"d","facts":{},"as_of":"2023-02-29"})", R"({"id":"d","error":{"messages":["`as_of` must be a date string YYYY-MM-DD"]}})"},
      {R"({"id":"r","facts":{},"rules_as_of":null})", R"({"id":"r","error":{"messages":["`rules_as_of` must be a date string YYYY-MM-DD"]}})"},
      {R"({"facts":{},"id":"late","when":1})", R"x({"id":"late","error":{"messages":["unknown field `when` (expected id, facts, as_of, rules_as_of)"]}})x"},
      {R"({"id":"o","x":{"y":{"z":1}}})", R"x({"id":"o","error":{"messages":["unknown field `x` (expected id, facts, as_of, rules_as_of)"]}})x"},
      {R"({"id":"f","facts":"CN"})", R"({"id":"f","error":{"messages":["`facts` must be a JSON object"]}})"},
      {R"({"id":{"a":1},"facts":{}})", R"({"error":{"messages":["`id` must be a string or a number"]}})"},
      {R"({"id":"s","facts":{"product":{"tpp":true}}})", R"({"id":"s","error":{"messages":["`product.tpp`: expected a number, got true"]},"warnings":[]})"},
      {R"({"id":"too long","facts":{"product":{"name":"0123456789012345678901234567890123456789"}}})", R"({"error":{"messages":["line longer than 64 bytes (the batch limit); skipped"]}})"},
  };
  for (const auto& bad : table) {
    INFO(bad.line);
    CHECK(evaluator.evaluate_line(bad.line) == bad.output);
  }
  // A good line after all of them is still evaluated normally (no state leaks from the errors).
  CHECK(evaluator.evaluate_line(R"({"id":"ok","facts":{"destination":{"country":"DE"}}})")
            .starts_with(R"({"id":"ok","decision":"no_license_required",)"));
}

TEST_CASE("Every batch line gives one output line, the same bytes for any threads and block sizes", "[batch]") {
  const auto policy = load("policies/examples/chips");
  const std::string mixed = read("tests/golden/cases/batch_mixed/cases.jsonl");
  // The golden mixed corpus, then many copies of it shuffled by line (deterministically), with and without a
  // final newline.
  auto lines = lines_of(mixed);
  REQUIRE(lines.size() == 25);
  std::string big;
  for (std::size_t i = 0; i < 4000; ++i) big += lines[(i * 7919) % lines.size()] + "\n";
  auto options = options_at("2024-06-01");
  options.max_line_bytes = 400;
  struct Input {
    const char* what;
    std::string text;
    std::size_t lines;
  };
  const std::vector<Input> inputs = {{"golden mixed corpus, no final newline", mixed, 25},
                                     {"4,000 mixed lines", big, 4000},
                                     {"empty input", "", 0},
                                     {"one newline", "\n", 1}};
  for (const auto& input : inputs) {
    edict::BatchSummary serial_summary;
    const std::string serial = run(*policy, input.text, options, &serial_summary);
    INFO(input.what);
    CHECK(count_newlines(serial) == input.lines);
    CHECK(serial_summary.lines == input.lines);
    CHECK_FALSE(serial_summary.read_failed);
    CHECK_FALSE(serial_summary.write_failed);
    for (const std::size_t threads : {1, 2, 3, 5}) {
      for (const std::size_t block_lines : {1, 3, 1024}) {
        for (const std::size_t max_blocks : {0, 2, 3}) {
          INFO(threads << " threads, blocks of " << block_lines << " lines, at most " << max_blocks << " blocks");
          auto o = options;
          o.threads = threads;
          o.block_lines = block_lines;
          o.max_blocks = max_blocks;
          edict::BatchSummary summary;
          CHECK(run(*policy, input.text, o, &summary) == serial);
          CHECK(summary.lines == serial_summary.lines);
          CHECK(summary.errors == serial_summary.errors);
        }
      }
    }
  }
}

TEST_CASE("The mixed batch corpus: good lines decide, bad lines say why, one output line each", "[batch]") {
  const auto policy = load("policies/examples/chips");
  auto options = options_at("2024-06-01");
  options.max_line_bytes = 400;
  edict::BatchSummary summary;
  const auto output = lines_of(run(*policy, read("tests/golden/cases/batch_mixed/cases.jsonl"), options, &summary));
  // What each output line starts with, in input order.
  const std::vector<std::string> expected = {
      R"({"id":"good-1","decision":"license_required",)",
      R"({"line":2,"error":{"messages":["empty line"]}})",
      R"({"line":3,"error":{"messages":["empty line"]}})",
      R"({"line":4,"error":{"messages":["line 1, column 18: unexpected string literal; expected `,` or `}`"]}})",
      R"({"line":5,"error":{"messages":["line 1, column 48: unexpected end of input; expected `,` or `}`"]}})",
      R"({"line":6,"error":{"messages":["a line must be a JSON object)",
      R"({"line":7,"error":{"messages":["a line must be a JSON object)",
      R"({"line":8,"error":{"messages":["line 1, column 50: `facts.destination.country`: invalid string: ill-formed UTF-8 byte"]}})",
      R"({"id":"bad-date","line":9,"error":{"messages":["`as_of` must be a date string YYYY-MM-DD"]}})",
      R"({"id":"date-number","line":10,"error":{"messages":["`as_of` must be a date string YYYY-MM-DD"]}})",
      R"x({"id":"unknown-field","line":11,"error":{"messages":["unknown field `asof` (expected id, facts, as_of, rules_as_of)"]}})x",
      R"({"id":"bad-facts","line":12,"error":{"messages":["`product.tpp`: expected a number, got the string \"many\"",)",
      R"({"id":"crlf","decision":"license_exception",)",
      R"({"line":14,"error":{"messages":["line 1, column 13: unexpected byte 0x00; expected string literal"]}})",
      R"({"line":15,"error":{"messages":["line longer than 400 bytes (the batch limit); skipped"]}})",
      R"({"id":7,"decision":"no_license_required",)",
      R"({"line":17,"error":{"messages":["`id` must be a string or a number"]}})",
      R"({"id":"facts-array","line":18,"error":{"messages":["`facts` must be a JSON object"]}})",
      R"({"line":19,"error":{"messages":["empty line"]}})",
      R"x({"line":20,"error":{"messages":["line 1, column 13: duplicate key `id` (first at line 1, column 2)"]}})x",
      R"({"line":21,"error":{"messages":["line 1, column 85: facts are nested deeper than 64 levels"]}})",
      R"({"id":"warning","decision":"no_license_required",)",
      R"({"id":"missing","decision":"indeterminate",)",
      R"x({"id":"object-field","line":24,"error":{"messages":["unknown field `extra` (expected id, facts, as_of, rules_as_of)"]}})x",
      R"({"id":"last-no-newline","decision":"no_license_required",)",
  };
  REQUIRE(output.size() == expected.size());
  CHECK(summary.lines == expected.size());
  std::size_t errors = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("line " << i + 1);
    CHECK(output[i].starts_with(expected[i]));
    errors += output[i].find("\"error\":") != std::string::npos;
  }
  CHECK(summary.errors == errors);
  CHECK(errors == 19);
}

TEST_CASE("A batch whose output fails stops and says so", "[batch]") {
  const auto policy = load("policies/examples/chips");
  for (const std::size_t threads : {1, 2}) {
    auto options = options_at("2024-06-01");
    options.threads = threads;
    options.block_lines = 2;
    std::string input;
    for (int i = 0; i < 100; ++i) input += R"({"id":1,"facts":{}})" "\n";
    std::istringstream in(input);
    std::ostringstream out;
    out.setstate(std::ios::badbit);
    const auto summary = edict::run_batch(*policy, in, out, options);
    CHECK(summary.write_failed);
    CHECK(summary.lines == 0);
  }
}

TEST_CASE("Batch lines are read with the facts limits the policy was compiled with", "[batch]") {
  edict::CompileOptions compile_options;
  compile_options.limits.fact_entries = 3;  // entries "facts", "facts.product", "facts.product.tpp"
  const auto compiled = edict::compile({{"p.edict", R"(policy "p"
  outcomes yes > no
  default no
end
fact product.tpp : decimal "TPP"
rule big
  title "big"
  citation "c"
  when product.tpp >= 4800
  then yes
end
)"}},
                                       compile_options);
  REQUIRE(compiled.ok());
  edict::BatchOptions options;
  options.as_of = *edict::Date::from_ymd(2024, 1, 1);
  edict::BatchLineEvaluator evaluator(*compiled.policy, options);
  CHECK(evaluator.evaluate_line(R"({"facts":{"product":{"tpp":5000}}})").find("\"decision\":\"yes\"") != std::string::npos);
  const std::string too_many = evaluator.evaluate_line(R"({"facts":{"product":{"tpp":5000,"name":"x"}}})");
  INFO(too_many);
  CHECK(too_many.find("\"error\"") != std::string::npos);
  CHECK(too_many.find("3") != std::string::npos);
}
