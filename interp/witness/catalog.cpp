// A catalog of recognisable cases (WitnessOptions::catalog) read from a folder of facts files, e.g.
// policies/ear/catalog/*.json: each file is one entry, named by its `product.name` (else its file name), in
// file-name order so that the first entry lying in a region is the same on every machine.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "edict/witness.hpp"

namespace edict {

std::vector<std::pair<std::string, Facts>> read_catalog(const std::string& dir, std::string* error) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, Facts>> out;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    if (error) *error = "cannot read catalog folder " + dir + ": " + ec.message();
    return {};
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string problem;
    auto facts = Facts::from_json(text.str(), &problem, f.filename().string());
    if (!facts) {
      if (error) *error = f.string() + ": " + problem;
      return {};
    }
    const auto* name = facts->find("product.name");
    out.emplace_back(name != nullptr ? name->value.text : f.filename().string(), std::move(*facts));
  }
  return out;
}

}  // namespace edict
