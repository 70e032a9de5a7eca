// `edict changelog POLICY`: the rulebook's history as a reviewer reads it, one amendment date at a time
// (edict::changelog). `edict diff POLICY --changelog` is the same report.
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "edict/witness.hpp"

namespace edict::cli {

namespace {

const char* const kChangelogHelp = R"(usage: edict changelog POLICY [--from D] [--to D] [--catalog DIR] [--max-evaluations N]
                             [--format text|json] [--quiet]

  For each date on which an amendment of POLICY was published, in order: the amendments, what they changed
  against the rulebook of the day before (rules, conditions, overrides lists, effective windows, group
  memberships and parameter values, with their dates), and the regions whose decisions they changed, each
  with its conditions, causes and a witness (moved onto a catalog product when one lies in the region).

  --from D, --to D      only the amendments published on or after D / on or before D
  --catalog DIR         facts files (*.json) a reviewer recognises (default: POLICY/catalog when it exists)
  --max-evaluations N   a bound on each amendment's search (default 2000000); a search cut by it keeps every
                        region found and says which dimension was cut
  --format F            text (default; at most 20 regions per date) or json (everything)
  --quiet               no progress line on standard error (otherwise shown when it is a terminal; never
                        on standard output)

exit codes: 0 ok, 2 usage and policy errors, a catalog that cannot be read
)";

struct ChangelogArgs {
  std::string policy;
  ChangelogOptions options;
  std::string catalog;
  std::string format = "text";
  bool quiet = false;
};

int run_changelog_command(ChangelogArgs& a) {
  if (a.policy.empty()) return usage_error("missing POLICY", "changelog");
  const auto policy = load_policy(a.policy);
  if (!policy) return kUsage;
  return print_changelog(*policy, a.policy, a.catalog, a.options, a.format, a.quiet);
}

}  // namespace

int print_changelog(const Policy& policy, const std::string& policy_path, const std::string& catalog,
                    const ChangelogOptions& given, const std::string& format, bool quiet) {
  auto options = given;
  if (const auto folder = catalog_folder(policy_path, catalog); !folder.empty()) {
    std::string error;
    options.search.catalog = read_catalog(folder, &error);
    if (!error.empty()) {
      fmt::print(stderr, "edict: {}\n", error);
      return kUsage;
    }
  }
  ProgressLine progress(quiet);
  if (progress.shown()) {
    options.starting = [&progress](std::size_t place, std::size_t dates, Date published) {
      progress.stage(fmt::format("{} ({} of {}): ", published.to_string(), place, dates));
    };
    options.search.progress = [&progress](const WitnessProgress& p) { progress.search(p); };
  }
  const auto entries = changelog(policy, options);
  progress.clear();
  const auto text = format == "json" ? render_changelog_json(entries) + "\n" : render_changelog_text(entries, 20);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kOk;
}

Command add_changelog(CLI::App& edict) {
  auto args = std::make_shared<ChangelogArgs>();
  auto* app = add_command(edict, "changelog");
  app->add_option("POLICY", args->policy);
  add_date_option(*app, "--from", args->options.from);
  add_date_option(*app, "--to", args->options.to);
  app->add_option("--catalog", args->catalog);
  add_count_option(*app, "--max-evaluations", 1, 999'999'999'999,
                   [a = args.get()](std::size_t n) { a->options.search.max_evaluations = n; });
  add_choice_option(*app, "--format", kTextOrJson, args->format);
  app->add_flag("--quiet", args->quiet);
  return {app, kChangelogHelp, [args] { return run_changelog_command(*args); }};
}

}  // namespace edict::cli
