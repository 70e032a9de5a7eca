// The evaluator (stage 4): walks the compiled nodes for one set of bound facts and dates, with
// three-valued logic for unknowns, then combines rule outcomes and exemptions into the decision.
#include <algorithm>
#include <array>
#include <limits>
#include <set>
#include <span>
#include <unordered_map>

#include <fmt/format.h>

#include "eval/evaluator.hpp"
#include "eval/probe.hpp"
#include "eval/rulebook.hpp"
#include "core/names.hpp"
#include "ir/queries.hpp"

namespace edict::eval {

using ir::kNone;
using Kind = Value::Kind;
using ir::compare_symbol;
using ir::holds;
using ir::is_constant;

namespace {

using Tri = Truth;  // three-valued logic: the truth a trace step and a probe show (probe.hpp)

const char* truth_word(Tri t) { return t == Tri::kTrue ? "true" : t == Tri::kFalse ? "false" : "unknown"; }

}  // namespace

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
      kClassified,        // `classified as gpu`, once the rules that classify it have decided
    };
    Kind kind = Kind::kGeneral;
    bool negated = false;  // kFactInSet: `not in`; kBoolFact: `not`; kFactPresent: `is absent`
    // The comparison as a mask of the orders it accepts: bit 0 for less, 1 for equal, 2 for greater (`>=`
    // is 0b110), so that its truth is one shift rather than a switch over the operators.
    std::uint8_t accepts = 0;
    std::uint32_t slot = 0;     // the fact (the dividend for kQuotientVsNumber)
    // kFactInSet: the set node; kFactVsCode: the code's position; kQuotientVsNumber: the divisor's fact slot;
    // kClassified: the label
    std::uint32_t other = 0;
    std::uint32_t definition = 0;  // kQuotientVsNumber
    const core::Num* constant = nullptr;
    Tri accept(int order) const { return (accepts >> (order + 1)) & 1 ? Tri::kTrue : Tri::kFalse; }
  };
  std::vector<FusedCheck> fused_;
  void collect_fused_checks();
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
  std::vector<std::uint64_t> gave_;  // per entity: the run_count_ of the run in which it gave its values
  std::vector<std::uint32_t> with_sets_;  // entities with `set` or `oblige` clauses in some version
  bool with_sets_ready_ = false;

  // ---- trace ----
  // Appends a step at the current depth, located at `span` when `located`.
  TraceStep& step(TraceStep::Kind kind, syntax::Span span = {}, bool located = false);
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
  // the general path's bookkeeping (entity states, missing facts, the combination of uncertain outcomes):
  // it stops at the first check it cannot decide, or an exemption that applies, and hands the case back to
  // the general path, which decides it from the start. Where it finishes, it took the same steps in the
  // same order and gives the same outcome; the tests compare both on random cases.
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
  Tri run_checks(const Plan& plan, std::uint32_t check);
  bool run_plan(const Plan& plan, Outcome& out);
  void plan_values(const Plan& plan, Outcome& out);
  void combine_from_plan(const Plan& plan, std::uint32_t applying, Outcome& out);
  void combine(Outcome& out);
  bool plans_enabled_ = true;  // off in probes (they read the general path's state) and in some tests
 public:
  std::uint64_t decided_by_plans = 0;     // Evaluator::decided_by_plans
  std::uint64_t continued_from_plans = 0;  // Evaluator::continued_from_plans
 private:
  std::vector<std::uint32_t> plan_fired_;         // scratch of run_plan(): positions in Plan::rules
  std::uint32_t plan_fired_count_ = 0;             // of them, the fired rules
  std::vector<std::uint32_t> plan_classified_;    // scratch of plan_values()
  std::vector<std::uint64_t> exemption_false_in_;  // per entity: the run_count_ of the run it was found false
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

// ================================================================ expressions

Value Frame::eval(std::uint32_t index) {
  take_step();
  const auto& node = p_.nodes[index];
  switch (node.op) {
    case ir::Op::kConstBool:
    case ir::Op::kConstNum:
    case ir::Op::kConstStr:
    case ir::Op::kConstDate:
    case ir::Op::kConstEnum: return constant_value(p_, node);
    case ir::Op::kFact:
      if (checks_ != nullptr && node.type.type == ir::Type::kBool) {
        noted(index, facts_->present[node.a] ? truth(facts_->values[node.a]) : Tri::kUnknown);
      }
      if (!facts_->present[node.a]) return unknown(missing_fact(node.a));
      return facts_->values[node.a];
    case ir::Op::kDefinition: return definition(node.a);
    case ir::Op::kParameter: return parameter(node.a);
    case ir::Op::kTier: return tier(node.a);
    case ir::Op::kNeg: {
      auto v = eval(node.a);
      if (!v.known()) return v;
      v.number = -v.number;
      return v;
    }
    case ir::Op::kIf: return eval_if(node);
    case ir::Op::kAsOf: {
      Value v;
      v.kind = Kind::kDate;
      v.integer = as_of_.days();
      return v;
    }
    case ir::Op::kAddDays:
    case ir::Op::kDaysBetween: return eval_dates(node);
    case ir::Op::kAdd:
    case ir::Op::kSub:
    case ir::Op::kMul:
    case ir::Op::kDiv: return eval_arith(node);
    case ir::Op::kClassified:
    case ir::Op::kNot:
    case ir::Op::kAnd:
    case ir::Op::kOr:
    case ir::Op::kCompare:
    case ir::Op::kIn:
    case ir::Op::kMatches:
    case ir::Op::kStartsWith:
    case ir::Op::kPresent: return of_tri(test(index));
    case ir::Op::kSetGroup:
    case ir::Op::kSetUnion:
    case ir::Op::kSetIntersect:
    case ir::Op::kSetExcept: break;  // sets are only read through contains()
  }
  return {};
}

const Value& Frame::operand(std::uint32_t index, Value& scratch) {
  const auto& node = p_.nodes[index];
  switch (node.op) {
    case ir::Op::kFact:
      if (!facts_->present[node.a] || checks_ != nullptr) break;  // eval() records the missing fact, or notes it
      take_step();
      return facts_->values[node.a];
    case ir::Op::kConstNum: take_step(); return number_constants_[node.a];
    case ir::Op::kDefinition: take_step(); return definition(node.a);
    case ir::Op::kParameter: take_step(); return parameter(node.a);
    default: break;
  }
  scratch = eval(index);
  return scratch;
}

Tri Frame::test(std::uint32_t index) {
  Tri fused;
  if (fused_[index].kind != FusedCheck::Kind::kGeneral && fused_check(index, fused)) return fused;
  take_step();  // a boolean node reached through eval() (or a bool leaf through test()) takes two steps
  const auto& node = p_.nodes[index];
  switch (node.op) {
    case ir::Op::kConstBool: return node.a != 0 ? Tri::kTrue : Tri::kFalse;
    case ir::Op::kClassified: return test_classified(node);
    case ir::Op::kNot: return test_not(node);
    case ir::Op::kAnd:
    case ir::Op::kOr: return test_logic(node);
    case ir::Op::kIf: return test_if(node);
    case ir::Op::kCompare: return noted(index, test_compare(node));
    case ir::Op::kIn:
    case ir::Op::kMatches:
    case ir::Op::kStartsWith: return noted(index, test_membership(node));
    case ir::Op::kPresent: return noted(index, test_present(node));
    default: return test_leaf(index, false);  // facts, definitions, parameters of type bool
  }
}

// `if c then x else y` as a condition: an unknown condition makes it unknown.
Tri Frame::test_if(const ir::Node& node) {
  const auto mark = missing_.size();
  const auto condition = test(node.a);
  if (condition == Tri::kUnknown) return Tri::kUnknown;
  drop_missing_from(mark);
  return test(condition == Tri::kTrue ? node.b : node.c);
}

