// Escaping for HTML: every text from a policy, the facts or a result is written through esc().
#include "report/html.hpp"

#include "utf8.hpp"

namespace edict::report {

void append_esc(std::string& out, std::string_view text) {
  // First as the text renderings show it (no control or bidirectional characters, valid UTF-8), then the five
  // characters that HTML reads as markup. Quotes too, so that the same text is safe in an attribute.
  const std::string shown = utf8::printable(text);
  for (const char c : shown) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

std::string esc(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_esc(out, text);
  return out;
}

std::string element(std::string_view tag, std::string_view cls, std::string_view text) {
  std::string out = "<";
  out += tag;
  if (!cls.empty()) {
    out += " class=\"";
    out += cls;
    out += '"';
  }
  out += '>';
  append_esc(out, text);
  out += "</";
  out += tag;
  out += '>';
  return out;
}

}  // namespace edict::report
