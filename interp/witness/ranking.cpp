// Regions as a reviewer reads them: regions that make the same change (the same decisions and
// classifications on both sides, for the same causes) are one region, whatever the facts that do not matter
// to that change; a witness is moved onto a product of the catalog when one lies in its region; and the
// regions are ranked, decision changes first, each kind by its share of the cases explored.
#include <algorithm>
#include <tuple>

#include "render/values.hpp"
#include "witness/search.hpp"

namespace edict::witness {

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += x + ";";
  return out;
}

// One region for several with the same change: a check keeps its truth where every member agrees on it,
// else it does not matter ('*'); the best case of all is the witness, and the cases add up.
RegionAcc merged(const std::vector<RegionAcc>& regions, const std::vector<std::size_t>& members) {
  RegionAcc m = regions[members[0]];
  m.cases = 0;
  for (const auto i : members) {
    const auto& r = regions[i];
    m.cases += r.cases;
    for (std::size_t k = 0; k + 1 < m.signature.size(); k += 2) {
      if (m.signature.compare(k, 2, r.signature, k, 2) != 0) m.signature[k] = m.signature[k + 1] = '*';
    }
    if (r.best.better_than(m.best)) {
      m.best = r.best;
      m.choice = r.choice;
      m.date = r.date;
    }
  }
  return m;
}

}  // namespace

// Regions (and their witnesses, in the same order) with the same decisions, classifications and causes are
// merged: the checks on which they differ are facts that do not matter to that change.
void Search::merge_by_cause(std::vector<RegionAcc>& regions, std::vector<Witness>& witnesses) const {
  std::map<std::string, std::vector<std::size_t>> by;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const auto key = coarse_key(regions[i]) + "#" + joined(witnesses[i].cause);
    if (by[key].empty()) order.push_back(key);
    by[key].push_back(i);
  }
  std::vector<RegionAcc> next_regions;
  std::vector<Witness> next_witnesses;
  for (const auto& key : order) {
    const auto& members = by[key];
    if (members.size() == 1) {
      next_regions.push_back(std::move(regions[members[0]]));
      next_witnesses.push_back(std::move(witnesses[members[0]]));
      continue;
    }
    next_regions.push_back(merged(regions, members));
    next_witnesses.push_back(make_witness(next_regions.back()));
  }
  regions = std::move(next_regions);
  witnesses = std::move(next_witnesses);
}

// The first catalog entry that lies in the region: with its facts (those of either schema) in place of the
// witness's, both sides give the region's decisions and classifications for the same causes, and every check
// that defines the region keeps its truth. The witness's other facts and its date stay.
void Search::move_onto_catalog(const RegionAcc& r, Witness& w) const {
  if (options_.catalog.empty()) return;
  Worker worker(*this);
  for (const auto& [name, product] : options_.catalog) {
    Facts facts;
    for (const auto& e : w.facts.entries()) {
      if (product.find(e.path) == nullptr) facts.set(e.path, e.value, e.source);
    }
    bool any = false;
    for (const auto& e : product.entries()) {
      if (slot(e.path) == nullptr || w.facts.find(e.path) == nullptr) continue;
      facts.set(e.path, e.value, name);
      any = true;
    }
    if (!any) continue;
    Witness moved;
    moved.facts = std::move(facts);
    moved.as_of = w.as_of;
    for (int i = 0; i < 2; ++i) {
      EvalOptions eo;
      eo.as_of = w.as_of;
      eo.rules_as_of = sides_[i].rules_option;
      eo.trace = true;
      (i == 0 ? moved.old_result : moved.new_result) = sides_[i].policy->evaluate(moved.facts, eo);
    }
    if (!moved.old_result.ok || !moved.new_result.ok) continue;
    if (moved.old_result.decision != r.old_decision || moved.new_result.decision != r.new_decision ||
        moved.old_result.classifications != r.old_classes || moved.new_result.classifications != r.new_classes ||
        value_changes(moved.old_result.values, moved.new_result.values, /*states_only=*/true) != r.value_states) {
      continue;
    }
    if (causes(moved) != w.cause) continue;
    const auto sig = signature(worker, moved.facts, w.as_of);
    bool inside = true;
    for (std::size_t k = 0; k < sig.size() && inside; ++k) inside = r.signature[k] == '*' || r.signature[k] == sig[k];
    if (!inside) continue;
    w.facts = std::move(moved.facts);
    w.old_result = std::move(moved.old_result);
    w.new_result = std::move(moved.new_result);
    w.representative = name;
    // The region's outputs change, but the values themselves are this case's.
    const auto values = value_changes(w.old_result.values, w.new_result.values);
    w.transition = transition_text(r, values);
    w.region = describe(r, values);
    return;
  }
}

// Decision changes first, then value changes, then classification-only changes (change_kind); each by its
// share of the cases explored.
void Search::rank(WitnessReport& report) {
  std::stable_sort(report.witnesses.begin(), report.witnesses.end(), [](const Witness& a, const Witness& b) {
    return std::make_tuple(change_kind(a), b.cases, std::cref(a.transition), std::cref(a.where)) <
           std::make_tuple(change_kind(b), a.cases, std::cref(b.transition), std::cref(b.where));
  });
}

}  // namespace edict::witness
