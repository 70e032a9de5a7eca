// `edict serve`: the decision service over HTTP (interp/serve/, README "Service").
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
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

}  // namespace

int run_serve(Args& args) {
  if (const auto code = help_exit(args, kServeHelp)) return *code;
  serve::ServeOptions options;
  std::string error;
  while (!args.done()) {
    const auto arg = args.next();
    if (arg == "--listen") {
      const auto text = option_value(args, arg, error);
      if (!text) return usage_error(error, kServeHelp);
      const auto listen = serve::parse_listen(*text, &error);
      if (!listen) return usage_error(fmt::format("--listen {}", error), kServeHelp);
      options.host = listen->host;
      options.port = listen->port;
    } else if (arg == "--threads") {
      const auto n = option_count(args, arg, 1, 1024, error);
      if (!n) return usage_error(error, kServeHelp);
      options.threads = *n;
    } else if (arg == "--decision-log") {
      const auto text = option_value(args, arg, error);
      if (!text) return usage_error(error, kServeHelp);
      if (text->empty()) return usage_error("`--decision-log` needs a file name", kServeHelp);
      options.decision_log = *text;
    } else if (arg == "--decision-log-max-bytes") {
      const auto n = option_count(args, arg, 1, std::size_t{1} << 50, error);
      if (!n) return usage_error(error, kServeHelp);
      options.decision_log_max_bytes = *n;
    } else if (arg == "--decision-log-keep") {
      const auto n = option_count(args, arg, 1, 1000, error);
      if (!n) return usage_error(error, kServeHelp);
      options.decision_log_keep = static_cast<unsigned>(*n);
    } else if (arg == "--log-facts") {
      const auto text = option_value(args, arg, error);
      if (!text) return usage_error(error, kServeHelp);
      if (*text != "full" && *text != "digest") {
        return usage_error(fmt::format("`--log-facts {}`: expected full or digest", *text), kServeHelp);
      }
      options.log_facts = *text == "full" ? audit::FactsInLog::kFacts : audit::FactsInLog::kDigest;
    } else if (arg == "--max-body-bytes") {
      const auto n = option_count(args, arg, 1, std::size_t{1} << 30, error);
      if (!n) return usage_error(error, kServeHelp);
      options.max_body_bytes = *n;
    } else if (arg == "--max-eval-steps") {
      const auto n = option_count(args, arg, 1, std::size_t{1} << 40, error);
      if (!n) return usage_error(error, kServeHelp);
      options.max_eval_steps = *n;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage_error(fmt::format("unknown option `{}`", arg), kServeHelp);
    } else if (options.policy.empty()) {
      options.policy = arg;
    } else {
      return usage_error(fmt::format("unexpected argument `{}`", arg), kServeHelp);
    }
  }
  if (options.policy.empty()) return usage_error("missing POLICY", kServeHelp);
  if (options.decision_log.empty() && options.decision_log_max_bytes != 0) {
    return usage_error("`--decision-log-max-bytes` needs `--decision-log FILE`", kServeHelp);
  }
  return serve::run(options);
}

}  // namespace edict::cli
