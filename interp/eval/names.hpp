// Normalisation of party names for `x matches S`: case, punctuation and common corporate suffixes ignored.
#pragma once

#include <string>
#include <string_view>

namespace edict::eval {

// Lowercases ASCII letters, turns every other ASCII character that is not a letter or digit into a space,
// collapses spaces, drops a leading "the" and then trailing corporate suffixes ("co", "ltd", "inc", "gmbh",
// "s a", ...) repeatedly. Bytes outside ASCII are kept as they are. At least one word is always kept, so
// "Company" stays "company". Example: "Moore Threads Technology Co., Ltd." -> "moore threads technology".
std::string normalize_party_name(std::string_view name);

}  // namespace edict::eval
