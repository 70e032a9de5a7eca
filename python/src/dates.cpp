// datetime.date <-> edict::Date. The CPython datetime API is a per-file static (PyDateTime_IMPORT), so every
// use of it is in this file.
#include "common.hpp"  // first: Python.h before datetime.h

#include <datetime.h>

#include <string>

namespace edict_py {

void init_dates() {
  PyDateTime_IMPORT;
  if (PyDateTimeAPI == nullptr) throw py::error_already_set();
}

bool is_date_like(PyObject* value) { return PyDate_Check(value); }

namespace {

std::string quoted_repr(PyObject* value) {
  return py::repr(py::handle(value)).cast<std::string>();
}

std::optional<edict::Date> from_datetime(PyObject* value, std::string_view what, std::string* error) {
  // A datetime names an instant; only a plain midnight is taken as its date, so that no time of day or time
  // zone is dropped silently.
  const bool has_tz = reinterpret_cast<PyDateTime_DateTime*>(value)->hastzinfo &&
                      PyDateTime_DATE_GET_TZINFO(value) != Py_None;
  const bool midnight = PyDateTime_DATE_GET_HOUR(value) == 0 && PyDateTime_DATE_GET_MINUTE(value) == 0 &&
                        PyDateTime_DATE_GET_SECOND(value) == 0 && PyDateTime_DATE_GET_MICROSECOND(value) == 0;
  if (has_tz || !midnight) {
    *error = std::string("`") + std::string(what) + "`: " + quoted_repr(value) +
             " has a time of day or a time zone; pass a datetime.date (or \"YYYY-MM-DD\")";
    return std::nullopt;
  }
  return edict::Date::from_ymd(PyDateTime_GET_YEAR(value), PyDateTime_GET_MONTH(value), PyDateTime_GET_DAY(value));
}

}  // namespace

std::optional<edict::Date> date_from_python(PyObject* value, std::string_view what, std::string* error) {
  if (std::string_view(Py_TYPE(value)->tp_name) == "NaTType") {  // pandas.NaT is a datetime without a date
    *error = std::string("`") + std::string(what) + "`: NaT is not a date";
    return std::nullopt;
  }
  if (PyDateTime_Check(value)) return from_datetime(value, what, error);
  if (PyDate_Check(value)) {
    auto date = edict::Date::from_ymd(PyDateTime_GET_YEAR(value), PyDateTime_GET_MONTH(value),
                                      PyDateTime_GET_DAY(value));
    if (!date) *error = std::string("`") + std::string(what) + "`: " + quoted_repr(value) + " is out of range";
    return date;
  }
  if (PyUnicode_Check(value)) {
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(value, &size);
    if (text == nullptr) throw py::error_already_set();
    auto date = edict::Date::parse(std::string_view(text, static_cast<std::size_t>(size)));
    if (!date) {
      *error = std::string("`") + std::string(what) + "`: " + quoted_repr(value) +
               " is not a date (expected an existing calendar date YYYY-MM-DD)";
    }
    return date;
  }
  *error = std::string("`") + std::string(what) + "`: expected a datetime.date or \"YYYY-MM-DD\", got " +
           std::string(Py_TYPE(value)->tp_name);
  return std::nullopt;
}

py::object date_to_python(edict::Date date) {
  if (date == edict::Date::min() || date == edict::Date::max()) return py::none();
  const std::string iso = date.to_string();  // "YYYY-MM-DD"
  const int year = std::stoi(iso.substr(0, 4)), month = std::stoi(iso.substr(5, 2)), day = std::stoi(iso.substr(8, 2));
  PyObject* result = PyDate_FromDate(year, month, day);
  if (result == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(result);
}

edict::Date require_date(const py::handle& value, std::string_view what) {
  if (value.is_none()) {
    throw py::type_error(std::string("`") + std::string(what) +
                         "` is required: the date of the transaction (a datetime.date or \"YYYY-MM-DD\"); "
                         "there is no default date");
  }
  std::string error;
  auto date = date_from_python(value.ptr(), what, &error);
  if (!date) {
    if (PyUnicode_Check(value.ptr()) || PyDate_Check(value.ptr())) throw py::value_error(error);
    throw py::type_error(error);
  }
  return *date;
}

std::optional<edict::Date> optional_date(const py::handle& value, std::string_view what) {
  if (value.is_none()) return std::nullopt;
  return require_date(value, what);
}

}  // namespace edict_py
