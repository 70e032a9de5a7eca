// The settings of `edict serve` (the CLI reads them from its arguments; see cli/serve_command.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "audit/decision_record.hpp"

namespace edict::serve {

struct ServeOptions {
  std::string policy;               // a .edict file or a policy directory, compiled at start and on reload
  std::string host = "127.0.0.1";   // loopback unless asked otherwise
  int port = 8181;                  // 0: a free port, chosen by the system (printed at start)
  std::size_t threads = 8;          // HTTP worker threads; each keep-alive connection holds one while open
  std::string decision_log;         // empty: no decision log
  std::uint64_t decision_log_max_bytes = 0;  // rotate before a line would take the file past this; 0 = never
  unsigned decision_log_keep = 5;   // rotated files kept: FILE.1 (newest) .. FILE.keep
  audit::FactsInLog log_facts = audit::FactsInLog::kFacts;
  std::size_t max_body_bytes = std::size_t{8} << 20;  // larger request bodies get 413
  std::uint64_t max_eval_steps = 0;  // 0: the policy's Limits::eval_steps; beyond it a decision is 422
};

struct Listen {
  std::string host;
  int port = 0;
};

// "HOST:PORT" ("127.0.0.1:8181", "localhost:0", "[::1]:8181"); nullopt and *error ("what is wrong") otherwise.
std::optional<Listen> parse_listen(const std::string& text, std::string* error);

// Whether `host` names the loopback interface (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& host);

}  // namespace edict::serve
