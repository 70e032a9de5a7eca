// The content digest (Policy::digest): SHA-256 over the sources' names relative to the policy root, their
// texts and the standard-library modules used; one value whatever the working directory, the spelling of the
// path, or whether the policy was compiled from files or from memory.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edict/edict.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path kRoot = EDICT_SOURCE_DIR;

std::string digest_of_path(const std::string& path) {
  const auto compiled = edict::compile_path(path);
  INFO(path);
  REQUIRE(compiled.ok());
  return compiled.policy->digest();
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The EAR pack's files (without tests/) as in-memory sources named relative to the pack.
std::vector<edict::SourceFile> ear_in_memory() {
  std::vector<edict::SourceFile> sources;
  for (const auto& entry : fs::directory_iterator(kRoot / "policies/ear")) {
    if (entry.path().extension() == ".edict") {
      sources.push_back({entry.path().filename().string(), read(entry.path())});
    }
  }
  return sources;
}

// Runs the test body from `dir`, and goes back.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const fs::path& dir) : previous_(fs::current_path()) { fs::current_path(dir); }
  ~WorkingDirectory() { fs::current_path(previous_); }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  fs::path previous_;
};

}  // namespace

TEST_CASE("digest: one value for relative, absolute, ./ and .. paths and for memory", "[digest]") {
  const auto absolute = digest_of_path((kRoot / "policies/ear").string());
  CHECK(absolute.size() == 64);
  CHECK(absolute.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(digest_of_path((kRoot / "policies/ear/").string()) == absolute);
  CHECK(digest_of_path((kRoot / "policies/examples/../ear/.").string()) == absolute);
  {
    WorkingDirectory cwd(kRoot);
    CHECK(digest_of_path("policies/ear") == absolute);
    CHECK(digest_of_path("./policies/ear") == absolute);
    CHECK(digest_of_path("policies/../policies/ear") == absolute);
  }
  {
    WorkingDirectory cwd(kRoot / "policies/ear");
    CHECK(digest_of_path(".") == absolute);
    CHECK(digest_of_path("../ear") == absolute);
  }
  {
    WorkingDirectory cwd(kRoot / "tests");
    CHECK(digest_of_path("../policies/ear") == absolute);
  }
  // From memory, with names relative to the pack, in any order.
  auto sources = ear_in_memory();
  const auto memory = edict::compile(sources);
  REQUIRE(memory.ok());
  CHECK(memory.policy->digest() == absolute);
  std::reverse(sources.begin(), sources.end());
  CHECK(edict::compile(sources).policy->digest() == absolute);
  // The same names under a root of the caller's.
  for (auto& s : sources) s.path = "bundle/" + s.path;
  edict::CompileOptions options;
  options.root = "bundle";
  CHECK(edict::compile(sources, options).policy->digest() == absolute);
}

TEST_CASE("digest: a single file is named from its own directory", "[digest]") {
  const auto chips = kRoot / "policies/examples/chips";
  const auto from_files = digest_of_path((chips / "chips.edict").string());
  const auto memory = edict::compile({{"chips.edict", read(chips / "chips.edict")}});
  REQUIRE(memory.ok());
  CHECK(memory.policy->digest() == from_files);
  WorkingDirectory cwd(chips);
  CHECK(digest_of_path("chips.edict") == from_files);
  CHECK(digest_of_path("./amendments/../chips.edict") == from_files);
}

TEST_CASE("digest: one changed byte, a renamed file or another stdlib module changes it", "[digest]") {
  const auto sources = ear_in_memory();
  const auto base = edict::compile(sources);
  REQUIRE(base.ok());
  const auto digest = base.policy->digest();

  auto changed = sources;
  for (auto& s : changed) {
    if (s.path == "00_base.edict") s.text += " ";  // one byte, outside any declaration
  }
  const auto one_byte = edict::compile(changed);
  REQUIRE(one_byte.ok());
  CHECK(one_byte.policy->digest() != digest);

  auto renamed = sources;
  for (auto& s : renamed) {
    if (s.path == "00_base.edict") s.path = "00_base2.edict";
  }
  const auto other_name = edict::compile(renamed);
  REQUIRE(other_name.ok());
  CHECK(other_name.policy->digest() != digest);

  // The standard-library modules used are part of it: the same text without `use` is a different policy
  // (and here does not compile), and a policy that uses one more module differs.
  const std::string text = "policy \"p\"\n  outcomes yes > no\n  default no\nend\n";
  const auto plain = edict::compile({{"p.edict", text}});
  const auto with_module = edict::compile({{"p.edict", "use iso3166\n" + text}});
  REQUIRE(plain.ok());
  REQUIRE(with_module.ok());
  CHECK(plain.policy->digest() != with_module.policy->digest());
}
