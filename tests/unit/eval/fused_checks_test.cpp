// The commonest checks have a fused form that the untraced evaluation decides from the fact values directly
// (a number fact against a constant or between two, an enumeration fact against a code or in a set, the
// quotient of two facts against a constant by cross-multiplication, a definition already computed against
// constants, `not classified`); a traced evaluation always takes the general path. So
// each random case here is decided both ways and must agree on everything, including the exact number of
// evaluation steps (Limits::eval_steps): the smallest limit that lets the case finish is the same.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <edict/render.hpp>
#include <fmt/format.h>

#include "../support/semantic_support.hpp"
#include "../support/step_limits.hpp"
#include "api/internals.hpp"
#include "eval/evaluator.hpp"

namespace {

using edict_test::compile_ok;
using edict_test::date;
using edict_test::steps_to_finish;

const char* const kPolicy = R"(policy "fused checks"
  outcomes deny > review > allow
  default allow
end

use iso3166

fact product.kind : optional one of "ic", "hbm", "computer" "Kind"
fact product.tpp : optional decimal "TPP"
fact product.area : optional decimal "Die area"
fact destination.country : optional country "Destination"
fact product.datacenter : optional bool "Datacenter"
fact end_user.name : optional string "End user"
fact consignee.name : optional string default end_user.name "Consignee"

define density = product.tpp / product.area
define signed_density = product.tpp / product.area
define reused = product.area / product.tpp

group embargoed : country = {CN, RU, IR}

group listed : name
  members {"Acme" aka "Acme Widgets", "Moore Threads"}
  remove {"Acme"} from 2024-03-01
end

rule big
  title "big" citation "b"
  when product.datacenter or product.tpp >= 6000
  then classify "big"
end

rule high
  title "high" citation "h"
  when product.tpp >= 4800 and destination.country in embargoed
  then deny because "high"
end

rule dense
  title "dense" citation "d"
  when product.kind == "ic" and density >= 5.92 and destination.country in embargoed
  then deny because "dense"
end

rule elsewhere
  title "elsewhere" citation "e"
  when destination.country not in embargoed and product.kind != "hbm" and (product.tpp < 100 or signed_density <= 0.25)
  then review because "elsewhere"
end

rule reused_twice
  title "reused" citation "r"
  when reused > 0.5 and reused < 3
  then review because "reused"
end

rule ranged
  title "ranged" citation "g"
  when 100 <= product.tpp < 4800 and 0.5 < reused <= 3
  then review because "ranged"
end

rule listed_party
  title "listed" citation "l"
  when end_user.name matches listed or consignee.name matches listed
  then deny because "listed"
end

rule anonymous
  title "anonymous" citation "a"
  when (destination.country is absent or not product.datacenter) and classified "big"
  then review because "anonymous"
end

rule small_known
  title "small" citation "s"
  when product.tpp is present and not classified "big" and product.kind is present
  then review because "small"
end
)";

// A fact value, or absent (""): whole numbers, decimals, negatives and zero, so that the fused forms meet the
// values they take and those they leave to the general path (a fraction, a zero divisor, an absent fact).
std::string pick(std::mt19937& random, const std::vector<std::string>& choices) {
  return choices[std::uniform_int_distribution<std::size_t>(0, choices.size() - 1)(random)];
}

