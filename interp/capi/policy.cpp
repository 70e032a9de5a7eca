// Compiling a policy through the C ABI, from a path or from in-memory sources.
#include <memory>
#include <string>
#include <vector>

#include "capi/errors.hpp"
#include "capi/handles.hpp"
#include "edict/diagnostic.hpp"

namespace {

// Clears the out-parameters of a compile call, so that no path leaves them dangling.
void clear_outputs(edict_policy** out_policy, edict_diagnostics** out_diagnostics) {
  if (out_policy != nullptr) *out_policy = nullptr;
  if (out_diagnostics != nullptr) *out_diagnostics = nullptr;
}

// Hands the compile result to the caller: the policy (or EDICT_ERROR_COMPILE with the rendered
// diagnostics as the message) and, when asked for, the diagnostics as data.
edict_status deliver(edict::CompileResult&& result, edict_policy** out_policy, edict_diagnostics** out_diagnostics,
                     char** error) {
  // Allocate both handles before handing out either, so that an allocation failure leaks nothing.
  std::unique_ptr<edict_diagnostics> diagnostics;
  if (out_diagnostics != nullptr) diagnostics = std::make_unique<edict_diagnostics>();
  std::unique_ptr<edict_policy> policy;
  if (result.ok()) policy = std::make_unique<edict_policy>(edict_policy{result.policy, result.policy->digest()});
  const edict_status status = result.ok() ? EDICT_OK
                                          : edict::capi::fail(EDICT_ERROR_COMPILE, error,
                                                              edict::render_all(result.diagnostics));
  if (diagnostics != nullptr) {
    diagnostics->items = std::move(result.diagnostics);
    *out_diagnostics = diagnostics.release();
  }
  *out_policy = policy.release();
  return status;
}

const edict::CompileOptions& options_or_defaults(const edict_compile_options* options) {
  static const edict::CompileOptions defaults;
  return options != nullptr ? options->options : defaults;
}

}  // namespace

extern "C" edict_status edict_compile_path(const char* path, const edict_compile_options* options,
                                          edict_policy** out_policy, edict_diagnostics** out_diagnostics,
                                          char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    clear_outputs(out_policy, out_diagnostics);
    if (const auto s = edict::capi::require(out_policy, "out_policy", error); s != EDICT_OK) return s;
    if (const auto s = edict::capi::require(path, "path", error); s != EDICT_OK) return s;
    return deliver(edict::compile_path(path, options_or_defaults(options)), out_policy, out_diagnostics, error);
  });
}

extern "C" edict_status edict_compile_sources(const edict_source* sources, size_t count,
                                             const edict_compile_options* options, edict_policy** out_policy,
                                             edict_diagnostics** out_diagnostics, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    clear_outputs(out_policy, out_diagnostics);
    if (const auto s = edict::capi::require(out_policy, "out_policy", error); s != EDICT_OK) return s;
    if (count == 0) return edict::capi::fail(EDICT_ERROR_ARGUMENT, error, "no sources given");
    if (const auto s = edict::capi::require(sources, "sources", error); s != EDICT_OK) return s;
    std::vector<edict::SourceFile> files;
    files.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      const edict_source& source = sources[i];
      if (source.path == nullptr || (source.text == nullptr && source.text_length != 0)) {
        return edict::capi::fail(EDICT_ERROR_ARGUMENT, error, "a source needs a path and a text");
      }
      files.push_back({source.path, std::string(source.text != nullptr ? source.text : "", source.text_length)});
    }
    return deliver(edict::compile(files, options_or_defaults(options)), out_policy, out_diagnostics, error);
  });
}

extern "C" void edict_policy_free(edict_policy* policy) noexcept { delete policy; }

extern "C" const char* edict_policy_digest(const edict_policy* policy) noexcept {
  return policy != nullptr ? policy->digest.c_str() : nullptr;
}
