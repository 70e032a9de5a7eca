// `edict eval`: one evaluation from merged fact sources, or a JSONL batch.
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/line_reader.hpp"
#include "core/number.hpp"
#include "edict/explain.hpp"

namespace edict::cli {

namespace {

const char* const kEvalHelp = R"(usage: edict eval POLICY [--facts FILE|-]... [--set PATH=VALUE]... [--as-of DATE]
                  [--rules-as-of DATE] [--format text|json]
                  [--trace | --explain | --why-not OUTCOME | --what-if PATH=VALUE...] [--override]
       edict eval POLICY --cases FILE.jsonl [--as-of DATE] [--rules-as-of DATE] [--trace] [--threads N]
                  [--max-line-bytes N] [--line-buffered]

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
  --receipt FILE    also write the decision record of this evaluation (one JSON line: decision id,
                    time, policy digest, dates, facts, decision, classifications, deciding rules,
                    exemptions; `edict replay` checks it) to FILE, replaced whole or not at all;
                    nothing is printed when it cannot be written; not with --cases
  --trace           include the explainable trace (every rule and exemption, every check)
  --explain         the decision and only its deciding path: each deciding rule with its condition
                    as a tree whose leaves show their values and whether each fact was given or
                    defaulted, the rules that set the labels it tests, the exemptions considered
                    for it (with the checks that made them apply or not), citations
  --why-not OUTCOME  every rule or exemption that gives OUTCOME on the date, with the checks that
                    failed, the nearest exact value of a fact that flips each, the group members
                    that satisfy a membership, the date a rule not yet in force starts; then the
                    smallest change found that gives OUTCOME (each tried by evaluation)
  --what-if PATH=VALUE  evaluate also with this fact changed (repeatable; VALUE as for --set) and
                    print the decision change and the trace difference
  --override        let --set replace a value given by --facts (otherwise a conflict error)
  --cases FILE      batch ('-' reads standard input): one JSON object per line {"id", "facts", "as_of",
                    "rules_as_of"}; writes exactly one JSON result per input line, in order; a line that
                    cannot be evaluated gives an error object {"id", "error": {"messages": [...]}}
  --threads N       batch: evaluate with N threads, 1 to 256 (output order and bytes do not change)
  --max-line-bytes N  batch: longer lines give an error object and are skipped (default 1048576,
                    at most 1073741824)
  --line-buffered   batch: answer each line as soon as it is read (and flush), e.g. as a sidecar; the
                    default when the cases come from a pipe, a socket or a terminal. The output bytes
                    are the same; lines are then evaluated one by one (--threads does not apply)

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
  std::string receipt;  // --receipt FILE (one evaluation, not a batch)
  std::size_t threads = 1;  // --threads N (batch only)
  std::size_t max_line_bytes = BatchOptions{}.max_line_bytes;  // --max-line-bytes N (batch only)
  bool line_buffered = false;  // --line-buffered (batch only)
  bool explain = false;                                          // --explain
  std::optional<std::string> why_not;                            // --why-not OUTCOME
  std::vector<std::pair<std::string, std::string>> what_if;      // --what-if PATH=VALUE...
  bool override_facts = false;                                   // --override
};

// `OPTION PATH=VALUE` split, the path checked as --set checks it.
std::optional<std::pair<std::string, std::string>> path_value(std::string_view option, const std::string& v,
                                                              std::string& error) {
  const auto eq = v.find('=');
  if (eq == std::string::npos) {
    error = fmt::format("`{} {}`: expected PATH=VALUE", option, v);
    return std::nullopt;
  }
  if (auto bad = bad_fact_path(v.substr(0, eq)); !bad.empty()) {
    error = fmt::format("`{} {}`: {}", option, v, bad);
    return std::nullopt;
  }
  return std::pair{v.substr(0, eq), v.substr(eq + 1)};
}

// Why the answer options cannot go together ("" when they can): --explain, --why-not and --what-if each
// replace the output, --trace prints the full trace, and none of them applies to a batch.
std::string answer_conflict(const EvalArgs& a) {
  std::vector<const char*> given;
  if (a.trace) given.push_back("--trace");
  if (a.explain) given.push_back("--explain");
  if (a.why_not) given.push_back("--why-not");
  if (!a.what_if.empty()) given.push_back("--what-if");
  if (given.size() > 1) return fmt::format("`{}` cannot be combined with `{}`", given[0], given[1]);
  if (!a.cases.empty() && (a.explain || a.why_not || !a.what_if.empty())) {
    return fmt::format("`{}` answers one evaluation: it cannot be combined with `--cases`", given[0]);
  }
  if (a.override_facts && a.sets.empty()) return "`--override` needs `--set` (it lets --set replace a value from --facts)";
  return {};
}

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
    } else if (arg == "--explain") {
      out.explain = true;
    } else if (arg == "--override") {
      out.override_facts = true;
    } else if (arg == "--why-not") {
      auto v = value();
      if (!v) return std::nullopt;
      out.why_not = *v;
    } else if (arg == "--what-if") {
      auto v = value();
      if (!v) return std::nullopt;
      auto change = path_value(arg, *v, error);
      if (!change) return std::nullopt;
      out.what_if.push_back(std::move(*change));
    } else if (arg == "--line-buffered") {
      out.line_buffered = true;
    } else if (arg == "--threads") {
      auto n = option_count(args, arg, 1, 256, error);
      if (!n) return std::nullopt;
      out.threads = *n;
    } else if (arg == "--max-line-bytes") {
      auto n = option_count(args, arg, 1, std::size_t{1} << 30, error);
      if (!n) return std::nullopt;
      out.max_line_bytes = *n;
    } else if (arg == "--receipt") {
      auto v = value();
      if (!v) return std::nullopt;
      out.receipt = *v;
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
  if (error.empty() && out.line_buffered && out.cases.empty()) error = "`--line-buffered` needs `--cases`";
  if (error.empty() && !out.receipt.empty() && !out.cases.empty()) {
    error = "`--receipt` records one evaluation: it cannot be combined with `--cases`";
  }
  if (error.empty()) error = answer_conflict(out);
  if (!error.empty()) return std::nullopt;
  return out;
}

