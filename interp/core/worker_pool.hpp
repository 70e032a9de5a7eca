// A small pool of worker threads for work split into numbered items: each worker takes the next chunk of
// item numbers until none is left. Standard library only (core is the bottom layer).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace edict::core {

class WorkerPool {
 public:
  // `workers` threads in all, the calling thread included (at least 1).
  explicit WorkerPool(unsigned workers) : workers_(std::max(1u, workers)) {}

  // The number of workers for at most `limit` threads on this machine.
  static unsigned fitting(unsigned limit) { return std::max(1u, std::min(limit, std::thread::hardware_concurrency())); }

  unsigned size() const { return workers_; }

  // Calls task(worker, begin, end) for consecutive chunks [begin, end) of [0, total), at most `chunk` items
  // each, spread over the workers (worker 0 is the calling thread); returns when every item is done. The first
  // exception thrown by a task is rethrown here, after the other workers have stopped taking chunks.
  template <class Task>
  void for_each_chunk(std::size_t total, std::size_t chunk, Task&& task) const {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    const auto work = [&](unsigned worker) {
      try {
        for (;;) {
          const std::size_t begin = next.fetch_add(chunk);
          if (begin >= total) break;
          task(worker, begin, std::min(total, begin + chunk));
        }
      } catch (...) {
        next = total;
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    };
    std::vector<std::thread> threads;
    for (unsigned w = 1; w < workers_; ++w) threads.emplace_back(work, w);
    work(0);
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
  }

 private:
  unsigned workers_;
};

}  // namespace edict::core
