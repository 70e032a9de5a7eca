// Parser: text -> syntax tree, with PEGTL. The grammar is in rules.hpp (one struct per EBNF nonterminal);
// this file has the parser state, the actions that build the tree, the control that limits nesting and turns
// `need<>` failures into friendly diagnostics, and the entry point.
//
// How the tree is built: lexeme actions push onto small stacks in `State` (expressions, names, strings,
// dates, set members), and the action of the enclosing nonterminal pops what it needs. Expression nodes get
// spans from their children (a binary node spans from the start of its left operand to the end of its right
// one); a parenthesised expression's span includes the parentheses. Declaration and clause spans run from
// their first token to the end of their last token (trailing whitespace and comments trimmed).
#include "parse.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "rules.hpp"
#include "utf8.hpp"

namespace edict::grammar {
namespace {

namespace pg = tao::pegtl;
namespace r = rules;
using syntax::Expr;
using syntax::ExprKind;
using syntax::ExprPtr;
using syntax::Span;

// ---- text helpers ----------------------------------------------------------------------------------------

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// End of the last token in [begin, end), where `begin` is the start of a token: drops trailing whitespace and
// comments. One forward pass (comments can only be told apart from `#` in strings going forward).
const char* trim_end(const char* begin, const char* end) {
  const char* last = begin;
  for (const char* p = begin; p < end;) {
    if (*p == '#') {
      while (p < end && *p != '\n') ++p;
    } else if (is_space(*p)) {
      ++p;
    } else if (*p == '"') {
      for (++p; p < end && *p != '"' && *p != '\n'; ++p) {
        if (*p == '\\') ++p;
      }
      p = std::min(p + 1, end);
      last = p;
    } else {
      last = ++p;
    }
  }
  return last;
}

// The extent of the token starting at `p` (for error spans and messages).
const char* token_end(const char* p, const char* stop) {
  if (p >= stop) return p;
  const char c = *p;
  if (r::is_letter(c)) {
    while (p < stop && r::is_word_char(*p)) ++p;
    return p;
  }
  if (r::is_digit(c)) {
    while (p < stop && (r::is_word_char(*p) || *p == '.' || *p == '-')) ++p;
    return p;
  }
  if (c == '"') {
    ++p;
    while (p < stop && *p != '"' && *p != '\n' && *p != '\r') p += (*p == '\\' && p + 1 < stop) ? 2 : 1;
    return p < stop && *p == '"' ? p + 1 : p;
  }
  if ((c == '=' || c == '!' || c == '<' || c == '>') && p + 1 < stop && p[1] == '=') return p + 2;
  ++p;
  while (p < stop && (static_cast<unsigned char>(*p) & 0xC0U) == 0x80U) ++p;  // rest of a UTF-8 character
  return p;
}

// The start of the token that ends at `end` (for the {prev} placeholder).
const char* token_begin(const char* base, const char* end) {
  if (end <= base) return end;
  const char* p = end;
  const char c = p[-1];
  if (r::is_word_char(c)) {
    while (p > base && (r::is_word_char(p[-1]) || p[-1] == '.')) --p;
    return p;
  }
  if (c == '"') {
    --p;
    while (p > base && !(p[-1] == '"' && (p - 1 == base || p[-2] != '\\')) && p[-1] != '\n') --p;
    return p > base && p[-1] == '"' ? p - 1 : p;
  }
  if (c == '=' && p - 1 > base && (p[-2] == '=' || p[-2] == '!' || p[-2] == '<' || p[-2] == '>')) return p - 2;
  return p - 1;
}

std::string unescape(std::string_view raw) {  // raw includes the quotes; escapes were validated by the lexer
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\') {
      c = raw[++i];
      if (c == 'n') c = '\n';
      else if (c == 't') c = '\t';
    }
    out.push_back(c);
  }
  return out;
}

// ---- parser state --------------------------------------------------------------------------------------

struct State {
  const char* base;
  const char* stop;
  std::uint32_t file;
  const ParseOptions& options;

  syntax::File out;

  // Error context.
  std::size_t depth = 0;
  std::string_view block = "file";
  const char* block_begin = nullptr;
  std::vector<const char*> parens;
  const char* brace = nullptr;
  std::map<std::string, const char*, std::less<>> seen_clauses;
  const char* operand_end = nullptr;  // where the last complete comparison operand ended (next token)

  // Operand stacks.
  std::vector<ExprPtr> exprs;
  std::vector<ExprPtr> chains;  // comparison chains under construction
  std::vector<syntax::SetMember> members;
  std::vector<syntax::Name> names;
  std::vector<syntax::OverrideItem> override_items;
  std::vector<syntax::StringLit> strings;
  std::vector<syntax::DateLit> dates;

  // Parts of the declaration being built.
  std::vector<syntax::EnumMember> enum_members;
  syntax::TypeRef type;
  ExprPtr fact_default;
  std::optional<syntax::Name> combine;
  ExprPtr oblige_due;
  std::optional<syntax::StringLit> oblige_citation;
  ExprPtr group_definition;
  std::vector<syntax::GroupChange> changes;
  std::vector<syntax::ParameterStep> steps;
  std::vector<syntax::TierCase> cases;
  syntax::Outcome outcome;
  syntax::Name head_name;
  syntax::RuleBody body;
  syntax::AmendDecl amend;
  syntax::TestDecl test;
  syntax::RuleKind repeal_kind{};

  State(const char* b, const char* e, std::uint32_t f, const ParseOptions& o)
      : base(b), stop(e), file(f), options(o) {}

