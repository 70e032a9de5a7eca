// The evaluator's state (evaluator.cpp, decision_plan.cpp): one Frame per Evaluator or Probe, sized once for
// its program. Private to the eval layer.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eval/probe.hpp"
#include "eval/value.hpp"

namespace edict::eval {

using ir::kNone;
using Kind = Value::Kind;
using Tri = Truth;  // three-valued logic: the truth a trace step and a probe show (probe.hpp)

// All state of one evaluation. Sized once per program; run() resets it without freeing, so evaluations
// without a trace do not allocate once the scratch vectors have grown.
class Frame {
 public:
  explicit Frame(const CompiledProgram& program) : p_(program) {
    definitions_.resize(program.definitions.size());
    parameters_.resize(program.parameters.size());
    tiers_.resize(program.tiers.size());
    labels_.assign(program.labels.size(), Tri::kFalse);
    label_by_.resize(program.labels.size());
    entities_.resize(program.entities.size());
    for (std::uint32_t e = 0; e < program.entities.size(); ++e) {
      if (program.entities[e].exemption) all_exemptions_.push_back(e);
    }
    prepare_set_caches();
    number_constants_.reserve(program.num_constants.size());
    for (const auto& n : program.num_constants) {
      Value v;
      v.kind = Kind::kNumber;
      v.number = n;
      number_constants_.push_back(std::move(v));
    }
    collect_fused_checks();
    collect_date_breaks();
    collect_logic_chains();
  }

  void run(const BoundFacts& facts, Date as_of, Date rules_as_of, Trace* trace, Outcome& out);
  void disable_fused_checks();  // Evaluator::disable_fused_checks
  void disable_plans() { plans_enabled_ = false; }  // Evaluator::disable_plans; probes
  std::size_t fused_checks() const {
    return static_cast<std::size_t>(std::count_if(fused_.begin(), fused_.end(), [](const FusedCheck& f) {
      return f.kind != FusedCheck::Kind::kGeneral;
    }));
  }

  // Limits::eval_steps: every visit of an expression or set node takes one step; with none left, the
  // evaluation is abandoned by throwing StepLimitExceeded (caught by Evaluator::run; run() resets all state).
  struct StepLimitExceeded {};
  std::uint64_t steps_left = 0;
  friend class Probe;  // probe.hpp: the evaluator's operations for analyses

 private:
  // One subtraction and a branch on its borrow: this runs at every node.
  void take_step() {
    if (steps_left-- == 0) [[unlikely]] step_limit_reached();
  }
  // Out of line and cold: the throw would otherwise weigh on every function that takes a step. The count,
  // wrapped by take_step, is put back to none left.
  [[noreturn, gnu::noinline, gnu::cold]] void step_limit_reached() {
    steps_left = 0;
    throw StepLimitExceeded{};
  }

  // A memoised value, computed in the evaluation whose run_count_ is `run` (no reset between evaluations).
  struct Memo {
    std::uint64_t run = 0;
    bool done(std::uint64_t current) const { return run == current; }
    Value value;
    std::vector<std::uint32_t> missing;
  };

  enum class Status : std::uint8_t { kNotInRulebook, kNotInForce, kFalse, kTrue, kUnknown };

  struct EntityState {
    const ir::RuleVersion* version = nullptr;
    Status status = Status::kNotInRulebook;
    bool evaluated = false;
    std::vector<std::uint32_t> missing;
  };

