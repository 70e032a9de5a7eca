// A hand-written C++ baseline of the EAR pack's rules in force on 2024-06-01 (latest rulebook), for the
// benchmarks: the same decisions as policies/ear, with no interpreter. Exact: decimals are fixed-point
// integers (scale 10^6) and ratio thresholds are compared by cross-multiplication, never by division.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

// Fixed-point decimal, value = units / 10^6. parse() rejects anything it cannot hold exactly.
struct Fixed {
  static constexpr std::int64_t kScale = 1'000'000;
  std::int64_t units = 0;
  static bool parse(std::string_view text, Fixed* out);
  static constexpr Fixed whole(std::int64_t n) { return Fixed{n * kScale}; }
};

enum class Kind : std::uint8_t { kIc, kHbm, kComputer, kModelWeights };

// Country index: (c0 - 'A') * 26 + (c1 - 'A'), so every ISO alpha-2 code has a bit.
constexpr std::size_t kCountrySlots = 26 * 26;
using CountrySet = std::bitset<kCountrySlots>;
int country_index(std::string_view code);  // -1 if not two upper-case letters

// The pre-packed inputs of one decision (all facts the 2024-06-01 rules read).
struct PackedFacts {
  Kind kind = Kind::kIc;
  bool datacenter = false;
  Fixed tpp, die_area, io_bandwidth;
  std::int16_t destination = -1;
  std::int16_t hq = -1;  // defaults to destination
  std::string product_name;
  std::string manufacturer;
  bool has_end_user = false;
  std::string end_user;
};

enum class Decision : std::uint8_t { kNoLicenseRequired, kLicenseException, kNotify, kLicenseRequired };
const char* decision_name(Decision d);

enum Classification : std::uint8_t { k3A090a = 1, k3A090b = 2, k4A090a = 4, k4A090b = 8 };

struct BaselineResult {
  Decision decision = Decision::kNoLicenseRequired;
  std::uint8_t classifications = 0;  // Classification bits
};

std::vector<std::string> classification_names(std::uint8_t bits);  // sorted like the interpreter's

// Normalises a party / product name like the pack's `matches` (case, punctuation, corporate suffixes),
// into `buf` (size >= name.size() + 1); returns the normalised view. No allocation.
std::string_view normalize_name(std::string_view name, char* buf);

class EarBaseline {
 public:
  EarBaseline();
  BaselineResult evaluate(const PackedFacts& f) const;

 private:
  bool in_names(const std::vector<std::string>& sorted, std::string_view name) const;
  CountrySet ac_scope_, d5_macau_, china_russia_;
  std::vector<std::string> entity_list_, nvidia_, a100_h100_;  // normalised, sorted
};

}  // namespace bench
