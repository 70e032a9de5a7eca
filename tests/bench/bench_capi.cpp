// The C ABI's cost (edict/edict.h): edict_evaluate_json on the EAR cases against the C++ API doing the same
// work in one process. The target (the C ABI issue): at most 1.5x the C++ time for the same case.
//   BM_CAPI_CppEvaluateRender   Policy::evaluate + render_json, facts pre-built (the C++ hot path)
//   BM_CAPI_CppFromJsonRender   Facts::from_json + Policy::evaluate + render_json (the same input as the C ABI)
//   BM_CAPI_EvaluateJson        edict_evaluate_json + edict_string_free (facts JSON text in, JSON text out)
//   BM_CAPI_FactsDecide         edict_facts_from_json + edict_session_decide (a C host's decision, by path)
//   BM_CAPI_FrameDecide         edict_frame_from_json + edict_session_decide_frame (the same, prepared frame)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_common.hpp"
#include "ear_cases.hpp"
#include "edict/edict.h"

namespace bench {
namespace {

edict_policy* capi_ear_pack() {
  static edict_policy* const policy = [] {
    edict_policy* p = nullptr;
    char* error = nullptr;
    if (edict_compile_path(EDICT_SOURCE_DIR "/policies/ear", nullptr, &p, nullptr, &error) != EDICT_OK) {
      std::fprintf(stderr, "bench: policies/ear does not compile through the C ABI: %s\n", error);
      std::abort();
    }
    return p;
  }();
  return policy;
}

void BM_CAPI_CppEvaluateRender(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(state.range(0) != 0);
  std::size_t i = 0;
  for (auto _ : state) {
    std::string json = edict::render_json(policy.evaluate(cases[i].facts, options));
    benchmark::DoNotOptimize(json);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_CAPI_CppEvaluateRender)->ArgName("trace")->Arg(0)->Arg(1);

void BM_CAPI_CppFromJsonRender(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(state.range(0) != 0);
  std::size_t i = 0;
  std::string error;
  for (auto _ : state) {
    auto facts = edict::Facts::from_json(cases[i].json, &error, {}, policy.limits());
    std::string json = edict::render_json(policy.evaluate(*facts, options));
    benchmark::DoNotOptimize(json);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_CAPI_CppFromJsonRender)->ArgName("trace")->Arg(0)->Arg(1);

void BM_CAPI_EvaluateJson(benchmark::State& state) {
  edict_policy* policy = capi_ear_pack();
  const auto& cases = ear_cases();
  const int trace = state.range(0) != 0 ? 1 : 0;
  std::size_t i = 0;
  for (auto _ : state) {
    char* json = nullptr;
    const edict_status status =
        edict_evaluate_json(policy, cases[i].json.c_str(), "2024-06-01", nullptr, trace, &json, nullptr);
    if (status != EDICT_OK) state.SkipWithError(edict_status_name(status));
    benchmark::DoNotOptimize(json);
    edict_string_free(json);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_CAPI_EvaluateJson)->ArgName("trace")->Arg(0)->Arg(1);

// A C host deciding per thread from JSON text: into facts by path, or into a prepared frame.
void BM_CAPI_FactsDecide(benchmark::State& state) {
  const auto& cases = ear_cases();
  edict_session* session = nullptr;
  edict_facts* facts = nullptr;
  edict_session_new(capi_ear_pack(), &session, nullptr);
  edict_facts_new(&facts, nullptr);
  const edict_decision* decision = nullptr;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& json = cases[i].json;
    if (edict_facts_from_json(facts, json.data(), json.size(), capi_ear_pack(), nullptr) != EDICT_OK ||
        edict_session_decide(session, facts, "2024-06-01", nullptr, &decision, nullptr) != EDICT_OK) {
      state.SkipWithError("a case did not decide");
    }
    benchmark::DoNotOptimize(decision);
    if (++i == cases.size()) i = 0;
  }
  edict_facts_free(facts);
  edict_session_free(session);
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_CAPI_FactsDecide);

void BM_CAPI_FrameDecide(benchmark::State& state) {
  const auto& cases = ear_cases();
  edict_session* session = nullptr;
  edict_frame* frame = nullptr;
  edict_session_new(capi_ear_pack(), &session, nullptr);
  edict_frame_new(capi_ear_pack(), &frame, nullptr);
  const edict_decision* decision = nullptr;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& json = cases[i].json;
    if (edict_frame_from_json(frame, json.data(), json.size(), nullptr) != EDICT_OK ||
        edict_session_decide_frame(session, frame, "2024-06-01", nullptr, &decision, nullptr) != EDICT_OK) {
      state.SkipWithError("a case did not decide");
    }
    benchmark::DoNotOptimize(decision);
    if (++i == cases.size()) i = 0;
  }
  edict_frame_free(frame);
  edict_session_free(session);
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_CAPI_FrameDecide);

}  // namespace
}  // namespace bench
