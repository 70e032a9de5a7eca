// The driver of `edict lint` (edict/lint.hpp): runs the checks, locates the findings like compile
// diagnostics, and applies the lint comments.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "api/internals.hpp"
#include "edict/lint.hpp"
#include "lint/lint.hpp"
#include "source/located.hpp"

namespace edict {

namespace linter {

Context::Context(const CompiledProgram& program, const LintOptions& opts)
    : p(program), options(opts), probe(program), latest(Date::from_days(Date::max().days() - 1)) {
  probe.limit_steps(opts.max_steps);
  eval::bind(p, Facts{}, p.limits, base, nullptr, nullptr);
  std::set<Date> dates;
  const auto add = [&](Date d) {
    if (!(d == Date::min()) && !(d == Date::max())) dates.insert(d);
  };
  for (const auto& g : p.groups) {
    for (const auto& events : g.enum_events) {
      for (const auto& ev : events) add(ev.from);
    }
    for (const auto& events : g.entry_events) {
      for (const auto& ev : events) add(ev.from);
    }
  }
  for (const auto& param : p.parameters) {
    for (const auto& st : param.steps) add(st.from);
  }
  for (const auto& e : p.entities) {
    for (const auto& v : e.versions) {
      add(v.from);
      add(v.until);
    }
  }
  change_dates.assign(dates.begin(), dates.end());
  label_free.assign(p.labels.size(), false);
  for (std::size_t l = 0; l < p.labels.size() && l < p.label_rules.size(); ++l) label_free[l] = !p.label_rules[l].empty();
}

Date Context::rulebook_of(const ir::RuleVersion& version) const {
  if (version.known_until == Date::max()) return latest;
  return Date::from_days(version.known_until.days() - 1);
}

bool Context::own_file(std::uint32_t file) const {
  return file < p.sources.size() && p.sources[file].path.rfind("<stdlib>/", 0) != 0;
}

}  // namespace linter

const std::vector<LintCode>& lint_codes() {
  static const std::vector<LintCode> codes = {
      {"never-true", "a rule, exemption or tier case whose condition no facts make true"},
      {"exemption-never-applies", "an exemption whose condition never holds with a rule it overrides"},
      {"exemption-window-disjoint", "an exemption never in force while a rule it overrides is"},
      {"exemption-overrides-classification", "an exemption that overrides a rule that only classifies"},
      {"shadowed-tier-case", "a tier case after an earlier one that holds whenever it does"},
      {"threshold-gap", "a tier ladder (one fact against constants) with values no case takes"},
      {"threshold-overlap", "a tier ladder with values two cases take"},
      {"parameter-without-value", "a parameter with no value on dates a rule in force uses it"},
      {"unused-fact", "a fact nothing reads"},
      {"unused-definition", "a definition no rule or exemption reads"},
      {"unused-group", "a group no rule or exemption tests"},
      {"unused-parameter", "a parameter no rule or exemption reads"},
      {"unused-tier", "a tier no rule or exemption reads"},
      {"amendment-no-change", "an amended rule or exemption equal to the version before"},
      {"overrides-missing-sibling", "an `overrides` list missing a rule like its rules (same outcome, inputs)"},
      {"suppression-without-reason", "a lint comment with no `-- reason`"},
      {"unknown-lint-code", "a lint comment naming no code, or a code lint does not have"},
      {"unused-suppression", "a lint comment that suppresses nothing"},
  };
  return codes;
}

std::vector<Diagnostic> lint(const Policy& policy, const LintOptions& options) {
  const auto& p = program_of(policy);
  linter::Context cx(p, options);
  std::vector<linter::Finding> findings;
  linter::check_usage(cx, findings);
  linter::check_conditions(cx, findings);

  std::vector<source::SpanDiagnostic> spans;
  for (auto& f : findings) {
    spans.push_back({Severity::kWarning, std::move(f.code), std::move(f.message), std::move(f.help), f.span, true});
  }
  auto located = source::locate_all(p.sources, std::move(spans));

  // Lint comments: a finding on the comment's line or the line after it, with one of its codes, is dropped.
  auto suppressions = linter::find_suppressions(cx);
  std::map<std::string, std::uint32_t> file_index;
  for (std::uint32_t i = 0; i < p.sources.size(); ++i) file_index.emplace(p.sources[i].path, i);
  std::vector<Diagnostic> kept;
  for (auto& d : located) {
    bool dropped = false;
    const auto it = file_index.find(d.file);
    for (auto& s : suppressions) {
      if (it == file_index.end() || s.file != it->second || !(s.line == d.line || s.line + 1 == d.line)) continue;
      if (std::find(s.codes.begin(), s.codes.end(), d.code) == s.codes.end()) continue;
      s.used = true;
      dropped = true;
    }
    if (!dropped) kept.push_back(std::move(d));
  }
  std::vector<source::SpanDiagnostic> comment_findings;
  for (const auto& s : suppressions) {
    const auto warn = [&](const char* code, std::string message, std::string help) {
      comment_findings.push_back({Severity::kWarning, code, std::move(message), std::move(help), s.span, true});
    };
    if (s.reason.empty()) {
      warn("suppression-without-reason", "lint comment without a reason",
           "write why the finding is accepted: `# lint: allow CODE -- reason`");
    }
    bool known_all = true;
    for (const auto& code : s.codes) {
      const auto& all = lint_codes();
      if (std::none_of(all.begin(), all.end(), [&](const LintCode& c) { return code == c.code; })) {
        known_all = false;
        warn("unknown-lint-code", fmt::format("unknown lint code `{}`", code), "the codes are listed by `edict lint --help`");
      }
    }
    if (s.codes.empty()) {
      warn("unknown-lint-code", "lint comment names no code", "write `# lint: allow CODE -- reason`");
    } else if (known_all && !s.used) {
      warn("unused-suppression", "lint comment suppresses nothing",
           "no finding with its codes is on this line or the next; remove the comment");
    }
  }
  auto more = source::locate_all(p.sources, std::move(comment_findings));
  kept.insert(kept.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));

  // Sorted by file (in compile order), position and code; the same finding twice (a condition shared by two
  // versions) is shown once.
  const auto key = [&](const Diagnostic& d) {
    const auto it = file_index.find(d.file);
    return std::make_tuple(it == file_index.end() ? 0u : it->second, d.line, d.column, d.code, d.message);
  };
  std::stable_sort(kept.begin(), kept.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  kept.erase(std::unique(kept.begin(), kept.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
             kept.end());
  return kept;
}

}  // namespace edict
