// Status names, message strings and edict_string_free (edict/edict.h).
#include "capi/errors.hpp"

#include <cstdlib>
#include <cstring>

namespace edict::capi {

char* copy_string(std::string_view text) {
  auto* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy == nullptr) throw std::bad_alloc();
  if (!text.empty()) std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

edict_status fail(edict_status status, char** error, std::string_view message, std::string_view detail) noexcept {
  if (error == nullptr) return status;
  // malloc, not std::string: this runs inside the exception guard, where allocating may be what failed.
  *error = static_cast<char*>(std::malloc(message.size() + detail.size() + 1));
  if (*error == nullptr) return status;
  std::memcpy(*error, message.data(), message.size());
  if (!detail.empty()) std::memcpy(*error + message.size(), detail.data(), detail.size());
  (*error)[message.size() + detail.size()] = '\0';
  return status;
}

std::string join_lines(const std::vector<std::string>& messages) {
  std::string joined;
  for (const auto& message : messages) {
    if (!joined.empty()) joined += '\n';
    joined += message;
  }
  return joined;
}

}  // namespace edict::capi

extern "C" const char* edict_status_name(edict_status status) noexcept {
  switch (status) {
    case EDICT_OK: return "EDICT_OK";
    case EDICT_ERROR_ARGUMENT: return "EDICT_ERROR_ARGUMENT";
    case EDICT_ERROR_COMPILE: return "EDICT_ERROR_COMPILE";
    case EDICT_ERROR_FACTS: return "EDICT_ERROR_FACTS";
    case EDICT_ERROR_DATE: return "EDICT_ERROR_DATE";
    case EDICT_ERROR_LIMIT: return "EDICT_ERROR_LIMIT";
    case EDICT_ERROR_OUT_OF_MEMORY: return "EDICT_ERROR_OUT_OF_MEMORY";
    case EDICT_ERROR_INTERNAL: return "EDICT_ERROR_INTERNAL";
    case EDICT_STATUS_FORCE_INT: break;
  }
  return "EDICT_ERROR_UNKNOWN";
}

extern "C" void edict_string_free(char* text) noexcept { std::free(text); }
