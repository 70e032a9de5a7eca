// The JSON result of an evaluation without trace, written straight from a Session's lean outcome (stage 5,
// batch path): the same bytes as render_json(session.evaluate(...)), without building an EvalResult.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edict/policy.hpp"

namespace edict::batch {

// The program's names as JSON strings, quoted once: a batch writes them on every line. Filled for the program
// whose digest it holds (a program's names follow from its sources, which the digest covers).
struct QuotedNames {
  std::string digest;
  std::vector<std::string> outcomes, labels, entities, outputs;
  std::vector<std::vector<std::string>> reasons;  // per entity, per version ("" for a version without one)
  // Each label's and entity's position among their names in byte order: the lists the result sorts by name.
  std::vector<std::uint32_t> label_rank, entity_rank;
};

// Storage reused from call to call, so that a warmed-up call does not allocate (indeterminate results
// excepted: their missing-fact names are built as strings).
struct DecisionJsonScratch {
  QuotedNames quoted;
  std::vector<std::uint32_t> ids;
  std::vector<std::string_view> names;
  std::vector<std::string> missing;
  std::vector<std::uint32_t> reason_given;  // exemption entities whose reason was written
  std::vector<OutputValue> values;
  std::vector<Obligation> obligations;
  // The text of the last dates written: a batch writes the same as_of line after line.
  std::optional<Date> as_of, rules_as_of;
  std::string as_of_text, rules_as_of_text;
};

// Appends the JSON object of the result of `session`'s last decide() call, which returned `decision` (ok)
// for `options` (without trace): render_json's keys and order, "id" first when id_json is not empty.
// INVARIANT: byte-identical to render_json(session.evaluate(facts, options), id_json); tested on the golden
// and EAR corpora (tests/unit/api/batch_test.cpp).
void append_decision_json(std::string& out, const Session& session, const Decision& decision,
                          const EvalOptions& options, std::string_view id_json, DecisionJsonScratch& scratch);

}  // namespace edict::batch
