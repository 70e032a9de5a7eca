// Fuzz target: arbitrary bytes as JSON facts (Facts::from_json) against a fixed policy, the EAR pack
// (EDICT_SOURCE_DIR/policies/ear, compiled once), evaluated at a few dates with and without trace.
// Oracles (besides the sanitizers): a rejected input has an error message, and refilling a used Facts with
// assign_json gives the same entries as from_json; evaluation never throws; a result that is not ok has
// errors; evaluating twice gives byte-identical JSON; Session::evaluate equals Policy::evaluate;
// Session::decide agrees with Policy::evaluate; rendering is deterministic.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <edict/date.hpp>
#include <edict/diagnostic.hpp>
#include <edict/facts.hpp>
#include <edict/policy.hpp>
#include <edict/render.hpp>

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz oracle failed: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// The EAR pack, compiled on first use and kept for the whole process (the Policy is immutable).
const edict::Policy& ear_policy() {
  static const std::shared_ptr<const edict::Policy> policy = [] {
    const edict::CompileResult compiled = edict::compile_path(EDICT_SOURCE_DIR "/policies/ear");
    if (!compiled.ok()) fail("the EAR pack does not compile", edict::render_all(compiled.diagnostics));
    return compiled.policy;
  }();
  return *policy;
}

bool same_entries(const std::vector<edict::FactEntry>& a, const std::vector<edict::FactEntry>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].path != b[i].path || a[i].value != b[i].value || a[i].source != b[i].source) return false;
  return true;
}

// A Session that has already evaluated other facts, kept for the whole process, so that state left behind by
// one evaluation shows (a replay of a single input runs it on this warm Session too).
edict::Session& warm_session() {
  static edict::Session session(ear_policy());
  static const bool warmed = [] {
    std::string error;
    const auto facts = edict::Facts::from_json(
        R"({"product": {"name": "H800", "kind": "ic", "tpp": 15832}, "destination": {"country": "CN"}})", &error);
    if (!facts) fail("the warm-up facts do not read", error);
    edict::EvalOptions options;
    options.as_of = *edict::Date::from_ymd(2023, 12, 1);
    (void)session.evaluate(*facts, options);
    return true;
  }();
  (void)warmed;
  return session;
}

// The facts, or nullptr when the input is rejected (checked to carry an error). Also checks that a Facts
// refilled by assign_json, after holding other facts, reads the input exactly as a fresh from_json does.
std::unique_ptr<edict::Facts> read_facts(std::string_view json) {
  std::string error;
  std::optional<edict::Facts> facts = edict::Facts::from_json(json, &error, "fuzz.json");
  if (!facts && error.empty()) fail("from_json rejected the input without an error message", std::string(json));

  static edict::Facts reused;  // keeps the storage of earlier inputs, as a batch reader does
  std::string reused_error;
  const bool reused_ok = reused.assign_json(json, &reused_error, "fuzz.json");
  if (reused_ok != facts.has_value() || reused_error != error)
    fail("assign_json disagrees with from_json", error + " / " + reused_error);
  if (facts && !same_entries(reused.entries(), facts->entries()))
    fail("assign_json read other entries than from_json", std::string(json));
  if (!facts) return nullptr;
  return std::make_unique<edict::Facts>(std::move(*facts));
}

void check_result(const edict::Policy& policy, edict::Session& session, const edict::Facts& facts,
                  const edict::EvalOptions& options) {
  const edict::EvalResult first = policy.evaluate(facts, options);
  const std::string json = edict::render_json(first);
  if (!first.ok && first.errors.empty()) fail("not ok without errors", json);
  if (json != edict::render_json(first)) fail("render_json is not deterministic", json);
  const std::string text = edict::render_text(first);
  if (text != edict::render_text(first)) fail("render_text is not deterministic", text);
  if (edict::render_json(policy.evaluate(facts, options)) != json) fail("evaluation is not deterministic", json);
  if (edict::render_json(session.evaluate(facts, options)) != json)
    fail("Session::evaluate disagrees with Policy::evaluate", json);
  if (options.trace) return;
  const edict::Decision& decision = session.decide(facts, options);
  if (decision.ok != first.ok || (first.ok && decision.decision != first.decision))
    fail("Session::decide disagrees with Policy::evaluate", json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const edict::Policy& policy = ear_policy();
  const std::unique_ptr<edict::Facts> facts =
      read_facts(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!facts) return 0;

  // Before the first rule, on two amendments, and in the latest rulebook read as of an earlier date.
  edict::Session& session = warm_session();
  const edict::Date dates[] = {*edict::Date::from_ymd(2022, 1, 1), *edict::Date::from_ymd(2023, 12, 1),
                               *edict::Date::from_ymd(2025, 6, 1)};
  for (const edict::Date& date : dates) {
    for (const bool trace : {false, true}) {
      edict::EvalOptions options;
      options.as_of = date;
      options.trace = trace;
      check_result(policy, session, *facts, options);
    }
  }
  edict::EvalOptions early_rulebook;
  early_rulebook.as_of = dates[2];
  early_rulebook.rules_as_of = *edict::Date::from_ymd(2023, 10, 16);
  check_result(policy, session, *facts, early_rulebook);
  return 0;
}
