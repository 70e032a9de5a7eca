#include <catch2/catch.hpp>

#include <string>

#include "core/number.hpp"

using edict::core::format_decimal;
using edict::core::Integer;
using edict::core::is_integer;
using edict::core::parse_decimal;
using edict::core::Rational;

namespace {

Rational r(std::string_view text, bool underscores = true) {
  auto value = parse_decimal(text, underscores);
  INFO(text);
  REQUIRE(value.has_value());
  return *value;
}

Rational frac(long long n, long long d) { return Rational(Integer(n), Integer(d)); }

}  // namespace

TEST_CASE("parse_decimal: exact values", "[number]") {
  struct Row {
    const char* text;
    Rational expected;
  };
  const Row rows[] = {
      {"0", Rational(0)},
      {"-0", Rational(0)},
      {"4800", Rational(4800)},
      {"5.92", frac(592, 100)},
      {"2461.24", frac(246124, 100)},
      {"-0.5", frac(-1, 2)},
      {"0.001", frac(1, 1000)},
      {"007", Rational(7)},
      {"010", Rational(10)},
      {"1e26", Rational(boost::multiprecision::pow(Integer(10), 26))},
      {"1E26", Rational(boost::multiprecision::pow(Integer(10), 26))},
      {"1e+3", Rational(1000)},
      {"1.5e-3", frac(15, 10000)},
      {"-2.5E2", Rational(-250)},
      {"12.50e-1", frac(125, 100)},
      {"1.0", Rational(1)},
      {"26_900_000", Rational(26900000)},
      {"1_000.000_1", frac(10000001, 10000)},
      {"0e0", Rational(0)},
      {"123456789012345678901234567890", Rational(Integer("123456789012345678901234567890"))},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    auto value = parse_decimal(row.text, true);
    REQUIRE(value.has_value());
    CHECK(*value == row.expected);
  }
  CHECK(r("1e10000") == Rational(boost::multiprecision::pow(Integer(10), 10000)));
  CHECK(r("1e-10000") == Rational(Integer(1), boost::multiprecision::pow(Integer(10), 10000)));
  CHECK(r("1e-0010000") == r("1e-10000"));
}

TEST_CASE("parse_decimal: rejections", "[number]") {
  const char* bad[] = {
      "",       ".",      "1.",     ".5",     "+1",     "0x10",  "NaN",   "nan",   "inf",    "-inf",
      "-",      "--1",    "- 1",    " 1",     "1 ",     "1e",    "1e+",   "1e-",   "1.5e",   "e5",
      "1,000",  "1..2",   "1.2.3",  "1e2.5",  "1e5e5",  "1f",    "0b1",   "1e10001", "1e-10001", "1e99999999999999999999",
      "_1",     "1_",     "1__000", "1_.5",   "1._5",   "1.5_",  "-_1",   "1_e5",  "1e1_0",  "1.5_e3",
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(parse_decimal(text, true).has_value());
  }
  // Underscores only when allowed (JSON numbers never have them).
  CHECK_FALSE(parse_decimal("26_900_000", false).has_value());
  CHECK(parse_decimal("26900000", false).has_value());
  // Digit limit: counts the digits before the exponent.
  CHECK(parse_decimal(std::string(1000, '9'), false).has_value());
  CHECK_FALSE(parse_decimal(std::string(1001, '9'), false).has_value());
  CHECK_FALSE(parse_decimal("0." + std::string(1000, '1'), false).has_value());
  CHECK(parse_decimal("12.345", false, 5).has_value());
  CHECK_FALSE(parse_decimal("12.3456", false, 5).has_value());
  CHECK(parse_decimal("1_2.3_4_5", true, 5).has_value());
}

TEST_CASE("format_decimal: canonical text", "[number]") {
  struct Row {
    Rational value;
    const char* expected;
  };
  const Row rows[] = {
      {Rational(4800), "4800"},
      {Rational(0), "0"},
      {Rational(-3), "-3"},
      {frac(592, 100), "5.92"},
      {frac(1, 1000), "0.001"},
      {frac(-5, 2), "-2.5"},
      {frac(1, 8), "0.125"},
      {frac(-1, 16), "-0.0625"},
      {frac(123456789, 1000), "123456.789"},
      {frac(2496, 407), "2496/407 (≈6.132678)"},
      {frac(-2496, 407), "-2496/407 (≈-6.132678)"},
      {frac(1, 3), "1/3 (≈0.333333)"},
      {frac(2, 3), "2/3 (≈0.666667)"},
      {frac(-2, 3), "-2/3 (≈-0.666667)"},
      {frac(1, 7), "1/7 (≈0.142857)"},
      {frac(10, 3), "10/3 (≈3.333333)"},
      {frac(1, 3000000), "1/3000000 (≈0.000000)"},
      {frac(-1, 3000000), "-1/3000000 (≈0.000000)"},
      {frac(1, 1500000), "1/1500000 (≈0.000001)"},
      {frac(1, 6), "1/6 (≈0.166667)"},
  };
  for (const Row& row : rows) {
    INFO(row.expected);
    CHECK(format_decimal(row.value) == row.expected);
  }
  CHECK(format_decimal(r("1e26")) == "100000000000000000000000000");
  CHECK(format_decimal(r("1.5e-3")) == "0.0015");
  CHECK(format_decimal(r("2461.24")) == "2461.24");
  CHECK(format_decimal(r("2.50")) == "2.5");
  CHECK(format_decimal(r("-0.000")) == "0");
  CHECK(format_decimal(r("1e-20")) == "0.00000000000000000001");
}

TEST_CASE("format_decimal: half away from zero in the approximation", "[number]") {
  // A non-terminating value is never exactly on a tie; check values just either side of 0.0000005.
  const Rational below = r("0.0000004999") + frac(1, 3 * 10000000000LL);
  const Rational above = r("0.0000005") + frac(1, 3 * 10000000000LL);
  CHECK(format_decimal(below).ends_with("(≈0.000000)"));
  CHECK(format_decimal(above).ends_with("(≈0.000001)"));
  CHECK(format_decimal(-above).ends_with("(≈-0.000001)"));
  CHECK(format_decimal(frac(29, 3)) == "29/3 (≈9.666667)");
  CHECK(format_decimal(frac(2999999999, 3)) == "2999999999/3 (≈999999999.666667)");
}

TEST_CASE("exact arithmetic: no binary floating point", "[number]") {
  // 2461.24 / 415.75 is exactly 5.92.
  const Rational density = r("2461.24") / r("415.75");
  CHECK(density == r("5.92"));
  CHECK(density >= r("5.92"));
  CHECK(format_decimal(density) == "5.92");
  CHECK(r("0.1") + r("0.2") == r("0.3"));
  CHECK(format_decimal(r("0.1") + r("0.2")) == "0.3");
  CHECK(r("1") / r("3") * r("3") == r("1"));
  CHECK(r("4992") / r("814") > r("5.92"));
  CHECK(r("1e26") == r("100_000_000_000_000_000_000_000_000"));
  CHECK(r("1e26") + r("1") > r("1e26"));
}

TEST_CASE("is_integer", "[number]") {
  CHECK(is_integer(r("4800")));
  CHECK(is_integer(r("4800.000")));
  CHECK(is_integer(r("1.5e1")));
  CHECK(is_integer(r("-0")));
  CHECK(is_integer(r("1e26")));
  CHECK_FALSE(is_integer(r("1.5")));
  CHECK_FALSE(is_integer(r("1e-1")));
  CHECK_FALSE(is_integer(frac(1, 3)));
}
