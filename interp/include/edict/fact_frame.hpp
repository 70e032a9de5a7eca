// Prepared facts: a host resolves each fact path once (FactFrame::fact, and FactFrame::code for the codes of a
// code-typed fact) and fills a reusable, typed frame per case; Session::decide(frame) then neither looks up a
// path nor parses text. Values stay exact: decimals are given as text or whole numbers, never as binary
// floating point.
//
//   edict::FactFrame frame(*policy);
//   const auto tpp = frame.fact("product.tpp");
//   const auto country = frame.fact("destination.country");
//   const auto cn = frame.code(country, "CN");
//   for (...) {  // per case
//     frame.clear();
//     frame.set_integer(tpp, 4800);
//     frame.set_code(country, cn);
//     const auto& decision = session.decide(frame, options);
//   }
//
// Or from JSON text, per case: frame.assign_json(text, &error), then session.decide(frame, options).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edict/export.h"
#include "edict/date.hpp"

namespace edict {

class Policy;
namespace api {
struct FrameState;  // api/fact_frame_state.hpp
}
namespace detail {
struct Internals;
}

// A fact of one policy, resolved by its path: valid for the frames of that policy.
struct EDICT_API FactRef {
  std::uint32_t slot = 0xFFFFFFFFu;
  bool valid() const { return slot != 0xFFFFFFFFu; }
};

// A code of a code-typed fact (a country, a value of a closed list), resolved once.
struct EDICT_API FactCode {
  std::int32_t index = -1;
  bool valid() const { return index >= 0; }
};

class EDICT_API FactFrame {
 public:
  // Every fact absent (a fact with a `default` takes it). Bound to `policy`, which must outlive the frame.
  explicit FactFrame(const Policy& policy);
  ~FactFrame();
  FactFrame(FactFrame&&) noexcept;
  FactFrame& operator=(FactFrame&&) noexcept;
  FactFrame(const FactFrame&) = delete;
  FactFrame& operator=(const FactFrame&) = delete;

  // The fact at `path`; invalid when the policy declares no such fact.
  FactRef fact(std::string_view path) const;
  // The code `text` of a code-typed fact; invalid when it is not one of the fact's codes (or `fact` has none).
  FactCode code(FactRef fact, std::string_view text) const;

  // Each setter checks the value against the fact's type and the policy's fact limits. When it does not fit,
  // the fact is left absent, the setter returns false, and the frame keeps the error: a decision on the frame
  // is then not ok, with every such error (Decision::errors), until clear().
  bool set_bool(FactRef fact, bool value);
  bool set_integer(FactRef fact, long long value);
  bool set_decimal(FactRef fact, std::string_view exact_text);  // "2461.24", "-3", "1e26"
  bool set_string(FactRef fact, std::string_view value);       // a string fact, or a code by its text
  bool set_code(FactRef fact, FactCode code);
  bool set_date(FactRef fact, Date value);
  void set_absent(FactRef fact);
  // Every fact absent again and the errors forgotten; keeps the frame's storage (no allocation per case).
  void clear();
  // Replaces the frame's facts with a JSON facts object, as Facts::from_json followed by a decision on those
  // facts would read it, with the same messages: false (and *error set, the frame cleared) when the text is
  // not a facts object within the policy's limits; values that do not fit their facts become errors() and
  // unknown fields warnings(), as bind reports them. Plain JSON (declared facts, ASCII strings without
  // escapes, numbers without exponent) is read straight into the slots, without building Facts.
  bool assign_json(std::string_view json, std::string* error = nullptr);
  // The setters' errors since the last clear(), in order; empty when every value fitted.
  const std::vector<std::string>& errors() const;
  // The unknown fields of the last assign_json (a decision on the frame reports them as Decision::warnings).
  const std::vector<std::string>& warnings() const;

 private:
  friend struct detail::Internals;
  std::unique_ptr<api::FrameState> state_;
};

}  // namespace edict
