// The answers for rule authors (edict/explain.hpp) against a full-trace evaluation on the EAR cases (target:
// --explain and --why-not at most 5x `eval --trace`). The machine is shared, so the three are timed
// interleaved in one loop (one pass over every case each, per iteration) and reported as ratios of the same
// iterations: explain_x_trace, why_not_x_trace (counters), besides the plain per-case benchmarks.
#include <chrono>
#include <string>

#include "bench_common.hpp"
#include "ear_cases.hpp"
#include "edict/explain.hpp"

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;

const edict::Policy& pack() {
  static const auto policy = load_ear_pack();
  return *policy;
}

// `eval --trace`: the traced evaluation and its text.
std::size_t full_trace(const EarCase& c, const edict::EvalOptions& options) {
  return edict::render_text(pack().evaluate(c.facts, options)).size();
}

std::size_t explained(const EarCase& c, const edict::EvalOptions& options) {
  return edict::render_explanation_text(edict::explain(pack(), c.facts, options)).size();
}

// Why not the most severe outcome (or, when that is the decision, the next one).
std::size_t why_not(const EarCase& c, const edict::EvalOptions& options, std::size_t* evaluations) {
  auto answer = edict::why_not(pack(), c.facts, options, "license_required");
  if (answer.already) answer = edict::why_not(pack(), c.facts, options, "notify");
  *evaluations += answer.evaluations;
  return edict::render_why_not_text(answer).size();
}

void BM_EAR_FullTrace(benchmark::State& state) {
  const auto& cases = ear_cases();
  const auto options = ear_options(true);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(full_trace(cases[i], options));
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EAR_FullTrace);

void BM_EAR_Explain(benchmark::State& state) {
  const auto& cases = ear_cases();
  const auto options = ear_options(false);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(explained(cases[i], options));
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EAR_Explain);

void BM_EAR_WhyNot(benchmark::State& state) {
  const auto& cases = ear_cases();
  const auto options = ear_options(false);
  std::size_t i = 0, evaluations = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(why_not(cases[i], options, &evaluations));
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["evaluations"] = benchmark::Counter(static_cast<double>(evaluations) /
                                                     static_cast<double>(state.iterations()));
}
BENCHMARK(BM_EAR_WhyNot);

// Interleaved over every case: the ratios to the full trace (`eval --trace`: traced evaluation and its text,
// *_x_trace) and to the traced evaluation alone (*_x_evaluate) of the same iterations.
void BM_EAR_ExplainRatios(benchmark::State& state) {
  const auto& cases = ear_cases();
  const auto traced = ear_options(true);
  const auto plain = ear_options(false);
  Clock::duration evaluate_time{}, trace_time{}, explain_time{}, why_not_time{};
  std::size_t evaluations = 0;
  for (auto _ : state) {
    for (const auto& c : cases) {
      const auto e0 = Clock::now();
      benchmark::DoNotOptimize(pack().evaluate(c.facts, traced));
      evaluate_time += Clock::now() - e0;
      const auto t0 = Clock::now();
      benchmark::DoNotOptimize(full_trace(c, traced));
      const auto t1 = Clock::now();
      benchmark::DoNotOptimize(explained(c, plain));
      const auto t2 = Clock::now();
      benchmark::DoNotOptimize(why_not(c, plain, &evaluations));
      const auto t3 = Clock::now();
      trace_time += t1 - t0;
      explain_time += t2 - t1;
      why_not_time += t3 - t2;
    }
  }
  const auto ratio = [&](Clock::duration d, Clock::duration base) {
    return static_cast<double>(d.count()) / static_cast<double>(base.count());
  };
  state.counters["explain_x_trace"] = ratio(explain_time, trace_time);
  state.counters["why_not_x_trace"] = ratio(why_not_time, trace_time);
  state.counters["explain_x_evaluate"] = ratio(explain_time, evaluate_time);
  state.counters["why_not_x_evaluate"] = ratio(why_not_time, evaluate_time);
  state.counters["why_not_evals"] =
      static_cast<double>(evaluations) / static_cast<double>(state.iterations() * cases.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * cases.size()));
}
BENCHMARK(BM_EAR_ExplainRatios)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
