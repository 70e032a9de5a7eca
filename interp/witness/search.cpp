// The search driver: the dates to explore, the enumeration of every case (a candidate of each variable at
// each date) on both policies, spread over worker threads, and the regions where the decisions or
// classifications differ, keyed by the truth of the changed rules' checks.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <tuple>

#include "core/worker_pool.hpp"
#include "render/values.hpp"
#include "witness/search.hpp"

namespace edict::witness {

namespace {

Date latest_rulebook() { return Date::from_days(Date::max().days() - 1); }

char truth_char(eval::Truth t) { return t == eval::Truth::kTrue ? '1' : t == eval::Truth::kFalse ? '0' : '?'; }

// Adds region `r` under `key`, or keeps the better case of the two.
void keep_better(std::map<std::string, RegionAcc>& regions, const std::string& key, RegionAcc&& r) {
  const auto it = regions.find(key);
  if (it == regions.end()) {
    regions.emplace(key, std::move(r));
  } else if (r.best.better_than(it->second.best)) {
    r.cases += it->second.cases;
    it->second = std::move(r);
  } else {
    it->second.cases += r.cases;
  }
}

}  // namespace

std::uint32_t Side::entity_index(const std::string& name) const {
  const auto named = [&](const ir::Entity& e) { return e.name == name; };
  const auto it = std::find_if(p->entities.begin(), p->entities.end(), named);
  return it == p->entities.end() ? kNone : static_cast<std::uint32_t>(it - p->entities.begin());
}

std::uint32_t Side::slot_of(const Path& path) const {
  const auto it = p->fact_index.find(path);
  return it == p->fact_index.end() ? kNone : it->second;
}

void Side::bind(const Facts& facts, eval::BoundFacts& out) const {
  std::vector<std::string> errors, warnings;  // a fact of the other side's schema, or of another type there
  eval::bind(*p, facts, p->limits, out, &errors, &warnings);
}

Search::Search(const Policy& old_policy, const Policy& new_policy, const WitnessOptions& options) : options_(options) {
  const Policy* policies[2] = {&old_policy, &new_policy};
  const std::optional<Date> rules[2] = {options.old_rules_as_of, options.new_rules_as_of};
  for (int i = 0; i < 2; ++i) {
    sides_[i].policy = policies[i];
    sides_[i].p = &program_of(*policies[i]);
    sides_[i].rules_option = rules[i];
    sides_[i].rules = rules[i].value_or(latest_rulebook());
    sides_[i].probe = std::make_unique<eval::Probe>(*sides_[i].p);
    has_outputs_ = has_outputs_ || policies[i]->has_outputs();
  }
}

// Every date on which either side's rules (effective windows), groups (membership events) or parameters
// (steps) change, as its rulebook shows them.
std::set<Date> Search::change_dates() const {
  std::set<Date> set;
  auto add = [&](Date d) {
    if (d != Date::min() && d != Date::max()) set.insert(d);
  };
  for (const auto& s : sides_) {
    for (const auto& e : s.p->entities) {
      if (const auto* v = s.visible(e)) {
        add(v->from);
        add(v->until);
      }
    }
    for (const auto& g : s.p->groups) {
      for (const auto& evs : g.enum_events) for (const auto& ev : evs) if (ev.known_from <= s.rules) add(ev.from);
      for (const auto& evs : g.entry_events) for (const auto& ev : evs) if (ev.known_from <= s.rules) add(ev.from);
    }
    for (const auto& param : s.p->parameters) {
      for (const auto& st : param.steps) {
        if (eval::step_visible(st, s.rules)) add(st.from);
      }
    }
  }
  return set;
}

// The dates that matter: neither side changes between two change dates, so each interval of the window is
// explored once, at its first day. The window opens at the earlier rulebook date (a transaction before it is
// read the same way by both rulebooks, save for a retroactive amendment: give --as-of for that).
void Search::choose_dates() {
  if (!options_.as_of_dates.empty()) {
    dates_ = options_.as_of_dates;
  } else {
    const auto changes = change_dates();
    std::optional<Date> start;
    for (const auto& s : sides_) {
      if (s.rules_option && (!start || *s.rules_option < *start)) start = s.rules_option;
    }
    if (!start && !changes.empty()) start = Date::from_days(changes.begin()->days() - 1);
    dates_.push_back(start.value_or(Date::from_days(0)));
    for (const auto d : changes) {
      if (d > dates_.front()) dates_.push_back(d);
    }
  }
  std::sort(dates_.begin(), dates_.end());
  dates_.erase(std::unique(dates_.begin(), dates_.end()), dates_.end());
}

Facts Search::facts_of(const std::vector<std::size_t>& choice, Assignment* assignment) const {
  Assignment all = fixed_;
  for (std::size_t i = 0; i < variables_.size(); ++i) {
    for (const auto& [p, v] : variables_[i].candidates[choice[i]].values) all[p] = v;
  }
  Facts facts = to_facts(all);
  if (assignment) *assignment = std::move(all);
  return facts;
}

// The truth of each atom on each side for one case, as the evaluator evaluates the changed rules' conditions
// in force at `as_of`.
std::string Search::signature(Worker& w, const Facts& facts, Date as_of) const {
  std::string sig(2 * atoms_.size(), '.');
  for (int i = 0; i < 2; ++i) {
    const auto& s = sides_[i];
    s.bind(facts, w.bound);
    w.conditions.clear();
    for (const auto& c : conditions_[i]) {
      if (c.from <= as_of && as_of < c.until) w.conditions.push_back(c.condition);
    }
    w.checks.clear();
    w.probe[i].checks(w.bound, as_of, s.rules, w.conditions, w.checks);
    for (const auto& check : w.checks) {
      const auto it = atom_of_[i].find(check.node);
      if (it == atom_of_[i].end()) continue;
      auto& slot_char = sig[2 * it->second + static_cast<std::size_t>(i)];
      if (slot_char == '.') slot_char = truth_char(check.truth);
    }
  }
  return sig;
}

// The number of cases (SIZE_MAX when it does not fit); sets radix_, per_date_ and overflow_.
std::size_t Search::count_cases() {
  radix_.clear();
  for (const auto& v : variables_) radix_.push_back(v.candidates.size());
  per_date_ = 1;
  overflow_ = false;
  for (const auto r : radix_) {
    if (r != 0 && per_date_ > SIZE_MAX / r) {
      overflow_ = true;
      break;
    }
    per_date_ *= r;
  }
  return overflow_ || per_date_ > SIZE_MAX / dates_.size() ? SIZE_MAX : per_date_ * dates_.size();
}

// Which dimension a search cut at `total` cases did not finish: the date varies fastest, then the last
// variable; the first variable whose candidates were not all reached is the cut one.
void Search::describe_cut(std::size_t total, WitnessReport& report) const {
  std::size_t inner = dates_.size();  // cases per value of the variable being looked at
  for (std::size_t i = variables_.size(); i-- > 0;) {
    const auto r = radix_[i];
    if (r != 0 && inner <= total / r) {
      inner *= r;
      continue;
    }
    const std::size_t reached = std::min(r, (total + inner - 1) / inner);
    std::string paths;
    for (const auto& p : variables_[i].paths) paths += (paths.empty() ? "" : ", ") + p;
    report.cut = "the candidate values of " + paths + ": " + std::to_string(reached) + " of " + std::to_string(r) +
                 " explored";
    if (i > 0) {
      std::string before;
      for (std::size_t j = 0; j < i; ++j) {
        for (const auto& p : variables_[j].paths) before += (before.empty() ? "" : ", ") + p;
      }
      report.cut += "; only the first candidate of " + before;
    }
    break;
  }
  report.widen = report.candidate_cases == SIZE_MAX
                     ? "explore fewer dates (--as-of) or compare closer rulebooks: the search is too large to finish"
                     : "raise --max-evaluations to " + std::to_string(report.candidate_cases) +
                           " (WitnessOptions::max_evaluations), or explore fewer dates (--as-of)";
}

// Case `index` on both policies: when they disagree, its region in `mine` keeps the better of the two cases.
void Search::evaluate_case(Worker& w, std::size_t index, Regions& mine) const {
  // The date varies fastest: a search cut by its bound has explored every date.
  std::size_t rest = index / dates_.size();
  const std::size_t date = index % dates_.size();
  for (std::size_t i = variables_.size(); i-- > 0;) {
    w.choice[i] = rest % radix_[i];
    rest /= radix_[i];
  }
  const Facts facts = facts_of(w.choice);
  std::string decision[2];
  std::vector<std::string> classes[2];
  for (int i = 0; i < 2; ++i) {
    EvalOptions eo;
    eo.as_of = dates_[date];
    eo.rules_as_of = sides_[i].rules_option;
    const auto& d = w.session[i]->decide(facts, eo);
    decision[i] = d.ok ? std::string(d.decision) : std::string("error");
    if (d.ok) classes[i].assign(d.classifications.begin(), d.classifications.end());
    std::sort(classes[i].begin(), classes[i].end());  // as EvalResult::classifications
  }
  std::string values;  // built only when a policy declares outputs
  if (has_outputs_) values = value_changes(w.session[0]->values(), w.session[1]->values(), /*states_only=*/true);
  if (decision[0] == decision[1] && classes[0] == classes[1] && values.empty()) return;
  RegionAcc r;
  r.value_states = std::move(values);
  r.old_decision = std::move(decision[0]);
  r.new_decision = std::move(decision[1]);
  r.old_classes = std::move(classes[0]);
  r.new_classes = std::move(classes[1]);
  r.signature = signature(w, facts, dates_[date]);
  r.choice = w.choice;
  r.date = date;
  for (std::size_t i = 0; i < variables_.size(); ++i) {
    const auto& c = variables_[i].candidates[w.choice[i]];
    r.best.at_bound += c.at_bound;
    r.best.non_default += c.non_default;
  }
  const auto key = coarse_key(r) + "#" + r.signature;
  const auto it = mine.find(key);
  if (it != mine.end() && (it->second.best.at_bound > r.best.at_bound ||
                           (it->second.best.at_bound == r.best.at_bound &&
                            it->second.best.non_default < r.best.non_default))) {
    ++it->second.cases;
    return;
  }
  Assignment a;
  facts_of(w.choice, &a);
  r.best.text = assignment_text(a) + dates_[date].to_string();
  keep_better(mine, key, std::move(r));
}

// The first `total` cases over the workers; the regions found, the best case of each.
void Search::search_cases(std::size_t total, std::vector<RegionAcc>& regions) const {
  const core::WorkerPool pool(core::WorkerPool::fitting(4));
  std::vector<Regions> found(pool.size());
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned w = 0; w < pool.size(); ++w) workers.push_back(std::make_unique<Worker>(*this));
  std::atomic<std::size_t> done{0}, regions_found{0};
  std::mutex progress_mutex;
  pool.for_each_chunk(total, 512, [&](unsigned w, std::size_t begin, std::size_t end) {
    const auto before = found[w].size();
    for (std::size_t index = begin; index < end; ++index) evaluate_case(*workers[w], index, found[w]);
    if (!options_.progress) return;
    regions_found += found[w].size() - before;
    const WitnessProgress p{progress_done_ + (done += end - begin), progress_total_, progress_regions_ + regions_found};
    const std::lock_guard lock(progress_mutex);
    options_.progress(p);
  });
  Regions all;
  for (auto& m : found) {
    for (auto& [k, r] : m) keep_better(all, k, std::move(r));
  }
  for (auto& [k, r] : all) regions.push_back(std::move(r));
}

