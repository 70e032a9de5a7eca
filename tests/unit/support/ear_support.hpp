// Helpers shared by the tests that run the shipped EAR pack (policies/ear) over many facts: the compiled
// pack, a corpus of cases (catalog products x destinations x end users x dates) and a text summary of a
// Session decision that can be compared byte for byte. EDICT_SOURCE_DIR is the repository root.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edict/edict.hpp"

namespace edict_test {

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  INFO(path.string());
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string ear_pack_path() { return std::string(EDICT_SOURCE_DIR) + "/policies/ear"; }

// Compiles policies/ear and requires success.
inline std::shared_ptr<const edict::Policy> compile_ear() {
  const edict::CompileResult compiled = edict::compile_path(ear_pack_path());
  INFO(edict::render_all(compiled.diagnostics));
  REQUIRE(compiled.ok());
  return compiled.policy;
}

struct EarCase {
  std::string label;  // for failure messages: "h800.json CN Moore Threads 2023-12-01"
  edict::Facts facts;
  edict::EvalOptions options;
};

// The catalog files of the pack, sorted by name (so that the corpus order is stable).
inline std::vector<std::filesystem::path> ear_catalog_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(ear_pack_path() + "/catalog"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  return files;
}

// Every catalog product to several destinations, with and without an end user on the Entity List, on dates
// around the amendments (2022-10-07, 2023-10-17, 2024-04-04, 2025-01-16, 2025-05-13); a few cases read the
// rulebook as of an earlier date. About 1,000 cases; `stride` keeps every stride-th one.
inline std::vector<EarCase> ear_cases(std::size_t stride = 1) {
  const char* const destinations[] = {"CN", "HK", "MO", "US", "DE", "SA", "VN", "RU"};
  const char* const end_users[] = {"", "Moore Threads", "Zhipu AI"};
  const char* const dates[] = {"2022-09-01", "2022-10-07", "2023-10-16", "2023-12-01", "2024-06-01",
                               "2025-02-01", "2025-06-01"};
  std::vector<EarCase> cases;
  std::size_t n = 0;
  for (const auto& file : ear_catalog_files()) {
    std::string error;
    auto product = edict::Facts::from_json(read_text_file(file), &error, file.filename().string());
    INFO(file.string() << ": " << error);
    REQUIRE(product.has_value());
    for (const char* destination : destinations) {
      for (const char* end_user : end_users) {
        // Every product and destination at every date would be 3,696 cases: rotate the dates instead.
        for (std::size_t d = 0; d < 2; ++d) {
          const char* as_of = dates[(n + d * 3) % std::size(dates)];
          if (n++ % stride != 0) continue;
          EarCase c{file.filename().string() + " " + destination + " " + end_user + " " + as_of, *product, {}};
          c.facts.set_string("destination.country", destination);
          if (*end_user) c.facts.set_string("end_user.name", end_user);
          c.options.as_of = *edict::Date::parse(as_of);
          if (n % 5 == 0) c.options.rules_as_of = *edict::Date::parse("2023-10-16");
          cases.push_back(std::move(c));
        }
      }
    }
  }
  return cases;
}

inline void append_list(std::string& out, std::string_view name, const std::vector<std::string_view>& items) {
  out += name;
  out += ":";
  for (std::string_view item : items) {
    out += ' ';
    out += item;
  }
  out += '\n';
}

// A Session decision as text, every field included, to compare decisions byte for byte.
inline std::string summarize(const edict::Decision& d) {
  std::string out = d.ok ? "ok\n" : "not ok\n";
  out += "decision: ";
  out += d.decision;
  out += d.indeterminate ? "\nindeterminate\n" : "\n";
  append_list(out, "classifications", d.classifications);
  append_list(out, "deciding", d.deciding_rules);
  append_list(out, "exemptions", d.exemptions);
  append_list(out, "fired", d.fired);
  for (const auto* list : {d.errors, d.warnings}) {
    if (list == nullptr) continue;
    for (const std::string& message : *list) out += "message: " + message + "\n";
  }
  return out;
}

}  // namespace edict_test
