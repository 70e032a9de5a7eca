// A minimal host program: compile a policy once, then evaluate it for facts built in code and from JSON.
// Built and run by the tests (tests/CMakeLists.txt), with the policy path as its argument.
#include <cstdio>

#include <fmt/format.h>

#include "edict/edict.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: embed_minimal POLICY\n");
    return 2;
  }
  // 1. Compile once. Errors come back as diagnostics, never as exceptions.
  const auto compiled = edict::compile_path(argv[1]);
  if (!compiled.ok()) {
    fmt::print(stderr, "{}", edict::render_all(compiled.diagnostics));
    return 2;
  }
  const edict::Policy& policy = *compiled.policy;  // immutable: share it across threads freely

  // 2. Facts built in code. Numbers are given as decimal text, so they stay exact.
  edict::Facts facts;
  facts.set_string("product.kind", "ic");
  facts.set_number("product.tpp", "4992");
  facts.set_number("product.die_area_mm2", "814");
  facts.set_bool("product.datacenter", true);
  facts.set_string("destination.country", "CN");

  edict::EvalOptions options;
  options.as_of = *edict::Date::parse("2024-06-01");
  options.trace = true;
  const auto result = policy.evaluate(facts, options);
  fmt::print("in code: {} (deciding: {})\n", result.decision,
             result.deciding_rules.empty() ? "-" : result.deciding_rules.front());

  // 3. The same facts from JSON text; JSON numbers are read from their text, never through a double.
  std::string error;
  const auto from_json = edict::Facts::from_json(
      R"({"product": {"kind": "ic", "tpp": 4992, "die_area_mm2": 814, "datacenter": true},
          "destination": {"country": "CN"}})",
      &error);
  if (!from_json) {
    fmt::print(stderr, "bad facts: {}\n", error);
    return 2;
  }
  const auto again = policy.evaluate(*from_json, options);
  fmt::print("from JSON: {}\n", again.decision);
  return again.decision == result.decision && result.trace != nullptr ? 0 : 1;
}
