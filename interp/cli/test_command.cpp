// `edict test POLICY [TESTS...]`: run the policy's `test` declarations, extra test files and table files.
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/json_writer.hpp"

namespace edict::cli {

namespace {
namespace fs = std::filesystem;

const char* const kTestHelp =
    "usage: edict test POLICY [TESTS...] [--filter TEXT] [--format text|json] [--junit FILE|-] [--coverage]\n"
    "\n"
    "Runs every `test` declaration of the policy, then the extra TESTS: `.edict` files of `test` declarations\n"
    "(compiled with the policy), `.jsonl` and `.csv` tables (one case a row), or folders of them.\n"
    "\n"
    "  --filter TEXT   only the cases whose name contains TEXT\n"
    "  --format F      text (default) or json (one document: cases, totals, coverage)\n"
    "  --junit FILE    also write JUnit XML to FILE (`-`: to standard output, instead of the summary)\n"
    "  --coverage      rules, exemptions, definitions, group tests, thresholds (below / at / above) and\n"
    "                  effective dates exercised by the cases\n"
    "\n"
    "A folder stands for the .edict, .jsonl and .csv files below it, listed by the policy-directory rules:\n"
    "a symbolic link that leaves the folder, a link loop or an unreadable sub-folder is an error.\n"
    "\n"
    "Exit code 1 if a case fails, 2 for usage or policy errors, a test folder that cannot be listed, a\n"
    "table that cannot be read, and a --junit file or output that cannot be written.\n";

// Text safe inside XML attributes and elements; characters XML 1.0 cannot hold become `?`.
std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string trace_text(const TestOutcome& o, const char* prefix) {
  std::string out;
  if (!o.evaluated || !o.result.trace) return out;
  std::istringstream text(render_text(o.result));
  std::string line;
  while (std::getline(text, line)) out += prefix + line + "\n";
  return out;
}

std::string junit(const std::string& suite, const std::vector<TestOutcome>& outcomes, std::size_t failed) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"edict test\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", outcomes.size(),
                     failed);
  out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
                     xml_escape(suite), outcomes.size(), failed);
  for (const auto& o : outcomes) {
    out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"", xml_escape(o.name),
                       xml_escape(o.file), xml_escape(o.file), o.line);
    if (o.passed) {
      out += "/>\n";
      continue;
    }
    std::string body;
    for (const auto& f : o.failures) body += f + "\n";
    body += trace_text(o, "");
    out += fmt::format(">\n      <failure message=\"{}\" type=\"expectation\">{}</failure>\n    </testcase>\n",
                       xml_escape(o.failures.empty() ? std::string("failed") : o.failures.front()), xml_escape(body));
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string json_document(const std::vector<TestOutcome>& outcomes, std::size_t failed, const std::string* coverage) {
  std::string json = "{\"cases\":[";
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& o = outcomes[i];
    json += fmt::format("{}{{\"name\":{},\"file\":{},\"line\":{},\"passed\":{},\"decision\":{},\"failures\":",
                        i ? "," : "", json_quote(o.name), json_quote(o.file), o.line, o.passed ? "true" : "false",
                        o.evaluated && o.result.ok ? json_quote(o.result.decision) : std::string("null"));
    core::append_json_strings(json, o.failures);
    json += "}";
  }
  json += fmt::format("],\"totals\":{{\"tests\":{},\"passed\":{},\"failed\":{}}}", outcomes.size(),
                      outcomes.size() - failed, failed);
  if (coverage) json += ",\"coverage\":" + *coverage;
  return json + "}\n";
}

}  // namespace

