// Property tests of the evaluator's exact numbers (interp/eval/num.hpp, number.hpp) against an independent
// reference, boost::multiprecision::cpp_rational built directly from the digits: random decimals, values at
// the int64 boundaries (where Num leaves its fast path), zero, negatives, many decimal places, and the
// fractions that arithmetic produces (1/3, ...). The generator has a fixed seed, printed with every failure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/num.hpp"
#include "core/number.hpp"

namespace {

using edict::core::Integer;
using edict::core::Num;
using edict::core::Rational;

constexpr std::uint64_t kSeed = 20240611;

// Draws from a fixed-seed std::mt19937_64, whose output the standard specifies exactly (the standard
// distributions are not: they differ between libraries).
class Draw {
 public:
  explicit Draw(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t below(std::uint64_t bound) { return engine_() % bound; }
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  std::string digits(std::size_t count, bool leading_nonzero) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i)
      out += static_cast<char>('0' + ((i == 0 && leading_nonzero) ? 1 + below(9) : below(10)));
    return out;
  }
  std::uint64_t raw() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

Integer power_of_ten(long exponent) {
  Integer out = 1;
  for (long i = 0; i < exponent; ++i) out *= 10;
  return out;
}

// A decimal in the JSON / literal grammar with its exact value, computed from its parts (not by parsing).
struct DecimalText {
  std::string text;
  Rational value;
};

DecimalText make_decimal(bool negative, const std::string& whole, const std::string& fraction, long exponent) {
  DecimalText out;
  out.text = (negative ? "-" : "") + whole + (fraction.empty() ? "" : "." + fraction);
  if (exponent != 0) out.text += "e" + std::to_string(exponent);
  std::string all_digits = whole + fraction;
  // cpp_int reads a leading 0 as octal: strip leading zeros.
  all_digits.erase(0, std::min(all_digits.find_first_not_of('0'), all_digits.size() - 1));
  Rational value(Integer(all_digits), power_of_ten(static_cast<long>(fraction.size())));
  value = exponent >= 0 ? value * Rational(power_of_ten(exponent)) : value / Rational(power_of_ten(-exponent));
  out.value = negative ? Rational(-value) : value;
  return out;
}

// Mostly short numbers (the fast path), some with 19-25 digits (beyond int64), many decimal places, an
// exponent now and then.
DecimalText random_decimal(Draw& draw) {
  const bool negative = draw.one_in(3);
  const std::size_t whole_digits = draw.one_in(4) ? 19 + draw.below(7) : draw.below(10);
  const std::string whole = whole_digits == 0 ? "0" : draw.digits(whole_digits, true);
  const std::size_t fraction_digits = draw.one_in(2) ? 0 : 1 + draw.below(draw.one_in(5) ? 30 : 6);
  const std::string fraction = draw.digits(fraction_digits, false);
  const long exponent = draw.one_in(6) ? static_cast<long>(draw.below(61)) - 30 : 0;
  return make_decimal(negative, whole, fraction, exponent);
}

// Values at and around the edges of Num's 64-bit fast path, and other special values.
const std::vector<std::string>& boundary_texts() {
  static const std::vector<std::string> texts = {
      "0", "-0", "1", "-1", "2", "0.5", "-0.5", "5.92", "0.000000000000000001", "-0.000000000000000001",
      "9223372036854775807", "-9223372036854775807", "-9223372036854775808", "9223372036854775806",
      "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
      "4294967295", "4294967296", "-4294967296", "3037000499", "3037000500", "922337203685477580.7",
      "-922337203685477580.8", "0.9223372036854775807", "170141183460469231731687303715884105727",
      "1e18", "1e19", "-1e19", "1e-18", "1e-19", "123456789012345678", "1234567890123456789"};
  return texts;
}

Rational reference_of(const std::string& text) {
  const auto parsed = edict::core::parse_decimal(text, false);
  REQUIRE(parsed.has_value());
  return *parsed;
}

int reference_compare(const Rational& a, const Rational& b) { return a < b ? -1 : (a > b ? 1 : 0); }

// Checks every operation on (a, b) against the reference and returns the results, to feed them back into
// the pool (so that fractions like 1/3 and mixed fast/slow operands occur).
std::vector<Num> check_operations(const Num& a, const Num& b) {
  const Rational x = a.to_rational(), y = b.to_rational();
  INFO("a = " << x.str() << ", b = " << y.str());
  std::vector<Num> results = {a + b, a - b, a * b, -a};
  CHECK(results[0].to_rational() == x + y);
  CHECK(results[1].to_rational() == x - y);
  CHECK(results[2].to_rational() == x * y);
  CHECK(results[3].to_rational() == -x);
  if (!b.is_zero()) {
    results.push_back(a / b);
    CHECK(results.back().to_rational() == x / y);
  }
  CHECK(compare(a, b) == reference_compare(x, y));
  CHECK(compare(b, a) == -reference_compare(x, y));
  CHECK((a == b) == (x == y));
  CHECK(a.is_zero() == (x == 0));
  CHECK(a.is_integer() == edict::core::is_integer(x));
  CHECK(Num::from_rational(x).to_rational() == x);
  return results;
}

}  // namespace

TEST_CASE("property: decimal text parses to its exact value", "[num][property]") {
  Draw draw(kSeed);
  INFO("seed " << kSeed);
  for (int i = 0; i < 3000; ++i) {
    const DecimalText d = random_decimal(draw);
    INFO("case " << i << ": " << d.text);
    const auto parsed = edict::core::parse_decimal(d.text, false);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == d.value);
    const auto num = edict::core::parse_num(d.text);
    REQUIRE(num.has_value());
    CHECK(num->to_rational() == d.value);
    // The canonical text of a decimal is exact: it reads back as the same value.
    const std::string canonical = edict::core::format_decimal(d.value);
    INFO("canonical " << canonical);
    const auto reparsed = edict::core::parse_decimal(canonical, false);
    REQUIRE(reparsed.has_value());
    CHECK(*reparsed == d.value);
  }
}