  // ---- expressions ----
  Value eval(std::uint32_t node);
  // The value of `node` as eval() gives it (and taking its step), without a copy when it is stored: a given
  // fact, a number constant, a definition or parameter; otherwise computed into `scratch`. Comparisons read
  // their operands through it.
  const Value& operand(std::uint32_t node, Value& scratch);
  std::vector<Value> number_constants_;  // program.num_constants as values
  // Per node: one of the commonest checks in a fused form that fused_check() decides from the fact values
  // directly, without the general operand machinery (kGeneral: any other node, evaluated by test()).
  struct FusedCheck {
    enum class Kind : std::uint8_t {
      kGeneral,
      kFactVsNumber,      // `product.tpp >= 4800`: a number fact and a number constant
      kFactVsCode,        // `product.kind == "ic"`: an enumeration fact and one of its codes
      kFactInSet,         // `destination.country in arms_embargoed`: an enumeration fact in a set of its codes
      kQuotientVsNumber,  // `density >= 5.92`, density a definition `a / b` of two number facts used only here
      kBoolFact,          // `product.datacenter`, or `not product.datacenter` (negated)
      kFactPresent,       // `end_user.name is present`, or `is absent` (negated)
      kClassified,        // `classified as gpu` (or `not classified as gpu`), once its rules have decided
      kFactInRange,       // `2400 <= product.tpp < 4800`: a number fact between two number constants
      // `density >= 5.92`, `3.2 <= density < 5.92`: a number definition read by several checks, against
      // constants, once the first check has computed it in this decision
      kDefinitionVsNumber,
      kFactMatchesGroup,  // `end_user.name matches entity_list`: a name fact (normalised once per value given) in a group
    };
    Kind kind = Kind::kGeneral;
    bool negated = false;  // kFactInSet: `not in`; kBoolFact, kClassified: `not`; kFactPresent: `is absent`
    // The comparison as a mask of the orders it accepts: bit 0 for less, 1 for equal, 2 for greater (`>=`
    // is 0b110), so that its truth is one shift rather than a switch over the operators.
    std::uint8_t accepts = 0;
    std::uint32_t slot = 0;     // the fact (the dividend for kQuotientVsNumber and a `quotient`)
    // kFactInSet: the set node; kFactVsCode: the code's position; kQuotientVsNumber, a `quotient`: the divisor's
    // fact slot; kClassified: the label; kFactMatchesGroup: the group
    std::uint32_t other = 0;
    std::uint32_t definition = 0;  // kQuotientVsNumber, kDefinitionVsNumber
    const core::Num* constant = nullptr;  // compared on the right: `x >= constant`
    // A chain's first link, `lower <= x` (kFactInRange; kDefinitionVsNumber of three operands), as a mask
    // like `accepts`; null when there is none.
    const core::Num* lower = nullptr;
    std::uint8_t lower_accepts = 0;
    // kDefinitionVsNumber of a definition `a / b` of two number facts (slot: a's, other: b's): the first check
    // that reads it in a decision computes it (compute_quotient), as the general path would.
    bool quotient = false;
    Tri accept(int order) const { return (accepts >> (order + 1)) & 1 ? Tri::kTrue : Tri::kFalse; }
    // Every link of `lower op x op constant` (or `x op constant`): the general path compares them all, and
    // with every operand known the chain is true exactly when each holds.
    Tri within(const core::Num& x) const {
      if (lower != nullptr && ((lower_accepts >> (compare(*lower, x) + 1)) & 1) == 0) return Tri::kFalse;
      return accept(compare(x, *constant));
    }
  };
  std::vector<FusedCheck> fused_;
  void collect_fused_checks();
  void fuse_range(const ir::Node& chain, const std::vector<std::uint32_t>& uses, FusedCheck& fused) const;
  // Decides check `node`, which has a fused form, as test() would, taking the same steps, when its facts allow
  // (and there is no trace and no probe of checks); false, having done nothing, otherwise. Callers test the
  // kind first: most nodes have none, and the call would cost more than the check.
  [[gnu::always_inline]] inline bool fused_check(std::uint32_t node, Tri& result) {
    if (trace_ != nullptr || checks_ != nullptr) return false;
    const auto steps = decide_fused(fused_[node], result);
    if (steps == 0) return false;
    take_steps(steps);
    return true;
  }
  // The same, for a check known to have a fused form, outside a trace or a probe of checks, without taking
  // its steps: returns how many the general path would take (none: it cannot decide, `result` is unset).
  // The caller takes them, with any of its own, at once.
  [[gnu::always_inline]] inline std::uint32_t decide_fused(const FusedCheck& f, Tri& result);
  inline bool compute_quotient(const FusedCheck& f, Memo& memo);
  // `count` steps at once: the limit is reached exactly when count take_step() calls would reach it.
  void take_steps(std::uint64_t count) {
    if (steps_left < count) [[unlikely]] step_limit_reached();
    steps_left -= count;
  }
  // A boolean node's truth value: the same result as truth(eval(node)), without building a Value (most
  // nodes of a condition are boolean, and a Value is a wide type with an exact number inside).
  Tri test(std::uint32_t node);
  // The rarer checks stay out of test(), whose every call would otherwise pay for their registers.
  [[gnu::noinline]] Tri test_classified(const ir::Node& node);
  [[gnu::noinline]] Tri test_present(const ir::Node& node);
  [[gnu::noinline]] Tri test_if(const ir::Node& node);
  Tri test_not(const ir::Node& node);
  Tri test_leaf(std::uint32_t index, bool negated);
  static bool is_leaf_value(ir::Op op) {
    return op == ir::Op::kFact || op == ir::Op::kDefinition || op == ir::Op::kParameter;
  }
  Tri test_compare(const ir::Node& node);
  Tri test_membership(const ir::Node& node);
  Tri test_logic(const ir::Node& node);
  // `a and b and c` is ((a and b) and c): per `and`/`or` node, the operands along its left spine of the same
  // operator, in order, so that test_logic() reads the chain in one loop rather than one call per operator.
  struct LogicChain {
    std::uint32_t first = 0;  // operands in chain_operands_[first .. first + count)
    std::uint32_t count = 0;
    std::uint32_t inner = 0;  // the operators below this one on the spine: the steps test() would take there
  };
  std::vector<LogicChain> logic_chains_;  // by node (empty for other nodes)
  std::vector<std::uint32_t> chain_operands_;
  void collect_logic_chains();
  Value eval_arith(const ir::Node& node);
  Value eval_dates(const ir::Node& node);
  Value eval_if(const ir::Node& node);
  // A definition's or tier's missing ids (those recorded since `mark`) are kept in its memo, sorted and
  // unique: a definition used twice by the next one (a1 = a0 + a0, a2 = a1 + a1, ...) would otherwise double
  // the list at every level. replayed() records them again when the memoised value is read.
  void remember_missing(Memo& memo, std::size_t mark) {
    if (missing_.size() == mark) {  // the usual case: the value is known, nothing was missing
      memo.missing.clear();
      return;
    }
    memo.missing.assign(missing_.begin() + static_cast<std::ptrdiff_t>(mark), missing_.end());
    std::sort(memo.missing.begin(), memo.missing.end());
    memo.missing.erase(std::unique(memo.missing.begin(), memo.missing.end()), memo.missing.end());
    drop_missing_from(mark);
    missing_.insert(missing_.end(), memo.missing.begin(), memo.missing.end());
  }
  const Value& replayed(const Memo& memo) {
    if (!memo.value.known()) missing_.insert(missing_.end(), memo.missing.begin(), memo.missing.end());
    return memo.value;
  }
  const Value& definition(std::uint32_t index);
  const Value& parameter(std::uint32_t index);
  const Value& tier(std::uint32_t index);
  bool contains(std::uint32_t set_node, const Value& element, std::string_view* matched);
  // Whether enumeration value `element` is in set `set_node`, from the set's cache for these dates when it
  // knows the code (inlined: the commonest case), else computed and remembered by learn_member().
  [[gnu::always_inline]] bool enum_member(std::uint32_t set_node, const Value& element) {
    const auto id = p_.enum_set_cache_of[set_node];
    const auto code = static_cast<std::size_t>(element.integer);
    if (id != kNone && code / 64 < set_caches_[id].words) {
      const auto& cache = set_caches_[id];
      const std::uint64_t bit = std::uint64_t{1} << (code % 64);
      if ((dates_->set_bits[cache.known + code / 64] & bit) != 0) {
        return (dates_->set_bits[cache.member + code / 64] & bit) != 0;
      }
    }
    return learn_member(set_node, element);
  }
  [[gnu::noinline]] bool learn_member(std::uint32_t set_node, const Value& element);
  const std::string& normalized_name(const std::string& name);
  void prepare_set_caches();
  bool group_contains(const ir::Group& group, const Value& element, std::string_view* matched);
  bool prefix_contains(const ir::Group& group, std::string_view text, std::string_view* matched) const;
  // Whether entry `key` (a normalised name for a group of names) is in `group` as of the dates.
  bool entry_member(const ir::Group& group, const std::string& key, std::string_view* matched) const;
  // Forgets the missing ids recorded since `mark` (erase at the end is inlined; resize() is not).
  void drop_missing_from(std::size_t mark) {
    if (missing_.size() > mark) missing_.erase(missing_.begin() + static_cast<std::ptrdiff_t>(mark), missing_.end());
  }
  // The fact to report for an absent fact: the one its `default` copies when it has such a default (that one
  // is missing, LANGUAGE.md 2.4), else itself.
  std::uint32_t missing_fact(std::uint32_t slot) const {
    const auto from = p_.facts[slot].default_node;
    return from != kNone && p_.nodes[from].op == ir::Op::kFact ? p_.nodes[from].a : slot;
  }
  Value unknown(std::uint32_t missing_id) {
    missing_.push_back(missing_id);
    return {};
  }
  static Tri truth(const Value& v) { return !v.known() ? Tri::kUnknown : v.boolean ? Tri::kTrue : Tri::kFalse; }
  static Value of_tri(Tri t) { return t == Tri::kUnknown ? Value{} : Value::of_bool(t == Tri::kTrue); }

