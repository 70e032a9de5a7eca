// Expression printing for the formatter (grammar/print.cpp): the minimum parentheses that keep the tree, and
// line breaking of long `and` / `or` chains. Internal to grammar/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "syntax.hpp"

namespace edict::grammar::printing {

// `value` as a string literal: quotes, and the escapes \" \\ \n \t.
std::string quote(std::string_view value);

// Width of a line in characters (UTF-8 code points), for the line-length limit.
std::size_t display_width(std::string_view line);

// A set literal on one line: {CN, "Moore Threads" aka "MTT"}.
std::string set_literal(const syntax::Expr& set);
// One member of a set literal: CN, or "Moore Threads" aka "MTT".
std::string set_member(const syntax::SetMember& member);

// An expression in value position (a condition, a definition, a default, a parameter value) on one line.
std::string expression(const syntax::Expr& e);
// A set expression (after `in`, `matches`, or a group's `=`) on one line.
std::string set_expression(const syntax::Expr& e);

// An expression that starts at column `column` (0-based) of its line. Returns one line when it fits in
// `width` (leaving `trail` characters for text that follows it); otherwise breaks its `and` / `or` chains:
// the first line has no indentation, the others carry their own leading spaces. With `hanging`, the operators
// of the outermost chain go left of the column (`when a` / ` and b`), as a clause keyword's continuation.
std::vector<std::string> expression_lines(const syntax::Expr& e, std::size_t column, std::size_t width, bool hanging);

}  // namespace edict::grammar::printing
