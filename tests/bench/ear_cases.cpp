#include "ear_cases.hpp"

#include <cstdio>
#include <cstdlib>

namespace bench {
namespace {

struct Product {
  const char* name;
  const char* manufacturer;
  const char* kind;
  const char* tpp;
  const char* die;
  const char* io;
  bool datacenter;
};

// Real parts (figures as in policies/ear/catalog) and threshold cases (exact boundaries).
constexpr Product kProducts[] = {
    {"A100", "NVIDIA", "ic", "4992", "826", "600", true},
    {"H100", "NVIDIA", "ic", "15832", "814", "900", true},
    {"H800", "NVIDIA Corporation", "ic", "15832", "814", "528", true},
    {"H20", "NVIDIA", "ic", "2368", "814", "900", true},
    {"L20", "NVIDIA", "ic", "1912", "608.5", "64", true},
    {"L40S", "NVIDIA", "ic", "5864", "608.5", "64", true},
    {"RTX 4090", "NVIDIA", "ic", "5285", "608.5", "64", false},
    {"RTX 4090D", "NVIDIA", "ic", "4707", "608.5", "64", false},
    {"MI300X", "AMD", "ic", "20919", "1017", "896", true},
    {"Ascend 910B", "Huawei", "ic", "5120", "665.61", "464", true},
    {"PD exactly 5.92", "Acme", "ic", "2054.24", "347", "100", true},     // 3A090.a (a.2)
    {"PD just below 5.92", "Acme", "ic", "2054.23", "347", "100", true},  // 3A090.b (b.2)
    {"PD exactly 1.6", "Acme", "ic", "2400", "1500", "100", true},        // 3A090.b (b.1)
    {"TPP just below 4800", "Acme", "ic", "4799.999", "2000", "100", false},
    {"DGX H100", "NVIDIA", "computer", "15832", "814", "900", true},
    {"Server b", "Acme", "computer", "3000", "800", "100", true},  // PD 3.75: 4A090.b
    {"HBM3E stack", "Acme", "hbm", "0", "1", "0", false},
};

constexpr const char* kDestinations[] = {"US", "CN", "HK", "MO", "RU", "AE", "SA", "IL", "GB",
                                         "SG", "NI", "VN", "CY", "DE", "IN", "TW"};

struct EndUser {
  const char* name;  // nullptr: absent
  const char* hq;    // nullptr: absent (defaults to the destination)
};
constexpr EndUser kEndUsers[] = {
    {nullptr, nullptr},
    {"Acme Corp", "US"},
    {"Acme Corp", "CN"},
    {"Biren Technology Co., Ltd.", "CN"},
    {"The Loongson Technology Corp", nullptr},
    {"Moore Threads", "SG"},
    {"Example Trading Pte. Ltd.", "MO"},
};

std::string quote(const char* s) { return edict::json_quote(s); }

std::vector<EarCase> build() {
  std::vector<EarCase> out;
  for (const auto& p : kProducts) {
    for (const char* dest : kDestinations) {
      for (const auto& eu : kEndUsers) {
        EarCase c;
        c.label = std::string(p.name) + " -> " + dest + (eu.name ? std::string(" / ") + eu.name : "") +
                  (eu.hq ? std::string(" (hq ") + eu.hq + ")" : "");
        c.facts.set_string("product.name", p.name);
        c.facts.set_string("product.manufacturer", p.manufacturer);
        c.facts.set_string("product.kind", p.kind);
        c.facts.set_number("product.tpp", p.tpp);
        c.facts.set_number("product.die_area_mm2", p.die);
        c.facts.set_number("product.io_bandwidth_gbps", p.io);
        c.facts.set_bool("product.datacenter", p.datacenter);
        c.facts.set_string("destination.country", dest);
        c.facts.set_string("transaction.date", "2024-06-01");
        std::string eu_json;
        if (eu.name) {
          c.facts.set_string("end_user.name", eu.name);
          eu_json += "\"name\":" + quote(eu.name);
        }
        if (eu.hq) {
          c.facts.set_string("end_user.hq_country", eu.hq);
          eu_json += std::string(eu_json.empty() ? "" : ",") + "\"hq_country\":" + quote(eu.hq);
        }
        c.json = std::string("{\"product\":{\"name\":") + quote(p.name) + ",\"manufacturer\":" + quote(p.manufacturer) +
                 ",\"kind\":" + quote(p.kind) + ",\"tpp\":" + p.tpp + ",\"die_area_mm2\":" + p.die +
                 ",\"io_bandwidth_gbps\":" + p.io + ",\"datacenter\":" + (p.datacenter ? "true" : "false") +
                 "},\"destination\":{\"country\":" + quote(dest) + "}" +
                 (eu_json.empty() ? "" : ",\"end_user\":{" + eu_json + "}") +
                 ",\"transaction\":{\"date\":\"2024-06-01\"}}";

        PackedFacts& k = c.packed;
        const std::string_view kind = p.kind;
        k.kind = kind == "ic" ? Kind::kIc : kind == "hbm" ? Kind::kHbm : kind == "computer" ? Kind::kComputer
                                                                                             : Kind::kModelWeights;
        k.datacenter = p.datacenter;
        if (!Fixed::parse(p.tpp, &k.tpp) || !Fixed::parse(p.die, &k.die_area) || !Fixed::parse(p.io, &k.io_bandwidth)) {
          std::fprintf(stderr, "bench: cannot pack %s\n", c.label.c_str());
          std::abort();
        }
        k.destination = static_cast<std::int16_t>(country_index(dest));
        k.hq = static_cast<std::int16_t>(eu.hq ? country_index(eu.hq) : -1);
        k.product_name = p.name;
        k.manufacturer = p.manufacturer;
        k.has_end_user = eu.name != nullptr;
        if (eu.name) k.end_user = eu.name;
        out.push_back(std::move(c));
      }
    }
  }
  return out;
}

}  // namespace

const std::vector<EarCase>& ear_cases() {
  static const std::vector<EarCase> cases = build();
  return cases;
}

edict::EvalOptions ear_options(bool trace) {
  edict::EvalOptions o;
  o.as_of = *edict::Date::parse("2024-06-01");
  o.trace = trace;
  return o;
}

std::shared_ptr<const edict::Policy> load_ear_pack() {
  auto r = edict::compile_path(EDICT_SOURCE_DIR "/policies/ear");
  if (!r.ok()) {
    std::fprintf(stderr, "bench: policies/ear does not compile:\n%s", edict::render_all(r.diagnostics).c_str());
    std::abort();
  }
  return r.policy;
}

const EarBaseline& ear_baseline() {
  static const EarBaseline b;
  return b;
}

void check_agreement(const edict::Policy& policy) {
  const auto options = ear_options(false);
  std::size_t bad = 0;
  std::size_t per_decision[4] = {};
  for (const auto& c : ear_cases()) {
    const auto got = policy.evaluate(c.facts, options);
    const auto want = ear_baseline().evaluate(c.packed);
    ++per_decision[static_cast<int>(want.decision)];
    const auto want_classes = classification_names(want.classifications);
    if (!got.ok || got.decision != decision_name(want.decision) || got.classifications != want_classes) {
      if (bad++ < 20) {
        std::string classes;
        for (const auto& s : got.classifications) classes += s + " ";
        std::string wclasses;
        for (const auto& s : want_classes) wclasses += s + " ";
        std::fprintf(stderr, "bench: DISAGREEMENT on %s: interpreter %s [%s] %s, baseline %s [%s]\n", c.label.c_str(),
                     got.decision.c_str(), classes.c_str(), got.ok ? "" : got.errors.front().c_str(),
                     decision_name(want.decision), wclasses.c_str());
      }
    }
  }
  if (bad) {
    std::fprintf(stderr, "bench: the interpreter and the baseline disagree on %zu of %zu cases\n", bad,
                 ear_cases().size());
    std::abort();
  }
  std::fprintf(stderr,
               "bench: interpreter and baseline agree on all %zu EAR cases (license_required %zu, notify %zu, "
               "license_exception %zu, no_license_required %zu)\n",
               ear_cases().size(), per_decision[3], per_decision[2], per_decision[1], per_decision[0]);
}

}  // namespace bench
