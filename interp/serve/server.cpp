// Starting and stopping the service (see server.hpp).
#include "serve/server.hpp"

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "serve/decision_log.hpp"
#include "serve/metrics.hpp"
#include "serve/policy_holder.hpp"
#include "serve/routes.hpp"
#include "serve/service.hpp"
#include "serve/signals.hpp"

namespace edict::serve {

namespace {

// An idle keep-alive connection holds a worker thread: it is closed after this long, which also bounds how
// long a graceful stop waits for idle clients.
constexpr time_t kKeepAliveSeconds = 2;
constexpr std::size_t kKeepAliveRequests = 1000;

std::string address(const std::string& host, int port) {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

void configure(httplib::Server& server, const ServeOptions& options) {
  const std::size_t threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_body_bytes);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  server.set_keep_alive_max_count(kKeepAliveRequests);
  server.set_tcp_nodelay(true);
  // SO_REUSEADDR only: the library's default also sets SO_REUSEPORT, which would let a second server bind
  // the same port and silently share its connections instead of failing.
  server.set_socket_options([](int socket) {
    const int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
}

}  // namespace

int run(const ServeOptions& options) {
  SignalThread::block_signals();  // before any thread starts: every thread inherits the mask

  PolicyHolder holder(options.policy);
  const ReloadOutcome first = holder.reload();
  const auto rendered = render_all(first.diagnostics);
  if (!first.ok) {
    fmt::print(stderr, "{}\nedict serve: `{}` does not compile; not serving\n", rendered, options.policy);
    return 2;
  }
  if (!rendered.empty()) fmt::print(stderr, "{}\n", rendered);

  std::unique_ptr<DecisionLog> log;
  if (!options.decision_log.empty()) {
    DecisionLogOptions log_options;
    log_options.path = options.decision_log;
    log_options.max_bytes = options.decision_log_max_bytes;
    log_options.keep = options.decision_log_keep;
    std::string error;
    log = DecisionLog::open(log_options, &error);
    if (!log) {
      fmt::print(stderr, "edict serve: {}\n", error);
      return 2;
    }
  }

  Metrics metrics;
  Service service(holder, metrics, log.get(), options.log_facts, options.max_eval_steps);
  httplib::Server server;
  configure(server, options);
  add_routes(server, service, metrics, options.max_body_bytes);

  const int port = options.port == 0 ? server.bind_to_any_port(options.host)
                                     : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port <= 0) {
    fmt::print(stderr, "edict serve: cannot listen on {}: the port is in use, or the host is not an address of "
                       "this machine\n", address(options.host, options.port));
    return 2;
  }
  if (!is_loopback(options.host)) {
    fmt::print(stderr, "edict serve: note: listening beyond loopback ({}); the service has no authentication "
                       "and no TLS\n", options.host);
  }

  std::atomic<bool> listening_over{false};
  SignalThread signals([&service] { service.reload("SIGHUP"); },
                       [&server, &listening_over](int signal_number) {
                         fmt::print(stderr, "edict serve: {}: stopping (finishing the requests in flight)\n",
                                    signal_number == SIGINT ? "SIGINT" : "SIGTERM");
                         // A stop that comes before the server runs would be lost: wait until it runs.
                         while (!server.is_running() && !listening_over.load()) {
                           std::this_thread::sleep_for(std::chrono::milliseconds(1));
                         }
                         if (!listening_over.load()) server.stop();
                       });

  fmt::print("edict serve: listening on {} (policy {}, {} threads)\n", address(options.host, port),
             first.digest, options.threads);
  std::fflush(stdout);
  const bool listened = server.listen_after_bind();  // returns once stopped and every worker has finished
  listening_over.store(true);
  signals.stop();
  if (log) log->close();
  const auto figures = log ? log->figures() : LogFigures{};
  if (log) {
    fmt::print(stderr, "edict serve: stopped; decision log: {} lines written, {} dropped\n", figures.lines,
               figures.dropped);
  } else {
    fmt::print(stderr, "edict serve: stopped\n");
  }
  if (!listened && signals.stop_signal() == 0) {
    fmt::print(stderr, "edict serve: the server stopped accepting connections unexpectedly\n");
    return 2;
  }
  return 0;
}

}  // namespace edict::serve