  std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - base); }
  Span span(const char* b, const char* e) const { return Span{file, offset(b), offset(e)}; }
  template <typename Input>
  Span exact(const Input& in) const {
    return span(in.begin(), in.end());
  }
  template <typename Input>
  Span trimmed(const Input& in) const {
    return span(in.begin(), trim_end(in.begin(), in.end()));
  }
  std::size_t line_of(const char* p) const { return 1 + static_cast<std::size_t>(std::count(base, p, '\n')); }

  [[noreturn]] void fail(const char* at, std::string message, std::string help = {},
                         std::string code = "syntax-error") const {
    throw r::SyntaxFailure{at, nullptr, std::move(code), std::move(message), std::move(help)};
  }

  // A clause that may appear at most once per block.
  void once(const std::string& clause, const char* at) {
    auto [it, fresh] = seen_clauses.emplace(clause, at);
    if (!fresh) {
      fail(at, "duplicate `" + clause + "` clause",
           "the first `" + clause + "` clause of this `" + std::string(block) + "` is at line " +
               std::to_string(line_of(it->second)));
    }
  }

  template <typename T>
  T pop(std::vector<T>& stack) {
    T v = std::move(stack.back());
    stack.pop_back();
    return v;
  }
  ExprPtr pop_expr() { return pop(exprs); }

  // The content of a string literal token (quotes included in `in`), within max_string_bytes.
  template <typename Input>
  std::string string_value(const Input& in) const {
    std::string value = unescape(in.string_view());
    if (value.size() > options.max_string_bytes) {
      throw r::SyntaxFailure{in.begin(), in.end(), "limit-exceeded",
                             "string literal is " + std::to_string(value.size()) + " bytes, more than the limit of " +
                                 std::to_string(options.max_string_bytes) + " bytes",
                             {}};
    }
    return value;
  }

  // `e` gained kid `kid`: its height grows, within max_nesting_depth levels below the root (the checker's
  // bound, enforced here so that no later recursion over the tree goes deeper).
  void grow(Expr& e, const Expr& kid) const {
    e.height = std::max(e.height, kid.height + 1);
    if (e.height - 1 > options.max_nesting_depth) {
      throw r::SyntaxFailure{base + e.span.begin, base + e.span.end, "limit-exceeded",
                             "expression nesting is deeper than " + std::to_string(options.max_nesting_depth) +
                                 " levels",
                             "split the expression with `define`"};
    }
  }

  ExprPtr make(ExprKind kind, Span s, std::string text = {}) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->span = s;
    e->text = std::move(text);
    return e;
  }
  // A node over its children; spans from the first child's start (or `begin`) to the last child's end.
  ExprPtr node(ExprKind kind, std::vector<ExprPtr> kids, const char* begin = nullptr) {
    Span s{file, begin != nullptr ? offset(begin) : kids.front()->span.begin, kids.back()->span.end};
    auto e = make(kind, s);
    for (const auto& kid : kids) grow(*e, *kid);
    e->kids = std::move(kids);
    return e;
  }
  void binary(ExprKind kind, auto&& setup) {
    ExprPtr rhs = pop_expr();
    ExprPtr lhs = pop_expr();
    std::vector<ExprPtr> kids;
    kids.push_back(std::move(lhs));
    kids.push_back(std::move(rhs));
    ExprPtr e = node(kind, std::move(kids));
    setup(*e);
    exprs.push_back(std::move(e));
  }
  void prefix(ExprKind kind, const char* begin) {
    std::vector<ExprPtr> kids;
    kids.push_back(pop_expr());
    exprs.push_back(node(kind, std::move(kids), begin));
  }

  void start_block(const char* at) {
    block_begin = at;
    const char* e = token_end(at, stop);
    block = std::string_view(at, static_cast<std::size_t>(e - at));
    seen_clauses.clear();
  }
  void reset_decl() {
    exprs.clear();
    names.clear();
    strings.clear();
    dates.clear();
    enum_members.clear();
    fact_default.reset();
    combine.reset();
    group_definition.reset();
    changes.clear();
    steps.clear();
    cases.clear();
    body = syntax::RuleBody{};
    amend = syntax::AmendDecl{};
    test = syntax::TestDecl{};
  }
};

std::string_view first_word(const char* p, const char* stop) {
  const char* e = p;
  while (e < stop && r::is_word_char(*e)) ++e;
  return {p, static_cast<std::size_t>(e - p)};
}

// ---- actions -------------------------------------------------------------------------------------------

template <typename Rule>
struct action : pg::nothing<Rule> {};

// Lexemes outside expressions.
template <>
struct action<r::decl_name> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.names.push_back({st.exact(in), in.string()});
  }
};
template <>
struct action<r::decl_path> : action<r::decl_name> {};
template <>
struct action<r::decl_string> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.strings.push_back({st.exact(in), st.string_value(in)});
  }
};
template <>
struct action<r::decl_date> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.dates.push_back({st.exact(in), in.string()});
  }
};

// Expression atoms.
template <>
struct action<r::date_lit> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.exprs.push_back(st.make(ExprKind::kDate, st.exact(in), in.string()));
  }
};
template <>
struct action<r::as_of_ref> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.exprs.push_back(st.make(ExprKind::kAsOf, st.exact(in), in.string()));
  }
};
template <>
struct action<r::days_unit> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    auto& number = *st.exprs.back();
    number.days = true;
    number.span.end = st.offset(in.end());
  }
};
template <>
struct action<r::number_lit> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    const auto digits = static_cast<std::size_t>(std::count_if(in.begin(), in.end(), r::is_digit));
    if (digits > st.options.max_number_digits) {
      throw r::SyntaxFailure{in.begin(), in.end(), "limit-exceeded",
                             "number literal has more than " + std::to_string(st.options.max_number_digits) +
                                 " digits",
                             {}};
    }
    st.exprs.push_back(st.make(ExprKind::kNumber, st.exact(in), in.string()));
  }
};
template <>
struct action<r::string_lit> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.exprs.push_back(st.make(ExprKind::kString, st.exact(in), st.string_value(in)));
  }
};
template <>
struct action<r::bool_lit> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.exprs.push_back(st.make(ExprKind::kBool, st.exact(in), in.string()));
  }
};
template <>
struct action<r::path_ref> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.exprs.push_back(st.make(ExprKind::kPath, st.exact(in), in.string()));
  }
};
template <>
struct action<r::set_name> : action<r::path_ref> {};
template <>
struct action<r::classified_label> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.exprs.push_back(st.make(ExprKind::kClassified, st.exact(in), st.string_value(in)));
  }
};
template <>
struct action<r::classified_ref> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.exprs.back()->span = st.trimmed(in);  // include the `classified` keyword
  }
};

