// The result of one evaluation as the Python object `edict.Result`: fields read from the EvalResult, and
// to_dict() equal to the CLI's `edict eval --format json` (it is made by the same renderer).
#include <string>

#include <pybind11/stl.h>

#include "common.hpp"
#include "edict/render.hpp"
#include "edict/result.hpp"

namespace edict_py {

namespace {

py::object json_loads(const std::string& text) {
  // Kept for the life of the process (a static py::object would be released after the interpreter is gone).
  static PyObject* loads = py::object(py::module_::import("json").attr("loads")).release().ptr();
  return py::reinterpret_borrow<py::object>(loads)(text);
}

py::object decision_of(const edict::EvalResult& r) {
  if (!r.ok) return py::none();  // no decision was made: see .errors
  return py::str(r.decision);
}

py::list conflicts_of(const edict::EvalResult& r) {
  py::list out;
  for (const auto& c : r.conflicts) {
    py::dict conflict;
    conflict["rule"] = c.rule;
    conflict["exemptions"] = c.exemptions;
    out.append(conflict);
  }
  return out;
}

py::object trace_of(const edict::EvalResult& r) {
  if (!r.trace) return py::none();
  return json_loads(edict::render_json(r))["trace"];
}

// An output's value as Python holds it exactly: decimal.Decimal (fractions.Fraction when it has no finite
// decimal form), datetime.date, bool, or str (strings and codes); None when it is not set (see value_states).
py::object python_value(const edict::OutputValue& v) {
  if (v.state != edict::OutputValue::State::kSet) return py::none();
  if (v.type == "decimal" || v.type == "integer") {
    const bool fraction = v.value.find('/') != std::string::npos;
    static PyObject* decimal = py::object(py::module_::import("decimal").attr("Decimal")).release().ptr();
    static PyObject* fraction_type = py::object(py::module_::import("fractions").attr("Fraction")).release().ptr();
    return py::reinterpret_borrow<py::object>(fraction ? fraction_type : decimal)(v.value);
  }
  if (v.type == "date") {
    const auto date = edict::Date::parse(v.value);
    return date ? date_to_python(*date) : py::str(v.value);
  }
  if (v.type == "bool") return py::bool_(v.value == "true");
  return py::str(v.value);
}

py::dict values_of(const edict::EvalResult& r) {
  py::dict out;
  for (const auto& v : r.values) out[py::str(v.name)] = python_value(v);
  return out;
}

py::dict value_states_of(const edict::EvalResult& r) {
  static const char* const kStates[] = {"set", "unset", "indeterminate", "conflict"};
  py::dict out;
  for (const auto& v : r.values) out[py::str(v.name)] = kStates[static_cast<int>(v.state)];
  return out;
}

py::list obligations_of(const edict::EvalResult& r) {
  py::list out;
  for (const auto& o : r.obligations) {
    py::dict item;
    item["name"] = o.name;
    const auto due = edict::Date::parse(o.due);
    item["due"] = due ? date_to_python(*due) : (o.due.empty() ? py::object(py::none()) : py::object(py::str(o.due)));
    item["citation"] = o.citation;
    item["by"] = o.by;
    item["possible"] = o.possible;
    out.append(item);
  }
  return out;
}

std::string repr_of(const edict::EvalResult& r) {
  if (!r.ok) return "<Result error: " + (r.errors.empty() ? std::string() : r.errors.front()) + ">";
  std::string text = "<Result " + r.decision;
  for (const auto& rule : r.deciding_rules) text += (&rule == &r.deciding_rules.front() ? " by " : ", ") + rule;
  return text + " as of " + r.as_of.to_string() + ">";
}

}  // namespace

void bind_result(py::module_& m) {
  using R = edict::EvalResult;
  py::class_<R>(m, "Result", "The result of Policy.evaluate: the decision, why, and (with trace=True) how.")
      .def_readonly("ok", &R::ok, "False: the facts did not fit the schema or a limit was exceeded (see errors)")
      .def_readonly("limit_exceeded", &R::limit_exceeded)
      .def_readonly("errors", &R::errors)
      .def_readonly("warnings", &R::warnings, "e.g. unknown facts that were ignored")
      .def_property_readonly("decision", &decision_of, "an outcome name, or \"indeterminate\"; None when not ok")
      .def_readonly("classifications", &R::classifications)
      .def_readonly("deciding_rules", &R::deciding_rules)
      .def_readonly("exemptions", &R::exemptions)
      .def_readonly("reasons", &R::reasons)
      .def_readonly("citations", &R::citations)
      .def_readonly("indeterminate_facts", &R::indeterminate_facts)
      .def_readonly("indeterminate_rules", &R::indeterminate_rules)
      .def_property_readonly("conflicts", &conflicts_of)
      .def_property_readonly("values", &values_of,
                             "the outputs' values by name (decimal.Decimal, datetime.date, bool, str; None when not set)")
      .def_property_readonly("value_states", &value_states_of,
                             "each output's state: \"set\", \"unset\", \"indeterminate\" or \"conflict\"")
      .def_property_readonly("obligations", &obligations_of,
                             "the obligations as dicts: name, due (datetime.date, None, or \"indeterminate\"), "
                             "citation, by, possible (its rule was indeterminate)")
      .def_property_readonly("as_of", [](const R& r) { return date_to_python(r.as_of); })
      .def_property_readonly("rules_as_of", [](const R& r) {
        return r.rules_as_of ? date_to_python(*r.rules_as_of) : py::none();
      }, "None: the latest rulebook")
      .def_readonly("policy_digest", &R::policy_digest)
      .def_property_readonly("trace", &trace_of, "the trace steps as dicts (as in to_dict()), or None")
      .def("to_json", [](const R& r) { return edict::render_json(r); }, "the CLI's JSON text")
      .def("to_dict", [](const R& r) { return json_loads(edict::render_json(r)); },
           "the CLI's JSON (`edict eval --format json`) as a dict")
      .def("explain", [](const R& r) { return edict::render_text(r); }, "the CLI's text, with the trace if any")
      .def("__str__", [](const R& r) { return edict::render_text(r); })
      .def("__repr__", &repr_of);
}

}  // namespace edict_py
