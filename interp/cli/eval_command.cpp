// `edict eval`: one evaluation from merged fact sources, or a JSONL batch.
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/number.hpp"

namespace edict::cli {

namespace {

const char* const kEvalHelp = R"(usage: edict eval POLICY [--facts FILE|-]... [--set PATH=VALUE]... [--as-of DATE]
                  [--rules-as-of DATE] [--format text|json] [--trace]
       edict eval POLICY --cases FILE.jsonl [--as-of DATE] [--rules-as-of DATE] [--trace] [--threads N]
                  [--max-line-bytes N]

  --facts FILE      JSON object of facts ('-' reads standard input); repeat to merge several sources:
                    a field given twice with different values is an error; a file (or pipe) larger
                    than the facts limit (16 MiB) is refused after reading no more than that
  --set PATH=VALUE  one fact; PATH is dotted (product.tpp: no empty part); VALUE is read as JSON when
                    it is a JSON scalar (4800, true, "x"), otherwise as a string
                    (destination.country=CN); a JSON number beyond the facts limits (an exponent
                    beyond +-10000) is an error, not a string
  --as-of DATE      the date of the transaction (YYYY-MM-DD); default: today (UTC)
  --rules-as-of D   read the rulebook as published on D; default: the latest
  --format F        text (default) or json
  --trace           include the explainable trace
  --cases FILE      batch ('-' reads standard input): one JSON object per line {"id", "facts", "as_of",
                    "rules_as_of"}; writes exactly one JSON result per input line, in order; a line that
                    cannot be evaluated gives an error object {"id", "error": {"messages": [...]}}
  --threads N       batch: evaluate with N threads, 1 to 256 (output order and bytes do not change)
  --max-line-bytes N  batch: longer lines give an error object and are skipped (default 1048576,
                    at most 1073741824)

A bad batch line gives an error object with its 1-based input line number, {"id", "line", "error"}.
Exit code 2 for usage errors, policy errors, invalid facts, a --facts or --cases file that cannot be
read (or breaks off with a read error), and output that cannot be written.
)";


// A --set value: a JSON scalar when it parses as one, otherwise the raw text as a string. A JSON number that
// the facts reader refuses (an exponent beyond +-10,000, too many digits) is an error, as it is in a facts
// file: nullopt and *error set.
std::optional<FactValue> set_value(const std::string& path, const std::string& text, const Limits& limits,
                                   std::string& error) {
  std::string problem;
  auto parsed = Facts::from_json("{\"v\":" + text + "}", &problem, "--set", limits);
  if (parsed && parsed->entries().size() == 1 && parsed->entries()[0].path == "v") {
    const auto& v = parsed->entries()[0].value;
    if (v.kind != FactValue::Kind::kObject && v.kind != FactValue::Kind::kArray) return v;
  }
  if (!parsed && core::is_json_number(text)) {
    // The reader's message is "line 1, column C: `v`: REASON": the position is in the wrapper, not useful.
    const auto reason = problem.find("`v`: ");
    error = fmt::format("`--set {}={}`: {}", path, text,
                        reason == std::string::npos ? problem : problem.substr(reason + 5));
    return std::nullopt;
  }
  return FactValue{FactValue::Kind::kString, false, text};
}

// Why `path` is not a fact path for --set ("" when it is one): dotted names, none of them empty.
std::string bad_fact_path(const std::string& path) {
  if (path.empty()) return "the fact path is empty";
  if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos) {
    return fmt::format("`{}` is not a fact path: a dotted path has no empty part (e.g. product.tpp)", path);
  }
  return {};
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
      if (eq == std::string::npos) {
        error = fmt::format("`--set {}`: expected PATH=VALUE", *v);
        return std::nullopt;
      }
      if (auto bad = bad_fact_path(v->substr(0, eq)); !bad.empty()) {
        error = fmt::format("`--set {}`: {}", *v, bad);
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
      auto n = option_count(args, arg, 1, 256, error);
      if (!n) return std::nullopt;
      out.threads = *n;
    } else if (arg == "--max-line-bytes") {
      auto n = option_count(args, arg, 1, std::size_t{1} << 30, error);
      if (!n) return std::nullopt;
      out.max_line_bytes = *n;
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
    // At most facts_bytes + 1 bytes are read: /dev/zero or an endless pipe is refused, not read to the end.
    auto text = read_file_text(file, limits.facts_bytes, FileKind::kStream);
    if (!text.ok()) {
      error = text.problem.code == "file-too-large"
                  ? fmt::format("{} (the facts limit)", text.problem.message)
                  : text.problem.message;
      return std::nullopt;
    }
    std::string parse_error;
    auto parsed = Facts::from_json(text.text, &parse_error, file == "-" ? "<stdin>" : file, limits);
    if (!parsed) {
      error = fmt::format("{}: {}", file, parse_error);
      return std::nullopt;
    }
    if (!facts.merge(*parsed, &error)) return std::nullopt;
  }
  Facts overrides;
  for (const auto& [path, text] : a.sets) {
    auto value = set_value(path, text, limits, error);
    if (!value) return std::nullopt;
    overrides.set(path, std::move(*value), "--set");
  }
  if (!facts.merge(overrides, &error)) return std::nullopt;
  return facts;
}

// `--cases`: the batch API (edict/batch.hpp) from the file or standard input to standard output.
int run_batch(const Policy& policy, const EvalArgs& a) {
  InputFile input(a.cases);
  if (!input.ok()) {
    fmt::print(stderr, "edict: {}\n", input.problem().message);
    return kUsage;
  }
  BatchOptions options;
  options.threads = a.threads;
  options.as_of = a.as_of.value_or(Date::today_utc());
  options.rules_as_of = a.rules_as_of;
  options.trace = a.trace;
  options.max_line_bytes = a.max_line_bytes;
  const BatchSummary summary = edict::run_batch(policy, input.stream(), std::cout, options);
  if (summary.write_failed) return kUsage;  // main() reports the failed standard output
  if (summary.read_failed || input.failed()) {
    fmt::print(stderr, "edict: {} (after line {})\n", input.read_error(), summary.lines);
    return kUsage;
  }
  return kOk;
}

}  // namespace

int run_eval(Args& args) {
  if (const auto code = help_exit(args, kEvalHelp)) return *code;
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