// Parentheses: the inner expression's span grows to include them.
template <>
struct action<r::lparen> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.parens.push_back(in.begin());
  }
};
template <>
struct action<r::paren_expr> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.parens.pop_back();
    st.exprs.back()->span = st.trimmed(in);
  }
};
template <>
struct action<r::paren_set> : action<r::paren_expr> {};

// Set literals.
template <>
struct action<r::set_open> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.brace = in.begin();
    st.members.clear();
  }
};
template <>
struct action<r::member_word> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::SetMember m;
    m.span = st.exact(in);
    m.value = in.string();
    st.members.push_back(std::move(m));
  }
};
template <>
struct action<r::member_string> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::SetMember m;
    m.span = st.exact(in);
    m.value = st.string_value(in);
    m.quoted = true;
    st.members.push_back(std::move(m));
  }
};
template <>
struct action<r::alias_string> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.members.back().aliases.push_back(st.string_value(in));
  }
};
template <>
struct action<r::set_member> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.members.back().span = st.trimmed(in);
  }
};
template <>
struct action<r::set_literal> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    auto e = st.make(ExprKind::kSetLiteral, st.trimmed(in));
    e->members = std::move(st.members);
    st.members.clear();
    st.exprs.push_back(std::move(e));
  }
};

// Operators.
template <>
struct action<r::negation> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.prefix(ExprKind::kNeg, in.begin());
  }
};
template <>
struct action<r::negative_number> : action<r::negation> {};
template <>
struct action<r::negation_not> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.prefix(ExprKind::kNot, in.begin());
  }
};
template <>
struct action<r::mul_tail> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    const auto op = *in.begin() == '*' ? syntax::ArithOp::kMul : syntax::ArithOp::kDiv;
    st.binary(ExprKind::kArith, [op](Expr& e) { e.arith_op = op; });
  }
};
template <>
struct action<r::add_tail> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    const auto op = *in.begin() == '+' ? syntax::ArithOp::kAdd : syntax::ArithOp::kSub;
    st.binary(ExprKind::kArith, [op](Expr& e) { e.arith_op = op; });
  }
};
template <>
struct action<r::chain_begin> {
  static void apply0(State& st) {
    std::vector<ExprPtr> kids;
    kids.push_back(st.pop_expr());
    st.chains.push_back(st.node(ExprKind::kCompare, std::move(kids)));
  }
};
template <>
struct action<r::cmp_step> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    using syntax::CompareOp;
    const char a = in.begin()[0];
    const bool eq = in.begin()[1] == '=';
    CompareOp op = a == '=' ? CompareOp::kEq
                   : a == '!' ? CompareOp::kNe
                   : a == '<' ? (eq ? CompareOp::kLe : CompareOp::kLt)
                              : (eq ? CompareOp::kGe : CompareOp::kGt);
    Expr& chain = *st.chains.back();
    chain.ops.push_back(op);
    chain.kids.push_back(st.pop_expr());
    st.grow(chain, *chain.kids.back());
  }
};
template <>
struct action<r::test_done> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.operand_end = in.begin();
  }
};
template <>
struct action<r::cmp_chain> {
  static void apply0(State& st) {
    ExprPtr chain = st.pop(st.chains);
    chain->span.end = chain->kids.back()->span.end;
    st.exprs.push_back(std::move(chain));
  }
};
template <>
struct action<r::in_tail> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    const bool negated = first_word(in.begin(), in.end()) == "not";
    st.binary(ExprKind::kIn, [negated](Expr& e) { e.negated = negated; });
  }
};
template <>
struct action<r::matches_tail> {
  static void apply0(State& st) {
    st.binary(ExprKind::kMatches, [](Expr&) {});
  }
};
template <>
struct action<r::starts_tail> {
  static void apply0(State& st) {
    st.binary(ExprKind::kStartsWith, [](Expr&) {});
  }
};
template <>
struct action<r::is_tail> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    const char* end = trim_end(in.begin(), in.end());
    std::vector<ExprPtr> kids;
    kids.push_back(st.pop_expr());
    auto e = st.node(ExprKind::kPresent, std::move(kids));
    e->span.end = st.offset(end);
    e->negated = std::string_view(in.begin(), static_cast<std::size_t>(end - in.begin())).ends_with("absent");
    st.exprs.push_back(std::move(e));
  }
};
template <>
struct action<r::and_tail> {
  static void apply0(State& st) {
    st.binary(ExprKind::kAnd, [](Expr&) {});
  }
};
template <>
struct action<r::or_tail> {
  static void apply0(State& st) {
    st.binary(ExprKind::kOr, [](Expr&) {});
  }
};
template <>
struct action<r::if_expr> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    std::vector<ExprPtr> kids(3);
    for (int i = 2; i >= 0; --i) kids[static_cast<std::size_t>(i)] = st.pop_expr();
    st.exprs.push_back(st.node(ExprKind::kIf, std::move(kids), in.begin()));
  }
};
template <>
struct action<r::intersect_tail> {
  static void apply0(State& st) {
    st.binary(ExprKind::kSetOp, [](Expr& e) { e.set_op = syntax::SetOp::kIntersect; });
  }
};
template <>
struct action<r::set_tail> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    const auto op = *in.begin() == 'u' ? syntax::SetOp::kUnion : syntax::SetOp::kExcept;
    st.binary(ExprKind::kSetOp, [op](Expr& e) { e.set_op = op; });
  }
};

