// Exact rationals with a 64-bit fast path (see num.hpp).
#include "core/num.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>

namespace edict::core {

namespace {

constexpr Int128 kMin64 = std::numeric_limits<std::int64_t>::min();
constexpr Int128 kMax64 = std::numeric_limits<std::int64_t>::max();

UInt128 magnitude(Int128 v) { return v < 0 ? static_cast<UInt128>(-(v + 1)) + 1 : static_cast<UInt128>(v); }

UInt128 gcd(UInt128 a, UInt128 b) {
  while (b != 0) {
    const UInt128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

Integer to_integer(Int128 v) {
  const bool negative = v < 0;
  const UInt128 m = magnitude(v);
  Integer out = static_cast<std::uint64_t>(m >> 64);
  out <<= 64;
  out += static_cast<std::uint64_t>(m);
  return negative ? Integer(-out) : out;
}

bool fits(Int128 v) { return v >= kMin64 && v <= kMax64; }

}  // namespace

namespace {
// Stein's binary gcd: shifts and subtractions, no division (gcd(0, b) = b).
std::uint64_t binary_gcd(std::uint64_t a, std::uint64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  const int shift = std::countr_zero(a | b);
  a >>= std::countr_zero(a);
  do {
    b >>= std::countr_zero(b);
    if (a > b) std::swap(a, b);
    b -= a;
  } while (b != 0);
  return a << shift;
}
}  // namespace

Num Num::from_fraction(Int128 n, Int128 d) {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  if (fits(n) && fits(d)) {  // 64-bit gcd: much cheaper than 128-bit division
    const auto n64 = static_cast<std::int64_t>(n);
    const auto d64 = static_cast<std::int64_t>(d);
    if (d64 == 1) return Num(n64, 1);
    // 64-bit division by the (positive) gcd: a 128-bit division costs several times more.
    const auto g = static_cast<std::int64_t>(binary_gcd(static_cast<std::uint64_t>(magnitude(n)), static_cast<std::uint64_t>(d64)));
    return Num(n64 / g, d64 / g);
  }
  const UInt128 g = gcd(magnitude(n), static_cast<UInt128>(d));
  if (g > 1) {
    n /= static_cast<Int128>(g);
    d /= static_cast<Int128>(g);
  }
  if (fits(n) && fits(d)) return Num(static_cast<std::int64_t>(n), static_cast<std::int64_t>(d));
  Num big;
  big.big_ = std::make_shared<const Rational>(to_integer(n), to_integer(d));
  return big;
}

Num Num::from_rational(const Rational& value) {
  using boost::multiprecision::denominator;
  using boost::multiprecision::numerator;
  const Integer n = numerator(value);
  const Integer d = denominator(value);
  if (n >= std::numeric_limits<std::int64_t>::min() && n <= std::numeric_limits<std::int64_t>::max() &&
      d <= std::numeric_limits<std::int64_t>::max()) {
    return Num(n.convert_to<std::int64_t>(), d.convert_to<std::int64_t>());
  }
  Num big;
  big.big_ = std::make_shared<const Rational>(value);
  return big;
}

Rational Num::to_rational() const {
  if (big_) return *big_;
  return Rational(numerator_, denominator_);
}

Num operator+(const Num& a, const Num& b) {
  if (!a.big_ && !b.big_) {
    if (a.denominator_ == 1 && b.denominator_ == 1) {
      std::int64_t sum = 0;
      if (!__builtin_add_overflow(a.numerator_, b.numerator_, &sum)) return Num(sum, 1);
    }
    return Num::from_fraction(Int128(a.numerator_) * b.denominator_ + Int128(b.numerator_) * a.denominator_,
                        Int128(a.denominator_) * b.denominator_);
  }
  return Num::from_rational(a.to_rational() + b.to_rational());
}

Num Num::operator-() const {
  if (big_) return from_rational(-*big_);
  if (numerator_ == std::numeric_limits<std::int64_t>::min()) return from_fraction(-Int128(numerator_), denominator_);
  return Num(-numerator_, denominator_);
}

Num operator-(const Num& a, const Num& b) { return a + (-b); }

std::size_t bit_size(const Rational& value) {
  const auto bits = [](const Integer& v) -> std::size_t {
    return v == 0 ? 1 : static_cast<std::size_t>(boost::multiprecision::msb(boost::multiprecision::abs(v))) + 1;
  };
  return bits(boost::multiprecision::numerator(value)) + bits(boost::multiprecision::denominator(value));
}

// The same count as bit_size(Rational) for a small value: a small operand no longer counts as 128 bits.
std::size_t Num::bit_size() const {
  if (big_) return core::bit_size(*big_);
  const auto magnitude = numerator_ < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(numerator_)
                                        : static_cast<std::uint64_t>(numerator_);
  return std::max<std::size_t>(1, std::bit_width(magnitude)) +
         static_cast<std::size_t>(std::bit_width(static_cast<std::uint64_t>(denominator_)));
}

Num operator*(const Num& a, const Num& b) {
  if (!a.big_ && !b.big_) {
    return Num::from_fraction(Int128(a.numerator_) * b.numerator_, Int128(a.denominator_) * b.denominator_);
  }
  return Num::from_rational(a.to_rational() * b.to_rational());
}

Num operator/(const Num& a, const Num& b) {
  if (!a.big_ && !b.big_) {
    return Num::from_fraction(Int128(a.numerator_) * b.denominator_, Int128(a.denominator_) * b.numerator_);
  }
  return Num::from_rational(a.to_rational() / b.to_rational());
}

int Num::compare_exact(const Num& a, const Num& b) {
  const Rational left = a.to_rational(), right = b.to_rational();
  return left < right ? -1 : (left > right ? 1 : 0);
}

std::optional<Num> parse_num(std::string_view text, std::size_t max_digits) {
  // Fast path: [-]digits[.digits], at most 18 digits in all, no exponent.
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  std::int64_t mantissa = 0;
  std::int64_t scale = 1;
  int digits = 0;
  bool in_fraction = false, simple = i < text.size();
  for (; i < text.size() && simple; ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (++digits > 18) {
        simple = false;
        break;
      }
      mantissa = mantissa * 10 + (c - '0');
      if (in_fraction) scale *= 10;
    } else if (c == '.' && !in_fraction && digits > 0 && i + 1 < text.size()) {
      in_fraction = true;
    } else {
      simple = false;
    }
  }
  const std::size_t first = negative ? 1 : 0;
  const bool leading_zero = text.size() > first + 1 && text[first] == '0' && text[first + 1] != '.';
  if (simple && digits > 0 && !leading_zero && static_cast<std::size_t>(digits) <= max_digits) {
    if (scale == 1) return Num::from_int(negative ? -mantissa : mantissa);  // whole: already in lowest terms
    return Num::from_fraction(negative ? -Int128(mantissa) : Int128(mantissa), scale);
  }
  auto slow = parse_decimal(text, false, max_digits);
  if (!slow) return std::nullopt;
  return Num::from_rational(*slow);
}

}  // namespace edict::core
