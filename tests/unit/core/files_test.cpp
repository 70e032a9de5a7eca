// The file rules (edict/files.hpp): which paths a policy may name, bounded reads, policy directory listings.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "edict/files.hpp"
#include "../support/temp_dir.hpp"

namespace fs = std::filesystem;

using edict_test::TempDir;

TEST_CASE("resolve_inside_root: the import rules for every file a policy names", "[files]") {
  TempDir dir("edict_files_test");
  dir.write("pol/facts/a.json", "{}");
  dir.write("outside/b.json", "{}");
  fs::create_symlink(dir.path / "outside" / "b.json", dir.path / "pol" / "out_link.json");
  fs::create_symlink(dir.path / "pol" / "facts" / "a.json", dir.path / "pol" / "in_link.json");
  const auto root = (dir.path / "pol").string();
  const auto tests = (dir.path / "pol" / "tests").string();
  struct Row {
    std::string name;
    bool ok;
  };
  const Row rows[] = {
      {"../facts/a.json", true},          // `..` that stays inside
      {"../in_link.json", true},          // a link whose target is inside
      {"../out_link.json", false},        // a link whose target is outside
      {"../../outside/b.json", false},    // `..` that leaves
      {"/etc/passwd", false},             // absolute
      {"", false},                        // empty
      {".", false},                       // a directory
      {"../facts/", false},               // a directory
      {"../facts/../../pol/facts/a.json", true},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    const auto resolved = edict::resolve_inside_root(tests, row.name, root, "fact file");
    CHECK(resolved.ok() == row.ok);
    if (!row.ok) CHECK(resolved.problem.code == "file-outside-root");
    if (!row.ok && !row.name.empty()) CHECK(resolved.problem.message.find("fact file `" + row.name + "`") != std::string::npos);
  }
}

TEST_CASE("read_file_text reads at most the limit and only what its kind allows", "[files]") {
  TempDir dir("edict_files_test");
  dir.write("ten.txt", "0123456789");
  const auto ten = (dir.path / "ten.txt").string();
  CHECK(edict::read_file_text(ten, 10).text == "0123456789");
  const auto over = edict::read_file_text(ten, 9);
  CHECK(over.problem.code == "file-too-large");
  CHECK(over.text.empty());

  const auto missing = edict::read_file_text((dir.path / "nope").string(), 10);
  CHECK(missing.problem.code == "file-not-found");
  CHECK(missing.problem.message.find("no such file or directory") != std::string::npos);

  const auto directory = edict::read_file_text(dir.path.string(), 10);
  CHECK(directory.problem.code == "not-a-regular-file");
  CHECK(directory.problem.message.find("it is a directory") != std::string::npos);
  CHECK(edict::read_file_text(dir.path.string(), 10, edict::FileKind::kStream).problem.code == "not-a-regular-file");

  // A device: refused as a policy file; as a stream it is read up to the limit plus one byte, then refused.
  CHECK(edict::read_file_text("/dev/zero", 1000).problem.code == "not-a-regular-file");
  CHECK(edict::read_file_text("/dev/zero", 1000, edict::FileKind::kStream).problem.code == "file-too-large");
}

TEST_CASE("list_policy_files: sorted, and every problem reported", "[files]") {
  TempDir dir("edict_files_test");
  dir.write("b.edict", "");
  dir.write("a/z.edict", "");
  dir.write("notes.txt", "");
  dir.write("c.edict/inner.edict", "");  // a directory with the extension is walked, not read
  auto listing = edict::list_policy_files(dir.path.string());
  CHECK(listing.problems.empty());
  REQUIRE(listing.files.size() == 3);
  CHECK(listing.files[0] == (dir.path / "a" / "z.edict").string());
  CHECK(listing.files[1] == (dir.path / "b.edict").string());
  CHECK(listing.files[2] == (dir.path / "c.edict" / "inner.edict").string());

  fs::create_symlink("loop.edict", dir.path / "loop.edict");
  fs::create_symlink("/etc/hostname", dir.path / "out.edict");
  listing = edict::list_policy_files(dir.path.string());
  REQUIRE(listing.problems.size() == 2);
  CHECK(listing.problems[0].code == "symlink-loop");
  CHECK(listing.problems[1].code == "file-outside-root");
  CHECK(listing.problems[1].message.find("out.edict` is a symbolic link that leads outside") != std::string::npos);
}
