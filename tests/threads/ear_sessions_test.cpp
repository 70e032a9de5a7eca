// The EAR pack compiled once and evaluated from several threads at once, each thread with its own Session,
// each on different facts at the same moment: every result must be byte-identical to the single-threaded
// one. Built with -DEDICT_SANITIZE=thread by .ci/sanitize, where ThreadSanitizer checks for data races.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "../unit/support/ear_support.hpp"

namespace {

// What one case gives, evaluated three ways.
struct Expected {
  std::string json;        // Policy::evaluate without trace, render_json
  std::string json_trace;  // Policy::evaluate with trace, render_json
  std::string decision;    // Session::decide, summarized
};

Expected evaluate_alone(const edict::Policy& policy, edict::Session& session, const edict_test::EarCase& c) {
  edict::EvalOptions traced = c.options;
  traced.trace = true;
  return {edict::render_json(policy.evaluate(c.facts, c.options)), edict::render_json(policy.evaluate(c.facts, traced)),
          edict_test::summarize(session.decide(c.facts, c.options))};
}

struct Mismatch {
  std::size_t case_index = 0;
  const char* what = "";
  std::string got;
  const std::string* want = nullptr;
};

// One worker: its own Session; starts at its own offset in the corpus, so that the threads evaluate different
// facts at the same time; alternates between the three ways of evaluating.
void run_worker(const edict::Policy& policy, const std::vector<edict_test::EarCase>& cases,
                const std::vector<Expected>& expected, std::size_t offset, const std::atomic<bool>& go,
                std::vector<Mismatch>& mismatches) {
  edict::Session session(policy);
  while (!go.load()) std::this_thread::yield();
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::size_t i = (k + offset) % cases.size();
    const edict_test::EarCase& c = cases[i];
    switch ((k + offset) % 3) {
      case 0: {
        std::string got = edict::render_json(policy.evaluate(c.facts, c.options));
        if (got != expected[i].json)
          mismatches.push_back({i, "Policy::evaluate", std::move(got), &expected[i].json});
        break;
      }
      case 1: {
        edict::EvalOptions traced = c.options;
        traced.trace = true;
        std::string got = edict::render_json(policy.evaluate(c.facts, traced));
        if (got != expected[i].json_trace)
          mismatches.push_back({i, "Policy::evaluate with trace", std::move(got), &expected[i].json_trace});
        break;
      }
      default: {
        std::string got = edict_test::summarize(session.decide(c.facts, c.options));
        if (got != expected[i].decision)
          mismatches.push_back({i, "Session::decide", std::move(got), &expected[i].decision});
        break;
      }
    }
  }
}

}  // namespace

TEST_CASE("EAR pack: four threads with their own Sessions agree with a single-threaded run", "[threads]") {
  const auto policy = edict_test::compile_ear();
  const std::vector<edict_test::EarCase> cases = edict_test::ear_cases();

  std::vector<Expected> expected;
  {
    edict::Session session(*policy);
    for (const auto& c : cases) expected.push_back(evaluate_alone(*policy, session, c));
  }
  // The corpus is not trivial: several decisions and some classifications occur.
  for (const char* decision : {"\"license_required\"", "\"no_license_required\"", "\"3A090.a\""}) {
    INFO(decision);
    CHECK(std::any_of(expected.begin(), expected.end(),
                      [&](const Expected& e) { return e.json.find(decision) != std::string::npos; }));
  }

  constexpr std::size_t kThreads = 4;
  std::vector<std::vector<Mismatch>> mismatches(kThreads);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    const std::size_t offset = t * cases.size() / kThreads;
    threads.emplace_back(run_worker, std::cref(*policy), std::cref(cases), std::cref(expected), offset,
                         std::cref(go), std::ref(mismatches[t]));
  }
  go = true;
  for (auto& thread : threads) thread.join();

  std::size_t total = 0;
  for (std::size_t t = 0; t < kThreads; ++t) {
    total += mismatches[t].size();
    for (const Mismatch& m : mismatches[t]) {
      INFO("thread " << t << ", " << m.what << ", case " << cases[m.case_index].label);
      CHECK(m.got == *m.want);
    }
  }
  CHECK(total == 0);
}
