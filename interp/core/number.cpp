#include "core/number.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace edict::core {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads digits (with single underscores between digits when allowed) starting at `pos` into `digits`.
// Fails (returns false) on a misplaced underscore; reads nothing if text[pos] is not a digit.
bool read_digits(std::string_view text, std::size_t& pos, bool allow_underscores, std::string& digits) {
  while (pos < text.size()) {
    const char c = text[pos];
    if (is_digit(c)) {
      digits += c;
      ++pos;
    } else if (c == '_' && allow_underscores) {
      // Only between two digits.
      if (digits.empty() || pos == 0 || !is_digit(text[pos - 1]) || pos + 1 >= text.size() ||
          !is_digit(text[pos + 1])) {
        return false;
      }
      ++pos;
    } else {
      break;
    }
  }
  return true;
}

Integer digits_to_integer(std::string_view digits) {
  // Chunks of 18 digits fit in 64 bits. (The string constructor of cpp_int would read "010" as octal.)
  Integer value = 0;
  std::size_t pos = 0;
  while (pos < digits.size()) {
    const std::size_t n = std::min<std::size_t>(18, digits.size() - pos);
    std::uint64_t chunk = 0;
    std::uint64_t scale = 1;
    for (std::size_t i = 0; i < n; ++i) {
      chunk = chunk * 10 + static_cast<std::uint64_t>(digits[pos + i] - '0');
      scale *= 10;
    }
    value = value * scale + chunk;
    pos += n;
  }
  return value;
}

Integer power_of_ten(unsigned exponent) { return boost::multiprecision::pow(Integer(10), exponent); }

// Divides `rest` (not zero) by `factor` as long as it divides evenly; returns how many times it did.
template <typename Int>
unsigned divide_out(Int& rest, unsigned factor) {
  unsigned count = 0;
  while (rest % factor == 0) {
    rest /= factor;
    ++count;
  }
  return count;
}

// Writes |value| * 10^-decimals, where `scaled` is the non-negative integer |value| * 10^decimals.
std::string fixed_point(const Integer& scaled, unsigned decimals) {
  std::string digits = scaled.str();
  if (decimals == 0) return digits;
  if (digits.size() <= decimals) digits.insert(0, decimals - digits.size() + 1, '0');
  digits.insert(digits.size() - decimals, 1, '.');
  return digits;
}

}  // namespace

std::optional<Rational> parse_decimal(std::string_view text, bool allow_underscores, std::size_t max_digits) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && text[pos] == '-') {
    negative = true;
    ++pos;
  }
  std::string mantissa;
  if (pos >= text.size() || !is_digit(text[pos])) return std::nullopt;
  if (!read_digits(text, pos, allow_underscores, mantissa)) return std::nullopt;
  std::size_t fraction_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (pos >= text.size() || !is_digit(text[pos])) return std::nullopt;
    const std::size_t before = mantissa.size();
    if (!read_digits(text, pos, allow_underscores, mantissa)) return std::nullopt;
    fraction_digits = mantissa.size() - before;
  }
  if (mantissa.size() > max_digits) return std::nullopt;
  long exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exponent_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      exponent_negative = text[pos] == '-';
      ++pos;
    }
    if (pos >= text.size() || !is_digit(text[pos])) return std::nullopt;
    while (pos < text.size() && is_digit(text[pos])) {
      exponent = exponent * 10 + (text[pos] - '0');
      if (exponent > kMaxDecimalExponent) return std::nullopt;
      ++pos;
    }
    if (exponent_negative) exponent = -exponent;
  }
  if (pos != text.size()) return std::nullopt;

  const Integer integer = digits_to_integer(mantissa);
  const long scale = exponent - static_cast<long>(fraction_digits);
  Rational value = scale >= 0 ? Rational(integer * power_of_ten(static_cast<unsigned>(scale)))
                              : Rational(integer, power_of_ten(static_cast<unsigned>(-scale)));
  if (negative) value = -value;
  return value;
}

bool is_integer(const Rational& value) { return boost::multiprecision::denominator(value) == 1; }

