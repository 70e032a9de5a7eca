#pragma once

#include <benchmark/benchmark.h>

#include <memory>

#include "edict/edict.hpp"

namespace bench {

// Nanoseconds per decision of the hand-written baseline, measured in main() before the benchmarks run.
extern double g_baseline_ns;
const edict::Policy& ear_pack();  // compiled once

// Session::decide on prepared facts over hand-written C++, on the 3-rule policy (bench_three_rules.cpp).
double three_rules_frame_x_hand(int passes);

// Adds "x_baseline": (time per `decisions_per_iteration` decisions) / (baseline time for as many).
inline void report_ratio(benchmark::State& state, double decisions_per_iteration) {
  state.counters["x_baseline"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * decisions_per_iteration * g_baseline_ns * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace bench
