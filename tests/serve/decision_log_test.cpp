// The decision-log writer (interp/serve/decision_log.hpp): every queued line written whole and in order,
// size-based rotation, close() flushing what is queued, a full queue dropping (and counting) after its wait.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "serve/decision_log.hpp"

namespace fs = std::filesystem;
using edict::serve::DecisionLog;
using edict::serve::DecisionLogOptions;

namespace {

// A fresh directory under the system's temporary directory, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "edict-log-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { fs::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  if (!all.empty()) REQUIRE(all.back() == '\n');  // never a torn last line
  std::vector<std::string> out;
  std::istringstream split(all);
  for (std::string line; std::getline(split, line);) out.push_back(line);
  return out;
}

std::string line_number(std::size_t i) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "{\"n\":%06zu,\"pad\":\"xxxxxxxxxx\"}", i);  // 31 bytes + newline
  return buffer;
}

}  // namespace

TEST_CASE("decision log: lines from many threads are all written, whole, and close() flushes them") {
  TempDir dir;
  DecisionLogOptions options;
  options.path = (dir.path / "decisions.jsonl").string();
  options.queue_lines = 64;  // small: the threads outrun the writer and wait for room
  options.max_wait = std::chrono::minutes(1);
  std::string error;
  auto log = DecisionLog::open(options, &error);
  REQUIRE(log);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < 2000; ++i) CHECK(log->append(line_number(t * 100000 + i)));
    });
  }
  for (auto& thread : threads) thread.join();
  log->close();
  const auto figures = log->figures();
  CHECK(figures.lines == 8000);
  CHECK(figures.dropped == 0);
  CHECK(figures.queued == 0);
  const auto lines = lines_of(options.path);
  REQUIRE(lines.size() == 8000);
  // Each thread's lines in the order it appended them.
  std::vector<long> last(4, -1);
  for (const auto& line : lines) {
    REQUIRE(line.size() == 31);
    const long n = std::stol(line.substr(5, 6));
    const auto t = static_cast<std::size_t>(n / 100000);
    CHECK(n % 100000 > last[t]);
    last[t] = n % 100000;
  }
  CHECK_FALSE(log->append("after close"));  // closed: dropped, counted
  CHECK(log->figures().dropped == 1);
}

TEST_CASE("decision log: rotation keeps every line, no file over the limit, the oldest beyond `keep` go") {
  TempDir dir;
  DecisionLogOptions options;
  options.path = (dir.path / "d.log").string();
  options.max_bytes = 32 * 10;  // exactly 10 lines of 32 bytes
  options.keep = 3;
  std::string error;
  auto log = DecisionLog::open(options, &error);
  REQUIRE(log);
  for (std::size_t i = 0; i < 45; ++i) REQUIRE(log->append(line_number(i)));
  log->close();
  // 45 lines: 4 full files were started before the last (5 files of 10, 10, 10, 10, 5); keep 3 rotated ones.
  CHECK(log->figures().rotations == 4);
  CHECK(log->figures().lines == 45);
  const auto current = lines_of(options.path);
  const auto first = lines_of(options.path + ".1");
  const auto second = lines_of(options.path + ".2");
  const auto third = lines_of(options.path + ".3");
  CHECK_FALSE(fs::exists(options.path + ".4"));
  REQUIRE(current.size() == 5);
  REQUIRE(first.size() == 10);
  REQUIRE(second.size() == 10);
  REQUIRE(third.size() == 10);
  CHECK(current.front() == line_number(40));
  CHECK(first.front() == line_number(30));
  CHECK(second.front() == line_number(20));
  CHECK(third.front() == line_number(10));
  CHECK(third.back() == line_number(19));
  for (const auto* name : {".1", ".2", ".3"}) CHECK(fs::file_size(options.path + name) == 320);
}

TEST_CASE("decision log: a line longer than the limit gets a file of its own, and an existing file is appended to") {
  TempDir dir;
  DecisionLogOptions options;
  options.path = (dir.path / "d.log").string();
  {
    std::ofstream(options.path) << "old line\n";
  }
  options.max_bytes = 20;
  std::string error;
  auto log = DecisionLog::open(options, &error);
  REQUIRE(log);
  REQUIRE(log->append(std::string(50, 'a')));
  REQUIRE(log->append("short"));
  log->close();
  CHECK(lines_of(options.path + ".2") == std::vector<std::string>{"old line"});
  CHECK(lines_of(options.path + ".1") == std::vector<std::string>{std::string(50, 'a')});
  CHECK(lines_of(options.path) == std::vector<std::string>{"short"});
}

TEST_CASE("decision log: a full queue drops after its wait and counts it, and errors name the file") {
  TempDir dir;
  std::string error;
  DecisionLogOptions bad;
  bad.path = (dir.path / "missing-dir" / "d.log").string();
  CHECK_FALSE(DecisionLog::open(bad, &error));
  CHECK(error.find("missing-dir/d.log") != std::string::npos);
  CHECK(error.find("No such file or directory") != std::string::npos);
  bad.path = dir.path.string();
  CHECK_FALSE(DecisionLog::open(bad, &error));
  CHECK(error.find("Is a directory") != std::string::npos);


  // A queue of one line and no wait: whatever the writer keeps up with is written, the rest dropped, and
  // the figures account for every line (written + dropped = appended, the file holds exactly the written).
  DecisionLogOptions tiny;
  tiny.path = (dir.path / "tiny.log").string();
  tiny.queue_lines = 1;
  tiny.max_wait = std::chrono::milliseconds(0);
  auto log = DecisionLog::open(tiny, &error);
  REQUIRE(log);
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < 20000; ++i) accepted += log->append(line_number(i)) ? 1 : 0;
  log->close();
  const auto figures = log->figures();
  CHECK(figures.lines == accepted);
  CHECK(figures.lines + figures.dropped == 20000);
  CHECK(lines_of(tiny.path).size() == figures.lines);
}
