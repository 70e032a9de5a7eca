// How a policy is compiled: limits, the root that its files may not leave, how imports are read.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "edict/export.h"
#include "edict/limits.hpp"

namespace edict {

struct EDICT_API CompileOptions {
  // Bounds on the policy text; the compiled policy keeps them as its evaluation defaults (Policy::limits).
  Limits limits;
  // Deprecated spellings of limits.source_file_bytes, limits.nesting_depth (and limits.chain_depth) and
  // limits.number_digits, kept for existing callers: when set, they override those fields.
  std::optional<std::size_t> max_source_bytes;
  std::optional<std::size_t> max_nesting_depth;
  std::optional<std::size_t> max_number_digits;
  // `limits` with the deprecated fields above applied.
  Limits effective_limits() const;
  // Directory that imports may not leave. Empty: the directory of the first source.
  std::string root;
  // Reads an imported file (path already resolved); nullopt if missing. Empty: the file system. A callable,
  // so that it can hold state (a database connection, an in-memory bundle); it is called only during the
  // compile, from the compiling thread.
  using FileReader = std::function<std::optional<std::string>(const std::string& path)>;
  FileReader read_file;
  // Compiling a directory reads the `.edict` files below it except those in a folder named `tests` (the
  // documented layout keeps a policy's tests there), unless this is set: `edict test` and `edict check` set it.
  bool include_tests = false;
};

}  // namespace edict
