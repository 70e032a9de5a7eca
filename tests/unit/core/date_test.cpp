#include <catch2/catch.hpp>

#include <string>

#include "edict/date.hpp"

using edict::Date;

TEST_CASE("Date::parse accepts valid ISO dates and round-trips", "[date]") {
  struct Row {
    const char* text;
    int days;
  };
  const Row rows[] = {
      {"1970-01-01", 0},       {"1970-01-02", 1},       {"1969-12-31", -1},     {"2000-01-01", 10957},
      {"2000-02-29", 11016},   {"2000-03-01", 11017},   {"2024-02-29", 19782},  {"2023-11-17", 19678},
      {"2025-01-13", 20101},   {"0001-01-01", -719162}, {"9999-12-31", 2932896}, {"1900-02-28", -25509},
      {"1900-03-01", -25508},  {"2024-12-31", 20088},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    auto date = Date::parse(row.text);
    REQUIRE(date.has_value());
    CHECK(date->days() == row.days);
    CHECK(date->to_string() == row.text);
    CHECK(Date::from_days(row.days).to_string() == row.text);
  }
}

TEST_CASE("Date::parse rejects malformed and impossible dates", "[date]") {
  const char* bad[] = {
      "",            "2023-2-1",    "2023-02-1",   "2023-02-29",  "1900-02-29",  "2100-02-29",
      "2023-04-31",  "2023-06-31",  "2023-09-31",  "2023-11-31",  "2023-13-01",  "2023-00-10",
      "2023-01-00",  "2023-01-32",  "0000-01-01",  "2023-01-01x", " 2023-01-01", "2023/01/01",
      "20230101",    "+2023-01-01", "2023-01-0a",  "12023-01-01", "2023-1-01",   "abcd-ef-gh",
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(Date::parse(text).has_value());
  }
}

TEST_CASE("Date leap years", "[date]") {
  CHECK(Date::parse("2000-02-29").has_value());  // divisible by 400
  CHECK_FALSE(Date::parse("1900-02-29").has_value());  // divisible by 100, not 400
  CHECK(Date::parse("2024-02-29").has_value());  // divisible by 4
  CHECK_FALSE(Date::parse("2023-02-29").has_value());
  CHECK(Date::parse("1600-02-29").has_value());
  CHECK(Date::parse("2024-03-01")->days() - Date::parse("2024-02-28")->days() == 2);
  CHECK(Date::parse("2023-03-01")->days() - Date::parse("2023-02-28")->days() == 1);
  CHECK(Date::parse("2001-01-01")->days() - Date::parse("2000-01-01")->days() == 366);
  CHECK(Date::parse("1901-01-01")->days() - Date::parse("1900-01-01")->days() == 365);
}

TEST_CASE("Date::from_ymd validates", "[date]") {
  CHECK(Date::from_ymd(2024, 2, 29)->to_string() == "2024-02-29");
  CHECK_FALSE(Date::from_ymd(2023, 2, 29).has_value());
  CHECK_FALSE(Date::from_ymd(0, 1, 1).has_value());
  CHECK_FALSE(Date::from_ymd(10000, 1, 1).has_value());
  CHECK_FALSE(Date::from_ymd(2023, 0, 1).has_value());
  CHECK_FALSE(Date::from_ymd(2023, 12, 32).has_value());
  CHECK(Date::from_ymd(1970, 1, 1)->days() == 0);
}

TEST_CASE("Date every day of four centuries round-trips", "[date]") {
  const int first = Date::parse("1900-01-01")->days();
  const int last = Date::parse("2300-12-31")->days();
  int previous_month = 12;
  for (int d = first; d <= last; ++d) {
    const std::string text = Date::from_days(d).to_string();
    auto parsed = Date::parse(text);
    REQUIRE(parsed.has_value());
    REQUIRE(parsed->days() == d);
    const int month = std::stoi(text.substr(5, 2));
    const int day = std::stoi(text.substr(8, 2));
    if (day == 1) {
      REQUIRE(month == previous_month % 12 + 1);
    }
    previous_month = month;
  }
}

TEST_CASE("Date ordering, infinities and today", "[date]") {
  CHECK(Date::min().to_string() == "-inf");
  CHECK(Date::max().to_string() == "+inf");
  CHECK(Date::min() < *Date::parse("0001-01-01"));
  CHECK(*Date::parse("9999-12-31") < Date::max());
  CHECK(*Date::parse("2023-11-17") < *Date::parse("2024-01-01"));
  CHECK(*Date::parse("2024-01-01") == *Date::parse("2024-01-01"));
  CHECK(Date().to_string() == "1970-01-01");
  const Date today = Date::today_utc();
  CHECK(today > *Date::parse("2024-01-01"));
  CHECK(Date::parse(today.to_string()) == today);
}
