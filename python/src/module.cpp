// The extension module `edict._edict`: the C++ half of the Python package `edict` (python/edict is the other).
#include "common.hpp"
#include "edict/version.hpp"

PYBIND11_MODULE(_edict, m) {
  m.doc() = "Edict's Python binding (use the package `edict`, which wraps this module).";
  m.attr("__version__") = edict::version();
  edict_py::init_dates();
  edict_py::bind_inventory(m);
  edict_py::bind_result(m);
  edict_py::bind_policy(m);
  edict_py::bind_compile(m);
  edict_py::bind_frame(m);
}
