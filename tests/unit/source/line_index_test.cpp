// Unit tests of the line index (interp/source/located.cpp): line and column at the boundaries of lines, and
// long source lines cut to an excerpt around the column.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "source/located.hpp"

using edict::source::LineColumn;
using edict::source::LineIndex;

namespace {

// The reference: count the line breaks before `offset`.
LineColumn scanned(std::string_view text, std::uint32_t offset) {
  LineColumn at;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

bool same(LineColumn a, LineColumn b) { return a.line == b.line && a.column == b.column; }

}  // namespace

TEST_CASE("LineIndex: line and column at line boundaries", "[source][line-index]") {
  // Offsets: a 0, b 1, \n 2, c 3, d 4, \r 5, \n 6, \n 7, x 8, y 9, z 10; size 11.
  const std::string text = "ab\ncd\r\n\nxyz";
  const LineIndex index(text);
  const auto at = [&](std::uint32_t offset) { return index.line_column(offset); };
  CHECK(same(at(0), {1, 1}));   // first byte
  CHECK(same(at(2), {1, 3}));   // the `\n` ending line 1
  CHECK(same(at(3), {2, 1}));   // just after `\n`
  CHECK(same(at(5), {2, 3}));   // the `\r` of `\r\n`: still line 2
  CHECK(same(at(6), {2, 4}));   // its `\n`
  CHECK(same(at(7), {3, 1}));   // after `\r\n`: an empty line
  CHECK(same(at(8), {4, 1}));   // after the empty line
  CHECK(same(at(10), {4, 3}));  // last byte
  CHECK(same(at(11), {4, 4}));  // end of file
  CHECK(same(at(500), {4, 4}));  // past the end: taken as the end
  CHECK(index.starts() == std::vector<std::uint32_t>{0, 3, 7, 8});

  CHECK(index.line_text(text, 1) == "ab");
  CHECK(index.line_text(text, 2) == "cd");  // without its `\r`
  CHECK(index.line_text(text, 3).empty());
  CHECK(index.line_text(text, 4) == "xyz");
  CHECK(index.line_text(text, 5).empty());
  CHECK(index.line_text(text, 0).empty());
}

TEST_CASE("LineIndex: agrees with a scan at every offset", "[source][line-index]") {
  for (const std::string text : {"", "\n", "\n\n", "a", "a\n", "\r\n", "one\r\ntwo\nthree", "x\n\ny\r\n"}) {
    INFO('"' << text << '"');
    const LineIndex index(text);
    for (std::uint32_t offset = 0; offset <= text.size() + 1; ++offset) {
      INFO(offset);
      CHECK(same(index.line_column(offset), scanned(text, offset)));
      CHECK(same(edict::source::line_column(text, offset), scanned(text, offset)));
    }
    for (std::uint32_t line = 1; line <= index.starts().size() + 1; ++line) {
      CHECK(index.line_text(text, line) == edict::source::line_text(text, line));
    }
  }
}

TEST_CASE("locate_all: diagnostics in several files and on a very long line", "[source][line-index]") {
  using edict::source::SpanDiagnostic;
  const std::string long_line = std::string(2000, 'a') + "BAD" + std::string(2000, 'b');
  const std::vector<edict::SourceFile> files = {{"one.edict", "x\ny\r\nz"}, {"two.edict", "\n" + long_line + "\n"}};
  std::vector<SpanDiagnostic> diagnostics;
  diagnostics.push_back({edict::Severity::kError, "c", "m", "", {1, 2001, 2004}, true});
  diagnostics.push_back({edict::Severity::kError, "c", "m", "", {0, 5, 6}, true});
  diagnostics.push_back({edict::Severity::kError, "c", "m", "", {0, 0, 0}, false});
  const auto located = edict::source::locate_all(files, diagnostics);
  REQUIRE(located.size() == 3);
  CHECK(located[0].line == 0);  // unlocated ones first
  CHECK(located[1].file == "one.edict");
  CHECK(located[1].line == 3);
  CHECK(located[1].column == 1);
  CHECK(located[1].source_line == "z");

  const auto& d = located[2];
  CHECK(d.line == 2);
  CHECK(d.column == 2001);
  CHECK(d.end_column == 2004);
  // The 4003-byte line is kept only around the column; the caret still points at `BAD`.
  CHECK(d.source_line.size() < 1000);
  CHECK(d.source_line_offset > 0);
  CHECK(d.source_line_truncated);
  CHECK(d.source_line.substr(d.column - 1 - d.source_line_offset, 3) == "BAD");
  const std::string rendered = edict::render(d);
  INFO(rendered);
  const auto source_row = rendered.find("|");
  const auto marks_row = rendered.find("|", rendered.find('\n', source_row));
  REQUIRE(marks_row != std::string::npos);
  const auto bad = rendered.find("BAD", source_row) - source_row;
  CHECK(rendered.substr(marks_row + bad, 3) == "^~~");
  CHECK(rendered.find("| ...aaa") != std::string::npos);
  CHECK(rendered.find("bbb...\n") != std::string::npos);
}
