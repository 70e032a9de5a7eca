// The compiled form (stage 3): flat, immutable tables addressed by 32-bit indices. Built by sema/, read by
// eval/. Nothing here is mutated after compilation, so one program is shared by all threads.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "edict/date.hpp"
#include "edict/limits.hpp"
#include "edict/policy_test.hpp"
#include "edict/source_file.hpp"
#include "core/num.hpp"
#include "core/string_hash.hpp"
#include "core/number.hpp"
#include "syntax.hpp"

namespace edict::ir {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

enum class Type : std::uint8_t { kBool, kNumber, kString, kDate, kEnum, kSet };

// A value type; `enum_id` names the enumeration for kEnum, and for kSet of enumeration members.
struct TypeInfo {
  Type type = Type::kBool;
  std::uint32_t enum_id = kNone;   // kEnum, or kSet whose elements are enum values
  bool names = false;              // kSet of party names (normalised matching)
  friend bool operator==(const TypeInfo&, const TypeInfo&) = default;
};

enum class Op : std::uint8_t {
  kConstBool,   // a = 0/1
  kConstNum,    // a = index into numbers
  kConstStr,    // a = index into strings
  kConstDate,   // a = days
  kConstEnum,   // a = member index
  kFact,        // a = fact slot
  kDefinition,  // a = definition index
  kParameter,   // a = parameter index
  kTier,        // a = tier index
  kClassified,  // a = label index
  kNeg, kNot, kAnd, kOr,
  kAdd, kSub, kMul, kDiv,
  kCompare,     // kids (chain), cmps
  kIn,          // a = element node, b = set node; negated
  kMatches,     // a = element node, b = set node
  kStartsWith,  // a = element node, b = set node of a prefix group (Group::prefixes)
  kPresent,     // a = fact slot; negated (is absent)
  kIf,          // a, b, c
  kAsOf,        // the transaction date (`as_of`)
  kAddDays,     // a = date, b = number of days (`as_of + 25 days`; `-` when negated)
  kDaysBetween, // a - b, both dates: a number of days
  kSetGroup,    // a = group index (also literal sets, compiled to anonymous groups)
  kSetUnion, kSetIntersect, kSetExcept,  // a, b
};

struct Node {
  Op op{};
  TypeInfo type;
  bool negated = false;
  std::uint32_t a = kNone;
  std::uint32_t b = kNone;
  std::uint32_t c = kNone;
  std::uint32_t first_kid = 0;  // kCompare: kids in program.kid_list[first_kid .. first_kid + kid_count)
  std::uint32_t kid_count = 0;
  std::uint32_t text = kNone;   // index into strings: source text of this node (operands shown in traces)
  syntax::Span span;
};

struct EnumType {
  std::string name;
  std::vector<std::string> codes;
  std::vector<std::string> displays;
  std::unordered_map<std::string, std::uint32_t, core::StringHash, std::equal_to<>> index;  // code -> position
};

struct FactSlot {
  std::string path;
  TypeInfo type;
  bool optional = false;
  bool integer = false;  // declared `integer`: a number that must be integral
  bool matched = false;  // a string that `matches` compares: its normalised name is cached (index_name_facts)
  std::uint32_t default_node = kNone;  // a constant or a kFact node
  std::string doc;
  syntax::Span span;
};

struct Definition {
  std::string name;
  std::uint32_t node = kNone;
  syntax::Span span;
};

// One dated change of membership: visible when known_from <= rules_as_of, effective when from <= as_of.
struct MembershipEvent {
  Date known_from;
  Date from;
  bool add = true;
};

struct Group {
  std::string name;  // "{...}" for set literals
  TypeInfo element;  // kEnum (enum_id) or kString (names = normalised matching)
  // Enumeration groups: events per member code (indexed by member index; empty = never a member).
  std::vector<std::vector<MembershipEvent>> enum_events;
  // Name and string groups: entries (canonical name), their events, and every key (normalised name or
  // alias, or the exact string) mapped to its entry.
  std::vector<std::string> entries;
  std::vector<std::vector<MembershipEvent>> entry_events;
  std::unordered_map<std::string, std::uint32_t> keys;
  std::uint32_t definition = kNone;  // `= set_expr`: membership follows that node
  // `x starts with {...}` on a string: an element is in when one of the entries is a prefix of it. (On an
  // enumeration the checker lists the codes that start with a prefix instead: an ordinary group.)
  bool prefixes = false;
  syntax::Span span;
};

struct ParameterStep {
  Date known_from;
  Date known_until;
  Date from;
  std::uint32_t value = kNone;  // node; kNone = `none`
};

struct Parameter {
  std::string name;
  TypeInfo type;
  std::vector<ParameterStep> steps;  // in declaration order
  syntax::Span span;
};

struct TierCase {
  std::uint32_t label = kNone;      // index into strings
  std::uint32_t condition = kNone;  // node
};

struct Tier {
  std::string name;
  std::vector<TierCase> cases;
  std::uint32_t otherwise = kNone;  // index into strings
  std::vector<std::string> labels;
  syntax::Span span;
};

enum class OutcomeKind : std::uint8_t { kClassify, kDecision };

// How the values several rules give one output make its value (LANGUAGE.md, outputs).
enum class Combine : std::uint8_t {
  kUnique,    // all agree, else a conflict (the default)
  kDeciding,  // the values of the deciding rules and exemptions only; they must agree
  kMax,
  kMin,
  kSum,
  kFirst,     // the first rule or exemption in declaration order
};

// `output NAME : TYPE combine KIND default EXPR "doc"`: a value the policy returns.
struct Output {
  std::string name;
  TypeInfo type;
  bool integer = false;
  Combine combine = Combine::kUnique;
  std::uint32_t default_node = kNone;  // when no rule gives a value
  std::string doc;
  syntax::Span span;
};

// `oblige "NAME" by DATE citing "CITATION"` of a rule or exemption version.
struct Obligation {
  std::string name;
  std::uint32_t due = kNone;  // a date node, or kNone
  std::string citation;
};

// `set OUTPUT = expr` of a rule or exemption version.
struct ValueSet {
  std::uint32_t output = kNone;
  std::uint32_t node = kNone;
};

// One version of a rule or exemption: in the rulebook for rules_as_of in [known_from, known_until), in force
// for as_of in [from, until).
struct RuleVersion {
  Date known_from = Date::min();
  Date known_until = Date::max();
  Date from = Date::min();
  Date until = Date::max();
  std::string title;
  std::string citation;
  std::string defined_by;  // amendment title, or the base file
  std::uint32_t condition = kNone;
  OutcomeKind outcome_kind = OutcomeKind::kDecision;
  std::uint32_t outcome = kNone;  // label index (classify) or outcome index (decision)
  std::string reason;
  std::vector<std::uint32_t> overrides;  // entity indices (exemptions only)
  std::vector<ValueSet> sets;            // in output order
  std::vector<Obligation> obligations;   // in source order
  syntax::Span span;

