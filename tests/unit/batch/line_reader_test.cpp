// The batch line splitter: line endings, a last line without `\n`, and the bound on a line's length, read in
// pieces of every small size (so that each case crosses piece boundaries everywhere).
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "core/line_reader.hpp"

using edict::core::LineReader;

namespace {

// Every line as its text, or "<too long>".
std::vector<std::string> split(const std::string& input, std::size_t max_line_bytes, std::size_t piece_bytes) {
  std::istringstream in(input);
  LineReader reader(in, max_line_bytes, piece_bytes);
  std::vector<std::string> lines;
  for (;;) {
    std::string text = "kept:";  // next() appends: what was there must stay
    const auto status = reader.next(text);
    if (status == LineReader::Status::kEnd) break;
    REQUIRE(text.starts_with("kept:"));
    lines.push_back(status == LineReader::Status::kTooLong ? "<too long>" : text.substr(5));
    if (status == LineReader::Status::kTooLong) REQUIRE(text == "kept:");
  }
  CHECK_FALSE(reader.failed());
  return lines;
}

struct SplitCase {
  const char* what;
  std::string input;
  std::size_t max_line_bytes;
  std::vector<std::string> lines;
};

}  // namespace

TEST_CASE("LineReader splits lines and bounds their length, whatever the piece size", "[batch]") {
  using namespace std::string_literals;
  const std::vector<SplitCase> cases = {
      {"empty input: no line", "", 100, {}},
      {"one newline: one empty line", "\n", 100, {""}},
      {"last line without newline", "a\nbc", 100, {"a", "bc"}},
      {"final newline adds no line", "a\nbc\n", 100, {"a", "bc"}},
      {"CRLF: one CR dropped", "a\r\nb\r\n\r\n", 100, {"a", "b", ""}},
      {"CR without LF at the end", "a\r", 100, {"a"}},
      {"only the last CR is dropped", "a\r\r\n", 100, {"a\r"}},
      {"CR inside a line stays", "a\rb\n", 100, {"a\rb"}},
      {"NUL bytes are ordinary bytes", "a\0b\n\0"s, 100, {"a\0b"s, "\0"s}},
      {"exactly the limit", "abcd\nabcde\n", 4, {"abcd", "<too long>"}},
      {"the limit and a CR", "abcd\r\nabcd\r", 4, {"abcd", "abcd"}},
      {"one over the limit with a CR", "abcde\r\n", 4, {"<too long>"}},
      {"a long line is skipped, the next is read", "x" + std::string(50, 'y') + "\nok\n", 8, {"<too long>", "ok"}},
      {"a long last line without newline", "ok\n" + std::string(50, 'z'), 8, {"ok", "<too long>"}},
      {"empty lines around a long one", "\n" + std::string(20, 'q') + "\n\n", 8, {"", "<too long>", ""}},
  };
  for (const auto& c : cases) {
    for (const std::size_t piece : {1, 2, 3, 5, 64, 65536}) {
      INFO(c.what << " (pieces of " << piece << " bytes)");
      CHECK(split(c.input, c.max_line_bytes, piece) == c.lines);
    }
  }
}
