// Limits: every bound on untrusted input in one place, taken by compile, by facts parsing and by evaluation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "edict/export.h"

namespace edict {

// The bounds that keep a hostile or broken policy or facts document from exhausting the stack, memory or
// time. One struct, passed to compile() (CompileOptions::limits), to Facts::from_json / assign_json, and to
// evaluation (EvalOptions::limits; by default the limits the policy was compiled with, see Policy::limits).
//
// Exceeding a compile limit gives the diagnostic `limit-exceeded` (file:line:col and a caret where there is a
// location); exceeding a facts limit gives a facts error naming the JSON path (or line and column); exceeding
// the step limit stops the evaluation with EvalResult::ok == false and limit_exceeded == true. Nothing is ever
// silently truncated. Each value here is also the documented default (grammar/LANGUAGE.md section 8). A plain
// value struct: copy it freely; thread-safe like any const object.
struct EDICT_API Limits {
  // ---- policy text (compile) ----

  // Bytes of one policy file. Exceeded: `limit-exceeded` at the start of that file.
  std::size_t source_file_bytes = std::size_t{16} << 20;  // 16 MiB
  // Bytes of all the policy's files together (root files and imports; the built-in standard-library modules
  // are not counted). Exceeded: `limit-exceeded` at the import (or file) that goes over.
  std::size_t total_source_bytes = std::size_t{64} << 20;  // 64 MiB
  // Expression nesting: parentheses, `not`, unary `-`, `if`, and the height of the expression tree (an
  // operator chain `a + b + c` nests to the left). The parser stops at this depth before recursing further,
  // so a 100,000-deep expression is a diagnostic, not a stack overflow. Exceeded: `limit-exceeded` at the
  // construct that goes deeper.
  std::size_t nesting_depth = 64;
  // Definitions built from definitions (also through tiers), and groups built from groups by set algebra:
  // the longest chain. Exceeded: `limit-exceeded` at the definition or group that ends the chain.
  std::size_t chain_depth = 64;
  // Digits of a number literal, before any exponent (`26_900_000` has 8). Exceeded: `limit-exceeded` at the
  // literal. (Exponents are bounded separately by the fixed limit of +-10,000: `invalid-number`.)
  std::size_t number_digits = 1000;
  // Bytes of one string literal (its content, after escapes). Exceeded: `limit-exceeded` at the literal.
  std::size_t string_bytes = std::size_t{64} << 10;  // 64 KiB
  // Rules and exemptions declared by the policy, together (`amend` and `repeal` add none). Exceeded:
  // `limit-exceeded` at the first rule or exemption beyond the limit.
  std::size_t rules = 10000;
  // Files loaded for one policy: the root files, every imported file and every `use`d standard-library
  // module. Exceeded: `limit-exceeded` at the `import` or `use` that goes over.
  std::size_t imported_files = 1000;
  // Distinct members of one group (names, strings or codes, with every `members`, `add` and `remove` of all
  // amendments), and members of one `enum`. Exceeded: `limit-exceeded` at the first member beyond the limit.
  std::size_t group_members = 100000;

  // ---- facts (Facts::from_json / assign_json, and binding facts built in code) ----

  // Bytes of one JSON facts document. Exceeded: "facts are N bytes, more than the limit of M bytes".
  std::size_t facts_bytes = std::size_t{16} << 20;  // 16 MiB
  // Nesting of JSON objects and arrays, counting the top-level object. The reader keeps its own stack (no
  // recursion). Exceeded: "line L, column C: facts are nested deeper than N levels".
  std::size_t facts_depth = 64;
  // Entries in one facts document (every member, nested objects included; array elements are not entries).
  // Exceeded: "line L, column C: `path`: facts have more than N entries".
  std::size_t fact_entries = 10000;
  // Digits of a fact number, before any exponent. Exceeded: "`path`: number has N digits, more than the
  // limit of M". (A JSON exponent is accepted and read exactly, `1e3` is 1000, up to +-10,000.)
  std::size_t fact_number_digits = 1000;
  // Bytes of one fact string, after unescaping. Exceeded: "`path`: string is N bytes, more than the limit".
  std::size_t fact_string_bytes = std::size_t{64} << 10;  // 64 KiB

  // Bytes of one test table file (`.jsonl` or `.csv`, see run_tests). Exceeded: the table gives one failing
  // case naming the limit; no more than this many bytes (plus one) are read.
  std::size_t table_bytes = std::size_t{64} << 20;  // 64 MiB

  // ---- evaluation ----

  // Expression and set nodes visited by one evaluation (every visit counts, also those only made for the
  // trace; a boolean node evaluated as a value counts twice). Without set-algebra group chains and without a
  // trace, an evaluation takes at most twice as many steps as the policy has compiled nodes. Policies have no loops or recursion, so every evaluation terminates; this bounds how long it
  // may take, e.g. a chain of groups each built as `g union g` from the one before doubles the work per
  // link. Exceeded: the evaluation stops with EvalResult::ok == false, limit_exceeded == true and an error
  // naming the limit.
  std::uint64_t eval_steps = 10'000'000;
};

}  // namespace edict
