// Unit tests of what the parser accepts as policy text (grammar/parse.cpp, grammar/rules.hpp): UTF-8 only,
// no control characters inside strings, ASCII identifiers; each refusal located at the offending character.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "parse.hpp"
#include "utf8.hpp"

namespace {

struct Position {
  std::size_t line = 1;
  std::size_t column = 1;
};

Position position(std::string_view text, std::size_t offset) {
  Position p;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

struct Refusal {
  std::string text;
  std::string code;
  std::string message;
  std::size_t line;
  std::size_t column;
  std::string covered;  // the bytes the span covers
};

void check_refused(const Refusal& c) {
  INFO(c.text);
  const auto r = edict::grammar::parse(c.text, 0);
  CHECK_FALSE(r.file.has_value());
  REQUIRE(r.diagnostics.size() == 1);
  const auto& d = r.diagnostics[0];
  INFO(d.message << " | " << d.help);
  CHECK(d.code == c.code);
  CHECK(d.message == c.message);
  const Position p = position(c.text, d.span.begin);
  CHECK(p.line == c.line);
  CHECK(p.column == c.column);
  CHECK(c.text.substr(d.span.begin, d.span.end - d.span.begin) == c.covered);
}

const std::string kRule = "rule r\n  title \"";  // a string starting on line 2, column 10

}  // namespace

TEST_CASE("invalid UTF-8 is refused, located at its first byte and named in hex", "[grammar][utf8]") {
  const Refusal cases[] = {
      {kRule + "caf\x80\"\nend\n", "invalid-utf8",
       "invalid UTF-8: byte 0x80 is a continuation byte without a lead byte before it", 2, 13, "\x80"},
      {kRule + "\xe2\x82\"\nend\n", "invalid-utf8",
       "invalid UTF-8: truncated sequence 0xE2 0x82 (the character stops before its last byte)", 2, 10,
       "\xe2\x82"},
      {kRule + "\xc0\xaf\"\nend\n", "invalid-utf8",
       "invalid UTF-8: overlong encoding 0xC0 0xAF (a character encoded with more bytes than it needs)", 2, 10,
       "\xc0\xaf"},
      {kRule + "\xe0\x80\xaf\"\nend\n", "invalid-utf8",
       "invalid UTF-8: overlong encoding 0xE0 0x80 0xAF (a character encoded with more bytes than it needs)", 2,
       10, "\xe0\x80\xaf"},
      {kRule + "\xed\xa0\x80\"\nend\n", "invalid-utf8",
       "invalid UTF-8: 0xED 0xA0 0x80 encodes U+D800, a UTF-16 surrogate", 2, 10, "\xed\xa0\x80"},
      {kRule + "\xf4\x90\x80\x80\"\nend\n", "invalid-utf8",
       "invalid UTF-8: 0xF4 0x90 0x80 0x80 encodes U+110000, above U+10FFFF", 2, 10, "\xf4\x90\x80\x80"},
      {kRule + "ok\xff\"\nend\n", "invalid-utf8", "invalid UTF-8: byte 0xFF never occurs in UTF-8", 2, 12,
       "\xff"},
      // In a comment, and truncated by the end of the file.
      {"# a comment \xe9t\xe9\nrule r end\n", "invalid-utf8",
       "invalid UTF-8: truncated sequence 0xE9 (the character stops before its last byte)", 1, 13, "\xe9"},
      {"rule r end\n#\xf0\x9f\x98", "invalid-utf8",
       "invalid UTF-8: truncated sequence 0xF0 0x9F 0x98 (the character stops before its last byte)", 2, 2,
       "\xf0\x9f\x98"},
      // Outside strings and comments, and reported before any syntax error that comes earlier.
      {"rule )\nrule \xc1\xbf end\n", "invalid-utf8",
       "invalid UTF-8: overlong encoding 0xC1 0xBF (a character encoded with more bytes than it needs)", 2, 6,
       "\xc1\xbf"},
  };
  for (const auto& c : cases) check_refused(c);
}

TEST_CASE("well-formed UTF-8 is accepted in strings and comments", "[grammar][utf8]") {
  // Two-, three- and four-byte characters, and the last code point, U+10FFFF.
  const std::string text = "# Zürich, 東京, 😀 \xf4\x8f\xbf\xbf\nrule r\n  title \"Zürich 東京 😀\"\nend\n";
  const auto r = edict::grammar::parse(text, 0);
  INFO((r.diagnostics.empty() ? std::string() : r.diagnostics[0].message));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.file.has_value());
}

