// The file rules (grammar/LANGUAGE.md section 8): which files Edict reads and how. Every command, the
// compiler (policy directories, imports, `given file`) and the test runner (tables' `facts_file`) read
// through these functions, so the rules hold in one place.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "edict/export.h"

namespace edict {

// A problem with one file or directory: a stable code and a message that names the path.
struct EDICT_API FileProblem {
  // "file-not-found", "permission-denied", "not-a-regular-file", "file-too-large", "read-error",
  // "file-outside-root", "symlink-loop"
  std::string code;
  std::string message;
};

struct EDICT_API FileText {
  bool ok() const { return problem.code.empty(); }
  std::string text;     // the whole file when ok()
  FileProblem problem;  // why not, when !ok()
};

// What may be read.
enum class FileKind {
  kRegular,  // only a regular file (after symbolic links): what a policy names, and policy files
  kStream,   // also a pipe, FIFO or character device, or standard input as "-": what a user names on the
             // command line (`--facts`, `--cases`); a directory or socket is still refused
};

// A file opened for reading under the rules of read_file_text: the type is checked on the opened file (an
// open never waits for a FIFO's writer), "-" with kStream is standard input.
struct EDICT_API OpenedFile {
  bool ok() const { return problem.code.empty(); }
  int fd = -1;          // when ok(): the caller closes it, unless it is standard input (0)
  std::string name;     // for messages: the path, or "standard input"
  FileProblem problem;  // why it may not be read, when !ok()
};

// Opens `path` for reading, blocking reads, if its kind may be read; for what is read line by line as a
// stream (`--cases` corpora) rather than as one text.
EDICT_API OpenedFile open_file_for_reading(const std::string& path, FileKind kind);

// Reads the file at `path`, at most `max_bytes` bytes: a longer file is refused ("file-too-large") after
// reading no more than max_bytes + 1 bytes, so /dev/zero costs max_bytes of memory, not all of it. The type
// is checked on the opened file (no FIFO blocks the open); never throws.
EDICT_API FileText read_file_text(const std::string& path, std::size_t max_bytes, FileKind kind = FileKind::kRegular);

struct EDICT_API RootedPath {
  bool ok() const { return problem.code.empty(); }
  std::string path;  // `base_dir / name`, normalized
  FileProblem problem;
};

// The path that `name` (as written in a policy or a test table) stands for, relative to `base_dir`, if it
// may be read under the import rules: not empty, not a directory name like "." or "x/", not absolute, inside
// `root` after `..` is resolved, and inside the real path of `root` after symbolic links are followed (a
// link whose target is inside the root is fine). `what` names the file in messages ("fact file").
EDICT_API RootedPath resolve_inside_root(const std::string& base_dir, const std::string& name, const std::string& root,
                               const std::string& what);

// No problem (empty code) when `path` is inside `root`, both lexically (after `..` is resolved, absolute
// paths compared) and after every symbolic link is followed; else "file-outside-root" (the message starts
// with `what`, e.g. "fact file `x.json`") or the error met.
EDICT_API FileProblem check_inside_root(const std::string& path, const std::string& root, const std::string& what);

// True when `path` is inside the real path of `root` once every symbolic link is followed (a path that
// does not exist is checked as far as it exists). False with `problem` set on a link loop or other error.
EDICT_API bool resolves_inside_root(const std::string& path, const std::string& root, FileProblem& problem);

struct EDICT_API PolicyDirectory {
  std::vector<std::string> files;      // every `.edict` file below the directory, sorted
  std::vector<FileProblem> problems;  // every error met while walking it: the listing is then incomplete
};

// Lists the `.edict` files below `dir`. Any error while walking (an unreadable sub-directory, a symbolic
// link that leaves `dir` or loops, a `.edict` name that is not a regular file) is a problem naming the path:
// a policy is never silently truncated. Symbolic links to directories are not followed.
EDICT_API PolicyDirectory list_policy_files(const std::string& dir);

// The same listing for the files whose extension is one of `extensions` (".edict", ".jsonl", ".csv"):
// `edict test` expands a folder of tests with it. list_policy_files(dir) is list_files_below(dir, {".edict"}).
EDICT_API PolicyDirectory list_files_below(const std::string& dir, const std::vector<std::string>& extensions);

// A message for an errno value, as "permission denied" (lower case, no trailing period).
EDICT_API std::string describe_errno(int error);

}  // namespace edict