// ---- declaration actions ----

template <>
struct action<r::decl_start> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.start_block(in.begin());
    st.reset_decl();
  }
};

template <>
struct action<r::policy_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::PolicyDecl d;
    d.span = st.trimmed(in);
    d.title = std::move(st.strings.at(0));
    d.default_outcome = st.pop(st.names);
    d.outcomes = std::move(st.names);
    st.names.clear();
    st.out.decls.emplace_back(std::move(d));
  }
};

template <>
struct action<r::amendment_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::AmendmentDecl d;
    d.span = st.trimmed(in);
    d.title = std::move(st.strings.at(0));
    d.published = std::move(st.dates.at(0));
    if (st.strings.size() > 1) d.citation = std::move(st.strings[1]);
    st.out.decls.emplace_back(std::move(d));
  }
};

template <>
struct action<r::import_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.out.decls.emplace_back(syntax::ImportDecl{st.trimmed(in), st.pop(st.strings)});
  }
};

template <>
struct action<r::use_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.out.decls.emplace_back(syntax::UseDecl{st.trimmed(in), st.pop(st.names)});
  }
};

template <>
struct action<r::enum_code_word> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.enum_members.push_back({st.exact(in), in.string(), std::nullopt});
  }
};
template <>
struct action<r::enum_code_string> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.enum_members.push_back({st.exact(in), st.string_value(in), std::nullopt});
  }
};
template <>
struct action<r::enum_display> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.enum_members.back().display = st.string_value(in);
  }
};
template <>
struct action<r::enum_member> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.enum_members.back().span = st.trimmed(in);
  }
};
template <>
struct action<r::enum_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::EnumDecl d;
    d.span = st.trimmed(in);
    d.name = std::move(st.names.at(0));
    d.members = std::move(st.enum_members);
    st.out.decls.emplace_back(std::move(d));
  }
};

template <>
struct action<r::type_ref> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    using syntax::BaseType;
    syntax::TypeRef t;
    t.span = st.trimmed(in);
    t.optional = first_word(in.begin(), in.end()) == "optional";
    if (!st.strings.empty()) {
      t.base = BaseType::kOneOf;
      t.one_of = std::move(st.strings);
      st.strings.clear();
    } else {
      syntax::Name n = st.pop(st.names);
      if (n.text == "decimal") t.base = BaseType::kDecimal;
      else if (n.text == "integer") t.base = BaseType::kInteger;
      else if (n.text == "bool") t.base = BaseType::kBool;
      else if (n.text == "string") t.base = BaseType::kString;
      else if (n.text == "date") t.base = BaseType::kDate;
      else t.base = BaseType::kNamed;
      t.named = std::move(n);
    }
    st.type = std::move(t);
  }
};
template <>
struct action<r::fact_default> {
  static void apply0(State& st) { st.fact_default = st.pop_expr(); }
};
template <>
struct action<r::fact_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::FactDecl d;
    d.span = st.trimmed(in);
    d.path = std::move(st.names.at(0));
    d.type = std::move(st.type);
    d.default_value = std::move(st.fact_default);
    d.doc = st.pop(st.strings);
    st.out.decls.emplace_back(std::move(d));
  }
};

template <>
struct action<r::combine_kind> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.combine = syntax::Name{st.exact(in), in.string()};
  }
};
template <>
struct action<r::output_default> {
  static void apply0(State& st) { st.fact_default = st.pop_expr(); }
};
template <>
struct action<r::output_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::OutputDecl d;
    d.span = st.trimmed(in);
    d.name = std::move(st.names.at(0));
    d.type = std::move(st.type);
    d.combine = std::move(st.combine);
    d.default_value = std::move(st.fact_default);
    d.doc = st.pop(st.strings);
    st.out.decls.emplace_back(std::move(d));
  }
};

template <>
struct action<r::define_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::DefineDecl d;
    d.span = st.trimmed(in);
    d.name = std::move(st.names.at(0));
    d.value = st.pop_expr();
    st.out.decls.emplace_back(std::move(d));
  }
};

template <>
struct action<r::group_definition> {
  static void apply0(State& st) { st.group_definition = st.pop_expr(); }
};
template <>
struct action<r::group_change> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::GroupChange c;
    c.span = st.trimmed(in);
    const auto kind = first_word(in.begin(), in.end());
    c.kind = kind == "members" ? syntax::GroupChangeKind::kMembers
             : kind == "add"   ? syntax::GroupChangeKind::kAdd
                               : syntax::GroupChangeKind::kRemove;
    c.members = st.pop_expr();
    if (!st.dates.empty()) c.from = st.pop(st.dates);
    st.changes.push_back(std::move(c));
  }
};
template <>
struct action<r::group_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::GroupDecl d;
    d.span = st.trimmed(in);
    d.name = std::move(st.names.at(0));
    d.element_type = std::move(st.names.at(1));
    d.definition = std::move(st.group_definition);
    d.changes = std::move(st.changes);
    st.out.decls.emplace_back(std::move(d));
  }
};

template <>
struct action<r::parameter_step> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::ParameterStep s;
    s.span = st.trimmed(in);
    if (first_word(in.begin(), in.end()) != "none") s.value = st.pop_expr();
    s.from = st.pop(st.dates);
    st.steps.push_back(std::move(s));
  }
};
template <>
struct action<r::parameter_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::ParameterDecl d;
    d.span = st.trimmed(in);
    d.name = std::move(st.names.at(0));
    d.steps = std::move(st.steps);
    st.out.decls.emplace_back(std::move(d));
  }
};

