// The search driver: the dates to explore, the enumeration of every case (a candidate of each variable at
// each date) on both policies, spread over worker threads, and the regions where the decisions or
// classifications differ, keyed by the truth of the changed rules' checks.
#include <algorithm>
#include <tuple>

#include "core/worker_pool.hpp"
#include "witness/search.hpp"

namespace edict {
namespace witness {

namespace {

Date latest_rulebook() { return Date::from_days(Date::max().days() - 1); }

char truth_char(eval::Truth t) { return t == eval::Truth::kTrue ? '1' : t == eval::Truth::kFalse ? '0' : '?'; }

// Adds region `r` under `key`, or keeps the better case of the two.
void keep_better(std::map<std::string, RegionAcc>& regions, const std::string& key, RegionAcc&& r) {
  const auto it = regions.find(key);
  if (it == regions.end()) {
    regions.emplace(key, std::move(r));
  } else if (r.best.better_than(it->second.best)) {
    it->second = std::move(r);
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

// Per-thread state: the evaluator's probes of both sides and scratch.
struct Search::Worker {
  explicit Worker(const Search& search)
      : probe{eval::Probe(*search.sides_[0].p), eval::Probe(*search.sides_[1].p)}, choice(search.variables_.size()) {}
  eval::Probe probe[2];
  std::vector<std::size_t> choice;
  eval::BoundFacts bound;
  std::vector<std::uint32_t> conditions;
  std::vector<eval::CheckTruth> checks;
};

Search::Search(const Policy& old_policy, const Policy& new_policy, const WitnessOptions& options) : options_(options) {
  const Policy* policies[2] = {&old_policy, &new_policy};
  const std::optional<Date> rules[2] = {options.old_rules_as_of, options.new_rules_as_of};
  for (int i = 0; i < 2; ++i) {
    sides_[i].policy = policies[i];
    sides_[i].p = &program_of(*policies[i]);
    sides_[i].rules_option = rules[i];
    sides_[i].rules = rules[i].value_or(latest_rulebook());
    sides_[i].probe = std::make_unique<eval::Probe>(*sides_[i].p);
  }
}

void Search::choose_dates() {
  if (!options_.as_of_dates.empty()) {
    dates_ = options_.as_of_dates;
  } else {
    std::set<Date> set;
    auto add = [&](Date d) {
      if (d == Date::min() || d == Date::max()) return;
      set.insert(d);
      set.insert(Date::from_days(d.days() - 1));
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
    if (set.empty()) {
      set.insert(Date::from_days(0));
    } else {
      set.insert(Date::from_days(set.rbegin()->days() + 1));
    }
    dates_.assign(set.begin(), set.end());
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

// Case `index` on both policies: when they disagree, its region in `mine` keeps the better of the two cases.
void Search::evaluate_case(Worker& w, std::size_t index, Regions& mine) const {
  std::size_t rest = overflow_ ? index : index % per_date_;
  const std::size_t date = overflow_ ? 0 : index / per_date_;
  for (std::size_t i = variables_.size(); i-- > 0;) {
    w.choice[i] = rest % radix_[i];
    rest /= radix_[i];
  }
  const Facts facts = facts_of(w.choice);
  EvalResult res[2];
  for (int i = 0; i < 2; ++i) {
    EvalOptions eo;
    eo.as_of = dates_[date];
    eo.rules_as_of = sides_[i].rules_option;
    res[i] = sides_[i].policy->evaluate(facts, eo);
    if (!res[i].ok) res[i].decision = "error";
  }
  if (res[0].decision == res[1].decision && res[0].classifications == res[1].classifications) return;
  RegionAcc r;
  r.old_decision = res[0].decision;
  r.new_decision = res[1].decision;
  r.old_classes = res[0].classifications;
  r.new_classes = res[1].classifications;
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
  pool.for_each_chunk(total, 512, [&](unsigned w, std::size_t begin, std::size_t end) {
    for (std::size_t index = begin; index < end; ++index) evaluate_case(*workers[w], index, found[w]);
  });
  Regions all;
  for (auto& m : found) {
    for (auto& [k, r] : m) keep_better(all, k, std::move(r));
  }
  for (auto& [k, r] : all) regions.push_back(std::move(r));
}

WitnessReport Search::run() {
  WitnessReport report;
  choose_dates();
  find_differences();
  if (differing_.empty()) return report;
  close_relevance();
  collect();
  build_variables();
  std::size_t total = count_cases();
  if (total > options_.max_evaluations) {
    report.truncated = true;
    total = options_.max_evaluations;
  }
  report.evaluations = total;
  std::vector<RegionAcc> regions;
  search_cases(total, regions);
  merge_regions(regions);
  std::sort(regions.begin(), regions.end(), [](const RegionAcc& a, const RegionAcc& b) {
    return std::tie(a.old_decision, a.new_decision, a.old_classes, a.new_classes, a.signature) <
           std::tie(b.old_decision, b.new_decision, b.old_classes, b.new_classes, b.signature);
  });
  for (const auto& r : regions) report.witnesses.push_back(make_witness(r));
  return report;
}

}  // namespace witness

WitnessReport find_witnesses(const Policy& old_policy, const Policy& new_policy, const WitnessOptions& options) {
  witness::Search search(old_policy, new_policy, options);
  return search.run();
}

}  // namespace edict