Tri Frame::test_not(const ir::Node& node) {
  // `not x` of a boolean fact, definition or parameter is one check in the trace: "not product.datacenter".
  Tri t;
  if (trace_ && is_leaf_value(p_.nodes[node.a].op)) {
    take_step();  // the step test(node.a) would take: traced and untraced evaluations count alike
    t = test_leaf(node.a, true);
  } else {
    t = test(node.a);
  }
  return t == Tri::kUnknown ? t : (t == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
}

// A boolean fact, definition or parameter used as a condition; with a trace, a check of its own (the value
// of `not x` when negated), so that every check that explains a result is shown.
Tri Frame::test_leaf(std::uint32_t index, bool negated) {
  const auto t = truth(eval(index));
  if (!trace_) [[likely]] return t;
  const auto shown = t == Tri::kUnknown || !negated ? t : (t == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
  auto& s = check(negated ? TraceStep::Check::kNot : TraceStep::Check::kBoolean, shown, index);
  if (s.source.empty()) s.source = "value";
  add_operand(s, index, of_tri(t));
  return t;
}

Tri Frame::test_classified(const ir::Node& node) {
  const auto state = labels_[node.a];
  if (trace_) [[unlikely]] {
    auto& s = check(TraceStep::Check::kClassified, state, index_of(node));
    for (const auto r : label_by_[node.a]) append(trace_->names, s.rules, std::string_view(p_.entities[r].name));
  }
  if (state == Tri::kUnknown) {
    // The unknown classification's missing facts were recorded with the rule that left it unknown.
    for (const auto e : p_.label_rules[node.a]) {
      if (e < entities_.size() && entities_[e].status == Status::kUnknown) {
        missing_.insert(missing_.end(), entities_[e].missing.begin(), entities_[e].missing.end());
      }
    }
  }
  return state;
}

Tri Frame::test_present(const ir::Node& node) {
  const bool present = facts_->present[node.a] != 0;
  const bool result = node.negated ? !present : present;
  if (trace_) [[unlikely]] check(node.negated ? TraceStep::Check::kAbsent : TraceStep::Check::kPresent,
                    result ? Tri::kTrue : Tri::kFalse, index_of(node));
  return result ? Tri::kTrue : Tri::kFalse;
}

// `and` / `or` with short-circuit and three-valued logic, over the chain of operands of the same operator
// (`a and b and c`) from left to right: the first decisive operand (false for `and`, true for `or`) decides;
// otherwise any unknown operand makes the result unknown. Missing facts recorded by an operand that did not
// decide the result are forgotten, so only facts that matter are reported. The result, the missing facts and
// the steps taken are those of the nested operators evaluated one by one: an operator on the left spine is
// always reached, so its step is taken first.
Tri Frame::test_logic(const ir::Node& node) {
  const auto& chain = logic_chains_[index_of(node)];
  take_steps(chain.inner);
  const auto mark = missing_.size();
  const bool is_and = node.op == ir::Op::kAnd;
  const Tri decisive = is_and ? Tri::kFalse : Tri::kTrue;
  bool unknown = false;
  for (std::uint32_t i = 0; i < chain.count; ++i) {
    const auto operand = chain_operands_[chain.first + i];
    Tri t;
    if (fused_[operand].kind == FusedCheck::Kind::kGeneral || !fused_check(operand, t)) t = test(operand);
    if (t == decisive) {
      drop_missing_from(mark);
      return decisive;
    }
    unknown = unknown || t == Tri::kUnknown;
  }
  if (unknown) return Tri::kUnknown;
  drop_missing_from(mark);
  return is_and ? Tri::kTrue : Tri::kFalse;
}

void Frame::collect_fused_checks() {
  fused_.resize(p_.nodes.size());
  std::vector<std::uint32_t> uses(p_.definitions.size(), 0);  // nodes that read each definition
  for (const auto& n : p_.nodes) {
    if (n.op == ir::Op::kDefinition) ++uses[n.a];
  }
  const auto number_fact = [&](std::uint32_t i) {
    return p_.nodes[i].op == ir::Op::kFact && p_.nodes[i].type.type == ir::Type::kNumber;
  };
  const auto bool_fact = [&](std::uint32_t i) {
    return p_.nodes[i].op == ir::Op::kFact && p_.nodes[i].type.type == ir::Type::kBool;
  };
  for (std::uint32_t i = 0; i < p_.nodes.size(); ++i) {
    const auto& n = p_.nodes[i];
    auto& fused = fused_[i];
    if (bool_fact(i) || (n.op == ir::Op::kNot && bool_fact(n.a))) {
      fused = {FusedCheck::Kind::kBoolFact, n.op == ir::Op::kNot, 0, bool_fact(i) ? n.a : p_.nodes[n.a].a, 0, 0, nullptr};
      continue;
    }
    if (n.op == ir::Op::kPresent) {
      fused = {FusedCheck::Kind::kFactPresent, n.negated, 0, n.a, 0, 0, nullptr};
      continue;
    }
    if (n.op == ir::Op::kClassified) {
      fused = {FusedCheck::Kind::kClassified, false, 0, 0, n.a, 0, nullptr};
      continue;
    }
    if (n.op == ir::Op::kIn && p_.nodes[n.a].op == ir::Op::kFact && p_.nodes[n.a].type.type == ir::Type::kEnum) {
      fused = {FusedCheck::Kind::kFactInSet, n.negated, 0, p_.nodes[n.a].a, n.b, 0, nullptr};
      continue;
    }
    if (n.op != ir::Op::kCompare || n.kid_count != 2) continue;
    const auto left = p_.kid_list[n.first_kid];
    const auto& right = p_.nodes[p_.kid_list[n.first_kid + 1]];
    const auto op = p_.compare_ops[n.first_kid];
    const auto accepts = static_cast<std::uint8_t>(holds(op, -1) | holds(op, 0) << 1 | holds(op, 1) << 2);
    if (right.op == ir::Op::kConstEnum && p_.nodes[left].op == ir::Op::kFact &&
        p_.nodes[left].type.type == ir::Type::kEnum) {
      fused = {FusedCheck::Kind::kFactVsCode, false, accepts, p_.nodes[left].a, right.a, 0, nullptr};
      continue;
    }
    if (right.op != ir::Op::kConstNum) continue;
    const auto* constant = &number_constants_[right.a].number;
    if (number_fact(left)) {
      fused = {FusedCheck::Kind::kFactVsNumber, false, accepts, p_.nodes[left].a, 0, 0, constant};
      continue;
    }
    if (p_.nodes[left].op != ir::Op::kDefinition || uses[p_.nodes[left].a] != 1 || !constant->is_small()) continue;
    const auto definition = p_.nodes[left].a;
    const auto& quotient = p_.nodes[p_.definitions[definition].node];
    if (quotient.op != ir::Op::kDiv || !number_fact(quotient.a) || !number_fact(quotient.b)) continue;
    fused = {FusedCheck::Kind::kQuotientVsNumber, false, accepts, p_.nodes[quotient.a].a, p_.nodes[quotient.b].a,
             definition, constant};
  }
}

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
    result = label;
    return 1;
  }
  // An absent fact takes the general path, which records it as missing.
  if (!present[f.slot]) return 0;
  // Tests in turn, not a switch: a jump through a table, from one place for every kind of check, is
  // mispredicted far more often than a branch per kind.
  if (f.kind == FusedCheck::Kind::kFactVsNumber) {
    result = f.accept(compare(values[f.slot].number, *f.constant));
    return 3;  // the comparison's and its two operands'
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
  return 0;
}

void Frame::collect_logic_chains() {
  logic_chains_.resize(p_.nodes.size());
  std::vector<std::uint32_t> right;  // the right operands met going down the spine, last first
  for (std::uint32_t n = 0; n < p_.nodes.size(); ++n) {
    const auto op = p_.nodes[n].op;
    if (op != ir::Op::kAnd && op != ir::Op::kOr) continue;
    auto& chain = logic_chains_[n];
    right.clear();
    std::uint32_t x = n;
    while (p_.nodes[p_.nodes[x].a].op == op) {
      right.push_back(p_.nodes[x].b);
      x = p_.nodes[x].a;
      ++chain.inner;
    }
    chain.first = static_cast<std::uint32_t>(chain_operands_.size());
    chain_operands_.push_back(p_.nodes[x].a);
    chain_operands_.push_back(p_.nodes[x].b);
    chain_operands_.insert(chain_operands_.end(), right.rbegin(), right.rend());
    chain.count = static_cast<std::uint32_t>(chain_operands_.size()) - chain.first;
  }
}

// `if c then x else y` of any type: an unknown condition makes the value unknown.
Value Frame::eval_if(const ir::Node& node) {
  const auto mark = missing_.size();
  const auto condition = test(node.a);
  if (condition == Tri::kUnknown) return {};
  drop_missing_from(mark);
  return eval(condition == Tri::kTrue ? node.b : node.c);
}

// `date ± N days` (a date; N must be whole and the date stay within 0001-9999) and `date - date` (days).
Value Frame::eval_dates(const ir::Node& node) {
  auto a = eval(node.a);
  const auto b = eval(node.b);
  if (!a.known() || !b.known()) return {};
  if (node.op == ir::Op::kDaysBetween) {
    Value days;
    days.kind = Kind::kNumber;
    days.number = Num::from_int(std::int64_t{a.integer} - b.integer);
    return days;
  }
  std::int64_t n = 0, d = 1;
  if (!b.number.as_fraction(n, d) || d != 1 || n > 4'000'000 || n < -4'000'000) return unknown(kDateOutOfRange);
  const std::int64_t days = std::int64_t{a.integer} + (node.negated ? -n : n);
  constexpr std::int64_t kFirst = -719'162, kLast = 2'932'896;  // 0001-01-01 and 9999-12-31
  if (days < kFirst || days > kLast) return unknown(kDateOutOfRange);
  a.integer = static_cast<std::int32_t>(days);
  return a;
}

Value Frame::eval_arith(const ir::Node& node) {
  Value scratch_a, scratch_b;  // the operands are read in place when stored (facts, constants, definitions)
  const Value& a = operand(node.a, scratch_a);
  const Value& b = operand(node.b, scratch_b);
  if (!a.known() || !b.known()) return {};
  const bool small = a.number.is_small() && b.number.is_small();  // 256 bits at most: within the limit
  if (!small && a.number.bit_size() + b.number.bit_size() > core::kMaxNumBits) {
    if (trace_) [[unlikely]] check(TraceStep::Check::kTooLarge, Tri::kUnknown, index_of(node));
    return unknown(kNumberTooLarge);
  }
  Value result;
  result.kind = Kind::kNumber;
  switch (node.op) {
    case ir::Op::kAdd: result.number = a.number + b.number; break;
    case ir::Op::kSub: result.number = a.number - b.number; break;
    case ir::Op::kMul: result.number = a.number * b.number; break;
    default:
      if (b.number.is_zero()) {
        if (trace_) [[unlikely]] check(TraceStep::Check::kDivisionByZero, Tri::kUnknown, index_of(node));
        return unknown(kDivisionByZero);
      }
      result.number = a.number / b.number;
      break;
  }
  return result;
}

Tri Frame::test_compare(const ir::Node& node) {
  if (trace_ == nullptr) {  // without the trace's bookkeeping: each operand compared with the one before it
    const auto mark = missing_.size();
    Value scratch[2];  // an operand computed, and the one before it
    const Value* previous = &operand(p_.kid_list[node.first_kid], scratch[0]);
    Tri result = Tri::kTrue;
    for (std::uint32_t i = 1; i < node.kid_count; ++i) {
      const Value& current = operand(p_.kid_list[node.first_kid + i], scratch[i % 2]);
      if (!previous->known() || !current.known()) {
        if (result == Tri::kTrue) result = Tri::kUnknown;
      } else if (!holds(p_.compare_ops[node.first_kid + i - 1], compare_values(*previous, current))) {
        result = Tri::kFalse;
      }
      previous = &current;
    }
    if (result != Tri::kUnknown) drop_missing_from(mark);
    return result;
  }
  // Every operand is evaluated (a chain is short, and the trace shows all values); the chain is true when
  // every link holds, false when a known link fails.
  Value values[8];
  std::vector<Value> many;
  Value* v = values;
  if (node.kid_count > 8) {
    many.resize(node.kid_count);
    v = many.data();
  }
  const auto mark = missing_.size();
  for (std::uint32_t i = 0; i < node.kid_count; ++i) v[i] = eval(p_.kid_list[node.first_kid + i]);
  Tri result = Tri::kTrue;
  for (std::uint32_t i = 0; i + 1 < node.kid_count; ++i) {
    if (!v[i].known() || !v[i + 1].known()) {
      if (result == Tri::kTrue) result = Tri::kUnknown;
      continue;
    }
    if (!holds(p_.compare_ops[node.first_kid + i], compare_values(v[i], v[i + 1]))) result = Tri::kFalse;
  }
  if (result != Tri::kUnknown) drop_missing_from(mark);
  if (trace_) [[unlikely]] {
    auto& s = check(TraceStep::Check::kCompare, result, index_of(node));
    for (std::uint32_t i = 0; i < node.kid_count; ++i) {
      auto& o = add_operand(s, p_.kid_list[node.first_kid + i], v[i]);
      if (i == 0) continue;
      o.op = compare_symbol(p_.compare_ops[node.first_kid + i - 1]);
      o.compared = v[i - 1].known() && v[i].known();
      if (o.compared) o.order = static_cast<std::int8_t>(compare_values(v[i - 1], v[i]));
    }
  }
  return result;
}

Tri Frame::test_membership(const ir::Node& node) {
  Value scratch;
  const Value& element = operand(node.a, scratch);
  const auto kind = node.op == ir::Op::kMatches      ? TraceStep::Check::kMatches
                    : node.op == ir::Op::kStartsWith ? TraceStep::Check::kStartsWith
                    : node.negated                   ? TraceStep::Check::kNotIn
                                                     : TraceStep::Check::kIn;
  if (!element.known()) {
    if (trace_) [[unlikely]] {
      add_operand(check(kind, Tri::kUnknown, index_of(node)), node.a, element);
    }
    return Tri::kUnknown;
  }
  std::string_view matched;
  bool found = element.kind == Kind::kEnum ? enum_member(node.b, element)
                                           : contains(node.b, element, trace_ ? &matched : nullptr);
  if (node.negated) found = !found;
  if (trace_) [[unlikely]] {
    auto& s = check(kind, found ? Tri::kTrue : Tri::kFalse, index_of(node));
    add_operand(s, node.a, element);
    s.members = cached_group_members(node.b);
    s.matched = matched;
  }
  return found ? Tri::kTrue : Tri::kFalse;
}

bool Frame::contains(std::uint32_t set_node, const Value& element, std::string_view* matched) {
  take_step();
  const auto& node = p_.nodes[set_node];
  switch (node.op) {
    case ir::Op::kSetGroup: return group_contains(p_.groups[node.a], element, matched);
    case ir::Op::kSetUnion: return contains(node.a, element, matched) || contains(node.b, element, matched);
    case ir::Op::kSetIntersect: return contains(node.a, element, matched) && contains(node.b, element, matched);
    case ir::Op::kSetExcept: return contains(node.a, element, matched) && !contains(node.b, element, nullptr);
    default: return false;
  }
}

// The index of the caches is computed when compiling (ir::index_enum_sets); each frame has its own bits.
void Frame::prepare_set_caches() {
  set_caches_.reserve(p_.enum_set_cache_words.size());
  for (const auto words : p_.enum_set_cache_words) {
    const auto first = static_cast<std::uint32_t>(set_words_);
    set_caches_.push_back({first, first + words, words});
    set_words_ += 2 * std::size_t{words};
  }
}

bool Frame::learn_member(std::uint32_t set_node, const Value& element) {
  const auto id = p_.enum_set_cache_of[set_node];
  const auto code = static_cast<std::size_t>(element.integer);
  if (id == kNone || code / 64 >= set_caches_[id].words) return contains(set_node, element, nullptr);
  const auto& cache = set_caches_[id];
  const std::uint64_t bit = std::uint64_t{1} << (code % 64);
  auto& known = dates_->set_bits[cache.known + code / 64];
  auto& member = dates_->set_bits[cache.member + code / 64];
  if ((known & bit) == 0) {
    // Computed before it is marked known: contains() may stop at the step limit, leaving no half-written bit.
    const auto before = steps_left;
    const bool found = contains(set_node, element, nullptr);
    set_cache_steps_ += before - steps_left;
    member = found ? (member | bit) : (member & ~bit);
    known |= bit;
  }
  return (member & bit) != 0;
}

const std::string& Frame::normalized_name(const std::string& name) {
  for (const auto& slot : name_keys_) {
    if (slot.filled && slot.source == name) return slot.key;
  }
  auto& slot = name_keys_[next_name_key_];
  next_name_key_ = (next_name_key_ + 1) % std::size(name_keys_);
  slot.filled = false;  // until both strings are written (an allocation may throw in between)
  slot.source.assign(name);
  core::normalize_party_name_into(name, slot.key);
  slot.filled = true;
  return slot.key;
}

bool Frame::group_contains(const ir::Group& group, const Value& element, std::string_view* matched) {
  if (group.definition != kNone) return contains(group.definition, element, matched);
  if (element.kind == Kind::kEnum) {
    const auto i = static_cast<std::size_t>(element.integer);
    return i < group.enum_events.size() && ir::member_as_of(group.enum_events[i], as_of_, rules_as_of_);
  }
  if (group.prefixes) return prefix_contains(group, *element.string, matched);
  const std::string* key = element.string;
  if (group.element.names) key = &normalized_name(*element.string);
  const auto it = group.keys.find(*key);
  if (it == group.keys.end()) return false;
  const bool member = ir::member_as_of(group.entry_events[it->second], as_of_, rules_as_of_);
  if (member && matched != nullptr && matched->empty()) *matched = group.entries[it->second];
  return member;
}

// A prefix group: the first entry in force (in declaration order) that `text` starts with.
bool Frame::prefix_contains(const ir::Group& group, std::string_view text, std::string_view* matched) const {
  for (std::size_t i = 0; i < group.entries.size(); ++i) {
    if (!text.starts_with(group.entries[i]) || !ir::member_as_of(group.entry_events[i], as_of_, rules_as_of_)) continue;
    if (matched != nullptr && matched->empty()) *matched = group.entries[i];
    return true;
  }
  return false;
}

const Value& Frame::definition(std::uint32_t index) {
  auto& memo = definitions_[index];
  if (memo.done(run_count_)) return replayed(memo);
  const auto mark = missing_.size();
  const auto trace_at = trace_ ? trace_->steps.size() : 0;
  if (trace_) [[unlikely]] {
    auto& s = step(TraceStep::Kind::kDefinition);
    s.subject = p_.definitions[index].name;
    s.node = p_.definitions[index].node;
    if (index < p_.definition_texts.size()) s.source = p_.definition_texts[index];
  }
  ++depth_;
  auto value = eval(p_.definitions[index].node);
  --depth_;
  memo.run = run_count_;
  remember_missing(memo, mark);
  memo.value = std::move(value);
  if (trace_) [[unlikely]] {
    auto& s = trace_->steps[trace_at];
    s.value = trace_value(memo.value, p_.definitions[index].node);
    s.has_value = memo.value.known();
    if (memo.value.kind == Kind::kBool) s.truth = memo.value.boolean ? TraceStep::Truth::kTrue : TraceStep::Truth::kFalse;
    s.result = s.has_value ? s.value.text() : "unknown";
    if (s.value.kind == TraceValue::Kind::kString) s.result = fmt::format("\"{}\"", s.value.exact);
  }
  return memo.value;
}

const Value& Frame::parameter(std::uint32_t index) {
  auto& memo = parameters_[index];
  if (memo.done(run_count_)) {
    if (!memo.value.known()) missing_.push_back(kParameterBit | index);
    return memo.value;
  }
  memo.run = run_count_;
  const auto& param = p_.parameters[index];
  const ir::ParameterStep* chosen = step_in_force(param, as_of_, rules_as_of_);
  memo.value = chosen != nullptr && chosen->value != kNone ? eval(chosen->value) : Value{};
  const auto value_node = chosen != nullptr ? chosen->value : kNone;
  if (!memo.value.known()) missing_.push_back(kParameterBit | index);
  if (trace_) [[unlikely]] {
    auto& s = step(TraceStep::Kind::kParameter, param.span, true);
    s.subject = param.name;
    s.value = trace_value(memo.value, value_node);
    s.has_value = chosen != nullptr;
    if (chosen != nullptr) s.from = chosen->from;
    s.result = !memo.value.known() ? "none"
               : s.value.kind == TraceValue::Kind::kString ? fmt::format("\"{}\"", s.value.exact)
                                                            : s.value.text();
  }
  return memo.value;
}

const Value& Frame::tier(std::uint32_t index) {
  auto& memo = tiers_[index];
  if (memo.done(run_count_)) return replayed(memo);
  const auto& t = p_.tiers[index];
  const auto trace_at = trace_ ? trace_->steps.size() : 0;
  if (trace_) [[unlikely]] step(TraceStep::Kind::kTier, t.span, true).subject = t.name;
  const auto mark = missing_.size();
  ++depth_;
  auto label = t.otherwise;
  for (const auto& c : t.cases) {
    const auto v = test(c.condition);
    if (v == Tri::kFalse) continue;
    label = v == Tri::kTrue ? c.label : kNone;  // an earlier case is unknown: so is the tier
    break;
  }
  Value result;
  if (label != kNone) {
    result.kind = Kind::kString;
    result.string = &p_.strings[label];
  }
  --depth_;
  memo.run = run_count_;
  memo.value = result;
  if (result.known()) drop_missing_from(mark);
  remember_missing(memo, mark);
  if (trace_) [[unlikely]] trace_->steps[trace_at].result = result.known() ? *result.string : "unknown";
  return memo.value;
}

// ================================================================ trace helpers

TraceStep& Frame::step(TraceStep::Kind kind, syntax::Span span, bool located) {
  auto& s = trace_->steps.emplace_back();
  s.kind = kind;
  s.depth = depth_;
  if (located && span.file < p_.sources.size()) {
    s.file = p_.sources[span.file].path;
    // Binary search in the file's line starts (computed at compile time).
    const auto& starts = p_.line_starts[span.file];
    const auto after = std::upper_bound(starts.begin(), starts.end(), span.begin);
    const auto line = static_cast<std::uint32_t>(after - starts.begin());  // 1-based: starts[0] == 0
    s.line = line;
    s.column = span.begin - starts[line - 1] + 1;
  }
  return s;
}

TraceStep& Frame::check(TraceStep::Check check, Tri truth, std::uint32_t index) {
  const auto& node = p_.nodes[index];
  auto& s = step(TraceStep::Kind::kCheck, node.span, true);
  s.check = check;
  s.truth = truth;
  s.result = truth_word(truth);
  s.node = index;
  if (node.text != kNone) s.source = p_.strings[node.text];
  return s;
}

// A value as exact text: integers without formatting through a rational; "a/b" when not a terminating decimal.
TraceValue Frame::trace_value(const Value& v, std::uint32_t node) const {
  return shown_value(p_, v, node == kNone ? kNone : p_.nodes[node].type.enum_id);
}

TraceOperand& Frame::add_operand(TraceStep& s, std::uint32_t index, const Value& v) {
  auto& o = append(trace_->operands, s.operands, TraceOperand{});
  const auto& node = p_.nodes[index];
  if (!is_constant(node.op) && node.text != kNone) o.source = p_.strings[node.text];
  o.value = trace_value(v, index);
  o.bound = is_constant(node.op) || node.op == ir::Op::kParameter;
  if (node.op != ir::Op::kFact) return o;
  const auto& fact = p_.facts[node.a];
  o.fact = true;
  o.fact_path = fact.path;
  const auto present = facts_->present[node.a];
  o.provenance = present == kAbsent ? Provenance::kMissing : present == kDefaulted ? Provenance::kDefaulted
                                                                                  : Provenance::kGiven;
  if (present == kDefaulted && p_.nodes[fact.default_node].op == ir::Op::kFact) {
    o.default_from = p_.facts[p_.nodes[fact.default_node].a].path;
  }
  return o;
}

// Only the lengths of the old views are read: the lists are contiguous, in step order.
void Frame::rebase_views() {
  std::size_t operand = 0, name = 0;
  for (auto& s : trace_->steps) {
    s.operands = {trace_->operands.data() + operand, s.operands.size()};
    operand += s.operands.size();
    s.rules = {trace_->names.data() + name, s.rules.size()};
    name += s.rules.size();
    s.exemptions = {trace_->names.data() + name, s.exemptions.size()};
    name += s.exemptions.size();
  }
}

// The names of missing facts (sorted, unique).
std::vector<std::string> Frame::missing_names(const std::vector<std::uint32_t>& ids) const {
  std::vector<std::string> names;
  names.reserve(ids.size());
  for (const auto id : ids) names.push_back(missing_name(p_, id));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// The members of a set as of the dates (at most 12 listed).
std::shared_ptr<const GroupMembers> Frame::group_members(std::uint32_t set_node) {
  auto members = std::make_shared<GroupMembers>();
  members->as_of = as_of_;
  const auto add_if_member = [&](const Value& v, const std::string& shown) {
    if (!contains(set_node, v, nullptr)) return;
    if (members->listed.size() < 12) members->listed.push_back(shown);
    ++members->total;
  };
  // Candidates: the elements with membership events in some group of the expression (`except` only removes).
  std::vector<const ir::Group*> groups;
  std::vector<std::uint32_t> stack{set_node};
  while (!stack.empty()) {
    const auto& n = p_.nodes[stack.back()];
    stack.pop_back();
    if (n.op != ir::Op::kSetGroup) {
      stack.push_back(n.a);
      stack.push_back(n.b);
      continue;
    }
    groups.push_back(&p_.groups[n.a]);
    if (groups.back()->definition != kNone) stack.push_back(groups.back()->definition);
  }
  const auto enum_id = p_.nodes[set_node].type.enum_id;
  if (enum_id != kNone) {
    const auto& codes = p_.enums[enum_id].codes;
    for (std::uint32_t i = 0; i < codes.size(); ++i) {
      const auto has_events = [&](const ir::Group* g) {
        return i < g->enum_events.size() && !g->enum_events[i].empty();
      };
      if (!std::any_of(groups.begin(), groups.end(), has_events)) continue;
      Value v;
      v.kind = Kind::kEnum;
      v.integer = static_cast<std::int32_t>(i);
      add_if_member(v, codes[i]);
    }
  } else {
    std::set<std::string> names;
    for (const auto* g : groups) names.insert(g->entries.begin(), g->entries.end());
    for (const auto& name : names) {
      Value v;
      v.kind = Kind::kString;
      v.string = &name;
      add_if_member(v, name);
    }
  }
  return members;
}

std::string missing_name(const CompiledProgram& program, std::uint32_t id) {
  if (id == kDivisionByZero) return "(division by zero)";
  if (id == kNumberTooLarge) return "(number too large)";
  if (id == kDateOutOfRange) return "(date out of range, or not a whole number of days)";
  if (id & kParameterBit) {
    return fmt::format("(parameter {} has no value)", program.parameters[id & ~kParameterBit].name);
  }
  return program.facts[id].path;
}

// ================================================================ rules and the decision

Frame::Status Frame::condition_status(std::uint32_t condition, std::vector<std::uint32_t>& missing) {
  const auto mark = missing_.size();
  const auto result = condition == kNone ? Tri::kFalse : test(condition);
  if (result == Tri::kUnknown) missing.assign(missing_.begin() + static_cast<std::ptrdiff_t>(mark), missing_.end());
  drop_missing_from(mark);
  return result == Tri::kTrue ? Status::kTrue : result == Tri::kFalse ? Status::kFalse : Status::kUnknown;
}

void Frame::evaluate_entity(std::uint32_t index) {
  auto& state = entities_[index];
  if (state.evaluated) return;
  state.evaluated = true;
  if (state.version == nullptr) return;  // not in this rulebook
  const auto& v = *state.version;
  const std::size_t at = trace_ ? open_entity_step(index) : 0;
  if (!(v.from <= as_of_ && as_of_ < v.until)) {
    state.status = Status::kNotInForce;
  } else {
    ++depth_;
    state.status = condition_status(v.condition, state.missing);
    --depth_;
    if (v.outcome_kind == ir::OutcomeKind::kClassify && v.outcome != kNone) {
      auto& label = labels_[v.outcome];
      if (state.status == Status::kTrue) {
        label = Tri::kTrue;
        if (trace_) [[unlikely]] label_by_[v.outcome].push_back(index);
      } else if (state.status == Status::kUnknown && label == Tri::kFalse) {
        label = Tri::kUnknown;
      }
    }
  }
  if (trace_) [[unlikely]] close_entity_step(at, index);
}

std::size_t Frame::open_entity_step(std::uint32_t index) {
  const auto& entity = p_.entities[index];
  const auto& v = *entities_[index].version;
  const std::size_t at = trace_->steps.size();
  auto& s = step(entity.exemption ? TraceStep::Kind::kExemption : TraceStep::Kind::kRule, v.span, true);
  s.subject = entity.name;
  s.title = v.title;
  s.citation = v.citation;
  s.from = v.from;
  s.until = v.until;
  s.defined_by = v.defined_by;
  s.classifies = v.outcome_kind == ir::OutcomeKind::kClassify;
  if (v.outcome != kNone) s.outcome = s.classifies ? p_.labels[v.outcome] : p_.outcomes[v.outcome];
  s.reason = v.reason;
  return at;
}

void Frame::close_entity_step(std::size_t at, std::uint32_t index) {
  const auto& state = entities_[index];
  auto& s = trace_->steps[at];
  if (state.status == Status::kNotInForce) {
    s.status = TraceStep::Status::kNotInForce;
    s.result = "not in force";
    return;
  }
  s.status = state.status == Status::kTrue    ? TraceStep::Status::kFired
             : state.status == Status::kFalse ? TraceStep::Status::kNotFired
                                              : TraceStep::Status::kIndeterminate;
  const bool exemption = p_.entities[index].exemption;
  const char* fired = exemption ? "applies" : "fired";
  const char* not_fired = exemption ? "does not apply" : "not fired";
  s.result = state.status == Status::kTrue ? fired : state.status == Status::kFalse ? not_fired : "indeterminate";
  if (state.status == Status::kUnknown) s.unknown = missing_names(state.missing);
}

bool Frame::overrides(std::uint32_t exemption, std::uint32_t target) const {
  const auto* v = entities_[exemption].version;
  return v != nullptr && std::find(v->overrides.begin(), v->overrides.end(), target) != v->overrides.end();
}

// The winners among the exemptions that act on `rule` when those in uncertain_all_ whose bit is set in
// `guess` apply too: an exemption acts when it applies and overrides the rule or an acting exemption, and
// wins when no other acting one overrides it. Returns the outcome (kNone: the winners conflict) and leaves
// the winners, sorted, in `winners`.
std::uint32_t Frame::outcome_with(std::uint32_t rule, std::uint64_t guess, std::vector<std::uint32_t>& winners) {
  const auto applies = [&](std::uint32_t e) {
    if (entities_[e].status == Status::kTrue) return true;
    const auto at = std::find(uncertain_all_.begin(), uncertain_all_.end(), e) - uncertain_all_.begin();
    return at < static_cast<std::ptrdiff_t>(uncertain_all_.size()) && ((guess >> at) & 1) != 0;
  };
  acting_.clear();
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto e : candidates_) {
      if (!applies(e) || std::find(acting_.begin(), acting_.end(), e) != acting_.end()) continue;
      const auto narrows = [&](std::uint32_t a) { return overrides(e, a); };
      if (overrides(e, rule) || std::any_of(acting_.begin(), acting_.end(), narrows)) {
        acting_.push_back(e);
        grew = true;
      }
    }
  }
  winners.clear();
  for (const auto e : acting_) {
    const auto beats = [&](std::uint32_t a) { return a != e && overrides(a, e); };
    if (std::none_of(acting_.begin(), acting_.end(), beats)) winners.push_back(e);
  }
  std::sort(winners.begin(), winners.end());
  if (winners.empty()) return entities_[rule].version->outcome;
  const auto outcome = entities_[winners.front()].version->outcome;
  for (const auto e : winners) {
    if (entities_[e].version->outcome != outcome) return kNone;
  }
  return outcome;
}

