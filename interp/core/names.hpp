// Party-name normalisation for `matches`.
#pragma once

#include <string>
#include <string_view>

namespace edict::core {

// Lowercases ASCII, joins dotted abbreviations ("A.I." -> "ai"), turns other punctuation into single spaces,
// drops a leading "the" and strips trailing corporate suffixes (co, ltd, inc, llc, gmbh, ...), keeping at
// least one word. Non-ASCII bytes are kept as they are.
std::string normalize_party_name(std::string_view name);
// The same, into `out` (reusing its capacity: no allocation once it is large enough).
void normalize_party_name_into(std::string_view name, std::string& out);

}  // namespace edict::core
