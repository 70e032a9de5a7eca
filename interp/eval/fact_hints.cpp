// Hints for facts: did-you-mean over the declared paths and over the members of a code list, by the one
// shared rule of core/suggest.hpp.
#include "eval/fact_hints.hpp"

#include <vector>

#include "core/suggest.hpp"

namespace edict::eval {

std::string unknown_fact_warning(const CompiledProgram& program, std::string_view path) {
  std::vector<std::string> paths;
  paths.reserve(program.facts.size());
  for (const auto& fact : program.facts) paths.push_back(fact.path);
  std::string message = "unknown fact `" + std::string(path) + "` is ignored";
  const std::string hint = core::did_you_mean(core::nearest_names(path, paths));
  return hint.empty() ? message : message + "; " + hint;
}

std::string member_hint(const ir::EnumType& list, std::string_view value) {
  const std::string hint = core::did_you_mean_member(value, list.codes, list.displays);
  return hint.empty() ? hint : "; " + hint;
}

}  // namespace edict::eval
