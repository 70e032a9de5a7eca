// Fuzz target: bytes -> (policy text, facts JSON) split at the first NUL byte; the policy text is split into
// several files at each 0x01 byte (so that amendment files can be fuzzed). Compiles the policy with tight
// limits (imports of files are never served), and when it compiles evaluates it on the facts and on empty
// facts, with and without trace, at a few dates, rendering text and JSON.
// Oracles (besides the sanitizers): the formatter's output reparses to the same program and is a fixed
// point; every diagnostic lies inside its source and renders; rendering is
// deterministic; evaluation is deterministic (same facts, same options, same output).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <edict/date.hpp>
#include <edict/diagnostic.hpp>
#include <edict/facts.hpp>
#include <edict/format.hpp>
#include <edict/policy.hpp>
#include <edict/render.hpp>

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz oracle failed: %s\n%s\n", what, detail.c_str());
  std::abort();
}

std::optional<std::string> no_files(const std::string&) { return std::nullopt; }

std::string file_name(std::size_t index) { return "fuzz" + std::to_string(index) + ".edict"; }

// Line count and per-line lengths of the source, to check diagnostic positions.
std::vector<std::size_t> line_lengths(std::string_view text) {
  std::vector<std::size_t> lengths;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      lengths.push_back(i - start);  // a `\r` before the newline counts: a diagnostic may point at it
      start = i + 1;
    }
  }
  return lengths;
}

void check_diagnostics(const std::vector<edict::Diagnostic>& diagnostics, const std::vector<edict::SourceFile>& sources) {
  for (const edict::Diagnostic& d : diagnostics) {
    std::string rendered;
    try {
      rendered = edict::render(d);
    } catch (...) {
      fail("render(Diagnostic) threw", d.message);
    }
    if (rendered != edict::render(d)) fail("render(Diagnostic) is not deterministic", rendered);
    if (d.code.empty()) fail("diagnostic without a code", rendered);
    if (d.line == 0) continue;  // no location
    const edict::SourceFile* source = nullptr;
    for (const edict::SourceFile& f : sources) {
      if (f.path == d.file) source = &f;
    }
    if (source == nullptr) continue;  // a stdlib module: not our source
    const std::vector<std::size_t> lengths = line_lengths(source->text);
    if (d.line > lengths.size()) fail("diagnostic line outside the source", rendered);
    // Columns are 1-based bytes; one past the end of the line is allowed (end of input / end of line).
    if (d.column == 0 || d.column > lengths[d.line - 1] + 1) fail("diagnostic column outside its line", rendered);
    if (d.end_column != 0 && d.end_column < d.column) fail("diagnostic end_column before column", rendered);
  }
  try {
    const std::string all = edict::render_all(diagnostics);
    if (all != edict::render_all(diagnostics)) fail("render_all is not deterministic", all);
  } catch (...) {
    fail("render_all threw", "");
  }
}

void evaluate_and_render(const edict::Policy& policy, const edict::Facts& facts, const edict::EvalOptions& options) {
  const edict::EvalResult first = policy.evaluate(facts, options);
  const std::string text = edict::render_text(first);
  const std::string json = edict::render_json(first);
  if (text != edict::render_text(first)) fail("render_text is not deterministic", text);
  if (json != edict::render_json(first, {})) fail("render_json is not deterministic", json);
  const edict::EvalResult second = policy.evaluate(facts, options);
  if (edict::render_json(second) != json) fail("evaluation is not deterministic", json);
  if (!first.ok && first.errors.empty()) fail("not ok without errors", json);
}

// The formatter never reports an internal error (its output always reparses to the same tree), and its
// output is a fixed point.
void check_formatting(const std::vector<edict::SourceFile>& sources, const edict::CompileOptions& options) {
  for (const edict::SourceFile& source : sources) {
    const edict::FormatResult formatted = edict::format_source(source, options);
    for (const edict::Diagnostic& d : formatted.diagnostics) {
      if (d.code == "internal-error") fail("format_source: output does not reparse to the same program", edict::render(d));
    }
    if (!formatted.ok()) continue;
    const edict::FormatResult again = edict::format_source({source.path, *formatted.text}, options);
    if (!again.ok() || *again.text != *formatted.text) fail("format_source is not idempotent", *formatted.text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  const std::string_view policy_text = input.substr(0, nul);
  const std::string_view facts_text = nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1);

  edict::CompileOptions options;
  options.max_source_bytes = 1u << 20;
  options.max_nesting_depth = 32;
  options.max_number_digits = 200;
  options.read_file = &no_files;

  std::vector<edict::SourceFile> sources;
  for (std::size_t start = 0;;) {
    const std::size_t split = policy_text.find('\x01', start);
    sources.push_back({file_name(sources.size()), std::string(policy_text.substr(start, split - start))});
    if (split == std::string_view::npos) break;
    start = split + 1;
  }
  check_formatting(sources, options);
  const edict::CompileResult compiled = edict::compile(sources, options);
  check_diagnostics(compiled.diagnostics, sources);
  static const bool verbose = std::getenv("EDICT_FUZZ_VERBOSE") != nullptr;  // to inspect one input
  if (verbose) std::fprintf(stderr, "%s", edict::render_all(compiled.diagnostics).c_str());
  if (!compiled.ok()) {
    if (!edict::has_errors(compiled.diagnostics)) fail("compile failed without an error diagnostic", "");
    return 0;
  }
  const edict::Policy& policy = *compiled.policy;
  (void)policy.digest();
  (void)policy.tests();

  std::string error;
  std::optional<edict::Facts> facts = edict::Facts::from_json(facts_text, &error, "fuzz.json", 16);
  const edict::Facts empty;

  const edict::Date dates[] = {*edict::Date::from_ymd(2023, 12, 1), *edict::Date::from_ymd(1, 1, 1),
                               *edict::Date::from_ymd(9999, 12, 31)};
  for (const edict::Date& date : dates) {
    for (const bool trace : {false, true}) {
      edict::EvalOptions eval;
      eval.as_of = date;
      eval.trace = trace;
      if (facts) evaluate_and_render(policy, *facts, eval);
      evaluate_and_render(policy, empty, eval);
    }
  }
  // A rulebook read as of an early date.
  edict::EvalOptions early;
  early.as_of = dates[0];
  early.rules_as_of = *edict::Date::from_ymd(2000, 1, 1);
  early.trace = true;
  evaluate_and_render(policy, facts ? *facts : empty, early);
  // The Session hot path agrees with evaluate().
  edict::Session session(policy);
  edict::EvalOptions plain;
  plain.as_of = dates[0];
  const edict::Facts& some = facts ? *facts : empty;
  const edict::Decision& decision = session.decide(some, plain);
  const edict::EvalResult full = policy.evaluate(some, plain);
  if (decision.ok != full.ok || (full.ok && decision.decision != full.decision))
    fail("Session::decide disagrees with Policy::evaluate", edict::render_json(full));
  return 0;
}
