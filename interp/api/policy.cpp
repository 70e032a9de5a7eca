// The embedding API: compile (load -> parse -> check -> compiled program) and evaluate.
#include "edict/policy.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "eval/value.hpp"
#include "ir/program.hpp"
#include "sema/check.hpp"
#include "sema/loader.hpp"
#include "source/located.hpp"

namespace edict {

namespace fs = std::filesystem;

namespace {

// FNV-1a (64 bit) over every compiled source's path and text, in load order.
std::string digest_of(const std::vector<SourceFile>& sources) {
  std::uint64_t hash = 1469598103934665603ull;
  const auto feed = [&](std::string_view bytes) {
    for (const unsigned char c : bytes) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    hash ^= 0xFF;  // separator
    hash *= 1099511628211ull;
  };
  for (const auto& s : sources) {
    feed(s.path);
    feed(s.text);
  }
  return fmt::format("{:016x}", hash);
}

}  // namespace

Policy::Policy(std::shared_ptr<const CompiledProgram> program) : program_(std::move(program)) {}
Policy::~Policy() = default;

std::string Policy::digest() const { return program_->digest; }
const std::vector<PolicyTest>& Policy::tests() const { return program_->tests; }

EvalResult Policy::evaluate(const Facts& facts, const EvalOptions& options) const {
  EvalResult result;
  result.as_of = options.as_of;
  result.rules_as_of = options.rules_as_of;
  result.policy_digest = program_->digest;
  const auto bound = eval::bind(*program_, facts, result);
  if (!result.ok) return result;
  std::shared_ptr<Trace> trace;
  if (options.trace) trace = std::make_shared<Trace>();
  // "Latest" reads every amendment: a day before Date::max(), so that open-ended versions (known_until ==
  // Date::max()) contain it.
  const auto latest = Date::from_days(Date::max().days() - 1);
  eval::evaluate(*program_, bound, options.as_of, options.rules_as_of.value_or(latest), trace.get(), result);
  result.trace = std::move(trace);
  return result;
}

CompileResult compile(const std::vector<SourceFile>& sources, const CompileOptions& options) {
  CompileResult result;
  if (sources.empty()) {
    result.diagnostics.push_back({Severity::kError, "no-source", "nothing to compile: no policy files", {}, {}, 0, 0, 0, {}});
    return result;
  }
  auto loaded = sema::load(sources, options);
  auto checked = sema::check(std::move(loaded), options);
  result.diagnostics = source::locate_all(checked.sources, std::move(checked.diagnostics));
  if (checked.program) {
    checked.program->digest = digest_of(checked.program->sources);
    result.policy = std::make_shared<Policy>(std::move(checked.program));
  }
  return result;
}

CompileResult compile_path(const std::string& path, const CompileOptions& options) {
  std::error_code ec;
  std::vector<std::string> paths;
  CompileOptions opts = options;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".edict") paths.push_back(it->path().string());
    }
    std::sort(paths.begin(), paths.end());
    if (opts.root.empty()) opts.root = path;
  } else {
    paths.push_back(path);
  }
  CompileResult result;
  std::vector<SourceFile> sources;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      result.diagnostics.push_back(
          {Severity::kError, "file-not-found", fmt::format("cannot read `{}`", p), {}, {}, 0, 0, 0, {}});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    sources.push_back({fs::path(p).lexically_normal().string(), text.str()});
  }
  if (!result.diagnostics.empty()) return result;
  if (sources.empty()) {
    result.diagnostics.push_back(
        {Severity::kError, "no-source", fmt::format("no `.edict` files in `{}`", path), {}, {}, 0, 0, 0, {}});
    return result;
  }
  return compile(sources, opts);
}

}  // namespace edict
