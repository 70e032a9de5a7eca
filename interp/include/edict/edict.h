/* Edict: the stable C ABI (C11), in the same library as the C++ API.
 *
 * Compile a policy once (edict_compile_path, edict_compile_sources), then evaluate it many times: from facts
 * as JSON text (edict_evaluate_json), from facts built in code (edict_facts_*) through a per-thread session
 * (edict_session_decide, edict_session_evaluate_json), from a prepared frame filled by slot (edict_frame_*,
 * edict_session_decide_frame: the fastest), or over a buffer of JSON lines (edict_batch).
 *
 * ERRORS. Every function that can fail returns an edict_status; EDICT_OK (0) is success. Such functions take
 * a last parameter `char** error`: when it is not NULL, it is set to NULL on success and, on failure, to a
 * message (UTF-8, one or more lines) that the caller frees with edict_string_free. Pass NULL to ignore the
 * message. Out-parameters are set to NULL (or 0) first, so they are never left dangling. No C++ exception
 * ever leaves the library: an internal failure is EDICT_ERROR_INTERNAL, memory exhaustion
 * EDICT_ERROR_OUT_OF_MEMORY.
 *
 * OWNERSHIP. What a function returns through a `char**` or creates as a handle belongs to the caller:
 * strings are freed with edict_string_free, handles with their own edict_*_free (each accepts NULL).
 * A `const char*` returned by a function is borrowed: it lives as long as the handle it was read from, or
 * until the next call on that handle when the function says so. The library never keeps a pointer the caller
 * passed in: inputs are copied or used only during the call.
 *
 * THREADS. A policy is immutable: one edict_policy may be used by any number of threads at once (evaluate,
 * sessions, batch). Every other handle (edict_session, edict_facts, edict_compile_options,
 * edict_diagnostics, the decision a session returns) is used by one thread at a time; keep one session per
 * thread. A session keeps its policy alive: edict_policy_free may be called while sessions still exist.
 *
 * NUMBERS are exact: fact numbers are decimal text ("4800", "2461.24", "1e26"); no binary floating point is
 * part of this interface. Dates are "YYYY-MM-DD" text; a NULL or malformed date is EDICT_ERROR_DATE, never a
 * default date.
 */
#ifndef EDICT_EDICT_H
#define EDICT_EDICT_H

#include <stddef.h>
#include <stdint.h>

#include "edict/export.h"

