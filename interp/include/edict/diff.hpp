// Version diff over a corpus (`edict diff OLD NEW --cases CORPUS`): evaluate every case with two compiled
// policies (or one policy read at two rulebook dates), keep the cases whose decision or classifications
// changed, and group them by the cause derived from the two traces.
//
// Streaming: DiffAccumulator::add_line keeps only counts per cause group and the first example of each
// group, so memory does not grow with the corpus. Cases are first evaluated without a trace (Session::decide,
// one Session per policy and accumulator); a changed case is evaluated again, with traces, to find its cause
// only when no earlier case of the accumulator had the same cause signature (see DiffOptions::exact_causes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edict/export.h"
#include "edict/policy.hpp"

namespace edict {

struct EDICT_API DiffOptions {
  Date as_of;                           // for cases without "as_of"
  std::optional<Date> old_rules_as_of;  // read OLD as published on this date (absent: latest)
  std::optional<Date> new_rules_as_of;  // read NEW as published on this date (absent: latest)
  std::size_t threads = 1;              // diff_corpus: worker threads (chunks of lines, merged in order)
  std::size_t chunk_lines = 4096;        // diff_corpus: lines per work unit
  std::size_t max_errors_kept = 10;     // bad lines reported in full; the rest are only counted
  // false (default): a changed case is traced only when no earlier case had the same cause signature: both
  // decisions and classifications, both lists of fired rules and applied exemptions, the period of `as_of`
  // between the policies' effective dates, and the values of the facts that the rules whose status changed
  // (and every rule sharing a definition, parameter or tier with them) can read. Two cases with equal
  // signatures have identical trace blocks for those rules, hence the same cause. Cases where either side is
  // indeterminate are always traced. true: trace every changed case (the reference; the report is the same,
  // only slower). Tested by comparing both on the golden and EAR corpora.
  bool exact_causes = false;
  std::size_t max_signatures = 1u << 16;  // cause signatures remembered per accumulator (then forgotten)
};

// One step of a trace diff. Steps are aligned by (kind, subject) for rules, exemptions, definitions,
// parameters and tiers, and by the check's text with its bounds and operators blanked out for checks.
struct EDICT_API TraceDiffStep {
  char mark = ' ';  // ' ' same, '~' aligned but different, '-' only in OLD, '+' only in NEW
  std::optional<TraceStep> old_step;
  std::optional<TraceStep> new_step;
};

// The cause of one changed case, derived from its two traces. Each atom is one change that explains it,
// e.g. "rule eccn_3a090_a: added" or "threshold product.tpp >= 4800 -> product.tpp > 4800".
struct EDICT_API CaseCause {
  std::vector<std::string> atoms;         // sorted, unique: the stable key (joined by "; ")
  std::vector<std::string> descriptions;  // one readable sentence per atom, same order
  std::string key() const;
};

struct EDICT_API CaseDiff {
  bool changed = false;  // decision or classifications differ
  EvalResult old_result;
  EvalResult new_result;
  CaseCause cause;                     // set when changed and traces were available
  std::vector<TraceDiffStep> trace_diff;
};

// One change between two rulebooks, read from the compiled policies alone (no cases): what a reviewer of an
// amendment asks first. Conditions are shown as written, dates in ISO form.
struct EDICT_API RulebookChange {
  enum class Kind : std::uint8_t {
    kAdded,      // a rule or exemption in NEW only
    kRemoved,    // in OLD only
    kCondition,  // its condition as written differs (both shown)
    kOutcome,    // its decision or classification differs
    kOverrides,  // an exemption's `overrides` list differs (names added and removed)
    kWindow,     // its effective window moved
    kGroup,      // a group's dated membership (or definition) differs (members with their dates)
    kParameter,  // a parameter's dated values differ (both step lists)
  };
  Kind kind = Kind::kAdded;
  std::string subject;     // "rule x", "exemption y", "group D:5", "parameter cap"
  std::string name;        // the rule, exemption, group or parameter
  std::string key;         // short and stable: "exemption y: overrides +a -b"
  std::string text;        // one readable sentence
  std::string defined_by;  // rules and exemptions: the amendment (or file) of the version that changed
};

// The changes between OLD read as of `old_rules_as_of` and NEW as of `new_rules_as_of` (absent: the latest
// rulebook), by subject. Deterministic.
EDICT_API std::vector<RulebookChange> compare_rulebooks(const Policy& old_policy, const Policy& new_policy,
                                                        std::optional<Date> old_rules_as_of,
                                                        std::optional<Date> new_rules_as_of);

// A cause read from traces only says "exemption x: added" when OLD's trace has no step for x, which also
// happens when x exists in OLD but was not evaluated there (e.g. it did not override the rule that fired).
// This replaces such atoms by what really changed for x (its RulebookChange entries), or says that x is
// unchanged and was only reached in one version.
EDICT_API CaseCause refine_cause(CaseCause cause, const std::vector<RulebookChange>& changes);

// Evaluates one case in both versions (with traces) and explains the difference.
EDICT_API CaseDiff diff_case(const Policy& old_policy, const Policy& new_policy, const Facts& facts, Date as_of,
                   const DiffOptions& options);
// The cause and trace diff of two traced results (of the same facts).
EDICT_API CaseCause explain_change(const EvalResult& old_result, const EvalResult& new_result);
EDICT_API std::vector<TraceDiffStep> diff_traces(const Trace& old_trace, const Trace& new_trace);

struct EDICT_API DiffGroup {
  std::string key;                        // CaseCause::key()
  std::vector<std::string> atoms;
  std::vector<std::string> descriptions;
  std::size_t count = 0;                  // changed cases with this cause
  std::size_t decision_changes = 0;       // of which the decision changed (the rest: classifications only)
  std::map<std::string, std::size_t> transitions;  // "no_license_required -> license_required" -> count
  // The first case of the group in corpus order.
  std::size_t example_line = 0;           // 1-based line number in the corpus
  std::string example_id;                 // raw JSON of its "id" ("" when absent)
  std::string example_facts;              // the case's facts as JSON
  Date example_as_of;
  EvalResult example_old;                 // with trace
  EvalResult example_new;                 // with trace
  std::vector<TraceDiffStep> example_trace_diff;
};

struct EDICT_API DiffLineError {
  std::size_t line = 0;
  std::string id;  // raw JSON of "id" when it could be read
  std::string message;
};

struct EDICT_API DiffReport {
  std::size_t cases = 0;            // lines evaluated (not counting bad lines)
  std::size_t changed = 0;          // cases whose decision or classifications changed
  std::size_t decision_changes = 0;
  std::size_t errors = 0;           // bad lines (malformed JSON, invalid facts in either version)
  std::size_t ignored_rules_as_of = 0;  // lines whose "rules_as_of" was ignored
  std::vector<DiffLineError> first_errors;  // the first DiffOptions::max_errors_kept, by line
  std::vector<DiffGroup> groups;    // by count (descending), then key
};

// Streaming accumulator: feed JSONL lines ({"id", "facts", "as_of", "rules_as_of"}) in any order of
// chunks; merge() is associative and keeps the example with the lowest line number, so the report is the
// same for any split of the corpus.
class EDICT_API DiffAccumulator {
 public:
  DiffAccumulator(const Policy& old_policy, const Policy& new_policy, DiffOptions options);
  ~DiffAccumulator();
  DiffAccumulator(DiffAccumulator&&) noexcept;
  DiffAccumulator& operator=(DiffAccumulator&&) noexcept;
  void add_line(std::string_view line, std::size_t line_number);
  void add_case(const Facts& facts, Date as_of, std::string_view id_json, std::size_t line_number);
  void add_error(std::size_t line_number, std::string id_json, std::string message);  // a bad line
  void merge(DiffAccumulator&& other);
  DiffReport finish() &&;

