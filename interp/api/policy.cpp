// The embedding API: compile (load -> parse -> check -> compiled program) and evaluate.
#include "edict/policy.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "edict/files.hpp"
#include "api/fact_frame_state.hpp"
#include "api/internals.hpp"
#include "core/sha256.hpp"
#include "eval/evaluator.hpp"
#include "eval/value.hpp"
#include "ir/program.hpp"
#include "sema/check.hpp"
#include "sema/loader.hpp"
#include "source/located.hpp"

namespace edict {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStdlibPrefix = "<stdlib>/";

// `path` as named from the policy root: lexically normal, relative to `root`, with `/` separators. A root and
// a path that differ in being absolute are both made absolute first. A file outside the root (a caller's own
// root that does not contain its files) keeps its normal path.
std::string name_in_root(const std::string& path, const std::string& root) {
  fs::path file = fs::path(path).lexically_normal();
  fs::path dir = fs::path(root).lexically_normal();
  if (!dir.empty() && !dir.has_filename()) dir = dir.parent_path();  // "a/b/" -> "a/b"
  if (file.is_absolute() != dir.is_absolute()) {
    std::error_code ec;
    file = fs::absolute(file, ec).lexically_normal();
    dir = fs::absolute(dir, ec).lexically_normal();
  }
  const auto relative = file.lexically_relative(dir);
  if (relative.empty() || *relative.begin() == "..") return file.generic_string();
  return relative.generic_string();
}

// The content digest: SHA-256 over a canonical form of the compiled sources, so that one policy has one
// digest whatever the working directory, the spelling of its path, or whether it was compiled from files or
// from memory with the same relative names. The hashed message is a sequence of length-prefixed fields
// (core::Sha256::field): "edict-policy-digest-1"; then for each policy file, sorted by name, "file", its name
// relative to the policy root (name_in_root) and its text; then for each standard-library module used, sorted
// by name, "stdlib", its name and its text. 64 lowercase hex digits.
std::string digest_of(const std::vector<SourceFile>& sources, const std::string& root) {
  std::vector<std::pair<std::string, const std::string*>> files, modules;
  for (const auto& s : sources) {
    if (s.path.starts_with(kStdlibPrefix) && s.path.ends_with(".edict")) {
      auto name = s.path.substr(kStdlibPrefix.size(), s.path.size() - kStdlibPrefix.size() - 6);
      modules.emplace_back(std::move(name), &s.text);
    } else {
      files.emplace_back(name_in_root(s.path, root), &s.text);
    }
  }
  const auto by_name_then_text = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  };
  std::sort(files.begin(), files.end(), by_name_then_text);
  std::sort(modules.begin(), modules.end(), by_name_then_text);
  core::Sha256 hash;
  hash.field("edict-policy-digest-1");
  for (const auto& [name, text] : files) {
    hash.field("file");
    hash.field(name);
    hash.field(*text);
  }
  for (const auto& [name, text] : modules) {
    hash.field("stdlib");
    hash.field(name);
    hash.field(*text);
  }
  return hash.hex();
}

}  // namespace

Limits CompileOptions::effective_limits() const {
  Limits out = limits;
  if (max_source_bytes) out.source_file_bytes = *max_source_bytes;
  if (max_nesting_depth) out.nesting_depth = out.chain_depth = *max_nesting_depth;
  if (max_number_digits) out.number_digits = *max_number_digits;
  return out;
}

