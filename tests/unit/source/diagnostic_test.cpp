#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "edict/diagnostic.hpp"

using edict::Diagnostic;
using edict::Severity;

namespace {

Diagnostic unknown_name() {
  Diagnostic d;
  d.severity = Severity::kError;
  d.code = "unknown-name";
  d.message = "unknown fact `product.tpx`";
  d.help = "did you mean `product.tpp`?";
  d.file = "policy/3a090.edict";
  d.line = 12;
  d.column = 8;
  d.end_column = 19;
  d.source_line = "  when product.tpx > 1";
  return d;
}

}  // namespace

TEST_CASE("render: error with source, underline and help", "[diagnostic]") {
  CHECK(edict::render(unknown_name()) ==
        "policy/3a090.edict:12:8: error[unknown-name]: unknown fact `product.tpx`\n"
        "   12 |   when product.tpx > 1\n"
        "      |        ^~~~~~~~~~~\n"
        "      = help: did you mean `product.tpp`?\n");
}

TEST_CASE("render: warning, caret only, no help", "[diagnostic]") {
  Diagnostic d = unknown_name();
  d.severity = Severity::kWarning;
  d.code = "unused-definition";
  d.message = "definition `density` is never used";
  d.help.clear();
  d.line = 3;
  d.column = 1;
  d.end_column = 0;
  d.source_line = "define density = 1";
  CHECK(edict::render(d) ==
        "policy/3a090.edict:3:1: warning[unused-definition]: definition `density` is never used\n"
        "    3 | define density = 1\n"
        "      | ^\n");
  d.end_column = 1;  // end <= column: caret only
  CHECK(edict::render(d).ends_with("      | ^\n"));
  d.end_column = 2;  // one byte wide
  CHECK(edict::render(d).ends_with("      | ^\n"));
  d.end_column = 3;
  CHECK(edict::render(d).ends_with("      | ^~\n"));
}

TEST_CASE("render: the gutter widens for long line numbers", "[diagnostic]") {
  Diagnostic d = unknown_name();
  d.help.clear();
  d.line = 1234;
  CHECK(edict::render(d) ==
        "policy/3a090.edict:1234:8: error[unknown-name]: unknown fact `product.tpx`\n"
        " 1234 |   when product.tpx > 1\n"
        "      |        ^~~~~~~~~~~\n");
  d.line = 123456;
  d.help = std::string("h");  // not a literal: avoids a GCC 12 -Wrestrict false positive
  CHECK(edict::render(d) ==
        "policy/3a090.edict:123456:8: error[unknown-name]: unknown fact `product.tpx`\n"
        " 123456 |   when product.tpx > 1\n"
        "        |        ^~~~~~~~~~~\n"
        "        = help: h\n");
}

TEST_CASE("render: tabs and UTF-8 before the caret keep the alignment", "[diagnostic]") {
  Diagnostic d = unknown_name();
  d.help.clear();
  d.source_line = "\twhen x > 1";
  d.column = 7;
  d.end_column = 8;
  CHECK(edict::render(d) ==
        "policy/3a090.edict:12:7: error[unknown-name]: unknown fact `product.tpx`\n"
        "   12 | \twhen x > 1\n"
        "      | \t     ^\n");
  d.source_line = "given name = \"Zürich\" x";  // ü is two bytes
  d.column = 14;
  d.end_column = 23;  // the string literal, 9 bytes, 8 characters
  CHECK(edict::render(d).ends_with("   12 | given name = \"Zürich\" x\n"
                                   "      |              ^~~~~~~~\n"));
}

TEST_CASE("render: caret past the end of the line, empty line", "[diagnostic]") {
  Diagnostic d = unknown_name();
  d.help.clear();
  d.message = "expected `end`";
  d.code = "syntax";
  d.source_line = "rule r";
  d.column = 7;
  d.end_column = 0;
  CHECK(edict::render(d) ==
        "policy/3a090.edict:12:7: error[syntax]: expected `end`\n"
        "   12 | rule r\n"
        "      |       ^\n");
  d.source_line.clear();
  d.column = 1;
  CHECK(edict::render(d) ==
        "policy/3a090.edict:12:1: error[syntax]: expected `end`\n"
        "   12 |\n"
        "      | ^\n");
}

TEST_CASE("render: diagnostics without a location", "[diagnostic]") {
  Diagnostic d;
  d.code = "missing-policy";
  d.message = "no `policy` declaration";
  d.file = "policy/";
  CHECK(edict::render(d) == "policy/: error[missing-policy]: no `policy` declaration\n");
  d.help = "add one: policy \"name\" outcomes ... end";
  CHECK(edict::render(d) ==
        "policy/: error[missing-policy]: no `policy` declaration\n"
        "      = help: add one: policy \"name\" outcomes ... end\n");
  d.help.clear();
  d.file.clear();
  CHECK(edict::render(d) == "error[missing-policy]: no `policy` declaration\n");
  d.code.clear();
  d.severity = Severity::kWarning;
  CHECK(edict::render(d) == "warning: no `policy` declaration\n");
}

TEST_CASE("render_all: blank lines between diagnostics and a summary", "[diagnostic]") {
  CHECK(edict::render_all({}).empty());

  Diagnostic warning;
  warning.severity = Severity::kWarning;
  warning.code = "possible-exemption-conflict";
  warning.message = "exemptions `a` and `b` may both apply to rule `r`";
  warning.file = "p.edict";

  Diagnostic error;
  error.code = "duplicate-name";
  error.message = "`r` is declared twice";
  error.file = "p.edict";

  const std::vector<Diagnostic> all = {unknown_name(), warning, error};
  CHECK(edict::render_all(all) ==
        "policy/3a090.edict:12:8: error[unknown-name]: unknown fact `product.tpx`\n"
        "   12 |   when product.tpx > 1\n"
        "      |        ^~~~~~~~~~~\n"
        "      = help: did you mean `product.tpp`?\n"
        "\n"
        "p.edict: warning[possible-exemption-conflict]: exemptions `a` and `b` may both apply to rule `r`\n"
        "\n"
        "p.edict: error[duplicate-name]: `r` is declared twice\n"
        "\n"
        "2 errors, 1 warning\n");
  CHECK(edict::render_all({error}).ends_with("\n\n1 error\n"));
  CHECK(edict::render_all({warning}).ends_with("\n\n1 warning\n"));
  CHECK(edict::render_all({warning, warning}).ends_with("\n\n2 warnings\n"));
  CHECK(edict::render_all({error, error, warning, warning}).ends_with("\n\n2 errors, 2 warnings\n"));
}

TEST_CASE("has_errors", "[diagnostic]") {
  Diagnostic warning;
  warning.severity = Severity::kWarning;
  CHECK_FALSE(edict::has_errors({}));
  CHECK_FALSE(edict::has_errors({warning, warning}));
  CHECK(edict::has_errors({warning, Diagnostic{}}));
}
