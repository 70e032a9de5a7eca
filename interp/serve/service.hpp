// What each endpoint answers, apart from HTTP: routes.cpp binds these to paths. One Service is shared by
// every worker thread; each thread keeps its own evaluation state (a Session of the current policy version,
// made again after a reload), so the hot path neither recompiles nor re-parses the policy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "audit/decision_record.hpp"
#include "edict/date.hpp"
#include "serve/decision_log.hpp"
#include "serve/metrics.hpp"
#include "serve/policy_holder.hpp"

namespace edict::serve {

struct Reply {
  int status = 200;
  std::string body;
  const char* content_type = "application/json";
};

// Defaults for the lines of a batch (query parameters of POST /v1/batch).
struct BatchDefaults {
  std::optional<Date> as_of;
  std::optional<Date> rules_as_of;
  bool trace = false;
};

class Service {
 public:
  // `log` may be null (no decision log); it must outlive the service, as must `holder` and `metrics`.
  // `max_eval_steps` (0: the policy's limit) bounds each evaluation; beyond it the answer is 422.
  Service(PolicyHolder& holder, Metrics& metrics, DecisionLog* log, audit::FactsInLog log_facts,
          std::uint64_t max_eval_steps = 0);

  Reply decide(std::string_view body);
  // POST /v1/batch is answered as it is decided: start_batch pins the current policy version for the whole
  // body (a reload during the batch does not change the version that decides its remaining lines), then
  // each continue_batch appends the answers of the next lines to `out`, about `chunk_bytes` at a time, and
  // says whether lines are left. batch() gives the whole answer at once.
  struct BatchRun;
  std::shared_ptr<BatchRun> start_batch(std::string body, const BatchDefaults& defaults);
  bool continue_batch(BatchRun& run, std::string& out, std::size_t chunk_bytes);
  Reply batch(std::string body, const BatchDefaults& defaults);
  Reply policy() const;
  Reply health() const;
  Reply metrics() const;
  // Compiles the policy again (`trigger` says why: "SIGHUP", "POST /v1/reload"); reports to stderr and the
  // metrics. 200 with the new digest, or 422 with the diagnostics (the old version is kept).
  Reply reload(std::string_view trigger);

 private:
  struct ThreadState;
  ThreadState& thread_state();
  // Adds "decision_id" to a result's JSON, logs the decision and counts it.
  std::string record(const EvalResult& result, const Facts& facts, std::string json);
  // Appends the answer of one line of a batch (its result, or its error object with its line number).
  void answer_line(BatchRun& run, std::string_view text, std::string& out);

  PolicyHolder& holder_;
  Metrics& metrics_;
  DecisionLog* log_;
  audit::FactsInLog log_facts_;
  std::uint64_t max_eval_steps_;
};

// {"error": {"messages": [...]}} with `status`.
Reply error_reply(int status, const std::vector<std::string>& messages);

}  // namespace edict::serve
