// `edict fmt FILE|DIR...`: print policy files in the canonical layout, rewrite them (--write) or list the ones
// that are not formatted (--check).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {

namespace fs = std::filesystem;

const char* const kFmtHelp = R"(usage: edict fmt [--check | --write] FILE|DIR...

Formats policy files in the one canonical layout (grammar/LANGUAGE.md section 9), keeping every comment.
A directory stands for every .edict file below it, listed as `edict check` lists a policy directory: a
symbolic link that leaves the directory, a link loop, an unreadable sub-directory or a `.edict` name that
is not a regular file is an error (exit code 2), never skipped. `-` reads standard input. A file larger
than the policy-file limit (16 MiB) is refused.

  (default)  print the formatted files to standard output
  --check    print the name of every file that is not formatted; exit code 1 when there is one
  --write    rewrite the files that are not formatted, and print their names

Only the syntax is checked. A file with a syntax error (or any file that cannot be read) gets the usual
diagnostic and exit code 2, and then --write changes no file at all.

--write replaces a file atomically: the new text goes to a fresh temporary file in the same directory
(created exclusively, with a random name), which gets the file's permission bits, is synced, and is then
renamed over the file (and the directory synced); on any failure the temporary file is removed, the old
file is left whole, and the exit code is 2. A file that needs rewriting but is read-only (no write
permission) or a symbolic link is refused, with exit code 2, before any file is written: --write never
writes through a link (format the file the link points to instead). Files that are already formatted are
never written.
)";

enum class Mode { kPrint, kCheck, kWrite };

struct Formatted {
  std::string path;
  std::string original;
  std::string text;
};

// The files that PATH stands for: itself, or the .edict files below a directory by the policy-directory
// rules (edict/files.hpp). Each problem of the listing is printed; false when there was one.
bool expand(const std::string& path, std::vector<std::string>& files) {
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) {
    files.push_back(path);
    return true;
  }
  auto listing = list_policy_files(path);
  for (const auto& problem : listing.problems) fmt::print(stderr, "edict: {}\n", problem.message);
  if (listing.files.empty() && listing.problems.empty()) {
    fmt::print(stderr, "edict: no `.edict` files in `{}`\n", path);
    return false;
  }
  files = std::move(listing.files);
  return listing.problems.empty();
}

// The temporary file of replace_file: closed, and removed unless it was renamed, on every path out.
class TemporaryFile {
 public:
  TemporaryFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }
  // Closes the descriptor; false (errno set) when the close reports an error.
  bool close() { return ::close(std::exchange(fd_, -1)) == 0; }
  void renamed() { renamed_ = true; }

 private:
  int fd_;
  std::string path_;
  bool renamed_ = false;
};

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Why --write may not replace the file at `path` ("" when it may); `target` gets its status (not followed).
std::string refuse_to_write(const std::string& path, struct stat& target) {
  if (::lstat(path.c_str(), &target) != 0) return fmt::format("cannot write `{}`: {}", path, describe_errno(errno));
  if (S_ISLNK(target.st_mode)) {
    return fmt::format("cannot write `{}`: it is a symbolic link, and --write never writes through a link "
                       "(format the file it points to instead)",
                       path);
  }
  if (!S_ISREG(target.st_mode)) return fmt::format("cannot write `{}`: it is not a regular file", path);
  // The permission bits, not only access(2): root may write anything, but a read-only file stays read-only.
  if ((target.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(path.c_str(), W_OK) != 0) {
    return fmt::format("cannot write `{}`: it is read-only (no write permission)", path);
  }
  return {};
}

// Replaces the file at `path` with `text`, atomically (see kFmtHelp): "" when done, else why not (the old
// file is then unchanged and no temporary file is left).
std::string replace_file(const std::string& path, const std::string& text) {
  const auto failed = [&](const std::string& what) {
    return fmt::format("cannot write `{}`: {}: {}", path, what, describe_errno(errno));
  };
  struct stat target {};
  if (auto refused = refuse_to_write(path, target); !refused.empty()) return refused;
  const fs::path file(path);
  const auto dir = file.has_parent_path() ? file.parent_path().string() : std::string(".");
  std::string name = (fs::path(dir) / ("." + file.filename().string() + ".edict-fmt-XXXXXX")).string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);  // O_CREAT | O_EXCL: never an existing file or link
  if (fd < 0) return failed(fmt::format("cannot create a temporary file in `{}`", dir));
  TemporaryFile temporary(fd, name);
  if (::fchmod(fd, target.st_mode & 07777) != 0) return failed("cannot set the temporary file's mode");
  if ((target.st_uid != ::geteuid() || target.st_gid != ::getegid()) &&
      ::fchown(fd, target.st_uid, target.st_gid) != 0) {
    // Best effort, like an editor's atomic save: the owner is kept only by root; the group when we belong to
    // it. Otherwise the new file is ours.
    [[maybe_unused]] const int group_kept = ::fchown(fd, static_cast<uid_t>(-1), target.st_gid);
  }
  if (!write_all(fd, text)) return failed("cannot write the temporary file");
  if (::fsync(fd) != 0) return failed("cannot sync the temporary file");
  if (!temporary.close()) return failed("cannot close the temporary file");
  if (::rename(name.c_str(), path.c_str()) != 0) return failed("cannot rename the temporary file over it");
  temporary.renamed();
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return failed(fmt::format("written, but cannot open `{}` to sync it", dir));
  const bool synced = ::fsync(dir_fd) == 0 || errno == EINVAL;  // EINVAL: the file system cannot sync it
  const int error = errno;
  ::close(dir_fd);
  errno = error;
  if (!synced) return failed(fmt::format("written, but cannot sync `{}`", dir));
  return {};
}

