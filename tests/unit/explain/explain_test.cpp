// The answers for rule authors (edict/explain.hpp): the deciding path of --explain, the failed checks and
// nearest flipping values of --why-not, and the decision change of --what-if, on the chips example and the
// EAR pack.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "edict/edict.hpp"
#include "edict/explain.hpp"

#include "../support/ear_support.hpp"

namespace {

using edict::ConditionNode;
using edict::Date;
using edict::EvalOptions;
using edict::Facts;
using edict::FactChange;
using edict::FactValue;

Facts catalog_facts(const std::string& file, const std::string& country) {
  std::string error;
  auto facts = Facts::from_json(edict_test::read_text_file(edict_test::ear_pack_path() + "/catalog/" + file), &error);
  INFO(error);
  REQUIRE(facts);
  facts->set_string("destination.country", country);
  return *facts;
}

EvalOptions on(const char* date) {
  EvalOptions options;
  options.as_of = Date::parse(date);
  return options;
}

const edict::Policy& ear() {
  static const auto policy = edict_test::compile_ear();
  return *policy;
}

std::vector<std::string> leaf_texts(const ConditionNode& n) {
  std::vector<std::string> out;
  if (n.kind == ConditionNode::Kind::kCheck) {
    if (n.check) out.push_back(edict::trace_text(*n.check) + " -> " + n.check->result);
    return out;
  }
  for (const auto& k : n.children) {
    auto more = leaf_texts(k);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

bool has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

const edict::ExplainedEntity* named(const std::vector<edict::ExplainedEntity>& list, const std::string& name) {
  for (const auto& e : list) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("explain keeps the deciding path of the H800 to China", "[explain]") {
  const auto x = edict::explain(ear(), catalog_facts("h800.json", "CN"), on("2023-12-01"));
  REQUIRE(x.result.ok);
  CHECK(x.result.decision == "license_required");
  REQUIRE(x.rules.size() == 2);
  CHECK(x.rules[0].name == "license_ac_2023");
  CHECK(x.rules[1].name == "license_hq_2023");
  // The `or` of four labels keeps the one that decided it.
  const auto ac = leaf_texts(x.rules[0].condition);
  CHECK(has(ac, "classified \"3A090.a\" -> true"));
  CHECK(!has(ac, "classified \"3A090.b\" -> false"));
  // The label's rule, with the branch that decided it only.
  const auto* a = named(x.classifications, "eccn_3a090_a");
  REQUIRE(a);
  CHECK(leaf_texts(a->condition) == std::vector<std::string>{"product.kind ic == ic -> true",
                                                              "product.tpp 15832 >= 4800 -> true"});
  // The exemptions considered for the deciding rules, each with the check that made it fail.
  const auto* nac = named(x.exemptions, "NAC");
  REQUIRE(nac);
  CHECK(nac->status == edict::TraceStep::Status::kNotFired);
  CHECK(has(leaf_texts(nac->condition), "not product.datacenter -> false"));
  CHECK(nac->overrides == std::vector<std::string>{"license_ac_2023", "license_hq_2023"});
  CHECK(!named(x.exemptions, "ACA"));  // not in force on the date
  // Given or defaulted, in the text.
  const auto text = edict::render_explanation_text(x);
  CHECK(text.find("end_user.hq_country: default from destination.country") != std::string::npos);
  CHECK(text.find("product.tpp: given") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') <= 26);
}

TEST_CASE("explain of a default decision and of bad facts", "[explain]") {
  const auto x = edict::explain(ear(), catalog_facts("h20.json", "CN"), on("2024-06-01"));
  CHECK(x.result.decision == "no_license_required");
  CHECK(x.rules.empty());
  CHECK(edict::render_explanation_text(x).find("no rule decided") != std::string::npos);
  Facts bad;
  bad.set_string("product.tpp", "many");
  const auto y = edict::explain(ear(), bad, on("2024-06-01"));
  CHECK(!y.result.ok);
  CHECK(edict::render_explanation_json(y).find("\"error\"") != std::string::npos);
}

TEST_CASE("why-not names the threshold and the exact nearest value", "[explain][why-not]") {
  const auto w = edict::why_not(ear(), catalog_facts("h20.json", "CN"), on("2024-06-01"), "license_required");
  REQUIRE(w.error.empty());
  CHECK(w.result.decision == "no_license_required");
  CHECK(!w.already);
  bool tpp_2400 = false;
  for (const auto& p : w.label_paths) {
    if (p.entity != "eccn_3a090_b") continue;
    for (const auto& f : p.failed) {
      if (f.needs == "product.tpp >= 2400 (is 2368)") {
        REQUIRE(f.changes.size() == 1);
        CHECK(f.changes[0].text() == "product.tpp=2400");
        tpp_2400 = true;
      }
    }
  }
  CHECK(tpp_2400);
  // 2400 alone classifies 3A090.b, and NAC then applies: notify. TPP 4800 gives license_required.
  bool tried_2400 = false;
  for (const auto& t : w.singles) {
    if (t.changes[0].text() == "product.tpp=2400") {
      tried_2400 = true;
      CHECK(t.decision == "notify");
    }
  }
  CHECK(tried_2400);
  CHECK(w.single);
  REQUIRE(w.minimal.size() == 1);
  CHECK(w.minimal[0].text() == "product.tpp=4800");
  const auto text = edict::render_why_not_text(w);
  INFO(text);
  CHECK(text.find("2400") != std::string::npos);
  CHECK(text.find("2368") != std::string::npos);
}

TEST_CASE("why-not solves a derived value for each of its facts", "[explain][why-not]") {
  const auto w = edict::why_not(ear(), catalog_facts("h20.json", "CN"), on("2024-06-01"), "license_required");
  bool solved = false;
  for (const auto& p : w.label_paths) {
    if (p.entity != "eccn_3a090_a") continue;
    for (const auto& f : p.failed) {
      if (f.needs.rfind("performance_density >= 5.92", 0) != 0) continue;
      std::vector<std::string> texts;
      for (const auto& c : f.changes) texts.push_back(c.text());
      // 2368 / 5.92 = 400 exactly; 5.92 * 814 = 4818.88, the next integer TPP above is 4819.
      CHECK(has(texts, "product.die_area_mm2=400"));
      CHECK(has(texts, "product.tpp=4818.88"));
      solved = true;
    }
  }
  CHECK(solved);
}

TEST_CASE("why-not of an undeclared outcome, and of the decision itself", "[explain][why-not]") {
  const auto bad = edict::why_not(ear(), catalog_facts("h20.json", "CN"), on("2024-06-01"), "forbidden");
  CHECK(bad.error.find("`forbidden` is not an outcome") != std::string::npos);
  CHECK(bad.error.find("license_required") != std::string::npos);
  const auto same = edict::why_not(ear(), catalog_facts("h20.json", "CN"), on("2024-06-01"), "no_license_required");
  CHECK(same.already);
  CHECK(same.minimal.empty());
}

TEST_CASE("why-not gives the date from which a rule applies", "[explain][why-not]") {
  // The H20 letter of 2025-04-09 is not in force on 2024-06-01.
  const auto w = edict::why_not(ear(), catalog_facts("h20.json", "CN"), on("2024-06-01"), "license_required");
  bool letter = false;
  for (const auto& p : w.paths) {
    if (p.entity == "nvidia_h20_letter_2025") {
      REQUIRE(p.applies_from);
      CHECK(p.applies_from->to_string() == "2025-04-09");
      letter = true;
    }
  }
  CHECK(letter);
}

TEST_CASE("what-if reports the decision change and the trace difference", "[explain][what-if]") {
  const std::vector<FactChange> changes{{"product.tpp", FactValue{FactValue::Kind::kNumber, false, "4800"}}};
  const auto w = edict::what_if(ear(), catalog_facts("h20.json", "CN"), changes, on("2024-06-01"));
  CHECK(w.changed());
  CHECK(w.before.decision == "no_license_required");
  CHECK(w.after.decision == "license_required");
  CHECK(std::any_of(w.trace_diff.begin(), w.trace_diff.end(), [](const edict::TraceDiffStep& d) { return d.mark == '~'; }));
  const auto text = edict::render_what_if_text(w);
  CHECK(text.find("decision: no_license_required -> license_required") != std::string::npos);
  CHECK(text.find("~ rule eccn_3a090_a: not fired") != std::string::npos);
  CHECK(text.find("-   product.tpp 2368 >= 4800 -> false") != std::string::npos);
  CHECK(text.find("+   product.tpp 4800 >= 4800 -> true") != std::string::npos);
}

TEST_CASE("with_changes replaces a value and a whole subtree", "[explain][what-if]") {
  Facts facts;
  facts.set_number("product.tpp", "2368");
  facts.set_string("destination.country", "CN");
  const auto changed = edict::with_changes(facts, {{"product.tpp", FactValue{FactValue::Kind::kNumber, false, "4800"}}});
  REQUIRE(changed.find("product.tpp"));
  CHECK(changed.find("product.tpp")->value.text == "4800");
  CHECK(changed.find("destination.country")->value.text == "CN");
}
