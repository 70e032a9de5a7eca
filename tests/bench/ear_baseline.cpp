#include "ear_baseline.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace bench {

bool Fixed::parse(std::string_view t, Fixed* out) {
  if (t.empty()) return false;
  bool negative = false;
  std::size_t i = 0;
  if (t[0] == '-') {
    negative = true;
    i = 1;
  }
  std::int64_t whole = 0;
  std::size_t digits = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++digits) {
    if (whole > 1'000'000'000'000LL) return false;  // keeps units within int64
    whole = whole * 10 + (t[i] - '0');
  }
  if (digits == 0) return false;
  std::int64_t frac = 0;
  std::int64_t scale = kScale;
  if (i < t.size() && t[i] == '.') {
    ++i;
    std::size_t fdigits = 0;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++fdigits) {
      if (fdigits >= 6) {
        if (t[i] != '0') return false;  // not representable exactly
        continue;
      }
      scale /= 10;
      frac += (t[i] - '0') * scale;
    }
    if (fdigits == 0) return false;
  }
  if (i != t.size()) return false;  // exponents etc.: not needed by the benchmark cases
  out->units = (negative ? -1 : 1) * (whole * kScale + frac);
  return true;
}

int country_index(std::string_view code) {
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return -1;
  return (code[0] - 'A') * 26 + (code[1] - 'A');
}

const char* decision_name(Decision d) {
  switch (d) {
    case Decision::kLicenseRequired: return "license_required";
    case Decision::kNotify: return "notify";
    case Decision::kLicenseException: return "license_exception";
    case Decision::kNoLicenseRequired: break;
  }
  return "no_license_required";
}

std::vector<std::string> classification_names(std::uint8_t bits) {
  std::vector<std::string> out;
  if (bits & k3A090a) out.emplace_back("3A090.a");
  if (bits & k3A090b) out.emplace_back("3A090.b");
  if (bits & k4A090a) out.emplace_back("4A090.a");
  if (bits & k4A090b) out.emplace_back("4A090.b");
  return out;
}

namespace {

constexpr std::array<std::string_view, 26> kSuffixes = {
    "co",  "company", "corp",  "corporation", "inc", "incorporated", "ltd",   "limited", "llc",
    "plc", "gmbh",    "ag",    "sa",          "bv",  "nv",           "pte",   "pty",     "s a",
    "b v", "n v",     "l l c", "p l c",       "a g", "l t d",        "s p a", "spa",
};

constexpr std::array<std::size_t, kSuffixes.size()> kSuffixWords = [] {
  std::array<std::size_t, kSuffixes.size()> out{};
  for (std::size_t k = 0; k < kSuffixes.size(); ++k) {
    out[k] = 1;
    for (char c : kSuffixes[k]) out[k] += c == ' ' ? 1 : 0;
  }
  return out;
}();

CountrySet set_of(std::initializer_list<std::string_view> codes) {
  CountrySet s;
  for (auto c : codes) s.set(static_cast<std::size_t>(country_index(c)));
  return s;
}

std::vector<std::string> normalized(std::initializer_list<std::string_view> names) {
  std::vector<std::string> out;
  for (auto n : names) {
    std::string buf(n.size() + 1, '\0');
    out.emplace_back(normalize_name(n, buf.data()));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::string_view normalize_name(std::string_view name, char* buf) {
  std::size_t n = 0;
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    char out = 0;
    if (byte >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
      out = c;
    } else if (c >= 'A' && c <= 'Z') {
      out = static_cast<char>(c - 'A' + 'a');
    }
    if (out) {
      if (!in_word) {
        if (n) buf[n++] = ' ';
        ++words;
        in_word = true;
      }
      buf[n++] = out;
    } else {
      in_word = false;
    }
  }
  std::string_view s(buf, n);
  if (words > 1 && s.starts_with("the ")) {
    s.remove_prefix(4);
    --words;
  }
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::size_t k = 0; k < kSuffixes.size(); ++k) {
      const std::string_view suffix = kSuffixes[k];
      const std::size_t suffix_words = kSuffixWords[k];
      if (suffix_words >= words || s.size() <= suffix.size() || s.back() != suffix.back()) continue;
      if (s.ends_with(suffix) && s[s.size() - suffix.size() - 1] == ' ') {
        s.remove_suffix(suffix.size() + 1);
        words -= suffix_words;
        stripped = true;
        break;
      }
    }
  }
  return s;
}

