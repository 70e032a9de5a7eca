// The formatter's public entry (edict/format.hpp): parse with comments, print, verify.
#include "edict/format.hpp"

#include <algorithm>
#include <string_view>

#include "dump.hpp"
#include "parse.hpp"
#include "print.hpp"
#include "source/located.hpp"

namespace edict {
namespace {

grammar::ParseOptions parse_options(const CompileOptions& options) {
  const Limits limits = options.effective_limits();
  grammar::ParseOptions parse;
  parse.max_source_bytes = limits.source_file_bytes;
  parse.max_nesting_depth = limits.nesting_depth;
  parse.max_number_digits = limits.number_digits;
  parse.max_string_bytes = limits.string_bytes;
  parse.keep_comments = true;
  return parse;
}

// The comment texts of a parsed file, sorted (the layout may move a comment, never add or drop one).
std::vector<std::string_view> comment_texts(const syntax::File& file, std::string_view text) {
  std::vector<std::string_view> texts;
  for (const syntax::Comment& c : file.comments) {
    std::string_view s = text.substr(c.span.begin, c.span.end - c.span.begin);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    texts.push_back(s);
  }
  std::sort(texts.begin(), texts.end());
  return texts;
}

FormatResult internal_error(const SourceFile& source, const std::string& what) {
  FormatResult result;
  result.diagnostics.push_back({Severity::kError, "internal-error",
                                "the formatter would " + what + "; the file is left as it is",
                                "please report this with the file", source.path, 0, 0, 0, {}});
  return result;
}

}  // namespace

FormatResult format_source(const SourceFile& source, const CompileOptions& options) {
  const grammar::ParseOptions parse = parse_options(options);
  auto parsed = grammar::parse(source.text, 0, parse);
  if (!parsed.file) {
    std::vector<source::SpanDiagnostic> located;
    for (auto& d : parsed.diagnostics) located.push_back({Severity::kError, d.code, d.message, d.help, d.span, true});
    FormatResult result;
    result.diagnostics = source::locate_all({source}, std::move(located));
    return result;
  }
  std::string printed = grammar::print(*parsed.file, source.text);

  // Verification: the printed text must be the same program with the same comments.
  grammar::ParseOptions reparse = parse;
  reparse.max_source_bytes = std::max(parse.max_source_bytes, printed.size());  // the layout may add bytes
  auto reparsed = grammar::parse(printed, 0, reparse);
  if (!reparsed.file) return internal_error(source, "print text that does not parse");
  if (grammar::dump(*reparsed.file) != grammar::dump(*parsed.file)) return internal_error(source, "change the program");
  if (comment_texts(*reparsed.file, printed) != comment_texts(*parsed.file, source.text)) {
    return internal_error(source, "lose or change a comment");
  }
  FormatResult result;
  result.text = std::move(printed);
  return result;
}

}  // namespace edict
