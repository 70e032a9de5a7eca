// EAR pack benchmarks: per-decision latency (facts pre-built / from JSON, with and without trace), compile
// time of the whole pack, batch JSONL end to end with 1 and 2 threads, and the hand-written baseline.
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "ear_cases.hpp"

namespace bench {
namespace {

void BM_EAR_Baseline(benchmark::State& state) {
  const auto& cases = ear_cases();
  const auto& baseline = ear_baseline();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = baseline.evaluate(cases[i].packed);
    benchmark::DoNotOptimize(r);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_EAR_Baseline);

void BM_EAR_Evaluate(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(state.range(0) != 0);
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = policy.evaluate(cases[i].facts, options);
    benchmark::DoNotOptimize(r);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_EAR_Evaluate)->ArgName("trace")->Arg(0)->Arg(1);

// The hot path for hosts: a reusable Session (one per thread), decision only.
void BM_EAR_SessionDecide(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(false);
  edict::Session session(policy);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& d = session.decide(cases[i].facts, options);
    benchmark::DoNotOptimize(d.decision);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_EAR_SessionDecide);

// A reusable Session, full result (with trace when asked).
void BM_EAR_SessionEvaluate(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(state.range(0) != 0);
  edict::Session session(policy);
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = session.evaluate(cases[i].facts, options);
    benchmark::DoNotOptimize(r);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_EAR_SessionEvaluate)->ArgName("trace")->Arg(0)->Arg(1);

void BM_EAR_FromJson(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(state.range(0) != 0);
  std::size_t i = 0;
  std::string error;
  for (auto _ : state) {
    auto facts = edict::Facts::from_json(cases[i].json, &error);
    auto r = policy.evaluate(*facts, options);
    benchmark::DoNotOptimize(r);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_EAR_FromJson)->ArgName("trace")->Arg(0)->Arg(1);

// JSON text + evaluate for a host that keeps a Session and a FactFrame (issue 18's target of 1 µs): the text
// read straight into the frame (FactFrame::assign_json), then the decision.
void BM_EAR_JsonFrameDecide(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(false);
  edict::Session session(policy);
  edict::FactFrame frame(policy);
  std::size_t i = 0;
  std::string error;
  for (auto _ : state) {
    if (!frame.assign_json(cases[i].json, &error)) state.SkipWithError("a case is not a facts object");
    const auto& d = session.decide(frame, options);
    benchmark::DoNotOptimize(d.decision);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_EAR_JsonFrameDecide);

// Reading alone: JSON text into a FactFrame, and into Facts (the general path's first half).
void BM_EAR_JsonRead(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  edict::FactFrame frame(policy);
  edict::Facts facts;
  const bool into_frame = state.range(0) != 0;
  std::size_t i = 0;
  std::string error;
  for (auto _ : state) {
    const bool ok = into_frame ? frame.assign_json(cases[i].json, &error) : facts.assign_json(cases[i].json, &error);
    if (!ok) state.SkipWithError("a case is not a facts object");
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EAR_JsonRead)->ArgName("frame")->Arg(0)->Arg(1);

// Prepared facts (each case's frame filled once, outside the timed loop), decision only.
void BM_EAR_FrameDecide(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(false);
  edict::Session session(policy);
  std::vector<edict::FactFrame> frames;
  for (const auto& c : cases) {
    frames.emplace_back(policy);
    if (!frames.back().assign_json(c.json)) state.SkipWithError("a case is not a facts object");
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& d = session.decide(frames[i], options);
    benchmark::DoNotOptimize(d.decision);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_EAR_FrameDecide);

// The same with the general path (Facts read from the text, then bound by path), for the comparison.
void BM_EAR_JsonFactsDecide(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& cases = ear_cases();
  const auto options = ear_options(false);
  edict::Session session(policy);
  edict::Facts facts;
  std::size_t i = 0;
  std::string error;
  for (auto _ : state) {
    if (!facts.assign_json(cases[i].json, &error)) state.SkipWithError("a case is not a facts object");
    const auto& d = session.decide(facts, options);
    benchmark::DoNotOptimize(d.decision);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  report_ratio(state, 1);
}
BENCHMARK(BM_EAR_JsonFactsDecide);

void BM_EAR_CompilePack(benchmark::State& state) {
  for (auto _ : state) {
    auto r = edict::compile_path(EDICT_SOURCE_DIR "/policies/ear");
    if (!r.ok()) state.SkipWithError("policies/ear does not compile");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_EAR_CompilePack)->Unit(benchmark::kMillisecond);

// ---- batch JSONL, end to end: read lines from a file, parse, evaluate, render JSON, write ----

constexpr int kBatchRepeats = 10;  // the case set repeated: ~19k lines, ~5 MB

const std::string& batch_file() {
  static const std::string path = [] {
    std::string p = "/tmp/edict_bench_cases.jsonl";
    std::ofstream out(p, std::ios::binary);
    for (int r = 0; r < kBatchRepeats; ++r) {
      for (const auto& c : ear_cases()) out << c.json << '\n';
    }
    return p;
  }();
  return path;
}

// Processes the lines that start in [begin, end) of the file; output goes to /dev/null in 64 KiB writes.
std::size_t run_batch_slice(const edict::Policy& policy, const std::string& path, std::streamoff begin,
                            std::streamoff end) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (begin != 0) {
    // Lines starting before `begin` belong to the previous slice: skip to the first line starting at or
    // after it (looking from begin - 1 so that a line starting exactly at `begin` is kept).
    in.seekg(begin - 1);
    std::getline(in, line);
  }
  std::FILE* sink = std::fopen("/dev/null", "wb");
  const auto options = ear_options(false);
  std::string out;
  std::string error;
  std::size_t n = 0;
  while (in.tellg() < end && std::getline(in, line)) {
    auto facts = edict::Facts::from_json(line, &error);
    if (!facts) {
      out += "{\"error\":" + edict::json_quote(error) + "}\n";
    } else {
      out += edict::render_json(policy.evaluate(*facts, options));
      out += '\n';
    }
    ++n;
    if (out.size() > (1u << 16)) {
      std::fwrite(out.data(), 1, out.size(), sink);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), sink);
  std::fclose(sink);
  return n;
}

void BM_EAR_BatchJsonl(benchmark::State& state) {
  const auto& policy = ear_pack();
  const auto& path = batch_file();
  const auto threads = static_cast<int>(state.range(0));
  std::ifstream probe(path, std::ios::binary | std::ios::ate);
  const std::streamoff size = probe.tellg();
  std::size_t lines = 0;
  for (auto _ : state) {
    std::vector<std::size_t> counts(static_cast<std::size_t>(threads));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        counts[static_cast<std::size_t>(t)] =
            run_batch_slice(policy, path, size * t / threads, size * (t + 1) / threads);
      });
    }
    for (auto& th : pool) th.join();
    lines = 0;
    for (auto c : counts) lines += c;
  }
  if (lines != ear_cases().size() * kBatchRepeats) state.SkipWithError("batch: wrong number of lines processed");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines));
  report_ratio(state, static_cast<double>(lines));
}
BENCHMARK(BM_EAR_BatchJsonl)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
