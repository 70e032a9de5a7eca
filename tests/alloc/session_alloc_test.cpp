// Proves that evaluation without a trace does not allocate: a counting global operator new, a warmed-up
// Session, then many decisions on the EAR pack and on the example policy must allocate nothing.
// A plain program (not Catch2) because it replaces the global allocator of its whole process.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "edict/edict.hpp"

namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort's temporary buffer uses them): otherwise the library's nothrow new
// would be paired with the free() above, which AddressSanitizer reports as alloc-dealloc-mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

edict::Facts facts_from(const std::string& json) {
  std::string error;
  auto facts = edict::Facts::from_json(json, &error);
  if (!facts) {
    std::fprintf(stderr, "bad test facts: %s\n", error.c_str());
    std::exit(2);
  }
  return *facts;
}

// Returns the allocations per decision after warming the session up on every case once.
double allocations_per_decision(const std::string& policy_path, const std::vector<std::string>& cases,
                                const char* as_of) {
  const auto compiled = edict::compile_path(policy_path);
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s", edict::render_all(compiled.diagnostics).c_str());
    std::exit(2);
  }
  std::vector<edict::Facts> facts;
  for (const auto& c : cases) facts.push_back(facts_from(c));
  edict::EvalOptions options;
  options.as_of = *edict::Date::parse(as_of);
  edict::Session session(*compiled.policy);
  for (int round = 0; round < 2; ++round) {
    for (const auto& f : facts) {
      if (!session.decide(f, options).ok) {
        std::fprintf(stderr, "facts rejected\n");
        std::exit(2);
      }
    }
  }
  const auto before = g_allocations.load();
  const int rounds = 50;
  std::size_t decided = 0;
  for (int round = 0; round < rounds; ++round) {
    for (const auto& f : facts) decided += session.decide(f, options).decision.size();
  }
  const auto after = g_allocations.load();
  std::printf("%s: %zu decisions, %zu allocations\n", policy_path.c_str(), rounds * facts.size(), after - before);
  return decided == 0 ? -1.0 : static_cast<double>(after - before) / static_cast<double>(rounds * facts.size());
}

// Returns the allocations per batch line (BatchLineEvaluator::append_line, no trace) after a warm-up: the
// JSON case is read, evaluated and rendered into a reused output buffer.
double allocations_per_batch_line(const std::string& policy_path, const std::vector<std::string>& cases,
                                  const char* as_of) {
  const auto compiled = edict::compile_path(policy_path);
  if (!compiled.ok()) std::exit(2);
  edict::BatchOptions options;
  options.as_of = *edict::Date::parse(as_of);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::string line = "{\"id\":\"case-" + std::to_string(i) + "\",\"facts\":" + cases[i] + "}";
    for (char& c : line) c = c == '\n' ? ' ' : c;
    lines.push_back(line);
  }
  edict::BatchLineEvaluator evaluator(*compiled.policy, options);
  std::string out;
  for (int round = 0; round < 2; ++round) {
    for (const auto& line : lines) {
      out.clear();
      if (!evaluator.append_line(line, out)) {
        std::fprintf(stderr, "batch line rejected: %s", out.c_str());
        std::exit(2);
      }
    }
  }
  const auto before = g_allocations.load();
  const int rounds = 50;
  for (int round = 0; round < rounds; ++round) {
    for (const auto& line : lines) {
      out.clear();
      evaluator.append_line(line, out);
    }
  }
  const auto after = g_allocations.load();
  std::printf("%s: %zu batch lines, %zu allocations\n", policy_path.c_str(), rounds * lines.size(), after - before);
  return static_cast<double>(after - before) / static_cast<double>(rounds * lines.size());
}

// Returns the allocations per row when a Facts is refilled with Facts::assign (as a data frame fills it, row
// after row with the same long paths) and decided, after a warm-up row.
double allocations_per_refilled_row(const std::string& policy_path) {
  const auto compiled = edict::compile_path(policy_path);
  if (!compiled.ok()) std::exit(2);
  edict::EvalOptions options;
  options.as_of = *edict::Date::parse("2023-12-01");
  edict::Session session(*compiled.policy);
  edict::Facts facts;
  using Kind = edict::FactValue::Kind;
  const auto fill = [&](int row) {
    if (row % 7 == 0) facts.clear();  // a cleared Facts keeps its entries' storage too
    facts.assign("product.kind", Kind::kString, "ic");
    facts.assign("product.tpp", Kind::kNumber, row % 2 == 0 ? "15832" : "4799.5");
    facts.assign("product.die_area_mm2", Kind::kNumber, "814");
    facts.assign("product.memory_bandwidth_gbps", Kind::kNumber, "3350");
    facts.assign("product.io_bandwidth_gbps", Kind::kNumber, "528");
    facts.assign("product.datacenter", Kind::kBool, {}, true);
    facts.assign("destination.country", Kind::kString, row % 3 == 0 ? "CN" : "NL");
  };
  for (int row = 0; row < 42; ++row) {  // every combination of the rows below once
    fill(row);
    if (!session.decide(facts, options).ok) std::exit(2);
  }
  const auto before = g_allocations.load();
  const int rows = 500;
  for (int row = 0; row < rows; ++row) {
    fill(row);
    session.decide(facts, options);
  }
  const auto after = g_allocations.load();
  std::printf("%s: %d refilled rows, %zu allocations\n", policy_path.c_str(), rows, after - before);
  return static_cast<double>(after - before) / rows;
}

