// What the files of the extension `_edict` share: the compiled policy as Python holds it, and the
// conversions between Python values and Edict's (each defined in the file named for its concept).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <pybind11/pybind11.h>

#include "edict/date.hpp"
#include "edict/fact_frame.hpp"
#include "edict/facts.hpp"
#include "edict/policy.hpp"
#include "edict/source_file.hpp"

namespace py = pybind11;

namespace edict_py {

// A string hash usable with string_view keys (heterogeneous lookup in unordered containers).
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// How a Python value is read for a fact, by the fact's declared type: a `str` is number text for a decimal or
// integer fact (so "2054.24" stays exact), and a string otherwise.
enum class FactKind : std::uint8_t { kNumber, kOther };

// A compiled policy as the Python object `edict._edict.Policy`: the policy, how to compile it again elsewhere
// (a Dask worker gets the source text, never a pickled object), and a session for one-at-a-time calls.
struct PolicyHandle {
  std::shared_ptr<const edict::Policy> policy;
  std::unordered_map<std::string, FactKind, TextHash, std::equal_to<>> fact_kinds;
  std::unordered_set<std::string, TextHash, std::equal_to<>> fact_groups;  // "product" of "product.tpp", ...
  std::vector<std::string> paths;             // the paths it was compiled from (empty: from sources)
  std::vector<edict::SourceFile> sources;     // the files given as text (empty: from paths)
  std::optional<edict::Date> rules_as_of;     // the default rulebook date of evaluations

  // Policy.evaluate reuses this session when no other thread is using it (a Session is not thread-safe).
  std::mutex session_mutex;
  std::unique_ptr<edict::Session> session;

  FactKind kind_of(std::string_view path) const {
    const auto it = fact_kinds.find(path);
    return it == fact_kinds.end() ? FactKind::kOther : it->second;
  }
  bool is_fact_group(std::string_view path) const { return fact_groups.find(path) != fact_groups.end(); }
};

// ---- dates.cpp: datetime.date <-> edict::Date (the only file that uses the CPython datetime API) ----
void init_dates();
bool is_date_like(PyObject* value);  // a datetime.date (a datetime.datetime included)
// A datetime.date, a datetime.datetime at midnight without a time zone, or "YYYY-MM-DD". On failure:
// nullopt and *error says why ("`as_of`: ..." with `what` as the name).
std::optional<edict::Date> date_from_python(PyObject* value, std::string_view what, std::string* error);
py::object date_to_python(edict::Date date);  // None for the open ends (Date::min / Date::max)
// A date, or raises TypeError / ValueError naming `what`.
edict::Date require_date(const py::handle& value, std::string_view what);
std::optional<edict::Date> optional_date(const py::handle& value, std::string_view what);

// ---- numbers.cpp: exact decimal text from Python numbers ----
struct NumberText {
  bool ok = false;
  std::string text;   // when ok: decimal text ("15832", "2054.24", "1E+3")
  std::string error;  // when not ok: why, naming the fact path
};
bool is_decimal(PyObject* value);
NumberText decimal_text(PyObject* value, std::string_view path);                   // decimal.Decimal
NumberText float_text(double value, std::string_view path, bool allow_float);       // shortest repr when allowed
std::string float_refusal(double value, std::string_view path);

// ---- facts.cpp: Python values -> fact values ----

// One Python value made ready for a fact, read with the GIL held and applied later, possibly without it.
struct Cell {
  enum class Kind : std::uint8_t {
    kAbsent,      // no value: the fact is left out (a frame's empty cell)
    kNull,        // None in a dict of facts: JSON null
    kBool,
    kInteger,     // `integer`
    kText,        // number text (kNumber facts) or a string, see `number`
    kDate,        // `integer` holds the days since 1970-01-01
    kTypeError,   // refused because of its Python type: `text` says why
    kValueError,  // refused because of its value: `text` says why
  };
  Kind kind = Kind::kAbsent;
  bool boolean = false;
  bool number = false;         // kText: number text rather than a string
  long long integer = 0;
  std::string_view view;       // kText: the text when it lives in a Python str (kept alive by the caller)
  std::string text;            // kText when `view` is empty; the message of an error
  bool failed() const { return kind == Kind::kTypeError || kind == Kind::kValueError; }
};

// Reads `value` for the fact at `path`. `in_frame`: None, NaN and the `missing` sentinels (pandas.NA,
// pandas.NaT) are an empty cell; otherwise None is JSON null. Needs the GIL.
void read_cell(const PolicyHandle& policy, std::string_view path, PyObject* value, bool allow_float, bool in_frame,
               Cell& out);
// Sets the fact (nothing for kAbsent); the cell must not have failed. Needs no GIL.
void apply_cell(const Cell& cell, std::string_view path, edict::Facts& out);
// The same into a prepared frame, by the fact's typed setters (a frame cell is never kNull).
void apply_cell(const Cell& cell, edict::FactRef fact, edict::FactFrame& out);

// A dict of facts: nested dicts give dotted paths ({"product": {"tpp": 1}} is "product.tpp"), dotted keys
// are accepted too. Raises TypeError / ValueError for what cannot be a fact value (a float without
// allow_float, a list, NaN, ...) and for a fact given twice.
void facts_from_dict(const PolicyHandle& policy, const py::handle& facts, bool allow_float, edict::Facts& out);
// The pandas missing-value sentinels (set by the Python package once pandas is imported).
void set_missing_sentinels(std::vector<py::object> sentinels);

// ---- policy.cpp ----
std::shared_ptr<PolicyHandle> make_handle(std::shared_ptr<const edict::Policy> policy);

// ---- binding functions, one per file ----
void bind_compile(py::module_& m);
void bind_result(py::module_& m);
void bind_inventory(py::module_& m);
void bind_policy(py::module_& m);
void bind_frame(py::module_& m);

}  // namespace edict_py
