// Syntax tree: what the parser (grammar/parse.cpp) produces from one source file. Stage 1 of the pipeline.
// No PEGTL type appears here. Every node carries a Span (byte offsets into its file's text).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace edict::syntax {

// Byte range [begin, end) in the text of source file `file` (an index chosen by the caller of parse()).
struct Span {
  std::uint32_t file = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// A calendar date written in the source (ISO 8601 YYYY-MM-DD), not yet validated for month lengths.
struct DateLit {
  Span span;
  std::string text;  // exactly as written, e.g. "2023-11-17"
};

enum class ExprKind : std::uint8_t {
  kNumber,      // text = digits as written (underscores kept; the checker parses exactly)
  kString,      // text = unescaped contents
  kDate,        // text = "YYYY-MM-DD"
  kBool,        // text = "true" | "false"
  kAsOf,        // `as_of`: the date of the transaction
  kPath,        // text = dotted name: a fact path, a definition, a parameter, a tier or a group
  kClassified,  // text = the label: classified "3A090.a"
  kSetLiteral,  // members = the elements
  kNeg,         // kids[0]
  kNot,         // kids[0]
  kAnd,         // kids[0], kids[1]
  kOr,          // kids[0], kids[1]
  kArith,       // kids[0] op kids[1], op in arith_op
  kCompare,     // kids[0] ops[0] kids[1] ops[1] kids[2] ... (a chain of at least one comparison)
  kIn,          // kids[0] in kids[1] (kids[1] is a set expression); negated = `not in`
  kMatches,     // kids[0] matches kids[1]
  kStartsWith,  // kids[0] starts with kids[1] (a kString, or a kSetLiteral of prefixes)
  kPresent,     // kids[0] is present; negated = `is absent`
  kIf,          // if kids[0] then kids[1] else kids[2]
  kSetOp,       // kids[0] set_op kids[1]
};

enum class ArithOp : std::uint8_t { kAdd, kSub, kMul, kDiv };
// `25 days` is the number 25 with the unit written (for date arithmetic: `as_of + 25 days`).
enum class CompareOp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
enum class SetOp : std::uint8_t { kUnion, kIntersect, kExcept };

// A member of a set literal: a bare word (CN) or a string ("Moore Threads"), plus optional aliases.
struct SetMember {
  Span span;
  std::string value;
  bool quoted = false;               // written as a string
  std::vector<std::string> aliases;  // "A" aka "B" aka "C"
};

struct Expr {
  ExprKind kind{};
  Span span;  // the whole expression
  std::string text;
  ArithOp arith_op{};
  SetOp set_op{};
  bool negated = false;
  std::vector<CompareOp> ops;             // kCompare only; ops.size() == kids.size() - 1
  std::vector<std::unique_ptr<Expr>> kids;
  std::vector<SetMember> members;         // kSetLiteral only
  // Height of this tree: 1 for a leaf, else 1 + the tallest kid. The parser bounds it (ParseOptions::
  // max_nesting_depth), so code that recurses over an expression, its destructor included, cannot overflow.
  std::uint32_t height = 1;
  bool days = false;  // kNumber written with `days`
};
using ExprPtr = std::unique_ptr<Expr>;

struct Name {
  Span span;
  std::string text;
};

struct StringLit {
  Span span;
  std::string value;  // unescaped
};

// ---- declarations ------------------------------------------------------------------------------

struct PolicyDecl {
  Span span;
  StringLit title;
  std::vector<Name> outcomes;  // most severe first
  Name default_outcome;
};

struct AmendmentDecl {
  Span span;
  StringLit title;
  DateLit published;
  std::optional<StringLit> citation;
};

struct ImportDecl {
  Span span;
  StringLit path;  // relative to the importing file
};

struct UseDecl {
  Span span;
  Name module;
};

struct EnumMember {
  Span span;
  std::string code;
  std::optional<std::string> display;
};

struct EnumDecl {
  Span span;
  Name name;
  std::vector<EnumMember> members;
};

enum class BaseType : std::uint8_t { kDecimal, kInteger, kBool, kString, kDate, kNamed, kOneOf };

struct TypeRef {
  Span span;
  bool optional = false;
  BaseType base{};
  Name named;                        // kNamed: an enumeration name such as `country`
  std::vector<StringLit> one_of;     // kOneOf
};

struct FactDecl {
  Span span;
  Name path;  // dotted
  TypeRef type;
  ExprPtr default_value;  // may be null
  StringLit doc;
};

// `output duty_rate : decimal combine max default 0 "Duty rate, percent"`: a value the policy returns,
// set by rules (`set duty_rate = 25`).
struct OutputDecl {
  Span span;
  Name name;
  TypeRef type;
  std::optional<Name> combine;  // absent: `unique`
  ExprPtr default_value;        // may be null
  StringLit doc;
};

struct DefineDecl {
  Span span;
  Name name;
  ExprPtr value;
};

enum class GroupChangeKind : std::uint8_t { kMembers, kAdd, kRemove };

struct GroupChange {
  Span span;
  GroupChangeKind kind{};
  ExprPtr members;  // a kSetLiteral
  std::optional<DateLit> from;
};

struct GroupDecl {
  Span span;
  Name name;
  Name element_type;   // "name", "string" or an enumeration name
  ExprPtr definition;  // `= set_expr`, may be null
  std::vector<GroupChange> changes;
};

struct ParameterStep {
  Span span;
  ExprPtr value;  // null for `none`
  DateLit from;
};

struct ParameterDecl {
  Span span;
  Name name;
  std::vector<ParameterStep> steps;
};

struct TierCase {
  Span span;
  StringLit label;
  ExprPtr condition;
};

struct TierDecl {
  Span span;
  Name name;
  std::vector<TierCase> cases;
  StringLit otherwise;
};

enum class OutcomeKind : std::uint8_t { kClassify, kDecision };

struct Outcome {
  Span span;
  OutcomeKind kind{};
  std::string label;                // classification label or decision name
  std::optional<StringLit> reason;  // `because "..."`
};

// One entry of an `overrides` list: a rule or exemption by name, or a selector of rules (resolved per
// rulebook by the checker): `rules deciding OUTCOME`, `rules testing classified "LABEL"`.
enum class OverrideKind : std::uint8_t { kName, kRulesDeciding, kRulesTesting };

struct OverrideItem {
  Span span;
  OverrideKind kind{};
  std::string text;  // the name, the outcome, or the label
  bool same_as(const OverrideItem& other) const { return kind == other.kind && text == other.text; }
};

// `set NAME = expr` in a rule or exemption: the value it gives an output when it takes effect.
struct SetClause {
  Span span;
  Name output;
  ExprPtr value;
};

// `oblige "Notify BIS" by as_of - 25 days citing "15 CFR 740.8(b)"`: an obligation the rule or exemption
// attaches to its outcome when it takes effect.
struct ObligeClause {
  Span span;
  StringLit name;
  ExprPtr due;                        // a date; may be null
  std::optional<StringLit> citation;
};

// A rule or exemption body. For `amend`, only the clauses written are set.
struct RuleBody {
  std::optional<StringLit> title;
  std::optional<StringLit> citation;
  bool has_effective = false;
  std::optional<DateLit> effective_from;
  std::optional<DateLit> effective_until;
  Span effective_span;
  ExprPtr when;  // may be null when absent
  std::optional<Outcome> then;
  std::vector<OverrideItem> overrides;  // exemptions only: `overrides ...` (the whole list)
  bool has_overrides = false;
  // `amend exemption`: `overrides add ...` and `overrides remove ...` change the list of the version before.
  std::vector<OverrideItem> overrides_added;
  std::vector<OverrideItem> overrides_removed;
  std::vector<SetClause> sets;  // for `amend`: each replaces that output's value, the others are kept
  std::vector<ObligeClause> obligations;  // for `amend`: any replace the version's whole list
};

enum class RuleKind : std::uint8_t { kRule, kExemption };

struct RuleDecl {
  Span span;
  RuleKind kind{};
  Name name;
  RuleBody body;
};

enum class AmendTarget : std::uint8_t { kRule, kExemption, kGroup, kParameter };

struct AmendDecl {
  Span span;
  AmendTarget target{};
  Name name;
  RuleBody body;                      // kRule / kExemption
  std::vector<GroupChange> changes;   // kGroup
  std::vector<ParameterStep> steps;   // kParameter
};

struct RepealDecl {
  Span span;
  RuleKind kind{};
  Name name;
};

// One `given path = literal` assignment in a test.
struct Given {
  Span span;
  Name path;
  ExprPtr value;  // a literal: number, string, date, bool (possibly negated number)
};

enum class ExpectKind : std::uint8_t {
  kDecision,         // names[0]
  kClassifications,  // labels (exact set)
  kClassified,       // labels[0]
  kNotClassified,    // labels[0]
  kDeciding,         // names
  kExemption,        // names[0]
  kMissing,          // names (fact paths)
  kValue,            // names[0] = the output, value = the expected literal, or labels[0] = unset /
                     // indeterminate / conflict
  kObligation,       // labels[0] = the obligation's name
};

struct Expect {
  Span span;
  ExpectKind kind{};
  std::vector<Name> names;
  std::vector<StringLit> labels;
  ExprPtr value;  // kValue
};

struct TestDecl {
  Span span;
  StringLit name;
  std::optional<DateLit> as_of;
  std::optional<DateLit> rules_as_of;
  std::vector<StringLit> fact_files;  // given file "..."
  std::vector<Given> givens;
  std::vector<Expect> expects;
};

using Decl = std::variant<PolicyDecl, AmendmentDecl, ImportDecl, UseDecl, EnumDecl, FactDecl, DefineDecl,
                          GroupDecl, ParameterDecl, TierDecl, RuleDecl, AmendDecl, RepealDecl, TestDecl, OutputDecl>;

// A `# ...` comment: its span runs from the `#` to the end of the line (the newline and a `\r` before it
// excluded). Collected only when ParseOptions::keep_comments is set (the formatter needs them; the checker
// does not).
struct Comment {
  Span span;
};

struct File {
  std::vector<Decl> decls;
  std::vector<Comment> comments;  // in source order; empty unless ParseOptions::keep_comments
};

}  // namespace edict::syntax
