// `edict eval`: one evaluation from merged fact sources, or a JSONL batch (eval_batch.cpp).
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/eval_args.hpp"
#include "cli/options.hpp"
#include "cli/receipt_file.hpp"
#include "edict/explain.hpp"
#include "edict/report.hpp"

namespace edict::cli {

namespace {

const char* const kEvalHelp = R"(usage: edict eval POLICY [--facts FILE|-]... [--set PATH=VALUE]... [--as-of DATE]
                  [--rules-as-of DATE] [--format text|json|html]
                  [--trace | --explain | --why-not OUTCOME | --what-if PATH=VALUE...] [--override]
       edict eval POLICY --cases FILE.jsonl [--as-of DATE] [--rules-as-of DATE] [--trace] [--threads N]
                  [--max-line-bytes N] [--line-buffered] [--receipt FILE] [--quiet]

  --facts FILE      JSON object of facts ('-' reads standard input); repeat to merge several sources:
                    a field given twice with different values is an error; a file (or pipe) larger
                    than the facts limit (16 MiB) is refused after reading no more than that
  --set PATH=VALUE  one fact; PATH is dotted (product.tpp: no empty part) and must be a fact the
                    policy declares; VALUE is read as JSON when it is a JSON scalar (4800, true, "x"),
                    otherwise as a string (destination.country=CN); a JSON number beyond the facts
                    limits (an exponent beyond +-10000) is an error, not a string. A string fact
                    given a number needs JSON quotes: --set 'product.name="8518"'
  --as-of DATE      the date of the transaction (YYYY-MM-DD); default: today (UTC)
  --rules-as-of D   read the rulebook as published on D; default: the latest
  --format F        text (default), json, or html (one self-contained page: the explanation, then the
                    full trace folded below it)
  --receipt FILE    also write the decision record of this evaluation (one JSON line: decision id,
                    time, policy digest, dates, facts, decision, classifications, deciding rules,
                    exemptions; `edict replay` checks it) to FILE, replaced whole or not at all;
                    nothing is printed when it cannot be written. With --cases: one line per case
                    that evaluates, in input order (a case with an error gets none), written after
                    the last case (none when the input breaks off); the cases are then evaluated one
                    by one (--threads does not apply)
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
  --quiet           batch: no progress line (cases done, rate, time left) on standard error; it is shown
                    only when standard error is a terminal and neither the cases nor the results are
                    (then the results show the progress); never on standard output

A bad batch line gives an error object with its 1-based input line number, {"id", "line", "error"}.
Exit code 2 for usage errors, policy errors, invalid facts, a --facts or --cases file that cannot be
read (or breaks off with a read error), and output that cannot be written.
)";

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
  if (a.override_facts && a.sets.empty()) {
    return "`--override` needs `--set` (it lets --set replace a value from --facts)";
  }
  return {};
}

// Why the arguments cannot go together ("" when they can).
std::string eval_args_problem(const EvalArgs& a) {
  if (a.policy.empty()) return "missing POLICY";
  if (!a.cases.empty() && (!a.fact_files.empty() || !a.sets.empty())) {
    return "`--cases` cannot be combined with `--facts` or `--set`";
  }
  if (a.line_buffered && a.cases.empty()) return "`--line-buffered` needs `--cases`";
  if (a.quiet && a.cases.empty()) return "`--quiet` needs `--cases`";
  if (a.format == "html" && (!a.cases.empty() || a.why_not || !a.what_if.empty())) {
    return "`--format html` is a report of one evaluation (its explanation and full trace): not with "
           "`--cases`, `--why-not` or `--what-if`";
  }
  return answer_conflict(a);
}

// The values of --set or --what-if settings, each checked against the facts the policy declares; nullopt
// (and *error) at the first that does not fit.
std::optional<std::vector<FactChange>> setting_changes(const std::vector<FactSetting>& settings, const Policy& policy,
                                                       std::string& error) {
  std::vector<FactChange> changes;
  const auto inventory = policy.inventory();
  for (const auto& setting : settings) {
    auto value = setting_value(setting, policy.limits(), error);
    if (!value) return std::nullopt;
    error = setting_problem(setting, *value, inventory);
    if (!error.empty()) return std::nullopt;
    changes.push_back(FactChange{setting.path, std::move(*value)});
  }
  return changes;
}

// The facts of --facts and the --set values `sets`, read within the policy's limits.
std::optional<Facts> gather_facts(const EvalArgs& a, const std::vector<FactChange>& sets, const Limits& limits,
                                  std::string& error) {
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
  if (a.override_facts) return with_changes(facts, sets, "--set");  // --override: --set wins
  Facts overrides;
  for (const auto& change : sets) overrides.set(change.path, change.value, "--set");
  if (!facts.merge(overrides, &error)) {
    error += " (`--override` lets --set replace a value from --facts)";
    return std::nullopt;
  }
  return facts;
}

