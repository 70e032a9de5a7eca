// Edict benchmark suite (issue 5). Checks that the interpreter agrees with the hand-written baseline on
// every EAR case, measures the baseline, then runs the Google Benchmark suite.
#include <algorithm>
#include <ctime>
#include <cstdio>

#include "bench_common.hpp"
#include "ear_cases.hpp"

namespace bench {

double g_baseline_ns = 0;

const edict::Policy& ear_pack() {
  static const auto policy = load_ear_pack();
  return *policy;
}

namespace {

// CPU time of this thread: the benchmarks' ratios divide CPU times too, so other load on the machine
// does not skew them.
double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

double measure_baseline_ns() {
  const auto& cases = ear_cases();
  const auto& baseline = ear_baseline();
  double best = 1e30;
  for (int round = 0; round < 5; ++round) {
    const std::size_t n = 1'000'000;
    const double start = thread_cpu_ns();
    for (std::size_t i = 0; i < n; ++i) {
      auto r = baseline.evaluate(cases[i % cases.size()].packed);
      benchmark::DoNotOptimize(r);
    }
    const double ns = thread_cpu_ns() - start;
    best = std::min(best, ns / static_cast<double>(n));
  }
  return best;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::check_agreement(bench::ear_pack());
  bench::g_baseline_ns = bench::measure_baseline_ns();
  std::fprintf(stderr, "bench: hand-written baseline: %.2f ns per decision (best of 5 x 1M, thread CPU time, %zu cases in rotation)\n",
               bench::g_baseline_ns, bench::ear_cases().size());
  benchmark::AddCustomContext("baseline_ns_per_decision", std::to_string(bench::g_baseline_ns));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