  // ---- rules ----
  void evaluate_entity(std::uint32_t index);
  // The trace step of a rule or exemption: opened before its condition's checks (returns its position), and
  // given its status after them. Out of line: the untraced evaluation does not carry their registers.
  [[gnu::noinline, gnu::cold]] std::size_t open_entity_step(std::uint32_t index);
  [[gnu::noinline, gnu::cold]] void close_entity_step(std::size_t at, std::uint32_t index);
  Status condition_status(std::uint32_t condition, std::vector<std::uint32_t>& missing);
  // Applies the exemptions of a fired (or unknown) decision rule. Sets effective_ (kNone: conflict),
  // applied_ (the deciding exemptions), conflict_, and possible_outcomes_ (every outcome the unknown exemptions
  // could lead to).
  void apply_exemptions(std::uint32_t rule);
  bool overrides(std::uint32_t exemption, std::uint32_t target) const;  // in the version read for this rulebook
  bool in_force(std::uint32_t entity) const {  // in this rulebook and in force on as_of
    const auto* v = entities_[entity].version;
    return v != nullptr && v->in_force_on(as_of_);
  }
  std::uint32_t outcome_with(std::uint32_t rule, std::uint64_t guess, std::vector<std::uint32_t>& winners);
  // Unknown exemptions of one rule whose every combination is tried (2^n); more make any outcome possible.
  static constexpr std::size_t kMaxGuessed = 10;
  void enter(const BoundFacts& facts, Date as_of, Date rules_as_of);
  void reset(const BoundFacts& facts, Date as_of, Date rules_as_of, Trace* trace);
  void trace_decision(const Outcome& out);
  // ---- outputs ----
  void compute_values(Outcome& out);
  void begin_values(Outcome& out);
  void end_values(Outcome& out);
  void give_values(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version);
  void mark_unknown_values(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version);
  void add_obligations(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version, bool possible);
  void combine_value(Outcome& out, std::uint32_t output, std::uint32_t entity, Value v);
  void trace_values(const Outcome& out);
  std::vector<std::vector<std::uint32_t>> by_lists_;  // per output, the entities behind its value
  bool by_lists_used_ = true;   // by_lists_ may hold entries (cleared by begin_values)
  bool output_defaults_ = false;  // some output has a default (set with with_sets_)
  // Called before any of the outcome's values, obligations or by_lists_ is written.
  void values_written(Outcome& out) {
    out.values_unset = false;
    by_lists_used_ = true;
  }
  std::vector<std::uint64_t> gave_;  // per entity: the run_count_ of the run in which it gave its values
  std::vector<std::uint32_t> with_sets_;  // entities with `set` or `oblige` clauses in some version
  bool with_sets_ready_ = false;

