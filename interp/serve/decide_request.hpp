// The body of POST /v1/decide: {"facts": {...}, "as_of": "YYYY-MM-DD", "rules_as_of"?: "YYYY-MM-DD",
// "trace"?: bool, "explain"?: bool}. Read with the policy's facts limits (the depth counts the request object
// around the facts); every problem is reported, each naming the field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edict/facts.hpp"
#include "edict/policy.hpp"

namespace edict::serve {

struct DecideRequest {
  // Reads `body`; false with `problems` set when it cannot be evaluated. Reuses the storage of earlier calls.
  bool read(std::string_view body, const Limits& limits);

  Facts facts;        // the "facts" member
  EvalOptions eval;   // as_of, rules_as_of, trace
  bool explain = false;
  std::vector<std::string> problems;

 private:
  Facts body_;
};

}  // namespace edict::serve
