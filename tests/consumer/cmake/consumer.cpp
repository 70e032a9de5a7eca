// An installed-package host: the H800 to China on 2023-12-01 needs a license.
#include <iostream>

#include "edict/edict.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const auto compiled = edict::compile_path(argv[1]);
  if (!compiled.ok()) return 1;
  edict::Facts facts;
  facts.set_string("product.kind", "ic");
  facts.set_number("product.tpp", "15832");
  facts.set_number("product.die_area_mm2", "814");
  facts.set_number("product.io_bandwidth_gbps", "528");
  facts.set_number("product.memory_bandwidth_gbps", "3350");
  facts.set_bool("product.datacenter", true);
  facts.set_string("destination.country", "CN");
  edict::EvalOptions options;
  options.as_of = edict::Date::parse("2023-12-01");
  const auto result = compiled.policy->evaluate(facts, options);
  std::cout << result.decision << "\n";
  return result.ok && result.decision == "license_required" ? 0 : 1;
}