template <>
struct action<r::tier_label> : action<r::decl_string> {};
template <>
struct action<r::tier_case> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::TierCase c;
    c.span = st.trimmed(in);
    c.label = st.pop(st.strings);
    c.condition = st.pop_expr();
    st.cases.push_back(std::move(c));
  }
};
template <>
struct action<r::tier_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::TierDecl d;
    d.span = st.trimmed(in);
    d.name = std::move(st.names.at(0));
    d.cases = std::move(st.cases);
    d.otherwise = st.pop(st.strings);
    st.out.decls.emplace_back(std::move(d));
  }
};

// Rule bodies: each clause is stored into st.body, at most once.
template <>
struct action<r::title_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("title", in.begin());
    st.body.title = st.pop(st.strings);
  }
};
template <>
struct action<r::citation_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("citation", in.begin());
    st.body.citation = st.pop(st.strings);
  }
};
template <>
struct action<r::effective_from> {
  static void apply0(State& st) { st.body.effective_from = st.pop(st.dates); }
};
template <>
struct action<r::effective_until> {
  static void apply0(State& st) { st.body.effective_until = st.pop(st.dates); }
};
template <>
struct action<r::effective_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("effective", in.begin());
    st.body.has_effective = true;
    st.body.effective_span = st.trimmed(in);
  }
};
template <>
struct action<r::when_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("when", in.begin());
    st.body.when = st.pop_expr();
  }
};
template <>
struct action<r::classify_label> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.outcome = syntax::Outcome{{}, syntax::OutcomeKind::kClassify, st.string_value(in), std::nullopt};
  }
};
template <>
struct action<r::decision_name> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.outcome = syntax::Outcome{{}, syntax::OutcomeKind::kDecision, in.string(), std::nullopt};
  }
};
template <>
struct action<r::reason_string> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.outcome.reason = syntax::StringLit{st.exact(in), st.string_value(in)};
  }
};
template <>
struct action<r::outcome> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.outcome.span = st.trimmed(in);
  }
};
template <>
struct action<r::then_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("then", in.begin());
    st.body.then = std::move(st.outcome);
  }
};
template <>
struct action<r::override_name> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.override_items.push_back({st.exact(in), syntax::OverrideKind::kName, in.string()});
  }
};
template <>
struct action<r::override_outcome> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.override_items.push_back({st.exact(in), syntax::OverrideKind::kRulesDeciding, in.string()});
  }
};
template <>
struct action<r::override_label> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.override_items.push_back({st.exact(in), syntax::OverrideKind::kRulesTesting, st.string_value(in)});
  }
};
// A selector's span covers it all (`rules deciding license_required`).
template <>
struct action<r::rules_deciding> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.override_items.back().span = st.trimmed(in);
  }
};
template <>
struct action<r::rules_testing> : action<r::rules_deciding> {};
template <>
struct action<r::overrides_whole> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("overrides", in.begin());
    st.body.has_overrides = true;
    st.body.overrides = std::move(st.override_items);
    st.override_items.clear();
  }
};
template <>
struct action<r::overrides_added> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("overrides add", in.begin());
    st.body.overrides_added = std::move(st.override_items);
    st.override_items.clear();
  }
};
template <>
struct action<r::overrides_removed> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("overrides remove", in.begin());
    st.body.overrides_removed = std::move(st.override_items);
    st.override_items.clear();
  }
};
template <>
struct action<r::set_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.body.sets.push_back({st.trimmed(in), st.pop(st.names), st.pop_expr()});
  }
};
template <>
struct action<r::oblige_by> {
  static void apply0(State& st) { st.oblige_due = st.pop_expr(); }
};
template <>
struct action<r::oblige_citing> {
  static void apply0(State& st) { st.oblige_citation = st.pop(st.strings); }
};
template <>
struct action<r::oblige_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::ObligeClause c;
    c.span = st.trimmed(in);
    c.name = st.pop(st.strings);
    c.due = std::move(st.oblige_due);
    c.citation = std::move(st.oblige_citation);
    st.oblige_citation.reset();
    st.body.obligations.push_back(std::move(c));
  }
};
template <>
struct action<r::misplaced_overrides> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.fail(in.begin(), "`overrides` is only allowed in an exemption",
            "declare an `exemption` that overrides the rule instead");
  }
};

template <>
struct action<r::rule_head> {
  static void apply0(State& st) { st.head_name = st.pop(st.names); }
};
template <>
struct action<r::exemption_head> : action<r::rule_head> {};
template <>
struct action<r::amend_rule_head> : action<r::rule_head> {};

template <syntax::RuleKind Kind>
struct rule_action {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::RuleDecl d;
    d.span = st.trimmed(in);
    d.kind = Kind;
    d.name = std::move(st.head_name);
    d.body = std::move(st.body);
    st.out.decls.emplace_back(std::move(d));
  }
};
template <>
struct action<r::rule_decl> : rule_action<syntax::RuleKind::kRule> {};
template <>
struct action<r::exemption_decl> : rule_action<syntax::RuleKind::kExemption> {};

template <>
struct action<r::amend_rule> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    const bool rule = first_word(in.begin(), in.end()) == "rule";
    st.amend.target = rule ? syntax::AmendTarget::kRule : syntax::AmendTarget::kExemption;
    st.amend.name = std::move(st.head_name);
    st.amend.body = std::move(st.body);
  }
};
template <>
struct action<r::amend_group> {
  static void apply0(State& st) {
    st.amend.target = syntax::AmendTarget::kGroup;
    st.amend.name = std::move(st.names.at(0));
    st.amend.changes = std::move(st.changes);
  }
};
template <>
struct action<r::amend_parameter> {
  static void apply0(State& st) {
    st.amend.target = syntax::AmendTarget::kParameter;
    st.amend.name = std::move(st.names.at(0));
    st.amend.steps = std::move(st.steps);
  }
};
template <>
struct action<r::amend_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.amend.span = st.trimmed(in);
    st.out.decls.emplace_back(std::move(st.amend));
  }
};