// The entries of `facts` as changes (each replacing the value at its path).
std::vector<FactChange> changes_of(const Facts& facts) {
  std::vector<FactChange> out;
  for (const auto& e : facts.entries()) out.push_back(FactChange{e.path, e.value});
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
  if (a.override_facts) return with_changes(facts, changes_of(overrides), "--set");  // --override: --set wins
  if (!facts.merge(overrides, &error)) {
    error += " (`--override` lets --set replace a value from --facts)";
    return std::nullopt;
  }
  return facts;
}

// Whether the cases arrive a line at a time: standard input that is a pipe, a socket or a terminal, or a
// named pipe or socket.
bool interactive_input(const std::string& path) {
  struct stat st {};
  if (path == "-") {
    if (::isatty(STDIN_FILENO)) return true;
    if (::fstat(STDIN_FILENO, &st) != 0) return false;
  } else if (::stat(path.c_str(), &st) != 0) {
    return false;
  }
  return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
}

// `--cases` a line at a time: each line is read, evaluated and its output line written and flushed before
// the next is read, so a host that writes one case and waits gets its answer. Same bytes as run_batch: an
// error object gets its 1-based line number as `"line":N` before `"error"` (the text `"error":` cannot occur
// earlier in the line: inside a JSON string its quotes are escaped).
int run_line_buffered(const Policy& policy, InputFile& input, const BatchOptions& options) {
  core::LineReader reader(input.stream(), options.max_line_bytes);
  reader.set_eager(true);
  BatchLineEvaluator evaluator(policy, options);
  std::string line;
  std::string out;
  std::size_t number = 0;
  for (;;) {
    line.clear();
    const auto status = reader.next(line);
    if (status == core::LineReader::Status::kEnd) break;
    ++number;
    out.clear();
    bool ok = false;
    if (status == core::LineReader::Status::kTooLong) {
      evaluator.append_too_long(out);
      out += '\n';
    } else {
      ok = evaluator.append_line(line, out);
    }
    if (const auto at = out.find("\"error\":"); !ok && at != std::string::npos) {
      out.insert(at, fmt::format("\"line\":{},", number));
    }
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    std::cout.flush();
    if (!std::cout) return kUsage;  // main() reports the failed standard output
  }
  if (reader.failed() || input.failed()) {
    fmt::print(stderr, "edict: {} (after line {})\n", input.read_error(), number);
    return kUsage;
  }
  return kOk;
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
  if (a.line_buffered || interactive_input(a.cases)) return run_line_buffered(policy, input, options);
  const BatchSummary summary = edict::run_batch(policy, input.stream(), std::cout, options);
  if (summary.write_failed) return kUsage;  // main() reports the failed standard output
  if (summary.read_failed || input.failed()) {
    fmt::print(stderr, "edict: {} (after line {})\n", input.read_error(), summary.lines);
    return kUsage;
  }
  return kOk;
}

// --explain, --why-not OUTCOME, --what-if PATH=VALUE (edict/explain.hpp).
int run_answer(const Policy& policy, const Facts& facts, const EvalOptions& options, const EvalArgs& a) {
  const bool json = a.format == "json";
  if (a.explain) {
    const auto x = explain(policy, facts, options);
    fmt::print("{}", json ? render_explanation_json(x) + "\n" : render_explanation_text(x));
    return x.result.ok ? kOk : kUsage;
  }
  if (a.why_not) {
    const auto w = why_not(policy, facts, options, *a.why_not);
    if (!w.error.empty()) {
      fmt::print(stderr, "edict: {}\n", w.error);
      return kUsage;
    }
    fmt::print("{}", json ? render_why_not_json(w) + "\n" : render_why_not_text(w));
    return w.result.ok ? kOk : kUsage;
  }
  std::vector<FactChange> changes;
  std::string error;
  for (const auto& [path, text] : a.what_if) {
    auto value = set_value(path, text, policy.limits(), error);
    if (!value) {
      fmt::print(stderr, "edict: {}\n", error);
      return kUsage;
    }
    changes.push_back(FactChange{path, std::move(*value)});
  }
  const auto w = what_if(policy, facts, changes, options);
  fmt::print("{}", json ? render_what_if_json(w) + "\n" : render_what_if_text(w));
  return w.before.ok && w.after.ok ? kOk : kUsage;
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
  if (!a->receipt.empty()) {
    if (const auto code = write_receipt(*policy, *facts, options, a->receipt)) return *code;
  }
  if (a->explain || a->why_not || !a->what_if.empty()) return run_answer(*policy, *facts, options, *a);
  const auto result = policy->evaluate(*facts, options);
  if (a->format == "json") {
    fmt::print("{}\n", render_json(result));
  } else {
    fmt::print("{}", render_text(result));
  }
  return result.ok ? kOk : kUsage;
}


}  // namespace edict::cli
