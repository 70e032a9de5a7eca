// Calendar dates (proleptic Gregorian, no time zone): the unit of both time dimensions.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edict {

class Date {
 public:
  constexpr Date() = default;

  // Parses exactly "YYYY-MM-DD" (years 0001-9999); rejects impossible dates such as 2023-02-29.
  static std::optional<Date> parse(std::string_view iso);
  static std::optional<Date> from_ymd(int year, int month, int day);
  // Today's date in UTC (used only by the CLI when --as-of is omitted).
  static Date today_utc();

  static constexpr Date min() { return Date(INT32_MIN); }
  static constexpr Date max() { return Date(INT32_MAX); }

  std::string to_string() const;  // "YYYY-MM-DD"; "-inf"/"+inf" for min()/max()
  constexpr std::int32_t days() const { return days_; }  // days since 1970-01-01
  static constexpr Date from_days(std::int32_t days) { return Date(days); }

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

}  // namespace edict