EarBaseline::EarBaseline() {
  // stdlib/ear_country_groups.edict as of 2024-06-01 (Nicaragua in D:1 and D:5 from 2024-03-15).
  const CountrySet d1 = set_of({"AM", "AZ", "BY", "CN", "GE", "IQ", "KG", "KH", "KP", "KZ", "LA", "LY",
                                "MD", "MM", "MN", "MO", "RU", "TJ", "TM", "UZ", "VE", "VN", "YE", "NI"});
  const CountrySet d4 = set_of({"AE", "BH", "BY", "CN", "EG", "IL", "IQ", "IR", "JO", "KP", "KW",
                                "LB", "LY", "MO", "OM", "PK", "QA", "RU", "SA", "SY", "VE", "YE"});
  const CountrySet d5 = set_of({"AF", "BY", "CD", "CF", "CN", "CU", "CY", "ER", "HT", "IQ", "IR", "KH",
                                "KP", "LB", "LY", "MM", "RU", "SD", "SO", "SS", "SY", "VE", "ZW", "NI"});
  const CountrySet a5 = set_of({"AR", "AT", "AU", "BE", "BG", "CA", "CH", "CZ", "DE", "DK", "EE", "ES", "FI",
                                "FR", "GB", "GR", "HR", "HU", "IE", "IN", "IS", "IT", "JP", "KR", "LT", "LU",
                                "LV", "NL", "NO", "NZ", "PL", "PT", "RO", "SE", "SI", "SK", "TR"});
  const CountrySet a6 = set_of({"AL", "CY", "IL", "MT", "MX", "SG", "TW", "ZA"});
  const CountrySet china = set_of({"CN", "HK"});
  const CountrySet mo = set_of({"MO"});
  d5_macau_ = d5 | china | mo;
  ac_scope_ = ((d1 | d4 | d5 | china) & ~(a5 | a6)) | mo;
  china_russia_ = china | set_of({"RU"});

  // policies/ear/00_base.edict + the 2023-03-02 and 2023-10-17 additions (in force on 2024-06-01).
  entity_list_ = normalized({
      "Huawei Technologies", "Huawei", "National Supercomputing Center Jinan",
      "National Supercomputing Center Shenzhen", "National Supercomputing Center Wuxi",
      "National Supercomputing Center Zhengzhou", "Shanghai High-Performance Integrated Circuit Design Center",
      "Sunway Microelectronics", "Shanghai Sunway Microelectronics", "Tianjin Phytium Information Technology",
      "Phytium",
      // 2023-03-02
      "Inspur Group", "Inspur Group Co", "Loongson Technology", "Loongson", "Beijing 4Paradigm Technology",
      "4Paradigm", "National Research Center of Parallel Computer Engineering and Technology", "NRCPC",
      "Wuxi Institute of Advanced Technology",
      // 2023-10-17
      "Beijing Biren Technology Development", "Biren Technology", "Shanghai Biren Intelligent Technology",
      "Biren", "Moore Threads Intelligent Technology (Beijing)", "Moore Threads Technology", "Moore Threads"});
  nvidia_ = normalized({"NVIDIA", "NVIDIA Corporation", "Nvidia Corp"});
  a100_h100_ = normalized({"A100", "A100 SXM4", "A100 SXM", "A100 PCIe", "A100 80GB", "A100 40GB", "A100X",
                           "H100", "H100 SXM5", "H100 SXM", "H100 PCIe", "H100 NVL", "DGX A100", "DGX H100",
                           "HGX A100", "HGX H100"});
}

