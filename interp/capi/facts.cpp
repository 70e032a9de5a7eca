// Facts through the C ABI: from JSON text, or built with typed setters (numbers as decimal text).
#include <string>

#include "capi/dates.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"

namespace {

// Checks the handle and the path of a setter, then runs `set(facts, path)`.
template <class Set>
edict_status set_fact(edict_facts* facts, const char* path, char** error, Set&& set) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(facts, "facts", error); s != EDICT_OK) return s;
    if (const auto s = edict::capi::require(path, "path", error); s != EDICT_OK) return s;
    return set(facts->facts, std::string(path));
  });
}

}  // namespace

extern "C" edict_status edict_facts_new(edict_facts** out, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out, "out", error); s != EDICT_OK) return s;
    *out = nullptr;  // stays null if the allocation below throws
    *out = new edict_facts();
    return EDICT_OK;
  });
}

extern "C" void edict_facts_free(edict_facts* facts) noexcept { delete facts; }

extern "C" void edict_facts_clear(edict_facts* facts) noexcept {
  // Replacing with an empty Facts frees; nothing here can throw.
  if (facts != nullptr) facts->facts = edict::Facts();
}

extern "C" edict_status edict_facts_from_json(edict_facts* facts, const char* json, size_t length,
                                             const edict_policy* limits_of, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(facts, "facts", error); s != EDICT_OK) return s;
    if (json == nullptr && length != 0) return edict::capi::require(json, "json", error);
    const edict::Limits limits = limits_of != nullptr ? limits_of->policy->limits() : edict::Limits{};
    std::string problem;
    if (!facts->facts.assign_json(std::string_view(json != nullptr ? json : "", length), &problem, {}, limits)) {
      return edict::capi::fail(EDICT_ERROR_FACTS, error, problem);
    }
    return EDICT_OK;
  });
}

extern "C" edict_status edict_facts_set_number(edict_facts* facts, const char* path, const char* decimal_text,
                                              char** error) noexcept {
  return set_fact(facts, path, error, [&](edict::Facts& f, std::string p) {
    if (const auto s = edict::capi::require(decimal_text, "decimal_text", error); s != EDICT_OK) return s;
    f.set_number(std::move(p), decimal_text);
    return EDICT_OK;
  });
}

extern "C" edict_status edict_facts_set_integer(edict_facts* facts, const char* path, int64_t value,
                                               char** error) noexcept {
  return set_fact(facts, path, error, [&](edict::Facts& f, std::string p) {
    f.set_integer(std::move(p), static_cast<long long>(value));
    return EDICT_OK;
  });
}

extern "C" edict_status edict_facts_set_bool(edict_facts* facts, const char* path, int value,
                                            char** error) noexcept {
  return set_fact(facts, path, error, [&](edict::Facts& f, std::string p) {
    f.set_bool(std::move(p), value != 0);
    return EDICT_OK;
  });
}

extern "C" edict_status edict_facts_set_string(edict_facts* facts, const char* path, const char* value,
                                              char** error) noexcept {
  return set_fact(facts, path, error, [&](edict::Facts& f, std::string p) {
    if (const auto s = edict::capi::require(value, "value", error); s != EDICT_OK) return s;
    f.set_string(std::move(p), value);
    return EDICT_OK;
  });
}

extern "C" edict_status edict_facts_set_date(edict_facts* facts, const char* path, const char* iso_date,
                                            char** error) noexcept {
  return set_fact(facts, path, error, [&](edict::Facts& f, std::string p) {
    edict::Date date;
    if (const auto s = edict::capi::read_date(iso_date, "date", date, error); s != EDICT_OK) return s;
    f.set_date(std::move(p), date);
    return EDICT_OK;
  });
}

extern "C" edict_status edict_facts_set_null(edict_facts* facts, const char* path, char** error) noexcept {
  return set_fact(facts, path, error, [&](edict::Facts& f, std::string p) {
    f.set_null(std::move(p));
    return EDICT_OK;
  });
}
