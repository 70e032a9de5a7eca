// Scaling with synthetic policies generated in memory and compiled with edict::compile: rules in force
// (10 to 10,000), name-group size (10 to 100,000), and a party list of 100,000 names with aliases.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

#include "bench_common.hpp"

namespace bench {
namespace {

const char* kHeader =
    "policy \"synthetic\"\n"
    "  outcomes license_required > no_license_required\n"
    "  default no_license_required\n"
    "end\n"
    "fact product.tpp : decimal \"TPP\"\n"
    "fact product.name : string \"product name\"\n"
    "fact end_user.name : optional string \"party\"\n";

std::string rules_policy(int n) {
  std::string s = kHeader;
  for (int i = 0; i < n; ++i) {
    const auto k = std::to_string(i);
    s += "rule r" + k + "\n  title \"rule " + k + "\"\n  citation \"synthetic\"\n  when product.tpp >= " + k +
         ".5\n  then license_required because \"tpp at least " + k + ".5\"\nend\n";
  }
  return s;
}

std::string group_policy(int n) {
  std::string s = kHeader;
  s += "group g : name\n  members {";
  for (int i = 0; i < n; ++i) s += (i ? ", \"m" : "\"m") + std::to_string(i) + "\"";
  s += "}\nend\n"
       "rule in_group\n  title \"in group\"\n  citation \"synthetic\"\n  when product.name matches g\n"
       "  then license_required because \"listed\"\nend\n";
  return s;
}

std::string party_policy(int n) {
  std::string s = kHeader;
  s += "group parties : name\n  members {\n";
  for (int i = 0; i < n; ++i) {
    const auto k = std::to_string(i);
    s += "    \"Party " + k + " Technology Co., Ltd.\" aka \"P" + k + " Tech\"" + (i + 1 < n ? ",\n" : "\n");
  }
  s += "  }\nend\n"
       "rule party_listed\n  title \"listed party\"\n  citation \"synthetic\"\n"
       "  when end_user.name is present and end_user.name matches parties\n"
       "  then license_required because \"listed\"\nend\n";
  return s;
}

const edict::Policy& compiled(const std::string& kind, int n) {
  static std::map<std::pair<std::string, int>, std::shared_ptr<const edict::Policy>> cache;
  auto& slot = cache[{kind, n}];
  if (!slot) {
    const std::string text = kind == "rules" ? rules_policy(n) : kind == "group" ? group_policy(n) : party_policy(n);
    auto r = edict::compile({edict::SourceFile{"synthetic_" + kind + ".edict", text}});
    if (!r.ok()) {
      std::fprintf(stderr, "bench: synthetic %s/%d does not compile:\n%s", kind.c_str(), n,
                   edict::render_all(r.diagnostics).c_str());
      std::abort();
    }
    slot = r.policy;
  }
  return *slot;
}

edict::EvalOptions options() {
  edict::EvalOptions o;
  o.as_of = *edict::Date::parse("2024-06-01");
  return o;
}

void BM_Synthetic_Rules(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto& policy = compiled("rules", n);
  edict::Facts facts;  // half the rules fire
  facts.set_number("product.tpp", std::to_string(n / 2));
  facts.set_string("product.name", "x");
  const auto o = options();
  const auto check = policy.evaluate(facts, o);
  if (check.decision != "license_required") state.SkipWithError("unexpected decision");
  for (auto _ : state) {
    auto r = policy.evaluate(facts, o);
    benchmark::DoNotOptimize(r);
  }
  state.counters["ns_per_rule"] = benchmark::Counter(static_cast<double>(state.iterations()) * n * 1e-9,
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Synthetic_Rules)->ArgName("rules")->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// Alternates a member (hit) and a non-member (miss).
void BM_Synthetic_Group(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto& policy = compiled("group", n);
  edict::Facts hit, miss;
  hit.set_number("product.tpp", "1");
  hit.set_string("product.name", "m" + std::to_string(n / 2));
  miss.set_number("product.tpp", "1");
  miss.set_string("product.name", "nobody");
  const auto o = options();
  if (policy.evaluate(hit, o).decision != "license_required" ||
      policy.evaluate(miss, o).decision != "no_license_required") {
    state.SkipWithError("unexpected decision");
  }
  bool flip = false;
  for (auto _ : state) {
    auto r = policy.evaluate(flip ? hit : miss, o);
    benchmark::DoNotOptimize(r);
    flip = !flip;
  }
}
BENCHMARK(BM_Synthetic_Group)->ArgName("members")->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000);

// A 100,000-name party list; queries spelled differently from the entry (case, suffix) and a miss.
void BM_Synthetic_PartyList(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto& policy = compiled("party", n);
  edict::Facts hit, alias, miss;
  for (auto* f : {&hit, &alias, &miss}) f->set_number("product.tpp", "1"), f->set_string("product.name", "x");
  hit.set_string("end_user.name", "PARTY " + std::to_string(n / 2) + " technology corp.");
  alias.set_string("end_user.name", "p" + std::to_string(n - 1) + " tech");
  miss.set_string("end_user.name", "Unlisted Trading Company Limited");
  const auto o = options();
  if (policy.evaluate(hit, o).decision != "license_required" ||
      policy.evaluate(alias, o).decision != "license_required" ||
      policy.evaluate(miss, o).decision != "no_license_required") {
    state.SkipWithError("unexpected decision");
  }
  const edict::Facts* order[] = {&hit, &alias, &miss};
  int i = 0;
  for (auto _ : state) {
    auto r = policy.evaluate(*order[i], o);
    benchmark::DoNotOptimize(r);
    i = i == 2 ? 0 : i + 1;
  }
}
BENCHMARK(BM_Synthetic_PartyList)->ArgName("names")->Arg(100000);

// The shape of 3A090 (LANGUAGE.md's example): two classification rules over TPP and performance density (an
// exact division) and one decision rule on the classification and the destination. The honest trace ratio:
// a Session evaluating with a full trace against one without, in one process.
const char* kThreeRules = R"edict(policy "3a090 shape"
  outcomes license_required > no_license_required
  default no_license_required
end
fact product.kind : one of "ic", "computer" "kind"
fact product.tpp : decimal "TPP"
fact product.die_area_mm2 : decimal "die area"
fact product.datacenter : bool "datacenter"
fact destination.country : string "country"
define performance_density = product.tpp / product.die_area_mm2
rule eccn_3a090_a
  title "ECCN 3A090.a: TPP of 4800 or more, or TPP of 1600 or more and performance density of 5.92 or more"
  citation "15 CFR 774 Supp. 1, ECCN 3A090.a"
  when product.kind == "ic"
   and (product.tpp >= 4800 or (product.datacenter and product.tpp >= 1600 and performance_density >= 5.92))
  then classify "3A090.a"
end
rule eccn_3a090_b
  title "ECCN 3A090.b: TPP 2400-4800 with performance density 1.6-5.92"
  citation "15 CFR 774 Supp. 1, ECCN 3A090.b"
  when product.kind == "ic" and product.datacenter and not classified "3A090.a"
   and 2400 <= product.tpp < 4800 and 1.6 <= performance_density < 5.92
  then classify "3A090.b"
end
rule license_china
  title "License required for 3A090 items to China"
  citation "15 CFR 742.6(a)(6)"
  when (classified "3A090.a" or classified "3A090.b") and destination.country == "CN"
  then license_required because "3A090 item to China"
end
)edict";

void BM_Synthetic_3A090(benchmark::State& state) {
  static const auto compiled_policy = [] {
    auto r = edict::compile({edict::SourceFile{"three_rules.edict", kThreeRules}});
    if (!r.ok()) {
      std::fprintf(stderr, "bench: the 3A090 shape does not compile:\n%s", edict::render_all(r.diagnostics).c_str());
      std::abort();
    }
    return r.policy;
  }();
  edict::Facts facts;  // an H100-like chip to China: 3A090.a by TPP, license required
  facts.set_string("product.kind", "ic");
  facts.set_number("product.tpp", "15832");
  facts.set_number("product.die_area_mm2", "814");
  facts.set_bool("product.datacenter", true);
  facts.set_string("destination.country", "CN");
  auto o = options();
  o.trace = state.range(0) != 0;
  edict::Session session(*compiled_policy);
  if (session.evaluate(facts, o).decision != "license_required") state.SkipWithError("unexpected decision");
  for (auto _ : state) {
    auto r = session.evaluate(facts, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Synthetic_3A090)->ArgName("trace")->Arg(0)->Arg(1);

void BM_Synthetic_Compile(benchmark::State& state, const char* kind) {
  const int n = static_cast<int>(state.range(0));
  const std::string text = std::string(kind) == "rules" ? rules_policy(n)
                           : std::string(kind) == "group" ? group_policy(n)
                                                          : party_policy(n);
  for (auto _ : state) {
    auto r = edict::compile({edict::SourceFile{"synthetic.edict", text}});
    if (!r.ok()) state.SkipWithError("does not compile");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(BM_Synthetic_Compile, rules, "rules")->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Synthetic_Compile, group, "group")->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Synthetic_Compile, party, "party")->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
