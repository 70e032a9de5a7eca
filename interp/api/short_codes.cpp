// ShortCodes (short_codes.hpp): built once per frame from the enumeration's index of codes.
#include "api/short_codes.hpp"

#include <bit>

namespace edict::api {

ShortCodes::ShortCodes(const ir::EnumType& type) {
  for (const auto& [code, position] : type.index) {
    if (code.empty() || code.size() > 8 || code.find('\0') != std::string::npos) return;
  }
  // At most half full: a miss stops at an empty slot after a probe or two.
  const std::size_t size = std::bit_ceil(2 * type.index.size() + 2);
  slots_.resize(size);
  mask_ = size - 1;
  shift_ = 64 - std::countr_zero(size);
  for (const auto& [code, position] : type.index) {
    const auto key = word_of(code);
    std::size_t i = index_of(key);
    while (slots_[i].key != 0) i = (i + 1) & mask_;
    slots_[i] = {key, static_cast<std::int32_t>(position)};
  }
}

}  // namespace edict::api