TEST_CASE("property: Num arithmetic and comparisons equal exact rational arithmetic", "[num][property]") {
  Draw draw(kSeed + 1);
  INFO("seed " << kSeed + 1);
  std::vector<Num> pool;
  for (const std::string& text : boundary_texts()) {
    INFO(text);
    const auto num = edict::core::parse_num(text);
    REQUIRE(num.has_value());
    CHECK(num->to_rational() == reference_of(text));
    pool.push_back(*num);
  }
  for (int i = 0; i < 200; ++i) pool.push_back(*edict::core::parse_num(random_decimal(draw).text));
  const std::size_t seeds = pool.size();

  for (int i = 0; i < 4000; ++i) {
    INFO("case " << i);
    // Boundary values against everything; later, results of earlier operations too.
    const Num a = pool[draw.one_in(3) ? draw.below(boundary_texts().size()) : draw.below(pool.size())];
    const Num b = pool[draw.below(pool.size())];
    const std::vector<Num> results = check_operations(a, b);
    const Num& keep = results[draw.below(results.size())];
    // Keep the pool's numbers moderate (a few hundred bits), as the evaluator's limit keeps them bounded.
    if (keep.bit_size() <= 512 && pool.size() < seeds + 2000) pool.push_back(keep);
  }
}

TEST_CASE("property: Num::from_fraction reduces any 128-bit fraction exactly", "[num][property]") {
  Draw draw(kSeed + 2);
  INFO("seed " << kSeed + 2);
  using edict::core::Int128;
  const Int128 edges[] = {0, 1, -1, std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
                          Int128(std::numeric_limits<std::int64_t>::max()) + 1,
                          Int128(std::numeric_limits<std::int64_t>::min()) - 1, Int128(1) << 100};
  const auto random_int128 = [&]() -> Int128 {
    if (draw.one_in(3)) return edges[draw.below(std::size(edges))] * (draw.one_in(2) ? 1 : 3);
    const int shift = static_cast<int>(draw.below(63));
    const Int128 high = static_cast<Int128>(draw.raw() >> 1) << shift;  // up to 126 bits
    const Int128 value = high + static_cast<Int128>(draw.raw() >> 1);
    return draw.one_in(2) ? -value : value;
  };
  const auto to_integer = [](Int128 v) {
    Integer out = static_cast<std::int64_t>(v >> 64);
    out <<= 64;
    out += static_cast<std::uint64_t>(v);  // the low half, as unsigned: exact two's complement composition
    return out;
  };
  for (int i = 0; i < 3000; ++i) {
    const Int128 n = random_int128();
    Int128 d = random_int128();
    if (d == 0) d = 7;
    // The reference is built with a positive denominator (Boost 1.74 throws on a negative one).
    const Rational expected = d < 0 ? Rational(Integer(-to_integer(n)), Integer(-to_integer(d)))
                                    : Rational(to_integer(n), to_integer(d));
    INFO("case " << i << ": " << to_integer(n).str() << " / " << to_integer(d).str());
    const Num value = Num::from_fraction(n, d);
    CHECK(value.to_rational() == expected);
    CHECK(compare(value, Num::from_rational(expected)) == 0);
  }
}

// Traces show small numbers through format_decimal(numerator, denominator) in 128-bit arithmetic: it must give
// the text of format_decimal(Rational) exactly, for decimals (denominators 2^a 5^b, up to 63 halvings, where
// the fast path hands over) and for fractions shown with their approximation, at the int64 boundaries too.
TEST_CASE("property: the text of a small fraction equals the text of its exact value", "[num][property]") {
  Draw draw(kSeed + 3);
  INFO("seed " << kSeed + 3);
  const std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  for (int i = 0; i < 20000; ++i) {
    std::int64_t n = 0;
    switch (draw.below(4)) {
      case 0: n = static_cast<std::int64_t>(draw.below(2000)) - 1000; break;
      case 1: n = static_cast<std::int64_t>(draw.below(std::uint64_t{1} << 62)) * (draw.one_in(2) ? -1 : 1); break;
      case 2: n = draw.one_in(2) ? kMax - static_cast<std::int64_t>(draw.below(3)) : kMin + static_cast<std::int64_t>(draw.below(3)); break;
      default: n = static_cast<std::int64_t>(draw.below(100'000'000)) * (draw.one_in(3) ? -1 : 1); break;
    }
    std::int64_t d = 1;
    if (draw.one_in(2)) {  // 2^a 5^b: an exact decimal, up to 63 halvings and 27 fifths
      const auto twos = draw.below(64), fives = draw.below(28);
      for (std::uint64_t k = 0; k < twos && d <= kMax / 2; ++k) d *= 2;
      for (std::uint64_t k = 0; k < fives && d <= kMax / 5; ++k) d *= 5;
    } else {
      d = 1 + static_cast<std::int64_t>(draw.below(draw.one_in(4) ? std::uint64_t(kMax) : 1000));
    }
    const Rational exact = Rational(n) / Rational(d);  // reduced by cpp_rational
    const Integer& reduced_n = boost::multiprecision::numerator(exact);
    const Integer& reduced_d = boost::multiprecision::denominator(exact);
    INFO("case " << i << ": " << n << "/" << d);
    CHECK(edict::core::format_decimal(reduced_n.convert_to<std::int64_t>(), reduced_d.convert_to<std::int64_t>()) ==
          edict::core::format_decimal(exact));
  }
}
