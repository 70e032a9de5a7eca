// `edict eval`: one evaluation from merged fact sources, or a JSONL batch.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>
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
       edict eval POLICY --cases FILE.jsonl [--as-of DATE] [--rules-as-of DATE] [--trace]

  --facts FILE      JSON object of facts ('-' reads standard input); repeat to merge several sources:
                    a field given twice with different values is an error
  --set PATH=VALUE  one fact; VALUE is read as JSON when it is a JSON scalar (4800, true, "x"),
                    otherwise as a string (destination.country=CN)
  --as-of DATE      the date of the transaction (YYYY-MM-DD); default: today (UTC)
  --rules-as-of D   read the rulebook as published on D; default: the latest
  --format F        text (default) or json
  --trace           include the explainable trace
  --cases FILE      batch: one JSON object per line {"id", "facts", "as_of", "rules_as_of"};
                    writes one JSON result per line, in order; a bad line gives an error object
  --threads N       batch: evaluate with N threads (output order and bytes do not change)
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

std::optional<Facts> gather_facts(const EvalArgs& a, std::string& error) {
  Facts facts;
  for (const auto& file : a.fact_files) {
    auto text = read_all(file);
    if (!text) {
      error = fmt::format("cannot read `{}`", file);
      return std::nullopt;
    }
    std::string parse_error;
    auto parsed = Facts::from_json(*text, &parse_error, file == "-" ? "<stdin>" : file);
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

// Storage reused from line to line by one thread.
struct LineScratch {
  Facts parsed;  // the whole line
  Facts facts;   // its "facts" object
};

// One JSONL line -> one output line. Fields: "facts" (object), optional "id", "as_of", "rules_as_of".
std::string eval_line(Session& session, LineScratch& scratch, const std::string& line, const EvalArgs& a,
                      Date today) {
  std::string parse_error;
  const auto error_line = [](const std::string& id, const std::string& message) {
    return fmt::format("{{{}\"error\":{{\"messages\":[{}]}}}}", id.empty() ? "" : "\"id\":" + id + ",",
                       json_quote(message));
  };
  if (!scratch.parsed.assign_json(line, &parse_error, "line")) return error_line("", parse_error);
  const Facts* parsed = &scratch.parsed;
  Facts& facts = scratch.facts;
  std::string id;
  EvalOptions options;
  options.as_of = a.as_of.value_or(today);
  options.rules_as_of = a.rules_as_of;
  options.trace = a.trace;
  std::string problem;
  for (const auto& e : parsed->entries()) {
    if (e.path == "id") {
      id = e.value.kind == FactValue::Kind::kString ? json_quote(e.value.text) : e.value.text;
    } else if (e.path.starts_with("facts.")) {
      // taken by assign_subtree below
    } else if (e.path == "as_of" || e.path == "rules_as_of") {
      const auto date = Date::parse(e.value.text);
      if (e.value.kind != FactValue::Kind::kString || !date) {
        problem = fmt::format("`{}` must be a date string YYYY-MM-DD", e.path);
      } else if (e.path == "as_of") {
        options.as_of = *date;
      } else {
        options.rules_as_of = date;
      }
    } else if (e.path != "facts") {
      problem = fmt::format("unknown field `{}` (expected id, facts, as_of, rules_as_of)", e.path);
    }
  }
  if (!problem.empty()) return error_line(id, problem);
  facts.assign_subtree(*parsed, "facts");
  return render_json(session.evaluate(facts, options), id);
}

// Evaluates lines[begin, end) into outputs[begin, end) with one Session (one per thread).
void eval_lines(const Policy& policy, const std::vector<std::string>& lines, std::vector<std::string>& outputs,
                std::size_t begin, std::size_t end, const EvalArgs& a, Date today) {
  Session session(policy);
  LineScratch scratch;
  for (std::size_t i = begin; i < end; ++i) {
    const auto& line = lines[i];
    if (line.find_first_not_of(" \t") == std::string::npos) {
      outputs[i] = "{\"error\":{\"messages\":[\"empty line\"]}}";
    } else {
      outputs[i] = eval_line(session, scratch, line, a, today);
    }
  }
}

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
  // Lines are read in chunks; each chunk is split among the threads, and written in input order, so the
  // output is the same whatever the thread count and memory stays flat whatever the input size.
  const auto today = Date::today_utc();
  const std::size_t threads = std::max<std::size_t>(1, a.threads);
  const std::size_t chunk = 4096 * threads;
  std::vector<std::string> lines, outputs;
  std::string line, out;
  bool more = true;
  while (more) {
    lines.clear();
    while (lines.size() < chunk && (more = static_cast<bool>(std::getline(*in, line)))) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
    }
    outputs.assign(lines.size(), {});
    if (threads == 1 || lines.size() < 256) {
      eval_lines(policy, lines, outputs, 0, lines.size(), a, today);
    } else {
      std::vector<std::thread> workers;
      const std::size_t per = (lines.size() + threads - 1) / threads;
      for (std::size_t t = 0; t < threads; ++t) {
        const std::size_t begin = t * per, end = std::min(lines.size(), begin + per);
        if (begin >= end) break;
        workers.emplace_back([&, begin, end] { eval_lines(policy, lines, outputs, begin, end, a, today); });
      }
      for (auto& w : workers) w.join();
    }
    out.clear();
    for (const auto& o : outputs) {
      out += o;
      out += '\n';
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
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
  auto facts = gather_facts(*a, error);
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