  // ---- trace ----
  // Appends a step at the current depth, located at `span` when `located`.
  TraceStep& step(TraceStep::Kind kind, syntax::Span span = {}, bool located = false);
  // The 1-based line of byte `offset` in source `file`.
  std::uint32_t line_of(std::uint32_t file, std::uint32_t offset);
  // line_of()'s answers by place, direct-mapped: a trace locates the same constructs decision after decision.
  struct LineSlot {
    std::uint32_t file = UINT32_MAX, offset = 0, line = 0;
  };
  std::vector<LineSlot> lines_seen_;
  // A check of `node` with its result (source = the node's compiled text).
  TraceStep& check(TraceStep::Check check, Tri truth, std::uint32_t node);
  std::uint32_t index_of(const ir::Node& node) const { return static_cast<std::uint32_t>(&node - p_.nodes.data()); }
  TraceValue trace_value(const Value& v, std::uint32_t node) const;
  // Appends the operand `node` with value `v` to step `s` (the last step: its operands are contiguous).
  TraceOperand& add_operand(TraceStep& s, std::uint32_t node, const Value& v);
  // Appends `x` to `all` and extends `list` (a view of the last elements of `all`, a list of the last step) to
  // it. A vector that grows leaves the earlier steps' views dangling: rebase_views() re-points them.
  template <typename T>
  T& append(std::vector<T>& all, View<T>& list, T x) {
    if (all.size() == all.capacity()) views_moved_ = true;
    all.push_back(std::move(x));
    list = {all.data() + all.size() - list.size() - 1, list.size() + 1};
    return all.back();
  }
  // The same for a new element, made in place.
  template <typename T>
  T& append_new(std::vector<T>& all, View<T>& list) {
    if (all.size() == all.capacity()) views_moved_ = true;
    all.emplace_back();
    list = {all.data() + all.size() - list.size() - 1, list.size() + 1};
    return all.back();
  }
  void rebase_views();
  std::shared_ptr<const GroupMembers> group_members(std::uint32_t set_node);
  // group_members() for the current dates, remembered across evaluations of this frame (trace only).
  const std::shared_ptr<const GroupMembers>& cached_group_members(std::uint32_t set_node) {
    auto& entry = members_cache_[set_node];
    if (!entry.members || entry.members->as_of != as_of_ || entry.rules_as_of != rules_as_of_) {
      entry.members = group_members(set_node);
      entry.rules_as_of = rules_as_of_;
    }
    return entry.members;
  }
  std::vector<std::string> missing_names(const std::vector<std::uint32_t>& ids) const;
  std::size_t trace_steps_hint_ = 64;  // the most steps a trace of this frame has had

