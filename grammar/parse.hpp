// Parser entry point: text -> syntax tree (stage 1). PEGTL stays inside parse.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syntax.hpp"

namespace edict::grammar {

// The parser's share of edict::Limits (the loader fills it from CompileOptions::limits; same defaults).
struct ParseOptions {
  std::size_t max_source_bytes = 16u << 20;  // larger files get `limit-exceeded`
  // Expression nesting (parentheses, `not`, unary `-`, `if`) and expression tree height (an operator chain
  // nests to the left); deeper gets `limit-exceeded`. Checked before recursing further, so the parser's
  // stack depth is bounded by it whatever the input.
  std::size_t max_nesting_depth = 64;
  std::size_t max_number_digits = 1000;      // digits in one number literal
  std::size_t max_string_bytes = 64u << 10;  // bytes of one string literal (after escapes)
  bool keep_comments = false;                // fill syntax::File::comments (for the formatter)
};

// A syntax diagnostic. The span points at the offending token (or the end of input).
struct ParseDiagnostic {
  syntax::Span span;
  std::string code;     // stable: "syntax-error", "limit-exceeded", "invalid-escape", ...
  std::string message;  // lowercase, no final period, user text in backticks
  std::string help;     // may be empty; e.g. "expected `end` to close `rule` at line 3"
};

struct ParseResult {
  std::optional<syntax::File> file;  // absent when there is a diagnostic
  std::vector<ParseDiagnostic> diagnostics;
};

// Parses one source file. `file_index` is copied into every Span. Never throws for bad input; stops at the
// first syntax error. Thread-safe (no shared state).
ParseResult parse(std::string_view text, std::uint32_t file_index, const ParseOptions& options = {});

}  // namespace edict::grammar