 private:
  // A line of plain JSON decided on prepared facts; false when the general path must take it.
  bool add_plain_line(std::string_view line, std::size_t line_number);
  // The rest of add_case once both decisions are made (`facts` are the case's, for the changed ones).
  void add_decided(const Decision& a, const Decision& b, const Facts* facts, std::string_view line, Date as_of,
                   std::string_view id_json, std::size_t line_number);
  // A changed case whose cause is not known yet; `facts` null: the plain `line` on the engine's frames.
  void add_traced_case(const Facts* facts, std::string_view line, Date as_of, std::string_view id_json,
                       std::size_t line_number, std::string transition, bool decision_changed,
                       const std::string* signature);
  const Policy* old_;
  const Policy* new_;
  DiffOptions options_;
  DiffReport report_;
  std::map<std::string, DiffGroup> groups_;
  struct Engine;  // this accumulator's sessions and cause-signature cache (one thread)
  std::unique_ptr<Engine> engine_;
};

// Reads a JSONL corpus from `in` and diffs it with options.threads workers.
EDICT_API DiffReport diff_corpus(const Policy& old_policy, const Policy& new_policy, std::istream& in,
                       const DiffOptions& options);

// Rendering. Text: a summary, then each group with its count, transitions, example and trace diff.
// JSON: one object (schema in README "edict diff"). Both deterministic.
EDICT_API std::string render_diff_text(const DiffReport& report, std::size_t max_groups_with_traces = 20);
EDICT_API std::string render_diff_json(const DiffReport& report);
// The differing steps of a trace diff, each under its rule or exemption, one per line ("~ OLD  |  NEW").
EDICT_API std::string render_trace_diff_text(const std::vector<TraceDiffStep>& steps, std::string_view indent = "    ");
// Facts as one nested JSON object, keys sorted.
EDICT_API std::string facts_to_json(const Facts& facts);
// "decision [classification,...]", or "error" when the facts were invalid.
EDICT_API std::string result_summary(const EvalResult& result);

}  // namespace edict
