// Many evaluations at once: a frame's columns (Policy.evaluate_frame) or a list of dicts
// (Policy.evaluate_many). The rows go chunk by chunk: with the GIL held, a chunk's Python values are read into
// cells; without it, N threads (one Session and one prepared FactFrame each, the columns' facts resolved
// once) evaluate contiguous parts of the chunk;
// with it again, the decisions go into the output arrays. Extra memory is one chunk, whatever the row count.
// A row that cannot be evaluated gets its message in the `error` column and the other rows are unaffected.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "common.hpp"

namespace edict_py {

namespace {

constexpr std::size_t kChunkRows = 32768;
constexpr std::uint32_t kNoError = UINT32_MAX;
constexpr std::int64_t kNanosecondsPerDay = 86'400'000'000'000;
constexpr std::int64_t kNaT = INT64_MIN;  // numpy's "not a time"

// ---- the input columns ----

struct Column {
  enum class Kind : std::uint8_t { kInt64, kBool, kFloat64, kDatetime, kObject };
  std::string path;
  edict::FactRef fact;  // the fact at `path` (as_of: none)
  Kind kind = Kind::kObject;
  py::array array;  // keeps `data` alive
  const char* data = nullptr;
  py::ssize_t stride = 0;
  std::vector<Cell> cells;  // kObject: the current chunk's values

  template <typename T>
  T at(std::size_t row) const {
    return *reinterpret_cast<const T*>(data + static_cast<py::ssize_t>(row) * stride);
  }
};

Column::Kind column_kind(const py::array& array, const std::string& name) {
  const auto dtype = array.dtype();
  const char kind = dtype.kind();
  const auto size = dtype.itemsize();
  if (kind == 'i' && size == 8) return Column::Kind::kInt64;
  if (kind == 'b' && size == 1) return Column::Kind::kBool;
  if (kind == 'f' && size == 8) return Column::Kind::kFloat64;
  if (kind == 'M' && dtype.attr("name").cast<std::string>() == "datetime64[ns]") return Column::Kind::kDatetime;
  if (kind == 'O') return Column::Kind::kObject;
  throw py::type_error("column for `" + name + "`: unsupported dtype " + dtype.attr("name").cast<std::string>() +
                       " (expected int64, bool, float64, datetime64[ns] or object)");
}

Column make_column(std::string path, const py::array& array, std::size_t rows) {
  if (array.ndim() != 1 || static_cast<std::size_t>(array.shape(0)) != rows) {
    throw py::value_error("column for `" + path + "` must be one-dimensional with one value per row");
  }
  Column c;
  c.kind = column_kind(array, path);
  c.path = std::move(path);
  c.array = array;
  c.data = static_cast<const char*>(array.data());
  c.stride = array.strides(0);
  return c;
}

// A float column is refused as a whole (a column type, not a row's mistake), unless every value is NaN
// (missing) or the caller opted in.
void check_float_column(const Column& c, std::size_t rows, bool allow_float) {
  if (c.kind != Column::Kind::kFloat64 || allow_float) return;
  for (std::size_t row = 0; row < rows; ++row) {
    const double value = c.at<double>(row);
    if (!std::isnan(value)) {
      throw py::type_error("column for " + float_refusal(value, c.path) +
                           ". A column of whole numbers with missing values is float64 in pandas: "
                           "convert it with .astype(\"Int64\")");
    }
  }
}

// ---- as_of per row: one date, or a column of dates ----

struct AsOf {
  std::optional<edict::Date> constant;
  std::optional<Column> column;  // kDatetime or kObject
};

void read_date_cell(PyObject* value, Cell& out) {
  out = Cell{};
  if (value == Py_None || (PyFloat_Check(value) && std::isnan(PyFloat_AS_DOUBLE(value)))) return;
  std::string error;
  const auto date = date_from_python(value, "as_of", &error);
  if (!date) {
    // pandas.NA and NaT read as "not a date": for as_of they are simply unset.
    const std::string_view type = Py_TYPE(value)->tp_name;
    if (type == "NAType" || type == "NaTType") return;
    out.kind = Cell::Kind::kValueError;
    out.text = std::move(error);
    return;
  }
  out.kind = Cell::Kind::kDate;
  out.integer = date->days();
}

// ---- per-thread state ----

// Gives each distinct list of names (a decision, classifications, deciding rules) a small id, so that a
// frame of a million rows holds a handful of Python objects, each shared by the rows with that value.
class Interner {
 public:
  std::uint32_t id_of(std::span<const std::string_view> names) {
    key_.clear();
    for (const auto name : names) key_.append(std::to_string(name.size())).append(":").append(name);
    const auto it = ids_.find(std::string_view(key_));
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(lists_.size());
    lists_.emplace_back(names.begin(), names.end());
    ids_.emplace(key_, id);
    return id;
  }
  // The Python object of an id (a str when `as_string`, else a tuple of str). Needs the GIL.
  PyObject* object(std::uint32_t id, bool as_string) {
    while (objects_.size() < lists_.size()) {
      const auto& names = lists_[objects_.size()];
      if (as_string) {
        objects_.push_back(py::str(names.empty() ? std::string() : names.front()));
      } else {
        objects_.push_back(py::tuple(py::cast(names)));
      }
    }
    return objects_[id].ptr();
  }

