// Unit tests of the diagnostic renderer's safety: at most 100 diagnostics shown with a count of the rest,
// and control characters from the policy escaped in messages and source lines (interp/source/diagnostic.cpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "edict/diagnostic.hpp"

using edict::Diagnostic;
using edict::Severity;

namespace {

Diagnostic numbered(Severity severity, int n) {
  Diagnostic d;
  d.severity = severity;
  d.code = severity == Severity::kError ? "missing-clause" : "unused";
  d.message = (severity == Severity::kError ? "error number " : "warning number ") + std::to_string(n);
  d.file = "p.edict";
  return d;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

}  // namespace

TEST_CASE("render_all: the first 100 errors, then a count of the rest", "[diagnostic][limits]") {
  std::vector<Diagnostic> all;
  for (int i = 1; i <= 20000; ++i) all.push_back(numbered(Severity::kError, i));
  const std::string out = edict::render_all(all);
  CHECK(occurrences(out, "error[missing-clause]") == 100);
  CHECK(out.find("error number 100\n") != std::string::npos);
  CHECK(out.find("error number 101\n") == std::string::npos);
  CHECK(out.ends_with("p.edict: error[missing-clause]: error number 100\n"
                      "\n"
                      "... and 19900 more errors not shown\n"
                      "20000 errors\n"));

  // Exactly 100: nothing left out, no count line.
  all.resize(100);
  CHECK(edict::render_all(all).ends_with("error number 100\n\n100 errors\n"));

  // A smaller limit, as a host may ask for.
  CHECK(edict::render_all(all, 3).ends_with("error number 3\n\n... and 97 more errors not shown\n100 errors\n"));
}

TEST_CASE("render_all: warnings never hide an error", "[diagnostic][limits]") {
  std::vector<Diagnostic> all;
  for (int i = 1; i <= 150; ++i) all.push_back(numbered(Severity::kWarning, i));
  all.push_back(numbered(Severity::kError, 1));  // after 150 warnings, in position order
  const std::string out = edict::render_all(all);
  CHECK(out.find("error number 1\n") != std::string::npos);
  CHECK(occurrences(out, "warning[unused]") == 99);
  CHECK(out.find("warning number 99\n") != std::string::npos);
  CHECK(out.find("warning number 100\n") == std::string::npos);
  CHECK(out.ends_with("... and 51 more warnings not shown\n1 error, 150 warnings\n"));

  for (int i = 2; i <= 120; ++i) all.push_back(numbered(Severity::kError, i));
  const std::string errors_first = edict::render_all(all);
  CHECK(occurrences(errors_first, "error[missing-clause]") == 100);
  CHECK(occurrences(errors_first, "warning[unused]") == 0);
  CHECK(errors_first.ends_with("... and 20 more errors and 150 more warnings not shown\n120 errors, 150 warnings\n"));
}

TEST_CASE("render: control characters in messages and source lines are escaped", "[diagnostic]") {
  Diagnostic d;
  d.code = "syntax-error";
  d.message = "unexpected `\x1b[2J`";
  d.help = "bell \a and del \x7f and C1 \xc2\x9b and bidi \xe2\x80\xae";
  d.file = "p.edict";
  d.line = 3;
  d.column = 10;
  d.end_column = 11;
  d.source_line = "\ttitle \"\x1b[2J\" x";  // the caret is on `[`, after the escape
  CHECK(edict::render(d) ==
        "p.edict:3:10: error[syntax-error]: unexpected `\\x1b[2J`\n"
        "    3 | \ttitle \"\\x1b[2J\" x\n"
        "      | \t           ^\n"
        "      = help: bell \\x07 and del \\x7f and C1 \\u009b and bidi \\u202e\n");
  // An underline over an escaped character is as wide as its escape.
  d.column = 9;
  CHECK(edict::render(d).find("      | \t       ^~~~~\n") != std::string::npos);
  // Bytes that are not UTF-8 (an `invalid-utf8` diagnostic shows its line) are escaped one by one.
  d.source_line = "x \xff\xfe y";
  d.column = 3;
  d.end_column = 5;
  CHECK(edict::render(d).find("    3 | x \\xff\\xfe y\n"
                              "      |   ^~~~~~~~\n") != std::string::npos);
}