void Frame::apply_exemptions(std::uint32_t rule) {
  // Only the compile-time candidates can override this rule; their versions in this rulebook decide. An
  // exemption is tried when it overrides the rule, or narrows a tried exemption that applies or may apply
  // (unknown). Narrowing an exemption that does not apply changes nothing.
  candidates_.clear();
  uncertain_all_.clear();
  const auto& possible = p_.exemption_candidates[rule];
  const auto tried = [&](std::uint32_t e) {
    if (overrides(e, rule)) return true;
    return std::any_of(candidates_.begin(), candidates_.end(), [&](std::uint32_t c) {
      return (entities_[c].status == Status::kTrue || entities_[c].status == Status::kUnknown) && overrides(e, c);
    });
  };
  bool acting = false;  // a tried exemption applies or may apply
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto e : possible) {
      if (std::find(candidates_.begin(), candidates_.end(), e) != candidates_.end() || !tried(e)) continue;
      candidates_.push_back(e);
      evaluate_entity(e);
      const auto status = entities_[e].status;
      if (status == Status::kUnknown) uncertain_all_.push_back(e);
      acting = acting || status == Status::kTrue || status == Status::kUnknown;
      grew = true;
    }
    if (!acting) break;  // then only the exemptions overriding the rule itself can be tried: all were
  }
  if (!acting) {
    // The usual case: no exemption of this rule applies or may apply, so none narrows another one either.
    effective_ = entities_[rule].version->outcome;
    applied_.clear();
    conflict_ = false;
    possible_outcomes_.assign(1, effective_);
    return;
  }
  // What is known: the unknown exemptions taken as not applying. Then every other way they could come out
  // (each unknown exemption applies or not; beyond kMaxGuessed of them, any outcome is possible).
  effective_ = outcome_with(rule, 0, applied_);
  conflict_ = effective_ == kNone;
  possible_outcomes_.assign(1, effective_);
  if (uncertain_all_.size() > kMaxGuessed) {
    possible_outcomes_.push_back(kNone);
    return;
  }
  for (std::uint64_t guess = 1; guess < (std::uint64_t{1} << uncertain_all_.size()); ++guess) {
    const auto outcome = outcome_with(rule, guess, guess_winners_);
    if (std::find(possible_outcomes_.begin(), possible_outcomes_.end(), outcome) == possible_outcomes_.end()) {
      possible_outcomes_.push_back(outcome);
    }
  }
}

