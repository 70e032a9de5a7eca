// Shared pieces of the `edict` commands: argument cursor, file reading, policy loading, exit codes.
#pragma once

#include <sys/types.h>

#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edict/edict.hpp"
#include "edict/files.hpp"

namespace edict::cli {

// Exit codes: 0 ok; 1 failing tests (or changed decisions with --fail-on-change, or unformatted files with
// `fmt --check`); 2 usage errors, policy
// errors, unreadable or invalid facts.
constexpr int kOk = 0;
constexpr int kTestsFailed = 1;
constexpr int kUsage = 2;

struct Args {
  std::vector<std::string> items;
  std::size_t at = 0;
  bool done() const { return at >= items.size(); }
  const std::string& peek() const { return items[at]; }
  std::string next() { return items[at++]; }
};

// The value after option `flag`; nullopt (and *error set) when there is none.
std::optional<std::string> option_value(Args& args, const std::string& flag, std::string& error);
// The date after option `flag`; nullopt (and *error set) when it is missing or not YYYY-MM-DD.
std::optional<Date> option_date(Args& args, const std::string& flag, std::string& error);
// The value after `--format`: "text" or "json"; nullopt (and *error set) otherwise.
std::optional<std::string> option_format(Args& args, const std::string& flag, std::string& error);

// The whole number after option `flag`, from `min` to `max`: only decimal digits, the whole value; nullopt
// (and *error set, naming the option, the value and the range) otherwise.
std::optional<std::size_t> option_count(Args& args, const std::string& flag, std::size_t min, std::size_t max,
                                        std::string& error);

// A corpus opened by the file rules (edict/files.hpp, FileKind::kStream: a file, a pipe, a device, or "-" for
// standard input; not a directory) and read as a stream, line by line. A read error ends the stream as its
// end would: check failed() after reading, and read_error() says why.
class InputFile {
 public:
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  bool ok() const { return problem_.code.empty(); }
  const FileProblem& problem() const { return problem_; }  // why it cannot be opened, when !ok()
  std::istream& stream();
  // The input could not be opened, or a read failed before its end (the lines read are then only a part).
  bool failed() const;
  // After failed(): "cannot read `PATH`: REASON".
  std::string read_error() const;

 private:
  class Buffer;
  std::string name_;
  FileProblem problem_;
  std::unique_ptr<Buffer> buffer_;
  std::unique_ptr<std::istream> stream_;
};

// Writes `text` to the file at `path` (created or truncated; a FIFO or a device is fine), checking every
// write and the close. "" when it worked, else a message naming the path and the reason.
std::string write_output_file(const std::string& path, const std::string& text);
// What replace_file_contents gives the new file: its permission bits, its owner (kept when set, as far as
// the process may), and the tag of its temporary file's name (".NAME" TAG "XXXXXX", beside it).
struct NewFile {
  struct Owner {
    uid_t uid;
    gid_t gid;
  };
  mode_t mode = 0;
  std::optional<Owner> owner;
  const char* temporary_tag = ".edict-";
};
// Replaces (or creates) the file at `path` with `text` and checks nothing about what is there: a fresh
// temporary file in the same directory (mkostemp), given `file`'s mode and owner, written, synced and renamed
// over it, then the directory synced. On any failure the temporary file is removed and the old file stays
// whole. "" when done, else "cannot write `PATH`: WHAT: REASON". Used by write_file_atomically and
// `edict fmt --write`, which check the target first.
std::string replace_file_contents(const std::string& path, const std::string& text, const NewFile& file);
// Replaces (or creates) the file at `path` with `text`, whole or not at all: a fresh temporary file in the
// same directory (mkstemp), given the old file's permission bits (new: 0666 less the umask), written, synced
// and renamed over it, then the directory synced. On any failure the temporary file is removed and the old
// file stays whole. Refuses a symbolic link or a path that is not a regular file. "" when done, else why not.
std::string write_file_atomically(const std::string& path, const std::string& text);
// `edict eval --receipt FILE`: evaluates `facts` (without trace) and writes its decision record to `path` with
// write_file_atomically. nullopt when written, or when the facts cannot be evaluated (no receipt; the caller's
// own evaluation reports why); kUsage, after printing why, when the file cannot be written.
std::optional<int> write_receipt(const Policy& policy, const Facts& facts, EvalOptions options,
                                 const std::string& path);
// Prints "edict: MESSAGE" and the command's help to stderr; returns kUsage.
int usage_error(const std::string& message, const char* help);
// With no arguments or `--help` first: prints the command's help and gives its exit code (kUsage without
// arguments, kOk for --help).
std::optional<int> help_exit(const Args& args, const char* help);
// Compiles POLICY; diagnostics are printed only when it fails (`edict check` shows warnings).
std::shared_ptr<const Policy> load_policy(const std::string& path);

int run_check(Args& args);
int run_eval(Args& args);
int run_test(Args& args);
int run_diff(Args& args);
int run_fmt(Args& args);
int run_digest(Args& args);
int run_replay(Args& args);
int run_serve(Args& args);
int run_lint(Args& args);

}  // namespace edict::cli
