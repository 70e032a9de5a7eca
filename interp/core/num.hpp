// Exact rational numbers for evaluation, fast in the common case: a reduced fraction of two 64-bit integers,
// falling back to an arbitrary-precision cpp_rational only when a value does not fit. Every operation is exact;
// no value ever passes through binary floating point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/number.hpp"

namespace edict::core {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// Arithmetic whose operands' sizes (Num::bit_size) add up to more than this is refused: its result is
// unknown ("number too large", LANGUAGE.md section 8), so that repeated squaring cannot exhaust time and
// memory. 2^17 bits is about 39,000 decimal digits; literals and facts reach at most about 11,000.
inline constexpr std::size_t kMaxNumBits = std::size_t{1} << 17;

// Bits of the numerator plus bits of the denominator.
std::size_t bit_size(const Rational& value);

class Num {
 public:
  Num() = default;  // zero
  static Num from_int(std::int64_t value) { return Num(value, 1); }
  // The same value in place (a fact frame refilled case after case): no temporary, no shared_ptr moved.
  void set_int(std::int64_t value) {
    numerator_ = value;
    denominator_ = 1;
    if (big_) big_.reset();
  }
  static Num from_rational(const Rational& value);
  // n/d in lowest terms (d != 0): small when it fits, big otherwise.
  static Num from_fraction(Int128 numerator, Int128 denominator);

  Rational to_rational() const;
  // Fits two int64 (no arbitrary-precision part): its bit_size() is at most 128.
  bool is_small() const { return !big_; }
  bool is_zero() const { return big_ ? *big_ == 0 : numerator_ == 0; }
  bool is_integer() const { return big_ ? core::is_integer(*big_) : denominator_ == 1; }
  // Bits of the numerator plus bits of the denominator (as bit_size(Rational)): the size of a sum,
  // difference, product or quotient is at most the sum of its operands' sizes (plus one).
  std::size_t bit_size() const;

  friend Num operator+(const Num& a, const Num& b);
  friend Num operator-(const Num& a, const Num& b);
  friend Num operator*(const Num& a, const Num& b);
  // Precondition: !b.is_zero().
  friend Num operator/(const Num& a, const Num& b);
  Num operator-() const;
  // The value as numerator / denominator (lowest terms) when it fits in two int64; false otherwise.
  bool as_fraction(std::int64_t& numerator, std::int64_t& denominator) const {
    numerator = numerator_;
    denominator = denominator_;
    return !big_;
  }

  // -1, 0 or 1. Inline for two small fractions (cross-multiplied in 128 bits), the evaluator's commonest check.
  friend int compare(const Num& a, const Num& b) {
    if (!a.big_ && !b.big_) [[likely]] {
      const Int128 left = Int128(a.numerator_) * b.denominator_;
      const Int128 right = Int128(b.numerator_) * a.denominator_;
      return (left > right) - (left < right);
    }
    return compare_exact(a, b);
  }
  friend bool operator==(const Num& a, const Num& b) { return compare(a, b) == 0; }

 private:
  static int compare_exact(const Num& a, const Num& b);  // either is big
  Num(std::int64_t numerator, std::int64_t denominator) : numerator_(numerator), denominator_(denominator) {}

  std::int64_t numerator_ = 0;
  std::int64_t denominator_ = 1;          // > 0; n/d in lowest terms when small
  std::shared_ptr<const Rational> big_;  // set when the value does not fit in two int64
};


int compare(const Num& a, const Num& b);  // the friend above, for qualified lookup

// Parses decimal text exactly ("4992", "-2.5", "1e26"), as parse_decimal does (at most max_digits digits
// before the exponent); short plain decimals take a fast path that does not allocate.
std::optional<Num> parse_num(std::string_view text, std::size_t max_digits = 1000);

}  // namespace edict::core
