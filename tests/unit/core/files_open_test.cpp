// The file rules for what is read as a stream (open_file_for_reading) and for test folders
// (list_files_below), edict/files.hpp.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "edict/files.hpp"
#include "../support/temp_dir.hpp"

namespace fs = std::filesystem;

using edict_test::TempDir;

TEST_CASE("open_file_for_reading: the kinds a stream may be", "[files]") {
  TempDir dir("edict_files_open_test");
  dir.write("a.jsonl", "{}\n");
  auto file = edict::open_file_for_reading((dir.path / "a.jsonl").string(), edict::FileKind::kStream);
  REQUIRE(file.ok());
  CHECK(file.fd > 0);
  char buffer[8];
  CHECK(::read(file.fd, buffer, sizeof buffer) == 3);
  ::close(file.fd);

  const auto directory = edict::open_file_for_reading(dir.path.string(), edict::FileKind::kStream);
  CHECK(directory.problem.code == "not-a-regular-file");
  CHECK(directory.problem.message == "cannot read `" + dir.path.string() + "`: it is a directory");
  CHECK(directory.fd < 0);

  const auto fifo_path = (dir.path / "fifo").string();
  REQUIRE(::mkfifo(fifo_path.c_str(), 0600) == 0);
  auto fifo = edict::open_file_for_reading(fifo_path, edict::FileKind::kStream);  // does not wait for a writer
  CHECK(fifo.ok());
  if (fifo.fd >= 0) ::close(fifo.fd);
  CHECK(edict::open_file_for_reading(fifo_path, edict::FileKind::kRegular).problem.code == "not-a-regular-file");

  const auto input = edict::open_file_for_reading("-", edict::FileKind::kStream);
  CHECK(input.ok());
  CHECK(input.fd == STDIN_FILENO);
  CHECK(input.name == "standard input");
  CHECK(edict::open_file_for_reading((dir.path / "nope").string(), edict::FileKind::kStream).problem.code ==
        "file-not-found");
}

TEST_CASE("list_files_below: chosen extensions, the policy-directory rules", "[files]") {
  TempDir dir("edict_files_open_test");
  dir.write("t/a.edict", "");
  dir.write("t/sub/b.jsonl", "");
  dir.write("t/c.csv", "");
  dir.write("t/readme.md", "");
  dir.write("secret.jsonl", "{}");
  auto listing = edict::list_files_below((dir.path / "t").string(), {".edict", ".jsonl", ".csv"});
  CHECK(listing.problems.empty());
  const auto t = (dir.path / "t").string();
  CHECK(listing.files == std::vector<std::string>{t + "/a.edict", t + "/c.csv", t + "/sub/b.jsonl"});
  CHECK(edict::list_policy_files(t).files == std::vector<std::string>{t + "/a.edict"});

  fs::create_symlink(dir.path / "secret.jsonl", dir.path / "t" / "out.jsonl");
  listing = edict::list_files_below(t, {".jsonl"});
  REQUIRE(listing.problems.size() == 1);
  CHECK(listing.problems[0].code == "file-outside-root");
  CHECK(listing.files == std::vector<std::string>{t + "/sub/b.jsonl"});
  CHECK(edict::list_policy_files(t).problems.empty());  // a `.jsonl` link is no policy file
}
