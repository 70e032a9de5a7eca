// The compiled program as a documented JSON document (the public entry is edict/ir_dump.hpp; the format is
// tests/reference/IR.md).
#pragma once

#include <string>

#include "ir/program.hpp"

namespace edict::ir {

std::string dump_json(const CompiledProgram& program);

}  // namespace edict::ir
