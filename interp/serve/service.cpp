// The endpoints' answers (see service.hpp).
#include "serve/service.hpp"

#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "core/case_line.hpp"
#include "core/json_writer.hpp"
#include "edict/render.hpp"
#include "serve/decide_request.hpp"

namespace edict::serve {

namespace {
constexpr const char* kNotAnObject = "a line must be a JSON object {\"id\", \"facts\", \"as_of\", \"rules_as_of\"}";

// Gives the error object `out` holds from `begin` its 1-based line number, as the CLI batch does:
// {"id":…,"line":N,"error":…}. The text `"error":` cannot occur before the member itself (inside a JSON string
// its quotes are escaped).
void insert_line_number(std::string& out, std::size_t begin, std::size_t number) {
  const auto at = out.find("\"error\":", begin);
  if (at != std::string::npos) out.insert(at, fmt::format("\"line\":{},", number));
}
}  // namespace

Reply error_reply(int status, const std::vector<std::string>& messages) {
  std::string body = "{\"error\":{\"messages\":";
  core::append_json_strings(body, messages);
  body += "}}";
  return {status, std::move(body)};
}

// One worker thread's state: the policy version its session belongs to, the session, and reused readers.
struct Service::ThreadState {
  std::shared_ptr<const LoadedPolicy> loaded;  // declared before `session`, which refers to its policy
  std::optional<Session> session;
  DecideRequest request;
  core::CaseLine line;
};

Service::Service(PolicyHolder& holder, Metrics& metrics, DecisionLog* log, audit::FactsInLog log_facts,
                 std::uint64_t max_eval_steps)
    : holder_(holder), metrics_(metrics), log_(log), log_facts_(log_facts), max_eval_steps_(max_eval_steps) {}

// The calling thread's state, moved to the current policy version when a reload swapped it. The version a
// request starts with is the one it finishes on: the state keeps it alive until this thread's next request.
Service::ThreadState& Service::thread_state() {
  thread_local ThreadState state;
  if (!state.loaded || state.loaded->generation != holder_.generation()) {
    auto current = holder_.current();
    if (current != state.loaded) {
      state.session.reset();
      state.loaded = std::move(current);
      state.session.emplace(*state.loaded->policy);
    }
  }
  return state;
}

std::string Service::record(const EvalResult& result, const Facts& facts, std::string json) {
  auto id = audit::new_decision_id();
  std::string out;
  out.reserve(json.size() + id.size() + 20);
  out += "{\"decision_id\":";
  core::append_json_string(out, id);
  if (json.size() > 2) out += ',';
  out.append(json, 1, std::string::npos);
  if (log_ != nullptr) {
    log_->append(audit::to_log_line(audit::make_record(result, facts, std::move(id), audit::now_utc(), log_facts_)));
  }
  metrics_.count_decision(result.decision);
  return out;
}

Reply Service::decide(std::string_view body) {
  auto& state = thread_state();
  auto& request = state.request;
  if (!request.read(body, state.loaded->policy->limits())) return error_reply(400, request.problems);
  if (max_eval_steps_ != 0) {
    request.eval.limits = state.loaded->policy->limits();
    request.eval.limits->eval_steps = max_eval_steps_;
  }
  const EvalResult result = state.session->evaluate(request.facts, request.eval);
  if (!result.ok) return {result.limit_exceeded ? 422 : 400, render_json(result)};
  std::string out = record(result, request.facts, render_json(result));
  if (request.explain) {
    out.pop_back();
    out += ",\"explanation\":";
    core::append_json_string(out, render_text(result));
    out += '}';
  }
  return {200, std::move(out)};
}

// A batch in progress: its body, how far it has been answered, and the policy version (with a session of
// its own) that decides every line of it.
struct Service::BatchRun {
  BatchRun(std::string text, const BatchDefaults& line_defaults, std::shared_ptr<const LoadedPolicy> version)
      : body(std::move(text)), defaults(line_defaults), loaded(std::move(version)), session(*loaded->policy) {}
  std::string body;
  BatchDefaults defaults;
  std::shared_ptr<const LoadedPolicy> loaded;  // declared before `session`, which refers to its policy
  Session session;
  core::CaseLine line;
  std::size_t at = 0;      // where the next line of `body` starts
  std::size_t number = 0;  // the 1-based number of the last line read
};

std::shared_ptr<Service::BatchRun> Service::start_batch(std::string body, const BatchDefaults& defaults) {
  return std::make_shared<BatchRun>(std::move(body), defaults, holder_.current());
}

// The lines of the body as the CLI batch reads them (`\n` ends a line, one `\r` before it is dropped, the last
// line needs no `\n`), each answered by one output line in order: the result with "decision_id" first (and
// logged), or the CLI's error object with its line number.
bool Service::continue_batch(BatchRun& run, std::string& out, std::size_t chunk_bytes) {
  const std::string_view body = run.body;
  while (run.at < body.size() && out.size() < chunk_bytes) {
    auto end = body.find('\n', run.at);
    if (end == std::string_view::npos) end = body.size();
    std::string_view text = body.substr(run.at, end - run.at);
    run.at = end + 1;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    ++run.number;
    answer_line(run, text, out);
  }
  return run.at < body.size();
}

void Service::answer_line(BatchRun& run, std::string_view text, std::string& out) {
  const Limits& limits = run.loaded->policy->limits();
  const std::size_t begin = out.size();
  auto& line = run.line;
  if (core::CaseLine::is_blank(text)) {
    out += "{\"error\":{\"messages\":[\"empty line\"]}}";
  } else if (!line.read(text, limits)) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] != '{') line.problem = kNotAnObject;
    out += '{';
    if (!line.id_json.empty()) out += "\"id\":" + line.id_json + ",";
    out += "\"error\":{\"messages\":";
    core::append_json_strings(out, std::vector<std::string>{line.problem});
    out += "}}";
  } else {
    EvalOptions eval;
    eval.as_of = line.as_of ? line.as_of : run.defaults.as_of;
    eval.rules_as_of = line.rules_as_of ? line.rules_as_of : run.defaults.rules_as_of;
    eval.trace = run.defaults.trace;
    if (max_eval_steps_ != 0) {
      eval.limits = limits;
      eval.limits->eval_steps = max_eval_steps_;
    }
    const EvalResult result = run.session.evaluate(line.facts, eval);
    if (result.ok) {
      out += record(result, line.facts, render_json(result, line.id_json));
      out += '\n';
      return;
    }
    out += render_json(result, line.id_json);
  }
  insert_line_number(out, begin, run.number);
  out += '\n';
}

