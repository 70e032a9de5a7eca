// A policy source: its path and its text.
#pragma once

#include <string>

#include "edict/export.h"

namespace edict {

struct EDICT_API SourceFile {
  std::string path;  // shown in diagnostics; imports resolve relative to it
  std::string text;
};

}  // namespace edict
