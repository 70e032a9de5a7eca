// Did-you-mean: the declared names nearest to a misspelt one (fact paths, options, keys). Domain-free and
// deterministic; every layer and the CLI use this one implementation.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace edict::core {

// Optimal-string-alignment Damerau-Levenshtein distance: insertions, deletions, substitutions and swaps of
// two adjacent characters each cost 1. Bytes are compared as they are (callers fold case if they want to).
std::size_t damerau_levenshtein(std::string_view a, std::string_view b);

// Up to `max` candidates near `word`, nearest first (ties by name), without duplicates and never `word`
// itself. A candidate is near when, ignoring ASCII case, its distance is at most 1 for a word of up to 3
// characters and max(2, length / 3) for a longer one, or when the last dot-separated segments match:
// equal (`tpp` / `product.tpp`), or one the other's start up to a `_` (`product.tpp_total` /
// `product.tpp`). Empty when nothing is near or `max` is 0.
std::vector<std::string> nearest_names(std::string_view word, const std::vector<std::string>& candidates,
                                       std::size_t max = 3);

// The members of a code list that `value` may have meant, nearest first: by code (`cn` for `CN`) or by
// display name (`"China"`, `"united states"` for `CN`, `US`). `displays[i]` names `codes[i]` ("" for none).
// Indexes into `codes`, at most `max`, each once.
std::vector<std::size_t> nearest_members(std::string_view value, const std::vector<std::string>& codes,
                                         const std::vector<std::string>& displays, std::size_t max = 3);

// "did you mean `a`?", "did you mean `a` or `b`?", "did you mean `a`, `b` or `c`?"; "" for no names. A
// non-empty `notes[i]` follows its name in parentheses: "did you mean `CN` (China)?".
std::string did_you_mean(const std::vector<std::string>& names, const std::vector<std::string>& notes = {});

// did_you_mean over nearest_members: "did you mean `CN` (China)?" for "China"; "" when nothing is near.
std::string did_you_mean_member(std::string_view value, const std::vector<std::string>& codes,
                                const std::vector<std::string>& displays);

}  // namespace edict::core