bool EarBaseline::in_names(const std::vector<std::string>& sorted, std::string_view name) const {
  char buf[256];
  if (name.size() >= sizeof buf) return false;  // no listed name is that long
  const std::string_view key = normalize_name(name, buf);
  return std::binary_search(sorted.begin(), sorted.end(), key, std::less<>());
}

BaselineResult EarBaseline::evaluate(const PackedFacts& f) const {
  __extension__ typedef __int128 I;
  BaselineResult r;
  const auto dest = static_cast<std::size_t>(f.destination);
  const auto hq = static_cast<std::size_t>(f.hq >= 0 ? f.hq : f.destination);
  const std::int64_t tpp = f.tpp.units;
  const std::int64_t die = f.die_area.units;
  auto max_decision = [&r](Decision d) {
    if (d > r.decision) r.decision = d;
  };

  // Entity List (00_base.edict).
  if (f.has_end_user && in_names(entity_list_, f.end_user)) max_decision(Decision::kLicenseRequired);

  // NVIDIA "is informed" letter of 2022-08-26 (open-ended).
  if (china_russia_.test(dest) && in_names(nvidia_, f.manufacturer) &&
      (in_names(a100_h100_, f.product_name) ||
       (tpp >= Fixed::whole(4800).units && f.io_bandwidth.units >= Fixed::whole(600).units))) {
    max_decision(Decision::kLicenseRequired);
  }

  // 3A090.a/.b, 4A090.a/.b (88 FR 73458). PD = tpp / die, compared as tpp * 100 against k * die.
  if (f.kind == Kind::kIc || f.kind == Kind::kComputer) {
    const I pd100 = static_cast<I>(tpp) * 100;  // PD >= x/100  <=>  tpp * 100 >= x * die  (die > 0)
    const bool pd_ge_592 = pd100 >= static_cast<I>(die) * 592;
    const bool pd_ge_160 = pd100 >= static_cast<I>(die) * 160;
    const bool pd_ge_320 = pd100 >= static_cast<I>(die) * 320;
    const bool a = tpp >= Fixed::whole(4800).units ||
                   (f.datacenter && tpp >= Fixed::whole(1600).units && pd_ge_592);
    const bool b = !a && f.datacenter &&
                   ((tpp >= Fixed::whole(2400).units && tpp < Fixed::whole(4800).units && pd_ge_160 && !pd_ge_592) ||
                    (tpp >= Fixed::whole(1600).units && pd_ge_320 && !pd_ge_592));
    if (f.kind == Kind::kIc) {
      r.classifications = static_cast<std::uint8_t>((a ? k3A090a : 0) | (b ? k3A090b : 0));
    } else {
      r.classifications = static_cast<std::uint8_t>((a ? k4A090a : 0) | (b ? k4A090b : 0));
    }
    if (a || b) {
      const bool dest_d5m = d5_macau_.test(dest);
      const bool hq_d5m = d5_macau_.test(hq);
      // NAC / ACA cover .b items and non-datacenter .a items with TPP >= 4800.
      const bool nac_item = b || (!f.datacenter && tpp >= Fixed::whole(4800).units);
      const bool nac = nac_item && (dest_d5m || hq_d5m);    // overrides license_ac_2023, license_hq_2023
      const bool aca = nac_item && !dest_d5m && !hq_d5m;    // overrides license_ac_2023
      if (ac_scope_.test(dest)) {
        max_decision(nac ? Decision::kNotify : aca ? Decision::kLicenseException : Decision::kLicenseRequired);
      }
      if (hq_d5m) max_decision(nac ? Decision::kNotify : Decision::kLicenseRequired);
    }
  }
  return r;
}

}  // namespace bench