template <>
struct action<r::repeal_kind> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.repeal_kind = first_word(in.begin(), in.end()) == "rule" ? syntax::RuleKind::kRule : syntax::RuleKind::kExemption;
  }
};
template <>
struct action<r::repeal_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::RepealDecl d;
    d.span = st.trimmed(in);
    d.kind = st.repeal_kind;
    d.name = st.pop(st.names);
    st.out.decls.emplace_back(std::move(d));
  }
};

// Tests.
template <>
struct action<r::test_head> {
  static void apply0(State& st) { st.test.name = st.pop(st.strings); }
};
template <>
struct action<r::as_of_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("as_of", in.begin());
    st.test.as_of = st.pop(st.dates);
  }
};
template <>
struct action<r::rules_as_of_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.once("rules_as_of", in.begin());
    st.test.rules_as_of = st.pop(st.dates);
  }
};
template <>
struct action<r::given_file> {
  static void apply0(State& st) { st.test.fact_files.push_back(st.pop(st.strings)); }
};
template <>
struct action<r::given_one> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::Given g;
    g.span = st.trimmed(in);
    g.path = st.pop(st.names);
    g.value = st.pop_expr();
    st.test.givens.push_back(std::move(g));
  }
};

template <syntax::ExpectKind Kind>
struct expect_action {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::Expect x;
    x.span = st.trimmed(in);
    x.kind = Kind;
    x.names = std::move(st.names);
    st.names.clear();
    x.labels = std::move(st.strings);
    st.strings.clear();
    if constexpr (Kind == syntax::ExpectKind::kClassifications) {
      const ExprPtr set = st.pop_expr();
      for (auto& m : set->members) x.labels.push_back({m.span, std::move(m.value)});
    }
    st.test.expects.push_back(std::move(x));
  }
};
template <>
struct action<r::expect_decision> : expect_action<syntax::ExpectKind::kDecision> {};
template <>
struct action<r::expect_classifications> : expect_action<syntax::ExpectKind::kClassifications> {};
template <>
struct action<r::expect_classified> : expect_action<syntax::ExpectKind::kClassified> {};
template <>
struct action<r::expect_not_classified> : expect_action<syntax::ExpectKind::kNotClassified> {};
template <>
struct action<r::expect_deciding> : expect_action<syntax::ExpectKind::kDeciding> {};
template <>
struct action<r::expect_exemption> : expect_action<syntax::ExpectKind::kExemption> {};
template <>
struct action<r::expect_missing> : expect_action<syntax::ExpectKind::kMissing> {};
template <>
struct action<r::expect_obligation> : expect_action<syntax::ExpectKind::kObligation> {};
template <>
struct action<r::expect_value_state> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.strings.push_back({st.exact(in), in.string()});
  }
};
template <>
struct action<r::expect_value> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    syntax::Expect x;
    x.span = st.trimmed(in);
    x.kind = syntax::ExpectKind::kValue;
    x.names.push_back(st.pop(st.names));
    if (!st.exprs.empty()) x.value = st.pop_expr();
    x.labels = std::move(st.strings);  // the state word, without a value
    st.strings.clear();
    st.test.expects.push_back(std::move(x));
  }
};
template <>
struct action<r::expect_clause> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.test.expects.back().span = st.trimmed(in);  // include the `expect` keyword
  }
};
template <>
struct action<r::test_decl> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.test.span = st.trimmed(in);
    st.out.decls.emplace_back(std::move(st.test));
  }
};

// ---- control: nesting limit and error messages ---------------------------------------------------------

template <typename Rule>
inline constexpr bool nests = false;  // rules that add one level of expression nesting
template <>
inline constexpr bool nests<r::paren_expr> = true;
template <>
inline constexpr bool nests<r::paren_set> = true;
template <>
inline constexpr bool nests<r::negation> = true;
template <>
inline constexpr bool nests<r::negation_not> = true;
template <>
inline constexpr bool nests<r::if_expr> = true;

std::string block_contents(std::string_view block) {
  if (block == "rule") return "; a rule contains `title`, `citation`, `effective`, `when` and `then` clauses";
  if (block == "exemption" || block == "amend") {
    return "; it may contain `title`, `citation`, `effective`, `when`, `then` and `overrides` clauses (or "
           "`members`, `add`, `remove` and parameter steps when amending a group or a parameter)";
  }
  if (block == "test") return "; a test contains `as_of`, `rules_as_of`, `given` and `expect` clauses";
  if (block == "group") return "; a group contains `members`, `add` and `remove` changes";
  if (block == "parameter") return "; a parameter contains steps such as `100 from 2025-01-13`";
  return {};
}

std::string fill(std::string_view pattern, const State& st, const char* at) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out.push_back(pattern[i]);
      continue;
    }
    const std::size_t close = pattern.find('}', i);
    if (close == std::string_view::npos) {
      out.push_back(pattern[i]);
      continue;
    }
    const std::string_view key = pattern.substr(i + 1, close - i - 1);
    if (key == "prev") {
      const char* e = trim_end(st.base, at);
      out.append(token_begin(st.base, e), e);
    } else if (key == "found") {
      out.append(at, token_end(at, st.stop));
    } else if (key == "block") {
      out.append(st.block);
    } else if (key == "block_line") {
      out += std::to_string(st.line_of(st.block_begin != nullptr ? st.block_begin : st.base));
    } else if (key == "block_contents") {
      out += block_contents(st.block);
    } else if (key == "paren_line") {
      out += std::to_string(st.line_of(st.parens.empty() ? at : st.parens.back()));
    } else if (key == "brace_line") {
      out += std::to_string(st.line_of(st.brace != nullptr ? st.brace : at));
    } else {
      out.push_back(pattern[i]);
      continue;
    }
    i = close;
  }
  return out;
}

