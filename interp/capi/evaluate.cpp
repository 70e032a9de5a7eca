// One-shot evaluation through the C ABI: facts JSON in, result JSON out.
#include <cstring>
#include <string>

#include "capi/dates.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"
#include "capi/results.hpp"

extern "C" edict_status edict_evaluate_json(const edict_policy* policy, const char* facts_json, const char* as_of,
                                           const char* rules_as_of, int trace, char** out_json,
                                           char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out_json, "out_json", error); s != EDICT_OK) return s;
    *out_json = nullptr;
    if (const auto s = edict::capi::require(policy, "policy", error); s != EDICT_OK) return s;
    if (const auto s = edict::capi::require(facts_json, "facts_json", error); s != EDICT_OK) return s;
    edict::EvalOptions options;
    if (const auto s = edict::capi::read_eval_options(as_of, rules_as_of, trace, options, error); s != EDICT_OK) {
      return s;
    }
    std::string problem;
    const auto facts = edict::Facts::from_json(std::string_view(facts_json, std::strlen(facts_json)), &problem, {},
                                               policy->policy->limits());
    if (!facts) return edict::capi::fail(EDICT_ERROR_FACTS, error, problem);
    return edict::capi::deliver_json(policy->policy->evaluate(*facts, options), out_json, error);
  });
}