void Frame::collect_date_breaks() {
  std::size_t dates = 0;  // counted first: one allocation (a Session is made per one-shot evaluation)
  for (const auto& entity : p_.entities) dates += 4 * entity.versions.size();
  for (const auto& group : p_.groups) {
    for (const auto* lists : {&group.enum_events, &group.entry_events}) {
      for (const auto& events : *lists) dates += 2 * events.size();
    }
  }
  for (const auto& parameter : p_.parameters) dates += 3 * parameter.steps.size();
  date_breaks_.reserve(2 * dates);
  const auto add = [&](Date d) {
    date_breaks_.push_back(d.days());
    date_breaks_.push_back(std::int64_t{d.days()} + 1);
  };
  for (const auto& entity : p_.entities) {
    for (const auto& v : entity.versions) {
      for (const Date d : {v.known_from, v.known_until, v.from, v.until}) add(d);
    }
  }
  const auto add_events = [&](const std::vector<std::vector<ir::MembershipEvent>>& lists) {
    for (const auto& events : lists) {
      for (const auto& e : events) {
        add(e.known_from);
        add(e.from);
      }
    }
  };
  for (const auto& group : p_.groups) {
    add_events(group.enum_events);
    add_events(group.entry_events);
  }
  for (const auto& parameter : p_.parameters) {
    for (const auto& step : parameter.steps) {
      for (const Date d : {step.known_from, step.known_until, step.from}) add(d);
    }
  }
  std::sort(date_breaks_.begin(), date_breaks_.end());
  date_breaks_.erase(std::unique(date_breaks_.begin(), date_breaks_.end()), date_breaks_.end());
}

