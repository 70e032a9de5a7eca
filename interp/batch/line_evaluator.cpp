// One batch line -> one output line (BatchLineEvaluator, edict/batch.hpp): reads the case object, evaluates
// it with the thread's Session and appends the JSON result or an error object.
#include <exception>

#include <fmt/format.h>

#include "api/internals.hpp"
#include "api/plain_json.hpp"
#include "batch/decision_json.hpp"
#include "edict/batch.hpp"
#include "edict/fact_frame.hpp"
#include "edict/render.hpp"
#include "core/case_line.hpp"
#include "core/json_writer.hpp"

namespace edict {

constexpr const char* kNotAnObject = "a line must be a JSON object {\"id\", \"facts\", \"as_of\", \"rules_as_of\"}";

struct BatchLineEvaluator::State {
  State(const Policy& p, const BatchOptions& o) : session(p), options(o), limits(p.limits()), frame(p) {}
  Session session;
  BatchOptions options;
  Limits limits;  // the policy's (facts limits applied to each line)
  core::CaseLine line;
  batch::DecisionJsonScratch scratch;
  // A plain line is read straight into `frame` (api/plain_json.hpp); any other through `line.facts`.
  FactFrame frame;
  bool plain = false;

  bool read_case(std::string_view text, EvalOptions& eval);
  void open_error(std::string& out) const;
  void append_error(std::string& out, std::string_view message) const;
  bool append_result(std::string& out, const EvalOptions& eval);
};

// Reads the case into `line` and `eval`; false (and line.problem set) when it cannot be evaluated.
bool BatchLineEvaluator::State::read_case(std::string_view text, EvalOptions& eval) {
  plain = api::read_plain_case(detail::Internals::state(frame), text, line);
  if (!plain && !line.read(text, limits)) {
    // The reader's message for a non-object speaks of facts; here the whole line is the case.
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] != '{') line.problem = kNotAnObject;
    return false;
  }
  eval.as_of = line.as_of ? line.as_of : options.as_of;
  eval.rules_as_of = line.rules_as_of ? line.rules_as_of : options.rules_as_of;
  eval.trace = options.trace;
  return true;
}

// `{"id":…,"error":{"messages":` (without "id" when the case has none).
void BatchLineEvaluator::State::open_error(std::string& out) const {
  out += '{';
  if (!line.id_json.empty()) {
    out += "\"id\":";
    out += line.id_json;
    out += ',';
  }
  out += "\"error\":{\"messages\":";
}

void BatchLineEvaluator::State::append_error(std::string& out, std::string_view message) const {
  open_error(out);
  out += '[';
  core::append_json_string(out, message);
  out += "]}}";
}

// The result of a case that was read: the lean path without trace (same bytes as render_json), else the full
// result. False when the facts do not fit the schema.
bool BatchLineEvaluator::State::append_result(std::string& out, const EvalOptions& eval) {
  if (eval.trace) {
    const EvalResult result = plain ? session.evaluate(frame, eval) : session.evaluate(line.facts, eval);
    out += render_json(result, line.id_json);
    return result.ok;
  }
  const Decision& decision = plain ? session.decide(frame, eval) : session.decide(line.facts, eval);
  if (!decision.ok) {
    open_error(out);
    core::append_json_strings(out, *decision.errors);
    out += "},\"warnings\":";
    core::append_json_strings(out, *decision.warnings);
    out += '}';
    return false;
  }
  batch::append_decision_json(out, session, decision, eval, line.id_json, scratch);
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
    } else if (core::CaseLine::is_blank(line)) {
      out += "{\"error\":{\"messages\":[\"empty line\"]}}";
    } else if (!s.read_case(line, eval)) {
      s.append_error(out, s.line.problem);
    } else {
      ok = s.append_result(out, eval);
    }
  } catch (const std::exception& e) {  // std::bad_alloc and the like: this line fails, the batch goes on
    out.resize(start);
    s.line.id_json.clear();
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
