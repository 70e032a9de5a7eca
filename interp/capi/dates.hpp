// Dates and evaluation options from the C ABI's arguments: a NULL or malformed date is an error, never a
// default date.
#pragma once

#include <optional>

#include "edict/edict.h"
#include "edict/policy.hpp"

namespace edict::capi {

// Parses the required "YYYY-MM-DD" argument `text` (named `what` in the message) into *date.
edict_status read_date(const char* text, const char* what, Date& date, char** error);

// Parses the optional rulebook date: NULL leaves *date empty (the latest rulebook); malformed text is an error.
edict_status read_rules_date(const char* text, std::optional<Date>& date, char** error);

// Fills `options` from the arguments of an evaluation: `as_of` required, `rules_as_of` NULL for the latest.
edict_status read_eval_options(const char* as_of, const char* rules_as_of, int trace, EvalOptions& options,
                               char** error);

}  // namespace edict::capi
