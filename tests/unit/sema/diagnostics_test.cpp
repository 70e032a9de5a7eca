// Compile-time diagnostics of whole policies: codes, positions, help texts, ordering, imports and limits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "../support/semantic_support.hpp"

using edict_test::compile_text;
using edict_test::diagnostics_text;
using edict_test::find_code;

namespace {

const std::string kHeader = R"(policy "Diagnostics"
  outcomes deny > review > allow
  default allow
end
use iso3166
fact product.tpp : decimal "TPP"
fact destination.country : country "Destination"
)";
// kHeader has 7 lines: the first line after it is line 8.

std::string rule(const std::string& name, const std::string& when, const std::string& then = "deny") {
  return "rule " + name + "\n  title \"t\"\n  citation \"c\"\n  when " + when + "\n  then " + then + "\nend\n";
}

// The first error with `code`, required to exist.
const edict::Diagnostic& error_with(const edict::CompileResult& compiled, const std::string& code) {
  INFO(diagnostics_text(compiled.diagnostics));
  CHECK_FALSE(compiled.ok());
  const auto* diagnostic = find_code(compiled.diagnostics, code);
  REQUIRE(diagnostic != nullptr);
  CHECK(diagnostic->severity == edict::Severity::kError);
  return *diagnostic;
}

}  // namespace

TEST_CASE("single compile errors: code, position and help", "[sema][diagnostics]") {
  struct Row {
    const char* what;
    std::string text;
    const char* code;
    std::uint32_t line;
    std::uint32_t column;    // 0 = not checked
    const char* help_has;    // "" = not checked
    const char* message_has; // "" = not checked
  };
  const Row rows[] = {
      {"unknown fact path, did you mean", kHeader + rule("r", "product.tpx > 1"), "unknown-name", 11, 8,
       "`product.tpp`", "product.tpx"},
      {"unknown group, did you mean", kHeader + "group embargoed : country\n  members {CU}\nend\n" +
                                          rule("r", "destination.country in embargoad"),
       "unknown-group", 14, 31, "`embargoed`", "embargoad"},
      {"type mismatch: decimal compared with a string", kHeader + rule("r", "product.tpp > \"4800\""),
       "type-mismatch", 11, 0, "", ""},
      {"type mismatch: decimal used as a condition", kHeader + rule("r", "product.tpp"), "type-mismatch", 11, 8, "",
       ""},
      {"type mismatch: arithmetic on a bool", kHeader + rule("r", "true + 1 > 0"), "type-mismatch", 11, 0, "", ""},
      {"unknown enum member in a comparison", kHeader + rule("r", "destination.country == \"XX\""), "unknown-member",
       11, 0, "", "XX"},
      {"unknown enum member in a set literal", kHeader + rule("r", "destination.country in {CN, XX}"),
       "unknown-member", 11, 0, "", "XX"},
      {"unknown enum member in a group", kHeader + "group g : country\n  members {CN, XX}\nend\n", "unknown-member", 9,
       0, "", "XX"},
      {"unknown outcome", kHeader + rule("r", "true", "forbid because \"x\""), "unknown-outcome", 12, 8, "", "forbid"},
      {"unknown outcome, did you mean", kHeader + rule("r", "true", "deny_ because \"x\""), "unknown-outcome", 12, 8,
       "`deny`", ""},
      {"missing clause: citation",
       kHeader + "rule r\n  title \"t\"\n  when true\n  then deny\nend\n", "missing-clause", 8, 0, "", "citation"},
      {"missing clause: when", kHeader + "rule r\n  title \"t\"\n  citation \"c\"\n  then deny\nend\n",
       "missing-clause", 8, 0, "", "when"},
      {"duplicate rule", kHeader + rule("r", "true") + rule("r", "false"), "duplicate-name", 14, 6, "", "r"},
      {"duplicate fact", kHeader + "fact product.tpp : decimal \"again\"\n", "duplicate-name", 8, 0, "",
       "product.tpp"},
      {"rule named like a group", kHeader + "group r : country\n  members {CN}\nend\n" + rule("r", "true"),
       "duplicate-name", 11, 0, "", ""},
      {"unknown tier label", kHeader + "tier t\n  \"one\" when true\n  otherwise \"two\"\nend\n" +
                                 rule("r", "t == \"three\""),
       "unknown-member", 15, 0, "", "three"},
      {"mixed chain directions", kHeader + rule("r", "1 < product.tpp > 3"), "invalid-chain", 11, 0, "", ""},
      {"impossible date", kHeader + rule("r", "true") + "test \"x\"\n  as_of 2023-02-29\nend\n", "invalid-date", 15,
       0, "", ""},
      {"unknown module", "use iso3167\n" + kHeader.substr(0), "unknown-module", 1, 5, "`iso3166`", ""},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    INFO(row.text);
    auto compiled = compile_text(row.text);
    const auto& d = error_with(compiled, row.code);
    CHECK(d.file == "test.edict");
    CHECK(d.line == row.line);
    if (row.column != 0) CHECK(d.column == row.column);
    if (*row.help_has) CHECK(d.help.find(row.help_has) != std::string::npos);
    if (*row.message_has) CHECK(d.message.find(row.message_has) != std::string::npos);
    CHECK_FALSE(d.source_line.empty());
    CHECK(edict::render(d).find("error[" + std::string(row.code) + "]") != std::string::npos);
  }
}

