// The test runner: evaluates each `test` declaration and each row of the table files, and compares the result
// with its expectations.
#include "edict/testing.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"
#include "core/num.hpp"
#include "core/number.hpp"
#include "edict/files.hpp"
#include "edict/render.hpp"
#include "render/values.hpp"

namespace edict {

namespace {

std::string listed(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + ("`" + i + "`");
  return out.empty() ? "nothing" : out;
}

bool same_set(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::set<std::string>(a.begin(), a.end()) == std::set<std::string>(b.begin(), b.end());
}

bool contains(const std::vector<std::string>& items, const std::string& x) {
  return std::find(items.begin(), items.end(), x) != items.end();
}

// Reads the test's fact files (regular files only, at most Limits::facts_bytes each), then applies its
// `given` values on top.
std::optional<Facts> gather_facts(const PolicyTest& test, const Limits& limits, std::string& error) {
  // Facts::set looks for the path among the entries so far: refuse a row beyond the entry limit before
  // merging it (a 100,000-column table row took seconds), and take the givens whole when there is no file.
  if (test.givens.entries().size() > limits.fact_entries) {
    error = fmt::format("the test gives {} facts, more than the limit of {} (Limits::fact_entries)",
                        test.givens.entries().size(), limits.fact_entries);
    return std::nullopt;
  }
  if (test.fact_files.empty()) return test.givens;
  Facts facts;
  for (const auto& path : test.fact_files) {
    const auto text = read_file_text(path, limits.facts_bytes);
    if (!text.ok()) {
      error = text.problem.message;
      return std::nullopt;
    }
    std::string parse_error;
    auto parsed = Facts::from_json(text.text, &parse_error, path, limits);
    if (!parsed) {
      error = fmt::format("{}: {}", path, parse_error);
      return std::nullopt;
    }
    for (const auto& e : parsed->entries()) facts.set(e.path, e.value, e.source);
  }
  for (const auto& e : test.givens.entries()) facts.set(e.path, e.value, e.source);
  return facts;
}

// Numbers compare exactly as numbers (`25` and `25.00` agree); other values as text.
bool same_value(const std::string& type, const std::string& actual, const std::string& expected) {
  if (type != "decimal" && type != "integer") return actual == expected;
  const auto a = core::parse_num(actual), b = core::parse_num(expected);
  if (a && b) return *a == *b;
  const auto slash = actual.find('/');  // a fraction with no finite decimal form never equals a literal
  return slash == std::string::npos && actual == expected;
}

void check(const PolicyTest::Expectation& e, const EvalResult& r, std::vector<std::string>& failures) {
  using K = PolicyTest::Expectation::Kind;
  const auto fail = [&](std::string message) { failures.push_back(fmt::format("line {}: {}", e.line, message)); };
  const std::string first = e.values.empty() ? std::string() : e.values[0];
  switch (e.kind) {
    case K::kDecision:
      if (r.decision != first) fail(fmt::format("expected decision `{}`, got `{}`", first, r.decision));
      break;
    case K::kClassifications:
      if (!same_set(e.values, r.classifications)) {
        fail(fmt::format("expected classifications {}, got {}", listed(e.values), listed(r.classifications)));
      }
      break;
    case K::kClassified:
      if (!contains(r.classifications, first)) {
        fail(fmt::format("expected classification `{}`, got {}", first, listed(r.classifications)));
      }
      break;
    case K::kNotClassified:
      if (contains(r.classifications, first)) fail(fmt::format("expected no classification `{}`", first));
      break;
    case K::kDeciding:
      if (!same_set(e.values, r.deciding_rules)) {
        fail(fmt::format("expected deciding rules {}, got {}", listed(e.values), listed(r.deciding_rules)));
      }
      break;
    case K::kExemption:
      if (!contains(r.exemptions, first)) {
        fail(fmt::format("expected exemption `{}`, got {}", first, listed(r.exemptions)));
      }
      break;
    case K::kValue: {
      const auto it = std::find_if(r.values.begin(), r.values.end(), [&](const OutputValue& v) { return v.name == first; });
      if (it == r.values.end()) {
        fail(fmt::format("no output `{}`", first));
        break;
      }
      const auto got = value_or_state(*it);
      if (e.values.size() >= 3) {
        if (value_state_name(it->state) != e.values[2]) fail(fmt::format("expected `{}` {}, got {}", first, e.values[2], got));
        break;
      }
      if (it->state != OutputValue::State::kSet || !same_value(it->type, it->value, e.values[1])) {
        fail(fmt::format("expected value `{}` = {}, got {}", first, e.values[1], got));
      }
      break;
    }
    case K::kObligation: {
      // A possible obligation (of an indeterminate rule) does not meet the expectation: it may not apply.
      const auto named = [&](const Obligation& o) { return o.name == first && !o.possible; };
      if (std::none_of(r.obligations.begin(), r.obligations.end(), named)) {
        std::vector<std::string> names;
        for (const auto& o : r.obligations) names.push_back(o.possible ? o.name + " (possible)" : o.name);
        fail(fmt::format("expected obligation `{}`, got {}", first, listed(names)));
      }
      break;
    }
    case K::kMissing:
      for (const auto& v : e.values) {
        if (!contains(r.indeterminate_facts, v)) {
          fail(fmt::format("expected missing fact `{}`, got {}", v, listed(r.indeterminate_facts)));
        }
      }
      break;
  }
}


// ---------------------------------------------------------------- tables

namespace fs = std::filesystem;
using Json = nlohmann::json;
using Kind = PolicyTest::Expectation::Kind;

std::string resolve(const std::string& table, const std::string& relative) {
  const fs::path p(relative);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (fs::path(table).parent_path() / p).lexically_normal().string();
}

TableCase bad_case(const std::string& path, std::uint32_t line, std::string name, std::string error) {
  TableCase c;
  c.test.name = name.empty() ? fmt::format("{}:{}", fs::path(path).filename().string(), line) : std::move(name);
  c.test.file = path;
  c.test.line = line;
  c.error = std::move(error);
  return c;
}

std::optional<Date> parse_date_field(const std::string& text, const char* key, std::string& error) {
  auto d = Date::parse(text);
  if (!d) error = fmt::format("`{}` must be a date YYYY-MM-DD, got `{}`", key, text);
  return d;
}

void expect(PolicyTest& test, Kind kind, std::vector<std::string> values, std::uint32_t line) {
  PolicyTest::Expectation e;
  e.kind = kind;
  e.values = std::move(values);
  e.line = line;
  test.expectations.push_back(std::move(e));
}

// A JSON string or a list of strings.
std::optional<std::vector<std::string>> strings_of(const Json& j) {
  std::vector<std::string> out;
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
    return out;
  }
  if (!j.is_array()) return std::nullopt;
  for (const auto& item : j) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

// `text` with every JSON number outside strings replaced by 0. The row's structure is read with nlohmann-json,
// which would refuse numbers beyond a double (1e400) and round the others; fact numbers are read exactly
// from the original text by Facts::from_json, as in a facts file.
std::string numbers_as_zero(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) out += text[++i];
      if (c == '"') in_string = false;
    } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      while (i + 1 < text.size() && std::strchr("+-.eE0123456789", text[i + 1]) != nullptr) ++i;
      out += '0';
    } else {
      in_string = c == '"';
      out += c;
    }
  }
  return out;
}