TEST_CASE("utf8::decode and first_invalid", "[grammar][utf8]") {
  using edict::utf8::Error;
  CHECK(edict::utf8::decode("\xc3\xa8").code_point == 0xE8);
  CHECK(edict::utf8::decode("\xc3\xa8").length == 2);
  CHECK(edict::utf8::decode("\xf4\x8f\xbf\xbf").code_point == 0x10FFFF);
  CHECK(edict::utf8::decode("\xf0\x80\x80\x80").error == Error::kOverlong);
  CHECK(edict::utf8::decode("\xc0").error == Error::kInvalidByte);
  CHECK(edict::utf8::decode("\xe2\x82x").error == Error::kTruncated);
  CHECK(edict::utf8::decode("\xe2\x82x").length == 2);
  CHECK(edict::utf8::first_invalid("abc") == 3);
  CHECK(edict::utf8::first_invalid("a\xc3\xa8z\xbf") == 4);
  CHECK(edict::utf8::printable("a\tb\nc\x1b\xc2\x85\xe2\x80\xae\xff\xc3\xa8") ==
        "a\tb\\nc\\x1b\\u0085\\u202e\\xff\xc3\xa8");
}

TEST_CASE("control characters inside strings are refused", "[grammar][utf8]") {
  const Refusal cases[] = {
      {kRule + "a\x1b[2Jb\"\nend\n", "control-character", "control character U+001B in a string", 2, 11, "\x1b"},
      {kRule + "\a\"\nend\n", "control-character", "control character U+0007 in a string", 2, 10, "\a"},
      {kRule + "\x7f\"\nend\n", "control-character", "control character U+007F in a string", 2, 10, "\x7f"},
      {kRule + "\xc2\x9b" "31m\"\nend\n", "control-character", "control character U+009B in a string", 2, 10,
       "\xc2\x9b"},
      {kRule + "abc\xe2\x80\xae" "fed\"\nend\n", "control-character",
       "bidirectional formatting character U+202E in a string", 2, 13, "\xe2\x80\xae"},
      {std::string("define x = \"\0\"", 14), "control-character", "control character U+0000 in a string", 1, 13,
       std::string(1, '\0')},
  };
  for (const auto& c : cases) check_refused(c);
  // A raw tab is fine in a string, and so are controls in comments (they are never printed).
  CHECK(edict::grammar::parse(kRule + "a\tb\"\nend\n", 0).diagnostics.empty());
  CHECK(edict::grammar::parse("# \x1b[2J \a\nrule r end\n", 0).diagnostics.empty());
}

TEST_CASE("a non-ASCII character in an identifier is named, with its code point", "[grammar][identifiers]") {
  const std::string message = "identifiers are ASCII letters, digits and `_`; found ";
  const Refusal cases[] = {
      {"rule r\xc3\xa8gle\n  title \"t\"\nend\n", "non-ascii-identifier", message + "`\xc3\xa8` (U+00E8)", 1, 7,
       "\xc3\xa8"},
      // A Cyrillic `р` (U+0440) that looks like a Latin `p`: at the start, inside, and in a path.
      {"define \xd1\x80rice = 1\n", "non-ascii-identifier", message + "`\xd1\x80` (U+0440)", 1, 8, "\xd1\x80"},
      {"define pri\xd1\x81" "e = 1\n", "non-ascii-identifier", message + "`\xd1\x81` (U+0441)", 1, 11, "\xd1\x81"},
      {"rule r\n  when product.\xd1\x80rice > 1\nend\n", "non-ascii-identifier", message + "`\xd1\x80` (U+0440)",
       2, 16, "\xd1\x80"},
      {"rule r\n  then license_r\xc3\xa9quired\nend\n", "non-ascii-identifier",
       message + "`\xc3\xa9` (U+00E9)", 2, 17, "\xc3\xa9"},
      // A typographic quote where a value starts.
      {"define x = \xe2\x80\x9c" "a\xe2\x80\x9d\n", "syntax-error", "typographic quote `\xe2\x80\x9c` (U+201C)", 1,
       12, "\xe2\x80\x9c"},
  };
  for (const auto& c : cases) check_refused(c);
}

TEST_CASE("other non-ASCII characters outside strings are named in the help", "[grammar][identifiers]") {
  const std::string text = "rule r\n  title \"t\"\n  \xc3\x97\nend\n";  // `×` (U+00D7) where a clause starts
  const auto r = edict::grammar::parse(text, 0);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].message == "expected `end` to close `rule` block");
  CHECK(r.diagnostics[0].help == "found `\xc3\x97` (U+00D7); outside strings and comments, policy text is ASCII");
  CHECK(position(text, r.diagnostics[0].span.begin).line == 3);
  CHECK(position(text, r.diagnostics[0].span.begin).column == 3);

  const std::string quote = "rule r\n  title \xe2\x80\x9c" "Demo\xe2\x80\x9d\nend\n";
  const auto q = edict::grammar::parse(quote, 0);
  REQUIRE(q.diagnostics.size() == 1);
  CHECK(q.diagnostics[0].message == "expected a string after `title`");
  CHECK(q.diagnostics[0].help ==
        "found `\xe2\x80\x9c` (U+201C): strings are written between straight double quotes `\"`");
}
