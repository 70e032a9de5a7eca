// The source printer (grammar/print.cpp, `edict fmt`): canonical output for every construct, the minimum
// parentheses, comments in every position, and the print-reparse property over every policy the repository
// has (issue 6): parse -> print -> parse gives the same tree, printing is idempotent, no comment is lost, and
// a formatted policy pack passes the same tests and gives the same traces.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "dump.hpp"
#include "edict/format.hpp"
#include "edict/policy.hpp"
#include "edict/render.hpp"
#include "edict/testing.hpp"
#include "parse.hpp"
#include "print.hpp"

namespace {

namespace fs = std::filesystem;
using namespace edict;

const fs::path kRoot = EDICT_SOURCE_DIR;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::optional<syntax::File> parse_with_comments(std::string_view text) {
  grammar::ParseOptions options;
  options.keep_comments = true;
  return grammar::parse(text, 0, options).file;
}

// Formats `text`, which must parse.
std::string format(std::string_view text) {
  const auto file = parse_with_comments(text);
  REQUIRE(file.has_value());
  return grammar::print(*file, text);
}

std::vector<std::string> comment_texts(const syntax::File& file, std::string_view text) {
  std::vector<std::string> texts;
  for (const auto& c : file.comments) {
    std::string s(text.substr(c.span.begin, c.span.end - c.span.begin));
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    texts.push_back(s);
  }
  std::sort(texts.begin(), texts.end());
  return texts;
}

// The print-reparse property for one source text that parses.
void check_print_property(const std::string& name, const std::string& text) {
  INFO(name);
  const auto original = parse_with_comments(text);
  REQUIRE(original.has_value());
  const std::string printed = grammar::print(*original, text);
  const auto reparsed = parse_with_comments(printed);
  INFO("printed:\n" << printed);
  REQUIRE(reparsed.has_value());
  CHECK(grammar::dump(*reparsed) == grammar::dump(*original));
  CHECK(comment_texts(*reparsed, printed) == comment_texts(*original, text));
  CHECK(grammar::print(*reparsed, printed) == printed);
}

struct Case {
  const char* what;
  const char* input;
  const char* expected;
};

// ---- every construct ----

TEST_CASE("print: every declaration in its canonical layout", "[print]") {
  const Case cases[] = {
      {"policy header", "policy   \"P\" outcomes a>b >c default c end",
       "policy \"P\"\n  outcomes a > b > c\n  default c\nend\n"},
      {"amendment with citation", "amendment \"A\" published 2024-01-02 citation \"88 FR 1\" end",
       "amendment \"A\"\n  published 2024-01-02\n  citation \"88 FR 1\"\nend\n"},
      {"amendment without citation", "amendment \"A\" published 2024-01-02 end",
       "amendment \"A\"\n  published 2024-01-02\nend\n"},
      {"import and use", "import \"a/b.edict\"\nuse   iso3166", "import \"a/b.edict\"\nuse iso3166\n"},
      {"enum: codes written as strings print bare when they can",
       "enum e = \"US\" \"United States\", \"a b\", x, \"end\" \"reserved\" end",
       "enum e =\n  US \"United States\",\n  \"a b\",\n  x,\n  \"end\" \"reserved\"\nend\n"},
      {"facts and types",
       "fact a.b : optional country default c.d \"doc\"\nfact k : one of \"x\",\"y\" \"kind\"\n"
       "fact q : integer default 1 \"n\"\nfact d : date \"d\"",
       "fact a.b : optional country default c.d \"doc\"\nfact k : one of \"x\", \"y\" \"kind\"\n"
       "fact q : integer default 1 \"n\"\nfact d : date \"d\"\n"},
      {"numbers keep their text", "define n = 26_900_000 + 1e26 + 5.920 + 0.1E-3",
       "define n = 26_900_000 + 1e26 + 5.920 + 0.1E-3\n"},
      {"strings are re-escaped", "fact s : string \"tab\\there \\\\ \\\"q\\\" line\\nbreak\"",
       "fact s : string \"tab\\there \\\\ \\\"q\\\" line\\nbreak\"\n"},
      {"dates", "define d = x.date >= 2024-03-15", "define d = x.date >= 2024-03-15\n"},
      {"group with dated changes", "group g : country members {CN,HK} add {MO} from 2023-01-17 remove {HK} end",
       "group g : country\n  members {CN, HK}\n  add {MO} from 2023-01-17\n  remove {HK}\nend\n"},
      {"group by set algebra, `end` added", "group g : country = (a union b) except (c intersect d)",
       "group g : country = a union b except c intersect d\nend\n"},
      {"name group with aliases", "group n : name members {\"A B\" aka \"AB\" aka \"A\", \"C\"} end",
       "group n : name\n  members {\"A B\" aka \"AB\" aka \"A\", \"C\"}\nend\n"},
      {"parameter with none", "parameter p 100 from 2025-01-13 none from 2025-05-13 end",
       "parameter p\n  100 from 2025-01-13\n  none from 2025-05-13\nend\n"},
      {"tier", "tier t \"a\" when x in g \"b\" when y otherwise \"c\" end",
       "tier t\n  \"a\" when x in g\n  \"b\" when y\n  otherwise \"c\"\nend\n"},
      {"rule clauses keep their order",
       "rule r then classify \"X\" when a effective until 2024-01-01 citation \"C\" title \"T\" end",
       "rule r\n  then classify \"X\"\n  when a\n  effective until 2024-01-01\n  citation \"C\"\n  title \"T\"\nend\n"},
      {"exemption", "exemption e overrides r1,r2 title \"T\" citation \"C\" effective from 2023-01-01 until 2024-01-01 "
                    "when not a then notify because \"why\" end",
       "exemption e\n  overrides r1, r2\n  title \"T\"\n  citation \"C\"\n  effective from 2023-01-01 until 2024-01-01\n"
       "  when not a\n  then notify because \"why\"\nend\n"},
      {"overrides selectors, add and remove, starts with",
       "exemption e overrides rules deciding a,rules testing classified \"L\" , x when h starts with{\"85\",\"86\"} "
       "then b end amend exemption e overrides remove x overrides add rules deciding c end",
       "exemption e\n  overrides rules deciding a, rules testing classified \"L\", x\n"
       "  when h starts with {\"85\", \"86\"}\n  then b\nend\n\namend exemption e\n  overrides remove x\n"
       "  overrides add rules deciding c\nend\n"},
      {"outputs, set, as_of and days, expect value",
       "output  duty : decimal combine max default 0 \"Duty\" rule r when a then b set duty = 25 "
       "set due = as_of+25 days oblige \"Notify\" by as_of-25 days citing \"740.8\" end test \"t\" expect value duty = 25 "
       "expect value due unset expect obligation \"Notify\" end",
       "output duty : decimal combine max default 0 \"Duty\"\n\nrule r\n  when a\n  then b\n  set duty = 25\n"
       "  set due = as_of + 25 days\n  oblige \"Notify\" by as_of - 25 days citing \"740.8\"\nend\n\ntest \"t\"\n"
       "  expect value duty = 25\n  expect value due unset\n  expect obligation \"Notify\"\nend\n"},
      {"amend rule, group and parameter; repeal",
       "amend rule r effective from 2022-10-07 until 2023-11-17 end amend exemption e overrides x end "
       "amend group g add {NI} from 2024-03-15 end amend parameter p none from 2025-05-13 end repeal exemption e",
       "amend rule r\n  effective from 2022-10-07 until 2023-11-17\nend\n\namend exemption e\n  overrides x\nend\n\n"
       "amend group g\n  add {NI} from 2024-03-15\nend\n\namend parameter p\n  none from 2025-05-13\nend\n\n"
       "repeal exemption e\n"},
      {"test clauses in their order; `given` groups kept as written",
       "test \"t\" expect decision d given a = 1, b = -2.5 given c = \"x\" given file \"f.json\" as_of 2024-01-01 "
       "rules_as_of 2023-01-01 expect classifications {X, \"Y\"} expect classified \"X\" expect not classified \"Z\" "
       "expect deciding r1, r2 expect exemption e expect missing a.b, c given d = 2024-01-01, e = true end",
       "test \"t\"\n  expect decision d\n  given a = 1, b = -2.5\n  given c = \"x\"\n  given file \"f.json\"\n"
       "  as_of 2024-01-01\n  rules_as_of 2023-01-01\n  expect classifications {\"X\", \"Y\"}\n"
       "  expect classified \"X\"\n  expect not classified \"Z\"\n  expect deciding r1, r2\n  expect exemption e\n"
       "  expect missing a.b, c\n  given d = 2024-01-01, e = true\nend\n"},
      {"empty file", "", ""},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(format(c.input) == c.expected);
    check_print_property(c.what, c.input);
  }
}

// ---- parentheses: only those the tree needs ----

TEST_CASE("print: the minimum parentheses that keep the tree", "[print]") {
  const Case cases[] = {
      {"redundant parentheses go", "((a))", "a"},
      {"left-associative operators keep the right operand's", "a - (b - c)", "a - (b - c)"},
      {"and drop the left operand's", "(a - b) - c", "a - b - c"},
      {"products bind tighter than sums", "(a * b) + c", "a * b + c"},
      {"sums inside products", "(a + b) * c / (d - e)", "(a + b) * c / (d - e)"},
      {"division chain", "a / (b / c)", "a / (b / c)"},
      {"negation", "-(a + b) - -c", "-(a + b) - -c"},
      {"double negation", "-(-5)", "- -5"},
      {"or inside and", "(a or b) and c", "(a or b) and c"},
      {"and inside or", "(a and b) or c", "a and b or c"},
      {"right-nested or", "a or (b or c)", "a or (b or c)"},
      {"not over and", "not (a and b)", "not (a and b)"},
      {"not binds tighter than and", "(not a) and b", "not a and b"},
      {"not not", "not (not a)", "not not a"},
      {"comparison operands", "(a < b) == c", "(a < b) == c"},
      {"comparison chain", "1.6 <= x / y < 5.92", "1.6 <= x / y < 5.92"},
      {"not over a comparison", "not (a == b)", "not a == b"},
      {"not as a comparison operand", "(not a) == b", "(not a) == b"},
      {"if as an operand", "(if a then b else c) + 1", "(if a then b else c) + 1"},
      {"inside if", "if (a or b) then (c + d) else (e)", "if a or b then c + d else e"},
      {"if in the else branch", "if a then b else (if c then d else e)", "if a then b else if c then d else e"},
      {"set operators", "x in (a union b) intersect c", "x in (a union b) intersect c"},
      {"set operators, left to right", "x in (a union b) except (c except d)", "x in a union b except (c except d)"},
      {"intersect binds tighter", "x not in a union (b intersect {CN, \"H K\" aka \"HK\"})",
       "x not in a union b intersect {CN, \"H K\" aka \"HK\"}"},
      {"matches and presence", "(n matches g) and (m is absent) or (p is present)",
       "n matches g and m is absent or p is present"},
      {"sum operand of presence", "(a + b) is present", "a + b is present"},
      {"classified and set literals", "classified \"3A090.a\" and x == {}", "classified \"3A090.a\" and x == {}"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const std::string input = std::string("define x = ") + c.input;
    CHECK(format(input) == std::string("define x = ") + c.expected + "\n");
    check_print_property(c.what, input);
  }
}

// ---- line breaking ----

TEST_CASE("print: long conditions break at and / or, long sets fill lines", "[print]") {
  const std::string input =
      "rule r title \"t\" citation \"c\"\n"
      "when product.kind == \"ic\" and product.datacenter and not classified \"3A090.a\" and "
      "((2400 <= product.tpp < 4800 and 1.6 <= performance_density < 5.92) or "
      "(product.tpp >= 1600 and 3.2 <= performance_density < 5.92 and product.memory_bandwidth_gbps >= 1400))\n"
      "then classify \"3A090.b\" end\n"
      "group g : name members {\"National Supercomputing Center Jinan\", \"National Supercomputing Center Shenzhen\", "
      "\"National Supercomputing Center Wuxi\"} end\n";
  const std::string expected =
      "rule r\n"
      "  title \"t\"\n"
      "  citation \"c\"\n"
      "  when product.kind == \"ic\"\n"
      "   and product.datacenter\n"
      "   and not classified \"3A090.a\"\n"
      "   and (2400 <= product.tpp < 4800 and 1.6 <= performance_density < 5.92\n"
      "        or product.tpp >= 1600\n"
      "           and 3.2 <= performance_density < 5.92\n"
      "           and product.memory_bandwidth_gbps >= 1400)\n"
      "  then classify \"3A090.b\"\n"
      "end\n"
      "\n"
      "group g : name\n"
      "  members {\n"
      "    \"National Supercomputing Center Jinan\", \"National Supercomputing Center Shenzhen\",\n"
      "    \"National Supercomputing Center Wuxi\"\n"
      "  }\n"
      "end\n";
  CHECK(format(input) == expected);
  check_print_property("line breaking", input);

  grammar::PrintOptions narrow;
  narrow.width = 40;
  const auto file = parse_with_comments("define d = (a or b) and not (c or dd or eee or ffff or ggggg or hhhhhh)");
  REQUIRE(file.has_value());
  CHECK(grammar::print(*file, "define d = (a or b) and not (c or dd or eee or ffff or ggggg or hhhhhh)", narrow) ==
        "define d = (a or b)\n"
        "       and not (c\n"
        "                or dd\n"
        "                or eee\n"
        "                or ffff\n"
        "                or ggggg\n"
        "                or hhhhhh)\n");
}

// ---- comments ----

TEST_CASE("print: comments stay where they were, or move before their item, never lost", "[print]") {
  const Case cases[] = {
      {"file header, blank lines kept (collapsed to one)",
       "# header\n\n\n# second\nuse iso3166\n",
       "# header\n\n# second\nuse iso3166\n"},
      {"leading and trailing comments of clauses",
       "rule r # on the header\n  # before title\n  title \"t\" # after title\n  citation \"c\"\n"
       "  when a\n  then x # after then\n  # before end\nend # after end\n# at the end of the file\n",
       "rule r  # on the header\n  # before title\n  title \"t\"  # after title\n  citation \"c\"\n"
       "  when a\n  then x  # after then\n  # before end\nend  # after end\n\n# at the end of the file\n"},
      {"a comment inside a condition moves before its clause",
       "rule r\n  when a # first\n   and b # second\n  then x\nend\n",
       "rule r\n  # first\n  when a and b  # second\n  then x\nend\n"},
      {"a comment inside a one-line declaration moves before it",
       "define x = a # why a\n  + b\n",
       "# why a\ndefine x = a + b\n"},
      {"one-line declarations written together stay together; blocks get a blank line",
       "fact a : bool \"a\" # a\n# b\nfact b : bool \"b\"\nparameter p end\nfact c : bool \"c\"\n",
       "fact a : bool \"a\"  # a\n# b\nfact b : bool \"b\"\n\nparameter p\nend\n\nfact c : bool \"c\"\n"},
      {"set members keep their comments (and then fill lines)",
       "group g : name\n  members { # first comes\n    \"A\", \"B\", # trailing B\n    # before C\n    \"C\" aka \"c\"\n"
       "    # before the brace\n  } from 2020-01-01 # after the change\nend\n",
       "group g : name\n  members {\n    # first comes\n    \"A\", \"B\",  # trailing B\n    # before C\n"
       "    \"C\" aka \"c\"\n    # before the brace\n  } from 2020-01-01  # after the change\nend\n"},
      {"enumeration members and parameter steps",
       "enum e = # codes\n  A \"a\", # first\n  # the second\n  B\nend\nparameter p\n  # from 2020\n  1 from 2020-01-01 # one\nend\n",
       "enum e =  # codes\n  A \"a\",  # first\n  # the second\n  B\nend\n\nparameter p\n  # from 2020\n"
       "  1 from 2020-01-01  # one\nend\n"},
      {"test clauses keep their comments",
       "test \"t\"\n  expect decision d # expected\n  as_of 2024-01-01 # the date\nend\n",
       "test \"t\"\n  expect decision d  # expected\n  as_of 2024-01-01  # the date\nend\n"},
      {"a `#` inside a string is not a comment", "fact s : string \"a # b\" # real\n",
       "fact s : string \"a # b\"  # real\n"},
      {"CRLF line ends and trailing spaces", "# one  \r\nuse m # two \r\n", "# one\nuse m  # two\n"},
      {"only comments", "# a\n\n# b", "# a\n\n# b\n"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(format(c.input) == c.expected);
    check_print_property(c.what, c.input);
  }
}

// ---- the print-reparse property over every policy of the repository ----

std::vector<fs::path> edict_files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".edict") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST_CASE("print property: every .edict file of policies, stdlib and the goldens", "[print]") {
  std::size_t checked = 0;
  for (const char* dir : {"policies", "stdlib", "tests/golden/policies"}) {
    for (const auto& path : edict_files_under(kRoot / dir)) {
      const std::string text = read_file(path);
      if (!grammar::parse(text, 0).file) continue;  // the goldens include syntax errors on purpose
      check_print_property(path.string(), text);
      ++checked;
    }
  }
  CHECK(checked >= 35);
}

TEST_CASE("print property: the policy parts of the compile_eval fuzz corpus", "[print]") {
  std::size_t parsed = 0;
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(kRoot / "tests/fuzz/corpus/compile_eval")) inputs.push_back(entry.path());
  std::sort(inputs.begin(), inputs.end());
  REQUIRE(!inputs.empty());
  for (const auto& path : inputs) {
    const std::string bytes = read_file(path);
    const std::string policy = bytes.substr(0, bytes.find('\0'));  // the facts follow the first NUL
    std::size_t begin = 0;
    for (std::size_t part = 0; begin <= policy.size(); ++part) {  // 0x01 separates files
      std::size_t end = policy.find('\x01', begin);
      if (end == std::string::npos) end = policy.size();
      const std::string text = policy.substr(begin, end - begin);
      if (grammar::parse(text, 0).file) {
        check_print_property(path.filename().string() + " part " + std::to_string(part), text);
        ++parsed;
      }
      begin = end + 1;
    }
  }
  CHECK(parsed > 0);
}

// ---- same program: a formatted pack passes the same tests and gives the same traces ----

// A copy of `pack` under a temporary directory with every .edict file formatted.
fs::path formatted_copy(const fs::path& pack, const std::string& name) {
  const fs::path copy = fs::temp_directory_path() / ("edict_print_test_" + name);
  fs::remove_all(copy);
  fs::copy(pack, copy, fs::copy_options::recursive);
  for (const auto& path : edict_files_under(copy)) {
    const auto result = format_source(SourceFile{path.string(), read_file(path)});
    REQUIRE(result.ok());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << *result.text;
  }
  return copy;
}

// A JSON result without what depends on the source text and its place: locations, the digest of the
// sources, and the file that defines a base-text rule.
std::string without_layout(const std::string& json) {
  static const std::regex location(R"(,"location":\{[^}]*\})");
  static const std::regex digest(R"("policy_digest":"[^"]*")");
  static const std::regex file(R"("defined_by":"[^"]*\.edict")");
  std::string out = std::regex_replace(json, location, "");
  out = std::regex_replace(out, digest, "");
  return std::regex_replace(out, file, "");
}

TEST_CASE("print property: the formatted EAR pack passes the same tests with the same traces", "[print]") {
  const fs::path copy = formatted_copy(kRoot / "policies/ear", "ear");
  CompileOptions with_tests;
  with_tests.include_tests = true;  // the pack's tests live in its tests/ folder
  const auto original = compile_path((kRoot / "policies/ear").string(), with_tests);
  const auto formatted = compile_path(copy.string(), with_tests);
  REQUIRE(original.ok());
  REQUIRE(formatted.ok());

  const auto expected = run_tests(*original.policy);
  const auto actual = run_tests(*formatted.policy);
  REQUIRE(actual.size() == expected.size());
  CHECK(expected.size() >= 170);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(expected[i].name);
    CHECK(actual[i].name == expected[i].name);
    CHECK(actual[i].passed);
    CHECK(actual[i].passed == expected[i].passed);
  }

  std::size_t compared = 0;
  for (const auto& entry : fs::directory_iterator(kRoot / "policies/ear/catalog")) {
    if (entry.path().extension() != ".json") continue;
    std::string error;
    auto facts = Facts::from_json(read_file(entry.path()), &error);
    REQUIRE(facts.has_value());
    for (const char* country : {"CN", "DE", "AE", "MO"}) {
      facts->set_string("destination.country", country);
      for (const char* date : {"2022-12-01", "2023-12-01", "2025-03-01", "2025-06-01"}) {
        EvalOptions options;
        options.as_of = *Date::parse(date);
        options.trace = true;
        INFO(entry.path().filename().string() << " to " << country << " on " << date);
        CHECK(without_layout(render_json(formatted.policy->evaluate(*facts, options))) ==
              without_layout(render_json(original.policy->evaluate(*facts, options))));
        ++compared;
      }
    }
  }
  CHECK(compared >= 100);
  fs::remove_all(copy);
}

TEST_CASE("print: format_source reports syntax errors and verifies its output", "[print]") {
  const auto bad = format_source(SourceFile{"bad.edict", "rule r\n  title \"t\"\n"});
  CHECK_FALSE(bad.ok());
  REQUIRE(bad.diagnostics.size() == 1);
  CHECK(bad.diagnostics[0].code == "syntax-error");
  CHECK(bad.diagnostics[0].file == "bad.edict");
  CHECK(bad.diagnostics[0].line == 3);

  const auto good = format_source(SourceFile{"good.edict", "use   m # c\n"});
  REQUIRE(good.ok());
  CHECK(*good.text == "use m  # c\n");
  CHECK(good.diagnostics.empty());
}

}  // namespace
