// Compile options through the C ABI: the limits, by name, and the policy root.
#include <cstdint>
#include <limits>

#include "capi/errors.hpp"
#include "capi/handles.hpp"

namespace {

// The Limits field that `limit` names, as a size_t or (eval_steps) a uint64_t; both null when unknown.
struct LimitField {
  std::size_t* size = nullptr;
  std::uint64_t* steps = nullptr;
};

LimitField field_of(edict::Limits& limits, edict_limit limit) {
  switch (limit) {
    case EDICT_LIMIT_SOURCE_FILE_BYTES: return {&limits.source_file_bytes};
    case EDICT_LIMIT_TOTAL_SOURCE_BYTES: return {&limits.total_source_bytes};
    case EDICT_LIMIT_NESTING_DEPTH: return {&limits.nesting_depth};
    case EDICT_LIMIT_CHAIN_DEPTH: return {&limits.chain_depth};
    case EDICT_LIMIT_NUMBER_DIGITS: return {&limits.number_digits};
    case EDICT_LIMIT_STRING_BYTES: return {&limits.string_bytes};
    case EDICT_LIMIT_RULES: return {&limits.rules};
    case EDICT_LIMIT_IMPORTED_FILES: return {&limits.imported_files};
    case EDICT_LIMIT_GROUP_MEMBERS: return {&limits.group_members};
    case EDICT_LIMIT_FACTS_BYTES: return {&limits.facts_bytes};
    case EDICT_LIMIT_FACTS_DEPTH: return {&limits.facts_depth};
    case EDICT_LIMIT_FACT_ENTRIES: return {&limits.fact_entries};
    case EDICT_LIMIT_FACT_NUMBER_DIGITS: return {&limits.fact_number_digits};
    case EDICT_LIMIT_FACT_STRING_BYTES: return {&limits.fact_string_bytes};
    case EDICT_LIMIT_TABLE_BYTES: return {&limits.table_bytes};
    case EDICT_LIMIT_EVAL_STEPS: return {nullptr, &limits.eval_steps};
    case EDICT_LIMIT_FORCE_INT: break;
  }
  return {};
}

}  // namespace

extern "C" edict_status edict_compile_options_new(edict_compile_options** out, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out, "out", error); s != EDICT_OK) return s;
    *out = nullptr;  // stays null if the allocation below throws
    *out = new edict_compile_options();
    return EDICT_OK;
  });
}

extern "C" void edict_compile_options_free(edict_compile_options* options) noexcept { delete options; }

extern "C" edict_status edict_compile_options_set_limit(edict_compile_options* options, edict_limit limit,
                                                       uint64_t value, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(options, "options", error); s != EDICT_OK) return s;
    const LimitField field = field_of(options->options.limits, limit);
    if (field.steps != nullptr) {
      *field.steps = value;
    } else if (field.size == nullptr) {
      return edict::capi::fail(EDICT_ERROR_ARGUMENT, error, "unknown limit");
    } else if (value > std::numeric_limits<std::size_t>::max()) {
      return edict::capi::fail(EDICT_ERROR_ARGUMENT, error, "limit value too large for this platform");
    } else {
      *field.size = static_cast<std::size_t>(value);
    }
    return EDICT_OK;
  });
}

extern "C" uint64_t edict_compile_options_get_limit(const edict_compile_options* options,
                                                   edict_limit limit) noexcept {
  if (options == nullptr) return 0;
  // field_of takes a mutable Limits to serve the setter; reading through a copy keeps `options` const.
  edict::Limits limits = options->options.limits;
  const LimitField field = field_of(limits, limit);
  if (field.steps != nullptr) return *field.steps;
  return field.size != nullptr ? static_cast<uint64_t>(*field.size) : 0;
}

extern "C" edict_status edict_compile_options_set_root(edict_compile_options* options, const char* root,
                                                      char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(options, "options", error); s != EDICT_OK) return s;
    options->options.root = root != nullptr ? root : "";
    return EDICT_OK;
  });
}
