// Did-you-mean: nearest names by Damerau-Levenshtein distance, plus a last-segment match for dotted paths.
#include "core/suggest.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace edict::core {
namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view last_segment(std::string_view path) {
  const auto dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

// `whole` starts with `start` and goes on with `_` (`tpp_total` / `tpp`): a qualifier added or dropped.
bool starts_with_word(std::string_view whole, std::string_view start) {
  return whole.size() > start.size() && whole.substr(0, start.size()) == start && whole[start.size()] == '_';
}

// Paths that name the same thing under another parent, or with a qualifier added or dropped; only for
// words that are (or are matched against) paths, so that two plain names never match this way.
bool same_last_segment(std::string_view word, std::string_view candidate) {
  if (word.find('.') == std::string_view::npos && candidate.find('.') == std::string_view::npos) return false;
  const auto a = last_segment(word);
  const auto b = last_segment(candidate);
  if (a.empty() || b.empty()) return false;
  return a == b || starts_with_word(a, b) || starts_with_word(b, a);
}

// Short words get a tight bound, or every short name would be near every other.
std::size_t threshold(std::size_t length) { return length <= 3 ? 1 : std::max<std::size_t>(2, length / 3); }

}  // namespace

std::size_t damerau_levenshtein(std::string_view a, std::string_view b) {
  // Three rows of the full table: the swap looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string> nearest_names(std::string_view word, const std::vector<std::string>& candidates,
                                       std::size_t max) {
  if (max == 0) return {};
  const std::string folded = ascii_lower(word);
  const std::size_t bound = threshold(word.size());
  std::vector<std::tuple<std::size_t, std::string>> near;  // (distance, name)
  for (const auto& candidate : candidates) {
    if (candidate == word) continue;
    const std::string other = ascii_lower(candidate);
    const std::size_t distance = damerau_levenshtein(folded, other);
    if (distance <= bound || same_last_segment(folded, other)) near.emplace_back(distance, candidate);
  }
  std::sort(near.begin(), near.end());
  near.erase(std::unique(near.begin(), near.end()), near.end());
  std::vector<std::string> out;
  for (auto& entry : near) {
    if (out.size() == max) break;
    auto& name = std::get<1>(entry);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

std::vector<std::size_t> nearest_members(std::string_view value, const std::vector<std::string>& codes,
                                         const std::vector<std::string>& displays, std::size_t max) {
  // A code or name given as it is written, case aside (`cn`, `"china"`), is the one meant.
  std::vector<std::size_t> out;
  const std::string folded = ascii_lower(value);
  for (std::size_t i = 0; i < codes.size() && out.size() < max; ++i) {
    const bool named = i < displays.size() && !displays[i].empty() && ascii_lower(displays[i]) == folded;
    if (named || (codes[i] != value && ascii_lower(codes[i]) == folded)) out.push_back(i);
  }
  if (!out.empty()) return out;
  // Else names near a display name (`Germny`). Not near codes: codes are short, and a wrong one (`XX`) is
  // one edit from dozens of others.
  std::vector<std::string> names;
  for (const auto& display : displays) {
    if (!display.empty()) names.push_back(display);
  }
  for (const auto& name : nearest_names(value, names, names.size())) {
    for (std::size_t i = 0; i < codes.size(); ++i) {
      const bool named = codes[i] == name || (i < displays.size() && displays[i] == name);
      if (named && std::find(out.begin(), out.end(), i) == out.end() && out.size() < max) out.push_back(i);
    }
  }
  return out;
}

std::string did_you_mean(const std::vector<std::string>& names, const std::vector<std::string>& notes) {
  if (names.empty()) return {};
  std::string out = "did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += "`" + names[i] + "`";
    if (i < notes.size() && !notes[i].empty()) out += " (" + notes[i] + ")";
  }
  return out + "?";
}

std::string did_you_mean_member(std::string_view value, const std::vector<std::string>& codes,
                                const std::vector<std::string>& displays) {
  std::vector<std::string> names, notes;
  for (const auto i : nearest_members(value, codes, displays)) {
    names.push_back(codes[i]);
    notes.push_back(i < displays.size() ? displays[i] : std::string());
  }
  return did_you_mean(names, notes);
}

}  // namespace edict::core
