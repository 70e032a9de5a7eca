// Prepared facts through the C ABI: a FactFrame filled by slot (edict/fact_frame.hpp). A setter's misfit is
// reported at once, with the frame's own message, and stays in the frame for the decision.
#include <string>
#include <string_view>

#include "capi/dates.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"

namespace {

edict::FactRef ref(int32_t fact) { return {fact < 0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(fact)}; }

// Checks the frame, then runs `set(frame)`; a false result is EDICT_ERROR_FACTS with the setter's message.
template <class Set>
edict_status set_slot(edict_frame* frame, char** error, Set&& set) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(frame, "frame", error); s != EDICT_OK) return s;
    if (set(frame->frame)) return EDICT_OK;
    const auto& errors = frame->frame.errors();
    return edict::capi::fail(EDICT_ERROR_FACTS, error, errors.empty() ? "the value does not fit" : errors.back());
  });
}

}  // namespace

extern "C" edict_status edict_frame_new(const edict_policy* policy, edict_frame** out, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out, "out", error); s != EDICT_OK) return s;
    *out = nullptr;
    if (const auto s = edict::capi::require(policy, "policy", error); s != EDICT_OK) return s;
    *out = new edict_frame(policy->policy);
    return EDICT_OK;
  });
}

extern "C" void edict_frame_free(edict_frame* frame) noexcept { delete frame; }

extern "C" edict_status edict_frame_fact(const edict_frame* frame, const char* path, int32_t* out_fact,
                                        char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out_fact, "out_fact", error); s != EDICT_OK) return s;
    *out_fact = -1;
    if (const auto s = edict::capi::require(frame, "frame", error); s != EDICT_OK) return s;
    if (const auto s = edict::capi::require(path, "path", error); s != EDICT_OK) return s;
    const auto fact = frame->frame.fact(path);
    if (!fact.valid()) return edict::capi::fail(EDICT_ERROR_FACTS, error, "`" + std::string(path) + "` is not a fact of the policy");
    *out_fact = static_cast<int32_t>(fact.slot);
    return EDICT_OK;
  });
}

extern "C" edict_status edict_frame_code(const edict_frame* frame, int32_t fact, const char* text, int32_t* out_code,
                                        char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out_code, "out_code", error); s != EDICT_OK) return s;
    *out_code = -1;
    if (const auto s = edict::capi::require(frame, "frame", error); s != EDICT_OK) return s;
    if (const auto s = edict::capi::require(text, "text", error); s != EDICT_OK) return s;
    const auto code = frame->frame.code(ref(fact), text);
    if (!code.valid()) {
      return edict::capi::fail(EDICT_ERROR_FACTS, error, "\"" + std::string(text) + "\" is not a code of that fact");
    }
    *out_code = code.index;
    return EDICT_OK;
  });
}

extern "C" void edict_frame_clear(edict_frame* frame) noexcept {
  if (frame != nullptr) frame->frame.clear();  // keeps the storage: nothing to allocate, nothing can throw
}

extern "C" edict_status edict_frame_set_number(edict_frame* frame, int32_t fact, const char* decimal_text,
                                              char** error) noexcept {
  if (decimal_text == nullptr) return edict::capi::require(decimal_text, "decimal_text", error);
  return set_slot(frame, error, [&](edict::FactFrame& f) { return f.set_decimal(ref(fact), decimal_text); });
}

extern "C" edict_status edict_frame_set_integer(edict_frame* frame, int32_t fact, int64_t value,
                                               char** error) noexcept {
  return set_slot(frame, error, [&](edict::FactFrame& f) { return f.set_integer(ref(fact), value); });
}

extern "C" edict_status edict_frame_set_bool(edict_frame* frame, int32_t fact, int value, char** error) noexcept {
  return set_slot(frame, error, [&](edict::FactFrame& f) { return f.set_bool(ref(fact), value != 0); });
}

extern "C" edict_status edict_frame_set_string(edict_frame* frame, int32_t fact, const char* value,
                                              char** error) noexcept {
  if (value == nullptr) return edict::capi::require(value, "value", error);
  return set_slot(frame, error, [&](edict::FactFrame& f) { return f.set_string(ref(fact), value); });
}

extern "C" edict_status edict_frame_set_code(edict_frame* frame, int32_t fact, int32_t code, char** error) noexcept {
  return set_slot(frame, error, [&](edict::FactFrame& f) { return f.set_code(ref(fact), edict::FactCode{code}); });
}

extern "C" edict_status edict_frame_set_date(edict_frame* frame, int32_t fact, const char* iso_date,
                                            char** error) noexcept {
  edict::Date date;
  if (const auto s = edict::capi::read_date(iso_date, "date", date, error); s != EDICT_OK) return s;
  return set_slot(frame, error, [&](edict::FactFrame& f) { return f.set_date(ref(fact), date); });
}

extern "C" edict_status edict_frame_set_absent(edict_frame* frame, int32_t fact, char** error) noexcept {
  return set_slot(frame, error, [&](edict::FactFrame& f) {
    f.set_absent(ref(fact));
    return true;
  });
}

extern "C" edict_status edict_frame_from_json(edict_frame* frame, const char* json, size_t length,
                                             char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(frame, "frame", error); s != EDICT_OK) return s;
    if (json == nullptr && length != 0) return edict::capi::require(json, "json", error);
    std::string problem;
    if (!frame->frame.assign_json(std::string_view(json != nullptr ? json : "", length), &problem)) {
      return edict::capi::fail(EDICT_ERROR_FACTS, error, problem);
    }
    return EDICT_OK;
  });
}