void Frame::note_interval_days() {
  const auto from = [&](std::size_t interval) {
    return interval == 0 ? std::numeric_limits<std::int64_t>::min() : date_breaks_[interval - 1];
  };
  const auto to = [&](std::size_t interval) {
    return interval == date_breaks_.size() ? std::numeric_limits<std::int64_t>::max() : date_breaks_[interval];
  };
  as_of_from_ = from(dates_->as_of_interval);
  as_of_to_ = to(dates_->as_of_interval);
  rules_from_ = from(dates_->rules_interval);
  rules_to_ = to(dates_->rules_interval);
}

// Makes dates_ the memo of these intervals: found among the last few, or the least recently used one, emptied.
// The entities in force at the previous dates are settled as not in force; those of the new dates are reset
// by reset_entities().
void Frame::switch_dates(std::size_t as_of_interval, std::size_t rules_interval) {
  if (dates_ != nullptr && others_settled_) {
    for (const auto e : dates_->in_force) {
      entities_[e].evaluated = true;
      entities_[e].status = Status::kNotInForce;  // in force at other dates: it has a version
    }
  }
  DatesMemo* chosen = nullptr;
  for (auto& memo : dates_memos_) {
    if (memo.valid && memo.as_of_interval == as_of_interval && memo.rules_interval == rules_interval) chosen = &memo;
  }
  if (chosen == nullptr) {
    chosen = &dates_memos_[0];
    for (auto& memo : dates_memos_) {
      if (memo.used < chosen->used) chosen = &memo;
    }
    chosen->as_of_interval = as_of_interval;
    chosen->rules_interval = rules_interval;
    chosen->valid = true;
    chosen->set_bits.assign(set_words_, 0);
    chosen->lists_ready = false;
    chosen->plan.built = false;
  }
  dates_ = chosen;
}

// What every evaluation starts with: the memo of its pair of date intervals (with the versions of its
// rulebook and the rules in force), a new run_count_ (memoised values are forgotten), the facts and dates,
// no label decided and no fact missing.
void Frame::enter(const BoundFacts& facts, Date as_of, Date rules_as_of) {
  const std::int64_t as_of_day = as_of.days(), rules_day = rules_as_of.days();
  const bool same_intervals = dates_ != nullptr && as_of_from_ <= as_of_day && as_of_day < as_of_to_ &&
                              rules_from_ <= rules_day && rules_day < rules_to_;
  if (!same_intervals) {
    const auto as_of_interval = interval_of(as_of), rules_interval = interval_of(rules_as_of);
    if (dates_ == nullptr || dates_->as_of_interval != as_of_interval || dates_->rules_interval != rules_interval) {
      switch_dates(as_of_interval, rules_interval);
    }
    note_interval_days();
  }
  dates_->used = run_count_ + 1;
  ++run_count_;
  facts_ = &facts;
  as_of_ = as_of;
  rules_as_of_ = rules_as_of;
  depth_ = 0;
  std::fill(labels_.begin(), labels_.end(), Tri::kFalse);
  missing_.clear();
  read_versions();
  if (!dates_->lists_ready) select_in_force();
}

void Frame::reset(const BoundFacts& facts, Date as_of, Date rules_as_of, Trace* trace) {
  trace_ = trace;
  enter(facts, as_of, rules_as_of);
  // A trace step is large: growing the vector step by step would move every step several times.
  if (trace_ != nullptr) {
    trace_->steps.reserve(trace_->steps.size() + trace_steps_hint_);
    trace_->operands.reserve(trace_->operands.size() + trace_operands_hint_);
    trace_->names.reserve(trace_->names.size() + trace_names_hint_);
    views_moved_ = false;
  }
  if (trace_) [[unlikely]] {
    for (auto& by : label_by_) by.clear();
  }
  reset_entities();
  fired_.clear();
  fired_applied_.clear();
  all_missing_.clear();
}

