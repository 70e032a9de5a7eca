// Helpers shared by the semantic tests (tests/unit/eval/*_semantics_test.cpp, tests/unit/sema/*): compile
// small inline policies and evaluate them with facts given as JSON text.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edict/edict.hpp"

namespace edict_test {

inline std::string diagnostics_text(const std::vector<edict::Diagnostic>& diagnostics) {
  return diagnostics.empty() ? std::string("(no diagnostics)") : edict::render_all(diagnostics);
}

// Compiles the sources and requires success (the diagnostics are printed on failure).
inline std::shared_ptr<const edict::Policy> compile_ok(const std::vector<edict::SourceFile>& sources,
                                                       const edict::CompileOptions& options = {}) {
  auto compiled = edict::compile(sources, options);
  INFO(diagnostics_text(compiled.diagnostics));
  REQUIRE(compiled.ok());
  return compiled.policy;
}

inline std::shared_ptr<const edict::Policy> compile_ok(const std::string& text) {
  return compile_ok({edict::SourceFile{"test.edict", text}});
}

inline edict::CompileResult compile_text(const std::string& text, const edict::CompileOptions& options = {}) {
  return edict::compile({edict::SourceFile{"test.edict", text}}, options);
}

inline edict::Date date(std::string_view iso) {
  auto parsed = edict::Date::parse(iso);
  REQUIRE(parsed.has_value());
  return *parsed;
}

inline edict::Facts facts_json(std::string_view json) {
  std::string error;
  auto facts = edict::Facts::from_json(json, &error, "facts.json");
  INFO(json);
  INFO(error);
  REQUIRE(facts.has_value());
  return *facts;
}

inline edict::EvalResult evaluate(const edict::Policy& policy, const edict::Facts& facts, std::string_view as_of,
                                  std::string_view rules_as_of = {}) {
  edict::EvalOptions options;
  options.as_of = date(as_of);
  if (!rules_as_of.empty()) options.rules_as_of = date(rules_as_of);
  return policy.evaluate(facts, options);
}

inline edict::EvalResult evaluate_json(const edict::Policy& policy, std::string_view json,
                                       std::string_view as_of = "2024-06-01", std::string_view rules_as_of = {}) {
  return evaluate(policy, facts_json(json), as_of, rules_as_of);
}

inline bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

inline bool any_contains(const std::vector<std::string>& values, std::string_view needle) {
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& v) { return v.find(needle) != std::string::npos; });
}

inline std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return "[" + out + "]";
}

// A one-line summary of a result for INFO messages.
inline std::string summary(const edict::EvalResult& r) {
  return "ok=" + std::string(r.ok ? "true" : "false") + " decision=" + r.decision +
         " classifications=" + joined(r.classifications) + " deciding=" + joined(r.deciding_rules) +
         " exemptions=" + joined(r.exemptions) + " indeterminate_facts=" + joined(r.indeterminate_facts) +
         " indeterminate_rules=" + joined(r.indeterminate_rules) + " errors=" + joined(r.errors) +
         " warnings=" + joined(r.warnings);
}

inline std::vector<std::string> codes_of(const std::vector<edict::Diagnostic>& diagnostics,
                                         edict::Severity severity) {
  std::vector<std::string> codes;
  for (const auto& d : diagnostics) {
    if (d.severity == severity) codes.push_back(d.code);
  }
  return codes;
}

inline const edict::Diagnostic* find_code(const std::vector<edict::Diagnostic>& diagnostics, std::string_view code) {
  for (const auto& d : diagnostics) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

}  // namespace edict_test
