// `edict lint`: the satisfiability question its checks ask (intervals, integers, dated sets, classifications,
// parameters, absent facts), when it stays open, the lint comments, and each check on a small policy.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../support/semantic_support.hpp"
#include "api/internals.hpp"
#include "edict/lint.hpp"
#include "lint/lint.hpp"

using edict_test::compile_ok;
using edict_test::date;

namespace {

const std::string kHeader = R"(policy "Lint"
  outcomes deny > review > allow
  default allow
end
use iso3166
fact x.n : decimal "n"
fact x.i : integer "i"
fact x.b : bool "b"
fact x.c : country "c"
fact x.o : optional decimal "o"
fact x.d : date "d"
fact x.name : optional string "name"
group g : country
  members {CN}
  add {RU} from 2024-01-01
end
group names : name
  members {"Acme Corp" aka "Acme"}
end
parameter p
  10 from 2023-01-01
  20 from 2024-01-01
end
)";

std::string rule(const std::string& name, const std::string& when, const std::string& extra = "") {
  return "rule " + name + "\n  title \"" + name + "\"\n  citation \"c\"\n" + extra + "  when " + when +
         "\n  then deny because \"r\"\nend\n";
}

// Whether the condition of the (only) rule `when` can hold, in its window.
edict::linter::Answer can_hold(const std::string& when, const std::string& extra = "") {
  const auto policy = compile_ok(kHeader + rule("r", when, extra));
  REQUIRE(policy);
  const auto& p = edict::program_of(*policy);
  edict::linter::Context cx(p, edict::LintOptions{});
  const auto& v = p.entities.at(0).versions.at(0);
  const std::uint32_t nodes[] = {v.condition};
  return edict::linter::satisfiable(cx, nodes, {}, v.from, v.until, cx.latest);
}

std::vector<std::string> codes(const std::string& text) {
  const auto policy = compile_ok(text);
  REQUIRE(policy);
  std::vector<std::string> out;
  for (const auto& d : edict::lint(*policy)) out.push_back(d.code);
  return out;
}

using edict::linter::Answer;

}  // namespace

TEST_CASE("intervals: contradictory bounds never hold, touching bounds do", "[lint]") {
  CHECK(can_hold("x.n > 5 and x.n < 5") == Answer::kNo);
  CHECK(can_hold("x.n >= 5 and x.n <= 5") == Answer::kYes);
  CHECK(can_hold("x.n > 5 and x.n < 5.0001") == Answer::kYes);
  CHECK(can_hold("3 < x.n < 2") == Answer::kNo);
  CHECK(can_hold("x.n != 1 and x.n == 1") == Answer::kNo);
  CHECK(can_hold("(x.n < 1 or x.n > 2) and 1 <= x.n <= 2") == Answer::kNo);
}

TEST_CASE("integers: no integer strictly between two neighbours", "[lint]") {
  CHECK(can_hold("x.i > 1 and x.i < 2") == Answer::kNo);
  CHECK(can_hold("x.i > 1 and x.i < 3") == Answer::kYes);
  CHECK(can_hold("x.i > 1.5 and x.i < 2.5") == Answer::kYes);
  CHECK(can_hold("x.i > 1.2 and x.i < 1.8") == Answer::kNo);
}

TEST_CASE("dates compare like numbers", "[lint]") {
  CHECK(can_hold("x.d > 2024-01-01 and x.d < 2024-01-02") == Answer::kNo);
  CHECK(can_hold("x.d > 2024-01-01 and x.d < 2024-01-03") == Answer::kYes);
}

TEST_CASE("sets: membership is asked of the evaluator on each date of the window", "[lint]") {
  CHECK(can_hold("x.c in g and x.c not in g") == Answer::kNo);
  CHECK(can_hold("x.c in g and x.c == \"DE\"") == Answer::kNo);
  CHECK(can_hold("x.c in g and x.c == \"CN\"") == Answer::kYes);
  // RU joins on 2024-01-01: a rule that ends before then never sees it.
  CHECK(can_hold("x.c in g and x.c == \"RU\"", "  effective until 2024-01-01\n") == Answer::kNo);
  CHECK(can_hold("x.c in g and x.c == \"RU\"", "  effective until 2024-01-02\n") == Answer::kYes);
  CHECK(can_hold("x.c in {CN, FR} and x.c in {DE, FR}") == Answer::kYes);
  CHECK(can_hold("x.c in {CN} and x.c in {DE}") == Answer::kNo);
}

TEST_CASE("names: matching is the evaluator's, aliases included", "[lint]") {
  CHECK(can_hold("x.name matches names") == Answer::kYes);
  CHECK(can_hold("x.name matches names and x.name == \"Other\"") == Answer::kNo);
  CHECK(can_hold("x.name matches names and x.name == \"Acme\"") == Answer::kYes);
}