// The help for a syntax error at a non-ASCII character: no token starts with one, so it is the likely
// culprit; name it (an invisible or look-alike character is otherwise hard to find).
std::string non_ascii_help(const char* at, const char* stop) {
  const r::Character c = r::character_at(at, stop);
  const std::string found = "found `" + std::string(c.bytes) + "` (" + r::code_point_name(c.code_point) + ")";
  if (r::is_typographic_quote(c.code_point)) return found + ": strings are written between straight double quotes `\"`";
  return found + "; outside strings and comments, policy text is ASCII";
}

// ---- targeted messages: operators from other languages, a missing `end` ----

// A token other languages use where Edict has its own word or operator (LANGUAGE.md section 3). `after_operand`:
// only right after a complete operand (`=` elsewhere belongs to `define x =`, `given p =`).
struct Misused {
  std::string_view token;
  std::string_view use;
  bool after_operand;
};
// Longest first (`=<` before `=`). Not a lone `|` or `&`: after `x in g` it may mean a union.
constexpr std::array<Misused, 7> kMisused = {{{"&&", "and", false},
                                              {"||", "or", false},
                                              {"<>", "!=", false},
                                              {"=<", "<=", true},
                                              {"=>", ">=", true},
                                              {"!", "not", false},
                                              {"=", "==", true}}};

std::string misused_help(std::string_view use) {
  if (use == "==") return "`=` gives a value (`define`, `given`); a condition compares with `==`, or `in` for a group";
  if (use == "and" || use == "or" || use == "not") return "conditions combine with `and`, `or` and `not`";
  return "comparisons are `==`, `!=`, `<`, `<=`, `>` and `>=`";
}

[[noreturn]] void fail_misused(const Misused& m, const char* at) {
  const std::string what = m.token == "=" ? "is not a comparison" : "is not an Edict operator";
  throw r::SyntaxFailure{at, at + m.token.size(), "syntax-error",
                         "`" + std::string(m.token) + "` " + what + ": use `" + std::string(m.use) + "`",
                         misused_help(m.use)};
}
// Fails with the fix when a misused operator is at `at` (where a `need<>` failed); `!` and `=` only when they
// do not start `!=` / `==`.
void check_misused(const State& st, const char* at) {
  // `<>` parses as `<` and fails at `>`: name the pair.
  if (at > st.base && at < st.stop && at[-1] == '<' && *at == '>') fail_misused(kMisused[2], at - 1);
  const std::string_view rest(at, static_cast<std::size_t>(st.stop - at));
  for (const auto& m : kMisused) {
    if (!rest.starts_with(m.token) || (m.after_operand && at != st.operand_end)) continue;
    const char next = rest.size() > m.token.size() ? rest[m.token.size()] : '\0';
    if (m.token.size() == 1 && next == '=') continue;  // `!=`, `==`: a valid operator where it does not fit
    fail_misused(m, at);
  }
}

bool starts_declaration(std::string_view word) {
  constexpr std::array<std::string_view, 15> kDeclarations = {
      "policy", "amendment", "import", "use",       "enum",  "fact",   "define", "group",
      "parameter", "tier",   "rule",   "exemption", "amend", "repeal", "test"};  // LANGUAGE.md section 2
  return std::find(kDeclarations.begin(), kDeclarations.end(), word) != kDeclarations.end();
}

// `rule high_tpp`: the open block's keyword and, when it has one, its name (for the missing-`end` message).
std::string open_block(const State& st) {
  if (st.block_begin == nullptr) return std::string(st.block);
  const char* p = st.block_begin + st.block.size();
  while (p < st.stop && (*p == ' ' || *p == '\t')) ++p;
  if (p < st.stop && r::is_letter(*p)) {  // a name; a policy's or test's title would be too long
    const char* e = token_end(p, st.stop);
    while (e < st.stop && *e == '.' && e + 1 < st.stop && r::is_letter(e[1])) e = token_end(e + 1, st.stop);
    return std::string(st.block) + " " + std::string(p, e);
  }
  return std::string(st.block);
}

// A block whose `end` is missing, noticed at the next declaration or at the end of the file: one error
// naming the block and the line it opened at, placed where the parser noticed.
void check_missing_end(const State& st, const char* at) {
  const std::string_view word = first_word(at, st.stop);
  if (at != st.stop && !starts_declaration(word)) return;
  const std::string block = open_block(st);
  const std::string opened = std::to_string(st.line_of(st.block_begin != nullptr ? st.block_begin : st.base));
  if (at == st.stop) {
    throw r::SyntaxFailure{at, at, "syntax-error",
                           "missing `end`: the `" + block + "` block opened at line " + opened + " is not closed",
                           "the file ends inside it; add `end` after its last clause"};
  }
  throw r::SyntaxFailure{at, nullptr, "syntax-error",
                         "missing `end`: the `" + block + "` block opened at line " + opened +
                             " is not closed before this `" + std::string(word) + "`",
                         "add `end` after the last clause of `" + std::string(st.block) + "` at line " + opened};
}

template <typename Rule>
struct control : pg::normal<Rule> {
  template <typename Input>
  static void start(const Input& in, State& st) {
    if constexpr (nests<Rule>) {
      if (++st.depth > st.options.max_nesting_depth) {
        throw r::SyntaxFailure{in.current(), nullptr, "limit-exceeded",
                               "expression nesting is deeper than " + std::to_string(st.options.max_nesting_depth) +
                                   " levels",
                               "split the expression with `define`"};
      }
    }
  }
  template <typename Input>
  static void success(const Input& /*in*/, State& st) noexcept {
    if constexpr (nests<Rule>) --st.depth;
  }
  template <typename Input>
  static void failure(const Input& /*in*/, State& st) noexcept {
    if constexpr (nests<Rule>) --st.depth;
  }