// Returns the allocations per row when a prepared FactFrame is refilled (paths and codes resolved once) and
// decided, after a warm-up.
double allocations_per_frame_row(const std::string& policy_path) {
  const auto compiled = edict::compile_path(policy_path);
  if (!compiled.ok()) std::exit(2);
  edict::EvalOptions options;
  options.as_of = *edict::Date::parse("2023-12-01");
  edict::Session session(*compiled.policy);
  edict::FactFrame frame(*compiled.policy);
  const auto kind = frame.fact("product.kind"), tpp = frame.fact("product.tpp");
  const auto area = frame.fact("product.die_area_mm2"), io = frame.fact("product.io_bandwidth_gbps");
  const auto datacenter = frame.fact("product.datacenter"), country = frame.fact("destination.country");
  const auto cn = frame.code(country, "CN"), nl = frame.code(country, "NL");
  const auto fill = [&](int row) {
    frame.clear();
    frame.set_string(kind, "ic");
    if (row % 2 == 0) frame.set_integer(tpp, 15832); else frame.set_decimal(tpp, "4799.5");
    frame.set_integer(area, 814);
    frame.set_integer(io, 528);
    frame.set_bool(datacenter, row % 5 != 0);
    frame.set_code(country, row % 3 == 0 ? cn : nl);
  };
  for (int row = 0; row < 60; ++row) {
    fill(row);
    if (!session.decide(frame, options).ok) std::exit(2);
  }
  const auto before = g_allocations.load();
  const int rows = 500;
  for (int row = 0; row < rows; ++row) {
    fill(row);
    session.decide(frame, options);
  }
  const auto after = g_allocations.load();
  std::printf("%s: %d prepared-frame rows, %zu allocations\n", policy_path.c_str(), rows, after - before);
  return static_cast<double>(after - before) / rows;
}

}  // namespace

int main() {
  const std::vector<std::string> ear = {
      R"({"product": {"name": "H100", "manufacturer": "NVIDIA", "kind": "ic", "tpp": 15832, "die_area_mm2": 814,
          "io_bandwidth_gbps": 900, "datacenter": true}, "destination": {"country": "CN"}})",
      R"({"product": {"name": "RTX 4090", "manufacturer": "NVIDIA", "kind": "ic", "tpp": 5285.6, "die_area_mm2": 609,
          "datacenter": false}, "destination": {"country": "AE"}, "end_user": {"name": "Acme Trading LLC"}})",
      R"({"product": {"name": "L20", "manufacturer": "NVIDIA", "kind": "ic", "tpp": 2.5, "die_area_mm2": 609,
          "datacenter": true}, "destination": {"country": "DE"},
          "end_user": {"name": "Moore Threads Technology Co., Ltd.", "hq_country": "CN"}})",
      R"({"product": {"name": "H20", "manufacturer": "NVIDIA", "kind": "ic", "tpp": 2368, "die_area_mm2": 814,
          "datacenter": true}, "destination": {"country": "MO"}})"};
  const std::vector<std::string> chips = {
      R"({"product": {"tpp": 2461.24, "die_area_mm2": 415.75, "datacenter": true}, "destination": {"country": "CN"}})",
      R"({"product": {"tpp": 5000, "die_area_mm2": 600, "datacenter": false}, "destination": {"country": "RU"}})"};
  const double a = allocations_per_decision(EDICT_SOURCE_DIR "/policies/ear", ear, "2024-06-01");
  const double b = allocations_per_decision(EDICT_SOURCE_DIR "/policies/examples/chips", chips, "2024-06-01");
  if (a != 0.0 || b != 0.0) {
    std::fprintf(stderr, "FAIL: Session::decide allocated (%.2f and %.2f per decision)\n", a, b);
    return 1;
  }
  const double c = allocations_per_batch_line(EDICT_SOURCE_DIR "/policies/ear", ear, "2024-06-01");
  const double d = allocations_per_batch_line(EDICT_SOURCE_DIR "/policies/examples/chips", chips, "2024-06-01");
  if (c != 0.0 || d != 0.0) {
    std::fprintf(stderr, "FAIL: a batch line without trace allocated (%.2f and %.2f per line)\n", c, d);
    return 1;
  }
  const double e = allocations_per_refilled_row(EDICT_SOURCE_DIR "/policies/ear");
  if (e != 0.0) {
    std::fprintf(stderr, "FAIL: refilling a Facts with assign() allocated (%.2f per row)\n", e);
    return 1;
  }
  const double f = allocations_per_frame_row(EDICT_SOURCE_DIR "/policies/ear");
  if (f != 0.0) {
    std::fprintf(stderr, "FAIL: a refilled FactFrame allocated (%.2f per row)\n", f);
    return 1;
  }
  std::printf("ok: Session::decide, a batch line without trace, a refilled Facts and a prepared FactFrame make no "
              "heap allocation\n");
  return 0;
}
