// Internal to interp/lint/ (`edict lint`): the shared state of one lint run and the one question every
// reasoning check asks, "can these conditions be true (or false) together on some date of a window?". The
// parts, one job per file:
//   space.cpp       the regions of the facts a set of conditions reads, enumerated and evaluated
//   conditions.cpp  conditions that never hold, exemptions that never apply, tiers, parameters, amendments
//   usage.cpp       facts, definitions, groups, parameters and tiers that nothing uses
//   suppress.cpp    `# lint: allow CODE -- reason` comments
//   lint.cpp        the driver and the public entry point (edict/lint.hpp)
//
// How a question is answered. The conditions are walked (ir/walk.hpp) for the facts they read and the
// constants each fact is compared with; each fact gets one candidate value per region its comparisons cut
// (each bound, a value between each two, one beyond each end; one code per class of enumeration codes that
// every set and equality treats alike; absent when that can matter), classifications are free booleans, and
// the dates are the window's start and every date inside it on which a group or a parameter changes. Every
// combination is evaluated by the evaluator itself (eval/probe.hpp), so lint carries no second copy of the
// semantics. The answer is exact (kNo means never) only when every comparison sets one fact against
// constants (or a tier against its labels); a derived value (arithmetic on facts), two facts compared with
// each other, or more combinations than LintOptions::max_cases leave the question open (kUnknown), and an
// open question is never reported.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "edict/date.hpp"
#include "edict/lint.hpp"
#include "eval/probe.hpp"
#include "ir/program.hpp"

namespace edict::linter {

using ir::kNone;

// One finding before it is located: a stable code, the message, help, and the span it points at.
struct Finding {
  std::string code;
  std::string message;
  std::string help;
  syntax::Span span;
};

// ---- the state of one run

struct Context {
  Context(const CompiledProgram& program, const LintOptions& options);

  const CompiledProgram& p;
  LintOptions options;
  eval::Probe probe;
  eval::BoundFacts base;           // no facts given: every fact absent, constant defaults filled
  std::vector<Date> change_dates;  // sorted, unique: every date on which a group, parameter or rule changes
  std::vector<bool> label_free;    // per label: some rule classifies it (else `classified` is always false)
  Date latest;                     // the rulebook with every amendment ("latest")

  // The rulebook date that reads `version` with the most amendments: the last day it is visible.
  Date rulebook_of(const ir::RuleVersion& version) const;
  // Whether source file `file` belongs to the policy (not a standard-library module).
  bool own_file(std::uint32_t file) const;
  // "on 2023-10-17", or "at any date" for Date::min().
  static std::string date_text(Date d);
};

// ---- the question (space.cpp)

enum class Answer : std::uint8_t { kNo, kYes, kUnknown };

// One point of the space: the bound facts, the date and the labels classified.
struct Point {
  const eval::BoundFacts& facts;
  Date as_of;
  std::span<const std::uint32_t> classified;
};

// The regions of the facts that `conditions` read, on the dates of [from, until) in rulebook `rules`.
class Space {
 public:
  Space(Context& cx, std::span<const std::uint32_t> conditions, Date from, Date until, Date rules);
  ~Space();
  Space(const Space&) = delete;
  Space& operator=(const Space&) = delete;

  // Whether the regions cover every case (see the top of this file) and are few enough to enumerate.
  bool exact() const;
  // Calls visit(point) for each point until it returns false; false when stopped.
  bool for_each(const std::function<bool(const Point&)>& visit);
  // The truth of `node` at `point`, by the evaluator: kTrue, kFalse or kUnknown.
  eval::Truth truth(const Point& point, std::uint32_t node);
  // The facts the conditions read (slots), and the value fact `slot` has at the point being visited, as
  // written in a policy ("2400", "CN", "\"Acme\"", "2024-01-01"); "" when absent.
  std::vector<std::uint32_t> facts() const;
  std::string value_of(std::uint32_t slot) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Can `true_nodes` all be true while `false_nodes` are all false, on some date of [from, until)?
Answer satisfiable(Context& cx, std::span<const std::uint32_t> true_nodes, std::span<const std::uint32_t> false_nodes,
                   Date from, Date until, Date rules);

// ---- the checks

void check_conditions(Context& cx, std::vector<Finding>& out);   // conditions.cpp
void check_usage(Context& cx, std::vector<Finding>& out);        // usage.cpp

// ---- suppressions (suppress.cpp)

struct Suppression {
  std::uint32_t file = 0;
  std::uint32_t line = 0;  // 1-based: the line of the comment
  std::vector<std::string> codes;
  std::string reason;
  syntax::Span span;  // the comment
  bool used = false;
};

// The `# lint: allow CODE[, CODE...] -- reason` comments of the policy's own files.
std::vector<Suppression> find_suppressions(const Context& cx);
// Parses the text after `#` of one comment; false when it is not a lint comment. Exposed for unit tests.
bool parse_suppression(std::string_view comment, std::vector<std::string>& codes, std::string& reason);

}  // namespace edict::linter