Policy::Policy(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
Policy::~Policy() = default;

std::shared_ptr<const Policy> detail::Internals::make_policy(std::shared_ptr<const CompiledProgram> program) {
  return std::shared_ptr<const Policy>(new Policy(std::make_shared<const Policy::Compiled>(Policy::Compiled{std::move(program)})));
}

std::string Policy::digest() const { return compiled_->program->digest; }
const Limits& Policy::limits() const { return compiled_->program->limits; }
bool Policy::has_outputs() const { return !compiled_->program->outputs.empty(); }
const std::vector<PolicyTest>& Policy::tests() const { return compiled_->program->tests; }

EvalResult Policy::evaluate(const Facts& facts, const EvalOptions& options) const {
  Session session(*this);
  return session.evaluate(facts, options);
}

// ---- Session: reusable evaluation state --------------------------------------------------------------

struct Session::State {
  explicit State(std::shared_ptr<const CompiledProgram> p) : program(std::move(p)), evaluator(*program) {}
  std::shared_ptr<const CompiledProgram> program;
  eval::Evaluator evaluator;
  eval::BoundFacts bound;
  const eval::BoundFacts* facts_in = &bound;  // what run() evaluates: `bound`, or a prepared frame's facts
  eval::Outcome outcome;
  std::vector<std::string> errors, warnings;
  Decision decision;
  std::vector<OutputValue> values;  // Session::values(), reused

  // Checks the options and binds `facts` into `bound` (errors and warnings into the lists above); false when
  // the date is missing or the facts do not fit.
  bool bind(const Facts& facts, const EvalOptions& options, const Limits& limits) {
    errors.clear();
    warnings.clear();
    if (!options.as_of) {
      errors.emplace_back("no evaluation date: set EvalOptions::as_of, the date of the transaction");
      return false;
    }
    facts_in = &bound;
    return eval::bind(*program, facts, limits, bound, &errors, &warnings);
  }
  // Takes a prepared frame's facts as bound (and its setters' errors); false when the date is missing, the
  // frame belongs to another policy or a value did not fit. `facts_in` then points to the frame's facts.
  bool take(const FactFrame& frame, const EvalOptions& options) {
    errors.clear();
    warnings.clear();
    auto& f = detail::Internals::state(frame);
    if (f.program != program) {
      errors.emplace_back("the FactFrame was made for another policy than this session's");
      return false;
    }
    if (!options.as_of) {
      errors.emplace_back("no evaluation date: set EvalOptions::as_of, the date of the transaction");
      return false;
    }
    if (!f.errors.empty()) errors.insert(errors.end(), f.errors.begin(), f.errors.end());
    if (!f.warnings.empty()) warnings.insert(warnings.end(), f.warnings.begin(), f.warnings.end());
    facts_in = &f.bound();
    return errors.empty();
  }
  // Evaluates the bound facts; false (and the reason in `errors`) when the step limit stopped it.
  bool run(const EvalOptions& options, const Limits& limits, Trace* trace) {
    if (evaluator.run(*facts_in, *options.as_of, rulebook_date(options), limits.eval_steps, trace, outcome)) return true;
    errors.push_back(fmt::format("evaluation stopped after {} steps: the policy needs more than the limit of "
                                 "evaluation steps (Limits::eval_steps)",
                                 limits.eval_steps));
    return false;
  }
  static Date rulebook_date(const EvalOptions& options);
  // The rest of decide() and evaluate() once the facts are bound (`bound_ok`: they fitted).
  const Decision& decision_of(bool bound_ok, const EvalOptions& options, const Limits& limits);
  EvalResult result_of(bool bound_ok, const EvalOptions& options, const Limits& limits);
};

Session::Session(const Policy& policy) : state_(std::make_unique<State>(detail::Internals::shared_program(policy))) {}
Session::~Session() = default;

// "Latest" reads every amendment: a day before Date::max(), so that open-ended versions (known_until ==
// Date::max()) contain it.
Date Session::State::rulebook_date(const EvalOptions& options) {
  return options.rules_as_of.value_or(Date::from_days(Date::max().days() - 1));
}

const Decision& Session::decide(const Facts& facts, const EvalOptions& options) {
  auto& s = *state_;
  const Limits& limits = options.limits ? *options.limits : s.program->limits;
  return s.decision_of(s.bind(facts, options, limits), options, limits);
}

const Decision& Session::decide(const FactFrame& facts, const EvalOptions& options) {
  auto& s = *state_;
  const Limits& limits = options.limits ? *options.limits : s.program->limits;
  return s.decision_of(s.take(facts, options), options, limits);
}

const std::vector<OutputValue>& Session::values() {
  auto& s = *state_;
  if (!s.decision.ok) {
    s.values.clear();
  } else {
    eval::to_values(*s.program, s.outcome, s.values);
  }
  return s.values;
}

EvalResult Session::evaluate(const Facts& facts, const EvalOptions& options) {
  auto& s = *state_;
  const Limits& limits = options.limits ? *options.limits : s.program->limits;
  return s.result_of(s.bind(facts, options, limits), options, limits);
}

EvalResult Session::evaluate(const FactFrame& facts, const EvalOptions& options) {
  auto& s = *state_;
  const Limits& limits = options.limits ? *options.limits : s.program->limits;
  return s.result_of(s.take(facts, options), options, limits);
}

const Decision& Session::State::decision_of(bool bound_ok, const EvalOptions& options, const Limits& limits) {
  auto& d = decision;
  d.ok = bound_ok;
  d.limit_exceeded = false;
  d.errors = &errors;
  d.warnings = &warnings;
  d.classifications.clear();
  d.deciding_rules.clear();
  d.exemptions.clear();
  d.fired.clear();
  if (d.ok && !run(options, limits, nullptr)) {
    d.ok = false;
    d.limit_exceeded = true;
  }
  if (!d.ok) {
    d.decision = {};
    return d;
  }
  const auto& p = *program;
  d.decision = outcome.decision == ir::kNone ? std::string_view("indeterminate")
                                             : std::string_view(p.outcomes[outcome.decision]);
  for (const auto l : outcome.classifications) d.classifications.emplace_back(p.labels[l]);
  for (const auto& r : outcome.deciding) d.deciding_rules.emplace_back(p.entities[r.entity].name);
  for (const auto& e : outcome.exemptions) d.exemptions.emplace_back(p.entities[e.entity].name);
  for (const auto e : outcome.fired) d.fired.emplace_back(p.entities[e].name);
  d.indeterminate = !outcome.missing.empty() || !outcome.indeterminate.empty();
  return d;
}

EvalResult Session::State::result_of(bool bound_ok, const EvalOptions& options, const Limits& limits) {
  EvalResult result;
  result.as_of = options.as_of.value_or(Date{});
  result.rules_as_of = options.rules_as_of;
  result.policy_digest = program->digest;
  result.ok = bound_ok;
  result.warnings = warnings;
  if (!result.ok) {
    result.errors = errors;
    return result;
  }
  std::shared_ptr<Trace> trace;
  if (options.trace) {
    trace = std::make_shared<Trace>();
    trace->policy = program;
  }
  if (!run(options, limits, trace.get())) {
    result.ok = false;
    result.limit_exceeded = true;
    result.errors = errors;
    return result;
  }
  eval::to_result(*program, outcome, result);
  result.trace = std::move(trace);
  return result;
}

const eval::Outcome& detail::Internals::outcome(const Session& session) { return session.state_->outcome; }
const CompiledProgram& detail::Internals::program(const Session& session) { return *session.state_->program; }

CompileResult compile(const std::vector<SourceFile>& sources, const CompileOptions& options) {
  CompileResult result;
  if (sources.empty()) {
    result.diagnostics.push_back({Severity::kError, "no-source", "nothing to compile: no policy files", {}, {}, 0, 0, 0, {}});
    return result;
  }
  auto loaded = sema::load(sources, options);
  const std::string root = loaded.root;
  auto checked = sema::check(std::move(loaded), options);
  result.diagnostics = source::locate_all(checked.sources, std::move(checked.diagnostics));
  if (checked.program) {
    checked.program->digest = digest_of(checked.program->sources, root);
    result.policy = detail::Internals::make_policy(std::move(checked.program));
  }
  return result;
}

namespace {

// The directory a path stands for: itself when it is a directory, else its parent ("." when empty).
fs::path directory_of(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::path(path).lexically_normal();
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  if (p.empty()) p = ".";
  return p;
}

bool inside(const fs::path& path, const fs::path& dir) {
  const auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

Diagnostic file_diagnostic(const FileProblem& problem) {
  return {Severity::kError, problem.code, problem.message, {}, {}, 0, 0, 0, {}};
}

// Whether `file`, found below the directory `dir`, lies in a folder named `tests` (the documented place of a
// policy's tests).
bool in_tests_folder(const std::string& file, const std::string& dir) {
  const auto rel = fs::path(file).lexically_relative(dir).parent_path();
  return std::any_of(rel.begin(), rel.end(), [](const fs::path& part) { return part == "tests"; });
}

// The policy files that the inputs stand for (a directory: every `.edict` file below it, without its tests
// folders unless `include_tests`), without repeats.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs, bool include_tests,
                                       std::vector<Diagnostic>& errors) {
  std::vector<std::string> paths;
  for (const auto& path : inputs) {
    std::vector<std::string> found;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      auto listing = list_policy_files(path);
      for (auto p : listing.problems) {
        if (p.code == "file-outside-root") p.code = "import-outside-root";  // as an import that leaves it
        errors.push_back(file_diagnostic(p));
      }
      for (auto& file : listing.files) {
        if (include_tests || !in_tests_folder(file, path)) found.push_back(std::move(file));
      }
      if (found.empty() && listing.problems.empty()) {
        errors.push_back(file_diagnostic({"no-source", fmt::format("no `.edict` files in `{}`", path)}));
      }
    } else {
      found.push_back(path);
    }
    for (auto& f : found) {
      const auto normal = fs::path(f).lexically_normal().string();
      if (std::find(paths.begin(), paths.end(), normal) == paths.end()) paths.push_back(normal);
    }
  }
  return paths;
}

// The directory that imports may not leave: the common directory of the inputs.
std::string common_root(const std::vector<std::string>& inputs) {
  std::error_code ec;
  const bool first_is_dir = fs::is_directory(inputs.front(), ec);
  fs::path root = directory_of(inputs.front());
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    const auto dir = directory_of(inputs[i]);
    while (!inside(dir, root) && dir != root && root != "." && !root.empty()) root = root.parent_path();
    if (root.empty()) root = ".";
  }
  if (first_is_dir || root != directory_of(inputs.front())) return root.string();
  return {};
}

}  // namespace

CompileResult compile_paths(const std::vector<std::string>& inputs, const CompileOptions& options) {
  CompileResult result;
  const auto paths = expand_inputs(inputs, options.include_tests, result.diagnostics);
  if (!result.diagnostics.empty()) return result;
  CompileOptions opts = options;
  if (opts.root.empty() && !inputs.empty()) opts.root = common_root(inputs);
  const auto max_bytes = opts.effective_limits().source_file_bytes;
  std::vector<SourceFile> sources;
  for (const auto& p : paths) {
    auto text = read_file_text(p, max_bytes);
    if (!text.ok()) {
      if (text.problem.code == "file-too-large") text.problem.code = "limit-exceeded";
      result.diagnostics.push_back(file_diagnostic(text.problem));
      continue;
    }
    sources.push_back({p, std::move(text.text)});
  }
  if (!result.diagnostics.empty()) return result;
  if (sources.empty()) {
    result.diagnostics.push_back(file_diagnostic({"no-source", "nothing to compile: no policy files"}));
    return result;
  }
  return compile(sources, opts);
}

CompileResult compile_path(const std::string& path, const CompileOptions& options) {
  return compile_paths({path}, options);
}

}  // namespace edict
