// The policy being served, and its hot reload: a new version is compiled beside the old one and swapped in
// atomically. Requests take the current version (a shared_ptr copy) and finish on it, so a request in flight
// during a reload ends on the version it started with. A version that does not compile is never swapped in.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "edict/diagnostic.hpp"
#include "edict/policy.hpp"

namespace edict::serve {

// One compiled version, immutable once loaded.
struct LoadedPolicy {
  std::shared_ptr<const Policy> policy;
  std::string digest;
  std::string inventory_json;  // rendered once per version (GET /v1/policy)
  std::uint64_t generation = 0;  // unique per loaded version within the process, increasing
};

struct ReloadOutcome {
  bool ok = false;
  std::string digest;           // the digest served after the reload (the new one, or the kept old one)
  std::string previous_digest;  // the one served before ("" at the first load)
  std::vector<Diagnostic> diagnostics;  // errors (when !ok) and warnings of the new version
};

class PolicyHolder {
 public:
  explicit PolicyHolder(std::string path);

  // Compiles the policy path again; swaps it in when it compiles. Reloads are serialised.
  ReloadOutcome reload();
  // The version to serve (null before the first successful load).
  std::shared_ptr<const LoadedPolicy> current() const;
  // The current version's generation: a cheap check whether a cached copy is still current.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::mutex reload_mutex_;       // one reload at a time
  mutable std::mutex mutex_;      // guards current_
  std::shared_ptr<const LoadedPolicy> current_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace edict::serve
