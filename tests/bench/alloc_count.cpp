// Counts heap allocations per evaluation of the EAR pack without trace (issue 5 target: zero), by
// replacing the global operator new / delete. Also reports the hand-written baseline and, for reference,
// evaluation with trace and Facts::from_json.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "ear_cases.hpp"

namespace {
std::atomic<std::size_t> g_allocations{0};
std::atomic<std::size_t> g_bytes{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(size, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(size, std::memory_order_relaxed);
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& t) noexcept { return operator new(size, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

template <typename F>
void measure(const char* what, F&& f) {
  const auto& cases = bench::ear_cases();
  for (const auto& c : cases) f(c);  // warm-up (static caches)
  const std::size_t a0 = g_allocations.load(), b0 = g_bytes.load();
  for (const auto& c : cases) f(c);
  const double n = static_cast<double>(cases.size());
  std::printf("%-44s %10.1f allocations/decision %10.0f bytes/decision\n", what,
              static_cast<double>(g_allocations.load() - a0) / n, static_cast<double>(g_bytes.load() - b0) / n);
}

}  // namespace

int main() {
  const auto policy = bench::load_ear_pack();
  bench::check_agreement(*policy);
  std::printf("EAR pack, %zu cases, as_of 2024-06-01, rules_as_of latest\n", bench::ear_cases().size());
  measure("baseline (hand-written C++)", [](const bench::EarCase& c) {
    volatile auto r = bench::ear_baseline().evaluate(c.packed).decision;
    (void)r;
  });
  const auto plain = bench::ear_options(false);
  const auto traced = bench::ear_options(true);
  measure("Policy::evaluate, no trace (pre-built Facts)", [&](const bench::EarCase& c) {
    auto r = policy->evaluate(c.facts, plain);
    (void)r;
  });
  edict::Session session(*policy);
  measure("Session::decide, no trace (pre-built Facts)", [&](const bench::EarCase& c) {
    const auto& d = session.decide(c.facts, plain);
    (void)d;
  });
  measure("Session::evaluate, trace", [&](const bench::EarCase& c) {
    auto r = session.evaluate(c.facts, traced);
    (void)r;
  });
  measure("Policy::evaluate, trace", [&](const bench::EarCase& c) {
    auto r = policy->evaluate(c.facts, traced);
    (void)r;
  });
  measure("Facts::from_json only", [&](const bench::EarCase& c) {
    std::string error;
    auto f = edict::Facts::from_json(c.json, &error);
    (void)f;
  });
  return 0;
}
