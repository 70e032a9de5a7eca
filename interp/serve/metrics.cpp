// Counting and the Prometheus text (see metrics.hpp).
#include "serve/metrics.hpp"

#include <fmt/format.h>

namespace edict::serve {

namespace {

constexpr std::array<const char*, kEndpoints> kEndpointNames = {"decide", "batch",  "policy", "health",
                                                                "metrics", "reload", "other"};

std::size_t status_index(int status) {
  for (std::size_t i = 0; i + 1 < Metrics::kStatuses.size(); ++i) {
    if (Metrics::kStatuses[i] == status) return i;
  }
  return Metrics::kStatuses.size() - 1;  // "other"
}

std::string status_label(std::size_t index) {
  return index + 1 < Metrics::kStatuses.size() ? std::to_string(Metrics::kStatuses[index]) : "other";
}

// A label value escaped per the exposition format: backslash, double quote and newline.
std::string label_value(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// Seconds from nanoseconds, exactly: "0.000123456".
std::string seconds(std::uint64_t nanoseconds) {
  return fmt::format("{}.{:09}", nanoseconds / 1000000000u, nanoseconds % 1000000000u);
}

}  // namespace

const char* endpoint_name(Endpoint endpoint) { return kEndpointNames[static_cast<std::size_t>(endpoint)]; }

Endpoint endpoint_of(std::string_view path) {
  if (path == "/v1/decide") return Endpoint::kDecide;
  if (path == "/v1/batch") return Endpoint::kBatch;
  if (path == "/v1/policy") return Endpoint::kPolicy;
  if (path == "/health") return Endpoint::kHealth;
  if (path == "/metrics") return Endpoint::kMetrics;
  if (path == "/v1/reload") return Endpoint::kReload;
  return Endpoint::kOther;
}

void Metrics::count_request(Endpoint endpoint, int status, std::uint64_t nanoseconds) {
  auto& e = endpoints_[static_cast<std::size_t>(endpoint)];
  e.by_status[status_index(status)].fetch_add(1, std::memory_order_relaxed);
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && nanoseconds > kBuckets[bucket]) ++bucket;
  e.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  e.nanoseconds.fetch_add(nanoseconds, std::memory_order_relaxed);
  e.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_decision(std::string_view outcome) {
  std::lock_guard lock(outcomes_mutex_);
  auto it = outcomes_.find(outcome);
  if (it == outcomes_.end()) it = outcomes_.emplace(std::string(outcome), 0).first;
  ++it->second;
}

void Metrics::count_reload(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed); }

std::string Metrics::render(std::string_view policy_digest, const LogFigures& log) const {
  std::string out;
  header(out, "edict_requests_total", "counter", "HTTP requests answered, by endpoint and status.");
  std::string errors;
  for (std::size_t e = 0; e < kEndpoints; ++e) {
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      const auto n = endpoints_[e].by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const auto series = fmt::format("{{endpoint=\"{}\",status=\"{}\"}} {}\n", kEndpointNames[e], status_label(s), n);
      out += "edict_requests_total" + series;
      if (s + 1 == kStatuses.size() || kStatuses[s] >= 400) errors += "edict_request_errors_total" + series;
    }
  }
  header(out, "edict_request_errors_total", "counter", "HTTP requests answered with a status of 400 or more.");
  out += errors;

  header(out, "edict_request_duration_seconds", "histogram",
         "Time from the end of the request headers to the response, by endpoint.");
  for (std::size_t e = 0; e < kEndpoints; ++e) {
    const auto& p = endpoints_[e];
    const auto count = p.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += p.buckets[b].load(std::memory_order_relaxed);
      const char* le = b < kBuckets.size() ? kBucketLabels[b] : "+Inf";
      out += fmt::format("edict_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} {}\n", kEndpointNames[e],
                         le, cumulative);
    }
    out += fmt::format("edict_request_duration_seconds_sum{{endpoint=\"{}\"}} {}\n", kEndpointNames[e],
                       seconds(p.nanoseconds.load(std::memory_order_relaxed)));
    // The count is the sum of the buckets read above, so that the series agree with each other.
    out += fmt::format("edict_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n", kEndpointNames[e], cumulative);
  }

  header(out, "edict_decisions_total", "counter", "Decisions made (decide and batch lines), by outcome.");
  {
    std::lock_guard lock(outcomes_mutex_);
    for (const auto& [outcome, n] : outcomes_) {
      out += fmt::format("edict_decisions_total{{outcome=\"{}\"}} {}\n", label_value(outcome), n);
    }
  }

  header(out, "edict_policy_info", "gauge", "The policy being served: its content digest.");
  out += fmt::format("edict_policy_info{{digest=\"{}\"}} 1\n", label_value(policy_digest));
  header(out, "edict_reloads_total", "counter", "Policy reloads (SIGHUP or POST /v1/reload), by result.");
  out += fmt::format("edict_reloads_total{{result=\"ok\"}} {}\n", reloads_ok_.load(std::memory_order_relaxed));
  out += fmt::format("edict_reloads_total{{result=\"failed\"}} {}\n", reloads_failed_.load(std::memory_order_relaxed));

  if (log.enabled) {
    header(out, "edict_decision_log_lines_total", "counter", "Decision-log lines written in full.");
    out += fmt::format("edict_decision_log_lines_total {}\n", log.lines);
    header(out, "edict_decision_log_dropped_total", "counter",
           "Decision-log lines lost: the queue stayed full, or a write failed.");
    out += fmt::format("edict_decision_log_dropped_total {}\n", log.dropped);
    header(out, "edict_decision_log_rotations_total", "counter", "Decision-log files rotated.");
    out += fmt::format("edict_decision_log_rotations_total {}\n", log.rotations);
    header(out, "edict_decision_log_write_errors_total", "counter", "Failed writes to the decision log.");
    out += fmt::format("edict_decision_log_write_errors_total {}\n", log.write_errors);
    header(out, "edict_decision_log_queued_lines", "gauge", "Decision-log lines waiting to be written.");
    out += fmt::format("edict_decision_log_queued_lines {}\n", log.queued);
  }
  return out;
}

}  // namespace edict::serve
