// diff_corpus reads its corpus with the batch's bounded line reader (issue "Hardening round 2", item 5): a
// line longer than the policies' facts limit is a bad line with its number, and a read error leaves the
// stream bad() for the caller to report, whatever the number of threads.
#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>

#include "edict/diff.hpp"
#include "edict/edict.hpp"

#include "../support/repo_files.hpp"

namespace {

using edict_test::kRepoRoot;

std::shared_ptr<const edict::Policy> load_with_facts_limit(const std::string& path, std::size_t facts_bytes) {
  edict::CompileOptions options;
  options.limits.facts_bytes = facts_bytes;
  auto compiled = edict::compile_path(kRepoRoot + "/" + path, options);
  INFO(edict::render_all(compiled.diagnostics));
  REQUIRE(compiled.ok());
  return compiled.policy;
}

edict::DiffOptions options_with(std::size_t threads) {
  edict::DiffOptions options;
  options.as_of = *edict::Date::parse("2024-01-01");
  options.threads = threads;
  options.chunk_lines = 2;
  return options;
}

// Gives `data`, then fails the next read as a disk error would.
class FailingBuffer : public std::streambuf {
 public:
  explicit FailingBuffer(std::string data) : data_(std::move(data)) {}

 protected:
  int_type underflow() override {
    if (given_) throw std::runtime_error("read error");
    given_ = true;
    setg(data_.data(), data_.data(), data_.data() + data_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string data_;
  bool given_ = false;
};

const char* const kGood =
    R"({"id":"g","facts":{"product":{"tpp":900,"consumer":false},"destination":{"country":"CN"}}})";

}  // namespace

TEST_CASE("diff_corpus: a line longer than the facts limit is a bad line with its number", "[diff]") {
  const auto old_policy = load_with_facts_limit("tests/golden/corpora/diff/old.edict", 200);
  const auto new_policy = load_with_facts_limit("tests/golden/corpora/diff/new.edict", 200);
  const std::string long_line = R"({"id":"long","facts":{"note":")" + std::string(300, 'x') + "\"}}";
  const std::string corpus =
      std::string(kGood) + "\n" + long_line + "\n" + kGood + "\n" + long_line + "\r\n" + kGood;
  for (const std::size_t threads : {1, 2}) {
    INFO("threads " << threads);
    std::istringstream in(corpus);
    const auto report = edict::diff_corpus(*old_policy, *new_policy, in, options_with(threads));
    CHECK_FALSE(in.bad());
    CHECK(report.cases == 3);
    REQUIRE(report.errors == 2);
    REQUIRE(report.first_errors.size() == 2);
    CHECK(report.first_errors[0].line == 2);
    CHECK(report.first_errors[1].line == 4);
    CHECK(report.first_errors[0].message == "line longer than 200 bytes (the facts limit); skipped");
  }
}

TEST_CASE("diff_corpus: too-long lines count beyond the errors kept, which stay the first by line", "[diff]") {
  const auto policy = load_with_facts_limit("tests/golden/corpora/diff/old.edict", 100);
  const std::string long_line = "{" + std::string(200, ' ') + "}";
  std::string corpus = "\n";  // line 1: empty, an error of the accumulator
  for (int i = 0; i < 5; ++i) corpus += long_line + "\n";
  for (const std::size_t threads : {1, 2}) {
    auto options = options_with(threads);
    options.max_errors_kept = 3;
    std::istringstream in(corpus);
    const auto report = edict::diff_corpus(*policy, *policy, in, options);
    CHECK(report.errors == 6);
    REQUIRE(report.first_errors.size() == 3);
    CHECK(report.first_errors[0].line == 1);
    CHECK(report.first_errors[0].message == "empty line");
    CHECK(report.first_errors[1].line == 2);
    CHECK(report.first_errors[2].line == 3);
  }
}

TEST_CASE("diff_corpus: a read error leaves the stream bad, for the caller to report", "[diff]") {
  const auto old_policy = edict_test::load("tests/golden/corpora/diff/old.edict");
  const auto new_policy = edict_test::load("tests/golden/corpora/diff/new.edict");
  for (const std::size_t threads : {1, 2}) {
    INFO("threads " << threads);
    FailingBuffer buffer(std::string(kGood) + "\n" + kGood + "\n");
    std::istream in(&buffer);
    const auto report = edict::diff_corpus(*old_policy, *new_policy, in, options_with(threads));
    CHECK(in.bad());
    // istream::read loses a partly filled read when the buffer throws: at most the two lines were seen.
    CHECK(report.cases <= 2);
    CHECK(report.errors == 0);
  }
}
