// The `edict` command-line tool: check, eval (one case or a JSONL batch) and test. Uses the public API only.
//
// Exit codes: 0 ok; 1 failing tests; 2 usage errors, policy errors, unreadable or invalid facts.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "edict/edict.hpp"

namespace {

constexpr int kOk = 0;
constexpr int kTestsFailed = 1;
constexpr int kUsage = 2;

const char* const kMainHelp = R"(edict: compile and evaluate Edict policies

usage:
  edict check POLICY                 compile the policy and print its diagnostics
  edict eval POLICY [options]        evaluate the policy on facts (see `edict eval --help`)
  edict test POLICY [--filter TEXT]  run the policy's `test` declarations
  edict --version

POLICY is a .edict file or a directory (every .edict file below it; amendments are ordered by their
publication date).

exit codes: 0 ok, 1 failing tests, 2 usage errors, policy errors or invalid facts
)";

const char* const kEvalHelp = R"(usage: edict eval POLICY [--facts FILE|-]... [--set PATH=VALUE]... [--as-of DATE]
                  [--rules-as-of DATE] [--format text|json] [--trace]
       edict eval POLICY --cases FILE.jsonl [--as-of DATE] [--rules-as-of DATE] [--trace]

  --facts FILE      JSON object of facts ('-' reads standard input); repeat to merge several sources:
                    a field given twice with different values is an error
  --set PATH=VALUE  one fact; VALUE is read as JSON when it is a JSON scalar (4800, true, "x"),
                    otherwise as a string (destination.country=CN)
  --as-of DATE      the date of the transaction (YYYY-MM-DD); default: today (UTC)
  --rules-as-of D   read the rulebook as published on D; default: the latest
  --format F        text (default) or json
  --trace           include the explainable trace
  --cases FILE      batch: one JSON object per line {"id", "facts", "as_of", "rules_as_of"};
                    writes one JSON result per line, in order; a bad line gives an error object
)";

const char* const kCheckHelp = "usage: edict check POLICY\n\nCompiles the policy and prints errors and warnings.\n";
const char* const kTestHelp =
    "usage: edict test POLICY [--filter TEXT] [--format text|json]\n\nRuns every `test` declaration of the policy; "
    "exit code 1 if one fails.\n";

struct Args {
  std::vector<std::string> items;
  std::size_t at = 0;
  bool done() const { return at >= items.size(); }
  const std::string& peek() const { return items[at]; }
  std::string next() { return items[at++]; }
};