#ifdef __cplusplus
#define EDICT_NOEXCEPT noexcept
extern "C" {
#else
#define EDICT_NOEXCEPT
#endif

/* ---- status, strings, version ---- */

typedef enum edict_status {
  EDICT_OK = 0,
  EDICT_ERROR_ARGUMENT = 1,       /* a NULL where a value is required, a bad index, an out-of-range value */
  EDICT_ERROR_COMPILE = 2,        /* the policy has errors: see the diagnostics */
  EDICT_ERROR_FACTS = 3,          /* facts JSON malformed, or facts that do not fit the policy's schema */
  EDICT_ERROR_DATE = 4,           /* a date that is NULL or not a valid "YYYY-MM-DD" */
  EDICT_ERROR_LIMIT = 5,          /* the evaluation exceeded a limit (edict_limit) */
  EDICT_ERROR_OUT_OF_MEMORY = 6,
  EDICT_ERROR_INTERNAL = 7,       /* a bug: please report it with the message */
  /* Not a status: makes the type as wide as int, so that any value a C caller passes is one C++ can hold. */
  EDICT_STATUS_FORCE_INT = 0x7fffffff
} edict_status;

/* The name of a status ("EDICT_ERROR_FACTS"); a static string, never NULL. */
EDICT_API const char* edict_status_name(edict_status status) EDICT_NOEXCEPT;

/* Frees a string this library returned through a `char**`. NULL is ignored. */
EDICT_API void edict_string_free(char* text) EDICT_NOEXCEPT;

/* The library version, "MAJOR.MINOR.PATCH" (a static string), and its parts. */
EDICT_API const char* edict_version(void) EDICT_NOEXCEPT;
EDICT_API int edict_version_major(void) EDICT_NOEXCEPT;
EDICT_API int edict_version_minor(void) EDICT_NOEXCEPT;
EDICT_API int edict_version_patch(void) EDICT_NOEXCEPT;

/* ---- compile options: limits and the policy root ---- */

/* The bounds on untrusted input (edict/limits.hpp documents each one, its default and what exceeding it
 * does). A compiled policy keeps its limits as the defaults of its evaluations and facts reading. */
typedef enum edict_limit {
  EDICT_LIMIT_SOURCE_FILE_BYTES = 0,
  EDICT_LIMIT_TOTAL_SOURCE_BYTES = 1,
  EDICT_LIMIT_NESTING_DEPTH = 2,
  EDICT_LIMIT_CHAIN_DEPTH = 3,
  EDICT_LIMIT_NUMBER_DIGITS = 4,
  EDICT_LIMIT_STRING_BYTES = 5,
  EDICT_LIMIT_RULES = 6,
  EDICT_LIMIT_IMPORTED_FILES = 7,
  EDICT_LIMIT_GROUP_MEMBERS = 8,
  EDICT_LIMIT_FACTS_BYTES = 9,
  EDICT_LIMIT_FACTS_DEPTH = 10,
  EDICT_LIMIT_FACT_ENTRIES = 11,
  EDICT_LIMIT_FACT_NUMBER_DIGITS = 12,
  EDICT_LIMIT_FACT_STRING_BYTES = 13,
  EDICT_LIMIT_TABLE_BYTES = 14,
  EDICT_LIMIT_EVAL_STEPS = 15,
  EDICT_LIMIT_FORCE_INT = 0x7fffffff /* not a limit (see EDICT_STATUS_FORCE_INT) */
} edict_limit;

typedef struct edict_compile_options edict_compile_options;

/* New options with the default limits and root. Caller frees with edict_compile_options_free. */
EDICT_API edict_status edict_compile_options_new(edict_compile_options** out, char** error) EDICT_NOEXCEPT;
EDICT_API void edict_compile_options_free(edict_compile_options* options) EDICT_NOEXCEPT;
/* Sets one limit. An unknown `limit` or a value that does not fit is EDICT_ERROR_ARGUMENT. */
EDICT_API edict_status edict_compile_options_set_limit(edict_compile_options* options, edict_limit limit,
                                                      uint64_t value, char** error) EDICT_NOEXCEPT;
/* The current value of a limit (0 for an unknown limit or NULL options). */
EDICT_API uint64_t edict_compile_options_get_limit(const edict_compile_options* options,
                                                  edict_limit limit) EDICT_NOEXCEPT;
/* The directory that imports may not leave (copied). NULL or "": the directory of the first source. */
EDICT_API edict_status edict_compile_options_set_root(edict_compile_options* options, const char* root,
                                                     char** error) EDICT_NOEXCEPT;

/* ---- diagnostics: compile errors and warnings as data ---- */

typedef struct edict_diagnostics edict_diagnostics;

typedef enum edict_severity {
  EDICT_SEVERITY_ERROR = 0,
  EDICT_SEVERITY_WARNING = 1,
  EDICT_SEVERITY_FORCE_INT = 0x7fffffff /* not a severity (see EDICT_STATUS_FORCE_INT) */
} edict_severity;

EDICT_API size_t edict_diagnostics_count(const edict_diagnostics* diagnostics) EDICT_NOEXCEPT;
/* The fields of diagnostic `index` (0-based). Strings are borrowed: valid until edict_diagnostics_free;
 * never NULL for a valid index ("" when empty), NULL for an index out of range. `code` is a stable identifier
 * ("unknown-name", "limit-exceeded"; grammar/LANGUAGE.md section 7). Line and column are 1-based (column in
 * bytes); 0 means the diagnostic has no location (and for an index out of range; the severity is then
 * EDICT_SEVERITY_ERROR). */
EDICT_API edict_severity edict_diagnostics_severity(const edict_diagnostics* diagnostics, size_t index) EDICT_NOEXCEPT;
EDICT_API const char* edict_diagnostics_code(const edict_diagnostics* diagnostics, size_t index) EDICT_NOEXCEPT;
EDICT_API const char* edict_diagnostics_message(const edict_diagnostics* diagnostics, size_t index) EDICT_NOEXCEPT;
EDICT_API const char* edict_diagnostics_help(const edict_diagnostics* diagnostics, size_t index) EDICT_NOEXCEPT;
EDICT_API const char* edict_diagnostics_file(const edict_diagnostics* diagnostics, size_t index) EDICT_NOEXCEPT;
EDICT_API uint32_t edict_diagnostics_line(const edict_diagnostics* diagnostics, size_t index) EDICT_NOEXCEPT;
EDICT_API uint32_t edict_diagnostics_column(const edict_diagnostics* diagnostics, size_t index) EDICT_NOEXCEPT;
/* All diagnostics as the CLI prints them (with source lines and carets), or as a JSON array
 * (render.hpp, diagnostics_json). Caller frees *out with edict_string_free. */
EDICT_API edict_status edict_diagnostics_render(const edict_diagnostics* diagnostics, char** out,
                                               char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_diagnostics_json(const edict_diagnostics* diagnostics, char** out,
                                             char** error) EDICT_NOEXCEPT;
EDICT_API void edict_diagnostics_free(edict_diagnostics* diagnostics) EDICT_NOEXCEPT;

/* ---- compiling a policy ---- */

typedef struct edict_policy edict_policy;

/* One in-memory policy file: `path` is shown in diagnostics and imports resolve relative to it; `text` is
 * `text_length` bytes (it need not be NUL-terminated). */
typedef struct edict_source {
  const char* path;
  const char* text;
  size_t text_length;
} edict_source;

/* Compiles a policy file, or every *.edict file under a directory. `options` may be NULL (the defaults).
 * On EDICT_OK, *out_policy is the policy (caller frees with edict_policy_free). On EDICT_ERROR_COMPILE,
 * *out_policy is NULL and the diagnostics say why. `out_diagnostics` may be NULL; otherwise it receives the
 * errors and warnings (also on success, possibly none); caller frees with edict_diagnostics_free. */
EDICT_API edict_status edict_compile_path(const char* path, const edict_compile_options* options,
                                         edict_policy** out_policy, edict_diagnostics** out_diagnostics,
                                         char** error) EDICT_NOEXCEPT;
/* The same from `count` in-memory files (imports not among them are read from the file system). */
EDICT_API edict_status edict_compile_sources(const edict_source* sources, size_t count,
                                            const edict_compile_options* options, edict_policy** out_policy,
                                            edict_diagnostics** out_diagnostics, char** error) EDICT_NOEXCEPT;
EDICT_API void edict_policy_free(edict_policy* policy) EDICT_NOEXCEPT;
/* The hash of the compiled sources (hex): borrowed, valid while the policy lives. */
EDICT_API const char* edict_policy_digest(const edict_policy* policy) EDICT_NOEXCEPT;

/* ---- facts ---- */

typedef struct edict_facts edict_facts;

/* Empty facts. Caller frees with edict_facts_free. */
EDICT_API edict_status edict_facts_new(edict_facts** out, char** error) EDICT_NOEXCEPT;
EDICT_API void edict_facts_free(edict_facts* facts) EDICT_NOEXCEPT;
EDICT_API void edict_facts_clear(edict_facts* facts) EDICT_NOEXCEPT;
/* Replaces the content of `facts` with a JSON object of `length` bytes (nested objects give dotted paths).
 * `limits_of` may be NULL (the default limits) or the policy whose facts limits apply. A malformed document
 * is EDICT_ERROR_FACTS with a message that starts "line L, column C: "; `facts` is then empty. */
EDICT_API edict_status edict_facts_from_json(edict_facts* facts, const char* json, size_t length,
                                            const edict_policy* limits_of, char** error) EDICT_NOEXCEPT;
/* Setters by dotted path ("product.tpp"); each replaces an earlier value at the same path. The texts are
 * copied. A number is decimal text, checked against the schema when evaluated; a date must be "YYYY-MM-DD"
 * (else EDICT_ERROR_DATE). */
EDICT_API edict_status edict_facts_set_number(edict_facts* facts, const char* path, const char* decimal_text,
                                             char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_facts_set_integer(edict_facts* facts, const char* path, int64_t value,
                                              char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_facts_set_bool(edict_facts* facts, const char* path, int value,
                                           char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_facts_set_string(edict_facts* facts, const char* path, const char* value,
                                             char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_facts_set_date(edict_facts* facts, const char* path, const char* iso_date,
                                           char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_facts_set_null(edict_facts* facts, const char* path, char** error) EDICT_NOEXCEPT;

/* ---- prepared facts: a frame per thread, the hot path without paths or text ---- */

/* A reusable, typed frame of one policy's facts (edict/fact_frame.hpp): each fact is resolved once, by
 * edict_frame_fact, and each case fills the frame by slot; edict_session_decide_frame then looks up no path
 * and parses no number given as an integer. Caller frees with edict_frame_free. One thread at a time; the
 * frame keeps its policy alive. */
typedef struct edict_frame edict_frame;

EDICT_API edict_status edict_frame_new(const edict_policy* policy, edict_frame** out, char** error) EDICT_NOEXCEPT;
EDICT_API void edict_frame_free(edict_frame* frame) EDICT_NOEXCEPT;
/* The slot of the fact at `path` ("product.tpp"), for the setters below; EDICT_ERROR_FACTS when the policy
 * declares no such fact. */
EDICT_API edict_status edict_frame_fact(const edict_frame* frame, const char* path, int32_t* out_fact,
                                       char** error) EDICT_NOEXCEPT;
/* The code `text` ("CN") of a code-typed fact (a country, a value of a closed list), for
 * edict_frame_set_code; EDICT_ERROR_FACTS when it is not one of the fact's codes. */
EDICT_API edict_status edict_frame_code(const edict_frame* frame, int32_t fact, const char* text, int32_t* out_code,
                                       char** error) EDICT_NOEXCEPT;
/* Every fact absent again (facts with a `default` take it); keeps the frame's storage. */
EDICT_API void edict_frame_clear(edict_frame* frame) EDICT_NOEXCEPT;
/* Setters by slot. Each value is checked against its fact's type and the policy's facts limits at once: a
 * value that does not fit is EDICT_ERROR_FACTS with the message a decision on the same facts given by path
 * would report, the fact is left absent, and a decision on the frame fails with that message until
 * edict_frame_clear. A number is decimal text ("2461.24", "1e26") or an integer, never binary floating point;
 * a date is "YYYY-MM-DD" (else EDICT_ERROR_DATE). */
EDICT_API edict_status edict_frame_set_number(edict_frame* frame, int32_t fact, const char* decimal_text,
                                             char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_frame_set_integer(edict_frame* frame, int32_t fact, int64_t value,
                                              char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_frame_set_bool(edict_frame* frame, int32_t fact, int value, char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_frame_set_string(edict_frame* frame, int32_t fact, const char* value,
                                             char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_frame_set_code(edict_frame* frame, int32_t fact, int32_t code,
                                           char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_frame_set_date(edict_frame* frame, int32_t fact, const char* iso_date,
                                           char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_frame_set_absent(edict_frame* frame, int32_t fact, char** error) EDICT_NOEXCEPT;
/* Replaces the frame's facts with a JSON facts object of `length` bytes, read as edict_facts_from_json with
 * the policy's limits reads it, straight into the slots when the JSON is plain. A malformed document is
 * EDICT_ERROR_FACTS ("line L, column C: ...") and the frame is left empty; values that do not fit their facts
 * are reported by the decision, as for edict_facts. */
EDICT_API edict_status edict_frame_from_json(edict_frame* frame, const char* json, size_t length,
                                            char** error) EDICT_NOEXCEPT;

/* ---- one-shot evaluation ---- */

/* Reads `facts_json` (NUL-terminated, the policy's facts limits apply), evaluates it on `as_of`
 * ("YYYY-MM-DD", required) with the rulebook published on `rules_as_of` (NULL: the latest), and sets
 * *out_json to the result as one JSON object, the same as `edict eval --format json` prints (with "trace"
 * when `trace` is non-zero). Caller frees *out_json with edict_string_free.
 * Statuses: EDICT_ERROR_DATE (no JSON); EDICT_ERROR_FACTS for malformed JSON (no JSON) or facts that do not
 * fit the schema; EDICT_ERROR_LIMIT when a limit was exceeded. In the last two cases *out_json is also set,
 * to the error object {"error":{"messages":[...]},"warnings":[...]}. Safe to call from many threads at once. */
EDICT_API edict_status edict_evaluate_json(const edict_policy* policy, const char* facts_json, const char* as_of,
                                          const char* rules_as_of, int trace, char** out_json,
                                          char** error) EDICT_NOEXCEPT;

/* ---- sessions: the hot path, one per thread ---- */

typedef struct edict_session edict_session;
typedef struct edict_decision edict_decision;

/* Reusable evaluation state for `policy` (kept alive by the session). Caller frees with edict_session_free.
 * One thread at a time. */
EDICT_API edict_status edict_session_new(const edict_policy* policy, edict_session** out,
                                        char** error) EDICT_NOEXCEPT;
EDICT_API void edict_session_free(edict_session* session) EDICT_NOEXCEPT;

/* The decision only (no trace): sets *out to a decision owned by the session, valid (with all its strings)
 * until the next call on this session or edict_session_free. Statuses as edict_evaluate_json; on
 * EDICT_ERROR_FACTS and EDICT_ERROR_LIMIT *out is NULL and *error lists the problems. */
EDICT_API edict_status edict_session_decide(edict_session* session, const edict_facts* facts, const char* as_of,
                                           const char* rules_as_of, const edict_decision** out,
                                           char** error) EDICT_NOEXCEPT;
/* The full result as JSON, as edict_evaluate_json, for facts built in code. */
EDICT_API edict_status edict_session_evaluate_json(edict_session* session, const edict_facts* facts,
                                                  const char* as_of, const char* rules_as_of, int trace,
                                                  char** out_json, char** error) EDICT_NOEXCEPT;

/* The same two for a prepared frame of the session's policy (EDICT_ERROR_ARGUMENT for another policy's). */
EDICT_API edict_status edict_session_decide_frame(edict_session* session, const edict_frame* frame,
                                                 const char* as_of, const char* rules_as_of,
                                                 const edict_decision** out, char** error) EDICT_NOEXCEPT;
EDICT_API edict_status edict_session_evaluate_frame_json(edict_session* session, const edict_frame* frame,
                                                        const char* as_of, const char* rules_as_of, int trace,
                                                        char** out_json, char** error) EDICT_NOEXCEPT;

/* A decision's parts (borrowed strings, see edict_session_decide). The outcome name or "indeterminate";
 * classifications in declaration order of the labels; deciding rules in evaluation order; the exemptions
 * that changed a deciding rule's outcome. Out-of-range indexes give NULL. */
EDICT_API const char* edict_decision_outcome(const edict_decision* decision) EDICT_NOEXCEPT;
EDICT_API int edict_decision_indeterminate(const edict_decision* decision) EDICT_NOEXCEPT;
EDICT_API size_t edict_decision_classification_count(const edict_decision* decision) EDICT_NOEXCEPT;
EDICT_API const char* edict_decision_classification(const edict_decision* decision, size_t index) EDICT_NOEXCEPT;
EDICT_API size_t edict_decision_deciding_rule_count(const edict_decision* decision) EDICT_NOEXCEPT;
EDICT_API const char* edict_decision_deciding_rule(const edict_decision* decision, size_t index) EDICT_NOEXCEPT;
EDICT_API size_t edict_decision_exemption_count(const edict_decision* decision) EDICT_NOEXCEPT;
EDICT_API const char* edict_decision_exemption(const edict_decision* decision, size_t index) EDICT_NOEXCEPT;

/* ---- batch over a buffer ---- */

/* Evaluates `length` bytes of JSON lines, as `edict eval --cases` does (edict/batch.hpp: each line
 * {"id"?, "facts", "as_of"?, "rules_as_of"?}; `as_of` and `rules_as_of` (NULL: latest) are the defaults for
 * lines without them; `as_of` is required). *out_jsonl receives exactly one output line per input line, in
 * input order, whatever `threads` (1 to 256): a result object or an error object {"id"?, "line": N,
 * "error": ...}. `out_length` (may be NULL) receives its length, `out_error_lines` (may be NULL) the number of
 * error objects. A bad line is not a failure of the call: the status is EDICT_OK. Caller frees *out_jsonl
 * with edict_string_free. */
EDICT_API edict_status edict_batch(const edict_policy* policy, const char* input, size_t length, const char* as_of,
                                  const char* rules_as_of, int trace, size_t threads, char** out_jsonl,
                                  size_t* out_length, size_t* out_error_lines, char** error) EDICT_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EDICT_EDICT_H */
