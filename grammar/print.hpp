// Source printer (the formatter behind `edict fmt`): syntax tree + comments -> text in the one canonical
// layout. Reparsing the output gives the same tree (grammar/dump.hpp compares them), and printing the output
// again gives the same text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "syntax.hpp"

namespace edict::grammar {

struct PrintOptions {
  // A condition (`when`, `define`, tier case) longer than this breaks at its `and` / `or` operators, and a
  // group change's set literal puts one member per line. Nothing else breaks (strings never do).
  std::size_t width = 110;
};

// Prints `file`, which was parsed from `text` with ParseOptions::keep_comments (spans index into `text`).
//
// Layout: declarations in source order with one blank line between them (one-line declarations such as
// `fact` and `use` written on consecutive lines stay together); block contents indented by two spaces, one
// clause, step or enumeration member per line, in source order; operators with single spaces and only the
// parentheses the tree needs; literals as written (numbers keep their digits and underscores; strings are
// re-escaped; dates as written).
//
// Comments: every comment is printed exactly once. A comment on its own line before a declaration, clause,
// step, enumeration member or set member stays before it; a comment at the end of a line stays at the end of
// that line. A comment that cannot be put back where it was (inside a condition or a declaration that the
// layout puts on other lines) goes on its own line before the clause or declaration that contained it. A
// blank line before a comment is kept (several collapse to one).
//
// Never throws except std::bad_alloc. Thread-safe.
std::string print(const syntax::File& file, std::string_view text, const PrintOptions& options = {});

// One entry of an `overrides` list as written: `name`, `rules deciding OUTCOME`, `rules testing classified
// "LABEL"` (also for the checker's messages).
std::string print_override(const syntax::OverrideItem& item);

}  // namespace edict::grammar
