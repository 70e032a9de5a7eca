// A host of edict, built as C++17 against an installed package (tests/consumer/cmake) or through
// add_subdirectory (tests/consumer/subdir): the H800 to China on 2023-12-01 needs a license.
#include <cstring>
#include <iostream>

#include "edict/edict.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  if (std::strcmp(edict::version(), edict::kVersion) != 0) {  // the library run is the one compiled against
    std::cerr << "headers " << edict::kVersion << ", library " << edict::version() << "\n";
    return 1;
  }
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