std::optional<std::string> read_all(const std::string& path) {
  if (path == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int usage_error(const std::string& message, const char* help) {
  fmt::print(stderr, "edict: {}\n\n{}", message, help);
  return kUsage;
}

// Compiles POLICY; diagnostics are printed only when it fails (`edict check` shows warnings).
std::shared_ptr<const edict::Policy> load_policy(const std::string& path) {
  auto compiled = edict::compile_path(path);
  if (!compiled.ok()) fmt::print(stderr, "{}", edict::render_all(compiled.diagnostics));
  return compiled.policy;
}

int run_check(Args& args) {
  if (args.done() || args.peek() == "--help") {
    fmt::print("{}", kCheckHelp);
    return args.done() ? kUsage : kOk;
  }
  const auto path = args.next();
  if (!args.done()) return usage_error(fmt::format("unexpected argument `{}`", args.peek()), kCheckHelp);
  auto compiled = edict::compile_path(path);
  const auto rendered = edict::render_all(compiled.diagnostics);
  if (!rendered.empty()) fmt::print(stderr, "{}", rendered);
  if (!compiled.ok()) return kUsage;
  fmt::print("{}: ok ({} tests; digest {})\n", path, compiled.policy->tests().size(), compiled.policy->digest());
  return kOk;
}

// A --set value: a JSON scalar when it parses as one, otherwise the raw text as a string.
edict::FactValue set_value(const std::string& text) {
  std::string error;
  auto parsed = edict::Facts::from_json("{\"v\":" + text + "}", &error);
  if (parsed && parsed->entries().size() == 1 && parsed->entries()[0].path == "v") {
    const auto& v = parsed->entries()[0].value;
    if (v.kind != edict::FactValue::Kind::kObject && v.kind != edict::FactValue::Kind::kArray) return v;
  }
  return {edict::FactValue::Kind::kString, false, text};
}

struct EvalArgs {
  std::string policy;
  std::vector<std::string> fact_files;
  std::vector<std::pair<std::string, std::string>> sets;
  std::optional<edict::Date> as_of;
  std::optional<edict::Date> rules_as_of;
  std::string format = "text";
  bool trace = false;
  std::string cases;
};

std::optional<edict::Date> date_arg(Args& args, const std::string& flag, std::string& error) {
  if (args.done()) {
    error = fmt::format("`{}` needs a date", flag);
    return std::nullopt;
  }
  const auto text = args.next();
  auto date = edict::Date::parse(text);
  if (!date) error = fmt::format("`{}`: `{}` is not a valid date (YYYY-MM-DD)", flag, text);
  return date;
}

std::optional<EvalArgs> parse_eval_args(Args& args, std::string& error) {
  EvalArgs out;
  while (!args.done()) {
    const auto arg = args.next();
    const auto value = [&]() -> std::optional<std::string> {
      if (args.done()) {
        error = fmt::format("`{}` needs a value", arg);
        return std::nullopt;
      }
      return args.next();
    };
    if (arg == "--facts") {
      auto v = value();
      if (!v) return std::nullopt;
      out.fact_files.push_back(*v);
    } else if (arg == "--set") {
      auto v = value();
      if (!v) return std::nullopt;
      const auto eq = v->find('=');
      if (eq == std::string::npos || eq == 0) {
        error = fmt::format("`--set {}`: expected PATH=VALUE", *v);
        return std::nullopt;
      }
      out.sets.emplace_back(v->substr(0, eq), v->substr(eq + 1));
    } else if (arg == "--as-of" || arg == "--rules-as-of") {
      auto d = date_arg(args, arg, error);
      if (!d) return std::nullopt;
      (arg == "--as-of" ? out.as_of : out.rules_as_of) = d;
    } else if (arg == "--format") {
      auto v = value();
      if (!v) return std::nullopt;
      if (*v != "text" && *v != "json") {
        error = fmt::format("`--format {}`: expected text or json", *v);
        return std::nullopt;
      }
      out.format = *v;
    } else if (arg == "--trace") {
      out.trace = true;
    } else if (arg == "--cases") {
      auto v = value();
      if (!v) return std::nullopt;
      out.cases = *v;
    } else if (!arg.empty() && arg[0] == '-') {
      error = fmt::format("unknown option `{}`", arg);
      return std::nullopt;
    } else if (out.policy.empty()) {
      out.policy = arg;
    } else {
      error = fmt::format("unexpected argument `{}`", arg);
      return std::nullopt;
    }
  }
  if (out.policy.empty()) error = "missing POLICY";
  if (error.empty() && !out.cases.empty() && (!out.fact_files.empty() || !out.sets.empty())) {
    error = "`--cases` cannot be combined with `--facts` or `--set`";
  }
  if (!error.empty()) return std::nullopt;
  return out;
}

std::optional<edict::Facts> gather_facts(const EvalArgs& a, std::string& error) {
  edict::Facts facts;
  for (const auto& file : a.fact_files) {
    auto text = read_all(file);
    if (!text) {
      error = fmt::format("cannot read `{}`", file);
      return std::nullopt;
    }
    std::string parse_error;
    auto parsed = edict::Facts::from_json(*text, &parse_error, file == "-" ? "<stdin>" : file);
    if (!parsed) {
      error = fmt::format("{}: {}", file, parse_error);
      return std::nullopt;
    }
    if (!facts.merge(*parsed, &error)) return std::nullopt;
  }
  edict::Facts overrides;
  for (const auto& [path, text] : a.sets) overrides.set(path, set_value(text), "--set");
  if (!facts.merge(overrides, &error)) return std::nullopt;
  return facts;
}

// One JSONL line -> one output line. Fields: "facts" (object), optional "id", "as_of", "rules_as_of".
std::string eval_line(const edict::Policy& policy, const std::string& line, const EvalArgs& a, edict::Date today) {
  std::string parse_error;
  auto parsed = edict::Facts::from_json(line, &parse_error, "line");
  const auto error_line = [](const std::string& id, const std::string& message) {
    return fmt::format("{{{}\"error\":{{\"messages\":[{}]}}}}", id.empty() ? "" : "\"id\":" + id + ",",
                       edict::json_quote(message));
  };
  if (!parsed) return error_line("", parse_error);
  edict::Facts facts;
  std::string id;
  edict::EvalOptions options;
  options.as_of = a.as_of.value_or(today);
  options.rules_as_of = a.rules_as_of;
  options.trace = a.trace;
  std::string problem;
  for (const auto& e : parsed->entries()) {
    if (e.path == "id") {
      id = e.value.kind == edict::FactValue::Kind::kString ? edict::json_quote(e.value.text) : e.value.text;
    } else if (e.path.rfind("facts.", 0) == 0) {
      facts.set(e.path.substr(6), e.value, e.source);
    } else if (e.path == "as_of" || e.path == "rules_as_of") {
      const auto date = edict::Date::parse(e.value.text);
      if (e.value.kind != edict::FactValue::Kind::kString || !date) {
        problem = fmt::format("`{}` must be a date string YYYY-MM-DD", e.path);
      } else if (e.path == "as_of") {
        options.as_of = *date;
      } else {
        options.rules_as_of = date;
      }
    } else if (e.path != "facts") {
      problem = fmt::format("unknown field `{}` (expected id, facts, as_of, rules_as_of)", e.path);
    }
  }
  if (!problem.empty()) return error_line(id, problem);
  return edict::render_json(policy.evaluate(facts, options), id);
}

int run_batch(const edict::Policy& policy, const EvalArgs& a) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.cases != "-") {
    file.open(a.cases, std::ios::binary);
    if (!file) {
      fmt::print(stderr, "edict: cannot read `{}`\n", a.cases);
      return kUsage;
    }
    in = &file;
  }
  const auto today = edict::Date::today_utc();
  std::string line;
  std::string out;
  while (std::getline(*in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) {
      out += "{\"error\":{\"messages\":[\"empty line\"]}}\n";
    } else {
      out += eval_line(policy, line, a, today);
      out += '\n';
    }
    if (out.size() > (1u << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kOk;
}

int run_eval(Args& args) {
  if (args.done() || args.peek() == "--help") {
    fmt::print("{}", kEvalHelp);
    return args.done() ? kUsage : kOk;
  }
  std::string error;
  auto a = parse_eval_args(args, error);
  if (!a) return usage_error(error, kEvalHelp);
  auto policy = load_policy(a->policy);
  if (!policy) return kUsage;
  if (!a->cases.empty()) return run_batch(*policy, *a);
  auto facts = gather_facts(*a, error);
  if (!facts) {
    fmt::print(stderr, "edict: {}\n", error);
    return kUsage;
  }
  edict::EvalOptions options;
  options.as_of = a->as_of.value_or(edict::Date::today_utc());
  options.rules_as_of = a->rules_as_of;
  options.trace = a->trace;
  const auto result = policy->evaluate(*facts, options);
  if (a->format == "json") {
    fmt::print("{}\n", edict::render_json(result));
  } else {
    fmt::print("{}", edict::render_text(result));
  }
  return result.ok ? kOk : kUsage;
}

int run_test(Args& args) {
  if (args.done() || args.peek() == "--help") {
    fmt::print("{}", kTestHelp);
    return args.done() ? kUsage : kOk;
  }
  std::string policy_path, format = "text";
  edict::TestRunOptions options;
  while (!args.done()) {
    const auto arg = args.next();
    if ((arg == "--filter" || arg == "--format") && !args.done()) {
      (arg == "--filter" ? options.filter : format) = args.next();
    } else if (!arg.empty() && arg[0] != '-' && policy_path.empty()) {
      policy_path = arg;
    } else {
      return usage_error(fmt::format("unexpected argument `{}`", arg), kTestHelp);
    }
  }
  auto policy = load_policy(policy_path);
  if (!policy) return kUsage;
  const auto outcomes = edict::run_tests(*policy, options);
  std::size_t failed = 0;
  std::string json = "[";
  for (const auto& o : outcomes) {
    if (!o.passed) ++failed;
    if (format == "json") {
      if (json.size() > 1) json += ',';
      json += fmt::format("{{\"name\":{},\"file\":{},\"line\":{},\"passed\":{},\"failures\":[", edict::json_quote(o.name),
                          edict::json_quote(o.file), o.line, o.passed ? "true" : "false");
      for (std::size_t i = 0; i < o.failures.size(); ++i) json += (i ? "," : "") + edict::json_quote(o.failures[i]);
      json += "]}";
      continue;
    }
    if (o.passed) continue;
    fmt::print("FAIL {} ({}:{})\n", o.name, o.file, o.line);
    for (const auto& f : o.failures) fmt::print("  {}\n", f);
    if (o.result.trace) {
      std::istringstream text(edict::render_text(o.result));
      std::string line;
      while (std::getline(text, line)) fmt::print("  | {}\n", line);
    }
  }
  if (format == "json") {
    fmt::print("{}]\n", json);
  } else {
    fmt::print("{} tests, {} passed, {} failed\n", outcomes.size(), outcomes.size() - failed, failed);
  }
  return failed ? kTestsFailed : kOk;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) args.items.emplace_back(argv[i]);
  if (args.done()) {
    fmt::print(stderr, "{}", kMainHelp);
    return kUsage;
  }
  const auto command = args.next();
  try {
    if (command == "check") return run_check(args);
    if (command == "eval") return run_eval(args);
    if (command == "test") return run_test(args);
    if (command == "--help" || command == "-h" || command == "help") {
      fmt::print("{}", kMainHelp);
      return kOk;
    }
    if (command == "--version") {
      fmt::print("edict {}\n", edict::kVersion);
      return kOk;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "edict: internal error: {}\n", e.what());
    return kUsage;
  }
  return usage_error(fmt::format("unknown command `{}`", command), kMainHelp);
}
