// Party-name normalisation for `matches`: case, punctuation, spacing and common corporate suffixes ignored.
#include "core/names.hpp"

#include <array>
#include <string>
#include <string_view>

namespace edict::core {
namespace {

// Suffixes as word sequences; the spelled-out forms of spaced abbreviations ("S. A." -> "s a") included.
constexpr std::array<std::string_view, 26> kSuffixes = {
    "co",  "company", "corp",  "corporation", "inc", "incorporated", "ltd",   "limited", "llc",
    "plc", "gmbh",    "ag",    "sa",          "bv",  "nv",           "pte",   "pty",     "s a",
    "b v", "n v",     "l l c", "p l c",       "a g", "l t d",        "s p a", "spa",
};

// True when `out` ends with the whole words of `suffix` and keeps at least one word before them.
bool ends_with_suffix(const std::string& out, std::string_view suffix) {
  if (out.size() < suffix.size() + 2 || out.back() != suffix.back()) return false;
  const auto tail = std::string_view(out).substr(out.size() - suffix.size());
  return tail == suffix && out[out.size() - suffix.size() - 1] == ' ';
}

}  // namespace

void normalize_party_name_into(std::string_view name, std::string& out) {
  // Written through a cursor: each space written stands for at least one separator read, so the result is
  // never longer than `name`.
  out.resize(name.size());
  char* const begin = out.data();
  char* at = begin;
  bool pending_space = false;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    char kept = 0;
    if (byte >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
      kept = c;
    } else if (c >= 'A' && c <= 'Z') {
      kept = static_cast<char>(c - 'A' + 'a');
    } else if (c == '.' || c == '\'') {
      continue;  // dots and apostrophes join: "A.I." is "ai", "S.A." is "sa", "O'Brien" is "obrien"
    } else {
      pending_space = at != begin;
      continue;
    }
    if (pending_space) *at++ = ' ';
    pending_space = false;
    *at++ = kept;
  }
  out.resize(static_cast<std::size_t>(at - begin));
  if (out.size() > 4 && out.compare(0, 4, "the ") == 0) out.erase(0, 4);
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (const std::string_view suffix : kSuffixes) {
      if (ends_with_suffix(out, suffix)) {
        out.resize(out.size() - suffix.size() - 1);
        stripped = true;
        break;
      }
    }
  }
}

std::string normalize_party_name(std::string_view name) {
  std::string out;
  normalize_party_name_into(name, out);
  return out;
}

}  // namespace edict::core
