#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "edict/diff.hpp"
#include "edict/edict.hpp"

#include "../support/repo_files.hpp"

using edict::Date;
using edict::DiffOptions;
using edict::DiffReport;

namespace {

using edict_test::kRepoRoot;
using edict_test::load;
using edict_test::read;

DiffReport run(const edict::Policy& a, const edict::Policy& b, const std::string& corpus, DiffOptions options) {
  std::istringstream in(corpus);
  return edict::diff_corpus(a, b, in, options);
}

const edict::DiffGroup* group(const DiffReport& r, const std::string& key) {
  for (const auto& g : r.groups) {
    if (g.key == key) return &g;
  }
  return nullptr;
}

std::vector<std::string> keys(const DiffReport& r) {
  std::vector<std::string> out;
  for (const auto& g : r.groups) out.push_back(g.key);
  return out;
}

// One corpus line -> (id, facts) for per-case checks.
struct Line {
  std::string id;
  edict::Facts facts;
};
std::vector<Line> lines_of(const std::string& corpus) {
  std::vector<Line> out;
  std::istringstream in(corpus);
  std::string line;
  while (std::getline(in, line)) {
    std::string error;
    auto parsed = edict::Facts::from_json(line, &error);
    REQUIRE(parsed);
    Line l;
    for (const auto& e : parsed->entries()) {
      if (e.path == "id") l.id = e.value.text;
      if (e.path.rfind("facts.", 0) == 0) l.facts.set(e.path.substr(6), e.value);
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace

TEST_CASE("diff: synthetic OLD/NEW pair, one group per change") {
  const auto old_policy = load("tests/golden/corpora/diff/old.edict");
  const auto new_policy = load("tests/golden/corpora/diff/new.edict");
  const auto corpus = read("tests/golden/corpora/diff/cases.jsonl");
  DiffOptions options;
  options.as_of = *Date::parse("2024-01-01");
  const auto r = run(*old_policy, *new_policy, corpus, options);
  INFO(edict::render_diff_text(r, 0));
  CHECK(r.cases == 80);
  CHECK(r.errors == 0);
  CHECK(r.changed == 26);
  CHECK(r.decision_changes == 26);

  SECTION("threshold moved from >= to >: only the case at the bound, grouped under that threshold") {
    const auto* g = group(r, "threshold product.tpp >= 4800 -> product.tpp > 4800");
    REQUIRE(g != nullptr);
    CHECK(g->count == 2);
    CHECK(g->example_id == "\"c051\"");
    CHECK(g->example_facts.find("\"tpp\":4800") != std::string::npos);
    CHECK(g->transitions.at("license_required [] -> no_license_required []") == 2);
    // Every case whose cause mentions that threshold sits exactly on the bound.
    for (const auto& l : lines_of(corpus)) {
      const auto d = edict::diff_case(*old_policy, *new_policy, l.facts, options.as_of, options);
      if (!d.changed) continue;
      const bool threshold = d.cause.key().find("threshold product.tpp >= 4800") != std::string::npos;
      INFO(l.id);
      if (threshold) CHECK(l.facts.find("product.tpp")->value.text == "4800");
    }
  }
  SECTION("group member added, exemption added, rule repealed, parameter changed") {
    const auto* hk = group(r, "group restricted: +HK");
    REQUIRE(hk != nullptr);
    CHECK(hk->count == 2);
    CHECK(hk->transitions.at("no_license_required [] -> license_required []") == 2);
    const auto* both = group(r, "exemption consumer_parts: added; group restricted: +HK");
    REQUIRE(both != nullptr);
    CHECK(both->count == 2);
    const auto* exemption = group(r, "exemption consumer_parts: added");
    REQUIRE(exemption != nullptr);
    CHECK(exemption->count == 2);
    CHECK(exemption->transitions.at("license_required [] -> notify []") == 2);
    const auto* repealed = group(r, "rule vietnam_notice: removed");
    REQUIRE(repealed != nullptr);
    CHECK(repealed->count == 14);
    CHECK(repealed->descriptions[0].find("repealed") != std::string::npos);
    const auto* parameter =
        group(r, "parameter notice_bound: 1000 -> 1500; threshold product.tpp >= notice_bound 1000 -> "
                 "product.tpp >= notice_bound 1500");
    REQUIRE(parameter != nullptr);
    CHECK(parameter->count == 4);
    CHECK(keys(r).size() == 6);
    // Sorted by count, then key.
    CHECK(r.groups.front().key == "rule vietnam_notice: removed");
    for (std::size_t i = 1; i < r.groups.size(); ++i) {
      const auto& a = r.groups[i - 1];
      const auto& b = r.groups[i];
      CHECK((a.count > b.count || (a.count == b.count && a.key < b.key)));
    }
  }
  SECTION("the example's trace diff marks the threshold step as changed") {
    const auto* g = group(r, "threshold product.tpp >= 4800 -> product.tpp > 4800");
    REQUIRE(g != nullptr);
    bool found = false;
    for (const auto& d : g->example_trace_diff) {
      if (d.mark == '~' && d.old_step && edict::trace_text(*d.old_step) == "product.tpp 4800 >= 4800") {
        found = true;
        CHECK(edict::trace_text(*d.new_step) == "product.tpp 4800 > 4800");
        CHECK(d.old_step->result == "true");
        CHECK(d.new_step->result == "false");
      }
    }
    CHECK(found);
    const auto* repealed = group(r, "rule vietnam_notice: removed");
    REQUIRE(repealed != nullptr);
    const bool minus = std::any_of(repealed->example_trace_diff.begin(), repealed->example_trace_diff.end(),
                                   [](const auto& d) {
                                     return d.mark == '-' && d.old_step->subject == "vietnam_notice";
                                   });
    CHECK(minus);
  }
}

TEST_CASE("diff: the report does not depend on threads or chunking, and is byte-identical") {
  const auto old_policy = load("tests/golden/corpora/diff/old.edict");
  const auto new_policy = load("tests/golden/corpora/diff/new.edict");
  auto corpus = read("tests/golden/corpora/diff/cases.jsonl");
  corpus += "not json\n{\"id\":\"x\",\"facts\":{\"product\":{\"tpp\":\"abc\"}}}\n";
  corpus += corpus;  // the first example of each group stays in the first half
  DiffOptions options;
  options.as_of = *Date::parse("2024-01-01");
  const auto one = run(*old_policy, *new_policy, corpus, options);
  CHECK(one.errors == 4);
  REQUIRE(one.first_errors.size() == 4);
  CHECK(one.first_errors[0].line == 81);
  CHECK(one.first_errors[1].id == "\"x\"");
  CHECK(one.changed == 52);
  const auto text = edict::render_diff_text(one);
  const auto json = edict::render_diff_json(one);
  for (const std::size_t threads : {2, 3}) {
    for (const std::size_t chunk : {1, 7, 50}) {
      options.threads = threads;
      options.chunk_lines = chunk;
      const auto many = run(*old_policy, *new_policy, corpus, options);
      CHECK(edict::render_diff_text(many) == text);
      CHECK(edict::render_diff_json(many) == json);
    }
  }
  CHECK(json.rfind("{\"cases\":160,\"changed\":52,", 0) == 0);
}

TEST_CASE("diff: rules_as_of in a line is ignored and counted") {
  const auto p = load("tests/golden/corpora/diff/old.edict");
  DiffOptions options;
  options.as_of = *Date::parse("2024-01-01");
  const auto r = run(*p, *p,
                     "{\"id\":1,\"facts\":{\"product\":{\"tpp\":1,\"consumer\":false},\"destination\":{\"country\":"
                     "\"CN\"}},\"rules_as_of\":\"2020-01-01\"}\n",
                     options);
  CHECK(r.cases == 1);
  CHECK(r.changed == 0);
  CHECK(r.ignored_rules_as_of == 1);
  CHECK(r.groups.empty());
}

TEST_CASE("diff: EAR rulebook before and after the October 2023 amendment finds the A800/H800 change") {
  const auto ear = load("policies/ear");
  const auto corpus = read("tests/golden/corpora/ear_catalog.jsonl");
  DiffOptions options;
  options.as_of = *Date::parse("2023-12-01");
  options.old_rules_as_of = Date::parse("2023-10-16");
  options.new_rules_as_of = Date::parse("2023-10-26");
  options.threads = 2;
  const auto r = run(*ear, *ear, corpus, options);
  CHECK(r.errors == 0);
  CHECK(r.cases == 352);
  const std::string key = "rule eccn_3a090_a: added; rule license_ac_2023: added; rule license_hq_2023: added";
  const auto* g = group(r, key);
  REQUIRE(g != nullptr);
  CHECK(g->example_id == "\"a800-CN\"");
  CHECK(g->transitions.at("no_license_required [] -> license_required [3A090.a]") == g->count);
  CHECK(g->descriptions[0].find("product.tpp >= 4800") != std::string::npos);

  // Per case: to China, the datacenter chips with TPP >= 4800 and I/O < 600 change from no license to license.
  for (const auto& l : lines_of(corpus)) {
    const auto d = edict::diff_case(*ear, *ear, l.facts, options.as_of, options);
    const auto* country = l.facts.find("destination.country");
    if (country->value.text != "CN") continue;
    const auto* tpp = l.facts.find("product.tpp");
    const auto* io = l.facts.find("product.io_bandwidth_gbps");
    const auto* dc = l.facts.find("product.datacenter");
    if (tpp == nullptr || io == nullptr || dc == nullptr) continue;
    const bool region = dc->value.boolean && std::stod(tpp->value.text) >= 4800 && std::stod(io->value.text) < 600;
    INFO(l.id);
    if (region) {
      CHECK(d.changed);
      CHECK(d.old_result.decision == "no_license_required");
      CHECK(d.new_result.decision == "license_required");
      CHECK(d.cause.key() == key);
    }
    if (l.id == "h800-CN" || l.id == "a800-CN") CHECK(region);
  }
}

TEST_CASE("diff: EAR before and after the 2025-05-13 rescission changes Tier 2 decisions, not Tier 3 ones") {
  const auto ear = load("policies/ear");
  const auto corpus = read("tests/golden/corpora/ear_catalog.jsonl");
  DiffOptions options;
  options.as_of = *Date::parse("2025-06-01");
  options.old_rules_as_of = Date::parse("2025-05-12");
  options.new_rules_as_of = Date::parse("2025-05-14");
  const auto r = run(*ear, *ear, corpus, options);
  CHECK(r.errors == 0);
  CHECK(r.changed > 0);
  const auto* g = group(r, "exemption LPP: removed; rule license_worldwide_a_2025: removed");
  REQUIRE(g != nullptr);
  CHECK(g->example_id == "\"a100-AE\"");
  // The transition ends with the outputs LPP gave (its allowance, the tier), which the rescission unsets.
  const auto lpp_lost = std::find_if(g->transitions.begin(), g->transitions.end(), [](const auto& t) {
    return t.first.starts_with("license_exception [3A090.a] -> license_required [3A090.a]; value lpp_allowance_left ");
  });
  CHECK(lpp_lost != g->transitions.end());
  std::size_t tier2_changed = 0;
  for (const auto& l : lines_of(corpus)) {
    const auto country = l.facts.find("destination.country")->value.text;
    const auto d = edict::diff_case(*ear, *ear, l.facts, options.as_of, options);
    INFO(l.id);
    // Tier 3 keeps its decision; only the Diffusion tier output (set while the Diffusion rule bound) goes.
    if (country == "CN" || country == "HK" || country == "MO" || country == "RU") {
      CHECK(d.old_result.decision == d.new_result.decision);
      CHECK(d.old_result.classifications == d.new_result.classifications);
    }
    if ((country == "AE" || country == "SA") && d.changed) {
      ++tier2_changed;
      CHECK(d.cause.key().find("rule license_worldwide_a_2025: removed") != std::string::npos);
    }
  }
  CHECK(tier2_changed >= 10);
}

TEST_CASE("diff: explain_change and diff_traces on identical results") {
  const auto p = load("tests/golden/corpora/diff/old.edict");
  edict::Facts facts;
  facts.set_number("product.tpp", "5000");
  facts.set_bool("product.consumer", false);
  facts.set_string("destination.country", "CN");
  DiffOptions options;
  const auto d = edict::diff_case(*p, *p, facts, *Date::parse("2024-01-01"), options);
  CHECK_FALSE(d.changed);
  const auto steps = edict::diff_traces(*d.old_result.trace, *d.new_result.trace);
  CHECK(steps.size() == d.old_result.trace->steps.size());
  CHECK(std::all_of(steps.begin(), steps.end(), [](const auto& s) { return s.mark == ' '; }));
}

// ---------------------------------------------------------------- cause signatures vs exact causes

namespace {

// Products of policies/ear/catalog x 40 destinations x transaction dates x end users (none, Entity List
// names spelled differently, an unlisted party, a party headquartered in Macau or China). `stride` > 1 keeps
// every stride-th combination. EDICT_DIFF_VERIFY_STRIDE=1 runs the whole product (slow in exact mode).
std::string generated_ear_corpus(std::size_t stride) {
  std::vector<std::string> products;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(kRepoRoot + "/policies/ear/catalog")) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::ostringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    s.erase(std::remove(s.begin(), s.end(), '\n'), s.end());
    products.push_back(s.substr(0, s.rfind('}')));
  }
  const char* countries[] = {"CN", "HK", "MO", "AE", "SA", "VN", "DE", "US", "RU", "IN", "IL", "GB", "SG", "NI",
                             "CY", "TW", "JP", "KR", "FR", "NL", "BR", "MX", "TR", "EG", "KZ", "MY", "TH", "ID",
                             "PK", "QA", "KW", "BH", "OM", "JO", "BY", "IR", "KP", "CU", "SY", "VE"};
  const char* end_users[] = {"",
                             ",\"end_user\":{\"name\":\"Huawei Technologies Co., Ltd.\"}",
                             ",\"end_user\":{\"name\":\"INSPUR GROUP\"}",
                             ",\"end_user\":{\"name\":\"Biren\",\"hq_country\":\"CN\"}",
                             ",\"end_user\":{\"name\":\"Zhipu AI\"}",
                             ",\"end_user\":{\"name\":\"Acme Research GmbH\"}",
                             ",\"end_user\":{\"name\":\"Acme Research GmbH\",\"hq_country\":\"MO\"}",
                             ",\"end_user\":{\"hq_country\":\"CN\"}"};
  const auto start = *Date::parse("2022-09-01");
  std::string out;
  std::size_t n = 0;
  for (std::int32_t day = 0; day < 1300; day += 29) {
    const auto date = Date::from_days(start.days() + day).to_string();
    for (const auto& p : products) {
      for (const char* c : countries) {
        for (const char* u : end_users) {
          if (n++ % stride != 0) continue;
          out += "{\"id\":" + std::to_string(n) + ",\"as_of\":\"" + date + "\",\"facts\":" + p +
                 ",\"destination\":{\"country\":\"" + c + "\"}" + u + "}}\n";
        }
      }
    }
  }
  return out;
}

// The report with cause signatures (the default) is byte-identical to the one that traces every changed case.
void require_same_as_exact(const edict::Policy& a, const edict::Policy& b, const std::string& corpus,
                           DiffOptions options) {
  options.exact_causes = true;
  options.threads = 1;
  const auto exact = run(a, b, corpus, options);
  options.exact_causes = false;
  for (const std::size_t threads : {1, 2}) {
    options.threads = threads;
    options.chunk_lines = 97;
    const auto fast = run(a, b, corpus, options);
    REQUIRE(edict::render_diff_json(fast) == edict::render_diff_json(exact));
    REQUIRE(edict::render_diff_text(fast, 1000) == edict::render_diff_text(exact, 1000));
  }
}

// The signature fixtures' corpus: each case (the product's facts after `"product":{`, then the destination)
// as a line, all of them `rounds` times.
std::string fixture_corpus(std::initializer_list<const char*> cases, int rounds) {
  std::string corpus;
  for (int round = 0; round < rounds; ++round) {
    for (const char* c : cases) corpus += std::string(R"({"facts":{"product":{)") + c + "}}}\n";
  }
  return corpus;
}

}  // namespace

TEST_CASE("diff: cause signatures give the same report as tracing every changed case") {
  const std::size_t stride = [] {
    const char* env = std::getenv("EDICT_DIFF_VERIFY_STRIDE");
    return env ? std::max<std::size_t>(1, std::strtoull(env, nullptr, 10)) : std::size_t{97};
  }();
  SECTION("synthetic pair") {
    const auto old_policy = load("tests/golden/corpora/diff/old.edict");
    const auto new_policy = load("tests/golden/corpora/diff/new.edict");
    DiffOptions options;
    options.as_of = *Date::parse("2024-01-01");
    const auto corpus = read("tests/golden/corpora/diff/cases.jsonl");
    require_same_as_exact(*old_policy, *new_policy, corpus, options);
    require_same_as_exact(*old_policy, *new_policy, corpus + corpus + corpus, options);
  }
  SECTION("EAR catalog corpus and a generated corpus at several rulebook dates") {
    const auto ear = load("policies/ear");
    const auto catalog = read("tests/golden/corpora/ear_catalog.jsonl");
    const auto generated = generated_ear_corpus(stride);
    const char* pairs[][3] = {{"2023-10-16", "2023-10-26", "2023-12-01"},
                              {"2025-05-12", "2025-05-14", "2025-06-01"},
                              {"2022-10-06", "2022-10-08", "2022-11-01"},
                              {"2024-04-03", "2024-04-05", "2024-06-01"}};
    for (const auto& p : pairs) {
      INFO(p[0] << " -> " << p[1]);
      DiffOptions options;
      options.as_of = *Date::parse(p[2]);
      options.old_rules_as_of = Date::parse(p[0]);
      options.new_rules_as_of = Date::parse(p[1]);
      require_same_as_exact(*ear, *ear, catalog, options);
      require_same_as_exact(*ear, *ear, generated, options);
    }
  }
  SECTION("the same values written differently: plain lines signed by their bound values, others by text") {
    // Each catalog line three times: as it is, with every whole number written with a fraction ("4992.0",
    // still a plain line, signed on the frame by its bound value) and with an exponent ("4992e0", read by the
    // general reader and signed by its text). Equal values share a cause; the report must not change.
    const auto ear = load("policies/ear");
    const auto catalog = read("tests/golden/corpora/ear_catalog.jsonl");
    const auto rewrite_numbers = [](const std::string& line, const char* suffix) {
      std::string out;
      for (std::size_t i = 0; i < line.size(); ++i) {
        out += line[i];
        const bool number_ends = line[i] >= '0' && line[i] <= '9' && i + 1 < line.size() &&
                                 (line[i + 1] == ',' || line[i + 1] == '}') && line.rfind(':', i) > line.rfind('"', i);
        const bool whole = number_ends && line.find('.', line.rfind(':', i)) > i;
        if (whole) out += suffix;
      }
      return out;
    };
    std::string corpus;
    for (std::size_t start = 0; start < catalog.size(); start = catalog.find('\n', start) + 1) {
      const auto line = catalog.substr(start, catalog.find('\n', start) - start);
      corpus += line + "\n" + rewrite_numbers(line, ".0") + "\n" + rewrite_numbers(line, "e0") + "\n";
    }
    REQUIRE(corpus.find("\"tpp\":4992.0,") != std::string::npos);
    REQUIRE(corpus.find("\"tpp\":4992e0,") != std::string::npos);
    DiffOptions options;
    options.as_of = *Date::parse("2023-12-01");
    options.old_rules_as_of = Date::parse("2023-10-16");
    options.new_rules_as_of = Date::parse("2023-10-26");
    const auto report = run(*ear, *ear, corpus, options);
    REQUIRE(report.errors == 0);
    REQUIRE(report.changed > 0);
    require_same_as_exact(*ear, *ear, corpus, options);
  }
  SECTION("a date per line: values computed from the date split the transitions, not the causes") {
    // The NAC notification date is as_of + 25 days: cases of one cause signature differ in that value. Each
    // transition must count its own cases, whatever the threads (it once counted those of the first one).
    const auto ear = load("policies/ear");
    const auto sample = generated_ear_corpus(997);
    std::string corpus;
    const auto first = Date::parse("2023-11-10")->days();
    for (std::size_t start = 0; start < sample.size(); start = sample.find('\n', start) + 1) {
      auto line = sample.substr(start, sample.find('\n', start) - start);
      const auto date_at = line.find("\"as_of\":\"") + 9;
      for (int day = 0; day < 40; ++day) corpus += line.replace(date_at, 10, Date::from_days(first + day).to_string()) + "\n";
    }
    DiffOptions options;
    options.as_of = *Date::parse("2023-12-01");
    options.old_rules_as_of = Date::parse("2023-10-16");
    options.new_rules_as_of = Date::parse("2023-10-26");
    const auto report = run(*ear, *ear, corpus, options);
    REQUIRE(report.changed > 0);
    std::size_t nac_dates = 0;
    for (const auto& g : report.groups) {
      for (const auto& [transition, count] : g.transitions) nac_dates += transition.find("nac_notify_by") != std::string::npos;
    }
    CHECK(nac_dates > 10);
    require_same_as_exact(*ear, *ear, corpus, options);
  }
}

TEST_CASE("diff: cases with equal decisions and fired rules but different causes keep their own causes") {
  // The same rule stops firing (or starts) for four reasons that only the facts tell apart: two thresholds
  // moved, and two countries joined the group.
  const auto policy = [](const std::string& members, const std::string& tpp, const std::string& density) {
    const std::string text =
        "policy \"Signature fixture\"\n  outcomes license_required > notify > no_license_required\n"
        "  default no_license_required\nend\n\nuse iso3166\n\n"
        "fact product.tpp : decimal \"TPP\"\nfact product.density : decimal \"Density\"\n"
        "fact destination.country : country \"Destination\"\n\n"
        "group restricted : country\n  members {" + members + "}\nend\n\n"
        "define big = product.tpp >= " + tpp + " or product.density >= " + density + "\n\n"
        "rule big_chip\n  title \"Big chips\"\n  citation \"F1\"\n"
        "  when big and destination.country in restricted\n"
        "  then license_required because \"big chip\"\nend\n\n"
        "rule any_big\n  title \"Any big chip\"\n  citation \"F2\"\n  when big\n"
        "  then notify because \"big\"\nend\n";
    auto compiled = edict::compile({{"fixture.edict", text}});
    INFO(edict::render_all(compiled.diagnostics));
    REQUIRE(compiled.ok());
    return compiled.policy;
  };
  const auto old_policy = policy("CN", "4800", "6");
  const auto new_policy = policy("CN, HK, MO", "5000", "7");
  const auto corpus = fixture_corpus({R"("tpp":6000,"density":1},"destination":{"country":"HK")",
                                       R"("tpp":6000,"density":1},"destination":{"country":"MO")",
                                       R"("tpp":4900,"density":1},"destination":{"country":"CN")",
                                       R"("tpp":100,"density":6.5},"destination":{"country":"CN")"},
                                      3);
  DiffOptions options;
  options.as_of = *Date::parse("2024-01-01");
  const auto report = run(*old_policy, *new_policy, corpus, options);
  INFO(edict::render_diff_text(report));
  CHECK(report.changed == 12);
  CHECK(report.groups.size() == 4);
  for (const auto& g : report.groups) CHECK(g.count == 3);
  require_same_as_exact(*old_policy, *new_policy, corpus, options);
}


TEST_CASE("diff: one policy at two rulebook dates: cases told apart by their values keep their own causes") {
  // As above, within one program (the case signed by its bound values on the frame): an amendment raises two
  // thresholds (parameters) and adds two countries to the group. Each case appears with its numbers written
  // two ways ("4900" and "4900.0"), which bind to the same values.
  const std::string base =
      "policy \"Signature fixture\"\n  outcomes license_required > notify > no_license_required\n"
      "  default no_license_required\nend\n\nuse iso3166\n\n"
      "fact product.tpp : decimal \"TPP\"\nfact product.density : decimal \"Density\"\n"
      "fact destination.country : country \"Destination\"\n\n"
      "group restricted : country\n  members {CN}\nend\n\n"
      "parameter tpp_bound\n  4800 from 2020-01-01\nend\n\nparameter density_bound\n  6 from 2020-01-01\nend\n\n"
      "define big = product.tpp >= tpp_bound or product.density >= density_bound\n\n"
      "rule big_chip\n  title \"Big chips\"\n  citation \"F1\"\n"
      "  when big and destination.country in restricted\n"
      "  then license_required because \"big chip\"\nend\n\n"
      "rule any_big\n  title \"Any big chip\"\n  citation \"F2\"\n  when big\n"
      "  then notify because \"big\"\nend\n";
  const std::string amendment =
      "amendment \"Tighter\"\n  published 2024-02-01\n  citation \"F3\"\nend\n\n"
      "amend group restricted\n  add {HK, MO} from 2024-02-01\nend\n\n"
      "amend parameter tpp_bound\n  5000 from 2024-02-01\nend\n\n"
      "amend parameter density_bound\n  7 from 2024-02-01\nend\n";
  auto compiled = edict::compile({{"fixture.edict", base}, {"tighter.edict", amendment}});
  INFO(edict::render_all(compiled.diagnostics));
  REQUIRE(compiled.ok());
  const auto& policy = *compiled.policy;
  const auto corpus = fixture_corpus({R"("tpp":6000,"density":1},"destination":{"country":"HK")",
                                       R"("tpp":6000,"density":1},"destination":{"country":"MO")",
                                       R"("tpp":4900,"density":1},"destination":{"country":"CN")",
                                       R"("tpp":100,"density":6.5},"destination":{"country":"CN")",
                                       R"("tpp":6000.0,"density":1.0},"destination":{"country":"HK")",
                                       R"("tpp":4900.0,"density":1.00},"destination":{"country":"CN")",
                                       R"("tpp":100.0,"density":6.50},"destination":{"country":"CN")"},
                                      2);
  DiffOptions options;
  options.as_of = *Date::parse("2024-03-01");
  options.old_rules_as_of = Date::parse("2024-01-15");
  options.new_rules_as_of = Date::parse("2024-02-15");
  const auto report = run(policy, policy, corpus, options);
  INFO(edict::render_diff_text(report));
  CHECK(report.changed == 14);
  CHECK(report.groups.size() == 4);
  require_same_as_exact(policy, policy, corpus, options);
}
