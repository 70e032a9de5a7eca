// Expression printing for the formatter (see print_expr.hpp).
//
// Precedence levels follow LANGUAGE.md section 3, loosest first. A child is parenthesised exactly when its
// level is below the level its position requires, so printing then parsing gives back the same tree: the
// left operand of a left-associative operator may have the operator's own level, the right one needs a
// tighter level (`a - (b - c)`), and comparison operands need a sum (`(a < b) == c`).
#include "print_expr.hpp"

#include <iterator>

namespace edict::grammar::printing {
namespace {

using syntax::ArithOp;
using syntax::CompareOp;
using syntax::Expr;
using syntax::ExprKind;
using syntax::SetOp;

enum Level : int {
  kIfLevel = 0,       // if ... then ... else ...
  kOrLevel = 1,       // a or b
  kAndLevel = 2,      // a and b
  kNotLevel = 3,      // not a
  kTestLevel = 4,     // a < b, a in S, a matches S, a is present
  kSumLevel = 5,      // a + b
  kProductLevel = 6,  // a * b
  kUnaryLevel = 7,    // -a
  kPrimaryLevel = 8,  // literals, paths, classified "x", set literals
};

// Set expressions have their own ladder: union/except, then intersect, then atoms.
enum SetLevel : int { kUnionLevel = 1, kIntersectLevel = 2, kAtomLevel = 3 };

int level(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kIf: return kIfLevel;
    case ExprKind::kOr: return kOrLevel;
    case ExprKind::kAnd: return kAndLevel;
    case ExprKind::kNot: return kNotLevel;
    case ExprKind::kCompare:
    case ExprKind::kIn:
    case ExprKind::kMatches:
    case ExprKind::kStartsWith:
    case ExprKind::kPresent: return kTestLevel;
    case ExprKind::kArith:
      return e.arith_op == ArithOp::kAdd || e.arith_op == ArithOp::kSub ? kSumLevel : kProductLevel;
    case ExprKind::kNeg: return kUnaryLevel;
    default: return kPrimaryLevel;
  }
}

int set_level(const Expr& e) {
  if (e.kind != ExprKind::kSetOp) return kAtomLevel;
  return e.set_op == SetOp::kIntersect ? kIntersectLevel : kUnionLevel;
}

const char* arith_word(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd: return "+";
    case ArithOp::kSub: return "-";
    case ArithOp::kMul: return "*";
    case ArithOp::kDiv: return "/";
  }
  return "?";
}

const char* compare_word(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "==";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

const char* set_word(SetOp op) {
  switch (op) {
    case SetOp::kUnion: return "union";
    case SetOp::kIntersect: return "intersect";
    case SetOp::kExcept: return "except";
  }
  return "?";
}

std::string value_at(const Expr& e, int min_level);
std::string set_at(const Expr& e, int min_level);

// The left spine of a left-associative chain at one level: ((a + b) - c) -> [the `-` node, the `+` node]
// (outermost first) and its leftmost operand `a`. Printing walks it in a loop, so a long chain costs linear
// time and no deep recursion.
template <typename SameLevel>
std::vector<const Expr*> left_spine(const Expr& e, SameLevel same_level, const Expr*& leftmost) {
  std::vector<const Expr*> spine;
  const Expr* at = &e;
  while (same_level(*at)) {
    spine.push_back(at);
    at = at->kids.at(0).get();
  }
  leftmost = at;
  return spine;
}

// A binary chain: the leftmost operand at the chain's level, each right operand one level tighter.
template <typename SameLevel, typename Word, typename Operand>
std::string binary_chain(const Expr& e, int own, SameLevel same_level, Word word, Operand operand) {
  const Expr* leftmost = nullptr;
  const auto spine = left_spine(e, same_level, leftmost);
  std::string s = operand(*leftmost, own);
  for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
    s += " ";
    s += word(**it);
    s += " ";
    s += operand(*(*it)->kids.at(1), own + 1);
  }
  return s;
}

std::string value_chain(const Expr& e) {
  const int own = level(e);
  const auto same = [&e, own](const Expr& x) { return x.kind == e.kind && level(x) == own; };
  const auto word = [](const Expr& x) -> std::string {
    if (x.kind == ExprKind::kAnd) return "and";
    if (x.kind == ExprKind::kOr) return "or";
    return arith_word(x.arith_op);
  };
  return binary_chain(e, own, same, word, [](const Expr& x, int min) { return value_at(x, min); });
}

std::string value_body(const Expr& e) {
  const auto kid = [&e](std::size_t i, int min_level) { return value_at(*e.kids.at(i), min_level); };
  switch (e.kind) {
    case ExprKind::kNumber: return e.days ? e.text + " days" : e.text;
    case ExprKind::kDate:
    case ExprKind::kBool:
    case ExprKind::kAsOf:
    case ExprKind::kPath: return e.text;
    case ExprKind::kString: return quote(e.text);
    case ExprKind::kClassified: return "classified " + quote(e.text);
    case ExprKind::kSetLiteral: return set_literal(e);
    case ExprKind::kNeg: {
      std::string operand = kid(0, kUnaryLevel);
      return (operand.starts_with('-') ? "- " : "-") + operand;  // `- -5` reads better than `--5`
    }
    case ExprKind::kNot: return "not " + kid(0, kNotLevel);
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kArith: return value_chain(e);
    case ExprKind::kCompare: {
      std::string s = kid(0, kSumLevel);
      for (std::size_t i = 0; i < e.ops.size(); ++i) s += std::string(" ") + compare_word(e.ops[i]) + " " + kid(i + 1, kSumLevel);
      return s;
    }
    case ExprKind::kIn:
      return kid(0, kSumLevel) + (e.negated ? " not in " : " in ") + set_at(*e.kids.at(1), kUnionLevel);
    case ExprKind::kMatches: return kid(0, kSumLevel) + " matches " + set_at(*e.kids.at(1), kUnionLevel);
    case ExprKind::kStartsWith: {
      const Expr& prefixes = *e.kids.at(1);
      return kid(0, kSumLevel) + " starts with " +
             (prefixes.kind == ExprKind::kString ? quote(prefixes.text) : set_literal(prefixes));
    }
    case ExprKind::kPresent: return kid(0, kSumLevel) + (e.negated ? " is absent" : " is present");
    case ExprKind::kIf: return "if " + kid(0, kIfLevel) + " then " + kid(1, kIfLevel) + " else " + kid(2, kIfLevel);
    case ExprKind::kSetOp: return set_at(e, kUnionLevel);  // not produced in value position by the parser
  }
  return {};
}

