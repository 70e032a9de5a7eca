// The C ABI's cost (edict/edict.h): edict_evaluate_json on the EAR cases against the C++ API doing the same
// work in one process. The target (the C ABI issue): at most 1.5x the C++ time for the same case.
//   BM_CAPI_CppEvaluateRender   Policy::evaluate + render_json, facts pre-built (the C++ hot path)
//   BM_CAPI_CppFromJsonRender   Facts::from_json + Policy::evaluate + render_json (the same input as the C ABI)
//   BM_CAPI_EvaluateJson        edict_evaluate_json + edict_string_free (facts JSON text in, JSON text out)
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

}  // namespace
}  // namespace bench
