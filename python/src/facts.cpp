// Python values -> fact values: nested dicts become dotted paths, numbers stay exact decimals, a float is
// refused unless the caller opts in, and the fact's declared type decides whether a str is number text.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "common.hpp"

namespace edict_py {

namespace {

std::vector<PyObject*> missing_sentinels;  // pandas.NA, pandas.NaT (strong references, kept for the process)

bool is_missing_sentinel(PyObject* value) {
  for (PyObject* sentinel : missing_sentinels) {
    if (value == sentinel) return true;
  }
  return false;
}

bool is_numpy_bool(PyObject* value) { return std::string_view(Py_TYPE(value)->tp_name) == "numpy.bool_"; }

std::string_view utf8(PyObject* text) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text, &size);  // cached in the str object: lives as long as it
  if (data == nullptr) throw py::error_already_set();
  return {data, static_cast<std::size_t>(size)};
}

void fail(Cell& out, Cell::Kind why, std::string message) {
  out.kind = why;
  out.text = std::move(message);
}

void read_number_text(const NumberText& number, bool type_error, Cell& out) {
  if (!number.ok) return fail(out, type_error ? Cell::Kind::kTypeError : Cell::Kind::kValueError, number.error);
  out.kind = Cell::Kind::kText;
  out.number = true;
  out.text = number.text;
}

// An int of any size: long long when it fits, else its decimal text (exact either way).
void read_int(PyObject* value, Cell& out) {
  int overflow = 0;
  const long long small = PyLong_AsLongLongAndOverflow(value, &overflow);
  if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow == 0) {
    out.kind = Cell::Kind::kInteger;
    out.integer = small;
  } else {
    out.kind = Cell::Kind::kText;
    out.number = true;
    out.text = py::str(py::handle(value)).cast<std::string>();
  }
}

void read_float(std::string_view path, double value, bool allow_float, Cell& out) {
  read_number_text(float_text(value, path, allow_float), !allow_float, out);
}

void read_date(std::string_view path, PyObject* value, Cell& out) {
  std::string error;
  const auto date = date_from_python(value, path, &error);
  if (!date) return fail(out, Cell::Kind::kValueError, std::move(error));
  out.kind = Cell::Kind::kDate;
  out.integer = date->days();
}

bool is_frame_missing(PyObject* value) {
  return value == Py_None || (PyFloat_Check(value) && std::isnan(PyFloat_AS_DOUBLE(value))) ||
         is_missing_sentinel(value);
}

}  // namespace

void set_missing_sentinels(std::vector<py::object> sentinels) {
  for (auto& s : sentinels) missing_sentinels.push_back(s.release().ptr());
}

void read_cell(const PolicyHandle& policy, std::string_view path, PyObject* value, bool allow_float, bool in_frame,
               Cell& out) {
  out = Cell{};
  if (in_frame && is_frame_missing(value)) return;  // kAbsent
  if (value == Py_None) {
    out.kind = Cell::Kind::kNull;
  } else if (PyBool_Check(value) || is_numpy_bool(value)) {  // before int: bool is an int
    out.kind = Cell::Kind::kBool;
    out.boolean = PyObject_IsTrue(value) == 1;
  } else if (PyLong_Check(value)) {
    read_int(value, out);
  } else if (PyUnicode_Check(value)) {
    // The schema decides: number text for a decimal or integer fact, a string for the others.
    out.kind = Cell::Kind::kText;
    out.number = policy.kind_of(path) == FactKind::kNumber;
    out.view = utf8(value);
    if (out.view.empty()) out.text.clear();  // an empty str: `view` empty and `text` empty alike
  } else if (PyFloat_Check(value)) {
    read_float(path, PyFloat_AS_DOUBLE(value), allow_float, out);
  } else if (is_decimal(value)) {
    read_number_text(decimal_text(value, path), false, out);
  } else if (is_date_like(value) && !is_missing_sentinel(value)) {
    read_date(path, value, out);
  } else if (PyIndex_Check(value)) {  // numpy integers
    const auto as_int = py::reinterpret_steal<py::object>(PyNumber_Index(value));
    if (!as_int) throw py::error_already_set();
    read_int(as_int.ptr(), out);
  } else {
    fail(out, Cell::Kind::kTypeError,
         "`" + std::string(path) + "`: a " + Py_TYPE(value)->tp_name +
             " cannot be a fact value (expected bool, int, decimal.Decimal, str, datetime.date or None)");
  }
}

