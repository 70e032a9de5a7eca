// `edict replay POLICY LOG.jsonl`: re-evaluates every logged decision (decision-log lines or receipts) and
// reports each line that decides differently now, was made by a different rulebook, or cannot be replayed.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "audit/decision_record.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/json_writer.hpp"
#include "core/line_reader.hpp"

namespace edict::cli {

namespace {

const char* const kReplayHelp = R"(usage: edict replay POLICY LOG.jsonl [--format text|json]

Re-evaluates each decision record of LOG.jsonl (a decision log or `edict eval --receipt` files; '-' reads
standard input) with POLICY: the record's facts, as_of and rules_as_of. Reports, for each line:
  - a decision that differs: the decision, the classifications, the deciding rules or the exemptions
    (the lists compared as sets), logged vs replayed;
  - a record made by a different rulebook: its policy digest is not POLICY's (`edict digest POLICY`);
  - a line that cannot be replayed: not a record (the key at fault is named), or a record that keeps only
    `facts_digest`, not the facts.
Text: one line per finding, `LOG:LINE: decision_id "ID": FIELD: logged OLD, replayed NEW` (values as JSON),
`LOG:LINE: decision_id "ID": made by a different rulebook: ...` or `LOG:LINE: error: WHAT`, then a summary.
--format json: one object {"log", "policy_digest", "lines", "matched", "decided_differently",
"other_rulebook", "errors", "findings": [{"line", "decision_id"?, "policy_digest"?: {"logged",
"replayed"}, "differences"?: [{"field", "logged", "replayed"}], "error"?}]}.

Exit code 0 when every record matches, 1 when any decides differently or was made by a different rulebook,
2 for usage or policy errors, a log that cannot be read, and lines that cannot be replayed.
)";

struct Finding {
  std::size_t line = 0;
  std::string decision_id;
  std::string logged_digest;  // set when the record was made by a different rulebook
  std::vector<audit::FieldDifference> differences;
  std::string error;  // the line cannot be replayed
};

struct Report {
  std::string log;
  std::string policy_digest;
  std::size_t lines = 0, matched = 0, decided_differently = 0, other_rulebook = 0, errors = 0;
  std::vector<Finding> findings;
};

class Replayer {
 public:
  explicit Replayer(const Policy& policy) : policy_(policy), session_(policy) {}

  // The finding for one log line; its `line` is left to the caller. No finding (nullopt) when it matches.
  std::optional<Finding> replay(std::string_view text) {
    Finding f;
    std::string error;
    const auto logged = audit::parse_log_line(text, &error);
    if (!logged) {
      f.error = error;
      return f;
    }
    f.decision_id = logged->decision_id;
    if (logged->policy_digest != policy_.digest()) f.logged_digest = logged->policy_digest;
    if (!logged->facts_digest.empty()) {
      f.error = "cannot replay: the record keeps only `facts_digest`, not the facts";
      return f;
    }
    auto facts = Facts::from_json(logged->facts_json, &error, "facts", policy_.limits());
    if (!facts) {
      f.error = fmt::format("`facts`: {}", error);
      return f;
    }
    EvalOptions options;
    options.as_of = Date::parse(logged->as_of);
    if (logged->rules_as_of != "latest") options.rules_as_of = Date::parse(logged->rules_as_of);
    const auto result = session_.evaluate(*facts, options);
    if (!result.ok) {
      std::string messages;
      for (const auto& m : result.errors) messages += (messages.empty() ? "" : "; ") + m;
      f.differences.push_back({"decision", json_quote(logged->decision), json_quote("error: " + messages)});
    } else {
      f.differences = audit::compare_decisions(*logged, audit::make_record(result, *facts, {}, {}));
    }
    if (f.differences.empty() && f.logged_digest.empty()) return std::nullopt;
    return f;
  }

