#pragma once

#include <benchmark/benchmark.h>

#include <memory>

#include "edict/edict.hpp"

namespace bench {

// Nanoseconds per decision of the hand-written baseline, measured in main() before the benchmarks run.
extern double g_baseline_ns;
const edict::Policy& ear_pack();  // compiled once

// Adds "x_baseline": (time per `decisions_per_iteration` decisions) / (baseline time for as many).
inline void report_ratio(benchmark::State& state, double decisions_per_iteration) {
  state.counters["x_baseline"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * decisions_per_iteration * g_baseline_ns * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace bench