std::string format_decimal(const Rational& value) {
  const Integer& numerator = boost::multiprecision::numerator(value);
  const Integer& denominator = boost::multiprecision::denominator(value);  // positive, reduced
  if (denominator == 1) return numerator.str();

  // A reduced fraction has a finite decimal expansion iff its denominator is 2^a * 5^b; then it has exactly
  // max(a, b) decimals.
  Integer rest = denominator;
  const unsigned twos = divide_out(rest, 2);
  const unsigned fives = divide_out(rest, 5);
  const bool negative = numerator < 0;
  const Integer magnitude = negative ? Integer(-numerator) : numerator;
  if (rest == 1) {
    const unsigned decimals = std::max(twos, fives);
    const Integer scaled = magnitude * power_of_ten(decimals) / denominator;  // exact
    return fmt::format("{}{}", negative ? "-" : "", fixed_point(scaled, decimals));
  }

  constexpr unsigned kApproxDecimals = 6;
  // Round half away from zero: floor((2 * |n| * 10^6 + d) / (2 * d)).
  const Integer scaled = (2 * magnitude * power_of_ten(kApproxDecimals) + denominator) / (2 * denominator);
  const bool show_minus = negative && scaled != 0;
  return fmt::format("{}/{} (≈{}{})", numerator.str(), denominator.str(), show_minus ? "-" : "",
                     fixed_point(scaled, kApproxDecimals));
}

namespace {

__extension__ typedef unsigned __int128 UInt128;

// Writes `value` in decimal, with a point before its last `decimals` digits (zeros in front as needed), ending
// at `end`; returns where it starts. The 64-bit loop divides by a constant (a multiplication); __int128
// division is a library call, so only the digits above 64 bits take it.
char* write_fixed_point(UInt128 value, unsigned decimals, char* end) {
  char* at = end;
  const auto digit = [&](unsigned d) {
    if (decimals > 0 && static_cast<unsigned>(end - at) == decimals) *--at = '.';
    *--at = static_cast<char>('0' + d);
  };
  while (value > UINT64_MAX) {
    digit(static_cast<unsigned>(value % 10));
    value /= 10;
  }
  auto small = static_cast<std::uint64_t>(value);
  do {
    digit(static_cast<unsigned>(small % 10));
    small /= 10;
  } while (small != 0);
  while (static_cast<unsigned>(end - at) <= decimals) digit(0);  // "0.05": digits up to the point, then one
  return at;
}

// fixed_point for a 128-bit `scaled`, with a minus sign when `negative`.
std::string fixed_point(UInt128 scaled, unsigned decimals, bool negative = false) {
  char buffer[48];  // 39 digits of 2^128, a point and a sign
  char* end = buffer + sizeof buffer;
  char* at = write_fixed_point(scaled, decimals, end);
  if (negative) *--at = '-';
  return std::string(at, end);
}

}  // namespace

std::string format_decimal(std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 1) return std::to_string(numerator);
  auto rest = static_cast<std::uint64_t>(denominator);  // as format_decimal(Rational) does
  const unsigned twos = divide_out(rest, 2);
  const unsigned fives = divide_out(rest, 5);
  constexpr unsigned kMaxDecimals = 18;  // |n| < 2^63 times 10^18 < 2^123: no overflow
  const unsigned decimals = std::max(twos, fives);
  if (rest == 1 && decimals > kMaxDecimals) return format_decimal(Rational(numerator, denominator));
  const bool negative = numerator < 0;
  const UInt128 magnitude = negative ? UInt128(-(numerator + 1)) + 1 : UInt128(numerator);  // |INT64_MIN| too
  const auto d = static_cast<UInt128>(denominator);
  UInt128 power = 1;
  if (rest == 1) {
    for (unsigned i = 0; i < decimals; ++i) power *= 10;
    return fixed_point(magnitude * power / d, decimals, negative);
  }
  constexpr unsigned kApproxDecimals = 6;  // as format_decimal(Rational): rounded half away from zero
  const UInt128 scaled = (2 * magnitude * 1'000'000 + d) / (2 * d);
  const bool show_minus = negative && scaled != 0;
  return fmt::format("{}/{} (≈{}{})", numerator, denominator, show_minus ? "-" : "",
                     fixed_point(scaled, kApproxDecimals));
}

bool is_json_number(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > from;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.' && (++i, !digits())) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

}  // namespace edict::core
