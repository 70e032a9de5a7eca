// Hints in the messages about facts: a path the schema does not declare, a code-list value given by its
// name. Only on the path of a warning or an error: binding valid facts never calls these.
#pragma once

#include <string>
#include <string_view>

#include "ir/program.hpp"

namespace edict::eval {

// "unknown fact `product.tpp_total` is ignored; did you mean `product.tpp`?" (the nearest declared paths).
std::string unknown_fact_warning(const CompiledProgram& program, std::string_view path);

// "; did you mean `CN` (China)?" for "China", a member of `list` given by its display name (or a near
// code or name); "" when no member is near. The enumeration's own names: nothing here knows a domain.
std::string member_hint(const ir::EnumType& list, std::string_view value);

}  // namespace edict::eval
