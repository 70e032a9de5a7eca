// Fuzz target: bytes -> a JSONL batch for `edict eval --cases`, run against a small embedded policy (numbers,
// booleans, countries, an optional fact with a default, a dated group, an exemption) with 1 thread and with 2
// threads, small blocks and a small line limit (so that long lines, block boundaries and the pipeline's
// back-pressure are all exercised).
// Oracles (besides the sanitizers): the output has exactly one line per input line; the bytes are the same
// for 1 and 2 threads; every output line is a JSON object; the summary counts agree with the output.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include <edict/batch.hpp>
#include <edict/facts.hpp>
#include <edict/policy.hpp>
#include <edict/render.hpp>

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz oracle failed: %s\n%s\n", what, detail.c_str());
  std::abort();
}

constexpr const char* kPolicy = R"(policy "Batch fuzz"
  outcomes license_required > notify > no_license_required
  default no_license_required
end

use iso3166

fact product.tpp : decimal "Total processing performance"
fact product.die_area_mm2 : decimal "Die area"
fact product.datacenter : bool "Datacenter part"
fact destination.country : country "Destination"
fact end_user.hq_country : optional country default destination.country "Headquarters"

define density = product.tpp / product.die_area_mm2

group restricted : country
  members {CN, RU}
  add {MO} from 2023-01-17
end

rule high
  title "High performance"
  citation "Fuzz 1"
  effective from 2022-10-07
  when product.tpp >= 4800 or density >= 5.92
  then classify "HIGH"
end

rule license
  title "License to restricted destinations"
  citation "Fuzz 2"
  when classified "HIGH" and (destination.country in restricted or end_user.hq_country in restricted)
  then license_required because "restricted"
end

exemption consumer
  title "Consumer parts"
  citation "Fuzz 3"
  overrides license
  when not product.datacenter
  then notify because "notify first"
end
)";

const edict::Policy& policy() {
  static const auto compiled = edict::compile({{"batch_fuzz.edict", kPolicy}});
  if (!compiled.ok()) fail("the embedded policy does not compile", edict::render_all(compiled.diagnostics));
  return *compiled.policy;
}

std::size_t count_lines(std::string_view input) {
  std::size_t lines = 0;
  for (const char c : input) lines += c == '\n';
  if (!input.empty() && input.back() != '\n') ++lines;  // a last line without `\n`
  return lines;
}

std::string run(std::string_view input, std::size_t threads, edict::BatchSummary& summary) {
  edict::BatchOptions options;
  options.as_of = *edict::Date::from_ymd(2024, 6, 1);
  options.threads = threads;
  options.block_lines = 3;
  options.max_blocks = 3;
  options.max_line_bytes = 256;
  std::istringstream in{std::string(input)};
  std::ostringstream out;
  summary = edict::run_batch(policy(), in, out, options);
  return out.str();
}

void check_lines(const std::string& output, const edict::BatchSummary& summary) {
  std::size_t errors = 0;
  std::size_t start = 0;
  std::string error;
  while (start < output.size()) {
    const std::size_t end = output.find('\n', start);
    if (end == std::string::npos) fail("output does not end with a newline", output);
    const std::string_view line(output.data() + start, end - start);
    if (!edict::Facts::from_json(line, &error, {}, 256)) fail("an output line is not a JSON object", std::string(line) + "\n" + error);
    errors += line.find("\"error\":{\"messages\":[") != std::string_view::npos;
    start = end + 1;
  }
  if (errors != summary.errors) fail("summary.errors disagrees with the output", output);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  edict::BatchSummary one, two;
  const std::string serial = run(input, 1, one);
  const std::string threaded = run(input, 2, two);
  const std::size_t lines = count_lines(input);
  if (one.lines != lines || one.read_failed || one.write_failed) fail("summary.lines is not the input line count", serial);
  std::size_t newlines = 0;
  for (const char c : serial) newlines += c == '\n';
  if (newlines != lines) fail("output line count differs from input line count", serial);
  if (threaded != serial) fail("2 threads give other bytes than 1 thread", serial + "\n---\n" + threaded);
  if (two.lines != one.lines || two.errors != one.errors) fail("2 threads give other counts than 1 thread", serial);
  check_lines(serial, one);
  return 0;
}
