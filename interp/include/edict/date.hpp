// Calendar dates (proleptic Gregorian, no time zone): the unit of both time dimensions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edict/export.h"

namespace edict {

class EDICT_API Date {
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

  // Spelled out rather than a defaulted <=>, so that the public headers compile as C++17 too.
  friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend constexpr bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
  friend constexpr bool operator<(Date a, Date b) { return a.days_ < b.days_; }
  friend constexpr bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
  friend constexpr bool operator>(Date a, Date b) { return a.days_ > b.days_; }
  friend constexpr bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

}  // namespace edict
