// Calendar dates: days since 1970-01-01 in the proleptic Gregorian calendar.
// Conversions use Howard Hinnant's days_from_civil / civil_from_days algorithms.
#include "edict/date.hpp"

#include <chrono>
#include <cstdint>

#include <fmt/format.h>

namespace edict {
namespace {

struct Civil {
  int year;
  int month;
  int day;
};

constexpr bool is_leap(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

constexpr int days_in_month(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

constexpr std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                                    // [0, 399]
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

constexpr Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                   // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                       // [0, 11]
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;               // [1, 31]
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;                  // [1, 12]
  return Civil{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(11017).year == 2000 && civil_from_days(11017).month == 3);

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int digits_value(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(iso[i])) return std::nullopt;
  }
  return from_ymd(digits_value(iso.substr(0, 4)), digits_value(iso.substr(5, 2)), digits_value(iso.substr(8, 2)));
}

std::optional<Date> Date::from_ymd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return std::nullopt;
  }
  return Date(static_cast<std::int32_t>(days_from_civil(year, month, day)));
}

Date Date::today_utc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date(static_cast<std::int32_t>(now.time_since_epoch().count()));
}

std::string Date::to_string() const {
  if (*this == min()) return "-inf";
  if (*this == max()) return "+inf";
  const Civil civil = civil_from_days(days_);
  if (civil.year < 0 || civil.year > 9999) {
    if (civil.year < 0) return fmt::format("-{:04}-{:02}-{:02}", -civil.year, civil.month, civil.day);
    return fmt::format("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day);
  }
  // The common case by hand: traces print many dates, and fmt's general path costs several times more.
  std::string text = "0000-00-00";
  const auto put = [&](std::size_t end, unsigned value, int digits) {
    for (int i = 1; i <= digits; ++i, value /= 10) text[end - static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(4, static_cast<unsigned>(civil.year), 4);
  put(7, static_cast<unsigned>(civil.month), 2);
  put(10, static_cast<unsigned>(civil.day), 2);
  return text;
}

}  // namespace edict
