// Rendering of results and traces: human text and JSON (stable schema, see README "Output").
#pragma once

#include <string>
#include <string_view>

#include <vector>

#include "edict/export.h"
#include "edict/diagnostic.hpp"
#include "edict/result.hpp"

namespace edict {

// The decision summary followed, when present, by the trace as an indented tree.
EDICT_API std::string render_text(const EvalResult& result);
// The JSON name of a trace step's kind: "rule", "exemption", "check", "definition", "parameter", "tier",
// "decision".
EDICT_API const char* trace_kind_name(TraceStep::Kind kind);

// The texts of a trace step, as the text and JSON renderings print them (both read the step's data):
// its text ("product.tpp 4992 >= 4800", a definition's expression, "by rule_a" for the decision), its detail
// (group members, outcome, missing facts, ...) and a rule's window ("[2023-11-17, +inf)" or "always").
EDICT_API std::string trace_text(const TraceStep& step);
EDICT_API std::string trace_detail(const TraceStep& step);
EDICT_API std::string trace_window(const TraceStep& step);
// A value as printed ("\"CN\"", "6.5", "2496/407 (≈6.132678)"), and exactly ("\"CN\"", "6.5", "2496/407").
EDICT_API std::string trace_value_text(const TraceValue& value);
EDICT_API std::string trace_exact_text(const TraceValue& value);
// A check's operand as printed: "product.tpp 4992", "4800", "product.tpp (missing)".
EDICT_API std::string trace_operand_text(const TraceOperand& operand);

// `text` as a JSON string literal, with quotes and escapes.
EDICT_API std::string json_quote(std::string_view text);

// One JSON object (no trailing newline). Keys in a fixed order; includes "trace" when present.
// `id_json` (raw JSON, e.g. "\"case-1\"" or "7") is written first as "id" when not empty.
EDICT_API std::string render_json(const EvalResult& result, std::string_view id_json = {});

// Diagnostics as a JSON array of {"severity", "code", "message", "help"?, "file"?, "line"?, "column"?,
// "end_column"?}: the fields of Diagnostic, empty ones left out.
EDICT_API std::string diagnostics_json(const std::vector<Diagnostic>& diagnostics);

}  // namespace edict