  const CompiledProgram& p_;
  const BoundFacts* facts_ = nullptr;
  Date as_of_;
  Date rules_as_of_;
  Trace* trace_ = nullptr;
  std::uint32_t depth_ = 0;
  std::vector<Memo> definitions_;
  std::vector<Memo> parameters_;
  std::vector<Memo> tiers_;
  std::vector<Tri> labels_;
  std::vector<std::vector<std::uint32_t>> label_by_;  // rules that set each label (trace only)
  std::vector<EntityState> entities_;
  std::vector<std::uint32_t> missing_;  // scratch: missing ids of unknowns computed so far
  // Membership of an enumeration code in a set expression depends only on the set, the code and the two
  // dates, so it is remembered per set (one bit per code) while the dates stay the same: a deep union or
  // difference of groups is walked once per code, not once per decision.
  struct SetCache {
    std::uint32_t known = 0;       // bits[known .. known + words): bit per code, computed for these dates
    std::uint32_t member = 0;      // bits[member .. member + words): bit per code, the result
    std::uint32_t words = 0;
  };
  std::vector<SetCache> set_caches_;  // indexed by program.enum_set_cache_of
  std::size_t set_words_ = 0;         // the words of all set caches
  // Every date the program compares with as_of or rules_as_of (versions, membership events, parameter steps),
  // as day d and d + 1, sorted: between two neighbours every such comparison, strict or not, comes out the
  // same. So what depends on the dates only through them (the sets' bits, the rules in force) is kept per
  // pair of intervals, for the last few pairs: a batch with a date per row does not recompute it row after
  // row, nor cases that alternate between a few date ranges.
  std::vector<std::int64_t> date_breaks_;
  void collect_date_breaks();
  // ---- the decision plan ----
  // The untraced decision compiled for one pair of date intervals: the rules in force, in order, each with
  // its condition as a flat list of checks whose outcomes jump to the next check (short-circuit `and` and
  // `or`), and the exemptions in force that override each decision rule. run_plan() decides from it without
  // the general path's bookkeeping (entity states, missing facts, the combination of uncertain outcomes).
  // Where an exemption applies, the general combination finishes from the statuses it found; where a check
  // is unknown, the general path decides the case from the start. Either way the steps are taken in the same
  // order and the outcome is the same; the tests compare both on random cases (decision_plan.cpp).
  struct PlanCheck {
    FusedCheck fused;                  // decide_fused() first (unless kGeneral), test() when it cannot decide
    std::uint32_t node = 0;
    std::uint32_t enter_steps = 0;     // the steps of the `and`/`or` nodes entered at this check
    std::uint32_t if_true = 0, if_false = 0;  // the next check, or kPlanTrue / kPlanFalse
  };
  static constexpr std::uint32_t kPlanTrue = 0xFFFFFFFEu, kPlanFalse = 0xFFFFFFFFu;
  struct PlanEntity {
    std::uint32_t entity = 0;
    std::uint32_t entry = kPlanFalse;   // its condition's first check (kPlanFalse: no condition)
    bool classifies = false;
    bool gives_values = false;          // its version has `set` or `oblige` clauses
    std::uint32_t outcome = kNone;      // the label or outcome
    std::uint32_t first_exemption = 0, exemption_count = 0;  // decision rules: in Plan::exemptions
  };
  struct Plan {
    bool built = false;
    bool usable = false;  // every decision rule in force has an outcome
    std::vector<PlanCheck> checks;
    std::vector<PlanEntity> rules;       // the rules in force, in program order
    std::vector<PlanEntity> exemptions;  // per decision rule, the exemptions in force overriding it, in order
  };
  void build_plan(Plan& plan);
  std::uint32_t plan_condition(Plan& plan, std::uint32_t node, std::uint32_t if_true, std::uint32_t if_false,
                               std::uint32_t enter_steps);
  PlanEntity plan_entity(Plan& plan, std::uint32_t entity);
  [[gnu::always_inline]] inline Tri run_checks(const Plan& plan, std::uint32_t check);  // in run_plan()
  bool run_plan(const Plan& plan, Outcome& out);
  void plan_values(const Plan& plan, Outcome& out);
  void combine_from_plan(const Plan& plan, Outcome& out);
  void combine(Outcome& out);
  bool plans_enabled_ = true;  // off in probes (they read the general path's state) and in some tests
 public:
  std::uint64_t decided_by_plans = 0;     // Evaluator::decided_by_plans
  std::uint64_t continued_from_plans = 0;  // Evaluator::continued_from_plans
 private:
  std::vector<std::uint32_t> plan_fired_;         // scratch of run_plan(): positions in Plan::rules
  std::uint32_t plan_fired_count_ = 0;             // of them, the fired rules
  std::vector<std::uint32_t> plan_classified_;    // scratch of plan_values()
  std::vector<std::uint64_t> exemption_decided_in_;  // per entity: the run_count_ of the run the plan decided it
  std::vector<std::uint32_t> plan_applying_;        // scratch of run_plan(): the exemptions found to apply
  std::uint32_t plan_applying_count_ = 0;
  // The steps the set caches took while filled by a plan that then handed back (see run_plan).
  std::uint64_t set_cache_steps_ = 0;

