// A reused Session gives exactly what a fresh evaluation gives, whatever came before it. The evaluator
// keeps state across evaluations (rules in force per date pair, enumeration membership bits per date pair,
// normalised names); this test interleaves dates that repeat, alternate and change, rulebook dates, traced
// and untraced runs, and decide() and evaluate(), and compares every result with a one-shot evaluation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <edict/policy.hpp>
#include <edict/render.hpp>
#include <fmt/format.h>

#include "../support/semantic_support.hpp"

namespace {

using edict_test::compile_ok;
using edict_test::date;

const std::string kEarDir = std::string(EDICT_SOURCE_DIR) + "/policies/ear";

std::vector<edict::Facts> catalog_products() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kEarDir + "/catalog")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<edict::Facts> products;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    std::string error;
    auto facts = edict::Facts::from_json(text.str(), &error, file.string());
    REQUIRE(facts);
    products.push_back(std::move(*facts));
  }
  return products;
}

struct Case {
  std::size_t product;
  const char* country;
  const char* end_user;  // "" = none
  const char* as_of;
  const char* rules_as_of;  // "" = latest
  bool trace;
};

}  // namespace

TEST_CASE("a reused Session agrees with one-shot evaluation across changing dates and rulebooks", "[eval][session]") {
  const auto compiled = edict::compile_path(kEarDir);
  REQUIRE(compiled.ok());
  const auto& policy = compiled.policy;
  const auto products = catalog_products();
  REQUIRE(products.size() >= 10);

  const char* const countries[] = {"CN", "US", "MO", "AE", "CY", "IL", "NI", "GB"};
  const char* const end_users[] = {"", "Inspur Group Co., Ltd.", "inspur group", "Zhipu AI", "Acme GmbH"};
  // Runs of equal dates, alternation, a rulebook date before the 2023 rule, and dates on rule boundaries.
  const char* const as_ofs[] = {"2023-12-01", "2023-12-01", "2023-12-01", "2022-06-01", "2023-12-01",
                                "2022-06-01", "2023-11-16", "2023-11-17", "2025-01-20", "2025-06-01"};
  const char* const rules_as_ofs[] = {"", "", "2023-10-16", "", "2025-05-12", ""};

  std::vector<Case> cases;
  std::size_t n = 0;
  for (const char* as_of : as_ofs) {
    for (std::size_t p = 0; p < products.size(); p += 2) {
      for (const char* country : countries) {
        const char* end_user = end_users[n % std::size(end_users)];
        const char* rules_as_of = rules_as_ofs[(n / 7) % std::size(rules_as_ofs)];
        cases.push_back({p, country, end_user, as_of, rules_as_of, n % 5 == 0});
        ++n;
      }
    }
  }

  edict::Session session(*policy);
  std::size_t checked = 0;
  for (const auto& c : cases) {
    edict::Facts facts = products[c.product];
    facts.set_string("destination.country", c.country);
    if (*c.end_user) facts.set_string("end_user.name", c.end_user);
    edict::EvalOptions options;
    options.as_of = date(c.as_of);
    if (*c.rules_as_of) options.rules_as_of = date(c.rules_as_of);
    options.trace = c.trace;
    const std::string context = fmt::format("product #{} to {} for '{}' as of {} (rules {}), trace {}", c.product,
                                            c.country, c.end_user, c.as_of, c.rules_as_of, c.trace);
    INFO(context);

    const auto expected = policy->evaluate(facts, options);
    const auto expected_json = edict::render_json(expected);
    CHECK(edict::render_json(session.evaluate(facts, options)) == expected_json);
    const auto& decided = session.decide(facts, options);
    CHECK(decided.ok == expected.ok);
    CHECK(std::string(decided.decision) == expected.decision);
    ++checked;
  }
  CHECK(checked == cases.size());
}

// Found by the batch fuzzer: the binding cache of a fresh Session matched an empty fact path ("") to the
// first fact of the schema, so `{"": {...}}` was bound as `product.tpp`.
TEST_CASE("a fact with an empty path is an unknown fact, for a fresh Session too", "[eval][session]") {
  const auto policy = compile_ok(R"(policy "p"
  outcomes yes > no
  default no
end
fact product.tpp : decimal "TPP"
rule big
  title "big"
  citation "c"
  when product.tpp >= 4800
  then yes
end
)");
  std::string error;
  const auto facts = edict::Facts::from_json(R"({"": {"tpp": 5000}, "product": {"tpp": 5000}})", &error);
  REQUIRE(facts);
  edict::EvalOptions options;
  options.as_of = date("2024-01-01");
  for (const bool fresh_policy_call : {true, false}) {
    edict::Session session(*policy);
    const auto result = fresh_policy_call ? policy->evaluate(*facts, options) : session.evaluate(*facts, options);
    CHECK(result.ok);
    CHECK(result.decision == "yes");
    CHECK(std::find(result.warnings.begin(), result.warnings.end(), "unknown fact `` is ignored") != result.warnings.end());
  }
}

