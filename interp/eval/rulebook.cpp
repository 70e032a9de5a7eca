// Rule versions and parameter steps as of a rulebook date (see rulebook.hpp).
#include "eval/rulebook.hpp"

namespace edict::eval {

bool step_visible(const ir::ParameterStep& step, Date rules_as_of) {
  return step.known_from <= rules_as_of && rules_as_of < step.known_until;
}

const ir::ParameterStep* step_in_force(const ir::Parameter& parameter, Date as_of, Date rules_as_of) {
  const ir::ParameterStep* chosen = nullptr;
  for (const auto& s : parameter.steps) {
    if (!step_visible(s, rules_as_of) || s.from > as_of) continue;
    if (chosen == nullptr || s.from > chosen->from || (s.from == chosen->from && s.known_from >= chosen->known_from)) {
      chosen = &s;
    }
  }
  return chosen;
}

}  // namespace edict::eval
