// The error scheme of the C ABI (edict/edict.h): a status code plus an optional message the caller frees, and
// the guard that keeps every C++ exception on this side of the boundary.
#pragma once

#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "edict/edict.h"

namespace edict::capi {

// A malloc'd, NUL-terminated copy of `text` (freed by edict_string_free). Throws std::bad_alloc.
char* copy_string(std::string_view text);

// Sets *error (when `error` is not null) to `message` followed by `detail`, and returns `status`. Never
// throws: if the message cannot be allocated, *error stays null and the status still says what happened.
edict_status fail(edict_status status, char** error, std::string_view message, std::string_view detail = {}) noexcept;

// The lines of `messages` joined by '\n' (an evaluation's errors as one message).
std::string join_lines(const std::vector<std::string>& messages);

// Clears *error, runs `body` (which returns an edict_status) and turns any exception it throws into
// EDICT_ERROR_OUT_OF_MEMORY or EDICT_ERROR_INTERNAL with a message. Every exported function that can fail
// runs through it, so no exception crosses the C boundary.
template <class Body>
edict_status guarded(char** error, Body&& body) noexcept {
  if (error != nullptr) *error = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(EDICT_ERROR_OUT_OF_MEMORY, error, "out of memory");
  } catch (const std::exception& e) {
    return fail(EDICT_ERROR_INTERNAL, error, "internal error: ", e.what());
  } catch (...) {
    return fail(EDICT_ERROR_INTERNAL, error, "internal error: an unknown exception");
  }
}

// Returns EDICT_ERROR_ARGUMENT naming `what` when `pointer` is null, else EDICT_OK.
inline edict_status require(const void* pointer, std::string_view what, char** error) noexcept {
  return pointer != nullptr ? EDICT_OK : fail(EDICT_ERROR_ARGUMENT, error, what, " must not be NULL");
}

}  // namespace edict::capi
