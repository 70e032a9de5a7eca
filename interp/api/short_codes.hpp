// The codes of an enumeration (countries, the values of a closed list) found by their bytes as one word: a
// small open-addressing table for enumerations whose codes are at most eight bytes, so that plain JSON turns
// "CN" into its code without hashing a string. The same positions as ir::EnumType::index; a text that is not
// a code is not found here, and the caller's general conversion gives its message.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ir/program.hpp"

namespace edict::api {

class ShortCodes {
 public:
  // Empty (finds nothing) when some code is longer than a word.
  explicit ShortCodes(const ir::EnumType& type);
  bool empty() const { return slots_.empty(); }
  // The position of code `text`, or -1.
  std::int32_t find(std::string_view text) const {
    if (slots_.empty() || text.empty() || text.size() > 8) return -1;
    const std::uint64_t key = word_of(text);
    for (std::size_t i = index_of(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return slots_[i].code;
      if (slots_[i].key == 0) return -1;
    }
  }

 private:
  // The bytes of `text` (1 to 8, never a NUL: a code is printable) in a word, the rest zero.
  static std::uint64_t word_of(std::string_view text) {
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < text.size(); ++i) key |= std::uint64_t{static_cast<unsigned char>(text[i])} << (8 * i);
    return key;
  }
  std::size_t index_of(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15u) >> shift_) & mask_;
  }
  struct Slot {
    std::uint64_t key = 0;  // 0: empty
    std::int32_t code = -1;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 0;
};

}  // namespace edict::api
