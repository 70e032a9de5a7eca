// Issue 16: witness reports a reviewer can read: a search cut by its bound keeps what it found and says how
// to widen it; the default dates are the dates that matter; causes name what changed (compare_rulebooks,
// refine_cause); regions are one per change, ranked; the most significant group member is the witness.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support/semantic_support.hpp"
#include "edict/diff.hpp"
#include "edict/witness.hpp"

using edict_test::compile_ok;
using edict_test::date;

namespace {

const std::string kFixtureDir = std::string(EDICT_SOURCE_DIR) + "/tests/golden/policies/amend_causes";

std::vector<edict::SourceFile> read_dir(const std::string& dir) {
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".edict") paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<edict::SourceFile> out;
  for (const auto& p : paths) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back({p, ss.str()});
  }
  return out;
}

std::string keys(const std::vector<edict::RulebookChange>& changes) {
  std::string out;
  for (const auto& c : changes) out += c.key + "\n";
  return out;
}

bool has_key(const std::vector<edict::RulebookChange>& changes, const std::string& key) {
  return std::any_of(changes.begin(), changes.end(), [&](const auto& c) { return c.key == key; });
}

}  // namespace

TEST_CASE("compare_rulebooks names each kind of change of an amendment", "[witness][diff]") {
  auto policy = compile_ok(read_dir(kFixtureDir));
  const auto changes = edict::compare_rulebooks(*policy, *policy, date("2024-02-01"), date("2024-03-01"));
  INFO(keys(changes));
  CHECK(has_key(changes, "rule tiny_order: added"));
  CHECK(has_key(changes, "rule huge_order: removed"));
  CHECK(has_key(changes, "rule watched_origin: condition changed"));
  CHECK(has_key(changes, "exemption small_gift: overrides +watched_origin"));
  CHECK(has_key(changes, "rule vietnam_window: in force from 2024-01-01 until 2024-06-01 -> from 2024-01-01 until 2024-09-01"));
  CHECK(has_key(changes, "group watched: HK"));
  CHECK(has_key(changes, "parameter cap: 1000 from 2020-01-01 -> 1000 from 2020-01-01, 1500 from 2024-04-01"));
  const auto cond = std::find_if(changes.begin(), changes.end(), [](const auto& c) {
    return c.kind == edict::RulebookChange::Kind::kCondition;
  });
  REQUIRE(cond != changes.end());
  // Both conditions, as written.
  CHECK(cond->text.find("order.amount >= 100") != std::string::npos);
  CHECK(cond->text.find("order.amount >= 50") != std::string::npos);
  CHECK(cond->defined_by == "Fixture amendment");
  // The same rulebook on both sides: nothing changed.
  CHECK(edict::compare_rulebooks(*policy, *policy, date("2024-03-01"), date("2024-03-02")).empty());
}

TEST_CASE("refine_cause: an exemption whose overrides list changed is not reported as added", "[witness][diff]") {
  auto policy = compile_ok(read_dir(kFixtureDir));
  edict::DiffOptions options;
  options.old_rules_as_of = date("2024-02-01");
  options.new_rules_as_of = date("2024-03-01");
  // A gift from China: OLD denies it (watched_origin, which small_gift does not override), NEW allows it.
  const auto d = edict::diff_case(*policy, *policy,
                                  edict_test::facts_json(R"({"order":{"amount":500,"origin":"CN","gift":true}})"),
                                  date("2024-03-15"), options);
  REQUIRE(d.changed);
  INFO(d.cause.key());
  CHECK(std::find(d.cause.atoms.begin(), d.cause.atoms.end(), "exemption small_gift: added") == d.cause.atoms.end());
  CHECK(std::find(d.cause.atoms.begin(), d.cause.atoms.end(), "exemption small_gift: overrides +watched_origin") !=
        d.cause.atoms.end());
}

TEST_CASE("witnesses: a tiny budget still returns regions, names the cut and how to widen it", "[witness]") {
  auto policy = compile_ok(read_dir(kFixtureDir));
  edict::WitnessOptions options;
  options.old_rules_as_of = date("2024-02-01");
  options.new_rules_as_of = date("2024-03-01");
  const auto full = edict::find_witnesses(*policy, *policy, options);
  REQUIRE_FALSE(full.truncated);
  REQUIRE(full.witnesses.size() > 1);
  options.max_evaluations = full.candidate_cases / 3;
  const auto cut = edict::find_witnesses(*policy, *policy, options);
  CHECK(cut.truncated);
  CHECK(cut.evaluations == options.max_evaluations);
  CHECK_FALSE(cut.witnesses.empty());
  CHECK(cut.cut.find("explored") != std::string::npos);
  CHECK(cut.widen.find("--max-evaluations to " + std::to_string(full.candidate_cases)) != std::string::npos);
  // Every date is explored even when cut.
  CHECK(cut.as_of_dates == full.as_of_dates);
}

