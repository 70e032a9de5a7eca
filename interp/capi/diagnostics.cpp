// Diagnostics as data through the C ABI: per-field accessors and the two renderings.
#include "capi/errors.hpp"
#include "capi/handles.hpp"
#include "edict/render.hpp"

namespace {

const edict::Diagnostic* at(const edict_diagnostics* diagnostics, size_t index) {
  if (diagnostics == nullptr || index >= diagnostics->items.size()) return nullptr;
  return &diagnostics->items[index];
}

// Renders all diagnostics with `render` into a string the caller frees.
template <class Render>
edict_status render_into(const edict_diagnostics* diagnostics, char** out, char** error, Render&& render) {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out, "out", error); s != EDICT_OK) return s;
    *out = nullptr;
    if (const auto s = edict::capi::require(diagnostics, "diagnostics", error); s != EDICT_OK) return s;
    *out = edict::capi::copy_string(render(diagnostics->items));
    return EDICT_OK;
  });
}

}  // namespace

extern "C" size_t edict_diagnostics_count(const edict_diagnostics* diagnostics) noexcept {
  return diagnostics != nullptr ? diagnostics->items.size() : 0;
}

extern "C" edict_severity edict_diagnostics_severity(const edict_diagnostics* diagnostics, size_t index) noexcept {
  const auto* d = at(diagnostics, index);
  return d != nullptr && d->severity == edict::Severity::kWarning ? EDICT_SEVERITY_WARNING : EDICT_SEVERITY_ERROR;
}

extern "C" const char* edict_diagnostics_code(const edict_diagnostics* diagnostics, size_t index) noexcept {
  const auto* d = at(diagnostics, index);
  return d != nullptr ? d->code.c_str() : nullptr;
}

extern "C" const char* edict_diagnostics_message(const edict_diagnostics* diagnostics, size_t index) noexcept {
  const auto* d = at(diagnostics, index);
  return d != nullptr ? d->message.c_str() : nullptr;
}

extern "C" const char* edict_diagnostics_help(const edict_diagnostics* diagnostics, size_t index) noexcept {
  const auto* d = at(diagnostics, index);
  return d != nullptr ? d->help.c_str() : nullptr;
}

extern "C" const char* edict_diagnostics_file(const edict_diagnostics* diagnostics, size_t index) noexcept {
  const auto* d = at(diagnostics, index);
  return d != nullptr ? d->file.c_str() : nullptr;
}

extern "C" uint32_t edict_diagnostics_line(const edict_diagnostics* diagnostics, size_t index) noexcept {
  const auto* d = at(diagnostics, index);
  return d != nullptr ? d->line : 0;
}

extern "C" uint32_t edict_diagnostics_column(const edict_diagnostics* diagnostics, size_t index) noexcept {
  const auto* d = at(diagnostics, index);
  return d != nullptr ? d->column : 0;
}

extern "C" edict_status edict_diagnostics_render(const edict_diagnostics* diagnostics, char** out,
                                                char** error) noexcept {
  return render_into(diagnostics, out, error, [](const auto& items) { return edict::render_all(items); });
}

extern "C" edict_status edict_diagnostics_json(const edict_diagnostics* diagnostics, char** out,
                                              char** error) noexcept {
  return render_into(diagnostics, out, error, [](const auto& items) { return edict::diagnostics_json(items); });
}

extern "C" void edict_diagnostics_free(edict_diagnostics* diagnostics) noexcept { delete diagnostics; }