TableCase jsonl_case(const std::string& path, std::uint32_t line, const std::string& text) {
  Json row;
  try {
    row = Json::parse(numbers_as_zero(text));
  } catch (const Json::exception& e) {
    std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 3: ..."
    if (const auto end = what.find("] "); what.rfind("[json.exception", 0) == 0 && end != std::string::npos) {
      what = what.substr(end + 2);
    }
    return bad_case(path, line, {}, fmt::format("not valid JSON: {}", what));
  }
  if (!row.is_object()) return bad_case(path, line, {}, "a row must be a JSON object");
  std::string name;
  if (const auto it = row.find("name"); it != row.end()) {
    if (!it->is_string()) return bad_case(path, line, {}, "`name` must be a string");
    name = it->get<std::string>();
  }
  TableCase c = bad_case(path, line, name, {});
  auto& t = c.test;
  const auto fail = [&](std::string message) {
    c.error = std::move(message);
    return c;
  };
  for (const auto& [key, value] : row.items()) {
    if (key == "name") continue;
    if (key == "as_of" || key == "rules_as_of") {
      if (!value.is_string()) return fail(fmt::format("`{}` must be a date string", key));
      std::string error;
      auto d = parse_date_field(value.get<std::string>(), key.c_str(), error);
      if (!d) return fail(error);
      (key == "as_of" ? t.as_of : t.rules_as_of) = d;
    } else if (key == "facts_file") {
      const auto files = strings_of(value);
      if (!files) return fail("`facts_file` must be a path or a list of paths");
      for (const auto& f : *files) t.fact_files.push_back(resolve(path, f));
    } else if (key == "facts") {
      if (!value.is_object()) return fail("`facts` must be a JSON object");
      // Read the row again as facts, to keep every number's exact decimal text.
      std::string error;
      auto all = Facts::from_json(text, &error, fmt::format("{}:{}", path, line));
      if (!all) return fail(fmt::format("facts: {}", error));
      t.givens.assign_subtree(*all, "facts");
    } else if (key == "expect") {
      if (!value.is_object()) return fail("`expect` must be a JSON object");
      for (const auto& [what, v] : value.items()) {
        const auto values = strings_of(v);
        if (!values) return fail(fmt::format("`expect.{}` must be a string or a list of strings", what));
        if (what == "decision") {
          if (values->size() != 1) return fail("`expect.decision` must be one outcome name");
          expect(t, Kind::kDecision, *values, line);
        } else if (what == "classifications") {
          expect(t, Kind::kClassifications, *values, line);
        } else if (what == "classified" || what == "not_classified") {
          for (const auto& label : *values) {
            expect(t, what == "classified" ? Kind::kClassified : Kind::kNotClassified, {label}, line);
          }
        } else if (what == "deciding_rules") {
          expect(t, Kind::kDeciding, *values, line);
        } else if (what == "exemption") {
          for (const auto& x : *values) expect(t, Kind::kExemption, {x}, line);
        } else if (what == "missing") {
          expect(t, Kind::kMissing, *values, line);
        } else {
          return fail(fmt::format("unknown expectation `expect.{}` (decision, classifications, classified, "
                                  "not_classified, deciding_rules, exemption, missing)", what));
        }
      }
    } else {
      return fail(fmt::format("unknown field `{}` (name, facts, facts_file, as_of, rules_as_of, expect)", key));
    }
  }
  if (t.expectations.empty()) return fail("the row has no `expect`ation");
  return c;
}

// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. Each record keeps the
// line it starts on.
struct CsvRecord {
  std::uint32_t line = 0;
  std::vector<std::string> cells;
  bool unterminated = false;
};

std::vector<CsvRecord> parse_csv(const std::string& text) {
  std::vector<CsvRecord> records;
  std::uint32_t line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    CsvRecord r;
    r.line = line;
    std::string cell;
    bool quoted = false, any = false;
    for (; i < text.size(); ++i) {
      const char ch = text[i];
      if (quoted) {
        if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else if (ch == '"') {
          quoted = false;
        } else {
          if (ch == '\n') ++line;
          cell += ch;
        }
      } else if (ch == '"') {
        quoted = true;
        any = true;
      } else if (ch == ',') {
        r.cells.push_back(std::move(cell));
        cell.clear();
        any = true;
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        break;
      } else {
        cell += ch;
        any = true;
      }
    }
    r.unterminated = quoted;
    if (!any && cell.empty()) continue;  // blank line
    r.cells.push_back(std::move(cell));
    records.push_back(std::move(r));
  }
  return records;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  return s.substr(b);
}

std::vector<std::string> split_bar(const std::string& cell) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(cell);
  while (std::getline(in, item, '|')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// A fact cell: a JSON scalar (true, false, null, a number, a "string") or a bare string.
std::optional<FactValue> fact_cell(const std::string& cell, std::string& error) {
  FactValue v;
  if (cell == "true" || cell == "false") {
    v.kind = FactValue::Kind::kBool;
    v.boolean = cell == "true";
  } else if (cell == "null") {
    v.kind = FactValue::Kind::kNull;
  } else if (core::is_json_number(cell)) {
    v.kind = FactValue::Kind::kNumber;
    v.text = cell;
  } else if (cell.front() == '"') {
    try {
      const auto j = Json::parse(cell);
      if (!j.is_string()) throw std::runtime_error("not a string");
      v.kind = FactValue::Kind::kString;
      v.text = j.get<std::string>();
    } catch (const std::exception&) {
      error = fmt::format("`{}` is not a valid JSON string", cell);
      return std::nullopt;
    }
  } else {
    v.kind = FactValue::Kind::kString;
    v.text = cell;
  }
  return v;
}

// The fact cells of one CSV row as Facts, read in one pass: they become one JSON object for Facts::from_json,
// which finds repeated paths by sorting, where a Facts::set per cell would scan the entries set before it
// (quadratic in the columns: a 100,000-column table took 17 s). Numbers keep their text exactly, and text
// that is not UTF-8 is refused as in a facts file. No facts limit applies here: the policy's limits apply
// when the case is evaluated.
std::optional<Facts> csv_row_facts(const std::vector<std::pair<std::string, FactValue>>& cells,
                                   const std::string& source, std::string& error) {
  std::string json = "{";
  for (const auto& [column, value] : cells) {
    if (json.size() > 1) json += ',';
    json += json_quote(column) + ':';
    core::append_fact_json(json, value);  // a number is a JSON number: fact_cell checked it
  }
  json += '}';
  Limits unbounded;
  unbounded.facts_bytes = unbounded.facts_depth = unbounded.fact_entries = unbounded.fact_number_digits =
      unbounded.fact_string_bytes = std::numeric_limits<std::size_t>::max();
  auto facts = Facts::from_json(json, &error, source, unbounded);
  // The position in the JSON text built here means nothing to the reader; the message names the column.
  if (!facts && error.rfind("line ", 0) == 0) error = error.substr(std::min(error.size(), error.find(": ") + 2));
  return facts;
}

// The first fact column (any column but the known ones) that appears twice in the header, or "".
std::string repeated_fact_column(const std::vector<std::string>& header) {
  std::unordered_set<std::string_view> seen;
  for (const auto& h : header) {
    const bool fact =
        h != "name" && h != "as_of" && h != "rules_as_of" && h != "facts_file" && h.rfind("expect.", 0) != 0;
    if (fact && !seen.insert(h).second) return h;
  }
  return {};
}

std::vector<TableCase> read_csv(const std::string& path, const std::string& text) {
  std::vector<TableCase> cases;
  auto records = parse_csv(text);
  if (records.empty()) {
    cases.push_back(bad_case(path, 1, {}, "the CSV file has no header row"));
    return cases;
  }
  auto header = records.front().cells;
  for (auto& h : header) h = trim(h);
  for (const auto& h : header) {
    const bool known = h == "name" || h == "as_of" || h == "rules_as_of" || h == "facts_file" ||
                       h == "expect.decision" || h == "expect.classifications" || h == "expect.classified" ||
                       h == "expect.deciding_rules" || h == "expect.exemption" || h == "expect.missing";
    if (h.empty() || (!known && h.rfind("expect.", 0) == 0)) {
      cases.push_back(bad_case(path, records.front().line, {},
                               fmt::format("bad column `{}` in the header (expectation columns: expect.decision, "
                                           "expect.classifications, expect.classified, expect.deciding_rules, "
                                           "expect.exemption, expect.missing)", h)));
      return cases;
    }
  }
  if (const auto repeated = repeated_fact_column(header); !repeated.empty()) {
    cases.push_back(bad_case(path, records.front().line, {},
                             fmt::format("column `{}` appears twice in the header", repeated)));
    return cases;
  }
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    std::string name;
    for (std::size_t i = 0; i < header.size() && i < rec.cells.size(); ++i) {
      if (header[i] == "name") name = trim(rec.cells[i]);
    }
    TableCase c = bad_case(path, rec.line, name, {});
    auto& t = c.test;
    const auto done = [&](std::string error) {
      c.error = std::move(error);
      cases.push_back(std::move(c));
    };
    if (rec.unterminated) {
      done("unterminated quoted cell");
      continue;
    }
    if (rec.cells.size() != header.size()) {
      done(fmt::format("the row has {} cells, the header {}", rec.cells.size(), header.size()));
      continue;
    }
    std::string error;
    std::vector<std::pair<std::string, FactValue>> fact_cells;
    for (std::size_t i = 0; i < header.size() && error.empty(); ++i) {
      const auto& h = header[i];
      const auto cell = trim(rec.cells[i]);
      if (cell.empty() || h == "name") continue;
      if (h == "as_of" || h == "rules_as_of") {
        auto d = parse_date_field(cell, h.c_str(), error);
        if (d) (h == "as_of" ? t.as_of : t.rules_as_of) = d;
      } else if (h == "facts_file") {
        for (const auto& f : split_bar(cell)) t.fact_files.push_back(resolve(path, f));
      } else if (h == "expect.decision") {
        expect(t, Kind::kDecision, {cell}, rec.line);
      } else if (h == "expect.classifications") {
        expect(t, Kind::kClassifications, cell == "-" ? std::vector<std::string>{} : split_bar(cell), rec.line);
      } else if (h == "expect.classified") {
        for (const auto& l : split_bar(cell)) expect(t, Kind::kClassified, {l}, rec.line);
      } else if (h == "expect.deciding_rules") {
        expect(t, Kind::kDeciding, cell == "-" ? std::vector<std::string>{} : split_bar(cell), rec.line);
      } else if (h == "expect.exemption") {
        for (const auto& x : split_bar(cell)) expect(t, Kind::kExemption, {x}, rec.line);
      } else if (h == "expect.missing") {
        expect(t, Kind::kMissing, split_bar(cell), rec.line);
      } else {
        auto v = fact_cell(cell, error);
        if (v) fact_cells.emplace_back(h, std::move(*v));
        if (!error.empty()) error = fmt::format("column `{}`: {}", h, error);
      }
    }
    if (error.empty() && !fact_cells.empty()) {
      if (auto givens = csv_row_facts(fact_cells, fmt::format("{}:{}", path, rec.line), error)) {
        t.givens = std::move(*givens);
      }
    }
    if (error.empty() && t.expectations.empty()) error = "the row has no expectation (expect.* cells are empty)";
    done(error);
  }
  return cases;
}

