// Dates and evaluation options from the C ABI's arguments.
#include "capi/dates.hpp"

#include "capi/errors.hpp"

namespace edict::capi {

edict_status read_date(const char* text, const char* what, Date& date, char** error) {
  if (text == nullptr) return fail(EDICT_ERROR_DATE, error, what, " is required (a date YYYY-MM-DD), got NULL");
  const auto parsed = Date::parse(text);
  if (!parsed) {
    return fail(EDICT_ERROR_DATE, error, what,
                std::string(" must be a valid date YYYY-MM-DD, got \"") + text + "\"");
  }
  date = *parsed;
  return EDICT_OK;
}

edict_status read_rules_date(const char* text, std::optional<Date>& date, char** error) {
  date.reset();
  if (text == nullptr) return EDICT_OK;
  Date parsed;
  if (const auto s = read_date(text, "rules_as_of", parsed, error); s != EDICT_OK) return s;
  date = parsed;
  return EDICT_OK;
}

edict_status read_eval_options(const char* as_of, const char* rules_as_of, int trace, EvalOptions& options,
                               char** error) {
  Date date;
  if (const auto s = read_date(as_of, "as_of", date, error); s != EDICT_OK) return s;
  options.as_of = date;  // also right when EvalOptions::as_of becomes std::optional<Date>
  if (const auto s = read_rules_date(rules_as_of, options.rules_as_of, error); s != EDICT_OK) return s;
  options.trace = trace != 0;
  return EDICT_OK;
}

}  // namespace edict::capi
