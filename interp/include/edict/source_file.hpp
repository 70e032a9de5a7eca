// A policy source: its path and its text.
#pragma once

#include <string>

namespace edict {

struct SourceFile {
  std::string path;  // shown in diagnostics; imports resolve relative to it
  std::string text;
};

}  // namespace edict
