// One decision as an audit record: the line a decision log, a receipt (`edict eval --receipt`) and replay
// (`edict replay`) share. One JSON object per line, keys in this order:
//   {"decision_id", "time", "policy_digest", "as_of", "rules_as_of", "facts" | "facts_digest",
//    "decision", "classifications", "deciding_rules", "exemptions"}
// "rules_as_of" is "latest" when the latest rulebook decided; "facts" holds the facts as given (canonical
// JSON: keys sorted, numbers as their exact decimal text), "facts_digest" their SHA-256 instead (by option).
//
// Example (one line; the facts shortened):
//   {"decision_id":"6f1c0e3a9b2d4c5e8f7a0b1c2d3e4f50","time":"2026-12-06T10:15:30.123Z",
//    "policy_digest":"<64 hex digits>","as_of":"2023-12-01","rules_as_of":"latest",
//    "facts":{"destination":{"country":"CN"},"product":{"tpp":4992}},"decision":"license_required",
//    "classifications":["3A090.a"],"deciding_rules":["license_ac_2023"],"exemptions":[]}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edict/facts.hpp"
#include "edict/result.hpp"

namespace edict::audit {

struct DecisionRecord {
  std::string decision_id;    // unique per decision (e.g. a random 128-bit hex id, or one given by the caller)
  std::string time;           // when it was decided, UTC, RFC 3339 with milliseconds: 2026-12-06T10:15:30.123Z
  std::string policy_digest;  // the SHA-256 content digest of the policy (Policy::digest())
  std::string as_of;          // YYYY-MM-DD
  std::string rules_as_of;    // YYYY-MM-DD or "latest"
  std::string facts_json;     // canonical facts JSON ("{}" for none); not used when facts_digest is set
  std::string facts_digest;   // SHA-256 of the canonical facts JSON; empty when the facts are kept
  std::string decision;
  std::vector<std::string> classifications;
  std::vector<std::string> deciding_rules;
  std::vector<std::string> exemptions;

  friend bool operator==(const DecisionRecord&, const DecisionRecord&) = default;
};

enum class FactsInLog { kFacts, kDigest };

// The facts as one canonical JSON object: a dotted path becomes nested objects ("product.tpp" ->
// {"product":{"tpp":...}}), the keys of every object sorted (bytewise), numbers as their exact decimal text as
// given (never through a double), strings escaped as the JSON writer does, an empty object kept as {}. A path
// that is both a value and the prefix of others (code may set "a" and "a.b") keeps the value under "a" and
// the others as dotted keys ("a.b") in the same object, so the text still reads back to the same facts.
// Arrays are left out: Facts keeps no array content (a declared fact given an array is an error, so no
// decision depends on one).
std::string canonical_facts_json(const Facts& facts);

// The record of a successful evaluation (precondition: result.ok) of `facts`.
DecisionRecord make_record(const EvalResult& result, const Facts& facts, std::string decision_id,
                           std::string time, FactsInLog facts_in_log = FactsInLog::kFacts);

// The record as one line of JSON (no trailing newline): "facts_digest" when it is set, else "facts".
std::string to_log_line(const DecisionRecord& record);

// Reads one log line back: the exact keys above, each once, "facts" or "facts_digest" but not both; the
// facts are read by the facts reader (exact numbers) and kept in canonical form, so that to_log_line gives
// back a line written by to_log_line byte for byte. nullopt and *error (naming the key, or the column of a
// JSON syntax error) when it is not a record.
std::optional<DecisionRecord> parse_log_line(std::string_view line, std::string* error);

// A new decision id (32 hex digits: a random 64-bit prefix per thread from OpenSSL's generator, then a 64-bit
// counter; unique, thread-safe) and the current UTC time in the record's format.
std::string new_decision_id();
std::string now_utc();

// One field where a replayed record differs from the logged one ("decision", "classifications",
// "deciding_rules", "exemptions"): both values as JSON text (a string, or an array of strings).
struct FieldDifference {
  std::string field;
  std::string logged;
  std::string replayed;
};

// The fields where `replayed` decides differently from `logged`: the decision, and the classifications,
// deciding rules and exemptions compared as sets (their order is not part of the decision). The digests,
// ids, times and facts are not compared.
std::vector<FieldDifference> compare_decisions(const DecisionRecord& logged, const DecisionRecord& replayed);

}  // namespace edict::audit
