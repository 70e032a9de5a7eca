// Test driver for the HTML reports (edict/report.hpp) until `--format html` reaches the CLI: prints one page.
//   edict_render_report eval POLICY FACTS.json AS_OF [RULES_AS_OF]
//   edict_render_report diff OLD NEW CASES.jsonl AS_OF [OLD_RULES_AS_OF NEW_RULES_AS_OF]
//   edict_render_report witnesses OLD NEW AS_OF [OLD_RULES_AS_OF NEW_RULES_AS_OF]
// A rules-as-of date of `latest` reads the latest rulebook. Exit 0 with the page on stdout; 2 on a usage,
// file or compile error (on stderr).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "edict/diff.hpp"
#include "edict/policy.hpp"
#include "edict/report.hpp"
#include "edict/witness.hpp"

namespace {

constexpr int kUsage = 2;

int fail(const std::string& message) {
  std::cerr << "edict_render_report: " << message << "\n";
  return kUsage;
}

std::shared_ptr<const edict::Policy> load(const std::string& path) {
  auto compiled = edict::compile_path(path);
  if (!compiled.ok()) {
    for (const auto& d : compiled.diagnostics) std::cerr << d.message << "\n";
  }
  return compiled.policy;
}

std::optional<edict::Date> date_arg(const std::vector<std::string>& args, std::size_t i, bool& bad) {
  if (i >= args.size() || args[i] == "latest") return std::nullopt;
  auto date = edict::Date::parse(args[i]);
  if (!date) bad = true;
  return date;
}

bool read_all(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

int run_eval(const std::vector<std::string>& a) {
  if (a.size() < 4 || a.size() > 5) return fail("usage: eval POLICY FACTS.json AS_OF [RULES_AS_OF]");
  const auto policy = load(a[1]);
  if (!policy) return fail("cannot compile " + a[1]);
  std::string json, error;
  if (!read_all(a[2], json)) return fail("cannot read " + a[2]);
  const auto facts = edict::Facts::from_json(json, &error, a[2], policy->limits());
  if (!facts) return fail(a[2] + ": " + error);
  bool bad = false;
  edict::EvalOptions options;
  options.as_of = date_arg(a, 3, bad);
  options.rules_as_of = date_arg(a, 4, bad);
  if (bad || !options.as_of) return fail("bad date");
  std::cout << edict::render_eval_html(*policy, *facts, options);
  return 0;
}

int run_diff(const std::vector<std::string>& a) {
  if (a.size() != 5 && a.size() != 7) return fail("usage: diff OLD NEW CASES.jsonl AS_OF [OLD_RULES_AS_OF NEW_RULES_AS_OF]");
  const auto old_policy = load(a[1]);
  const auto new_policy = a[2] == a[1] ? old_policy : load(a[2]);
  if (!old_policy || !new_policy) return fail("cannot compile the policies");
  std::ifstream cases(a[3], std::ios::binary);
  if (!cases) return fail("cannot read " + a[3]);
  bool bad = false;
  edict::DiffOptions options;
  const auto as_of = date_arg(a, 4, bad);
  options.old_rules_as_of = date_arg(a, 5, bad);
  options.new_rules_as_of = date_arg(a, 6, bad);
  if (bad || !as_of) return fail("bad date");
  options.as_of = *as_of;
  std::cout << edict::render_diff_html(edict::diff_corpus(*old_policy, *new_policy, cases, options));
  return 0;
}

int run_witnesses(const std::vector<std::string>& a) {
  if (a.size() != 4 && a.size() != 6) return fail("usage: witnesses OLD NEW AS_OF [OLD_RULES_AS_OF NEW_RULES_AS_OF]");
  const auto old_policy = load(a[1]);
  const auto new_policy = a[2] == a[1] ? old_policy : load(a[2]);
  if (!old_policy || !new_policy) return fail("cannot compile the policies");
  bool bad = false;
  edict::WitnessOptions options;
  const auto as_of = date_arg(a, 3, bad);
  options.old_rules_as_of = date_arg(a, 4, bad);
  options.new_rules_as_of = date_arg(a, 5, bad);
  if (bad || !as_of) return fail("bad date");
  options.as_of_dates.push_back(*as_of);
  std::cout << edict::render_witnesses_html(edict::find_witnesses(*old_policy, *new_policy, options));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return fail("usage: eval|diff|witnesses ...");
  if (args[0] == "eval") return run_eval(args);
  if (args[0] == "diff") return run_diff(args);
  if (args[0] == "witnesses") return run_witnesses(args);
  return fail("unknown mode `" + args[0] + "`");
}
