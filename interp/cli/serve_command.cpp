// `edict serve`: the decision service over HTTP (interp/serve/, README "Service").
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "serve/server.hpp"

namespace edict::cli {

namespace {

const char* const kServeHelp = R"(usage: edict serve POLICY [--listen HOST:PORT] [--threads N] [--decision-log FILE]
                   [--decision-log-max-bytes N] [--decision-log-keep N] [--log-facts full|digest]
                   [--max-body-bytes N] [--max-eval-steps N]

Serves decisions over HTTP until SIGTERM or SIGINT (then it stops accepting, finishes the requests in flight,
writes the rest of the decision log and exits 0). SIGHUP or POST /v1/reload compiles POLICY again and swaps
it in; a version that does not compile is reported and the old one kept.

  POST /v1/decide   {"facts": {...}, "as_of": "YYYY-MM-DD", "rules_as_of"?, "trace"?, "explain"?}
                    -> 200 the `edict eval --format json` result plus "decision_id"; 400 bad JSON, facts
                    or dates; 413 a body over --max-body-bytes; 422 the evaluation step limit exceeded
  POST /v1/batch    JSON lines as `edict eval --cases` (query: as_of, rules_as_of, trace) -> one line each
  GET  /v1/policy   the digest and the inventory;  GET /health;  GET /metrics (Prometheus text)
  POST /v1/reload   200 {"reloaded": true, "digest", ...} or 422 with the diagnostics

  --listen HOST:PORT  default 127.0.0.1:8181 (loopback); port 0 picks a free port. The bound address is
                    printed on standard output: "edict serve: listening on 127.0.0.1:PORT ..."
  --threads N       HTTP worker threads, 1 to 1024 (default 8); an open keep-alive connection holds one
  --decision-log FILE  append one JSON line per decision (README "Audit"), from a background writer
  --decision-log-max-bytes N  rotate FILE -> FILE.1 -> ... before it would pass N bytes (default: never)
  --decision-log-keep N  rotated files kept, 1 to 1000 (default 5)
  --log-facts F     full (default): the facts in each log line; digest: their SHA-256 only
  --max-body-bytes N  largest request body, 1 to 1073741824 (default 8388608)
  --max-eval-steps N  evaluation step limit per decision (default: the policy's, 10000000)

Exit code 0 after a graceful stop; 2 for usage errors, a policy that does not compile, a decision log that
cannot be opened, or an address that cannot be bound.
)";

// After the options are read: the rules between them.
int run_serve(const serve::ServeOptions& options) {
  if (options.policy.empty()) return usage_error("missing POLICY", "serve");
  if (options.decision_log.empty() && options.decision_log_max_bytes != 0) {
    return usage_error("`--decision-log-max-bytes` needs `--decision-log FILE`", "serve");
  }
  return serve::run(options);
}

// --listen HOST:PORT, --decision-log FILE and --log-facts full|digest, checked as they are read.
void add_text_options(CLI::App& app, serve::ServeOptions& options) {
  app.add_option_function<std::string>("--listen", [&options](const std::string& text) {
    std::string error;
    const auto listen = serve::parse_listen(text, &error);
    if (!listen) throw UsageError(fmt::format("--listen {}", error));
    options.host = listen->host;
    options.port = listen->port;
  });
  app.add_option_function<std::string>("--decision-log", [&options](const std::string& text) {
    if (text.empty()) throw UsageError("`--decision-log` needs a file name");
    options.decision_log = text;
  });
  app.add_option_function<std::string>("--log-facts", [&options](const std::string& text) {
    if (text != "full" && text != "digest") {
      throw UsageError(fmt::format("`--log-facts {}`: expected full or digest", text));
    }
    options.log_facts = text == "full" ? audit::FactsInLog::kFacts : audit::FactsInLog::kDigest;
  });
}

void add_count_options(CLI::App& app, serve::ServeOptions& options) {
  add_count_option(app, "--threads", 1, 1024, [&options](std::size_t n) { options.threads = n; });
  add_count_option(app, "--decision-log-max-bytes", 1, std::size_t{1} << 50,
                   [&options](std::size_t n) { options.decision_log_max_bytes = n; });
  add_count_option(app, "--decision-log-keep", 1, 1000,
                   [&options](std::size_t n) { options.decision_log_keep = static_cast<unsigned>(n); });
  add_count_option(app, "--max-body-bytes", 1, std::size_t{1} << 30,
                   [&options](std::size_t n) { options.max_body_bytes = n; });
  add_count_option(app, "--max-eval-steps", 1, std::size_t{1} << 40,
                   [&options](std::size_t n) { options.max_eval_steps = n; });
}

}  // namespace

Command add_serve(CLI::App& edict) {
  auto options = std::make_shared<serve::ServeOptions>();
  auto* app = add_command(edict, "serve");
  app->add_option("POLICY", options->policy);
  add_text_options(*app, *options);
  add_count_options(*app, *options);
  return {app, kServeHelp, [options] { return run_serve(*options); }};
}

}  // namespace edict::cli