int run_test(Args& args) {
  if (const auto code = help_exit(args, kTestHelp)) return *code;
  std::string policy_path, format = "text", junit_path;
  bool coverage = false;
  std::vector<std::string> extra;
  TestRunOptions options;
  while (!args.done()) {
    const auto arg = args.next();
    if ((arg == "--filter" || arg == "--format" || arg == "--junit") && !args.done()) {
      (arg == "--filter" ? options.filter : arg == "--format" ? format : junit_path) = args.next();
    } else if (arg == "--coverage") {
      coverage = true;
    } else if (!arg.empty() && arg[0] != '-') {
      (policy_path.empty() ? policy_path : extra.emplace_back()) = arg;
    } else {
      return usage_error(fmt::format("unexpected argument `{}`", arg), kTestHelp);
    }
  }
  if (policy_path.empty()) return usage_error("no POLICY given", kTestHelp);
  if (format != "text" && format != "json") return usage_error(fmt::format("unknown format `{}`", format), kTestHelp);
  if (junit_path == "-" && format == "json") {
    return usage_error("`--junit -` and `--format json` both write to standard output", kTestHelp);
  }

  // Sort the extra paths: `.edict` files compile with the policy, tables run after its tests.
  std::vector<std::string> sources{policy_path};
  const auto add_file = [&](const fs::path& p) {
    const auto ext = p.extension().string();
    if (ext == ".edict") {
      sources.push_back(p.string());
    } else if (ext == ".jsonl" || ext == ".csv") {
      options.tables.push_back(p.lexically_normal().string());
    } else {
      return false;
    }
    return true;
  };
  for (const auto& path : extra) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      // The policy-directory rules (edict/files.hpp): every walking problem is an error, never a shorter run.
      const auto listing = list_files_below(path, {".edict", ".jsonl", ".csv"});
      for (const auto& problem : listing.problems) fmt::print(stderr, "edict: {}\n", problem.message);
      if (!listing.problems.empty()) return kUsage;
      for (const auto& f : listing.files) add_file(f);
    } else if (!fs::exists(path, ec)) {
      return usage_error(fmt::format("cannot read `{}`", path), kTestHelp);
    } else if (!add_file(path)) {
      return usage_error(fmt::format("`{}` is not a test file (.edict, .jsonl or .csv)", path), kTestHelp);
    }
  }
  // Tables' facts files may not leave the policy's directory (the import rules).
  options.root = fs::is_directory(policy_path) ? policy_path : fs::path(policy_path).parent_path().string();
  auto compiled = compile_paths(sources);
  if (!compiled.ok()) {
    fmt::print(stderr, "{}", render_all(compiled.diagnostics));
    return kUsage;
  }
  const auto& policy = *compiled.policy;
  const auto outcomes = run_tests(policy, options);
  // A table that could not be read at all (run_tests gives it one case at line 0, rows start at line 1) is
  // an error of the command, as an unreadable corpus is, not a failing case.
  bool unreadable_table = false;
  for (const auto& o : outcomes) {
    if (o.evaluated || o.line != 0 ||
        std::find(options.tables.begin(), options.tables.end(), o.file) == options.tables.end()) {
      continue;
    }
    fmt::print(stderr, "edict: cannot run the table `{}`: {}\n", o.file,
               o.failures.empty() ? std::string("it cannot be read") : o.failures.front());
    unreadable_table = true;
  }
  if (unreadable_table) return kUsage;
  std::size_t failed = 0;
  for (const auto& o : outcomes) failed += o.passed ? 0 : 1;

  std::optional<CoverageReport> report;
  if (coverage) {
    std::vector<const EvalResult*> results;
    for (const auto& o : outcomes) {
      if (o.evaluated) results.push_back(&o.result);
    }
    report = measure_coverage(policy, results);
  }

  if (!junit_path.empty()) {
    const auto xml = junit(policy_path, outcomes, failed);
    if (junit_path == "-") {
      fmt::print("{}", xml);
      return failed ? kTestsFailed : kOk;
    }
    if (const auto problem = write_output_file(junit_path, xml); !problem.empty()) {
      fmt::print(stderr, "edict: {}\n", problem);
      return kUsage;
    }
  }
  if (format == "json") {
    std::string coverage_json;
    if (report) coverage_json = render_coverage_json(*report);
    fmt::print("{}", json_document(outcomes, failed, report ? &coverage_json : nullptr));
    return failed ? kTestsFailed : kOk;
  }
  for (const auto& o : outcomes) {
    if (o.passed) continue;
    fmt::print("FAIL {} ({}:{})\n", o.name, o.file, o.line);
    for (const auto& f : o.failures) fmt::print("  {}\n", f);
    fmt::print("{}", trace_text(o, "  | "));
  }
  if (report) fmt::print("{}", render_coverage_text(*report));
  fmt::print("{} tests, {} passed, {} failed\n", outcomes.size(), outcomes.size() - failed, failed);
  return failed ? kTestsFailed : kOk;
}

}  // namespace edict::cli