 private:
  const Policy& policy_;
  Session session_;
};

void print_text(const Report& r, const std::string& current_digest) {
  for (const auto& f : r.findings) {
    const auto where = fmt::format("{}:{}", r.log, f.line);
    if (!f.error.empty()) {
      fmt::print("{}: error: {}\n", where, f.error);
      continue;
    }
    const auto id = fmt::format("decision_id {}", json_quote(f.decision_id));
    if (!f.logged_digest.empty()) {
      fmt::print("{}: {}: made by a different rulebook: logged policy digest {}, this policy {}\n", where, id,
                 f.logged_digest, current_digest);
    }
    for (const auto& d : f.differences) {
      fmt::print("{}: {}: {}: logged {}, replayed {}\n", where, id, d.field, d.logged, d.replayed);
    }
  }
  fmt::print("replayed {} of {} lines: {} match, {} decide differently, {} made by a different rulebook, {} "
             "cannot be replayed\n",
             r.lines - r.errors, r.lines, r.matched, r.decided_differently, r.other_rulebook, r.errors);
}

void print_json(const Report& r) {
  std::string out = fmt::format(
      "{{\"log\":{},\"policy_digest\":{},\"lines\":{},\"matched\":{},\"decided_differently\":{},"
      "\"other_rulebook\":{},\"errors\":{},\"findings\":[",
      json_quote(r.log), json_quote(r.policy_digest), r.lines, r.matched, r.decided_differently, r.other_rulebook,
      r.errors);
  for (bool first = true; const auto& f : r.findings) {
    out += first ? "" : ",";
    first = false;
    out += fmt::format("{{\"line\":{}", f.line);
    if (!f.decision_id.empty()) out += ",\"decision_id\":" + json_quote(f.decision_id);
    if (!f.logged_digest.empty()) {
      out += fmt::format(",\"policy_digest\":{{\"logged\":{},\"replayed\":{}}}", json_quote(f.logged_digest),
                         json_quote(r.policy_digest));
    }
    if (!f.differences.empty()) {
      out += ",\"differences\":[";
      for (std::size_t i = 0; i < f.differences.size(); ++i) {
        const auto& d = f.differences[i];
        out += fmt::format("{}{{\"field\":{},\"logged\":{},\"replayed\":{}}}", i ? "," : "", json_quote(d.field),
                           d.logged, d.replayed);
      }
      out += "]";
    }
    if (!f.error.empty()) out += ",\"error\":" + json_quote(f.error);
    out += "}";
  }
  fmt::print("{}]}}\n", out);
}

struct ReplayArgs {
  std::string policy;
  std::string log;
  std::string format = "text";
};

int run_replay(const ReplayArgs& a) {
  if (a.policy.empty() || a.log.empty()) return usage_error("expected POLICY and LOG.jsonl", "replay");
  const auto policy = load_policy(a.policy);
  if (!policy) return kUsage;
  InputFile input(a.log);
  if (!input.ok()) {
    fmt::print(stderr, "edict: {}\n", input.problem().message);
    return kUsage;
  }
  Report report;
  report.log = a.log == "-" ? "<stdin>" : a.log;
  report.policy_digest = policy->digest();
  // A record is its facts and some 1 KiB around them; facts are bounded by the facts limit.
  const std::size_t max_line_bytes = policy->limits().facts_bytes + (std::size_t{1} << 20);
  core::LineReader reader(input.stream(), max_line_bytes);
  Replayer replayer(*policy);
  std::string line;
  for (;;) {
    line.clear();
    const auto status = reader.next(line);
    if (status == core::LineReader::Status::kEnd) break;
    ++report.lines;
    std::optional<Finding> finding;
    if (status == core::LineReader::Status::kTooLong) {
      finding = Finding{};
      finding->error = fmt::format("line longer than {} bytes; skipped", max_line_bytes);
    } else {
      finding = replayer.replay(line);
    }
    if (!finding) {
      ++report.matched;
      continue;
    }
    finding->line = report.lines;
    if (!finding->error.empty()) {
      ++report.errors;
    } else {
      if (!finding->differences.empty()) ++report.decided_differently;
      if (!finding->logged_digest.empty()) ++report.other_rulebook;
    }
    report.findings.push_back(std::move(*finding));
  }
  if (reader.failed() || input.failed()) {
    fmt::print(stderr, "edict: {} (after line {})\n", input.read_error(), report.lines);
    return kUsage;
  }
  if (a.format == "json") {
    print_json(report);
  } else {
    print_text(report, report.policy_digest);
  }
  if (report.errors > 0) return kUsage;
  return report.decided_differently + report.other_rulebook > 0 ? kTestsFailed : kOk;
}

}  // namespace

Command add_replay(CLI::App& edict) {
  auto args = std::make_shared<ReplayArgs>();
  auto* app = add_command(edict, "replay");
  app->add_option("POLICY", args->policy);
  app->add_option("LOG", args->log);
  add_choice_option(*app, "--format", kTextOrJson, args->format);
  return {app, kReplayHelp, [args] { return run_replay(*args); }};
}

}  // namespace edict::cli