 private:
  std::unordered_map<std::string, std::uint32_t, TextHash, std::equal_to<>> ids_;
  std::vector<std::vector<std::string>> lists_;
  std::vector<py::object> objects_;
  std::string key_;
};

struct RowOut {
  std::uint32_t decision = 0, classifications = 0, deciding_rules = 0;
  std::uint32_t error = kNoError;  // index into the thread's errors
  std::uint32_t thread = 0;
};

struct ThreadState {
  ThreadState(const edict::Policy& policy, std::uint32_t i) : index(i), session(policy), frame(policy) {}
  std::uint32_t index;                // in the list of thread states: RowOut::thread
  edict::Session session;
  edict::FactFrame frame;             // refilled row after row (evaluate_frame)
  Interner decisions, classifications, deciding_rules;
  std::vector<std::string> errors;    // this chunk's row errors
  std::string scratch;
  std::vector<std::string_view> names;  // scratch for sorting a decision's lists
  std::exception_ptr failure;
};

// ---- filling one row's facts from the columns (no GIL) ----

bool cell_present(const Column& c, std::size_t row, std::size_t chunk_row) {
  switch (c.kind) {
    case Column::Kind::kInt64:
    case Column::Kind::kBool: return true;
    case Column::Kind::kFloat64: return !std::isnan(c.at<double>(row));
    case Column::Kind::kDatetime: return c.at<std::int64_t>(row) != kNaT;
    case Column::Kind::kObject: return c.cells[chunk_row].kind != Cell::Kind::kAbsent;
  }
  return false;
}

std::string shortest(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

// Sets one present value by the frame's typed setters, which convert it as binding a Facts object would (a
// value that does not fit its fact becomes one of the frame's errors, and the decision reports it); false with
// a message appended to `error` when the cell itself cannot be a fact value.
bool set_value(const Column& c, std::size_t row, std::size_t chunk_row, edict::FactFrame& frame, std::string& error) {
  switch (c.kind) {
    case Column::Kind::kInt64: frame.set_integer(c.fact, c.at<std::int64_t>(row)); return true;
    case Column::Kind::kBool: frame.set_bool(c.fact, c.at<bool>(row)); return true;
    case Column::Kind::kFloat64: frame.set_decimal(c.fact, shortest(c.at<double>(row))); return true;  // allowed
    case Column::Kind::kDatetime: {
      const auto ns = c.at<std::int64_t>(row);
      if (ns % kNanosecondsPerDay != 0) {
        error += (error.empty() ? "`" : "; `") + c.path + "`: the timestamp has a time of day; a date is expected";
        return false;
      }
      frame.set_date(c.fact, edict::Date::from_days(static_cast<std::int32_t>(ns / kNanosecondsPerDay)));
      return true;
    }
    case Column::Kind::kObject: {
      const Cell& cell = c.cells[chunk_row];
      if (cell.failed()) {
        error += (error.empty() ? "" : "; ") + cell.text;
        return false;
      }
      apply_cell(cell, c.fact, frame);
      return true;
    }
  }
  return false;
}

// The facts of one row in `state.frame`, every other fact absent.
bool fill_frame(const std::vector<Column>& columns, std::size_t row, std::size_t chunk_row, ThreadState& state,
                std::string& error) {
  state.frame.clear();
  bool ok = true;
  for (const auto& c : columns) {
    if (cell_present(c, row, chunk_row)) ok = set_value(c, row, chunk_row, state.frame, error) && ok;
  }
  return ok;
}

std::optional<edict::Date> row_as_of(const AsOf& as_of, std::size_t row, std::size_t chunk_row, std::string& error) {
  if (as_of.constant) return as_of.constant;
  const Column& c = *as_of.column;
  if (c.kind == Column::Kind::kDatetime) {
    const auto ns = c.at<std::int64_t>(row);
    if (ns == kNaT) {
      error = "`as_of` is not set for this row";
      return std::nullopt;
    }
    if (ns % kNanosecondsPerDay != 0) {
      error = "`as_of`: the timestamp has a time of day; a date is expected";
      return std::nullopt;
    }
    return edict::Date::from_days(static_cast<std::int32_t>(ns / kNanosecondsPerDay));
  }
  const Cell& cell = c.cells[chunk_row];
  if (cell.kind == Cell::Kind::kDate) return edict::Date::from_days(static_cast<std::int32_t>(cell.integer));
  error = cell.failed() ? cell.text : "`as_of` is not set for this row";
  return std::nullopt;
}

// ---- evaluating a chunk (no GIL) ----

std::string joined(const std::vector<std::string>& messages) {
  std::string out;
  for (const auto& m : messages) out += (out.empty() ? "" : "; ") + m;
  return out.empty() ? "the row could not be evaluated" : out;
}

void record_error(ThreadState& state, RowOut& out, std::string message) {
  out.error = static_cast<std::uint32_t>(state.errors.size());
  state.errors.push_back(std::move(message));
}

// `names` sorted, in `scratch`: EvalResult (Policy.evaluate, the CLI's JSON) sorts classifications and
// deciding rules, while Session::decide gives them in declaration and evaluation order.
std::span<const std::string_view> sorted(const std::vector<std::string_view>& names,
                                         std::vector<std::string_view>& scratch) {
  scratch.assign(names.begin(), names.end());
  std::sort(scratch.begin(), scratch.end());
  return scratch;
}

void record_decision(ThreadState& state, const edict::Decision& d, RowOut& out) {
  if (!d.ok) return record_error(state, out, d.errors ? joined(*d.errors) : joined({}));
  const std::string_view decision = d.decision;
  out.decision = state.decisions.id_of(std::span(&decision, 1));
  out.classifications = state.classifications.id_of(sorted(d.classifications, state.names));
  out.deciding_rules = state.deciding_rules.id_of(sorted(d.deciding_rules, state.names));
}

// Runs work(thread, begin, end) over [0, rows) split into `threads` contiguous parts, this thread doing the
// first. Exceptions (out of memory) are kept per thread and rethrown after all have finished.
template <typename Work>
void in_parallel(std::vector<std::unique_ptr<ThreadState>>& states, std::size_t rows, Work&& work) {
  const std::size_t threads = std::min(states.size(), std::max<std::size_t>(rows, 1));
  const auto part = [&](std::size_t t) {
    try {
      work(*states[t], rows * t / threads, rows * (t + 1) / threads);
    } catch (...) {
      states[t]->failure = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(part, t);
  part(0);
  for (auto& h : helpers) h.join();
  for (auto& s : states) {
    if (s->failure) std::rethrow_exception(std::exchange(s->failure, nullptr));
  }
}

// ---- the outputs: four object arrays (decision, classifications, deciding_rules, error) ----

struct Outputs {
  PyObject** decision;
  PyObject** classifications;
  PyObject** deciding_rules;
  PyObject** error;
};

PyObject** object_data(const py::array& array, std::size_t rows, const char* name) {
  if (array.dtype().kind() != 'O' || array.ndim() != 1 || static_cast<std::size_t>(array.shape(0)) != rows ||
      array.strides(0) != static_cast<py::ssize_t>(sizeof(PyObject*)) || !array.writeable()) {
    throw py::value_error(std::string("output `") + name + "` must be a writable contiguous object array");
  }
  return static_cast<PyObject**>(const_cast<void*>(array.data()));
}

void put(PyObject** slot, PyObject* value) {
  Py_INCREF(value);
  Py_XSETREF(*slot, value);
}

// Writes one chunk's rows to the outputs (GIL held).
void write_chunk(std::vector<std::unique_ptr<ThreadState>>& states, const std::vector<RowOut>& rows,
                 std::size_t begin, const Outputs& out) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const RowOut& r = rows[i];
    ThreadState& s = *states[r.thread];
    const std::size_t at = begin + i;
    if (r.error != kNoError) {
      put(out.decision + at, Py_None);
      put(out.classifications + at, Py_None);
      put(out.deciding_rules + at, Py_None);
      put(out.error + at, py::str(s.errors[r.error]).ptr());
      continue;
    }
    put(out.decision + at, s.decisions.object(r.decision, true));
    put(out.classifications + at, s.classifications.object(r.classifications, false));
    put(out.deciding_rules + at, s.deciding_rules.object(r.deciding_rules, false));
    put(out.error + at, Py_None);
  }
  for (auto& s : states) s->errors.clear();
}

std::vector<std::unique_ptr<ThreadState>> make_states(const PolicyHandle& h, std::size_t threads) {
  if (threads < 1 || threads > 256) throw py::value_error("threads must be 1 to 256");
  std::vector<std::unique_ptr<ThreadState>> states;
  for (std::size_t t = 0; t < threads; ++t) {
    states.push_back(std::make_unique<ThreadState>(*h.policy, static_cast<std::uint32_t>(t)));
  }
  return states;
}

Outputs outputs_of(const py::tuple& outputs, std::size_t rows) {
  if (outputs.size() != 4) throw py::value_error("expected four output arrays");
  return {object_data(outputs[0].cast<py::array>(), rows, "decision"),
          object_data(outputs[1].cast<py::array>(), rows, "classifications"),
          object_data(outputs[2].cast<py::array>(), rows, "deciding_rules"),
          object_data(outputs[3].cast<py::array>(), rows, "error")};
}

// ---- reading a chunk's Python values (GIL held) ----

// Strong references to the objects that cells view into, for as long as the chunk is being evaluated
// (another Python thread could otherwise drop them from the frame meanwhile).
class Held {
 public:
  void add(PyObject* o) {
    Py_INCREF(o);
    objects_.push_back(o);
  }
  ~Held() { release(); }
  void release() {
    for (PyObject* o : objects_) Py_DECREF(o);
    objects_.clear();
  }

 private:
  std::vector<PyObject*> objects_;
};

PyObject* object_at(const Column& c, std::size_t row) { return c.at<PyObject*>(row); }

void read_object_cells(const PolicyHandle& h, Column& c, std::size_t begin, std::size_t count, bool allow_float,
                       Held& held) {
  c.cells.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    PyObject* value = object_at(c, begin + i);
    held.add(value);
    try {
      read_cell(h, c.path, value, allow_float, true, c.cells[i]);
    } catch (py::error_already_set& e) {  // e.g. a str that is not valid UTF-8: this row's error
      c.cells[i].kind = Cell::Kind::kValueError;
      c.cells[i].text = "`" + c.path + "`: " + std::string(e.what());
    }
  }
}

void read_as_of_cells(Column& c, std::size_t begin, std::size_t count, Held& held) {
  c.cells.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    PyObject* value = object_at(c, begin + i);
    held.add(value);
    read_date_cell(value, c.cells[i]);
  }
}

// ---- the two entry points ----

edict::EvalOptions base_options(const PolicyHandle& h, const py::handle& rules_as_of) {
  edict::EvalOptions options;
  options.rules_as_of = rules_as_of.is_none() ? h.rules_as_of : optional_date(rules_as_of, "rules_as_of");
  return options;
}

AsOf read_as_of(const py::handle& as_of, std::size_t rows) {
  AsOf out;
  if (py::isinstance<py::array>(as_of)) {
    out.column = make_column("as_of", as_of.cast<py::array>(), rows);
    if (out.column->kind != Column::Kind::kDatetime && out.column->kind != Column::Kind::kObject) {
      throw py::type_error("the as_of column must hold dates (datetime.date, \"YYYY-MM-DD\" or datetime64)");
    }
  } else {
    out.constant = require_date(as_of, "as_of");
  }
  return out;
}

void evaluate_columns(PolicyHandle& h, const std::vector<std::pair<std::string, py::array>>& inputs,
                      std::size_t rows, const py::handle& as_of_input, const py::handle& rules_as_of,
                      std::size_t threads, bool allow_float, const py::tuple& outputs) {
  const Outputs out = outputs_of(outputs, rows);
  AsOf as_of = read_as_of(as_of_input, rows);
  std::vector<Column> columns;
  const edict::FactFrame resolver(*h.policy);
  for (const auto& [path, array] : inputs) {
    columns.push_back(make_column(path, array, rows));
    columns.back().fact = resolver.fact(path);
    if (!columns.back().fact.valid()) throw py::value_error("`" + path + "` is not a fact of the policy");
    check_float_column(columns.back(), rows, allow_float);
  }
  const edict::EvalOptions base = base_options(h, rules_as_of);
  auto states = make_states(h, threads);
  std::vector<RowOut> chunk_out;
  for (std::size_t begin = 0; begin < rows; begin += kChunkRows) {
    const std::size_t count = std::min(kChunkRows, rows - begin);
    Held held;
    for (auto& c : columns) {
      if (c.kind == Column::Kind::kObject) read_object_cells(h, c, begin, count, allow_float, held);
    }
    if (as_of.column && as_of.column->kind == Column::Kind::kObject) {
      read_as_of_cells(*as_of.column, begin, count, held);
    }
    chunk_out.assign(count, RowOut{});
    {
      py::gil_scoped_release release;
      in_parallel(states, count, [&](ThreadState& s, std::size_t from, std::size_t to) {
        edict::EvalOptions options = base;
        for (std::size_t i = from; i < to; ++i) {
          RowOut& r = chunk_out[i];
          r.thread = s.index;
          s.scratch.clear();
          const auto date = row_as_of(as_of, begin + i, i, s.scratch);
          if (!date || !fill_frame(columns, begin + i, i, s, s.scratch)) {
            record_error(s, r, s.scratch);
            continue;
          }
          options.as_of = *date;
          record_decision(s, s.session.decide(s.frame, options), r);
        }
      });
    }
    write_chunk(states, chunk_out, begin, out);
  }
}

void evaluate_rows(PolicyHandle& h, const py::sequence& rows, const py::handle& as_of_input,
                   const py::handle& rules_as_of, std::size_t threads, bool allow_float, const py::tuple& outputs) {
  const std::size_t n = rows.size();
  const Outputs out = outputs_of(outputs, n);
  const edict::Date as_of = require_date(as_of_input, "as_of");
  edict::EvalOptions options = base_options(h, rules_as_of);
  options.as_of = as_of;
  auto states = make_states(h, threads);
  std::vector<edict::Facts> facts;
  std::vector<std::string> problems;
  std::vector<RowOut> chunk_out;
  for (std::size_t begin = 0; begin < n; begin += kChunkRows) {
    const std::size_t count = std::min(kChunkRows, n - begin);
    facts.assign(count, edict::Facts());
    problems.assign(count, std::string());
    for (std::size_t i = 0; i < count; ++i) {
      try {
        const py::object row = rows[begin + i];
        if (!PyDict_Check(row.ptr())) throw py::type_error("a row must be a dict of facts, got " +
                                                           std::string(Py_TYPE(row.ptr())->tp_name));
        facts_from_dict(h, row, allow_float, facts[i]);
      } catch (py::error_already_set& e) {
        problems[i] = e.what();
      } catch (py::builtin_exception& e) {
        problems[i] = e.what();
      }
    }
    chunk_out.assign(count, RowOut{});
    {
      py::gil_scoped_release release;
      in_parallel(states, count, [&](ThreadState& s, std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
          chunk_out[i].thread = s.index;
          if (!problems[i].empty()) {
            record_error(s, chunk_out[i], problems[i]);
            continue;
          }
          record_decision(s, s.session.decide(facts[i], options), chunk_out[i]);
        }
      });
    }
    write_chunk(states, chunk_out, begin, out);
  }
}

}  // namespace

void bind_frame(py::module_& m) {
  m.def("_evaluate_columns", &evaluate_columns, py::arg("policy"), py::arg("columns"), py::arg("rows"),
        py::arg("as_of"), py::arg("rules_as_of"), py::arg("threads"), py::arg("allow_float"), py::arg("outputs"));
  m.def("_evaluate_rows", &evaluate_rows, py::arg("policy"), py::arg("rows"), py::arg("as_of"),
        py::arg("rules_as_of"), py::arg("threads"), py::arg("allow_float"), py::arg("outputs"));
  m.def("_set_missing_sentinels", &set_missing_sentinels);
}

}  // namespace edict_py