  bool in_force_on(Date as_of) const { return from <= as_of && as_of < until; }
  bool in_rulebook_of(Date rules_as_of) const { return known_from <= rules_as_of && rules_as_of < known_until; }
};

// A rule or an exemption.
struct Entity {
  std::string name;
  bool exemption = false;
  std::vector<RuleVersion> versions;
  syntax::Span span;
};

}  // namespace edict::ir

namespace edict {

class CompiledProgram {
 public:
  std::vector<SourceFile> sources;  // index = Span::file
  std::vector<std::vector<std::uint32_t>> line_starts;  // per source: byte offset of each line (trace locations)
  std::vector<ir::Node> nodes;
  std::vector<std::string> definition_texts;  // per definition: its expression as written (for traces)
  std::vector<std::uint32_t> kid_list;
  // The evaluator remembers enumeration membership per set expression (see ir::index_enum_sets): for each
  // node, the index of its cache when it is the set of an `in`/`matches` on an enumeration value, else kNone;
  // and the 64-bit words of each cache (one bit per code).
  std::vector<std::uint32_t> enum_set_cache_of;
  std::vector<std::uint32_t> enum_set_cache_words;
  std::vector<syntax::CompareOp> compare_ops;  // parallel to kid_list gaps: ops for node kids i, i+1
  std::vector<core::Rational> numbers;
  std::vector<core::Num> num_constants;  // the same values as `numbers`, in the evaluator's fast form
  std::vector<std::string> strings;

  std::vector<ir::EnumType> enums;
  std::vector<ir::FactSlot> facts;
  std::unordered_map<std::string, std::uint32_t, core::StringHash, std::equal_to<>> fact_index;
  std::vector<ir::Definition> definitions;
  std::vector<ir::Group> groups;
  std::vector<ir::Parameter> parameters;
  std::vector<ir::Tier> tiers;
  std::vector<ir::Output> outputs;
  bool has_obligations = false;  // some rule or exemption version has an `oblige` clause
  std::vector<std::string> labels;    // classification labels
  std::vector<std::string> outcomes;  // most severe first
  std::uint32_t default_outcome = 0;
  std::vector<ir::Entity> entities;       // rules and exemptions
  std::vector<std::uint32_t> order;       // evaluation order of rules (not exemptions): classifications first
  std::vector<std::vector<std::uint32_t>> label_rules;  // per label: the rules that classify it
  // Per rule: every exemption that may override it in some version, directly or through another exemption
  // (a superset; the versions in force decide at evaluation). Empty for exemptions.
  std::vector<std::vector<std::uint32_t>> exemption_candidates;
  std::string policy_title;
  std::string digest;
  std::vector<PolicyTest> tests;
  Limits limits;  // the compile limits: evaluation defaults (Policy::limits)
};

}  // namespace edict