std::vector<TableCase> read_jsonl(const std::string& path, const std::string& text) {
  std::vector<TableCase> cases;
  std::istringstream in(text);
  std::string line;
  std::uint32_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    cases.push_back(jsonl_case(path, number, line));
  }
  return cases;
}

TestOutcome run_one(const Policy& policy, const PolicyTest& test, const std::string& row_error) {
  TestOutcome outcome;
  outcome.name = test.name;
  outcome.file = test.file;
  outcome.line = test.line;
  if (!row_error.empty()) {
    outcome.failures.push_back("bad row: " + row_error);
    return outcome;
  }
  std::string error;
  auto facts = gather_facts(test, policy.limits(), error);
  if (!test.as_of) error = "the test has no `as_of` date";
  if (!facts || !test.as_of) {
    outcome.failures.push_back(error);
    return outcome;
  }
  EvalOptions eval_options;
  eval_options.as_of = *test.as_of;
  eval_options.rules_as_of = test.rules_as_of;
  eval_options.trace = true;
  outcome.result = policy.evaluate(*facts, eval_options);
  outcome.evaluated = true;
  if (!outcome.result.ok) {
    for (const auto& e : outcome.result.errors) outcome.failures.push_back("bad facts: " + e);
  } else {
    for (const auto& e : test.expectations) check(e, outcome.result, outcome.failures);
  }
  outcome.passed = outcome.failures.empty();
  return outcome;
}

}  // namespace

