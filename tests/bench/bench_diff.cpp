// `edict diff` over a large corpus: the EAR rulebook before and after the October 2023 amendment
// (--old-rules-as-of 2023-10-16 --new-rules-as-of 2023-10-26), every line a distinct case built from the
// catalog (policies/ear/catalog/*.json) x 40 destinations x consecutive transaction dates from 2022-06-01.
// Whole pipeline: JSONL parsing, two evaluations per case (Session::decide), traces and causes for the changed
// cases whose cause signature is new. A second run diffs the rulebook around 2023-10-23, where few cases change.
//   ./build-bench/tests/bench/edict_bench --benchmark_filter=Diff
// EDICT_DIFF_BENCH_CASES overrides the corpus size (default 1,000,000).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "edict/diff.hpp"

namespace {

std::size_t corpus_size() {
  const char* env = std::getenv("EDICT_DIFF_BENCH_CASES");
  return env ? static_cast<std::size_t>(std::strtoull(env, nullptr, 10)) : 1'000'000;
}

// One catalog product as a compact JSON object (the file's text without newlines).
std::vector<std::string> catalog() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(EDICT_SOURCE_DIR "/policies/ear/catalog")) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::ostringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    s.erase(std::remove(s.begin(), s.end(), '\n'), s.end());
    const auto close = s.rfind('}');
    out.push_back(s.substr(0, close));  // without the final brace: destination is appended
  }
  return out;
}

const std::string& corpus() {
  static const std::string text = [] {
    constexpr const char* kDestinations[] = {"CN", "HK", "MO", "AE", "SA", "VN", "DE", "US", "RU", "IN",
                                             "IL", "GB", "SG", "NI", "CY", "TW", "JP", "KR", "FR", "NL",
                                             "BR", "MX", "TR", "EG", "KZ", "MY", "TH", "ID", "PK", "QA",
                                             "KW", "BH", "OM", "JO", "BY", "IR", "KP", "CU", "SY", "VE"};
    const auto products = catalog();
    const std::size_t n = corpus_size();
    std::string out;
    out.reserve(n * 330);
    const auto start = *edict::Date::parse("2022-06-01");
    std::size_t i = 0;
    for (std::int32_t day = 0; i < n; ++day) {
      const auto date = edict::Date::from_days(start.days() + day).to_string();
      for (const auto& p : products) {
        for (const char* d : kDestinations) {
          if (i == n) break;
          out += "{\"id\":" + std::to_string(++i) + ",\"as_of\":\"" + date + "\",\"facts\":" + p +
                 ",\"destination\":{\"country\":\"" + d + "\"}}}\n";
        }
      }
    }
    return out;
  }();
  return text;
}

// The corpus read in place (as from a file): an istringstream would first copy its 330 MB, which is not
// what `edict diff` does.
struct CorpusBuffer : std::streambuf {
  explicit CorpusBuffer(const std::string& text) {
    char* begin = const_cast<char*>(text.data());  // only read: the get area of an input buffer
    setg(begin, begin, begin + text.size());
  }
};

void run_diff(benchmark::State& state, const char* old_rules, const char* new_rules) {
  const auto& text = corpus();
  edict::DiffOptions options;
  options.as_of = *edict::Date::parse("2024-06-01");
  options.old_rules_as_of = edict::Date::parse(old_rules);
  options.new_rules_as_of = edict::Date::parse(new_rules);
  options.threads = static_cast<std::size_t>(state.range(0));
  options.exact_causes = state.range(1) != 0;
  edict::DiffReport report;
  for (auto _ : state) {
    CorpusBuffer buffer(text);
    std::istream in(&buffer);
    report = edict::diff_corpus(bench::ear_pack(), bench::ear_pack(), in, options);
    benchmark::DoNotOptimize(report.changed);
  }
  state.counters["cases"] = static_cast<double>(report.cases);
  state.counters["changed"] = static_cast<double>(report.changed);
  state.counters["groups"] = static_cast<double>(report.groups.size());
  state.counters["errors"] = static_cast<double>(report.errors);
  state.counters["cases_per_s"] = benchmark::Counter(static_cast<double>(report.cases) * state.iterations(),
                                                     benchmark::Counter::kIsRate);
}
// The October 2023 amendment: 45% of the corpus changes (20 cause groups).
void BM_Diff_EAR_Corpus(benchmark::State& state) { run_diff(state, "2023-10-16", "2023-10-26"); }
// The NVIDIA notice of 2023-10-23: few cases change (0.5%, one cause group).
void BM_Diff_EAR_Corpus_FewChanges(benchmark::State& state) { run_diff(state, "2023-10-22", "2023-10-24"); }
// exact:1 traces every changed case (DiffOptions::exact_causes, the reference the default mode is tested against).
BENCHMARK(BM_Diff_EAR_Corpus)->ArgNames({"threads", "exact"})->Args({1, 0})->Args({2, 0})->Iterations(1)
    ->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_Diff_EAR_Corpus_FewChanges)->ArgNames({"threads", "exact"})->Args({1, 0})->Args({2, 0})->Iterations(1)
    ->UseRealTime()->Unit(benchmark::kSecond);

}  // namespace
