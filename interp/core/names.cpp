// Party-name normalisation for `matches`: case, punctuation, spacing and common corporate suffixes ignored.
#include "core/names.hpp"

#include <array>
#include <cstdint>
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

// The suffixes by their last letter (a name is stripped of one suffix after another, and most of its last
// letters end no suffix): per letter a-z, the positions in kSuffixes, ended by -1.
constexpr std::size_t kMostPerLetter = 8;
using SuffixesByLetter = std::array<std::array<std::int8_t, kMostPerLetter>, 26>;
constexpr SuffixesByLetter suffixes_by_letter() {
  SuffixesByLetter table{};
  for (auto& row : table) row.fill(-1);
  for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
    auto& row = table[static_cast<std::size_t>(kSuffixes[i].back() - 'a')];
    std::size_t at = 0;
    while (row[at] != -1) ++at;  // a letter with more than kMostPerLetter suffixes does not compile
    row[at] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr SuffixesByLetter kSuffixesByLetter = suffixes_by_letter();

// Strips one corporate suffix from the end of `out`; false when it ends with none.
bool strip_suffix(std::string& out) {
  if (out.empty() || out.back() < 'a' || out.back() > 'z') return false;
  for (const auto i : kSuffixesByLetter[static_cast<std::size_t>(out.back() - 'a')]) {
    if (i < 0) break;
    const auto suffix = kSuffixes[static_cast<std::size_t>(i)];
    if (ends_with_suffix(out, suffix)) {
      out.resize(out.size() - suffix.size() - 1);
      return true;
    }
  }
  return false;
}

// What each byte becomes: itself (digits, lower-case letters, and every byte of a multi-byte UTF-8
// character), its lower case (A-Z), kJoin (dots and apostrophes: "A.I." is "ai", "S.A." is "sa", "O'Brien"
// is "obrien") or kSeparator (anything else: one space between words). One look-up per byte, not a chain of
// range tests.
constexpr char kSeparator = 0, kJoin = 1;
constexpr std::array<char, 256> fold_table() {
  std::array<char, 256> table{};  // kSeparator
  for (int b = 0; b < 256; ++b) {
    const auto c = static_cast<char>(b);
    if (b >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) table[static_cast<std::size_t>(b)] = c;
    if (c >= 'A' && c <= 'Z') table[static_cast<std::size_t>(b)] = static_cast<char>(c - 'A' + 'a');
    if (c == '.' || c == '\'') table[static_cast<std::size_t>(b)] = kJoin;
  }
  return table;
}
constexpr std::array<char, 256> kFold = fold_table();

}  // namespace

void normalize_party_name_into(std::string_view name, std::string& out) {
  // Written through a cursor: each space written stands for at least one separator read, so the result is
  // never longer than `name`.
  out.resize(name.size());
  char* const begin = out.data();
  char* at = begin;
  bool pending_space = false;
  for (const char c : name) {
    const char kept = kFold[static_cast<unsigned char>(c)];
    if (kept == kJoin) continue;
    if (kept == kSeparator) {
      pending_space = at != begin;
      continue;
    }
    if (pending_space) *at++ = ' ';
    pending_space = false;
    *at++ = kept;
  }
  out.resize(static_cast<std::size_t>(at - begin));
  if (out.size() > 4 && out.compare(0, 4, "the ") == 0) out.erase(0, 4);
  while (strip_suffix(out)) {
  }
}

std::string normalize_party_name(std::string_view name) {
  std::string out;
  normalize_party_name_into(name, out);
  return out;
}

}  // namespace edict::core