Reply Service::batch(std::string body, const BatchDefaults& defaults) {
  const auto run = start_batch(std::move(body), defaults);
  std::string out;
  while (continue_batch(*run, out, static_cast<std::size_t>(-1))) {
  }
  return {200, std::move(out), "application/x-ndjson"};
}

Reply Service::policy() const {
  const auto loaded = holder_.current();
  std::string out = "{\"digest\":";
  core::append_json_string(out, loaded->digest);
  out += ",\"path\":";
  core::append_json_string(out, holder_.path());
  out += ",\"inventory\":" + loaded->inventory_json + "}";
  return {200, std::move(out)};
}

Reply Service::health() const {
  const auto loaded = holder_.current();
  if (!loaded) return error_reply(503, {"no policy is loaded"});
  std::string out = "{\"status\":\"ok\",\"digest\":";
  core::append_json_string(out, loaded->digest);
  return {200, out + "}"};
}

Reply Service::metrics() const {
  const auto loaded = holder_.current();
  return {200, metrics_.render(loaded ? loaded->digest : std::string(), log_ ? log_->figures() : LogFigures{}),
          "text/plain; version=0.0.4"};
}

Reply Service::reload(std::string_view trigger) {
  const ReloadOutcome outcome = holder_.reload();
  metrics_.count_reload(outcome.ok);
  const auto rendered = render_all(outcome.diagnostics);
  if (outcome.ok) {
    fmt::print(stderr, "edict serve: reloaded `{}` ({}): digest {} (was {})\n{}", holder_.path(), trigger,
               outcome.digest, outcome.previous_digest, rendered.empty() ? "" : rendered + "\n");
    std::string out = "{\"reloaded\":true,\"digest\":";
    core::append_json_string(out, outcome.digest);
    out += ",\"previous_digest\":";
    core::append_json_string(out, outcome.previous_digest);
    out += ",\"diagnostics\":" + diagnostics_json(outcome.diagnostics) + "}";
    return {200, std::move(out)};
  }
  fmt::print(stderr, "edict serve: reload of `{}` ({}) failed; still serving digest {}\n{}\n", holder_.path(),
             trigger, outcome.digest, rendered);
  std::vector<std::string> messages;
  for (const auto& d : outcome.diagnostics) {
    if (d.severity == Severity::kError) messages.push_back(render(d));
  }
  if (messages.empty()) messages.emplace_back("the policy did not compile");
  std::string out = "{\"error\":{\"messages\":";
  core::append_json_strings(out, messages);
  out += "},\"reloaded\":false,\"digest\":";
  core::append_json_string(out, outcome.digest);
  out += ",\"diagnostics\":" + diagnostics_json(outcome.diagnostics) + "}";
  return {422, std::move(out)};
}

}  // namespace edict::serve