void Frame::select_in_force() {
  auto& d = *dates_;
  if (d.in_force.capacity() == 0) {  // the first dates this memo holds: sized once for any dates
    d.in_force.reserve(entities_.size());
    d.in_force_order.reserve(p_.order.size());
    d.in_force_exemptions.reserve(all_exemptions_.size());
  }
  d.in_force.clear();
  d.in_force_order.clear();
  d.in_force_exemptions.clear();
  const auto in_force = [&](std::uint32_t e) {
    const auto* v = entities_[e].version;
    return v != nullptr && v->from <= as_of_ && as_of_ < v->until;
  };
  for (std::uint32_t e = 0; e < entities_.size(); ++e) {
    if (in_force(e)) d.in_force.push_back(e);
  }
  for (const auto e : p_.order) {
    if (in_force(e)) d.in_force_order.push_back(e);
  }
  for (const auto e : all_exemptions_) {
    if (in_force(e)) d.in_force_exemptions.push_back(e);
  }
  d.lists_ready = true;
}

void Frame::read_versions() {
  // The versions depend on rules_as_of only through the dates of date_breaks_.
  const bool same_rulebook = versions_read_ && dates_->rules_interval == versions_rules_interval_;
  versions_read_ = true;
  versions_rules_interval_ = dates_->rules_interval;
  if (!same_rulebook) {
    for (std::uint32_t i = 0; i < entities_.size(); ++i) {
      entities_[i].version = visible_version(p_.entities[i], rules_as_of_);
    }
    others_settled_ = false;  // settled by the versions of another rulebook
  }
}

void Frame::reset_entities() {
  const auto reset_state = [&](EntityState& state) {
    state.status = Status::kNotInRulebook;
    state.evaluated = false;
    state.missing.clear();
  };
  if (trace_ != nullptr || !others_settled_) {
    // Every entity is reset; with a trace, every one is visited (and shown) by run().
    for (auto& state : entities_) reset_state(state);
    others_settled_ = trace_ == nullptr;
    if (!others_settled_) return;
    for (auto& state : entities_) {
      state.evaluated = true;
      if (state.version != nullptr) state.status = Status::kNotInForce;
    }
  }
  for (const auto e : dates_->in_force) reset_state(entities_[e]);
}

// ================================================================ the decision plan

void Frame::build_plan(Plan& plan) {
  plan.built = true;
  plan.checks.clear();
  plan.rules.clear();
  plan.exemptions.clear();
  plan.usable = true;
  const auto in_force = [&](std::uint32_t e) {
    const auto* v = entities_[e].version;
    return v != nullptr && v->from <= as_of_ && as_of_ < v->until;
  };
  for (const auto e : dates_->in_force_order) {
    auto rule = plan_entity(plan, e);
    if (!rule.classifies) {
      if (rule.outcome == kNone) {  // no rank: the general path makes it a conflict
        plan.usable = false;
        return;
      }
      rule.first_exemption = static_cast<std::uint32_t>(plan.exemptions.size());
      for (const auto x : p_.exemption_candidates[e]) {
        if (in_force(x) && overrides(x, e)) plan.exemptions.push_back(plan_entity(plan, x));
      }
      rule.exemption_count = static_cast<std::uint32_t>(plan.exemptions.size()) - rule.first_exemption;
    }
    plan.rules.push_back(rule);
  }
  if (exemption_false_in_.size() != entities_.size()) exemption_false_in_.assign(entities_.size(), 0);
}

Frame::PlanEntity Frame::plan_entity(Plan& plan, std::uint32_t entity) {
  const auto& v = *entities_[entity].version;
  PlanEntity planned;
  planned.entity = entity;
  planned.classifies = v.outcome_kind == ir::OutcomeKind::kClassify;
  planned.outcome = v.outcome;
  if (v.condition != kNone) planned.entry = plan_condition(plan, v.condition, kPlanTrue, kPlanFalse, 0);
  return planned;
}

// Appends the checks of condition `node`, whose truth goes on to `if_true` or `if_false`, and returns its first
// check. An `and`/`or` chain becomes its operands, last first so that each knows the one after it; entering
// the chain takes the steps test() and test_logic() take (one, and one per operator of its spine), at its
// first check, which is always reached.
std::uint32_t Frame::plan_condition(Plan& plan, std::uint32_t node, std::uint32_t if_true, std::uint32_t if_false,
                                    std::uint32_t enter_steps) {
  const auto op = p_.nodes[node].op;
  if (op == ir::Op::kAnd || op == ir::Op::kOr) {
    const auto& chain = logic_chains_[node];
    const bool is_and = op == ir::Op::kAnd;
    enter_steps += 1 + chain.inner;
    std::uint32_t next = if_true;
    for (std::uint32_t i = chain.count; i-- > 0;) {
      const bool last = i + 1 == chain.count;
      const auto on_true = is_and && !last ? next : if_true;
      const auto on_false = !is_and && !last ? next : if_false;
      next = plan_condition(plan, chain_operands_[chain.first + i], on_true, on_false, i == 0 ? enter_steps : 0);
    }
    return next;
  }
  plan.checks.push_back({fused_[node], node, enter_steps, if_true, if_false});
  return static_cast<std::uint32_t>(plan.checks.size() - 1);
}

// A condition's truth from its first check; unknown as soon as one check is.
Tri Frame::run_checks(const Plan& plan, std::uint32_t at) {
  while (at < kPlanTrue) {
    const auto& c = plan.checks[at];
    Tri t;
    const auto steps = c.fused.kind == FusedCheck::Kind::kGeneral ? 0 : decide_fused(c.fused, t);
    take_steps(c.enter_steps + steps);
    if (steps == 0) t = test(c.node);
    if (t == Tri::kUnknown) return t;
    at = t == Tri::kTrue ? c.if_true : c.if_false;
  }
  return at == kPlanTrue ? Tri::kTrue : Tri::kFalse;
}

// Decides as run() does when every rule in force is true or false and no exemption of a fired rule applies:
// then no outcome is uncertain and none is overridden. The rules are decided in order, then the exemptions
// of the fired rules, as run() does, so the steps are taken in the same order. Returns false, leaving `out`
// alone, when it cannot decide: the steps taken are given back, but for those that filled the set caches
// (the general path then finds the memberships known and does not take them again).
bool Frame::run_plan(const Plan& plan, Outcome& out) {
  const auto budget = steps_left;
  set_cache_steps_ = 0;
  const auto hand_back = [&] {
    steps_left = budget - set_cache_steps_;
    return false;
  };
  // Sized for every rule once, and written by position: push_back's growth path would be a call per rule.
  if (plan_fired_.size() < plan.rules.size()) plan_fired_.resize(plan.rules.size());
  std::uint32_t fired = 0;
  for (std::uint32_t r = 0; r < plan.rules.size(); ++r) {
    const auto& rule = plan.rules[r];
    const auto t = run_checks(plan, rule.entry);
    if (t == Tri::kUnknown) return hand_back();
    if (t == Tri::kFalse) continue;
    plan_fired_[fired++] = r;
    if (rule.classifies && rule.outcome != kNone) labels_[rule.outcome] = Tri::kTrue;
  }
  plan_fired_count_ = fired;
  const std::span<const std::uint32_t> fired_rules(plan_fired_.data(), fired);
  const auto outcome_count = static_cast<std::uint32_t>(p_.outcomes.size());
  std::uint32_t high = 0;  // the highest rank of a fired decision rule (0: none)
  for (const auto r : fired_rules) {
    const auto& rule = plan.rules[r];
    if (rule.classifies) continue;
    for (std::uint32_t i = 0; i < rule.exemption_count; ++i) {
      const auto& exemption = plan.exemptions[rule.first_exemption + i];
      if (exemption_false_in_[exemption.entity] == run_count_) continue;
      const auto t = run_checks(plan, exemption.entry);
      if (t == Tri::kUnknown) return hand_back();
      if (t == Tri::kTrue) {
        combine_from_plan(plan, exemption.entity, out);
        return true;
      }
      exemption_false_in_[exemption.entity] = run_count_;
    }
    high = std::max(high, outcome_count - rule.outcome);
  }
  const auto decided_rank = high == 0 ? outcome_count - p_.default_outcome : high;
  out.decision = outcome_count - decided_rank;
  out.conflicts.clear();
  out.indeterminate.clear();
  out.missing.clear();
  out.fired.resize(fired);
  out.deciding.clear();
  out.deciding_exempted.clear();
  out.exemptions.clear();
  for (std::uint32_t i = 0; i < fired; ++i) {
    const auto& rule = plan.rules[fired_rules[i]];
    out.fired[i] = rule.entity;
    if (high != 0 && !rule.classifies && outcome_count - rule.outcome == decided_rank) {
      out.deciding.push_back({rule.entity, entities_[rule.entity].version});
      out.deciding_exempted.push_back(0);
    }
  }
  out.classifications.clear();
  for (std::uint32_t l = 0; l < labels_.size(); ++l) {
    if (labels_[l] == Tri::kTrue) out.classifications.push_back(l);
  }
  if (!p_.outputs.empty() || p_.has_obligations) plan_values(plan, out);
  ++decided_by_plans;
  return true;
}

// An exemption of a fired rule applies: the general combination decides, from the statuses the plan found
// (every rule, the exemptions found not to apply, and this one). It evaluates only the exemptions the plan did
// not reach, so the steps are those the general path takes.
void Frame::combine_from_plan(const Plan& plan, std::uint32_t applying, Outcome& out) {
  reset_entities();
  fired_.clear();
  fired_applied_.clear();
  all_missing_.clear();
  missing_.clear();
  const auto settle = [&](std::uint32_t entity, Status status) {
    entities_[entity].evaluated = true;
    entities_[entity].status = status;
  };
  for (const auto& rule : plan.rules) settle(rule.entity, Status::kFalse);
  for (std::uint32_t i = 0; i < plan_fired_count_; ++i) settle(plan.rules[plan_fired_[i]].entity, Status::kTrue);
  for (const auto& exemption : plan.exemptions) {
    if (exemption_false_in_[exemption.entity] == run_count_) settle(exemption.entity, Status::kFalse);
  }
  settle(applying, Status::kTrue);
  combine(out);
  ++continued_from_plans;
}

