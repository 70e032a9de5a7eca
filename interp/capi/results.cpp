// An evaluation result handed across the C ABI.
#include "capi/results.hpp"

#include "capi/errors.hpp"
#include "edict/render.hpp"

namespace edict::capi {

edict_status status_of(const EvalResult& result, char** error) {
  if (result.ok) return EDICT_OK;
  return fail(result.limit_exceeded ? EDICT_ERROR_LIMIT : EDICT_ERROR_FACTS, error, join_lines(result.errors));
}

edict_status deliver_json(const EvalResult& result, char** out_json, char** error) {
  *out_json = copy_string(render_json(result));
  return status_of(result, error);
}

}  // namespace edict::capi
