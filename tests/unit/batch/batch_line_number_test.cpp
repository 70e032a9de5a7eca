// run_batch gives every error object the 1-based number of its input line (issue "Hardening round 2",
// item 11): {"id"?, "line": N, "error": ...}; results of good lines have no "line". The same bytes for any
// thread count and block size.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "edict/batch.hpp"
#include "edict/edict.hpp"

#include "../support/repo_files.hpp"

namespace {

std::vector<std::string> run_lines(const edict::Policy& policy, const std::string& input, std::size_t threads,
                                   std::size_t block_lines, bool trace = false) {
  edict::BatchOptions options;
  options.as_of = *edict::Date::parse("2024-06-01");
  options.threads = threads;
  options.block_lines = block_lines;
  options.max_line_bytes = 300;
  options.trace = trace;
  std::istringstream in(input);
  std::ostringstream out;
  const auto summary = edict::run_batch(policy, in, out, options);
  CHECK_FALSE(summary.read_failed);
  CHECK_FALSE(summary.write_failed);
  std::vector<std::string> lines;
  std::istringstream text(out.str());
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("batch: error objects carry their input line number", "[batch]") {
  const auto policy = edict_test::load("policies/examples/chips");
  const std::string good = R"({"id":"ok","facts":{"product":{"tpp":100,"die_area_mm2":100,"datacenter":false},)"
                           R"("destination":{"country":"DE"}}})";
  const std::string input = good + "\n" +                                   // 1
                            "\n" +                                          // 2 empty
                            "{\"id\":\"x\\\"error\\\":{\",\"as_of\":1}\n" +  // 3 an id that spells "error":
                            "[1]\n" +                                       // 4 not an object
                            "{" + std::string(400, ' ') + "}\n" +           // 5 too long
                            R"({"id":7,"facts":{"product":{"tpp":"many"}}})" + "\n" +  // 6 facts off the schema
                            good;                                           // 7, no final newline
  const std::vector<std::string> expected = {
      "",  // a result
      R"({"line":2,"error":{"messages":["empty line"]}})",
      R"({"id":"x\"error\":{","line":3,"error":{"messages":["`as_of` must be a date string YYYY-MM-DD"]}})",
      R"({"line":4,"error":{"messages":["a line must be a JSON object )"
      R"({\"id\", \"facts\", \"as_of\", \"rules_as_of\"}"]}})",
      R"({"line":5,"error":{"messages":["line longer than 300 bytes (the batch limit); skipped"]}})",
      "",  // checked below: the schema error of line 6
      "",
  };
  for (const std::size_t threads : {1, 3}) {
    for (const std::size_t block_lines : {1, 2, 1024}) {
      INFO("threads " << threads << ", block_lines " << block_lines);
      const auto lines = run_lines(*policy, input, threads, block_lines);
      REQUIRE(lines.size() == 7);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        INFO("line " << i + 1 << ": " << lines[i]);
        if (!expected[i].empty()) CHECK(lines[i] == expected[i]);
      }
      CHECK(lines[0].rfind(R"({"id":"ok","decision":)", 0) == 0);
      CHECK(lines[5].rfind(R"({"id":7,"line":6,"error":{"messages":[)", 0) == 0);
      CHECK(lines[6].find("\"line\"") == std::string::npos);
    }
  }
  // With traces, bad facts are rendered by render_json: the line number is there too.
  const auto traced = run_lines(*policy, input, 1, 1024, true);
  REQUIRE(traced.size() == 7);
  CHECK(traced[5].rfind(R"({"id":7,"line":6,"error":)", 0) == 0);
}