TEST_CASE("the unknown-name diagnostic in full", "[sema][diagnostics]") {
  auto compiled = compile_text(kHeader + rule("r", "product.tpx > 1"));
  const auto& d = error_with(compiled, "unknown-name");
  CHECK(d.line == 11);
  CHECK(d.column == 8);
  CHECK(d.end_column == 8 + std::string("product.tpx").size());
  CHECK(d.source_line == "  when product.tpx > 1");
  CHECK(d.help == "did you mean `product.tpp`?");
  const auto rendered = edict::render(d);
  CHECK(rendered.find("test.edict:11:8: error[unknown-name]") == 0);
  CHECK(rendered.find("help: did you mean `product.tpp`?") != std::string::npos);
}

TEST_CASE("several errors are reported together, sorted by position", "[sema][diagnostics]") {
  const std::string text = kHeader +                       //
                           rule("a", "product.tpx > 1") +  // line 11: unknown-name
                           rule("b", "true", "forbid") +   // line 18: unknown-outcome
                           rule("a", "true") +             // line 20: duplicate-name
                           rule("c", "destination.country in {XX}");  // line 29: unknown-member
  auto compiled = compile_text(text);
  INFO(diagnostics_text(compiled.diagnostics));
  CHECK_FALSE(compiled.ok());
  const auto errors = edict_test::codes_of(compiled.diagnostics, edict::Severity::kError);
  CHECK(errors.size() >= 4);
  CHECK(find_code(compiled.diagnostics, "unknown-name") != nullptr);
  CHECK(find_code(compiled.diagnostics, "unknown-outcome") != nullptr);
  CHECK(find_code(compiled.diagnostics, "duplicate-name") != nullptr);
  CHECK(find_code(compiled.diagnostics, "unknown-member") != nullptr);
  for (std::size_t i = 1; i < compiled.diagnostics.size(); ++i) {
    const auto& before = compiled.diagnostics[i - 1];
    const auto& after = compiled.diagnostics[i];
    INFO("diagnostic " << i);
    CHECK(before.file == after.file);
    CHECK((before.line < after.line || (before.line == after.line && before.column <= after.column)));
  }
  CHECK(edict::render_all(compiled.diagnostics).find("errors") != std::string::npos);
}

TEST_CASE("errors in several files are grouped by file, sorted by position", "[sema][diagnostics]") {
  const std::string amendment = "amendment \"A\" published 2024-01-01 end\n" + rule("late", "product.tpz > 1");
  auto compiled = edict::compile({edict::SourceFile{"b.edict", kHeader + rule("r", "product.tpy > 1") +
                                                                     rule("s", "product.tpw > 1")},
                                  edict::SourceFile{"a.edict", amendment + rule("t", "product.tpv > 1")}});
  INFO(diagnostics_text(compiled.diagnostics));
  CHECK_FALSE(compiled.ok());
  REQUIRE(compiled.diagnostics.size() == 4);
  // Files are not interleaved (their order is the load order), and positions increase within a file.
  std::vector<std::string> files;
  for (std::size_t i = 0; i < compiled.diagnostics.size(); ++i) {
    const auto& d = compiled.diagnostics[i];
    CHECK(d.code == "unknown-name");
    if (files.empty() || files.back() != d.file) {
      CHECK(std::find(files.begin(), files.end(), d.file) == files.end());
      files.push_back(d.file);
    } else {
      CHECK(compiled.diagnostics[i - 1].line < d.line);
    }
  }
  CHECK(files.size() == 2);
}

namespace {

// In-memory files for CompileOptions::read_file (keys are the resolved paths).
std::map<std::string, std::string>& memory_files() {
  static std::map<std::string, std::string> files;
  return files;
}

std::optional<std::string> read_memory(const std::string& path) {
  const auto it = memory_files().find(path);
  if (it == memory_files().end()) return std::nullopt;
  return it->second;
}

}  // namespace

