// One batch line -> one output line (BatchLineEvaluator, edict/batch.hpp): reads the case object, evaluates
// it with the thread's Session and appends the JSON result or an error object.
#include <exception>

#include <fmt/format.h>

#include "batch/decision_json.hpp"
#include "edict/batch.hpp"
#include "edict/render.hpp"
#include "core/json_writer.hpp"

namespace edict {

namespace {

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

constexpr const char* kNotAnObject = "a line must be a JSON object {\"id\", \"facts\", \"as_of\", \"rules_as_of\"}";

bool is_date_field(std::string_view path) { return path == "as_of" || path == "rules_as_of"; }

}  // namespace

struct BatchLineEvaluator::State {
  State(const Policy& p, const BatchOptions& o) : session(p), options(o), limits(p.limits()) {}
  Session session;
  BatchOptions options;
  Limits limits;  // the policy's (facts limits applied to each line)
  Facts line;   // the whole case object
  Facts facts;  // its "facts" member
  std::string id_json;  // the case's "id" as JSON ("" when absent)
  std::string problem;  // why the case cannot be evaluated ("" when it can)
  std::string object_field;  // the last object-valued field of the case read (its members are skipped)
  batch::DecisionJsonScratch scratch;

  bool read_case(std::string_view text, EvalOptions& eval);
  void read_field(const FactEntry& entry, EvalOptions& eval);
  void append_error(std::string& out, std::string_view message) const;
  bool append_result(std::string& out, const EvalOptions& eval);
};

// Reads the case object into `facts`, `id_json` and `eval`; false (and `problem` set) when it cannot be
// evaluated. The id is kept even then, so that the error object names it.
bool BatchLineEvaluator::State::read_case(std::string_view text, EvalOptions& eval) {
  id_json.clear();
  problem.clear();
  object_field.clear();
  // The policy's facts limits apply to the whole line (its depth counts the case object around the facts).
  if (!line.assign_json(text, &problem, "line", limits)) {
    // The reader's message for a non-object speaks of facts; here the whole line is the case.
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] != '{') problem = kNotAnObject;
    return false;
  }
  eval.as_of = options.as_of;
  eval.rules_as_of = options.rules_as_of;
  eval.trace = options.trace;
  for (const auto& entry : line.entries()) read_field(entry, eval);
  if (!problem.empty()) return false;
  facts.assign_subtree(line, "facts");
  return true;
}

// One entry of the case object, in document order. Entries under "facts." are taken by assign_subtree; the
// members of another object field are skipped (the field itself is reported). When there are several
// problems, the last one is reported.
void BatchLineEvaluator::State::read_field(const FactEntry& entry, EvalOptions& eval) {
  const auto& path = entry.path;
  const auto kind = entry.value.kind;
  using Kind = FactValue::Kind;
  if (path.starts_with("facts.")) return;
  if (!object_field.empty() && path.size() > object_field.size() && path[object_field.size()] == '.' &&
      path.starts_with(object_field)) {
    return;
  }
  if (kind == Kind::kObject) object_field = path;
  if (path == "id") {
    if (kind == Kind::kString) {
      core::append_json_string(id_json, entry.value.text);
    } else if (kind == Kind::kNumber) {
      id_json = entry.value.text;
    } else {
      problem = "`id` must be a string or a number";
    }
  } else if (path == "facts") {
    if (kind != Kind::kObject) problem = "`facts` must be a JSON object";
  } else if (is_date_field(path)) {
    const auto date = Date::parse(entry.value.text);
    if (kind != Kind::kString || !date) {
      problem = fmt::format("`{}` must be a date string YYYY-MM-DD", path);
    } else if (path == "as_of") {
      eval.as_of = *date;
    } else {
      eval.rules_as_of = date;
    }
  } else {
    problem = fmt::format("unknown field `{}` (expected id, facts, as_of, rules_as_of)", path);
  }
}

void BatchLineEvaluator::State::append_error(std::string& out, std::string_view message) const {
  out += '{';
  if (!id_json.empty()) {
    out += "\"id\":";
    out += id_json;
    out += ',';
  }
  out += "\"error\":{\"messages\":[";
  core::append_json_string(out, message);
  out += "]}}";
}

// The result of a case that was read: the lean path without trace (same bytes as render_json), else the full
// result. False when the facts do not fit the schema.
bool BatchLineEvaluator::State::append_result(std::string& out, const EvalOptions& eval) {
  if (eval.trace) {
    const EvalResult result = session.evaluate(facts, eval);
    out += render_json(result, id_json);
    return result.ok;
  }
  const Decision& decision = session.decide(facts, eval);
  if (!decision.ok) {
    out += '{';
    if (!id_json.empty()) {
      out += "\"id\":";
      out += id_json;
      out += ',';
    }
    out += "\"error\":{\"messages\":";
    core::append_json_strings(out, *decision.errors);
    out += "},\"warnings\":";
    core::append_json_strings(out, *decision.warnings);
    out += '}';
    return false;
  }
  batch::append_decision_json(out, session, decision, eval, id_json, scratch);
  return true;
}

BatchLineEvaluator::BatchLineEvaluator(const Policy& policy, const BatchOptions& options)
    : state_(std::make_unique<State>(policy, options)) {}
BatchLineEvaluator::~BatchLineEvaluator() = default;

bool BatchLineEvaluator::append_line(std::string_view line, std::string& out) {
  auto& s = *state_;
  const std::size_t start = out.size();
  bool ok = false;
  try {
    EvalOptions eval;
    if (line.size() > s.options.max_line_bytes) {
      append_too_long(out);
    } else if (is_blank(line)) {
      out += "{\"error\":{\"messages\":[\"empty line\"]}}";
    } else if (!s.read_case(line, eval)) {
      s.append_error(out, s.problem);
    } else {
      ok = s.append_result(out, eval);
    }
  } catch (const std::exception& e) {  // std::bad_alloc and the like: this line fails, the batch goes on
    out.resize(start);
    s.id_json.clear();
    s.append_error(out, fmt::format("cannot evaluate this line: {}", e.what()));
    ok = false;
  }
  out += '\n';
  return ok;
}

void BatchLineEvaluator::append_too_long(std::string& out) const {
  out += fmt::format("{{\"error\":{{\"messages\":[\"line longer than {} bytes (the batch limit); skipped\"]}}}}",
                     state_->options.max_line_bytes);
}

std::string BatchLineEvaluator::evaluate_line(std::string_view line) {
  std::string out;
  append_line(line, out);
  out.pop_back();
  return out;
}

}  // namespace edict