TEST_CASE("parameters: their value on each date of the window", "[lint]") {
  CHECK(can_hold("x.n > p and x.n < 15", "  effective from 2024-01-01\n") == Answer::kNo);
  CHECK(can_hold("x.n > p and x.n < 15", "  effective from 2023-01-01\n") == Answer::kYes);
  // Before 2023-01-01 the parameter has no value: the condition is unknown, never true.
  CHECK(can_hold("x.n > p", "  effective until 2023-01-01\n") == Answer::kNo);
}

TEST_CASE("booleans and presence", "[lint]") {
  CHECK(can_hold("x.b and not x.b") == Answer::kNo);
  CHECK(can_hold("x.o is absent and x.o > 1") == Answer::kNo);
  CHECK(can_hold("x.o is absent or x.o > 1") == Answer::kYes);
}

TEST_CASE("derived values and facts compared with facts leave the question open", "[lint]") {
  CHECK(can_hold("x.n * 2 > 5 and x.n * 2 < 5") == Answer::kUnknown);
  CHECK(can_hold("x.n > x.i and x.i > x.n") == Answer::kUnknown);
}

TEST_CASE("lint comments: codes, reason, and what is not a lint comment", "[lint]") {
  std::vector<std::string> c;
  std::string reason;
  CHECK(edict::linter::parse_suppression(" lint: allow unused-fact -- kept for later", c, reason));
  CHECK(c == std::vector<std::string>{"unused-fact"});
  CHECK(reason == "kept for later");
  CHECK(edict::linter::parse_suppression("lint: allow never-true, unused-group--why", c, reason));
  CHECK(c == std::vector<std::string>{"never-true", "unused-group"});
  CHECK(reason == "why");
  CHECK(edict::linter::parse_suppression("lint: allow unused-fact", c, reason));
  CHECK(reason.empty());
  CHECK_FALSE(edict::linter::parse_suppression(" an ordinary comment", c, reason));
}

TEST_CASE("a clean policy has no findings", "[lint]") {
  CHECK(codes(kHeader + rule("r", "x.c in g and x.n > p and x.i > 0 and x.b and x.o > 1 and x.d > 2020-01-01 and "
                                  "x.name matches names",
                             "  effective from 2023-01-01\n"))
            .empty());
}

TEST_CASE("each check on a small policy", "[lint]") {
  const std::string used = rule("uses", "x.c in g and x.n > p and x.i > 0 and x.b and x.o > 1 and x.d > 2020-01-01 and "
                                        "x.name matches names",
                                "  effective from 2023-01-01\n");
  CHECK(codes(kHeader + used + rule("never", "x.n > 2 and x.n < 1")) == std::vector<std::string>{"never-true"});
  CHECK(codes(kHeader + used + "fact x.unused : bool \"u\"\n") == std::vector<std::string>{"unused-fact"});
  CHECK(codes(kHeader + used + "fact x.kept : bool \"u\"  # lint: allow unused-fact -- on purpose\n").empty());
  CHECK(codes(kHeader + used + rule("early", "x.n > p", "  effective from 2022-01-01\n")) ==
        std::vector<std::string>{"parameter-without-value"});
  CHECK(codes(kHeader + used +
              "exemption e\n  title \"e\"\n  citation \"c\"\n  overrides uses\n  effective until 2023-01-01\n"
              "  when x.b\n  then allow because \"r\"\nend\n") ==
        std::vector<std::string>{"exemption-window-disjoint"});
  CHECK(codes(kHeader + used +
              "exemption e\n  title \"e\"\n  citation \"c\"\n  overrides uses\n"
              "  when not x.b\n  then allow because \"r\"\nend\n") ==
        std::vector<std::string>{"exemption-never-applies"});
  CHECK(codes(kHeader + used +
              "tier t\n  \"a\" when x.i > 10\n  \"b\" when x.i > 20\n  otherwise \"c\"\nend\n" +
              rule("tiered", "t == \"b\"")) == std::vector<std::string>{"shadowed-tier-case", "never-true"});
}

TEST_CASE("the exact conjuncts of a condition that is not exact as a whole", "[lint]") {
  CHECK(can_hold("x.n * 2 > 5 and x.i > 1 and x.i < 2") == Answer::kNo);
  CHECK(can_hold("x.n * 2 > 5 and x.i > 1 and x.i < 3") == Answer::kUnknown);
  CHECK(can_hold("(x.n * 2 > 5 or x.i > 1) and x.i < 0 and x.i > 0") == Answer::kNo);
}
