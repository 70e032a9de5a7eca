// `edict diff`: which decisions change between two versions of a policy, for which cases, and why.
#include <cstdio>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/json_writer.hpp"
#include "core/worker_pool.hpp"
#include "edict/diff.hpp"
#include "edict/witness.hpp"

namespace edict::cli {

namespace {

const char* const kDiffHelp = R"(usage: edict diff OLD NEW --cases FILE.jsonl [options]
       edict diff POLICY --old-rules-as-of D1 --new-rules-as-of D2 --cases FILE.jsonl [options]
       edict diff OLD NEW --witnesses [--as-of DATE] [--emit-tests FILE] [--format text|json]

  Evaluates every case of the corpus with both versions and reports the cases whose decision or
  classifications changed, grouped by cause (the rule, exemption, threshold, parameter or group membership
  whose change explains them), with counts, the first example of each group and a trace diff.

  --cases FILE          JSONL corpus, one {"id", "facts", "as_of"} per line ('-' reads standard input);
                        a line's "rules_as_of" is ignored (the rulebooks are the ones given here); a
                        line longer than the facts limit (16 MiB) is a bad line, skipped unread
  --as-of DATE          the transaction date of cases without "as_of"; default: today (UTC)
  --old-rules-as-of D   read OLD as published on D (default: the latest rulebook)
  --new-rules-as-of D   read NEW as published on D (default: the latest rulebook)
  --format F            text (default) or json
  --fail-on-change      exit 1 when any case changed
  --max-changes N       exit 1 when more than N cases changed (a budget for CI)
  --threads N           worker threads, 1 to 256 (default: the number of cores, at most 8); the report
                        is the same
  --max-traces N        text: show the trace diff of the first N groups only (default 20)
  --witnesses           no corpus: derive boundary cases from the policies (thresholds, groups, effective
                        dates) and report each region where OLD and NEW disagree, with a minimal witness;
                        --as-of limits the search to that transaction date
  --emit-tests FILE     with --witnesses: write the witnesses as an `edict test` file (expects NEW)

exit codes: 0 ok, 1 changes over the budget (--fail-on-change, --max-changes), 2 usage errors, policy
errors, a corpus that cannot be read (a directory, or a read error part way: then no report), bad lines
in it, or output that cannot be written
)";

struct DiffArgs {
  std::vector<std::string> policies;
  std::string cases;
  std::optional<Date> as_of, old_rules_as_of, new_rules_as_of;
  std::string format = "text";
  bool fail_on_change = false;
  std::optional<std::size_t> max_changes;
  std::size_t threads = 0;
  std::size_t max_traces = 20;
  bool witnesses = false;
  std::string emit_tests;
};

// The largest --max-changes / --max-traces.
constexpr std::size_t kMaxCount = 999'999'999'999;

std::optional<DiffArgs> parse_diff_args(Args& args, std::string& error) {
  DiffArgs out;
  while (!args.done()) {
    const auto arg = args.next();
    const auto value = [&] { return option_value(args, arg, error); };
    if (arg == "--cases") {
      auto v = value();
      if (!v) return std::nullopt;
      out.cases = *v;
    } else if (arg == "--as-of" || arg == "--old-rules-as-of" || arg == "--new-rules-as-of") {
      auto d = option_date(args, arg, error);
      if (!d) return std::nullopt;
      (arg == "--as-of" ? out.as_of : arg == "--old-rules-as-of" ? out.old_rules_as_of : out.new_rules_as_of) = d;
    } else if (arg == "--format") {
      auto v = option_format(args, arg, error);
      if (!v) return std::nullopt;
      out.format = *v;
    } else if (arg == "--witnesses") {
      out.witnesses = true;
    } else if (arg == "--emit-tests") {
      auto v = value();
      if (!v) return std::nullopt;
      out.emit_tests = *v;
    } else if (arg == "--fail-on-change") {
      out.fail_on_change = true;
    } else if (arg == "--max-changes" || arg == "--threads" || arg == "--max-traces") {
      auto n = arg == "--threads" ? option_count(args, arg, 1, 256, error)
                                  : option_count(args, arg, 0, kMaxCount, error);
      if (!n) return std::nullopt;
      if (arg == "--max-changes") out.max_changes = n;
      if (arg == "--threads") out.threads = *n;
      if (arg == "--max-traces") out.max_traces = *n;
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      error = fmt::format("unknown option `{}`", arg);
      return std::nullopt;
    } else if (out.policies.size() < 2) {
      out.policies.push_back(arg);
    } else {
      error = fmt::format("unexpected argument `{}`", arg);
      return std::nullopt;
    }
  }
  if (out.policies.empty()) {
    error = "missing OLD and NEW (or one POLICY with --old-rules-as-of / --new-rules-as-of)";
  } else if (out.policies.size() == 1 && !out.old_rules_as_of && !out.new_rules_as_of) {
    error = "one POLICY: give --old-rules-as-of and/or --new-rules-as-of (or two policies OLD NEW)";
  } else if (out.witnesses && !out.cases.empty()) {
    error = "`--witnesses` and `--cases` are two different modes: give one";
  } else if (!out.emit_tests.empty() && !out.witnesses) {
    error = "`--emit-tests` needs `--witnesses`";
  } else if (out.cases.empty() && !out.witnesses) {
    error = "missing `--cases FILE` (or `--witnesses`)";
  }
  if (!error.empty()) return std::nullopt;
  return out;
}

std::string witnesses_text(const WitnessReport& report) {
  std::string out = fmt::format("{} regions where OLD and NEW disagree ({} candidate cases evaluated{})\n",
                                report.witnesses.size(), report.evaluations,
                                report.truncated ? "; search truncated at the evaluation bound" : "");
  for (std::size_t i = 0; i < report.witnesses.size(); ++i) {
    const auto& w = report.witnesses[i];
    out += fmt::format("\n[{}] {}\n", i + 1, w.region);
    for (const auto& c : w.cause) out += fmt::format("  cause: {}\n", c);
    out += fmt::format("  witness, as of {}: {}\n", w.as_of.to_string(), facts_to_json(w.facts));
    out += fmt::format("    OLD: {}\n    NEW: {}\n", result_summary(w.old_result), result_summary(w.new_result));
    if (w.old_result.trace && w.new_result.trace) {
      out += "  trace diff (- OLD only, + NEW only, ~ changed: OLD | NEW):\n";
      out += render_trace_diff_text(diff_traces(*w.old_result.trace, *w.new_result.trace), "    ");
    }
  }
  return out;
}

std::string witnesses_json(const WitnessReport& report) {
  std::string out = fmt::format("{{\"evaluations\":{},\"truncated\":{},\"witnesses\":[", report.evaluations,
                                report.truncated ? "true" : "false");
  for (std::size_t i = 0; i < report.witnesses.size(); ++i) {
    const auto& w = report.witnesses[i];
    std::string causes;
    core::append_json_strings(causes, w.cause);
    out += fmt::format("{}{{\"region\":{},\"causes\":{},\"as_of\":\"{}\",\"facts\":{},\"old\":{},\"new\":{}}}",
                       i ? "," : "", json_quote(w.region), causes, w.as_of.to_string(), facts_to_json(w.facts),
                       render_json(w.old_result), render_json(w.new_result));
  }
  return out + "]}";
}

int run_witnesses(const Policy& old_policy, const Policy& new_policy, const DiffArgs& a) {
  WitnessOptions options;
  options.old_rules_as_of = a.old_rules_as_of;
  options.new_rules_as_of = a.new_rules_as_of;
  if (a.as_of) options.as_of_dates.push_back(*a.as_of);
  const auto report = find_witnesses(old_policy, new_policy, options);
  if (!a.emit_tests.empty()) {
    if (const auto problem = write_output_file(a.emit_tests, witnesses_to_tests(report)); !problem.empty()) {
      fmt::print(stderr, "edict: {}\n", problem);
      return kUsage;
    }
  }
  const auto text = a.format == "json" ? witnesses_json(report) + "\n" : witnesses_text(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  const auto changed = report.witnesses.size();
  if (a.fail_on_change && changed > 0) return kTestsFailed;
  if (a.max_changes && changed > *a.max_changes) return kTestsFailed;
  return kOk;
}

}  // namespace

int run_diff(Args& args) {
  if (const auto code = help_exit(args, kDiffHelp)) return *code;
  std::string error;
  auto a = parse_diff_args(args, error);
  if (!a) return usage_error(error, kDiffHelp);
  auto old_policy = load_policy(a->policies[0]);
  if (!old_policy) return kUsage;
  auto new_policy = a->policies.size() > 1 ? load_policy(a->policies[1]) : old_policy;
  if (!new_policy) return kUsage;

  if (a->witnesses) return run_witnesses(*old_policy, *new_policy, *a);

  DiffOptions options;
  options.as_of = a->as_of.value_or(Date::today_utc());
  options.old_rules_as_of = a->old_rules_as_of;
  options.new_rules_as_of = a->new_rules_as_of;
  options.threads = a->threads ? a->threads : core::WorkerPool::fitting(8);

  InputFile input(a->cases);
  if (!input.ok()) {
    fmt::print(stderr, "edict: {}\n", input.problem().message);
    return kUsage;
  }
  const auto report = diff_corpus(*old_policy, *new_policy, input.stream(), options);
  if (input.failed()) {  // a read error: the report would cover only part of the corpus
    fmt::print(stderr, "edict: {} (after line {}); no report\n", input.read_error(), report.cases + report.errors);
    return kUsage;
  }
  const auto text = a->format == "json" ? render_diff_json(report) + "\n" : render_diff_text(report, a->max_traces);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (report.errors > 0) return kUsage;
  if (a->fail_on_change && report.changed > 0) return kTestsFailed;
  if (a->max_changes && report.changed > *a->max_changes) {
    fmt::print(stderr, "edict: {} cases changed, more than --max-changes {}\n", report.changed, *a->max_changes);
    return kTestsFailed;
  }
  return kOk;
}

}  // namespace edict::cli
