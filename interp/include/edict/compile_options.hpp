// How a policy is compiled: limits, the root that its files may not leave, how imports are read.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "edict/limits.hpp"

namespace edict {

struct CompileOptions {
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
  // Reads an imported file (path already resolved); nullopt if missing. Default: the file system.
  std::optional<std::string> (*read_file)(const std::string& path) = nullptr;
};

}  // namespace edict
