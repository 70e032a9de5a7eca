// `edict test POLICY [TESTS...]`: run the policy's `test` declarations, extra test files and table files.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
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

struct TestCommand {
  std::string policy_path, format = "text", junit_path;
  bool coverage = false;
  std::vector<std::string> extra;  // test files and folders after POLICY
  TestRunOptions options;
};

// The rules between the options; an exit code if they are broken.
std::optional<int> check_test_args(const TestCommand& c) {
  if (c.policy_path.empty()) return usage_error("no POLICY given", "test");
  if (c.junit_path == "-" && c.format == "json") {
    return usage_error("`--junit -` and `--format json` both write to standard output", "test");
  }
  return std::nullopt;
}

// Sorts the extra paths: `.edict` files compile with the policy, tables run after its tests. An exit code if
// one cannot be used.
std::optional<int> sort_extra_paths(TestCommand& c, std::vector<std::string>& sources) {
  const auto add_file = [&](const fs::path& p) {
    const auto ext = p.extension().string();
    if (ext == ".edict") {
      sources.push_back(p.string());
    } else if (ext == ".jsonl" || ext == ".csv") {
      c.options.tables.push_back(p.lexically_normal().string());
    } else {
      return false;
    }
    return true;
  };
  for (const auto& path : c.extra) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      // The policy-directory rules (edict/files.hpp): every walking problem is an error, never a shorter run.
      const auto listing = list_files_below(path, {".edict", ".jsonl", ".csv"});
      for (const auto& problem : listing.problems) fmt::print(stderr, "edict: {}\n", problem.message);
      if (!listing.problems.empty()) return kUsage;
      for (const auto& f : listing.files) add_file(f);
    } else if (!fs::exists(path, ec)) {
      return usage_error(fmt::format("cannot read `{}`", path), "test");
    } else if (!add_file(path)) {
      return usage_error(fmt::format("`{}` is not a test file (.edict, .jsonl or .csv)", path), "test");
    }
  }
  return std::nullopt;
}

// A table that could not be read at all (run_tests gives it one case at line 0, rows start at line 1) is an
// error of the command, as an unreadable corpus is, not a failing case. True if there was one.
bool report_unreadable_tables(const std::vector<TestOutcome>& outcomes, const TestRunOptions& options) {
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
  return unreadable_table;
}

std::optional<CoverageReport> coverage_of(const Policy& policy, const std::vector<TestOutcome>& outcomes) {
  std::vector<const EvalResult*> results;
  for (const auto& o : outcomes) {
    if (o.evaluated) results.push_back(&o.result);
  }
  return measure_coverage(policy, results);
}

void print_text(const std::vector<TestOutcome>& outcomes, std::size_t failed,
                const std::optional<CoverageReport>& report) {
  for (const auto& o : outcomes) {
    if (o.passed) continue;
    fmt::print("FAIL {} ({}:{})\n", o.name, o.file, o.line);
    for (const auto& f : o.failures) fmt::print("  {}\n", f);
    fmt::print("{}", trace_text(o, "  | "));
  }
  if (report) fmt::print("{}", render_coverage_text(*report));
  fmt::print("{} tests, {} passed, {} failed\n", outcomes.size(), outcomes.size() - failed, failed);
}

int run_test(TestCommand& c) {
  if (const auto code = check_test_args(c)) return *code;
  std::vector<std::string> sources{c.policy_path};
  if (const auto code = sort_extra_paths(c, sources)) return *code;
  // Tables' facts files may not leave the policy's directory (the import rules).
  c.options.root = fs::is_directory(c.policy_path) ? c.policy_path : fs::path(c.policy_path).parent_path().string();
  CompileOptions compile_options;
  compile_options.include_tests = true;
  auto compiled = compile_paths(sources, compile_options);
  if (!compiled.ok()) {
    fmt::print(stderr, "{}", render_all(compiled.diagnostics));
    return kUsage;
  }
  const auto& policy = *compiled.policy;
  const auto outcomes = run_tests(policy, c.options);
  if (report_unreadable_tables(outcomes, c.options)) return kUsage;
  const auto failed = static_cast<std::size_t>(std::count_if(outcomes.begin(), outcomes.end(),
                                                             [](const auto& o) { return !o.passed; }));
  const auto report = c.coverage ? coverage_of(policy, outcomes) : std::nullopt;
  const int code = failed ? kTestsFailed : kOk;
  if (!c.junit_path.empty()) {
    const auto xml = junit(c.policy_path, outcomes, failed);
    if (c.junit_path == "-") {
      fmt::print("{}", xml);
      return code;
    }
    if (const auto problem = write_output_file(c.junit_path, xml); !problem.empty()) {
      fmt::print(stderr, "edict: {}\n", problem);
      return kUsage;
    }
  }
  if (c.format == "json") {
    const auto coverage_json = report ? render_coverage_json(*report) : std::string();
    fmt::print("{}", json_document(outcomes, failed, report ? &coverage_json : nullptr));
  } else {
    print_text(outcomes, failed, report);
  }
  return code;
}

}  // namespace

Command add_test(CLI::App& edict) {
  auto c = std::make_shared<TestCommand>();
  auto* app = add_command(edict, "test");
  app->add_option("POLICY", c->policy_path);
  app->add_option("TESTS", c->extra);
  app->add_option("--filter", c->options.filter);
  add_choice_option(*app, "--format", kTextOrJson, c->format);
  app->add_option("--junit", c->junit_path);
  app->add_flag("--coverage", c->coverage);
  return {app, kTestHelp, [c] { return run_test(*c); }};
}

}  // namespace edict::cli