void apply_cell(const Cell& cell, std::string_view path, edict::Facts& out) {
  using Kind = edict::FactValue::Kind;
  switch (cell.kind) {
    case Cell::Kind::kAbsent: return;
    case Cell::Kind::kNull: return out.assign(path, Kind::kNull, {});
    case Cell::Kind::kBool: return out.assign(path, Kind::kBool, {}, cell.boolean);
    case Cell::Kind::kInteger: {
      char digits[24];
      const auto end = std::to_chars(digits, digits + sizeof digits, cell.integer).ptr;
      return out.assign(path, Kind::kNumber, std::string_view(digits, end - digits));
    }
    case Cell::Kind::kDate:
      return out.assign(path, Kind::kString,
                        edict::Date::from_days(static_cast<std::int32_t>(cell.integer)).to_string());
    case Cell::Kind::kText: {
      const std::string_view text = cell.view.empty() ? std::string_view(cell.text) : cell.view;
      return out.assign(path, cell.number ? Kind::kNumber : Kind::kString, text);
    }
    case Cell::Kind::kTypeError:
    case Cell::Kind::kValueError: return;  // the caller reports it
  }
}

void apply_cell(const Cell& cell, edict::FactRef fact, edict::FactFrame& out) {
  switch (cell.kind) {
    case Cell::Kind::kAbsent:
    case Cell::Kind::kNull: return;  // a frame's None is an empty cell (read_cell with in_frame): never null
    case Cell::Kind::kBool: out.set_bool(fact, cell.boolean); return;
    case Cell::Kind::kInteger: out.set_integer(fact, cell.integer); return;
    case Cell::Kind::kDate: out.set_date(fact, edict::Date::from_days(static_cast<std::int32_t>(cell.integer))); return;
    case Cell::Kind::kText: {
      const std::string_view text = cell.view.empty() ? std::string_view(cell.text) : cell.view;
      if (cell.number) {
        out.set_decimal(fact, text);
      } else {
        out.set_string(fact, text);
      }
      return;
    }
    case Cell::Kind::kTypeError:
    case Cell::Kind::kValueError: return;  // the caller reports it
  }
}

namespace {

void add_mapping(const PolicyHandle& policy, PyObject* dict, const std::string& prefix, bool allow_float,
                 edict::Facts& out, Cell& cell) {
  PyObject* key = nullptr;
  PyObject* value = nullptr;
  Py_ssize_t position = 0;
  while (PyDict_Next(dict, &position, &key, &value)) {
    if (!PyUnicode_Check(key)) {
      throw py::type_error("fact names must be str, got " + py::repr(py::handle(key)).cast<std::string>());
    }
    std::string path = prefix.empty() ? std::string(utf8(key)) : prefix + "." + std::string(utf8(key));
    if (out.find(path) != nullptr) {
      // As Facts::from_json does for {"a.b": 1, "a": {"b": 2}}: two values for one fact are a mistake.
      throw py::value_error("duplicate fact `" + path + "` (given both as a dotted key and nested)");
    }
    if (PyDict_Check(value)) {
      // The JSON reader marks a nested object with an entry of its own, which the evaluator ignores for a
      // group of facts ("product") and warns about otherwise; only the latter is worth its cost here.
      if (!policy.is_fact_group(path)) out.set(path, edict::FactValue{edict::FactValue::Kind::kObject, false, {}});
      add_mapping(policy, value, path, allow_float, out, cell);
      continue;
    }
    read_cell(policy, path, value, allow_float, false, cell);
    if (cell.kind == Cell::Kind::kTypeError) throw py::type_error(cell.text);
    if (cell.kind == Cell::Kind::kValueError) throw py::value_error(cell.text);
    apply_cell(cell, std::move(path), out);
  }
}

}  // namespace

void facts_from_dict(const PolicyHandle& policy, const py::handle& facts, bool allow_float, edict::Facts& out) {
  Cell cell;
  if (facts.is_none()) return;
  if (PyDict_Check(facts.ptr())) return add_mapping(policy, facts.ptr(), {}, allow_float, out, cell);
  const py::dict copy(py::reinterpret_borrow<py::object>(facts));  // any other mapping
  add_mapping(policy, copy.ptr(), {}, allow_float, out, cell);
}

}  // namespace edict_py
