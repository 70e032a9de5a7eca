// Loading (before stage 2): reads the policy files and everything they import or use, parses each once,
// and rejects import cycles and imports that leave the policy root.
#pragma once

#include <string>
#include <vector>

#include "edict/compile_options.hpp"
#include "source/located.hpp"
#include "syntax.hpp"

namespace edict::sema {

struct LoadedFile {
  std::uint32_t index = 0;  // into Loaded::sources
  syntax::File tree;
  bool from_stdlib = false;
};

struct Loaded {
  std::vector<SourceFile> sources;
  std::vector<LoadedFile> files;  // in load order (a file that did not parse has none)
  std::vector<source::SpanDiagnostic> diagnostics;
  std::string root;  // the directory that imports and every other file the policy names may not leave
};

// The directory that a compile of `roots` may not leave (Loaded::root): CompileOptions::root, else the
// directory of the first root file ("." when it has none). Precondition: `roots` is not empty.
std::string policy_root(const std::vector<SourceFile>& roots, const CompileOptions& options);

// Precondition: `roots` is not empty. Never throws for user errors.
Loaded load(const std::vector<SourceFile>& roots, const CompileOptions& options);

}  // namespace edict::sema