// --explain, --why-not OUTCOME, --what-if PATH=VALUE (edict/explain.hpp).
int run_answer(const Policy& policy, const Facts& facts, const EvalOptions& options, const EvalArgs& a,
               const std::vector<FactChange>& what_if_changes) {
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
  const auto w = what_if(policy, facts, what_if_changes, options);
  fmt::print("{}", json ? render_what_if_json(w) + "\n" : render_what_if_text(w));
  return w.before.ok && w.after.ok ? kOk : kUsage;
}

// One evaluation: the facts gathered, the receipt written, then the answer asked for.
int run_eval(const EvalArgs& a) {
  if (const auto problem = eval_args_problem(a); !problem.empty()) return usage_error(problem, "eval");
  auto policy = load_policy(a.policy);
  if (!policy) return kUsage;
  if (!a.cases.empty()) return run_eval_batch(*policy, a);
  std::string error;
  auto sets = setting_changes(a.sets, *policy, error);
  auto what_if_changes = sets ? setting_changes(a.what_if, *policy, error) : std::nullopt;
  auto facts = what_if_changes ? gather_facts(a, *sets, policy->limits(), error) : std::nullopt;
  if (!facts) {
    fmt::print(stderr, "edict: {}\n", error);
    return kUsage;
  }
  EvalOptions options;
  options.as_of = a.as_of.value_or(Date::today_utc());
  options.rules_as_of = a.rules_as_of;
  options.trace = a.trace;
  if (!a.receipt.empty()) {
    if (const auto code = write_receipt(*policy, *facts, options, a.receipt)) return *code;
  }
  if (a.format == "html") {  // the explanation, with the full trace folded below it (edict/report.hpp)
    fmt::print("{}", render_eval_html(*policy, *facts, options));
    return policy->evaluate(*facts, options).ok ? kOk : kUsage;
  }
  if (a.explain || a.why_not || !a.what_if.empty()) return run_answer(*policy, *facts, options, a, *what_if_changes);
  const auto result = policy->evaluate(*facts, options);
  if (a.format == "json") {
    fmt::print("{}\n", render_json(result));
  } else {
    fmt::print("{}", render_text(result));
  }
  return result.ok ? kOk : kUsage;
}

// `NAME PATH=VALUE`, repeatable, each split and its path checked as it is read (fact_settings.hpp).
void add_setting_option(CLI::App& app, const std::string& name, std::vector<FactSetting>& target) {
  app.add_option_function<std::vector<std::string>>(name,
                                                    [name, &target](const std::vector<std::string>& texts) {
                                                      target.clear();
                                                      for (const auto& text : texts) {
                                                        target.push_back(parse_fact_setting(name, text));
                                                      }
                                                    })
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

// The facts and the dates of the evaluation.
void add_fact_options(CLI::App& app, EvalArgs& a) {
  add_repeated_option(app, "--facts", a.fact_files);
  add_setting_option(app, "--set", a.sets);
  app.add_flag("--override", a.override_facts);
  add_date_option(app, "--as-of", a.as_of);
  add_date_option(app, "--rules-as-of", a.rules_as_of);
}

// What is printed (or written) about it.
void add_answer_options(CLI::App& app, EvalArgs& a) {
  add_choice_option(app, "--format", kReportFormats, a.format);
  app.add_flag("--trace", a.trace);
  app.add_flag("--explain", a.explain);
  app.add_option_function<std::string>("--why-not", [&a](const std::string& outcome) { a.why_not = outcome; });
  add_setting_option(app, "--what-if", a.what_if);
  app.add_option("--receipt", a.receipt);
}

void add_batch_options(CLI::App& app, EvalArgs& a) {
  app.add_option("--cases", a.cases);
  add_count_option(app, "--threads", 1, 256, [&a](std::size_t n) { a.threads = n; });
  add_count_option(app, "--max-line-bytes", 1, std::size_t{1} << 30, [&a](std::size_t n) { a.max_line_bytes = n; });
  app.add_flag("--line-buffered", a.line_buffered);
  app.add_flag("--quiet", a.quiet);
}

}  // namespace

Command add_eval(CLI::App& edict) {
  auto args = std::make_shared<EvalArgs>();
  auto* app = add_command(edict, "eval");
  app->add_option("POLICY", args->policy);
  add_fact_options(*app, *args);
  add_answer_options(*app, *args);
  add_batch_options(*app, *args);
  return {app, kEvalHelp, [args] { return run_eval(*args); }};
}

}  // namespace edict::cli
