// edict/ir_dump.hpp: the compiled program of a policy as JSON (written by ir/dump_json.cpp).
#include "edict/ir_dump.hpp"

#include "api/internals.hpp"
#include "ir/dump_json.hpp"

namespace edict {

std::string dump_ir_json(const Policy& policy) { return ir::dump_json(program_of(policy)); }

}  // namespace edict
