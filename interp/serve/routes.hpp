// The HTTP binding: paths and methods to Service calls, request counting and latency, JSON error bodies for
// the statuses the HTTP library answers itself (404, 413, malformed requests).
#pragma once

#include <cstddef>

#include <httplib.h>

#include "serve/metrics.hpp"
#include "serve/service.hpp"

namespace edict::serve {

// Registers every endpoint on `server`. `service` and `metrics` must outlive it.
void add_routes(httplib::Server& server, Service& service, Metrics& metrics, std::size_t max_body_bytes);

}  // namespace edict::serve
