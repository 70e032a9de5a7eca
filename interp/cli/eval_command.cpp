// `edict eval`: one evaluation from merged fact sources, or a JSONL batch.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {

const char* const kEvalHelp = R"(usage: edict eval POLICY [--facts FILE|-]... [--set PATH=VALUE]... [--as-of DATE]
                  [--rules-as-of DATE] [--format text|json] [--trace]
       edict eval POLICY --cases FILE.jsonl [--as-of DATE] [--rules-as-of DATE] [--trace] [--threads N]
                  [--max-line-bytes N]

  --facts FILE      JSON object of facts ('-' reads standard input); repeat to merge several sources:
                    a field given twice with different values is an error
  --set PATH=VALUE  one fact; VALUE is read as JSON when it is a JSON scalar (4800, true, "x"),
                    otherwise as a string (destination.country=CN)
  --as-of DATE      the date of the transaction (YYYY-MM-DD); default: today (UTC)
  --rules-as-of D   read the rulebook as published on D; default: the latest
  --format F        text (default) or json
  --trace           include the explainable trace
  --cases FILE      batch ('-' reads standard input): one JSON object per line {"id", "facts", "as_of",
                    "rules_as_of"}; writes exactly one JSON result per input line, in order; a line that
                    cannot be evaluated gives an error object {"id", "error": {"messages": [...]}}
  --threads N       batch: evaluate with N threads (output order and bytes do not change)
  --max-line-bytes N  batch: longer lines give an error object and are skipped (default 1048576)
)";


// A --set value: a JSON scalar when it parses as one, otherwise the raw text as a string.
FactValue set_value(const std::string& text) {
  std::string error;
  auto parsed = Facts::from_json("{\"v\":" + text + "}", &error);
  if (parsed && parsed->entries().size() == 1 && parsed->entries()[0].path == "v") {
    const auto& v = parsed->entries()[0].value;
    if (v.kind != FactValue::Kind::kObject && v.kind != FactValue::Kind::kArray) return v;
  }
  return {FactValue::Kind::kString, false, text};
}

struct EvalArgs {
  std::string policy;
  std::vector<std::string> fact_files;
  std::vector<std::pair<std::string, std::string>> sets;
  std::optional<Date> as_of;
  std::optional<Date> rules_as_of;
  std::string format = "text";
  bool trace = false;
  std::string cases;
  std::size_t threads = 1;  // --threads N (batch only)
  std::size_t max_line_bytes = BatchOptions{}.max_line_bytes;  // --max-line-bytes N (batch only)
};

std::optional<EvalArgs> parse_eval_args(Args& args, std::string& error) {
  EvalArgs out;
  while (!args.done()) {
    const auto arg = args.next();
    const auto value = [&] { return option_value(args, arg, error); };
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
      auto d = option_date(args, arg, error);
      if (!d) return std::nullopt;
      (arg == "--as-of" ? out.as_of : out.rules_as_of) = d;
    } else if (arg == "--format") {
      auto v = option_format(args, arg, error);
      if (!v) return std::nullopt;
      out.format = *v;
    } else if (arg == "--trace") {
      out.trace = true;
    } else if (arg == "--threads") {
      auto v = value();
      if (!v) return std::nullopt;
      const auto n = std::atoi(v->c_str());
      if (n < 1 || n > 256) {
        error = fmt::format("`--threads {}`: expected a number from 1 to 256", *v);
        return std::nullopt;
      }
      out.threads = static_cast<std::size_t>(n);
    } else if (arg == "--max-line-bytes") {
      auto v = value();
      if (!v) return std::nullopt;
      char* end = nullptr;
      const auto n = std::strtoull(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || (*v)[0] == '-' || n < 1 || n > (std::size_t{1} << 30)) {
        error = fmt::format("`--max-line-bytes {}`: expected a number from 1 to 1073741824", *v);
        return std::nullopt;
      }
      out.max_line_bytes = static_cast<std::size_t>(n);
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

// The facts of --facts and --set, read within the policy's limits.
std::optional<Facts> gather_facts(const EvalArgs& a, const Limits& limits, std::string& error) {
  Facts facts;
  for (const auto& file : a.fact_files) {
    auto text = read_all(file);
    if (!text) {
      error = fmt::format("cannot read `{}`", file);
      return std::nullopt;
    }
    std::string parse_error;
    auto parsed = Facts::from_json(*text, &parse_error, file == "-" ? "<stdin>" : file, limits);
    if (!parsed) {
      error = fmt::format("{}: {}", file, parse_error);
      return std::nullopt;
    }
    if (!facts.merge(*parsed, &error)) return std::nullopt;
  }
  Facts overrides;
  for (const auto& [path, text] : a.sets) overrides.set(path, set_value(text), "--set");
  if (!facts.merge(overrides, &error)) return std::nullopt;
  return facts;
}

// `--cases`: the batch API (edict/batch.hpp) from the file or standard input to standard output.
int run_batch(const Policy& policy, const EvalArgs& a) {
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
  BatchOptions options;
  options.threads = a.threads;
  options.as_of = a.as_of.value_or(Date::today_utc());
  options.rules_as_of = a.rules_as_of;
  options.trace = a.trace;
  options.max_line_bytes = a.max_line_bytes;
  const BatchSummary summary = edict::run_batch(policy, *in, std::cout, options);
  if (summary.write_failed) {
    fmt::print(stderr, "edict: cannot write the results\n");
    return kUsage;
  }
  if (summary.read_failed) {
    fmt::print(stderr, "edict: cannot read `{}` after line {}\n", a.cases, summary.lines);
    return kUsage;
  }
  return kOk;
}

}  // namespace

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
  auto facts = gather_facts(*a, policy->limits(), error);
  if (!facts) {
    fmt::print(stderr, "edict: {}\n", error);
    return kUsage;
  }
  EvalOptions options;
  options.as_of = a->as_of.value_or(Date::today_utc());
  options.rules_as_of = a->rules_as_of;
  options.trace = a->trace;
  const auto result = policy->evaluate(*facts, options);
  if (a->format == "json") {
    fmt::print("{}\n", render_json(result));
  } else {
    fmt::print("{}", render_text(result));
  }
  return result.ok ? kOk : kUsage;
}


}  // namespace edict::cli
