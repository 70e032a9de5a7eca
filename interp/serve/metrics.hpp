// The service's counters and their Prometheus text (GET /metrics). Counting is lock-free except for the
// decisions by outcome (a short mutex: outcome names come from the policy). Rendering is deterministic: fixed
// endpoint order, statuses ascending, outcomes sorted by name, only series that were counted (plus the
// always-present policy, reload and decision-log series).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace edict::serve {

enum class Endpoint : std::uint8_t { kDecide, kBatch, kPolicy, kHealth, kMetrics, kReload, kOther };
inline constexpr std::size_t kEndpoints = 7;
const char* endpoint_name(Endpoint endpoint);  // "decide", "batch", ..., "other"
Endpoint endpoint_of(std::string_view path);    // "/v1/decide" -> kDecide; unknown paths -> kOther

// The decision log's figures, as the writer reports them (decision_log.hpp).
struct LogFigures {
  bool enabled = false;
  std::uint64_t lines = 0;        // written in full
  std::uint64_t dropped = 0;      // never written: the queue stayed full, or a write failed
  std::uint64_t rotations = 0;
  std::uint64_t write_errors = 0;
  std::uint64_t queued = 0;       // waiting to be written now
};

class Metrics {
 public:
  // Upper bounds (inclusive) of the latency histogram, in nanoseconds (then +Inf), and as printed (seconds).
  static constexpr std::array<std::uint64_t, 12> kBuckets = {100'000,    250'000,    500'000,     1'000'000,
                                                             2'500'000,  5'000'000,  10'000'000,  25'000'000,
                                                             50'000'000, 100'000'000, 500'000'000, 1'000'000'000};
  static constexpr std::array<const char*, 12> kBucketLabels = {"0.0001", "0.00025", "0.0005", "0.001",
                                                                "0.0025", "0.005",   "0.01",   "0.025",
                                                                "0.05",   "0.1",     "0.5",    "1"};
  // The statuses counted one by one; any other is counted as "other".
  static constexpr std::array<int, 13> kStatuses = {200, 400, 404, 405, 408, 413, 414, 422, 431, 500, 501, 503, 0};

  void count_request(Endpoint endpoint, int status, std::uint64_t nanoseconds);
  void count_decision(std::string_view outcome);
  void count_reload(bool ok);

  // The Prometheus text exposition (version 0.0.4), every line ending in `\n`.
  std::string render(std::string_view policy_digest, const LogFigures& log) const;

 private:
  struct PerEndpoint {
    std::array<std::atomic<std::uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // non-cumulative; last = +Inf
    std::atomic<std::uint64_t> nanoseconds{0};
    std::atomic<std::uint64_t> count{0};
  };
  std::array<PerEndpoint, kEndpoints> endpoints_{};
  mutable std::mutex outcomes_mutex_;
  std::map<std::string, std::uint64_t, std::less<>> outcomes_;
  std::atomic<std::uint64_t> reloads_ok_{0};
  std::atomic<std::uint64_t> reloads_failed_{0};
};

}  // namespace edict::serve