// The values compute_values() gives when no rule is unknown and no exemption applied: those of the fired
// decision rules, in order, then those of the fired classification rules, by entity.
void Frame::plan_values(const Plan& plan, Outcome& out) {
  begin_values(out);
  plan_classified_.clear();
  for (std::uint32_t i = 0; i < plan_fired_count_; ++i) {
    const auto r = plan_fired_[i];
    const auto e = plan.rules[r].entity;
    if (!plan.rules[r].classifies) {
      give_values(out, e, *entities_[e].version);
    } else if (std::binary_search(with_sets_.begin(), with_sets_.end(), e)) {
      plan_classified_.push_back(e);
    }
  }
  std::sort(plan_classified_.begin(), plan_classified_.end());
  for (const auto e : plan_classified_) give_values(out, e, *entities_[e].version);
  end_values(out);
}

// The decision: each fired (or unknown) decision rule contributes a range of possible outcome ranks (0: no
// outcome); the decision is determinate when the range of the maximum is one value.
void Frame::run(const BoundFacts& facts, Date as_of, Date rules_as_of, Trace* trace, Outcome& out) {
  if (trace == nullptr && plans_enabled_) {
    trace_ = nullptr;
    enter(facts, as_of, rules_as_of);
    auto& plan = dates_->plan;
    if (!plan.built) build_plan(plan);
    if (plan.usable && run_plan(plan, out)) return;
  }
  reset(facts, as_of, rules_as_of, trace);
  // Without a trace, entities not in force are settled and skipped (see reset_entities).
  const auto& order = trace_ != nullptr ? p_.order : dates_->in_force_order;
  for (const auto index : order) evaluate_entity(index);
  combine(out);
}

// The decision from the statuses of the rules (all settled) and the exemptions (evaluated as needed).
void Frame::combine(Outcome& out) {
  const auto& order = trace_ != nullptr ? p_.order : dates_->in_force_order;
  const auto& exemptions = trace_ != nullptr ? all_exemptions_ : dates_->in_force_exemptions;
  const auto outcome_count = static_cast<std::uint32_t>(p_.outcomes.size());
  const auto rank = [&](std::uint32_t outcome) { return outcome == kNone ? 0u : outcome_count - outcome; };
  const auto default_rank = rank(p_.default_outcome);
  std::uint32_t low = 0, high = 0;
  bool below_default_possible = false;
  out.conflicts.clear();
  out.indeterminate.clear();
  out.fired.clear();
  for (const auto index : order) {  // their statuses are settled: apply_exemptions() evaluates exemptions only
    const auto& state = entities_[index];
    if (state.status == Status::kTrue) out.fired.push_back(index);
    if (state.status == Status::kUnknown) {
      out.indeterminate.push_back(index);
      all_missing_.insert(all_missing_.end(), state.missing.begin(), state.missing.end());
    }
    if (state.version == nullptr || state.version->outcome_kind != ir::OutcomeKind::kDecision) continue;
    if (state.status != Status::kTrue && state.status != Status::kUnknown) continue;
    apply_exemptions(index);
    if (conflict_) out.conflicts.emplace_back(index, applied_);
    // The outcomes this rule may give (a set, not every rank in between: an unknown rule giving the
    // default's outcome cannot make the decision less severe); a possible conflict forces indeterminate.
    std::uint32_t lo = outcome_count + 1, hi = 0;
    for (const auto outcome : possible_outcomes_) {
      const auto r = outcome == kNone ? outcome_count + 1 : rank(outcome);
      lo = std::min(lo, outcome == kNone ? 0 : r);
      hi = std::max(hi, r);
      if (r > 0 && r < default_rank) below_default_possible = true;
    }
    if (state.status == Status::kUnknown) lo = 0;
    low = std::max(low, lo);
    high = std::max(high, hi);
    if (state.status == Status::kTrue) {
      fired_.push_back({index, effective_, static_cast<std::uint32_t>(fired_applied_.size()),
                        static_cast<std::uint32_t>(applied_.size())});
      fired_applied_.insert(fired_applied_.end(), applied_.begin(), applied_.end());
    }
  }
  for (const auto e : exemptions) {  // exemptions are evaluated on demand
    if (entities_[e].status == Status::kTrue) out.fired.push_back(e);
    if (entities_[e].status == Status::kUnknown) {
      out.indeterminate.push_back(e);
      all_missing_.insert(all_missing_.end(), entities_[e].missing.begin(), entities_[e].missing.end());
    }
  }

  const bool determinate =
      low == high || (low == 0 && high == default_rank && !below_default_possible && out.conflicts.empty());
  const auto decided_rank = high == 0 ? default_rank : high;
  out.decision = determinate ? outcome_count - decided_rank : kNone;
  out.deciding.clear();
  out.deciding_exempted.clear();
  out.exemptions.clear();
  if (determinate && high != 0) {
    for (const auto& f : fired_) {
      if (rank(f.outcome) != decided_rank) continue;
      out.deciding.push_back({f.rule, entities_[f.rule].version});
      out.deciding_exempted.push_back(f.applied_count > 0 ? 1 : 0);
      for (std::uint32_t i = 0; i < f.applied_count; ++i) {
        const auto e = fired_applied_[f.first_applied + i];
        const bool seen = std::any_of(out.exemptions.begin(), out.exemptions.end(),
                                      [&](const Decided& d) { return d.entity == e; });
        if (!seen) out.exemptions.push_back({e, entities_[e].version});
      }
    }
  }
  out.classifications.clear();
  for (std::uint32_t l = 0; l < labels_.size(); ++l) {
    if (labels_[l] == Tri::kTrue) out.classifications.push_back(l);
  }
  std::sort(all_missing_.begin(), all_missing_.end());
  all_missing_.erase(std::unique(all_missing_.begin(), all_missing_.end()), all_missing_.end());
  if (all_missing_.empty()) {
    out.missing.clear();
  } else {
    out.missing.assign(all_missing_.begin(), all_missing_.end());
  }
  if (!p_.outputs.empty() || p_.has_obligations) compute_values(out);
  if (trace_) [[unlikely]] {
    trace_decision(out);
    if (!p_.outputs.empty()) trace_values(out);
    if (views_moved_) rebase_views();
    trace_steps_hint_ = std::max(trace_steps_hint_, trace_->steps.size());
    trace_operands_hint_ = std::max(trace_operands_hint_, trace_->operands.size());
    trace_names_hint_ = std::max(trace_names_hint_, trace_->names.size());
  }
}

void Frame::trace_decision(const Outcome& out) {
  auto& s = step(TraceStep::Kind::kDecision);
  auto& names = trace_->names;
  for (const auto& d : out.deciding) append(names, s.rules, std::string_view(p_.entities[d.entity].name));
  std::sort(names.end() - static_cast<std::ptrdiff_t>(s.rules.size()), names.end());
  for (const auto& e : out.exemptions) append(names, s.exemptions, std::string_view(p_.entities[e.entity].name));
  std::sort(names.end() - static_cast<std::ptrdiff_t>(s.exemptions.size()), names.end());
  s.result = out.decision == kNone ? "indeterminate" : p_.outcomes[out.decision];
  s.truth = out.decision == kNone ? TraceStep::Truth::kUnknown : TraceStep::Truth::kTrue;
  if (out.decision == kNone) {
    s.conflict = !out.conflicts.empty();
    s.unknown = missing_names(out.missing);
  }
}

// ================================================================ outputs

// The values of the outputs (LANGUAGE.md, outputs): each rule or exemption that took effect gives its `set`
// values: a classification rule that fired, a decision rule that fired and was not overridden, an exemption
// that overrode a fired rule. An indeterminate rule or exemption that gives a value makes that output
// indeterminate (it could have given one). `deciding` outputs read the deciding rules and exemptions only.
void Frame::compute_values(Outcome& out) {
  begin_values(out);
  for (const auto& f : fired_) {
    const auto& version = *entities_[f.rule].version;
    if (f.applied_count == 0) give_values(out, f.rule, version);
    for (std::uint32_t i = 0; i < f.applied_count; ++i) {
      const auto e = fired_applied_[f.first_applied + i];
      give_values(out, e, *entities_[e].version);
    }
  }
  for (const auto e : with_sets_) {
    const auto& state = entities_[e];
    if (state.version == nullptr) continue;
    if (state.status == Status::kTrue && state.version->outcome_kind == ir::OutcomeKind::kClassify) {
      give_values(out, e, *state.version);
    } else if (state.status == Status::kUnknown) {
      mark_unknown_values(out, e, *state.version);
    }
  }
  end_values(out);
}

void Frame::begin_values(Outcome& out) {
  if (!with_sets_ready_) {  // once: the entities that give values or obligations in some version
    with_sets_ready_ = true;
    for (std::uint32_t e = 0; e < p_.entities.size(); ++e) {
      const auto& versions = p_.entities[e].versions;
      const auto gives = [](const ir::RuleVersion& v) { return !v.sets.empty() || !v.obligations.empty(); };
      if (std::any_of(versions.begin(), versions.end(), gives)) {
        with_sets_.push_back(e);
      }
    }
  }
  out.values.resize(p_.outputs.size());
  for (auto& v : out.values) v.state = OutputValue::State::kUnset;
  out.obligations.clear();
  by_lists_.resize(p_.outputs.size());
  for (auto& list : by_lists_) list.clear();
}

