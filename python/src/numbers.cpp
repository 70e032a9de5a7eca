// Exact decimal text from Python numbers. Edict computes with exact decimals: a decimal.Decimal gives its
// exact text, and a float is refused unless the caller opts in to its shortest round-trip text.
#include <charconv>
#include <cmath>
#include <string>

#include "common.hpp"

namespace edict_py {

namespace {

PyObject* decimal_type() {
  // Held for the life of the process: a static py::object would be released after the interpreter is gone.
  static PyObject* type = py::object(py::module_::import("decimal").attr("Decimal")).release().ptr();
  return type;
}

std::string shortest_text(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round trip
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

}  // namespace

bool is_decimal(PyObject* value) {
  const int check = PyObject_IsInstance(value, decimal_type());
  if (check < 0) throw py::error_already_set();
  return check == 1;
}

NumberText decimal_text(PyObject* value, std::string_view path) {
  NumberText out;
  const py::handle decimal(value);
  if (!decimal.attr("is_finite")().cast<bool>()) {
    out.error = "`" + std::string(path) + "`: " + py::repr(decimal).cast<std::string>() +
                " is not a finite number";
    return out;
  }
  out.text = py::str(decimal).cast<std::string>();  // exact: "2054.24", "1E+3", "-0"
  out.ok = true;
  return out;
}

std::string float_refusal(double value, std::string_view path) {
  return "`" + std::string(path) + "`: the float " + shortest_text(value) +
         " is refused: Edict computes with exact decimals and a binary float is not exactly the decimal it prints "
         "as; pass an int, a decimal.Decimal or a decimal string (\"" + shortest_text(value) +
         "\"), or allow_float=True to use the float's shortest repr";
}

NumberText float_text(double value, std::string_view path, bool allow_float) {
  NumberText out;
  if (!allow_float) {
    out.error = float_refusal(value, path);
  } else if (!std::isfinite(value)) {
    out.error = "`" + std::string(path) + "`: the float " + shortest_text(value) + " is not a finite number";
  } else {
    out.text = shortest_text(value);
    out.ok = true;
  }
  return out;
}

}  // namespace edict_py