TEST_CASE("imports: resolved relative to the importing file, inside the root", "[sema][diagnostics][imports]") {
  memory_files() = {
      {"pol/lib/facts.edict", "fact product.tpp : decimal \"TPP\"\nimport \"groups.edict\"\n"},
      {"pol/lib/groups.edict", "group embargoed : country\n  members {CU}\nend\n"},
      {"outside.edict", "fact product.area : decimal \"area\"\n"},
      {"pol/cycle_a.edict", "import \"cycle_b.edict\"\n"},
      {"pol/cycle_b.edict", "import \"sub/../cycle_a.edict\"\n"},
      {"pol/self.edict", "import \"self.edict\"\n"},
  };
  edict::CompileOptions options;
  options.read_file = &read_memory;
  const std::string head = R"(policy "Imports"
  outcomes deny > allow
  default allow
end
use iso3166
fact destination.country : country "Destination"
)";
  const std::string rules = rule("r", "product.tpp > 1 and destination.country in embargoed");

  SECTION("a nested import works, and each file is loaded once") {
    auto compiled = edict::compile(
        {edict::SourceFile{"pol/main.edict", "import \"lib/facts.edict\"\nimport \"lib/./facts.edict\"\n" + head + rules}},
        options);
    INFO(diagnostics_text(compiled.diagnostics));
    REQUIRE(compiled.ok());
    const auto result = edict_test::evaluate_json(*compiled.policy,
                                                  R"({"product": {"tpp": 2}, "destination": {"country": "CU"}})");
    INFO(edict_test::summary(result));
    CHECK(result.decision == "deny");
  }
  SECTION("leaving the root is import-outside-root") {
    auto compiled =
        edict::compile({edict::SourceFile{"pol/main.edict", "import \"../outside.edict\"\n" + head}}, options);
    const auto& d = error_with(compiled, "import-outside-root");
    CHECK(d.file == "pol/main.edict");
    CHECK(d.line == 1);
    CHECK(d.column == 8);
  }
  SECTION("leaving an explicit root is import-outside-root") {
    edict::CompileOptions rooted = options;
    rooted.root = "pol/lib";
    auto compiled = edict::compile({edict::SourceFile{"pol/lib/main.edict", "import \"../cycle_a.edict\"\n" + head}},
                                   rooted);
    error_with(compiled, "import-outside-root");
  }
  SECTION("a root of . allows imports anywhere below it") {
    edict::CompileOptions rooted = options;
    rooted.root = ".";
    auto compiled = edict::compile(
        {edict::SourceFile{"pol/main.edict", "import \"lib/facts.edict\"\n" + head + rules}}, rooted);
    INFO(diagnostics_text(compiled.diagnostics));
    CHECK(compiled.ok());
  }
  SECTION("an import cycle is import-cycle") {
    auto compiled = edict::compile({edict::SourceFile{"pol/main.edict", "import \"cycle_a.edict\"\n" + head}}, options);
    const auto& d = error_with(compiled, "import-cycle");
    CHECK(d.help.find("cycle_a.edict") != std::string::npos);
    CHECK(d.help.find("cycle_b.edict") != std::string::npos);
  }
  SECTION("a file importing itself is import-cycle") {
    auto compiled = edict::compile({edict::SourceFile{"pol/main.edict", "import \"self.edict\"\n" + head}}, options);
    error_with(compiled, "import-cycle");
  }
  SECTION("a missing file is import-not-found") {
    auto compiled = edict::compile({edict::SourceFile{"pol/main.edict", "import \"nope.edict\"\n" + head}}, options);
    const auto& d = error_with(compiled, "import-not-found");
    CHECK(d.line == 1);
  }
}

TEST_CASE("deep nesting is limit-exceeded, never a crash", "[sema][diagnostics][limits]") {
  struct Row {
    std::size_t depth;
    bool ok;
  };
  const Row rows[] = {{10, true}, {60, true}, {200, false}, {5000, false}, {100000, false}};
  for (const Row& row : rows) {
    INFO("depth " << row.depth);
    const std::string condition = std::string(row.depth, '(') + "product.tpp > 1" + std::string(row.depth, ')');
    auto compiled = compile_text(kHeader + rule("r", condition));
    INFO(diagnostics_text(compiled.diagnostics).substr(0, 2000));
    CHECK(compiled.ok() == row.ok);
    if (!row.ok) {
      const auto& d = error_with(compiled, "limit-exceeded");
      CHECK(d.line == 11);
    }
  }
  SECTION("nested not, unary minus and sets") {
    const std::string nots = [] {
      std::string s;
      for (int i = 0; i < 5000; ++i) s += "not ";
      return s + "true";
    }();
    error_with(compile_text(kHeader + rule("r", nots)), "limit-exceeded");
    error_with(compile_text(kHeader + rule("r", std::string(5000, '-') + "1 > 0")), "limit-exceeded");
    error_with(compile_text(kHeader + rule("r", "destination.country in " + std::string(5000, '(') + "{CN}" +
                                                    std::string(5000, ')'))),
               "limit-exceeded");
  }
  SECTION("the limit is configurable") {
    edict::CompileOptions options;
    options.max_nesting_depth = 300;
    const std::string condition = std::string(200, '(') + "product.tpp > 1" + std::string(200, ')');
    auto compiled = compile_text(kHeader + rule("r", condition), options);
    INFO(diagnostics_text(compiled.diagnostics).substr(0, 2000));
    CHECK(compiled.ok());
  }
}

