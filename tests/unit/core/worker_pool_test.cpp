// The one worker pool (core/worker_pool.hpp): every chunk once, streams consumed in order with bounded jobs
// in flight, and the first failure rethrown with nothing consumed after it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/worker_pool.hpp"

using edict::core::WorkerPool;

TEST_CASE("worker pool: for_each_chunk covers every item once", "[core][worker_pool]") {
  for (const unsigned workers : {1u, 3u}) {
    std::vector<int> hits(1000);
    WorkerPool(workers).for_each_chunk(hits.size(), 7, [&](unsigned w, std::size_t begin, std::size_t end) {
      REQUIRE(w < workers);
      for (auto i = begin; i < end; ++i) ++hits[i];
    });
    CHECK(std::count(hits.begin(), hits.end(), 1) == 1000);
  }
}

TEST_CASE("worker pool: stream consumes in the order produced", "[core][worker_pool]") {
  struct Job {
    int n = 0;
    std::string out;
  };
  for (const unsigned workers : {1u, 4u}) {
    int next = 0;
    int in_flight = 0, most_in_flight = 0;
    std::string all, expected;
    WorkerPool(workers).stream<Job>(
        3,
        [&](Job& job) {
          if (next == 500) return false;
          job.n = next++;
          most_in_flight = std::max(most_in_flight, ++in_flight);
          return true;
        },
        [&](unsigned, Job& job) { job.out = std::to_string(job.n * 3) + ","; },
        [&](Job& job) {
          --in_flight;
          all += job.out;
        });
    for (int i = 0; i < 500; ++i) expected += std::to_string(i * 3) + ",";
    CHECK(all == expected);
    CHECK(most_in_flight <= 3);
  }
}

TEST_CASE("worker pool: stream rethrows the first failure", "[core][worker_pool]") {
  int next = 0;
  bool consumed_after = false;
  const auto run = [&] {
    WorkerPool(2).stream<int>(
        4, [&](int& job) { return next < 100 ? (job = next++, true) : false; },
        [](unsigned, int& job) {
          if (job == 10) throw std::runtime_error("job 10");
        },
        [&](int& job) { consumed_after = consumed_after || job >= 10; });
  };
  CHECK_THROWS_WITH(run(), "job 10");
  CHECK_FALSE(consumed_after);
}
