// One compiled Policy evaluated from several threads at once gives exactly the sequential results.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "../unit/support/semantic_support.hpp"

namespace {

const char* const kPolicy = R"(policy "Concurrency"
  outcomes deny > review > notify > allow
  default allow
end
use iso3166
fact product.tpp : decimal "TPP"
fact product.area : decimal "Die area"
fact destination.country : country "Destination"
fact end_user.name : optional string "End user"
fact transaction.quantity : integer default 100 "Units"

define density = product.tpp / product.area

group embargoed : country
  members {CU, IR}
  add {NI} from 2024-03-15
end
group listed : name
  members {"Moore Threads" aka "Moore Threads Intelligent Technology", "Zhipu AI"}
end
parameter cap
  1000 from 2024-01-01
  none from 2025-01-01
end
tier size
  "large" when product.tpp >= 4800
  "dense" when density >= 5.92
  otherwise "small"
end
rule big
  title "big"
  citation "c"
  when size != "small"
  then classify "controlled"
end
rule controlled_to_embargoed
  title "controlled to embargoed"
  citation "c"
  when classified "controlled" and destination.country in embargoed
  then deny because "embargo"
end
rule listed_party
  title "listed"
  citation "c"
  when end_user.name is present and end_user.name matches listed
  then deny because "listed"
end
rule over_cap
  title "over cap"
  citation "c"
  when product.tpp * transaction.quantity > cap
  then review because "cap"
end
exemption few
  title "few"
  citation "c"
  overrides over_cap
  when transaction.quantity <= 2
  then notify because "few"
end
)";

struct Case {
  std::string json;
  const char* as_of;
};

std::string run(const edict::Policy& policy, const Case& c) {
  edict::EvalOptions options;
  options.as_of = *edict::Date::parse(c.as_of);
  options.trace = true;
  std::string error;
  auto facts = edict::Facts::from_json(c.json, &error);
  if (!facts) return "bad json: " + error;
  return edict::render_json(policy.evaluate(*facts, options));
}

}  // namespace

TEST_CASE("concurrent evaluation of one Policy matches sequential evaluation", "[eval][threads]") {
  auto policy = edict_test::compile_ok(kPolicy);
  std::vector<Case> cases;
  const char* countries[] = {"CU", "NI", "FR", "IR", "CN"};
  const char* names[] = {"", "Moore Threads Co., Ltd.", "Zhipu AI", "Acme"};
  const char* dates[] = {"2023-06-01", "2024-03-14", "2024-03-15", "2025-02-01"};
  int n = 0;
  for (const char* country : countries) {
    for (const char* name : names) {
      for (const char* as_of : dates) {
        ++n;
        const std::string tpp = std::to_string(400 + 450 * (n % 12)) + "." + std::to_string(n % 100);
        const std::string area = (n % 7 == 0) ? "0" : std::to_string(50 + 10 * (n % 40));
        std::string json = R"({"product": {"tpp": )" + tpp + R"(, "area": )" + area +
                           R"(}, "destination": {"country": ")" + country + R"("}, "transaction": {"quantity": )" +
                           std::to_string(1 + n % 5) + "}";
        if (*name) json += std::string(R"(, "end_user": {"name": ")") + name + "\"}";
        if (n % 11 == 0) json += R"(, "extra": 1)";
        json += "}";
        cases.push_back({json, as_of});
      }
    }
  }
  cases.push_back({R"({"product": {"tpp": "bad"}})", "2024-06-01"});  // a binding error
  cases.push_back({R"({})", "2024-06-01"});                           // everything missing
  cases.push_back({R"({"product": {"tpp": 1, "area": 1}, "destination": {"country": "FR"}})", "2024-06-01"});

  std::vector<std::string> expected;
  for (const auto& c : cases) expected.push_back(run(*policy, c));
  // The cases are not all alike: several decisions occur.
  for (const char* decision : {"\"deny\"", "\"review\"", "\"notify\"", "\"allow\"", "\"indeterminate\""}) {
    INFO(decision);
    CHECK(std::any_of(expected.begin(), expected.end(),
                      [&](const std::string& r) { return r.find(decision) != std::string::npos; }));
  }

  constexpr int kThreads = 4;
  constexpr int kRounds = 50;
  std::vector<std::vector<std::string>> got(kThreads, std::vector<std::string>(cases.size()));
  std::atomic<int> mismatches{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int round = 0; round < kRounds; ++round) {
        // Each thread walks the cases from a different offset, so different facts run at the same time.
        for (std::size_t k = 0; k < cases.size(); ++k) {
          const std::size_t i = (k + static_cast<std::size_t>(t) * cases.size() / kThreads) % cases.size();
          auto result = run(*policy, cases[i]);
          if (result != expected[i]) ++mismatches;
          got[static_cast<std::size_t>(t)][i] = std::move(result);
        }
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();

  CHECK(mismatches.load() == 0);
  for (int t = 0; t < kThreads; ++t) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      if (got[static_cast<std::size_t>(t)][i] != expected[i]) {
        INFO("thread " << t << ", case " << cases[i].json << " as of " << cases[i].as_of);
        CHECK(got[static_cast<std::size_t>(t)][i] == expected[i]);
      }
    }
  }
}
