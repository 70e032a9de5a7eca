// Num: the evaluator's exact rationals with a 64-bit fast path, checked against cpp_rational.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/num.hpp"

using edict::core::compare;
using edict::core::Num;
using edict::core::parse_decimal;
using edict::core::parse_num;
using edict::core::Rational;

namespace {
Num num(const char* text) {
  auto n = parse_num(text);
  REQUIRE(n.has_value());
  return *n;
}
Rational rat(const char* text) {
  auto r = parse_decimal(text, false);
  REQUIRE(r.has_value());
  return *r;
}
}  // namespace

TEST_CASE("parse_num agrees with parse_decimal, on the fast path and off it", "[num]") {
  const std::vector<const char*> inputs = {
      "0", "-0", "4800", "4799.999999", "2461.24", "415.75", "5.92", "-2.5", "0.001", "123456789012345678",
      "1234567890123456789", "99999999999999999999999", "1e26", "1.5e-3", "26900000", "0.1", "0.2", "0.3",
      "9223372036854775807", "-9223372036854775808", "18446744073709551616"};
  for (const char* text : inputs) {
    INFO(text);
    CHECK(num(text).to_rational() == rat(text));
  }
  for (const char* bad : {"", "-", ".", "1.", ".5", "+1", "1e", "abc", "1..2", "--1"}) {
    INFO(bad);
    CHECK_FALSE(parse_num(bad).has_value());
  }
}

TEST_CASE("Num arithmetic is exact, including where int64 overflows", "[num]") {
  struct Row {
    const char* a;
    const char* b;
  };
  const Row rows[] = {{"2461.24", "415.75"},          {"0.1", "0.2"},
                      {"9223372036854775807", "1"},   {"-9223372036854775808", "-1"},
                      {"4294967296", "4294967296"},   {"123456789.123456789", "987654321.987654321"},
                      {"1e26", "3"},                  {"7", "0.000000000000000001"}};
  for (const auto& row : rows) {
    INFO(row.a << " and " << row.b);
    const Num a = num(row.a), b = num(row.b);
    const Rational x = rat(row.a), y = rat(row.b);
    CHECK((a + b).to_rational() == x + y);
    CHECK((a - b).to_rational() == x - y);
    CHECK((a * b).to_rational() == x * y);
    CHECK((a / b).to_rational() == x / y);
    CHECK((-a).to_rational() == -x);
    CHECK(compare(a, b) == (x < y ? -1 : (x > y ? 1 : 0)));
  }
}

TEST_CASE("Num comparisons at a threshold are exact", "[num]") {
  // 2461.24 / 415.75 is exactly 5.92; binary floating point may say otherwise.
  CHECK(compare(num("2461.24") / num("415.75"), num("5.92")) == 0);
  CHECK(compare(num("2054.24") / num("347"), num("5.92")) == 0);
  CHECK(compare(num("2054.23") / num("347"), num("5.92")) < 0);
  CHECK(compare(num("0.1") + num("0.2"), num("0.3")) == 0);
  CHECK(compare(num("4800"), num("4799.999999")) > 0);
  CHECK(num("3").is_integer());
  CHECK_FALSE(num("1.5").is_integer());
  CHECK((num("1.5") * num("2")).is_integer());
  CHECK((num("5") - num("5")).is_zero());
}

// Found by the reference model (tests/reference/regressions/small-operand-128-bits-*): a small value counts
// its real bits toward the size limit of arithmetic, as a big one does, not 128.
TEST_CASE("Num::bit_size counts numerator and denominator bits, small or big", "[num]") {
  using edict::core::Num;
  CHECK(Num::from_int(0).bit_size() == 2);
  CHECK(Num::from_int(5).bit_size() == 4);   // 101 and 1
  CHECK(Num::from_int(-5).bit_size() == 4);
  CHECK(Num::from_int(std::numeric_limits<std::int64_t>::min()).bit_size() == 65);
  const auto third = Num::from_fraction(1, 3);
  CHECK(third.bit_size() == 3);  // 1 and 11
  CHECK(third.bit_size() == edict::core::bit_size(third.to_rational()));
}
