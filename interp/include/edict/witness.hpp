// Boundary witnesses: where two compiled policies (or one policy read at two rulebook dates) disagree,
// found from the policies alone, without a corpus (`edict diff OLD NEW --witnesses`).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edict/diff.hpp"
#include "edict/export.h"
#include "edict/policy.hpp"

namespace edict {

struct EDICT_API WitnessProgress {
  std::size_t cases_done = 0;
  std::size_t cases_total = 0;  // the budget of the whole search (all dates)
  std::size_t regions = 0;
};

struct EDICT_API WitnessOptions {
  std::optional<Date> old_rules_as_of;  // read OLD as published on this date (absent: latest)
  std::optional<Date> new_rules_as_of;  // read NEW as published on this date (absent: latest)
  // The transaction dates to explore. Empty: the dates that matter: each date on which either side's rules,
  // groups or parameters change, within the window of the two rulebooks (from the earlier rulebook date on,
  // and that date itself; with no rulebook date, from the day before the first change). Between two such
  // dates neither side changes, so one date per interval is enough.
  std::vector<Date> as_of_dates;
  // A bound on the search. When it is hit the search keeps every region found so far, and the report says
  // which dimension was cut and how to widen it (WitnessReport::cut, ::widen). The cases are enumerated with
  // the date innermost, so a cut search still covers every date.
  std::size_t max_evaluations = 2'000'000;
  // Products (or other facts) a reviewer recognises, e.g. the policy's catalog: a region's witness is moved
  // onto the first catalog entry (in this order) that lies in the region (same decisions, classifications
  // and causes on both sides), keeping the region's other facts.
  std::vector<std::pair<std::string, Facts>> catalog;  // name (shown), facts
  // Called from the search's threads, one call at a time, after each chunk of cases: for a progress line
  // (`edict diff --witnesses` on a terminal). `regions` counts each worker's regions before they are joined.
  std::function<void(const WitnessProgress&)> progress;
};

// One region of disagreement, with a concrete minimal case at its boundary.
struct EDICT_API Witness {
  std::string region;       // human description: the conditions that define the region
  std::vector<std::string> cause;  // the rules / exemptions / thresholds / groups / parameters involved
  Facts facts;              // the concrete case
  Date as_of;
  EvalResult old_result;    // with trace
  EvalResult new_result;    // with trace
  // What changed, one sentence per change of the causes (diff.hpp RulebookChange::text): a rule added or
  // removed, a condition changed (both conditions), an overrides list changed, an effective window moved, a
  // group membership or parameter value changed (with the dates).
  std::vector<std::string> changes;
  bool decision_changed = false;  // false: the classifications or the values only
  bool values_changed = false;    // some output's value differs (whether or not the decision does)
  std::size_t cases = 0;          // candidate cases of the search in this region (its share of the input space)
  std::string transition;         // "OLD decision [classes] -> NEW decision [classes]", then
                                  // "; value NAME OLD -> NEW" per output whose value differs
  std::string where;              // the conditions that define the region (region without the transition)
  std::string representative;     // the catalog entry the witness was moved onto ("" when none lies in it)
};

// How a reviewer ranks a region: 0 the decision changes, 1 only values change (with or without the
// classifications), 2 only the classifications change.
inline int change_kind(const Witness& w) { return w.decision_changed ? 0 : w.values_changed ? 1 : 2; }


struct EDICT_API WitnessReport {
  // Ranked: decision changes first, then classification-only changes; each by `cases`, descending.
  std::vector<Witness> witnesses;
  std::size_t evaluations = 0;     // candidate cases evaluated
  bool truncated = false;          // max_evaluations was reached: `witnesses` holds every region found so far
  std::size_t candidate_cases = 0; // cases of the whole search (SIZE_MAX: more than a size_t holds)
  std::vector<Date> as_of_dates;   // the transaction dates explored
  std::string cut;                 // truncated: the dimension that was cut ("" otherwise)
  std::string widen;               // truncated: how to widen the search
  std::vector<RulebookChange> changes;  // every change between the two rulebooks (compare_rulebooks)
};

// Derives candidate values from every threshold (at, just below and just above each bound, at the bound's
// decimal precision, solving derived ratios for their facts), every group (a member of each cell of the
// groups' overlap and one outside all) and every effective date; evaluates both policies and reports each
// region where their decisions or classifications differ. Exact: boundaries are computed in exact decimals.
EDICT_API WitnessReport find_witnesses(const Policy& old_policy, const Policy& new_policy,
                                       const WitnessOptions& options);

// The catalog entries of a folder of facts files (*.json, in file-name order), each named by its
// `product.name` or else its file name; empty with `error` set when the folder or a file cannot be read.
EDICT_API std::vector<std::pair<std::string, Facts>> read_catalog(const std::string& dir, std::string* error);

// Rendering. Text: by default a summary that fits one screen: the changes between the rulebooks, then the
// decision-change regions and then the value-change regions (at most `max_regions` in all, largest first),
// each with its conditions, causes and witness, and a count of the rest; `detail`: every region with its trace diff. JSON: every field of the
// report (schema in README "edict diff"). Both deterministic.
struct EDICT_API WitnessTextOptions {
  bool detail = false;
  std::size_t max_regions = 20;
};
EDICT_API std::string render_witnesses_text(const WitnessReport& report, const WitnessTextOptions& options = {});
EDICT_API std::string render_witnesses_json(const WitnessReport& report);

// A rulebook's history (`edict changelog POLICY`): for each date on which an amendment was published, in
// order, what it changed against the rulebook of the day before and the regions whose decisions or values
// it changed.
struct EDICT_API ChangelogOptions {
  std::optional<Date> from, to;  // publication dates to cover (absent: all)
  WitnessOptions search;         // for each amendment's search (its rulebook dates are set per amendment)
  // Called before each publication date's search, for a progress line: its place (from 1), the number of
  // dates covered, and the date.
  std::function<void(std::size_t place, std::size_t dates, Date published)> starting;
};
struct EDICT_API ChangelogEntry {
  Date published;
  std::vector<std::string> amendments;  // the amendments (titles) behind the changes
  std::vector<RulebookChange> changes;
  WitnessReport regions;                // the regions whose decision or values changed (change_kind 0 or 1)
};
EDICT_API std::vector<ChangelogEntry> changelog(const Policy& policy, const ChangelogOptions& options);
EDICT_API std::string render_changelog_text(const std::vector<ChangelogEntry>& entries, std::size_t max_regions = 20);
// {"dates": [{"published", "amendments": [...], "changes": [{subject, key, text}], "regions": <witness report
// JSON of the decision- and value-change regions>}]}: every region, deterministic.
EDICT_API std::string render_changelog_json(const std::vector<ChangelogEntry>& entries);

// The witnesses as an `edict test` file: one `test` per witness expecting NEW's decision and classifications.
EDICT_API std::string witnesses_to_tests(const WitnessReport& report);

}  // namespace edict
