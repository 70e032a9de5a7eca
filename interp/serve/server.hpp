// `edict serve`: the decision service (README "Service"). The only header of interp/serve/ that the CLI
// includes; the HTTP library stays inside this layer.
#pragma once

#include "serve/options.hpp"

namespace edict::serve {

// Compiles the policy, opens the decision log, listens, and serves until SIGTERM or SIGINT; then stops
// accepting, finishes the requests in flight, writes the rest of the decision log and returns 0. Prints
// "edict serve: listening on HOST:PORT" on standard output once it accepts connections. Returns 2 (after a
// message on standard error) when the policy does not compile, the log cannot be opened or the address
// cannot be bound.
int run(const ServeOptions& options);

}  // namespace edict::serve