std::string random_facts(std::mt19937& random) {
  const std::vector<std::string> kinds = {"", "\"ic\"", "\"hbm\"", "\"computer\""};
  const std::vector<std::string> numbers = {"", "0", "1", "-3", "99", "100", "4800", "4799.5", "4800.25",
                                            "5920", "1000", "-1000", "592", "12.5", "6000", "1e3"};
  const std::vector<std::string> countries = {"", "\"CN\"", "\"RU\"", "\"US\"", "\"DE\"", "\"IR\""};
  const std::vector<std::string> booleans = {"", "true", "false"};
  const std::vector<std::string> names = {"", "\"Acme\"", "\"ACME WIDGETS, Inc.\"", "\"Moore Threads Co., Ltd.\"",
                                          "\"Moore\"", "\"The Acme Co.\""};
  std::vector<std::string> fields;
  const auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) fields.push_back(fmt::format("\"{}\": {}", name, value));
  };
  std::vector<std::string> product;
  const auto kind = pick(random, kinds), tpp = pick(random, numbers), area = pick(random, numbers);
  if (!kind.empty()) product.push_back("\"kind\": " + kind);
  if (!tpp.empty()) product.push_back("\"tpp\": " + tpp);
  if (!area.empty()) product.push_back("\"area\": " + area);
  const auto datacenter = pick(random, booleans);
  if (!datacenter.empty()) product.push_back("\"datacenter\": " + datacenter);
  add("product", "{" + fmt::format("{}", fmt::join(product, ", ")) + "}");
  const auto country = pick(random, countries);
  if (!country.empty()) add("destination", "{\"country\": " + country + "}");
  const auto user = pick(random, names), consignee = pick(random, names);
  if (!user.empty()) add("end_user", "{\"name\": " + user + "}");
  if (!consignee.empty()) add("consignee", "{\"name\": " + consignee + "}");
  return "{" + fmt::format("{}", fmt::join(fields, ", ")) + "}";
}

// The smallest step limit under which `finishes` succeeds.
}  // namespace

TEST_CASE("fused checks decide as the general path does, in the same number of steps", "[eval][fused]") {
  const auto policy = compile_ok(kPolicy);
  const auto& program = edict::detail::Internals::program(*policy);
  std::mt19937 random(20261207);
  edict::Session reused(*policy);  // one session for all cases: its memo must not leak between them
  int fused_decided = 0;
  for (int i = 0; i < 400; ++i) {
    const auto text = random_facts(random);
    INFO(text);
    std::string error;
    const auto parsed = edict::Facts::from_json(text, &error);
    REQUIRE(parsed.has_value());
    const auto& facts = *parsed;
    edict::EvalOptions plain;
    plain.as_of = date(i % 2 == 0 ? "2024-06-01" : "2024-01-01");  // "Acme" is removed on 2024-03-01
    plain.limits = policy->limits();
    auto traced = plain;
    traced.trace = true;

    auto with_trace = policy->evaluate(facts, traced);
    REQUIRE(with_trace.ok);
    with_trace.trace.reset();
    const auto without = policy->evaluate(facts, plain);
    CHECK(edict::render_json(without) == edict::render_json(with_trace));
    CHECK(std::string(reused.decide(facts, plain).decision) == with_trace.decision);
    if (with_trace.indeterminate_facts.empty()) ++fused_decided;

    edict::eval::BoundFacts bound;
    std::vector<std::string> errors, warnings;
    REQUIRE(edict::eval::bind(program, facts, policy->limits(), bound, &errors, &warnings));
    // The fused checks alone (as the general path's `and`/`or` loop uses them), then with the plans too.
    const auto fused = steps_to_finish(program, bound, *plain.as_of, [](edict::eval::Evaluator& e) { e.disable_plans(); });
    CHECK(fused == steps_to_finish(program, bound, *plain.as_of, [](edict::eval::Evaluator&) {}));
    CHECK(fused == steps_to_finish(program, bound, *plain.as_of, [](edict::eval::Evaluator& e) {
            e.disable_fused_checks();
            e.disable_plans();
          }));

  }
  CHECK(fused_decided > 100);
  // Each fused form is on this policy's path: 25 checks (`not product.datacenter` and `not classified "big"`
  // count twice, the `not` and the check within). `reused`, a definition read by several checks, is fused
  // where a check finds it computed already (`reused_twice` computes it, `ranged` finds it); `density`, read
  // once, by cross-multiplication. `consignee.name` is fused, and takes the general path when defaulted.
  CHECK(edict::eval::Evaluator(program).fused_checks() == 25);  // most cases are decided with every fact known: the fused forms are exercised
}
