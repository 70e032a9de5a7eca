// Batch over a buffer through the C ABI: JSON lines in memory in, JSON lines in memory out (run_batch).
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>

#include "capi/dates.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"
#include "edict/batch.hpp"

namespace {

// Reads the caller's buffer in place, without copying it.
class BufferSource : public std::streambuf {
 public:
  BufferSource(const char* data, std::size_t length) {
    // streambuf wants char*; the get area is only ever read (no putback writes: pbackfail is not overridden).
    char* begin = const_cast<char*>(data);
    setg(begin, begin, begin + length);
  }
};

// Appends everything written to a string.
class StringSink : public std::streambuf {
 public:
  explicit StringSink(std::string& out) : out_(out) {}

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) out_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* data, std::streamsize count) override {
    out_.append(data, static_cast<std::size_t>(count));
    return count;
  }

 private:
  std::string& out_;
};

edict_status read_batch_options(const char* as_of, const char* rules_as_of, int trace, size_t threads,
                                edict::BatchOptions& options, char** error) {
  if (threads < 1 || threads > 256) {
    return edict::capi::fail(EDICT_ERROR_ARGUMENT, error, "threads must be between 1 and 256");
  }
  edict::Date date;
  if (const auto s = edict::capi::read_date(as_of, "as_of", date, error); s != EDICT_OK) return s;
  if (const auto s = edict::capi::read_rules_date(rules_as_of, options.rules_as_of, error); s != EDICT_OK) return s;
  options.as_of = date;
  options.threads = threads;
  options.trace = trace != 0;
  return EDICT_OK;
}

void clear_outputs(char** out_jsonl, size_t* out_length, size_t* out_error_lines) {
  *out_jsonl = nullptr;
  if (out_length != nullptr) *out_length = 0;
  if (out_error_lines != nullptr) *out_error_lines = 0;
}

}  // namespace

extern "C" edict_status edict_batch(const edict_policy* policy, const char* input, size_t length, const char* as_of,
                                   const char* rules_as_of, int trace, size_t threads, char** out_jsonl,
                                   size_t* out_length, size_t* out_error_lines, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out_jsonl, "out_jsonl", error); s != EDICT_OK) return s;
    clear_outputs(out_jsonl, out_length, out_error_lines);
    if (const auto s = edict::capi::require(policy, "policy", error); s != EDICT_OK) return s;
    if (input == nullptr && length != 0) return edict::capi::require(input, "input", error);
    edict::BatchOptions options;
    if (const auto s = read_batch_options(as_of, rules_as_of, trace, threads, options, error); s != EDICT_OK) {
      return s;
    }
    BufferSource source(input, input != nullptr ? length : 0);
    std::string output;
    StringSink sink(output);
    std::istream in(&source);
    std::ostream out(&sink);
    const edict::BatchSummary summary = edict::run_batch(*policy->policy, in, out, options);
    out.flush();
    *out_jsonl = edict::capi::copy_string(output);
    if (out_length != nullptr) *out_length = output.size();
    if (out_error_lines != nullptr) *out_error_lines = summary.errors;
    return EDICT_OK;
  });
}
