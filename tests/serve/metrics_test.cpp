// The Prometheus text of the service's counters (interp/serve/metrics.hpp).
#include <string>

#include <catch2/catch.hpp>

#include "serve/metrics.hpp"

using edict::serve::Endpoint;
using edict::serve::LogFigures;
using edict::serve::Metrics;

namespace {
bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}
}  // namespace

TEST_CASE("metrics: requests and errors by endpoint and status") {
  Metrics m;
  m.count_request(Endpoint::kDecide, 200, 150'000);    // 150 us
  m.count_request(Endpoint::kDecide, 200, 3'000'000);  // 3 ms
  m.count_request(Endpoint::kDecide, 400, 50'000);
  m.count_request(Endpoint::kBatch, 413, 0);
  m.count_request(Endpoint::kOther, 404, 0);
  m.count_request(Endpoint::kHealth, 299, 0);  // a status not listed: "other"
  const auto text = m.render("abc123", LogFigures{});
  CHECK(has_line(text, R"(edict_requests_total{endpoint="decide",status="200"} 2)"));
  CHECK(has_line(text, R"(edict_requests_total{endpoint="decide",status="400"} 1)"));
  CHECK(has_line(text, R"(edict_requests_total{endpoint="batch",status="413"} 1)"));
  CHECK(has_line(text, R"(edict_requests_total{endpoint="other",status="404"} 1)"));
  CHECK(has_line(text, R"(edict_requests_total{endpoint="health",status="other"} 1)"));
  CHECK(has_line(text, R"(edict_request_errors_total{endpoint="decide",status="400"} 1)"));
  CHECK(has_line(text, R"(edict_request_errors_total{endpoint="batch",status="413"} 1)"));
  CHECK_FALSE(has_line(text, R"(edict_request_errors_total{endpoint="decide",status="200"} 2)"));
  // Series that were never counted are not printed.
  CHECK(text.find(R"(endpoint="policy")") == std::string::npos);
}

TEST_CASE("metrics: the latency histogram is cumulative and agrees with its count and sum") {
  Metrics m;
  m.count_request(Endpoint::kDecide, 200, 100'000);    // exactly 0.0001 s: in the first bucket (le is <=)
  m.count_request(Endpoint::kDecide, 200, 150'000);    // 0.00025
  m.count_request(Endpoint::kDecide, 200, 3'000'000);  // 0.005
  m.count_request(Endpoint::kDecide, 200, 7'000'000'000);  // beyond every bound: +Inf only
  const auto text = m.render("d", LogFigures{});
  CHECK(has_line(text, R"(edict_request_duration_seconds_bucket{endpoint="decide",le="0.0001"} 1)"));
  CHECK(has_line(text, R"(edict_request_duration_seconds_bucket{endpoint="decide",le="0.00025"} 2)"));
  CHECK(has_line(text, R"(edict_request_duration_seconds_bucket{endpoint="decide",le="0.0025"} 2)"));
  CHECK(has_line(text, R"(edict_request_duration_seconds_bucket{endpoint="decide",le="0.005"} 3)"));
  CHECK(has_line(text, R"(edict_request_duration_seconds_bucket{endpoint="decide",le="1"} 3)"));
  CHECK(has_line(text, R"(edict_request_duration_seconds_bucket{endpoint="decide",le="+Inf"} 4)"));
  CHECK(has_line(text, R"(edict_request_duration_seconds_count{endpoint="decide"} 4)"));
  CHECK(has_line(text, R"(edict_request_duration_seconds_sum{endpoint="decide"} 7.003250000)"));
  CHECK(has_line(text, "# TYPE edict_request_duration_seconds histogram"));
}

TEST_CASE("metrics: decisions by outcome sorted, digest label escaped, reloads, log figures") {
  Metrics m;
  m.count_decision("notify");
  m.count_decision("license_required");
  m.count_decision("notify");
  m.count_reload(true);
  m.count_reload(false);
  m.count_reload(false);
  LogFigures log;
  log.enabled = true;
  log.lines = 7;
  log.dropped = 1;
  log.rotations = 2;
  const auto text = m.render("a\"b\\c", log);
  const auto lr = text.find(R"(edict_decisions_total{outcome="license_required"} 1)");
  const auto nt = text.find(R"(edict_decisions_total{outcome="notify"} 2)");
  REQUIRE(lr != std::string::npos);
  REQUIRE(nt != std::string::npos);
  CHECK(lr < nt);
  CHECK(has_line(text, R"(edict_policy_info{digest="a\"b\\c"} 1)"));
  CHECK(has_line(text, R"(edict_reloads_total{result="ok"} 1)"));
  CHECK(has_line(text, R"(edict_reloads_total{result="failed"} 2)"));
  CHECK(has_line(text, "edict_decision_log_lines_total 7"));
  CHECK(has_line(text, "edict_decision_log_dropped_total 1"));
  CHECK(has_line(text, "edict_decision_log_rotations_total 2"));
  // Without a log, no log series.
  CHECK(m.render("x", LogFigures{}).find("edict_decision_log") == std::string::npos);
}

TEST_CASE("metrics: every line is a comment or a sample, every metric has HELP and TYPE, output is stable") {
  Metrics m;
  m.count_request(Endpoint::kMetrics, 200, 10);
  m.count_decision("x");
  const auto a = m.render("d", LogFigures{});
  CHECK(a == m.render("d", LogFigures{}));
  REQUIRE(!a.empty());
  CHECK(a.back() == '\n');
  std::size_t at = 0;
  while (at < a.size()) {
    const auto end = a.find('\n', at);
    const auto line = a.substr(at, end - at);
    at = end + 1;
    INFO(line);
    if (line.rfind("# ", 0) == 0) {
      CHECK((line.rfind("# HELP edict_", 0) == 0 || line.rfind("# TYPE edict_", 0) == 0));
      continue;
    }
    CHECK(line.rfind("edict_", 0) == 0);
    const auto space = line.rfind(' ');
    REQUIRE(space != std::string::npos);
    const auto name = line.substr(0, line.find_first_of("{ "));
    std::string family = name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0 &&
          a.find("# TYPE " + family.substr(0, family.size() - s.size()) + " histogram") != std::string::npos) {
        family = family.substr(0, family.size() - s.size());
      }
    }
    CHECK(a.find("# HELP " + family + " ") != std::string::npos);
    CHECK(a.find("# TYPE " + family + " ") != std::string::npos);
  }
}

TEST_CASE("metrics: endpoint names from paths") {
  CHECK(edict::serve::endpoint_of("/v1/decide") == Endpoint::kDecide);
  CHECK(edict::serve::endpoint_of("/v1/batch") == Endpoint::kBatch);
  CHECK(edict::serve::endpoint_of("/metrics") == Endpoint::kMetrics);
  CHECK(edict::serve::endpoint_of("/v1/decide/x") == Endpoint::kOther);
  CHECK(std::string(edict::serve::endpoint_name(Endpoint::kReload)) == "reload");
}
