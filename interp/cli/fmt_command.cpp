// `edict fmt FILE|DIR...`: print policy files in the canonical layout, rewrite them (--write) or list the ones
// that are not formatted (--check).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"

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
  struct stat target {};
  if (auto refused = refuse_to_write(path, target); !refused.empty()) return refused;
  return replace_file_contents(path, text,
                               NewFile{static_cast<mode_t>(target.st_mode & 07777),
                                       NewFile::Owner{target.st_uid, target.st_gid}, ".edict-fmt-"});
}

struct FmtArgs {
  std::vector<std::string> paths;
  bool check = false;
  bool write = false;
};

// The mode the flags ask for; a usage error when they cannot go together or the paths do not fit it.
std::optional<Mode> mode_of(const FmtArgs& a, std::string& error) {
  if (a.check && a.write) {
    error = "`--check` and `--write` cannot be used together";
  } else if (a.paths.empty()) {
    error = "no file or directory to format";
  } else if (a.write && std::find(a.paths.begin(), a.paths.end(), "-") != a.paths.end()) {
    error = "`--write` cannot rewrite standard input";
  }
  if (!error.empty()) return std::nullopt;
  return a.check ? Mode::kCheck : a.write ? Mode::kWrite : Mode::kPrint;
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

int run_fmt(const FmtArgs& a) {
  std::string error;
  const auto mode = mode_of(a, error);
  if (!mode) return usage_error(error, "fmt");

  std::vector<Formatted> files;
  const bool all_ok = format_all(a.paths, files);
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

}  // namespace

Command add_fmt(CLI::App& edict) {
  auto args = std::make_shared<FmtArgs>();
  auto* app = add_command(edict, "fmt");
  app->add_option("PATHS", args->paths);
  app->add_flag("--check", args->check);
  app->add_flag("--write", args->write);
  return {app, kFmtHelp, [args] { return run_fmt(*args); }};
}

}  // namespace edict::cli
