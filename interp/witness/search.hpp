// Internal to interp/witness/: the state of one witness search (`edict diff OLD NEW --witnesses`) and the
// types its parts share. The parts, one job per file:
//   differences.cpp  which rules, groups and parameters differ, and which rules are related to them
//   knowledge.cpp    what the conditions say about each fact (bounds, sets, derived values) and their checks
//   candidates.cpp   the candidate values of each fact, and the facts varied together
//   solving.cpp      candidates of facts that enter a derived value, solved for its bounds
//   search.cpp       one search: dates, enumeration of the cases, regions of disagreement
//   per_date.cpp     find_witnesses: one search per date that matters, the budget shared, regions joined
//   regions.cpp      merging regions, and each region's description, cause and witness
//   ranking.cpp      regions as a reviewer reads them: one per change, catalog witnesses, ranked
//   render.cpp       the report as text (a summary, --detail for everything) and JSON
//   tests_text.cpp   the witnesses as an `edict test` file
// Every value is computed by the evaluator (eval/probe.hpp); decisions come from Policy::evaluate.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/number.hpp"
#include "edict/diff.hpp"
#include "edict/witness.hpp"
#include "eval/probe.hpp"
#include "eval/rulebook.hpp"
#include "ir/queries.hpp"
#include "api/internals.hpp"
#include "ir/program.hpp"

namespace edict::witness {

using core::Integer;
using core::Rational;
using ir::kNone;
using Path = std::string;
using Assignment = std::map<Path, std::optional<FactValue>>;  // nullopt = absent

// ---- exact decimals and raw values (decimals.cpp)

bool terminating(const Rational& r);
Rational unit_of(const Rational& r);  // one unit of the last decimal place (at least 1 for integers)
Rational round_to(const Rational& r, int digits, bool up);
FactValue number_value(const Rational& r);
FactValue string_value(std::string s);
FactValue bool_value(bool b);
std::string value_text(const std::optional<FactValue>& v);
std::string assignment_text(const Assignment& a);  // "path=value;" per fact
Facts to_facts(const Assignment& a);

// ---- one side (OLD or NEW)

struct Side {
  const Policy* policy = nullptr;
  const CompiledProgram* p = nullptr;
  std::optional<Date> rules_option;
  Date rules;
  std::unique_ptr<eval::Probe> probe;  // for the search's own thread

  const ir::RuleVersion* visible(const ir::Entity& e) const { return ir::visible_version(e, rules); }
  std::uint32_t entity_index(const std::string& name) const;
  std::uint32_t slot_of(const Path& path) const;  // kNone when not in this side's schema
  // The facts bound to this side's schema (values that do not fit are left absent).
  void bind(const Facts& facts, eval::BoundFacts& out) const;
};

// ---- what differs (differences.cpp): a text that is equal on both sides when a node means the same

struct Structure {
  const Side& s;
  std::unordered_map<std::uint32_t, std::string> group_memo;

  std::string group(std::uint32_t g);
  std::string parameter(std::uint32_t i);
  std::string node(std::uint32_t index);
  std::string results(const ir::RuleVersion& v);  // its `set` and `oblige` clauses
};

// ---- what the conditions say about the facts (knowledge.cpp)

struct SetUse {
  int side;
  std::uint32_t set_node;
};

// A derived number (not a single fact) compared with bounds: solved for each of its facts.
struct Solve {
  int side;
  std::uint32_t expr;
  std::vector<Rational> bounds;
  std::set<Path> facts;
};

struct FactInfo {
  std::set<Rational> bounds;            // numbers compared directly with a constant or a parameter
  std::set<std::int32_t> date_bounds;   // dates (days)
  std::vector<SetUse> sets;             // `in` / `matches` sets
  std::set<std::string> equal_to;       // enum codes and strings compared with ==
  bool present_tested = false;
  bool denominator = false;
};

struct Knowledge {
  std::map<Path, FactInfo> facts;
  std::vector<Solve> solves;
};

// ---- candidates and regions

struct Candidate {
  Assignment values;  // the facts of one variable
  int at_bound = 0;   // how many values sit exactly on a bound (or a derived value exactly on its bound)
  int non_default = 0;
};

struct Variable {
  std::vector<Path> paths;
  std::vector<Candidate> candidates;
};

// A check of the changed rules, shown in region descriptions: its text and its node on each side.
struct Atom {
  std::string text;
  std::uint32_t node[2] = {kNone, kNone};
};

struct CaseScore {
  int at_bound = 0;
  int non_default = 0;
  std::string text;
  bool better_than(const CaseScore& o) const {
    if (at_bound != o.at_bound) return at_bound > o.at_bound;
    if (non_default != o.non_default) return non_default < o.non_default;
    return text < o.text;
  }
};

struct RegionAcc {
  std::string old_decision, new_decision;
  std::vector<std::string> old_classes, new_classes;
  // "; value NAME STATE -> STATE" per output whose value differs (render/values.hpp): part of the region's
  // identity. Its witness shows the values themselves.
  std::string value_states;
  std::string signature;  // two characters per atom: OLD and NEW truth ('1', '0', '?', '.' = not evaluated, '*' = any)
  CaseScore best;
  std::vector<std::size_t> choice;  // candidate index per variable
  std::size_t date = 0;
  std::size_t cases = 1;  // the cases of the search that fell in this region
};

std::string coarse_key(const RegionAcc& r);
// A witness's transition without the values themselves: the decisions and classifications of both sides and
// the states of the outputs that change. The values vary within a region (a deadline computed from the date):
// regions of one change are joined by this key, and the kept witness shows its own values.
std::string transition_key(const Witness& w);
std::string transition_text(const RegionAcc& r, const std::string& values);  // `values`: as describe()

// ---- the search

class Search {
 public:
  Search(const Policy& old_policy, const Policy& new_policy, const WitnessOptions& options);
  std::size_t prepare();
  WitnessReport run(std::size_t budget);
  // The dates this search explores (WitnessOptions::as_of_dates, or the dates that matter).
  const std::vector<Date>& dates() {
    if (dates_.empty()) choose_dates();
    return dates_;
  }
  // ranking.cpp: regions ranked for a reviewer (decision changes first, then by share of the cases)
  static void rank(WitnessReport& report);
  // Where this search's cases sit in a larger one (per_date.cpp), for WitnessOptions::progress.
  void progress_offset(std::size_t done, std::size_t total, std::size_t regions) {
    progress_done_ = done;
    progress_total_ = total;
    progress_regions_ = regions;
  }

