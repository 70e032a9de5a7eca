// Reading the repository's own files from tests: policies compiled by path and data files read whole, both
// relative to the repository root (EDICT_SOURCE_DIR).
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "edict/edict.hpp"

namespace edict_test {

inline const std::string kRepoRoot = EDICT_SOURCE_DIR;

// Compiles a policy file or directory under the repository root and requires success.
inline std::shared_ptr<const edict::Policy> load(const std::string& path) {
  auto compiled = edict::compile_path(kRepoRoot + "/" + path);
  INFO(edict::render_all(compiled.diagnostics));
  REQUIRE(compiled.ok());
  return compiled.policy;
}

// The bytes of a file under the repository root.
inline std::string read(const std::string& path) {
  std::ifstream in(kRepoRoot + "/" + path, std::ios::binary);
  INFO(path);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace edict_test