TEST_CASE("source size limit", "[sema][diagnostics][limits]") {
  edict::CompileOptions options;
  options.max_source_bytes = 256;
  auto compiled = compile_text(kHeader + rule("r", "true") + std::string(300, '#') + "\n", options);
  error_with(compiled, "limit-exceeded");
}

TEST_CASE("a syntax error in one file does not cascade into the others", "[sema][diagnostics][recovery]") {
  // The header (policy, facts) is in the file with the missing `end`: without it the other files would
  // be full of unknown names and outcomes, and the policy would seem to have no `policy` declaration.
  const std::string broken = kHeader + "rule r\n  title \"t\"\n  when product.tpp > 1\n  then deny\n";
  auto compiled = edict::compile({edict::SourceFile{"a.edict", broken},
                                  edict::SourceFile{"b.edict", rule("s", "destination.country in {CN}")},
                                  edict::SourceFile{"c.edict", rule("t", "product.tpp > 2 and undeclared")}});
  INFO(diagnostics_text(compiled.diagnostics));
  REQUIRE(compiled.diagnostics.size() == 1);
  const auto& d = compiled.diagnostics[0];
  CHECK(d.code == "syntax-error");
  CHECK(d.file == "a.edict");
  CHECK(d.message == "missing `end`: the `rule r` block opened at line 8 is not closed");
  CHECK(find_code(compiled.diagnostics, "missing-policy") == nullptr);
}

TEST_CASE("syntax errors in two files are both reported, and nothing else", "[sema][diagnostics][recovery]") {
  auto compiled = edict::compile({edict::SourceFile{"a.edict", kHeader + rule("r", "product.tpp = 1")},
                                  edict::SourceFile{"b.edict", rule("s", "destination.country && true")}});
  INFO(diagnostics_text(compiled.diagnostics));
  REQUIRE(compiled.diagnostics.size() == 2);
  CHECK(compiled.diagnostics[0].message == "`=` is not a comparison: use `==`");
  CHECK(compiled.diagnostics[1].message == "`&&` is not an Edict operator: use `and`");
}

TEST_CASE("`==` with a group or a set points at the operator and suggests `in`", "[sema][diagnostics]") {
  const std::string group = "group embargoed : country = {CU, IR}\n";
  const auto grouped = compile_text(kHeader + group + rule("r", "destination.country == embargoed"));
  const auto& with_group = error_with(grouped, "type-mismatch");
  CHECK(with_group.message == "`==` does not test membership in group `embargoed`: use `in`");
  CHECK(with_group.help == "write `destination.country in embargoed`");
  CHECK(with_group.line == 12);
  CHECK(with_group.column == 28);
  const auto set = compile_text(kHeader + rule("r", "destination.country != {CN}"));
  const auto& with_set = error_with(set, "type-mismatch");
  CHECK(with_set.message == "`!=` does not test membership in a set: use `not in`");
  CHECK(with_set.column == 28);
}

TEST_CASE("a code given by its display name suggests the code", "[sema][diagnostics]") {
  const auto compiled = compile_text(kHeader + rule("r", "destination.country == \"China\""));
  const auto& d = error_with(compiled, "unknown-member");
  CHECK(d.help == "did you mean `CN` (China)?");
}

TEST_CASE("a test `given` of an undeclared fact is a warning with did-you-mean", "[sema][diagnostics]") {
  const std::string test = "test \"t\"\n  as_of 2025-01-01\n  given product.tpp_total = 5000\n  expect decision deny\nend\n";
  auto compiled = compile_text(kHeader + rule("r", "product.tpp > 1") + test);
  INFO(diagnostics_text(compiled.diagnostics));
  CHECK(compiled.ok());
  const auto* d = find_code(compiled.diagnostics, "unknown-fact");
  REQUIRE(d != nullptr);
  CHECK(d->severity == edict::Severity::kWarning);
  CHECK(d->message == "`product.tpp_total` is not a declared fact");
  CHECK(d->help == "did you mean `product.tpp`?");
}
