// What the opaque handles of the C ABI (edict/edict.h) hold: thin wrappers over the public C++ API.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "edict/compile_options.hpp"
#include "edict/diagnostic.hpp"
#include "edict/edict.h"
#include "edict/fact_frame.hpp"
#include "edict/facts.hpp"
#include "edict/policy.hpp"

struct edict_compile_options {
  edict::CompileOptions options;
};

struct edict_diagnostics {
  std::vector<edict::Diagnostic> items;
};

struct edict_policy {
  std::shared_ptr<const edict::Policy> policy;
  std::string digest;  // kept so that edict_policy_digest can lend a NUL-terminated string
};

struct edict_facts {
  edict::Facts facts;
};

struct edict_frame {
  explicit edict_frame(std::shared_ptr<const edict::Policy> p) : policy(std::move(p)), frame(*policy) {}
  std::shared_ptr<const edict::Policy> policy;  // first: the frame refers to it
  edict::FactFrame frame;
};

// A decision copied out of edict::Decision (whose views are not NUL-terminated). The strings and lists keep
// their capacity from call to call, so a warmed-up session decides without allocating.
struct edict_decision {
  std::string outcome;
  bool indeterminate = false;
  std::vector<std::string> classifications;
  std::vector<std::string> deciding_rules;
  std::vector<std::string> exemptions;
};

struct edict_session {
  explicit edict_session(std::shared_ptr<const edict::Policy> p) : policy(std::move(p)), session(*policy) {}
  std::shared_ptr<const edict::Policy> policy;  // first: the session refers to it
  edict::Session session;
  edict_decision decision;
};
