// CSV test tables (interp/api/testing.cpp, read_csv): fact cells read exactly, one pass per row whatever the
// number of columns (Hardening round 2), repeated fact columns and text that is not UTF-8 refused.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "edict/testing.hpp"

namespace {

std::vector<edict::TableCase> read_csv_text(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("edict_csv_table_test_" + name + ".csv");
  std::ofstream(path, std::ios::binary) << text;
  return edict::read_test_table(path.string());
}

}  // namespace

TEST_CASE("CSV fact cells: numbers keep their text, strings bare or JSON-quoted, booleans and null",
          "[testing][csv]") {
  const auto cases = read_csv_text("values",
                                   "name,as_of,a.n,a.e,a.s,a.q,a.b,a.z,expect.decision\n"
                                   "one,2024-06-01,2054.240,1e3,Zürich AG,\"\"\"x\\ty\"\"\",true,null,deny\n");
  REQUIRE(cases.size() == 1);
  INFO(cases[0].error);
  CHECK(cases[0].error.empty());
  const auto& givens = cases[0].test.givens;
  REQUIRE(givens.entries().size() == 6);
  using Kind = edict::FactValue::Kind;
  CHECK(givens.entries()[0].path == "a.n");  // in column order
  CHECK(givens.find("a.n")->value == edict::FactValue{Kind::kNumber, false, "2054.240"});
  CHECK(givens.find("a.e")->value == edict::FactValue{Kind::kNumber, false, "1e3"});
  CHECK(givens.find("a.s")->value == edict::FactValue{Kind::kString, false, "Zürich AG"});
  CHECK(givens.find("a.q")->value == edict::FactValue{Kind::kString, false, "x\ty"});
  CHECK(givens.find("a.b")->value == edict::FactValue{Kind::kBool, true, ""});
  CHECK(givens.find("a.z")->value.kind == Kind::kNull);
  CHECK(givens.find("a.n")->source.ends_with("edict_csv_table_test_values.csv:2"));
}

TEST_CASE("CSV: many fact columns are read", "[testing][csv]") {
  std::string header = "name,as_of,expect.decision";
  std::string row = "wide,2024-06-01,deny";
  for (int i = 0; i < 20000; ++i) {
    header += ",c.k" + std::to_string(i);
    row += "," + std::to_string(i);
  }
  const auto cases = read_csv_text("wide", header + "\n" + row + "\n");
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].error.empty());
  REQUIRE(cases[0].test.givens.entries().size() == 20000);
  CHECK(cases[0].test.givens.find("c.k19999")->value.text == "19999");
}

TEST_CASE("CSV: a fact column named twice is refused", "[testing][csv]") {
  const auto cases = read_csv_text("twice", "name,as_of,a.x,a.y,a.x,expect.decision\none,2024-06-01,1,2,3,deny\n");
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].error == "column `a.x` appears twice in the header");
  CHECK(cases[0].test.line == 1);
}

TEST_CASE("CSV: a cell that is not UTF-8 fails its row, naming the column", "[testing][csv]") {
  const auto cases = read_csv_text("latin1", "name,as_of,a.city,expect.decision\none,2024-06-01,Z\xfcrich,deny\n"
                                             "two,2024-06-01,Zürich,deny\n");
  REQUIRE(cases.size() == 2);
  CHECK(cases[0].error.find("`a.city`") != std::string::npos);
  CHECK(cases[0].error.find("UTF-8") != std::string::npos);
  CHECK(cases[1].error.empty());
}
