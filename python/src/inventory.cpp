// The introspection API: what a policy declares (facts, outcomes, rules, groups, parameters, tiers) as
// Python objects with read-only attributes. Open date ends are None.
#include <string>

#include <pybind11/stl.h>

#include "common.hpp"
#include "edict/inventory.hpp"

namespace edict_py {

namespace {

template <typename T>
auto date_field(edict::Date T::*field) {
  return [field](const T& info) { return date_to_python(info.*field); };
}

void bind_fact_info(py::module_& m) {
  using F = edict::FactInfo;
  py::class_<F>(m, "FactInfo", "A declared fact: its dotted path, type and description.")
      .def_readonly("path", &F::path)
      .def_readonly("type", &F::type, "\"bool\", \"decimal\", \"integer\", \"string\", \"date\", or an enumeration")
      .def_readonly("description", &F::description)
      .def_readonly("optional", &F::optional)
      .def_property_readonly("default", [](const F& f) {
        return f.default_value.empty() ? py::none() : py::object(py::str(f.default_value));
      }, "the default as written (a literal or another fact's path), or None")
      .def_readonly("default_is_fact", &F::default_is_fact)
      .def_readonly("allowed_values", &F::allowed_values)
      .def("__repr__", [](const F& f) { return "<FactInfo " + f.path + " : " + f.type + ">"; });
}

void bind_rule_info(py::module_& m) {
  using V = edict::VersionInfo;
  py::class_<V>(m, "RuleVersion", "One version of a rule: its effective window and rulebook window.")
      .def_property_readonly("effective_from", date_field(&V::from))
      .def_property_readonly("effective_until", date_field(&V::until), "exclusive; None when open")
      .def_property_readonly("known_from", date_field(&V::known_from))
      .def_property_readonly("known_until", date_field(&V::known_until))
      .def_readonly("title", &V::title)
      .def_readonly("citation", &V::citation)
      .def_readonly("defined_by", &V::defined_by)
      .def_readonly("decides", &V::decides)
      .def_readonly("classifies", &V::classifies)
      .def_readonly("reason", &V::reason)
      .def_readonly("overrides", &V::overrides);
  using R = edict::RuleInfo;
  py::class_<R>(m, "RuleInfo", "A rule or exemption with every version of it.")
      .def_readonly("name", &R::name)
      .def_readonly("exemption", &R::exemption)
      .def_readonly("versions", &R::versions)
      .def_readonly("file", &R::file)
      .def_readonly("line", &R::line)
      .def("__repr__", [](const R& r) { return std::string(r.exemption ? "<Exemption " : "<Rule ") + r.name + ">"; });
}

void bind_other_info(py::module_& m) {
  using G = edict::GroupInfo;
  py::class_<G>(m, "GroupInfo")
      .def_readonly("name", &G::name)
      .def_readonly("element_type", &G::element_type)
      .def_readonly("derived", &G::derived)
      .def("__repr__", [](const G& g) { return "<GroupInfo " + g.name + ">"; });
  using S = edict::ParameterStepInfo;
  py::class_<S>(m, "ParameterStep")
      .def_property_readonly("effective_from", date_field(&S::from))
      .def_property_readonly("known_from", date_field(&S::known_from))
      .def_property_readonly("known_until", date_field(&S::known_until))
      .def_readonly("value", &S::value, "the value as written, or None for `none`");
  using P = edict::ParameterInfo;
  py::class_<P>(m, "ParameterInfo")
      .def_readonly("name", &P::name)
      .def_readonly("type", &P::type)
      .def_readonly("steps", &P::steps)
      .def("__repr__", [](const P& p) { return "<ParameterInfo " + p.name + ">"; });
  using T = edict::TierInfo;
  py::class_<T>(m, "TierInfo")
      .def_readonly("name", &T::name)
      .def_readonly("labels", &T::labels)
      .def("__repr__", [](const T& t) { return "<TierInfo " + t.name + ">"; });
}

}  // namespace

void bind_inventory(py::module_& m) {
  bind_fact_info(m);
  bind_rule_info(m);
  bind_other_info(m);
  using I = edict::PolicyInventory;
  py::class_<I>(m, "Inventory", "What a policy declares (Policy.inventory()).")
      .def_readonly("title", &I::title)
      .def_readonly("outcomes", &I::outcomes, "most severe first")
      .def_readonly("default_outcome", &I::default_outcome)
      .def_readonly("classifications", &I::classifications)
      .def_readonly("facts", &I::facts, "in declaration order")
      .def_readonly("definitions", &I::definitions)
      .def_readonly("groups", &I::groups)
      .def_readonly("parameters", &I::parameters)
      .def_readonly("tiers", &I::tiers)
      .def_readonly("rules", &I::rules, "rules and exemptions, in declaration order")
      .def("to_json", [](const I& i) { return edict::inventory_json(i); }, "as `edict check --format json`");
}

}  // namespace edict_py
