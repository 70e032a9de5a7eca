// Shared pieces of the `edict` commands: the command table, file reading, policy loading, exit codes.
#pragma once

#include <sys/types.h>

#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "edict/edict.hpp"
#include "edict/files.hpp"

namespace CLI {
class App;
}
namespace edict {
struct ChangelogOptions;
}

namespace edict::cli {

class ProgressLine;

// Exit codes: 0 ok; 1 failing tests (or changed decisions with --fail-on-change, or unformatted files with
// `fmt --check`); 2 usage errors, policy
// errors, unreadable or invalid facts.
constexpr int kOk = 0;
constexpr int kTestsFailed = 1;
constexpr int kUsage = 2;

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
  // Reports the cases read so far (lines) to `line` as the input is read, with the share of the input when
  // it is a regular file, and erases it when the input ends; nothing when the line is not shown. `line` must
  // outlive the reading.
  void show_progress(ProgressLine& line);

 private:
  class Buffer;
  std::string name_;
  std::optional<std::size_t> size_;  // a regular file's size
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

// A usage error found while reading the arguments (exit code 2): main() prints it as usage_error does.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Prints "edict: MESSAGE" and "Run 'edict COMMAND --help' for usage." (`edict --help` when `command` is
// empty) to stderr; returns kUsage. The whole help would push the one line that matters off the screen.
int usage_error(const std::string& message, const std::string& command);
// " (did you mean `X`?)" for the candidate nearest to `word` (core/suggest.hpp), or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);
// Compiles POLICY; diagnostics are printed only when it fails (`edict check` shows warnings).
std::shared_ptr<const Policy> load_policy(const std::string& path);

// A command of the tool: its CLI11 subcommand of `edict` (its options and positionals, bound to the
// command's own arguments), its hand-written help (`edict CMD --help`, `edict help CMD`), and what it does
// once the arguments are read: the exit code. A new command is one add_NAME function (see add_check) and
// one entry in main.cpp's list; a new option is one line in its command's add_NAME (options.hpp helpers).
struct Command {
  CLI::App* app = nullptr;
  std::string help;
  std::function<int()> run;
};

Command add_check(CLI::App& edict);
Command add_eval(CLI::App& edict);
Command add_test(CLI::App& edict);
Command add_diff(CLI::App& edict);
Command add_fmt(CLI::App& edict);
Command add_lint(CLI::App& edict);
Command add_digest(CLI::App& edict);
Command add_replay(CLI::App& edict);
Command add_serve(CLI::App& edict);
Command add_changelog(CLI::App& edict);

// The catalog folder of a witness search or a changelog: `given` (--catalog DIR), else POLICY/catalog when
// POLICY is a folder that has one, else "".
std::string catalog_folder(const std::string& policy_path, const std::string& given);

// Prints the changelog of `policy` (changelog_command.cpp), for `edict changelog` and `edict diff --changelog`:
// the catalog is catalog_folder(policy_path, catalog); `format` is text or json; a progress line on a
// terminal unless `quiet`. The exit code.
int print_changelog(const Policy& policy, const std::string& policy_path, const std::string& catalog,
                    const ChangelogOptions& options, const std::string& format, bool quiet);

}  // namespace edict::cli
