// An evaluation result handed across the C ABI: its status, its JSON and its error message.
#pragma once

#include "edict/edict.h"
#include "edict/result.hpp"

namespace edict::capi {

// EDICT_OK for a result with a decision; EDICT_ERROR_LIMIT or EDICT_ERROR_FACTS (with the result's errors
// as the message) for one without.
edict_status status_of(const EvalResult& result, char** error);

// Sets *out_json to render_json(result) and returns status_of(result).
edict_status deliver_json(const EvalResult& result, char** out_json, char** error);

}  // namespace edict::capi