  template <typename Input>
  [[noreturn]] static void raise(const Input& in, State& st) {
    const char* at = in.current();
    check_misused(st, at);
    if constexpr (requires { Rule::message; }) {
      if constexpr (Rule::closes_block) check_missing_end(st, at);
      std::string message = fill(Rule::message, st, at);
      std::string help = fill(Rule::help, st, at);
      if constexpr (Rule::expects_name) {
        const std::string_view word = first_word(at, st.stop);
        if (!word.empty() && r::is_reserved(word)) {
          help = message + "; a reserved word cannot be used as a name";
          message = "`" + std::string(word) + "` is a reserved word";
        }
      }
      if (at < st.stop && !r::is_ascii(*at)) help = non_ascii_help(at, st.stop);
      throw r::SyntaxFailure{at, nullptr, "syntax-error", std::move(message), std::move(help)};
    } else {
      throw r::SyntaxFailure{at, nullptr, "syntax-error", "syntax error", {}};
    }
  }
};

// The comments of a text that parsed: every `#` outside a string starts one, up to the end of its line.
// Strings are single-line with backslash escapes (the lexer checked them), so one forward pass suffices.
std::vector<syntax::Comment> collect_comments(std::string_view text, std::uint32_t file) {
  std::vector<syntax::Comment> comments;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (text[i] == '#') {
      std::size_t end = text.find('\n', i);
      if (end == std::string_view::npos) end = text.size();
      const std::size_t stop = end;
      if (end > i && text[end - 1] == '\r') --end;
      comments.push_back({Span{file, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end)}});
      i = stop;
    }
  }
  return comments;
}

ParseDiagnostic diagnostic(std::string code, Span span, std::string message, std::string help = {}) {
  return ParseDiagnostic{span, std::move(code), std::move(message), std::move(help)};
}

// "0xC0 0xAF"
std::string hex_bytes(std::string_view bytes) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += out.empty() ? "0x" : " 0x";
    out += kHex[b >> 4U];
    out += kHex[b & 0xFU];
  }
  return out;
}

// What is wrong with the ill-formed `bytes` (as utf8::decode found them), naming them in hex.
std::string utf8_problem(std::string_view bytes, const utf8::Decoded& d) {
  const std::string hex = hex_bytes(bytes);
  switch (d.error) {
    case utf8::Error::kUnexpectedContinuation:
      return "invalid UTF-8: byte " + hex + " is a continuation byte without a lead byte before it";
    case utf8::Error::kInvalidByte: return "invalid UTF-8: byte " + hex + " never occurs in UTF-8";
    case utf8::Error::kTruncated:
      return "invalid UTF-8: truncated sequence " + hex + " (the character stops before its last byte)";
    case utf8::Error::kOverlong:
      return "invalid UTF-8: overlong encoding " + hex + " (a character encoded with more bytes than it needs)";
    case utf8::Error::kSurrogate:
      return "invalid UTF-8: " + hex + " encodes " + r::code_point_name(d.code_point) + ", a UTF-16 surrogate";
    case utf8::Error::kTooLarge:
      return "invalid UTF-8: " + hex + " encodes " + r::code_point_name(d.code_point) + ", above U+10FFFF";
    case utf8::Error::kNone: break;
  }
  return "invalid UTF-8: " + hex;
}

// Policy text must be UTF-8 (LANGUAGE.md section 1): strings reach JSON output and terminals. Checked over
// the whole text before parsing, so that bytes in comments and strings are covered too.
std::optional<ParseDiagnostic> check_utf8(std::string_view text, std::uint32_t file) {
  const std::size_t at = utf8::first_invalid(text);
  if (at == text.size()) return std::nullopt;
  const utf8::Decoded d = utf8::decode(text.substr(at));
  const auto begin = static_cast<std::uint32_t>(at);
  return diagnostic("invalid-utf8", Span{file, begin, begin + d.length}, utf8_problem(text.substr(at, d.length), d),
                    "policy files must be encoded in UTF-8; convert the file (e.g. `iconv -f latin1 -t utf-8`)");
}

}  // namespace

ParseResult parse(std::string_view text, std::uint32_t file_index, const ParseOptions& options) {
  ParseResult result;
  const char* const base = text.data();
  const char* const stop = text.data() + text.size();
  try {
    if (text.size() > options.max_source_bytes) {
      result.diagnostics.push_back(diagnostic("limit-exceeded", Span{file_index, 0, 0},
                                              "source file is " + std::to_string(text.size()) +
                                                  " bytes, larger than the limit of " +
                                                  std::to_string(options.max_source_bytes) + " bytes"));
      return result;
    }
    if (auto bad_encoding = check_utf8(text, file_index)) {
      result.diagnostics.push_back(std::move(*bad_encoding));
      return result;
    }
    State st(base, stop, file_index, options);
    try {
      pg::memory_input<pg::tracking_mode::lazy, pg::eol::lf_crlf> in(base, stop, "");
      pg::parse<r::file, action, control>(in, st);
      if (options.keep_comments) st.out.comments = collect_comments(text, file_index);
      result.file = std::move(st.out);
    } catch (const r::SyntaxFailure& f) {
      const char* b = std::clamp(f.begin, base, stop);
      const char* e = f.end != nullptr ? std::clamp(f.end, b, stop) : token_end(b, stop);
      result.diagnostics.push_back(diagnostic(f.code, Span{file_index, st.offset(b), st.offset(e)}, f.message, f.help));
    } catch (const pg::parse_error& e) {
      const auto pos = e.positions().empty() ? 0 : e.positions().front().byte;
      const auto at = static_cast<std::uint32_t>(std::min(pos, text.size()));
      result.diagnostics.push_back(diagnostic("syntax-error", Span{file_index, at, at}, std::string(e.message())));
    }
  } catch (const std::exception& e) {
    result.file.reset();
    result.diagnostics.push_back(diagnostic("internal-error", Span{file_index, 0, 0},
                                            std::string("parser failure: ") + e.what()));
  } catch (...) {
    result.file.reset();
    result.diagnostics.push_back(diagnostic("internal-error", Span{file_index, 0, 0}, "parser failure"));
  }
  return result;
}

}  // namespace edict::grammar
