// Lint comments: `# lint: allow CODE[, CODE...] -- reason`, at the end of the line of a finding or alone on
// the line before it, drop that finding. The reason is required.
#include <cctype>

#include "lint/lint.hpp"

namespace edict::linter {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

bool parse_suppression(std::string_view comment, std::vector<std::string>& codes, std::string& reason) {
  codes.clear();
  reason.clear();
  auto s = trim(comment);
  if (s.rfind("lint:", 0) != 0) return false;
  s = trim(s.substr(5));
  if (s.rfind("allow", 0) == 0) s = s.substr(5);
  const auto dashes = s.find("--");
  if (dashes != std::string_view::npos) {
    reason = std::string(trim(s.substr(dashes + 2)));
    s = s.substr(0, dashes);
  }
  std::string code;
  for (const char c : s) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!code.empty()) codes.push_back(std::move(code));
      code.clear();
    } else {
      code += c;
    }
  }
  if (!code.empty()) codes.push_back(std::move(code));
  return true;
}

std::vector<Suppression> find_suppressions(const Context& cx) {
  std::vector<Suppression> out;
  for (std::uint32_t f = 0; f < cx.p.sources.size(); ++f) {
    if (!cx.own_file(f)) continue;
    const std::string& text = cx.p.sources[f].text;
    std::uint32_t line = 1;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\n') {
        ++line;
        in_string = false;
      } else if (in_string) {
        if (c == '\\') ++i;
        else if (c == '"') in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '#') {
        auto end = text.find('\n', i);
        if (end == std::string::npos) end = text.size();
        Suppression s;
        if (parse_suppression(std::string_view(text).substr(i + 1, end - i - 1), s.codes, s.reason)) {
          s.file = f;
          s.line = line;
          s.span = {f, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end)};
          out.push_back(std::move(s));
        }
        i = end - 1;  // the newline is counted next
      }
    }
  }
  return out;
}

}  // namespace edict::linter