std::vector<TableCase> read_test_table(const std::string& path, const std::string& root, const Limits& limits) {
  const auto text = read_file_text(path, limits.table_bytes);
  if (!text.ok()) return {bad_case(path, 0, {}, fmt::format("table file: {}", text.problem.message))};
  const auto ext = fs::path(path).extension().string();
  std::vector<TableCase> cases;
  if (ext == ".csv") {
    cases = read_csv(path, text.text);
  } else if (ext == ".jsonl") {
    cases = read_jsonl(path, text.text);
  } else {
    return {bad_case(path, 0, {}, fmt::format("`{}` is not a table file (.jsonl or .csv)", path))};
  }
  // The import rules hold for the facts files a table names too.
  const auto table_root = root.empty() ? fs::path(path).parent_path().string() : root;
  for (auto& c : cases) {
    for (const auto& file : c.test.fact_files) {
      if (!c.error.empty()) break;
      const auto problem = check_inside_root(file, table_root, fmt::format("`facts_file` `{}`", file));
      if (!problem.code.empty()) c.error = problem.message;
    }
  }
  return cases;
}

std::vector<TestOutcome> run_tests(const Policy& policy, const TestRunOptions& options) {
  std::vector<TestOutcome> outcomes;
  const auto selected = [&](const std::string& name) {
    return options.filter.empty() || name.find(options.filter) != std::string::npos;
  };
  for (const auto& test : policy.tests()) {
    if (selected(test.name)) outcomes.push_back(run_one(policy, test, {}));
  }
  for (const auto& table : options.tables) {
    for (const auto& c : read_test_table(table, options.root, policy.limits())) {
      if (selected(c.test.name)) outcomes.push_back(run_one(policy, c.test, c.error));
    }
  }
  return outcomes;
}

}  // namespace edict