 private:
  using Regions = std::map<std::string, RegionAcc>;
  struct Worker;  // per-thread evaluation state (search.cpp)

  // search.cpp
  std::set<Date> change_dates() const;
  void choose_dates();
  void describe_cut(std::size_t total, WitnessReport& report) const;
  std::size_t count_cases();
  void search_cases(std::size_t total, std::vector<RegionAcc>& regions) const;
  void evaluate_case(Worker& w, std::size_t index, Regions& mine) const;
  std::string signature(Worker& w, const Facts& facts, Date as_of) const;
  Facts facts_of(const std::vector<std::size_t>& choice, Assignment* assignment = nullptr) const;
  // differences.cpp
  void find_differences();
  void find_differing_outputs(Structure (&st)[2]);
  void find_differing_tables(Structure (&st)[2]);
  void close_relevance();
  // knowledge.cpp
  void collect();
  // candidates.cpp
  void build_variables();
  std::vector<Candidate> single_candidates(const Path& path);
  void set_candidates(const Path& path, std::uint32_t enum_id, std::vector<Candidate>& out);
  void name_candidates(const Path& path, std::vector<Candidate>& out);
  std::string cell(const Path& path, const FactValue& raw);
  std::vector<int> group_weights(std::uint32_t enum_id, const CompiledProgram* p) const;
  std::optional<FactValue> representative(const Path& path) const;
  std::optional<FactValue> compute_representative(const Path& path) const;
  const ir::FactSlot* slot(const Path& path) const;
  void score(Candidate& c) const;
  // solving.cpp
  std::vector<Candidate> joint_candidates(const std::vector<Path>& paths);
  void solved_candidates(const Solve& solve, const std::vector<Candidate>& base, std::vector<Candidate>& out);
  std::optional<Candidate> nudged(const Solve& solve, const Candidate& c, const Path& f, const Rational& target,
                                  int at);
  std::optional<Rational> solve_for(const Solve& solve, const Assignment& a, const Path& f, const Rational& target);
  bool acceptable(const Path& f, const Rational& v) const;  // an exact decimal, integral if `f` must be
  // regions.cpp
  void merge_regions(std::vector<RegionAcc>& regions) const;
  Witness make_witness(const RegionAcc& r) const;
  // "OLD d (classes), NEW d (classes)" + `values` (the witness's value changes) + " where " + the checks.
  std::string describe(const RegionAcc& r, const std::string& values) const;
  std::vector<std::string> causes(const Witness& w) const;
  // ranking.cpp
  void merge_by_cause(std::vector<RegionAcc>& regions, std::vector<Witness>& witnesses) const;
  void move_onto_catalog(const RegionAcc& r, Witness& w) const;

  WitnessOptions options_;
  Side sides_[2];
  bool has_outputs_ = false;  // either side declares outputs: cases compare their values too
  std::vector<RulebookChange> changes_;  // what changed between the two rulebooks (causes name these)
  std::vector<Date> dates_;
  std::set<std::string> differing_;  // entity names
  std::set<std::string> relevant_;
  std::set<std::string> differing_groups_, differing_parameters_;
  Knowledge knowledge_;
  std::set<Path> varied_;
  std::vector<Variable> variables_;
  Assignment fixed_;  // facts that are not varied: representatives
  std::vector<Atom> atoms_;
  std::unordered_map<std::uint32_t, std::size_t> atom_of_[2];  // check node -> atom, per side
  struct Condition {
    Date from, until;
    std::uint32_t condition;
  };
  std::vector<Condition> conditions_[2];  // the changed entities' conditions, per side
  mutable std::map<Path, std::optional<FactValue>> rep_cache_;
  // The cases: a candidate of each variable (a mixed radix number) and a date.
  std::vector<std::size_t> radix_;  // candidates per variable
  std::size_t per_date_ = 1;        // cases per date
  bool overflow_ = false;           // more cases than a size_t holds
  std::size_t progress_done_ = 0, progress_total_ = 0, progress_regions_ = 0;
};

// Per-thread state of a search: the evaluator's probes of both sides and scratch.
struct Search::Worker {
  explicit Worker(const Search& search)
      : probe{eval::Probe(*search.sides_[0].p), eval::Probe(*search.sides_[1].p)},
        session{std::make_unique<Session>(*search.sides_[0].policy), std::make_unique<Session>(*search.sides_[1].policy)},
        choice(search.variables_.size()) {}
  eval::Probe probe[2];
  std::unique_ptr<Session> session[2];  // decisions without traces: the hot path of the enumeration
  std::vector<std::size_t> choice;
  eval::BoundFacts bound;
  std::vector<std::uint32_t> conditions;
  std::vector<eval::CheckTruth> checks;
};

}  // namespace edict::witness
