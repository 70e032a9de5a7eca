#include "eval/names.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edict::eval {
namespace {

// Suffixes as word sequences; the spelled-out forms of dotted abbreviations ("S.A." -> "s a") included.
constexpr std::array<std::string_view, 26> kSuffixes = {
    "co",  "company", "corp",  "corporation", "inc", "incorporated", "ltd",   "limited", "llc",
    "plc", "gmbh",    "ag",    "sa",          "bv",  "nv",           "pte",   "pty",     "s a",
    "b v", "n v",     "l l c", "p l c",       "a g", "l t d",        "s p a", "spa",
};

bool ends_with_words(const std::vector<std::string>& words, std::string_view suffix, std::size_t* count) {
  // Splits the suffix into words and compares them with the last words of `words`.
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= suffix.size()) {
    const std::size_t space = suffix.find(' ', start);
    const std::size_t end = space == std::string_view::npos ? suffix.size() : space;
    parts.push_back(suffix.substr(start, end - start));
    start = end + 1;
  }
  // Keep at least one word of the name.
  if (parts.size() >= words.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (words[words.size() - parts.size() + i] != parts[i]) return false;
  }
  *count = parts.size();
  return true;
}

}  // namespace

std::string normalize_party_name(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
      word += c;
    } else if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else if (c == '.' || c == '\'') {
      // Dots and apostrophes join: "A.I." is "ai", "S.A." is "sa", "O'Brien" is "obrien".
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));

  if (words.size() > 1 && words.front() == "the") words.erase(words.begin());
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view suffix : kSuffixes) {
      std::size_t count = 0;
      if (ends_with_words(words, suffix, &count)) {
        words.resize(words.size() - count);
        stripped = true;
        break;
      }
    }
  }

  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace edict::eval