std::string value_at(const Expr& e, int min_level) {
  if (level(e) < min_level) return "(" + value_body(e) + ")";
  return value_body(e);
}

std::string set_at(const Expr& e, int min_level) {
  const int own = set_level(e);
  std::string body;
  if (e.kind == ExprKind::kSetOp) {
    const auto same = [own](const Expr& x) { return x.kind == ExprKind::kSetOp && set_level(x) == own; };
    const auto word = [](const Expr& x) -> std::string { return set_word(x.set_op); };
    body = binary_chain(e, own, same, word, [](const Expr& x, int min) { return set_at(x, min); });
  } else if (e.kind == ExprKind::kSetLiteral) {
    body = set_literal(e);
  } else {
    body = e.text;  // a group name
  }
  return own < min_level ? "(" + body + ")" : body;
}

// ---- line breaking ----

struct Breaker {
  std::size_t width;

  // The operands of a left-nested chain of one operator: ((a and b) and c) -> a, b, c.
  static std::vector<const Expr*> chain(const Expr& e) {
    std::vector<const Expr*> operands;
    const Expr* at = &e;
    while (at->kind == e.kind) {
      operands.push_back(at->kids.at(1).get());
      at = at->kids.at(0).get();
    }
    operands.push_back(at);
    return {operands.rbegin(), operands.rend()};
  }

  std::vector<std::string> lines(const Expr& e, std::size_t column, int min_level, std::size_t trail,
                                 bool hanging) const {
    std::string one_line = value_at(e, min_level);
    if (column + display_width(one_line) + trail <= width) return {std::move(one_line)};
    if (level(e) < min_level) return parenthesised(e, column, trail);
    if (e.kind == ExprKind::kAnd || e.kind == ExprKind::kOr) return broken_chain(e, column, trail, hanging);
    if (e.kind == ExprKind::kNot) {
      auto out = lines(*e.kids.at(0), column + 4, kNotLevel, trail, false);
      out.front().insert(0, "not ");
      return out;
    }
    return {std::move(one_line)};
  }

  std::vector<std::string> parenthesised(const Expr& e, std::size_t column, std::size_t trail) const {
    auto out = lines(e, column + 1, kIfLevel, trail + 1, false);
    out.front().insert(0, "(");
    out.back() += ")";
    return out;
  }

  // One operand a line. Hanging: `a` / ` and b` with the operator left of the column; otherwise the operator
  // starts the line at the column: `(a` / ` or b)`.
  std::vector<std::string> broken_chain(const Expr& e, std::size_t column, std::size_t trail, bool hanging) const {
    const std::string word = e.kind == ExprKind::kAnd ? "and" : "or";
    const int own = level(e);
    const auto operands = chain(e);
    const bool hang = hanging && column >= word.size() + 1;
    const std::size_t word_column = hang ? column - word.size() - 1 : column;
    const std::size_t operand_column = word_column + word.size() + 1;
    auto out = lines(*operands.front(), column, own, operands.size() == 1 ? trail : 0, false);
    for (std::size_t i = 1; i < operands.size(); ++i) {
      auto part = lines(*operands[i], operand_column, own + 1, i + 1 == operands.size() ? trail : 0, false);
      out.push_back(std::string(word_column, ' ') + word + " " + part.front());
      out.insert(out.end(), std::make_move_iterator(part.begin() + 1), std::make_move_iterator(part.end()));
    }
    return out;
  }
};

}  // namespace

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::size_t display_width(std::string_view line) {
  std::size_t n = 0;
  for (const char c : line) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;  // count UTF-8 lead bytes only
  }
  return n;
}

std::string set_member(const syntax::SetMember& member) {
  std::string s = member.quoted ? quote(member.value) : member.value;
  for (const std::string& alias : member.aliases) s += " aka " + quote(alias);
  return s;
}

std::string set_literal(const Expr& set) {
  std::string s = "{";
  for (std::size_t i = 0; i < set.members.size(); ++i) {
    if (i > 0) s += ", ";
    s += set_member(set.members[i]);
  }
  return s + "}";
}

std::string expression(const Expr& e) { return value_at(e, kIfLevel); }

std::string set_expression(const Expr& e) { return set_at(e, kUnionLevel); }

std::vector<std::string> expression_lines(const Expr& e, std::size_t column, std::size_t width, bool hanging) {
  return Breaker{width}.lines(e, column, kIfLevel, 0, hanging);
}

}  // namespace edict::grammar::printing
