// Endpoints: POST /v1/decide, POST /v1/batch, GET /v1/policy, GET /health, GET /metrics, POST /v1/reload
// (see routes.hpp and README "Service").
#include "serve/routes.hpp"

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace edict::serve {

namespace {

using Clock = std::chrono::steady_clock;

// When the current request of this thread was routed (set before its body is read); cleared when counted.
thread_local Clock::time_point request_start;
thread_local bool request_started = false;

void send(httplib::Response& res, Reply reply) {
  res.status = reply.status;
  res.body = std::move(reply.body);  // set_content would copy it
  res.set_header("Content-Type", reply.content_type);
}

// Handlers for the other methods of a path: 405 with the allowed one.
void method_not_allowed(httplib::Response& res, const char* allowed) {
  res.set_header("Allow", allowed);
  send(res, error_reply(405, {fmt::format("method not allowed; use {}", allowed)}));
}

// The body of a status answered without a handler's body (the library's own 404, 413, 400, ...).
std::string default_message(const httplib::Request& req, int status, std::size_t max_body_bytes) {
  switch (status) {
    case 404:
      return fmt::format("no endpoint `{}` (endpoints: POST /v1/decide, POST /v1/batch, GET /v1/policy, "
                         "GET /health, GET /metrics, POST /v1/reload)", req.path);
    case 413: return fmt::format("the request body is larger than {} bytes (--max-body-bytes)", max_body_bytes);
    case 414: return "the request target is too long";
    case 400: return "malformed HTTP request";
    default: return fmt::format("HTTP status {}", status);
  }
}

// The answer of POST /v1/batch, sent in chunks (Transfer-Encoding: chunked) as its lines are decided, so a
// large batch neither waits for its last line nor holds its whole answer in memory. A client that goes away
// ends the batch: the lines after the chunk that could not be sent are not decided.
void stream_batch(httplib::Response& res, Service& service, std::shared_ptr<Service::BatchRun> run) {
  constexpr std::size_t kChunkBytes = 64 * 1024;
  res.status = 200;
  res.set_chunked_content_provider(
      "application/x-ndjson", [&service, run = std::move(run)](std::size_t, httplib::DataSink& sink) {
        std::string chunk;
        chunk.reserve(kChunkBytes + 4096);
        const bool more = service.continue_batch(*run, chunk, kChunkBytes);
        if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
        if (!more) sink.done();
        return true;
      });
}

// Query parameters of POST /v1/batch: as_of, rules_as_of (dates), trace (true/false).
std::optional<BatchDefaults> batch_defaults(const httplib::Request& req, std::vector<std::string>& problems) {
  BatchDefaults out;
  for (const char* name : {"as_of", "rules_as_of"}) {
    if (!req.has_param(name)) continue;
    const auto text = req.get_param_value(name);
    const auto date = Date::parse(text);
    if (!date) {
      problems.push_back(fmt::format("query parameter `{}={}`: expected a date YYYY-MM-DD", name, text));
      continue;
    }
    (std::string_view(name) == "as_of" ? out.as_of : out.rules_as_of) = date;
  }
  if (req.has_param("trace")) {
    const auto text = req.get_param_value("trace");
    if (text != "true" && text != "false") {
      problems.push_back(fmt::format("query parameter `trace={}`: expected true or false", text));
    }
    out.trace = text == "true";
  }
  for (const auto& [name, value] : req.params) {
    if (name != "as_of" && name != "rules_as_of" && name != "trace") {
      problems.push_back(fmt::format("unknown query parameter `{}` (expected as_of, rules_as_of, trace)", name));
    }
  }
  if (!problems.empty()) return std::nullopt;
  return out;
}

}  // namespace

void add_routes(httplib::Server& server, Service& service, Metrics& metrics, std::size_t max_body_bytes) {
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_start = Clock::now();
    request_started = true;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Called once for every response written, whoever answered it.
  server.set_logger([&metrics](const httplib::Request& req, const httplib::Response& res) {
    std::uint64_t nanoseconds = 0;
    if (request_started) {
      nanoseconds = static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - request_start).count());
      request_started = false;
    }
    metrics.count_request(endpoint_of(req.path), res.status, nanoseconds);
  });
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [max_body_bytes](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // a handler's own body
        send(res, error_reply(res.status, {default_message(req, res.status, max_body_bytes)}));
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(std::move(error));
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    send(res, error_reply(500, {fmt::format("internal error: {}", what)}));
  });

  server.Post("/v1/decide", [&service](const httplib::Request& req, httplib::Response& res) {
    send(res, service.decide(req.body));
  });
  server.Post("/v1/batch", [&service](const httplib::Request& req, httplib::Response& res) {
    std::vector<std::string> problems;
    const auto defaults = batch_defaults(req, problems);
    if (!defaults) return send(res, error_reply(400, problems));
    stream_batch(res, service, service.start_batch(req.body, *defaults));
  });
  server.Post("/v1/reload", [&service](const httplib::Request&, httplib::Response& res) {
    send(res, service.reload("POST /v1/reload"));
  });
  server.Get("/v1/policy", [&service](const httplib::Request&, httplib::Response& res) { send(res, service.policy()); });
  server.Get("/health", [&service](const httplib::Request&, httplib::Response& res) { send(res, service.health()); });
  server.Get("/metrics", [&service](const httplib::Request&, httplib::Response& res) { send(res, service.metrics()); });

  for (const char* path : {"/v1/decide", "/v1/batch", "/v1/reload"}) {
    server.Get(path, [](const httplib::Request&, httplib::Response& res) { method_not_allowed(res, "POST"); });
  }
  for (const char* path : {"/v1/policy", "/health", "/metrics"}) {
    server.Post(path, [](const httplib::Request&, httplib::Response& res) { method_not_allowed(res, "GET"); });
  }
}

}  // namespace edict::serve