// The outputs' defaults, and the entities behind each value.
void Frame::end_values(Outcome& out) {
  for (std::uint32_t o = 0; o < p_.outputs.size(); ++o) {
    auto& value = out.values[o];
    const auto& output = p_.outputs[o];
    if (value.state == OutputValue::State::kUnset && output.default_node != kNone) {
      value.value = eval(output.default_node);
      value.state = value.value.known() ? OutputValue::State::kSet : OutputValue::State::kIndeterminate;
    }
    if (value.state == OutputValue::State::kSet && output.integer && !value.value.number.is_integer()) {
      value.state = OutputValue::State::kIndeterminate;  // an integer output given a fraction
    }
  }
  out.value_by.clear();
  for (std::uint32_t o = 0; o < p_.outputs.size(); ++o) {
    auto& list = by_lists_[o];
    if (list.size() > 1) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    out.values[o].first_by = static_cast<std::uint32_t>(out.value_by.size());
    out.values[o].by_count = static_cast<std::uint32_t>(list.size());
    if (!list.empty()) out.value_by.insert(out.value_by.end(), list.begin(), list.end());
  }
}

// The `set` values of one rule or exemption that took effect (a `deciding` output only from a deciding one).
void Frame::give_values(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version) {
  if (gave_.size() != entities_.size()) gave_.assign(entities_.size(), 0);
  if (gave_[entity] == run_count_) return;  // an exemption that overrode several rules gives its values once
  gave_[entity] = run_count_;
  add_obligations(out, entity, version, /*possible=*/false);
  for (const auto& set : version.sets) {
    if (p_.outputs[set.output].combine == ir::Combine::kDeciding) {
      const auto deciding = [&](const Decided& d) { return d.entity == entity; };
      if (std::none_of(out.deciding.begin(), out.deciding.end(), deciding) &&
          std::none_of(out.exemptions.begin(), out.exemptions.end(), deciding)) {
        // With the decision indeterminate, this rule might have been a deciding one.
        if (out.decision == kNone) {
          out.values[set.output].state = OutputValue::State::kIndeterminate;
          by_lists_[set.output].push_back(entity);
        }
        continue;
      }
    }
    const auto mark = missing_.size();
    auto v = eval(set.node);
    drop_missing_from(mark);
    if (!v.known()) {
      out.values[set.output].state = OutputValue::State::kIndeterminate;
      by_lists_[set.output].push_back(entity);
      continue;
    }
    combine_value(out, set.output, entity, std::move(v));
  }
}

// The obligations of one rule or exemption, in source order, each with its due date computed. `possible`:
// the rule or exemption was indeterminate, so the obligation applies only if it does.
void Frame::add_obligations(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version, bool possible) {
  for (std::uint32_t i = 0; i < version.obligations.size(); ++i) {
    Outcome::ObligationOutcome o;
    o.version = &version;
    o.entity = entity;
    o.index = i;
    o.possible = possible;
    if (version.obligations[i].due != kNone) {
      const auto mark = missing_.size();
      o.due = eval(version.obligations[i].due);
      drop_missing_from(mark);
    }
    out.obligations.push_back(std::move(o));
  }
}

// An indeterminate rule or exemption could have taken effect: the outputs it sets are indeterminate, and its
// obligations are listed as possible.
void Frame::mark_unknown_values(Outcome& out, std::uint32_t entity, const ir::RuleVersion& version) {
  for (const auto& set : version.sets) {
    if (p_.outputs[set.output].combine == ir::Combine::kDeciding && out.decision != kNone) continue;
    out.values[set.output].state = OutputValue::State::kIndeterminate;
    by_lists_[set.output].push_back(entity);
  }
  add_obligations(out, entity, version, /*possible=*/true);
}

void Frame::combine_value(Outcome& out, std::uint32_t output, std::uint32_t entity, Value v) {
  auto& current = out.values[output];
  auto& by = by_lists_[output];
  using State = OutputValue::State;
  if (current.state == State::kIndeterminate || current.state == State::kConflict) return;
  if (current.state == State::kUnset) {
    current.state = State::kSet;
    current.value = std::move(v);
    by.push_back(entity);
    return;
  }
  const int order = compare_values(v, current.value);
  switch (p_.outputs[output].combine) {
    case ir::Combine::kUnique:
    case ir::Combine::kDeciding:
      if (order != 0) current.state = State::kConflict;
      by.push_back(entity);
      return;
    case ir::Combine::kMax:
    case ir::Combine::kMin: {
      const bool better = p_.outputs[output].combine == ir::Combine::kMax ? order > 0 : order < 0;
      if (order == 0) by.push_back(entity);
      if (!better) return;
      current.value = std::move(v);
      by.assign(1, entity);
      return;
    }
    case ir::Combine::kSum:
      if (current.value.number.bit_size() + v.number.bit_size() > core::kMaxNumBits) {
        current.state = State::kIndeterminate;
        return;
      }
      current.value.number = current.value.number + v.number;
      by.push_back(entity);
      return;
    case ir::Combine::kFirst:  // the first in declaration order
      if (entity < by.front()) {
        current.value = std::move(v);
        by.assign(1, entity);
      }
      return;
  }
}

void Frame::trace_values(const Outcome& out) {
  static constexpr const char* kCombine[] = {"unique", "deciding", "max", "min", "sum", "first"};
  for (std::uint32_t o = 0; o < p_.outputs.size(); ++o) {
    const auto& value = out.values[o];
    if (value.state == OutputValue::State::kUnset) continue;  // as in the text result: nothing to show
    auto& s = step(TraceStep::Kind::kValue);
    s.subject = p_.outputs[o].name;
    s.source = kCombine[static_cast<std::size_t>(p_.outputs[o].combine)];
    for (std::uint32_t k = 0; k < value.by_count; ++k) {
      append(trace_->names, s.rules, std::string_view(p_.entities[out.value_by[value.first_by + k]].name));
    }
    switch (value.state) {
      case OutputValue::State::kSet: {
        s.value = shown_value(p_, value.value, p_.outputs[o].type.enum_id);
        s.has_value = true;
        s.result = s.value.kind == TraceValue::Kind::kString ? fmt::format("\"{}\"", s.value.exact) : s.value.exact;
        s.truth = TraceStep::Truth::kTrue;
        break;
      }
      case OutputValue::State::kUnset: s.result = "unset"; break;
      case OutputValue::State::kIndeterminate: s.result = "indeterminate"; break;
      case OutputValue::State::kConflict: s.result = "conflict"; s.conflict = true; break;
    }
  }
}

Evaluator::Evaluator(const CompiledProgram& program) : frame_(std::make_unique<Frame>(program)) {}
Evaluator::~Evaluator() = default;

bool Evaluator::run(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint64_t max_steps, Trace* trace,
                    Outcome& out) {
  frame_->steps_left = max_steps;
  try {
    frame_->run(facts, as_of, rules_as_of, trace, out);
  } catch (const Frame::StepLimitExceeded&) {
    return false;
  }
  return true;
}

void Frame::disable_fused_checks() { fused_.assign(fused_.size(), FusedCheck{}); }
void Evaluator::disable_fused_checks() { frame_->disable_fused_checks(); }
void Evaluator::disable_plans() { frame_->disable_plans(); }
std::uint64_t Evaluator::decided_by_plans() const { return frame_->decided_by_plans; }
std::uint64_t Evaluator::continued_from_plans() const { return frame_->continued_from_plans; }
std::size_t Evaluator::fused_checks() const { return frame_->fused_checks(); }

// ================================================================ probes (probe.hpp)

// A probe cannot run out of steps: it evaluates expressions the evaluator has already bounded.
Probe::Probe(const CompiledProgram& program) : frame_(std::make_unique<Frame>(program)) {
  frame_->steps_left = std::numeric_limits<std::uint64_t>::max();
  frame_->disable_plans();  // Probe::checks reads the state the general path leaves
}
Probe::~Probe() = default;

Value Probe::value(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint32_t node) {
  frame_->reset(facts, as_of, rules_as_of, nullptr);
  return frame_->eval(node);
}

Value Probe::value(const BoundFacts& facts, Date as_of, Date rules_as_of, std::uint32_t node,
                   std::span<const std::uint32_t> classified) {
  frame_->reset(facts, as_of, rules_as_of, nullptr);
  for (const auto label : classified) frame_->labels_[label] = Tri::kTrue;
  frame_->steps_left = max_steps_;
  try {
    return frame_->eval(node);
  } catch (const Frame::StepLimitExceeded&) {
    exhausted_ = true;
    return Value{};
  }
}

void Probe::limit_steps(std::uint64_t steps) { max_steps_ = steps; }

bool Probe::contains(std::uint32_t set_node, const Value& element, Date as_of, Date rules_as_of) {
  frame_->reset(frame_->no_facts_, as_of, rules_as_of, nullptr);
  frame_->steps_left = max_steps_;
  try {
    return element.kind == Kind::kEnum ? frame_->enum_member(set_node, element)
                                       : frame_->contains(set_node, element, nullptr);
  } catch (const Frame::StepLimitExceeded&) {
    exhausted_ = true;
    return false;
  }
}

void Probe::checks(const BoundFacts& facts, Date as_of, Date rules_as_of, std::span<const std::uint32_t> conditions,
                   std::vector<CheckTruth>& checks) {
  frame_->run(facts, as_of, rules_as_of, nullptr, frame_->probe_outcome_);
  ++frame_->run_count_;  // forgets the memoised definitions and tiers: their checks are evaluated (and noted) again
  frame_->checks_ = &checks;
  for (const auto condition : conditions) frame_->test(condition);
  frame_->checks_ = nullptr;
}

}  // namespace edict::eval
