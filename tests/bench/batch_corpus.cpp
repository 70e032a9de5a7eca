// Writes an `edict eval --cases` corpus of N lines to standard output: the 1,904 EAR benchmark cases
// (ear_cases.cpp) in rotation, each line {"id": <line number>, "facts": {...}}. Used to measure batch
// throughput (tests/bench/RESULTS.md, "Batch"):
//   ./build-bench/tests/bench/edict_batch_corpus 200000 > /tmp/ear_batch.jsonl
//   ./build-bench/edict eval policies/ear --cases /tmp/ear_batch.jsonl --as-of 2024-06-01 --threads 2 >/dev/null
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ear_cases.hpp"

int main(int argc, char** argv) {
  const long lines = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 0;
  if (argc != 2 || lines <= 0) {
    std::fprintf(stderr, "usage: edict_batch_corpus LINES > FILE.jsonl\n");
    return 2;
  }
  const auto& cases = bench::ear_cases();
  std::string out;
  for (long i = 0; i < lines; ++i) {
    out += "{\"id\":" + std::to_string(i + 1) + ",\"facts\":" + cases[static_cast<std::size_t>(i) % cases.size()].json + "}\n";
    if (out.size() > (1u << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