TEST_CASE("witnesses: default dates are the change dates within the rulebooks' window", "[witness]") {
  auto policy = compile_ok(read_dir(kFixtureDir));
  edict::WitnessOptions options;
  options.old_rules_as_of = date("2024-02-01");
  options.new_rules_as_of = date("2024-03-01");
  const auto report = edict::find_witnesses(*policy, *policy, options);
  // From the earlier rulebook date: the window start, HK / cap / tiny_order (2024-04-01), the two ends of
  // vietnam_window (2024-06-01 in OLD, 2024-09-01 in NEW).
  std::vector<edict::Date> expected = {date("2024-02-01"), date("2024-04-01"), date("2024-06-01"), date("2024-09-01")};
  CHECK(report.as_of_dates == expected);
}

TEST_CASE("witnesses: ranked decision changes first, one region per change, with what changed", "[witness]") {
  auto policy = compile_ok(read_dir(kFixtureDir));
  edict::WitnessOptions options;
  options.old_rules_as_of = date("2024-02-01");
  options.new_rules_as_of = date("2024-03-01");
  const auto report = edict::find_witnesses(*policy, *policy, options);
  INFO(edict::render_witnesses_text(report, {true, 100}));
  REQUIRE_FALSE(report.witnesses.empty());
  bool seen_classification_only = false;
  std::size_t last_cases = SIZE_MAX;
  for (const auto& w : report.witnesses) {
    if (!w.decision_changed) seen_classification_only = true;
    CHECK((w.decision_changed ? !seen_classification_only : true));
    if (w.decision_changed) {
      CHECK(w.cases <= last_cases);
      last_cases = w.cases;
    }
    CHECK(w.cases > 0);
    CHECK_FALSE(w.transition.empty());
  }
  // The group change: HK is the witness of the region it opens, with the membership change and its date.
  const auto hk = std::find_if(report.witnesses.begin(), report.witnesses.end(), [](const edict::Witness& w) {
    const auto* e = w.facts.find("order.origin");
    return e != nullptr && e->value.text == "HK" && w.decision_changed &&
           std::find(w.cause.begin(), w.cause.end(), "group watched") != w.cause.end();
  });
  REQUIRE(hk != report.witnesses.end());
  CHECK(std::any_of(hk->changes.begin(), hk->changes.end(),
                    [](const std::string& c) { return c.find("HK joins on 2024-04-01") != std::string::npos; }));
  // No two regions make the same change.
  for (std::size_t i = 0; i < report.witnesses.size(); ++i) {
    for (std::size_t j = i + 1; j < report.witnesses.size(); ++j) {
      const auto& a = report.witnesses[i];
      const auto& b = report.witnesses[j];
      CHECK_FALSE((a.transition == b.transition && a.cause == b.cause));
    }
  }
}

TEST_CASE("witnesses: the most significant group member is the witness (CN before AD)", "[witness]") {
  const std::string text = R"(policy "Members"
  outcomes deny > allow
  default allow
end
use iso3166
fact order.origin : country "origin"
group big : country
  members {CN, AD}
end
group other : country
  members {CN, RU}
end
rule r
  title "r"
  citation "c"
  when order.origin in big and not (order.origin in {RU})
  then deny because "big"
end
)";
  std::string new_text = text;
  new_text.replace(new_text.find("then deny"), 9, "then allow");
  auto old_policy = compile_ok(text);
  auto new_policy = compile_ok(new_text);
  const auto report = edict::find_witnesses(*old_policy, *new_policy, {});
  REQUIRE(report.witnesses.size() == 1);
  CHECK(report.witnesses[0].facts.find("order.origin")->value.text == "CN");
}

TEST_CASE("changelog: one entry per publication date, with its changes and decision-change regions", "[witness]") {
  auto policy = compile_ok(read_dir(kFixtureDir));
  const auto entries = edict::changelog(*policy, {});
  REQUIRE(entries.size() == 1);
  const auto& e = entries[0];
  CHECK(e.published == date("2024-03-01"));
  CHECK(e.amendments == std::vector<std::string>{"Fixture amendment"});
  CHECK(e.changes.size() == 7);
  REQUIRE_FALSE(e.regions.witnesses.empty());
  for (const auto& w : e.regions.witnesses) CHECK(w.decision_changed);
  const auto text = edict::render_changelog_text(entries);
  CHECK(text.find("== published 2024-03-01") != std::string::npos);
  CHECK(text.find("exemption small_gift: overrides +watched_origin") != std::string::npos);
}

TEST_CASE("witnesses: progress reaches the cases evaluated, one call at a time", "[witness]") {
  auto policy = compile_ok(read_dir(kFixtureDir));
  edict::WitnessOptions options;
  options.old_rules_as_of = date("2024-02-01");
  options.new_rules_as_of = date("2024-03-01");
  std::size_t calls = 0, last = 0, total = 0;
  options.progress = [&](const edict::WitnessProgress& p) {
    ++calls;
    last = std::max(last, p.cases_done);
    total = p.cases_total;
  };
  const auto report = edict::find_witnesses(*policy, *policy, options);
  CHECK(calls > 0);
  CHECK(last == report.evaluations);
  CHECK(total == report.evaluations);
}
