// Exact decimal numbers: parsing of number literals and JSON number text into rationals, and their canonical
// text. No value ever passes through binary floating point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

namespace edict::core {

using Rational = boost::multiprecision::cpp_rational;
using Integer = boost::multiprecision::cpp_int;

inline constexpr long kMaxDecimalExponent = 10000;

// Parses `-? digits ( "." digits )? ( [eE] [+-]? digits )?` exactly: "1e26" is 10^26, "1.5e-3" is 15/10000.
// With allow_underscores, single underscores may separate digits of the integer and fraction parts
// ("26_900_000"). Returns nullopt for anything else ("", ".", "1.", ".5", "+1", "0x10", "NaN", "inf", "1__0"),
// for more than max_digits digits before the exponent, and for exponents beyond +-kMaxDecimalExponent.
std::optional<Rational> parse_decimal(std::string_view text, bool allow_underscores, std::size_t max_digits = 1000);

// Canonical text: "4800", "-2.5", "0.001" (shortest exact decimal when the value has one), otherwise the
// reduced fraction and a 6-decimal approximation rounded half away from zero: "2496/407 (≈6.132678)".
std::string format_decimal(const Rational& value);
// The same text for numerator / denominator in lowest terms (denominator > 0), in 128-bit arithmetic when the
// decimals fit (traces show many such values; the arbitrary-precision path costs several times more).
std::string format_decimal(std::int64_t numerator, std::int64_t denominator);

bool is_integer(const Rational& value);

// True when `text` is a number by the JSON grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view text);

}  // namespace edict::core