// Everything up to the enumeration: the dates, what differs, the candidates. The number of cases (0 when
// OLD and NEW do not differ at these dates; SIZE_MAX when it does not fit).
std::size_t Search::prepare() {
  if (dates_.empty()) choose_dates();
  changes_ = compare_rulebooks(*sides_[0].policy, *sides_[1].policy, sides_[0].rules_option, sides_[1].rules_option);
  find_differences();
  if (differing_.empty()) return 0;
  close_relevance();
  collect();
  build_variables();
  return count_cases();
}

// The search itself (after prepare), over at most `budget` cases.
WitnessReport Search::run(std::size_t budget) {
  WitnessReport report;
  report.as_of_dates = dates_;
  report.changes = changes_;
  if (differing_.empty()) return report;
  std::size_t total = count_cases();
  report.candidate_cases = total;
  if (total > budget) {
    report.truncated = true;
    total = budget;
    describe_cut(total, report);
  }
  report.evaluations = total;
  std::vector<RegionAcc> regions;
  search_cases(total, regions);
  merge_regions(regions);
  std::sort(regions.begin(), regions.end(), [](const RegionAcc& a, const RegionAcc& b) {
    return std::tie(a.old_decision, a.new_decision, a.old_classes, a.new_classes, a.value_states, a.signature) <
           std::tie(b.old_decision, b.new_decision, b.old_classes, b.new_classes, b.value_states, b.signature);
  });
  for (const auto& r : regions) report.witnesses.push_back(make_witness(r));
  merge_by_cause(regions, report.witnesses);
  for (std::size_t i = 0; i < regions.size(); ++i) move_onto_catalog(regions[i], report.witnesses[i]);
  rank(report);
  return report;
}

}  // namespace edict::witness
