// find_witnesses: with the default dates, one search per date that matters. At each date only the rules in
// force there differ, so each search varies only the facts those rules read: the sum over the dates is far
// smaller than one search over all of them (the October 2023 EAR diff: about 0.2 million cases instead of
// more than 2 million). The budget is shared so that small dates finish and the rest is split evenly; the
// regions of all dates that make the same change are one region.
#include <algorithm>
#include <numeric>

#include "witness/search.hpp"

namespace edict {

namespace {

// Water-filling: each date gets its cases or an equal share of what is left, smallest first.
std::vector<std::size_t> share_budget(const std::vector<std::size_t>& counts, std::size_t budget) {
  std::vector<std::size_t> order(counts.size()), out(counts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] < counts[b]; });
  std::size_t left = budget;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto fair = left / (order.size() - k);
    out[order[k]] = std::min(counts[order[k]], fair);
    left -= out[order[k]];
  }
  return out;
}

std::size_t saturating_add(std::size_t a, std::size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

// The reports of the dates as one: the regions with the same transition (transition_key) and causes joined (their cases
// added; the witness of the earliest date kept, or the first on a catalog product).
WitnessReport joined(std::vector<WitnessReport>& parts, const std::vector<Date>& dates) {
  WitnessReport out;
  out.as_of_dates = dates;
  std::map<std::string, std::size_t> index;  // transition_key + causes -> position in out.witnesses
  for (auto& part : parts) {
    out.evaluations += part.evaluations;
    out.candidate_cases = saturating_add(out.candidate_cases, part.candidate_cases);
    if (out.changes.empty()) out.changes = part.changes;
    if (part.truncated) {
      out.truncated = true;
      const auto on = part.as_of_dates.empty() ? std::string() : "on " + part.as_of_dates.front().to_string() + ", ";
      out.cut += (out.cut.empty() ? "" : "; ") + on + part.cut;
    }
    for (auto& w : part.witnesses) {
      std::string key = witness::transition_key(w) + "#";
      for (const auto& c : w.cause) key += c + ";";
      const auto [it, fresh] = index.emplace(key, out.witnesses.size());
      if (fresh) {
        out.witnesses.push_back(std::move(w));
        continue;
      }
      auto& kept = out.witnesses[it->second];
      const auto cases = kept.cases + w.cases;
      if (kept.representative.empty() && !w.representative.empty()) kept = std::move(w);
      kept.cases = cases;
    }
  }
  if (out.truncated) {
    out.widen = out.candidate_cases == SIZE_MAX
                    ? "explore fewer dates (--as-of) or compare closer rulebooks: the search is too large to finish"
                    : "raise --max-evaluations to " + std::to_string(out.candidate_cases) +
                          " (WitnessOptions::max_evaluations), or explore fewer dates (--as-of)";
  }
  return out;
}

}  // namespace

WitnessReport find_witnesses(const Policy& old_policy, const Policy& new_policy, const WitnessOptions& options) {
  if (!options.as_of_dates.empty()) {
    witness::Search search(old_policy, new_policy, options);
    const auto cases = search.prepare();
    search.progress_offset(0, std::min(cases, options.max_evaluations), 0);
    return search.run(options.max_evaluations);
  }
  std::vector<Date> dates;
  {
    witness::Search all(old_policy, new_policy, options);
    dates = all.dates();
  }
  std::vector<std::unique_ptr<witness::Search>> searches;
  std::vector<std::size_t> counts;
  for (const auto d : dates) {
    auto one = options;
    one.as_of_dates = {d};
    searches.push_back(std::make_unique<witness::Search>(old_policy, new_policy, one));
    counts.push_back(searches.back()->prepare());
  }
  const auto budgets = share_budget(counts, options.max_evaluations);
  std::vector<WitnessReport> parts;
  const auto all = std::accumulate(budgets.begin(), budgets.end(), std::size_t{0});
  std::size_t done = 0, regions = 0;
  for (std::size_t i = 0; i < searches.size(); ++i) {
    searches[i]->progress_offset(done, all, regions);
    parts.push_back(searches[i]->run(budgets[i]));
    done += budgets[i];
    regions += parts.back().witnesses.size();
  }
  auto report = joined(parts, dates);
  witness::Search::rank(report);
  return report;
}

}  // namespace edict
