// `edict diff`: which decisions change between two versions of a policy, for which cases, and why.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "core/json_writer.hpp"
#include "core/worker_pool.hpp"
#include "edict/diff.hpp"
#include "edict/report.hpp"
#include "edict/witness.hpp"

namespace edict::cli {

namespace {

const char* const kDiffHelp = R"(usage: edict diff OLD NEW --cases FILE.jsonl [options]
       edict diff POLICY --old-rules-as-of D1 --new-rules-as-of D2 --cases FILE.jsonl [options]
       edict diff OLD NEW --witnesses [--as-of DATE] [--detail] [--catalog DIR] [--max-evaluations N]
                                      [--emit-tests FILE]
       edict diff POLICY --changelog [--from D] [--to D] [--catalog DIR] [--format text|json]
       (each with [--quiet])

  Evaluates every case of the corpus with both versions and reports the cases whose decision or
  classifications changed, grouped by cause (the rule, exemption, threshold, parameter or group membership
  whose change explains them), with counts, the first example of each group and a trace diff.

  --cases FILE          JSONL corpus, one {"id", "facts", "as_of"} per line ('-' reads standard input);
                        a line's "rules_as_of" is ignored (the rulebooks are the ones given here); a
                        line longer than the facts limit (16 MiB) is a bad line, skipped unread
  --as-of DATE          the transaction date of cases without "as_of"; default: today (UTC)
  --old-rules-as-of D   read OLD as published on D (default: the latest rulebook)
  --new-rules-as-of D   read NEW as published on D (default: the latest rulebook)
  --format F            text (default), json, or html (one self-contained page)
  --fail-on-change      exit 1 when any case changed
  --max-changes N       exit 1 when more than N cases changed (a budget for CI)
  --threads N           worker threads, 1 to 256 (default: the number of cores, at most 8); the report
                        is the same
  --max-traces N        text: show the trace diff of the first N groups only (default 20)
  --witnesses           no corpus: derive boundary cases from the policies (thresholds, groups, effective
                        dates) and report each region where OLD and NEW disagree, with a minimal witness;
                        by default on each date where either rulebook changes (within the window of the
                        two rulebooks); --as-of limits the search to that transaction date. The text is
                        a summary: what changed, then the decision changes, largest first
  --changelog           one POLICY: for each amendment, in publication order, what it changed against the
                        rulebook of the day before and the regions whose decisions it changed (the same
                        as `edict changelog POLICY`)
  --from D, --to D      with --changelog: only the amendments published on or after D / on or before D
  --quiet               no progress line on standard error (otherwise shown when it is a terminal, for
                        --cases, --witnesses and --changelog; never on standard output)
  --detail              with --witnesses: every region (classification-only too) with its trace diff
  --catalog DIR         with --witnesses: facts files (*.json) a reviewer recognises; a region's witness
                        is moved onto the first that lies in it (default: OLD/catalog when it exists)
  --max-evaluations N   with --witnesses: a bound on the search (default 2000000); a search cut by it keeps
                        every region found, and says which dimension was cut and how to widen it
  --emit-tests FILE     with --witnesses: write the witnesses as an `edict test` file (expects NEW)

exit codes: 0 ok, 1 changes over the budget (--fail-on-change, --max-changes), 2 usage errors, policy
errors, a corpus that cannot be read (a directory, or a read error part way: then no report), bad lines
in it, or output that cannot be written
)";

struct DiffArgs {
  std::string old_policy;
  std::string new_policy;  // empty: OLD read at two rulebook dates
  std::string cases;
  std::optional<Date> as_of, old_rules_as_of, new_rules_as_of;
  std::string format = "text";
  bool fail_on_change = false;
  std::optional<std::size_t> max_changes;
  std::size_t threads = 0;
  std::size_t max_traces = 20;
  bool witnesses = false;
  std::string emit_tests;
  bool detail = false;
  bool changelog = false;
  std::optional<Date> from, to;
  bool quiet = false;
  std::string catalog;
  std::size_t max_evaluations = 2'000'000;
};

// The largest --max-changes / --max-traces.
constexpr std::size_t kMaxCount = 999'999'999'999;

// Why the arguments cannot go together ("" when they can): one policy needs a rulebook date, and the corpus
// (--cases) and --witnesses are two modes.
std::string diff_args_problem(const DiffArgs& a) {
  if (a.old_policy.empty()) return "missing OLD and NEW (or one POLICY with --old-rules-as-of / --new-rules-as-of)";
  if (a.changelog) {
    if (!a.new_policy.empty() || !a.cases.empty() || a.witnesses) {
      return "`--changelog` takes one POLICY and no other mode";
    }
    return {};
  }
  if (a.new_policy.empty() && !a.old_rules_as_of && !a.new_rules_as_of) {
    return "one POLICY: give --old-rules-as-of and/or --new-rules-as-of (or two policies OLD NEW)";
  }
  if (a.witnesses && !a.cases.empty()) return "`--witnesses` and `--cases` are two different modes: give one";
  if (!a.emit_tests.empty() && !a.witnesses) return "`--emit-tests` needs `--witnesses`";
  if (a.cases.empty() && !a.witnesses) return "missing `--cases FILE` (or `--witnesses`)";
  return {};
}

int run_witnesses(const Policy& old_policy, const Policy& new_policy, const DiffArgs& a) {
  WitnessOptions options;
  options.old_rules_as_of = a.old_rules_as_of;
  options.new_rules_as_of = a.new_rules_as_of;
  if (a.as_of) options.as_of_dates.push_back(*a.as_of);
  options.max_evaluations = a.max_evaluations;
  ProgressLine progress(a.quiet);
  if (progress.shown()) options.progress = [&progress](const WitnessProgress& p) { progress.search(p); };
  if (const auto folder = catalog_folder(a.old_policy, a.catalog); !folder.empty()) {
    std::string error;
    options.catalog = read_catalog(folder, &error);
    if (!error.empty()) {
      fmt::print(stderr, "edict: {}\n", error);
      return kUsage;
    }
  }
  const auto report = find_witnesses(old_policy, new_policy, options);
  progress.clear();
  if (!a.emit_tests.empty()) {
    if (const auto problem = write_output_file(a.emit_tests, witnesses_to_tests(report)); !problem.empty()) {
      fmt::print(stderr, "edict: {}\n", problem);
      return kUsage;
    }
  }
  const auto text = a.format == "json"   ? render_witnesses_json(report) + "\n"
                    : a.format == "html" ? render_witnesses_html(report)
                                         : render_witnesses_text(report, {a.detail, 20});
  std::fwrite(text.data(), 1, text.size(), stdout);
  const auto changed = report.witnesses.size();
  if (a.fail_on_change && changed > 0) return kTestsFailed;
  if (a.max_changes && changed > *a.max_changes) return kTestsFailed;
  return kOk;
}

// `--changelog`: each amendment of POLICY, in publication order, with what it changed and the regions whose
// decisions it changed (edict::changelog).
int run_changelog(const Policy& policy, const DiffArgs& a) {
  if (a.format == "html") return usage_error("`--changelog` writes text or json", "diff");
  ChangelogOptions options;
  options.from = a.from;
  options.to = a.to;
  options.search.max_evaluations = a.max_evaluations;
  return print_changelog(policy, a.old_policy, a.catalog, options, a.format, a.quiet);
}

int run_diff(const DiffArgs& a) {
  if (const auto problem = diff_args_problem(a); !problem.empty()) return usage_error(problem, "diff");
  auto old_policy = load_policy(a.old_policy);
  if (!old_policy) return kUsage;
  auto new_policy = a.new_policy.empty() ? old_policy : load_policy(a.new_policy);
  if (!new_policy) return kUsage;

  if (a.changelog) return run_changelog(*old_policy, a);
  if (a.witnesses) return run_witnesses(*old_policy, *new_policy, a);

  DiffOptions options;
  options.as_of = a.as_of.value_or(Date::today_utc());
  options.old_rules_as_of = a.old_rules_as_of;
  options.new_rules_as_of = a.new_rules_as_of;
  options.threads = a.threads ? a.threads : core::WorkerPool::fitting(8);

  InputFile input(a.cases);
  if (!input.ok()) {
    fmt::print(stderr, "edict: {}\n", input.problem().message);
    return kUsage;
  }
  ProgressLine progress(a.quiet);
  input.show_progress(progress);
  const auto report = diff_corpus(*old_policy, *new_policy, input.stream(), options);
  if (input.failed()) {  // a read error: the report would cover only part of the corpus
    fmt::print(stderr, "edict: {} (after line {}); no report\n", input.read_error(), report.cases + report.errors);
    return kUsage;
  }
  const auto text = a.format == "json"   ? render_diff_json(report) + "\n"
                    : a.format == "html" ? render_diff_html(report)
                                         : render_diff_text(report, a.max_traces);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (report.errors > 0) return kUsage;
  if (a.fail_on_change && report.changed > 0) return kTestsFailed;
  if (a.max_changes && report.changed > *a.max_changes) {
    fmt::print(stderr, "edict: {} cases changed, more than --max-changes {}\n", report.changed, *a.max_changes);
    return kTestsFailed;
  }
  return kOk;
}

void add_diff_options(CLI::App& app, DiffArgs& a) {
  app.add_option("--cases", a.cases);
  add_date_option(app, "--as-of", a.as_of);
  add_date_option(app, "--old-rules-as-of", a.old_rules_as_of);
  add_date_option(app, "--new-rules-as-of", a.new_rules_as_of);
  add_choice_option(app, "--format", kReportFormats, a.format);
  app.add_flag("--fail-on-change", a.fail_on_change);
  add_count_option(app, "--max-changes", 0, kMaxCount, [&a](std::size_t n) { a.max_changes = n; });
  add_count_option(app, "--threads", 1, 256, [&a](std::size_t n) { a.threads = n; });
  add_count_option(app, "--max-traces", 0, kMaxCount, [&a](std::size_t n) { a.max_traces = n; });
  app.add_flag("--witnesses", a.witnesses);
  app.add_option("--emit-tests", a.emit_tests);
  app.add_flag("--detail", a.detail);
  app.add_flag("--changelog", a.changelog);
  add_date_option(app, "--from", a.from);
  add_date_option(app, "--to", a.to);
  app.add_flag("--quiet", a.quiet);
  app.add_option("--catalog", a.catalog);
  add_count_option(app, "--max-evaluations", 1, kMaxCount, [&a](std::size_t n) { a.max_evaluations = n; });
}

}  // namespace

Command add_diff(CLI::App& edict) {
  auto args = std::make_shared<DiffArgs>();
  auto* app = add_command(edict, "diff");
  // OLD NEW, or one POLICY (read at two rulebook dates); a third is an unexpected argument.
  app->add_option("OLD", args->old_policy);
  app->add_option("NEW", args->new_policy);
  add_diff_options(*app, *args);
  return {app, kDiffHelp, [args] { return run_diff(*args); }};
}

}  // namespace edict::cli
