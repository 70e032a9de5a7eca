// The compiled policy as the Python object `edict._edict.Policy`: evaluate one case, introspect.
#include <chrono>
#include <string>
#include <utility>

#include <pybind11/stl.h>

#include "common.hpp"
#include "edict/render.hpp"

namespace edict_py {

namespace {

edict::EvalOptions eval_options(const PolicyHandle& h, const py::handle& as_of, const py::handle& rules_as_of,
                                bool trace) {
  edict::EvalOptions options;
  options.as_of = require_date(as_of, "as_of");
  options.rules_as_of = rules_as_of.is_none() ? h.rules_as_of : optional_date(rules_as_of, "rules_as_of");
  options.trace = trace;
  return options;
}

// Uses the policy's session when it is free (the common case: one Python thread at a time), else a
// one-shot evaluation; the GIL is released meanwhile, so other Python threads run.
edict::EvalResult evaluate_facts(PolicyHandle& h, const edict::Facts& facts, const edict::EvalOptions& options) {
  py::gil_scoped_release release;
  std::unique_lock lock(h.session_mutex, std::try_to_lock);
  if (!lock.owns_lock()) return h.policy->evaluate(facts, options);
  if (!h.session) h.session = std::make_unique<edict::Session>(*h.policy);
  return h.session->evaluate(facts, options);
}

edict::EvalResult evaluate(PolicyHandle& h, const py::handle& facts, const py::handle& as_of,
                           const py::handle& rules_as_of, bool trace, bool allow_float) {
  const auto options = eval_options(h, as_of, rules_as_of, trace);
  edict::Facts bound;
  facts_from_dict(h, facts, allow_float, bound);
  return evaluate_facts(h, bound, options);
}

// For python/bench: the seconds per call of the C++ calls alone (facts already built), so that the Python
// per-call overhead can be measured against them on the same machine.
py::dict bench_cpp(PolicyHandle& h, const py::handle& facts, const py::handle& as_of, int calls) {
  const auto options = eval_options(h, as_of, py::none(), false);
  edict::Facts bound;
  facts_from_dict(h, facts, false, bound);
  py::dict out;
  py::gil_scoped_release release;
  const auto time = [&](auto&& call) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) call();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / calls;
  };
  edict::Session session(*h.policy);
  const double one_shot = time([&] { (void)h.policy->evaluate(bound, options); });
  const double session_evaluate = time([&] { (void)session.evaluate(bound, options); });
  const double decide = time([&] { (void)session.decide(bound, options); });
  py::gil_scoped_acquire acquire;
  out["policy_evaluate"] = one_shot;
  out["session_evaluate"] = session_evaluate;
  out["session_decide"] = decide;
  return out;
}

}  // namespace

std::shared_ptr<PolicyHandle> make_handle(std::shared_ptr<const edict::Policy> policy) {
  auto handle = std::make_shared<PolicyHandle>();
  for (const auto& fact : policy->inventory().facts) {
    const bool number = fact.type == "decimal" || fact.type == "integer";
    handle->fact_kinds.emplace(fact.path, number ? FactKind::kNumber : FactKind::kOther);
    for (auto dot = fact.path.find('.'); dot != std::string::npos; dot = fact.path.find('.', dot + 1)) {
      handle->fact_groups.insert(fact.path.substr(0, dot));
    }
  }
  handle->policy = std::move(policy);
  return handle;
}

void bind_policy(py::module_& m) {
  py::class_<PolicyHandle, std::shared_ptr<PolicyHandle>>(m, "Policy", "A compiled policy (see edict.Policy).")
      .def("evaluate", &evaluate, py::arg("facts"), py::arg("as_of"), py::arg("rules_as_of") = py::none(),
           py::arg("trace") = false, py::arg("allow_float") = false)
      .def("inventory", [](const PolicyHandle& h) { return h.policy->inventory(); })
      .def_property_readonly("digest", [](const PolicyHandle& h) { return h.policy->digest(); })
      .def_property_readonly("rules_as_of", [](const PolicyHandle& h) {
        return h.rules_as_of ? date_to_python(*h.rules_as_of) : py::none();
      })
      .def_readonly("paths", &PolicyHandle::paths)
      .def("_bench_cpp", &bench_cpp, py::arg("facts"), py::arg("as_of"), py::arg("calls") = 100000);
}

}  // namespace edict_py