std::optional<Mode> parse_arguments(Args& args, std::vector<std::string>& paths, std::string& error) {
  Mode mode = Mode::kPrint;
  while (!args.done()) {
    const auto arg = args.next();
    if (arg == "--check" || arg == "--write") {
      const Mode wanted = arg == "--check" ? Mode::kCheck : Mode::kWrite;
      if (mode != Mode::kPrint && mode != wanted) {
        error = "`--check` and `--write` cannot be used together";
        return std::nullopt;
      }
      mode = wanted;
    } else if (arg == "-" || (!arg.empty() && arg[0] != '-')) {
      paths.push_back(arg);
    } else {
      error = fmt::format("unknown option `{}`", arg);
      return std::nullopt;
    }
  }
  if (paths.empty()) error = "no file or directory to format";
  if (mode == Mode::kWrite && std::find(paths.begin(), paths.end(), "-") != paths.end()) {
    error = "`--write` cannot rewrite standard input";
  }
  if (!error.empty()) return std::nullopt;
  return mode;
}

// Formats every file; prints diagnostics. False when a file could not be read or has a syntax error.
bool format_all(const std::vector<std::string>& paths, std::vector<Formatted>& out) {
  bool ok = true;
  const auto max_bytes = Limits{}.source_file_bytes;
  for (const auto& given : paths) {
    std::vector<std::string> files;
    if (!expand(given, files)) ok = false;
    for (const auto& path : files) {
      auto text = read_file_text(path, max_bytes, path == "-" ? FileKind::kStream : FileKind::kRegular);
      if (!text.ok()) {
        fmt::print(stderr, "edict: {}\n", text.problem.message);
        ok = false;
        continue;
      }
      auto result = format_source(SourceFile{path == "-" ? "<stdin>" : path, text.text});
      if (!result.ok()) {
        fmt::print(stderr, "{}", render_all(result.diagnostics));
        ok = false;
        continue;
      }
      out.push_back({path, std::move(text.text), std::move(*result.text)});
    }
  }
  return ok;
}

}  // namespace

int run_fmt(Args& args) {
  if (const auto code = help_exit(args, kFmtHelp)) return *code;
  std::vector<std::string> paths;
  std::string error;
  const auto mode = parse_arguments(args, paths, error);
  if (!mode) return usage_error(error, kFmtHelp);

  std::vector<Formatted> files;
  const bool all_ok = format_all(paths, files);
  if (!all_ok && *mode == Mode::kWrite) return kUsage;  // change nothing when any file is wrong

  if (*mode == Mode::kWrite) {  // refuse before writing anything: a file that may not be written changes none
    bool refused = false;
    for (const auto& f : files) {
      struct stat target {};
      const auto problem = f.text == f.original ? std::string() : refuse_to_write(f.path, target);
      if (!problem.empty()) fmt::print(stderr, "edict: {}; no file was changed\n", problem);
      refused = refused || !problem.empty();
    }
    if (refused) return kUsage;
  }

  bool changed = false;
  for (const auto& f : files) {
    if (*mode == Mode::kPrint) {
      fmt::print("{}", f.text);
      continue;
    }
    if (f.text == f.original) continue;
    changed = true;
    if (*mode == Mode::kWrite) {
      if (const auto problem = replace_file(f.path, f.text); !problem.empty()) {
        fmt::print(stderr, "edict: {}\n", problem);
        return kUsage;
      }
    }
    fmt::print("{}\n", f.path);
  }
  if (!all_ok) return kUsage;
  return *mode == Mode::kCheck && changed ? kTestsFailed : kOk;
}

}  // namespace edict::cli
