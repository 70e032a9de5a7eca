// The one pool of worker threads: for work split into numbered items (for_each_chunk: each worker takes the
// next chunk of item numbers until none is left), and for a stream of jobs read and written in order by the
// calling thread (stream). Standard library only (core is the bottom layer).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace edict::core {

class WorkerPool {
 public:
  // `workers` threads (at least 1), besides the calling thread, which hands them the work.
  explicit WorkerPool(unsigned workers) : workers_(std::max(1u, workers)) {}

  // The number of workers for at most `limit` threads on this machine.
  static unsigned fitting(unsigned limit) { return std::max(1u, std::min(limit, std::thread::hardware_concurrency())); }

  unsigned size() const { return workers_; }

  // Calls task(worker, begin, end) for consecutive chunks [begin, end) of [0, total), at most `chunk` items
  // each, spread over the workers (a stream of chunks); returns when every item is done. The first exception
  // thrown by a task is rethrown here, after the other workers have stopped taking chunks.
  template <class Task>
  void for_each_chunk(std::size_t total, std::size_t chunk, Task&& task) const {
    using Range = std::pair<std::size_t, std::size_t>;
    std::size_t next = 0;
    const auto next_range = [&](Range& range) {
      range = {next, std::min(total, next + std::max<std::size_t>(1, chunk))};
      next = range.second;
      return range.first < total;
    };
    stream<Range>(2 * workers_, next_range, [&](unsigned w, const Range& r) { task(w, r.first, r.second); },
                  [](const Range&) {});
  }

  // Streams jobs through `size()` worker threads besides the calling thread, which calls produce(job) to fill
  // the next job (a Job{} at first, later one already consumed, to reuse its storage) until it returns false, and
  // consume(job) for each job in the order produced, once run(worker, job) has finished with it on a worker.
  // At most max_in_flight jobs are produced and not yet consumed, so memory stays bounded. The first
  // exception thrown by run is rethrown here after the workers have stopped; no job is consumed after it.
  template <class Job, class Produce, class Run, class Consume>
  void stream(std::size_t max_in_flight, Produce&& produce, Run&& run, Consume&& consume) const {
    struct Slot {
      Job job;
      bool done = false;
    };
    const std::size_t limit = std::max<std::size_t>(1, max_in_flight);
    std::vector<Slot> ring(limit);  // job n lives in ring[n % limit], refilled once consumed
    std::size_t produced = 0, started = 0, consumed = 0;
    std::mutex mutex;  // guards produced, started and the done flags
    std::condition_variable job_waiting, job_done;
    bool closing = false;
    std::exception_ptr failure;
    const auto work = [&](unsigned worker) {
      for (std::unique_lock lock(mutex);;) {
        job_waiting.wait(lock, [&] { return closing || started < produced; });
        if (started == produced) return;
        Slot& slot = ring[started++ % limit];
        const bool skip = failure != nullptr;
        lock.unlock();
        std::exception_ptr error;
        try {
          if (!skip) run(worker, slot.job);
        } catch (...) {
          error = std::current_exception();
        }
        lock.lock();
        slot.done = true;
        if (error && !failure) failure = error;
        job_done.notify_all();
      }
    };
    std::vector<std::thread> threads;
    const auto stop = [&] {  // the jobs not started are dropped
      {
        const std::lock_guard lock(mutex);
        closing = true;
        started = produced;
      }
      job_waiting.notify_all();
      for (auto& t : threads) t.join();
      threads.clear();
    };
    const struct StopGuard {
      const decltype(stop)& stop_;
      ~StopGuard() { stop_(); }
    } stop_guard{stop};
    for (unsigned w = 0; w < workers_; ++w) threads.emplace_back(work, w);
    const auto oldest_done = [&] {
      const std::lock_guard lock(mutex);
      return ring[consumed % limit].done;
    };
    // Waits for the oldest job and consumes it; false (not consumed) after a failure.
    const auto consume_oldest = [&] {
      {
        std::unique_lock lock(mutex);
        job_done.wait(lock, [&] { return ring[consumed % limit].done; });
        if (failure) return false;
      }
      consume(ring[consumed++ % limit].job);
      return true;
    };
    bool ok = true;
    for (;;) {
      while (ok && consumed < produced && (produced - consumed >= limit || oldest_done())) ok = consume_oldest();
      if (!ok || !produce(ring[produced % limit].job)) break;
      {
        const std::lock_guard lock(mutex);
        ring[produced++ % limit].done = false;
      }
      job_waiting.notify_one();
    }
    while (ok && consumed < produced) ok = consume_oldest();
    stop();
    if (failure) std::rethrow_exception(failure);
  }

 private:
  unsigned workers_;
};

}  // namespace edict::core
