// Compiling and swapping the served policy (see policy_holder.hpp).
#include "serve/policy_holder.hpp"

#include <utility>

namespace edict::serve {

namespace {
// Generations are unique across every holder of the process, so a thread's cache keyed by generation can
// never mistake one holder's version for another's.
std::atomic<std::uint64_t> next_generation{1};
}  // namespace

PolicyHolder::PolicyHolder(std::string path) : path_(std::move(path)) {}

ReloadOutcome PolicyHolder::reload() {
  std::lock_guard reloading(reload_mutex_);
  ReloadOutcome out;
  auto old = current();
  out.previous_digest = old ? old->digest : std::string();
  out.digest = out.previous_digest;
  CompileResult compiled = compile_path(path_);
  out.diagnostics = std::move(compiled.diagnostics);
  if (!compiled.ok()) return out;
  auto loaded = std::make_shared<LoadedPolicy>();
  loaded->policy = std::move(compiled.policy);
  loaded->digest = loaded->policy->digest();
  loaded->inventory_json = inventory_json(loaded->policy->inventory());
  loaded->generation = next_generation.fetch_add(1, std::memory_order_relaxed);
  out.ok = true;
  out.digest = loaded->digest;
  const auto generation = loaded->generation;
  {
    std::lock_guard lock(mutex_);
    current_ = std::move(loaded);
  }
  generation_.store(generation, std::memory_order_release);
  return out;
}

std::shared_ptr<const LoadedPolicy> PolicyHolder::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace edict::serve
