// Compile once, evaluate many: the embedding API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edict/export.h"
#include "edict/compile_options.hpp"
#include "edict/date.hpp"
#include "edict/diagnostic.hpp"
#include "edict/fact_frame.hpp"
#include "edict/facts.hpp"
#include "edict/inventory.hpp"
#include "edict/limits.hpp"
#include "edict/policy_test.hpp"
#include "edict/result.hpp"
#include "edict/source_file.hpp"

namespace edict {

struct EDICT_API EvalOptions {
  // The date of the transaction. Required: an evaluation without it is an error result (ok == false), never
  // a guessed date.
  std::optional<Date> as_of;
  std::optional<Date> rules_as_of;  // which published rulebook; absent = the latest
  bool trace = false;               // build EvalResult::trace
  // Bounds for this evaluation (Limits::eval_steps, and the fact limits checked when binding facts built in
  // code). Absent: the limits the policy was compiled with (Policy::limits).
  std::optional<Limits> limits;
};

namespace detail {
struct Internals;  // the library's own access to the compiled form (interp/api/internals.hpp)
}

// A compiled policy. Immutable: every method is const and safe to call from many threads at once.
class EDICT_API Policy {
 public:
  ~Policy();

  // Binds the facts to the schema, then evaluates. Never throws for bad facts or an exceeded limit: see
  // EvalResult::ok.
  EvalResult evaluate(const Facts& facts, const EvalOptions& options) const;

  // The `test` declarations of the policy, in source order.
  const std::vector<PolicyTest>& tests() const;
  // What the policy declares: facts, outcomes, rules and exemptions, groups, parameters, tiers.
  PolicyInventory inventory() const;
  // The content digest: SHA-256 over the sources' names relative to the policy root (sorted), their texts and
  // the standard-library modules used; 64 hex digits. The same for any working directory or path spelling,
  // and from memory with the same relative names (README, "Audit trail").
  std::string digest() const;
  // Whether the policy declares outputs (`output NAME : TYPE ...`): its results carry values.
  bool has_outputs() const;
  // The limits the policy was compiled with (CompileOptions::effective_limits()); evaluations use them unless
  // EvalOptions::limits is set. Pass them to Facts::from_json to read facts for this policy.
  const Limits& limits() const;

 private:
  friend struct detail::Internals;
  struct Compiled;  // the compiled program; internal
  explicit Policy(std::shared_ptr<const Compiled> compiled);
  std::shared_ptr<const Compiled> compiled_;
};

// A lean decision whose strings view the compiled policy (valid while the policy lives) and whose lists are
// reused by the next Session::decide call.
struct EDICT_API Decision {
  bool ok = true;                                   // false: the facts did not fit the schema, or a limit was
                                                    // exceeded (limit_exceeded); see *errors
  bool limit_exceeded = false;                      // the evaluation stopped at Limits::eval_steps
  std::string_view decision;                        // an outcome name, or "indeterminate"
  std::vector<std::string_view> classifications;    // in declaration order of the labels
  std::vector<std::string_view> deciding_rules;     // in evaluation order
  std::vector<std::string_view> exemptions;         // the exemptions that changed a deciding rule's outcome
  std::vector<std::string_view> fired;              // every rule that fired and exemption that applied, in
                                                    // evaluation order (whether or not it decided)
  bool indeterminate = false;                       // some rule or exemption was unknown (see evaluate())
  const std::vector<std::string>* errors = nullptr;
  const std::vector<std::string>* warnings = nullptr;
};

// Reusable evaluation state for one policy: the hot path for hosts that evaluate many cases. After a few
// calls, decide() does not allocate (facts with new long strings or huge numbers excepted). A Session is
// not thread-safe: use one per thread; the Policy itself is shared.
class EDICT_API Session {
 public:
  explicit Session(const Policy& policy);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The decision only (no trace, no reasons): the returned reference is valid until the next call.
  const Decision& decide(const Facts& facts, const EvalOptions& options);
  // The full result, as Policy::evaluate, reusing this session's buffers.
  EvalResult evaluate(const Facts& facts, const EvalOptions& options);
  // The same two on prepared facts (edict/fact_frame.hpp), made for this session's policy: no path is looked
  // up and no text parsed. A frame whose setters met errors gives a result that is not ok, with those errors.
  const Decision& decide(const FactFrame& facts, const EvalOptions& options);
  EvalResult evaluate(const FactFrame& facts, const EvalOptions& options);
  // The outputs' values of the last decide() (as EvalResult::values), built when asked, so that a decision
  // alone does not format them; empty when the policy declares none or the last decide() was not ok. Valid
  // until the next call.
  const std::vector<OutputValue>& values();

 private:
  friend struct detail::Internals;
  struct State;
  std::unique_ptr<State> state_;
};

struct EDICT_API CompileResult {
  std::shared_ptr<const Policy> policy;  // null when there are errors
  std::vector<Diagnostic> diagnostics;   // errors and warnings, sorted by file and position
  bool ok() const { return policy != nullptr; }
};

// Compiles the given files (and what they import). No exceptions for user errors.
EDICT_API CompileResult compile(const std::vector<SourceFile>& sources, const CompileOptions& options = {});
// Compiles a policy file, or every *.edict file under a directory (sorted by path).
EDICT_API CompileResult compile_path(const std::string& path, const CompileOptions& options = {});
// Compiles several paths as one policy (files, or directories of *.edict files), e.g. a policy plus separate
// test files. A file reached twice is read once. Empty `options.root`: the directory of the first path, or the
// common parent directory of all the paths when some lie outside it.
EDICT_API CompileResult compile_paths(const std::vector<std::string>& paths, const CompileOptions& options = {});

}  // namespace edict
