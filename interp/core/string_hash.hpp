// A hash for maps keyed by std::string that may be searched with a std::string_view (no temporary string):
// std::unordered_map<std::string, T, core::StringHash, std::equal_to<>>.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace edict::core {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

}  // namespace edict::core