// A parameter without a value at the second evaluation's date must not keep the first evaluation's value.
TEST_CASE("a reused Session forgets a parameter value that is not in force any more", "[eval][session]") {
  const auto policy = compile_ok(R"(policy "p"
  outcomes yes > no
  default no
end
fact x : decimal "x"
parameter cap
  1000 from 2024-01-01
  none from 2025-01-01
end
rule big
  title "big"
  citation "c"
  when x >= cap
  then yes
end
)");
  edict::Facts facts;
  facts.set_number("x", "5000");
  edict::Session session(*policy);
  for (const char* as_of : {"2024-06-01", "2023-06-01", "2024-06-01", "2025-06-01"}) {
    INFO(as_of);
    edict::EvalOptions options;
    options.as_of = date(as_of);
    const auto expected = policy->evaluate(facts, options);
    CHECK(expected.decision == (std::string(as_of).starts_with("2024") ? "yes" : "indeterminate"));
    CHECK(edict::render_json(session.evaluate(facts, options)) == edict::render_json(expected));
    CHECK(std::string(session.decide(facts, options).decision) == expected.decision);
  }
}

// An evaluation stopped by the step limit in the middle of a membership test must not leave a remembered
// membership behind: the next evaluation at the same dates, with steps enough, decides as a fresh one.
TEST_CASE("a reused Session stopped by the step limit decides the next case correctly", "[eval][session]") {
  // `us in h` walks all 2^13 nodes of the k-chain (CA only) before it finds US in g0.
  std::string policy_text = R"(policy "p"
  outcomes deny > allow
  default allow
end
use iso3166
fact destination.country : country "Destination"
group g0 : country
  members {US}
end
group k0 : country
  members {CA}
end
)";
  for (int i = 1; i <= 12; ++i) policy_text += fmt::format("group k{} : country = k{} union k{} end\n", i, i - 1, i - 1);
  policy_text += R"(group h : country = k12 union g0 end
rule r
  title "r"
  citation "c"
  when destination.country in h
  then deny
end
)";
  const auto policy = compile_ok(policy_text);
  edict::Facts facts;
  facts.set_string("destination.country", "US");
  edict::EvalOptions starved;
  starved.as_of = date("2024-01-01");
  starved.limits = policy->limits();
  starved.limits->eval_steps = 100;
  edict::EvalOptions enough = starved;
  enough.limits->eval_steps = 1'000'000;

  CHECK(policy->evaluate(facts, enough).decision == "deny");
  edict::Session session(*policy);
  CHECK_FALSE(session.evaluate(facts, starved).ok);
  CHECK(session.evaluate(facts, enough).decision == "deny");
  CHECK(std::string(session.decide(facts, enough).decision) == "deny");
}

// A Session keeps what depends on the dates only through the program's dates (the rules in force, the sets'
// members) while the dates stay between two of them: random dates, many close to the pack's boundaries,
// decided by one Session and each by a fresh one.
TEST_CASE("a reused Session agrees with fresh ones on random dates around the rules' boundaries", "[eval][session]") {
  const auto compiled = edict::compile_path(kEarDir);
  REQUIRE(compiled.ok());
  const auto& policy = compiled.policy;
  const auto products = catalog_products();
  const char* const boundaries[] = {"2022-10-07", "2023-10-23", "2023-11-17", "2024-04-04", "2025-01-15",
                                    "2025-05-13", "2023-10-16", "2025-01-13"};
  const char* const countries[] = {"CN", "US", "MO", "AE", "VN"};
  std::mt19937 random(1807);
  const auto some_date = [&] {
    if (random() % 2 == 0) {  // a boundary, or a day next to one
      const auto d = date(boundaries[random() % std::size(boundaries)]).days() + static_cast<int>(random() % 3) - 1;
      return edict::Date::from_days(d);
    }
    return edict::Date::from_days(date("2022-01-01").days() + static_cast<int>(random() % 1500));
  };
  edict::Session session(*policy);
  for (int i = 0; i < 3000; ++i) {
    edict::Facts facts = products[random() % products.size()];
    facts.set_string("destination.country", countries[random() % std::size(countries)]);
    edict::EvalOptions options;
    options.as_of = some_date();
    if (random() % 3 == 0) options.rules_as_of = some_date();
    INFO(options.as_of->to_string() << " rules " << (options.rules_as_of ? options.rules_as_of->to_string() : "latest"));
    edict::Session fresh(*policy);
    const auto& expected = fresh.decide(facts, options);
    const auto& decided = session.decide(facts, options);
    REQUIRE(decided.ok == expected.ok);
    REQUIRE(std::string(decided.decision) == std::string(expected.decision));
    REQUIRE(decided.classifications == expected.classifications);
    REQUIRE(decided.deciding_rules == expected.deciding_rules);
  }
}
