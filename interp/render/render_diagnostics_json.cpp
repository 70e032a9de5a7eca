// diagnostics_json(): compile diagnostics as JSON (`edict check --format json`).
#include <fmt/format.h>

#include "edict/render.hpp"
#include "core/json_writer.hpp"

namespace edict {

namespace {

void append_diagnostic(std::string& out, const Diagnostic& d) {
  out += fmt::format("{{\"severity\":\"{}\",\"code\":", d.severity == Severity::kError ? "error" : "warning");
  core::append_json_string(out, d.code);
  out += ",\"message\":";
  core::append_json_string(out, d.message);
  if (!d.help.empty()) {
    out += ",\"help\":";
    core::append_json_string(out, d.help);
  }
  if (!d.file.empty()) {
    out += ",\"file\":";
    core::append_json_string(out, d.file);
  }
  if (d.line != 0) out += fmt::format(",\"line\":{},\"column\":{}", d.line, d.column);
  if (d.end_column != 0) out += fmt::format(",\"end_column\":{}", d.end_column);
  out += '}';
}

}  // namespace

std::string diagnostics_json(const std::vector<Diagnostic>& diagnostics) {
  std::string out = "[";
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    if (i) out += ',';
    append_diagnostic(out, diagnostics[i]);
  }
  return out + ']';
}

}  // namespace edict