  struct DatesMemo {
    std::size_t as_of_interval = 0, rules_interval = 0;
    bool valid = false;
    std::uint64_t used = 0;               // run_count_ of its last use
    std::vector<std::uint64_t> set_bits;  // per SetCache: known and member words
    bool lists_ready = false;             // the three lists below were computed
    std::vector<std::uint32_t> in_force;            // every entity in force at the dates
    std::vector<std::uint32_t> in_force_order;      // program.order restricted to them
    std::vector<std::uint32_t> in_force_exemptions;  // ascending
    // Per entity, program.exemption_candidates restricted to the exemptions in force (the others can neither
    // apply nor narrow one that does; untraced decisions read these): candidates[candidates_from[e] ..
    // candidates_from[e + 1]).
    std::vector<std::uint32_t> candidates, candidates_from;
    std::span<const std::uint32_t> candidates_of(std::uint32_t entity) const {
      return {candidates.data() + candidates_from[entity], candidates.data() + candidates_from[entity + 1]};
    }
    Plan plan;
  };
  std::array<DatesMemo, 4> dates_memos_;
  DatesMemo* dates_ = nullptr;  // the memo of the current dates
  void switch_dates(std::size_t as_of_interval, std::size_t rules_interval);
  // The current memo's intervals as days, [from, to): a date within both needs no search of date_breaks_.
  std::int64_t as_of_from_ = 0, as_of_to_ = 0, rules_from_ = 0, rules_to_ = 0;
  void note_interval_days();
  std::size_t interval_of(Date d) const {
    return static_cast<std::size_t>(std::upper_bound(date_breaks_.begin(), date_breaks_.end(), std::int64_t{d.days()}) -
                                    date_breaks_.begin());
  }
  // Normalised party names by their text (a fact value is matched against several name groups, and a batch
  // repeats the same names case after case): a few slots, reused round-robin. The key depends on the text
  // alone, so a slot stays valid from one evaluation to the next.
  struct NameKey {
    bool filled = false;
    std::string source;
    std::string key;
  };
  NameKey name_keys_[4];
  std::uint32_t next_name_key_ = 0;
  std::uint64_t run_count_ = 0;
  struct Members {
    std::shared_ptr<const GroupMembers> members;
    Date rules_as_of;
  };
  std::unordered_map<std::uint32_t, Members> members_cache_;  // by set node (trace only)
  // Scratch of apply_exemptions().
  std::vector<std::uint32_t> candidates_, uncertain_all_, applied_, acting_, guess_winners_;
  std::vector<std::uint32_t> possible_outcomes_;  // the rule's outcome in every completion (kNone: conflict)
  std::uint32_t effective_ = kNone;
  bool conflict_ = false;
  // Scratch of run(): the fired rules, their effective outcome and where their applied exemptions are.
  struct Fired {
    std::uint32_t rule;
    std::uint32_t outcome;
    std::uint32_t first_applied;
    std::uint32_t applied_count;
  };
  std::vector<Fired> fired_;
  std::vector<std::uint32_t> fired_applied_;
  std::vector<std::uint32_t> all_missing_;
  bool versions_read_ = false;  // entities_[*].version were read for the rulebook interval versions_rules_interval_
  std::size_t versions_rules_interval_ = 0;
  // Without a trace, only the rules and exemptions in force at the dates are visited: the others are
  // settled once per date pair (not in force / not in this rulebook) and keep that state.
  void select_in_force();
  void read_versions();   // entities_[*].version for the rulebook of the current dates
  void reset_entities();
  std::vector<std::uint32_t> all_exemptions_;     // entity indices, ascending
  bool others_settled_ = false;  // entities not in force (per dates_->in_force) are marked evaluated
  // Probe::checks: where the truth of each evaluated check goes (null otherwise).
  std::vector<CheckTruth>* checks_ = nullptr;
  Tri noted(std::uint32_t node, Tri t) {
    if (checks_ != nullptr) checks_->push_back({node, t});
    return t;
  }
  BoundFacts no_facts_;  // for Probe::contains
  Outcome probe_outcome_;  // scratch of Probe::checks
  // Trace only (after the members the untraced evaluation reads).
  bool views_moved_ = false;  // trace_->operands or names grew during this run
  std::size_t trace_operands_hint_ = 64, trace_names_hint_ = 16;
};

// The definition `a / b` of check `f` into its memo, as definition() and eval_arith() would compute it, when
// both facts are given and small and b is not zero; false, having done nothing, otherwise (the general path
// then reports what is missing, the division by zero or the size limit).
inline bool Frame::compute_quotient(const FusedCheck& f, Memo& memo) {
  if (!facts_->present[f.slot] || !facts_->present[f.other]) return false;
  const auto& a = facts_->values[f.slot].number;
  const auto& b = facts_->values[f.other].number;
  if (!a.is_small() || !b.is_small() || b.is_zero()) return false;
  Value quotient;
  quotient.kind = Value::Kind::kNumber;
  quotient.number = a / b;
  memo.value = std::move(quotient);
  memo.missing.clear();
  memo.run = run_count_;
  return true;
}

// The fused checks' one implementation, inlined where the `and`/`or` loop, test() and the plans call it.
inline std::uint32_t Frame::decide_fused(const FusedCheck& f, Tri& result) {
  const auto& present = facts_->present;
  const auto& values = facts_->values;
  if (f.kind == FusedCheck::Kind::kFactPresent) {
    result = (present[f.slot] != 0) != f.negated ? Tri::kTrue : Tri::kFalse;
    return 1;
  }
  if (f.kind == FusedCheck::Kind::kClassified) {
    const auto label = labels_[f.other];
    if (label == Tri::kUnknown) return 0;  // the general path records the facts that left it unknown
    if (!f.negated) {
      result = label;
      return 1;
    }
    result = label == Tri::kTrue ? Tri::kFalse : Tri::kTrue;
    return 2;  // `not`'s and the check's
  }
  if (f.kind == FusedCheck::Kind::kDefinitionVsNumber) {
    auto& memo = definitions_[f.definition];
    std::uint32_t computing = 0;
    if (!memo.done(run_count_)) {
      // Not computed yet in this decision: a quotient of two facts is computed here; anything else by the
      // general path (which also records what an unknown value lacks).
      if (!f.quotient || !compute_quotient(f, memo)) return 0;
      computing = 3;  // the division's and its two facts'
    }
    if (memo.value.kind != Value::Kind::kNumber) return 0;
    result = f.within(memo.value.number);
    // The comparison's and one per operand (the definition read once more), and the computing.
    return (f.lower == nullptr ? 3 : 4) + computing;
  }
  // An absent fact takes the general path, which records it as missing.
  if (!present[f.slot]) return 0;
  // Tests in turn, not a switch: a jump through a table, from one place for every kind of check, is
  // mispredicted far more often than a branch per kind (decision_plan.cpp is compiled without jump tables,
  // which GCC would otherwise make of these tests again). Putting the EAR pack's commonest kinds first did
  // not measurably help.
  if (f.kind == FusedCheck::Kind::kFactVsNumber) {
    result = f.accept(compare(values[f.slot].number, *f.constant));
    return 3;  // the comparison's and its two operands'
  }
  if (f.kind == FusedCheck::Kind::kFactInRange) {
    result = f.within(values[f.slot].number);
    return 4;  // the comparison's and its three operands'
  }
  if (f.kind == FusedCheck::Kind::kFactInSet) {
    result = enum_member(f.other, values[f.slot]) != f.negated ? Tri::kTrue : Tri::kFalse;
    return 2;  // the check's and the element's; the set's are taken when its membership is computed
  }
  if (f.kind == FusedCheck::Kind::kFactVsCode) {
    const auto code = static_cast<std::uint32_t>(values[f.slot].integer);
    result = f.accept((code > f.other) - (code < f.other));
    return 3;
  }
  if (f.kind == FusedCheck::Kind::kBoolFact) {
    result = values[f.slot].boolean != f.negated ? Tri::kTrue : Tri::kFalse;
    return f.negated ? 3 : 2;  // (`not`,) the check's and the fact's
  }
  if (f.kind == FusedCheck::Kind::kQuotientVsNumber) {
    // Whole numbers a and b (b not zero): a / b against n / d by cross-multiplication, exact in 128 bits,
    // without the division's greatest common divisor. Anything else takes the general path.
    std::int64_t a = 0, one_a = 0, b = 0, one_b = 0, n = 0, d = 1;
    if (!present[f.other] || definitions_[f.definition].done(run_count_) ||
        !values[f.slot].number.as_fraction(a, one_a) || !values[f.other].number.as_fraction(b, one_b) ||
        one_a != 1 || one_b != 1 || b == 0) {
      return 0;
    }
    f.constant->as_fraction(n, d);
    const core::Int128 left = core::Int128(a) * d, right = core::Int128(n) * b;  // both sides times b * d
    const int order = (left > right) - (left < right);
    result = f.accept(b > 0 ? order : -order);
    return 6;  // the comparison, the definition, the division and its two facts, the constant
  }
  if (f.kind == FusedCheck::Kind::kFactMatchesGroup) {
    // The name given to this fact, normalised once; a value from elsewhere (a default) takes the general path.
    if (values[f.slot].string != &facts_->strings[f.slot]) return 0;
    const bool found = entry_member(p_.groups[f.other], facts_->name_key(f.slot), nullptr);
    result = found != f.negated ? Tri::kTrue : Tri::kFalse;
    return 3;  // the check's, the element's and the group's
  }
  return 0;
}

}  // namespace edict::eval
