// `edict fmt FILE|DIR...`: print policy files in the canonical layout, rewrite them (--write) or list the ones
// that are not formatted (--check).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {

namespace fs = std::filesystem;

const char* const kFmtHelp = R"(usage: edict fmt [--check | --write] FILE|DIR...

Formats policy files in the one canonical layout (grammar/LANGUAGE.md section 9), keeping every comment.
A directory stands for every .edict file below it; `-` reads standard input.

  (default)  print the formatted files to standard output
  --check    print the name of every file that is not formatted; exit code 1 when there is one
  --write    rewrite the files that are not formatted, and print their names

Only the syntax is checked. A file with a syntax error gets the usual diagnostic and exit code 2, and then
--write changes no file at all.
)";

enum class Mode { kPrint, kCheck, kWrite };

struct Formatted {
  std::string path;
  std::string original;
  std::string text;
};

// The files that PATH stands for: itself, or the .edict files below a directory (sorted).
std::vector<std::string> expand(const std::string& path) {
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) return {path};
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".edict") found.push_back(it->path().string());
  }
  std::sort(found.begin(), found.end());
  return found;
}

// Writes through a temporary file in the same directory and a rename, so a failure leaves the old file.
bool replace_file(const std::string& path, const std::string& text) {
  const fs::path target(path);
  fs::path temporary = target;
  temporary += ".edict-fmt.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(text.data(), static_cast<std::streamsize>(text.size())) || !out.flush()) return false;
  }
  std::error_code ec;
  fs::permissions(temporary, fs::status(target, ec).permissions(), ec);
  fs::rename(temporary, target, ec);
  if (ec) fs::remove(temporary, ec);
  return !ec;
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
  for (const auto& given : paths) {
    const auto files = expand(given);
    if (files.empty()) {
      fmt::print(stderr, "edict: no `.edict` files in `{}`\n", given);
      ok = false;
    }
    for (const auto& path : files) {
      auto text = read_all(path);
      if (!text) {
        fmt::print(stderr, "edict: cannot read `{}`\n", path);
        ok = false;
        continue;
      }
      auto result = format_source(SourceFile{path == "-" ? "<stdin>" : path, *text});
      if (!result.ok()) {
        fmt::print(stderr, "{}", render_all(result.diagnostics));
        ok = false;
        continue;
      }
      out.push_back({path, std::move(*text), std::move(*result.text)});
    }
  }
  return ok;
}

}  // namespace

int run_fmt(Args& args) {
  if (args.done() || args.peek() == "--help") {
    fmt::print("{}", kFmtHelp);
    return args.done() ? kUsage : kOk;
  }
  std::vector<std::string> paths;
  std::string error;
  const auto mode = parse_arguments(args, paths, error);
  if (!mode) return usage_error(error, kFmtHelp);

  std::vector<Formatted> files;
  const bool all_ok = format_all(paths, files);
  if (!all_ok && *mode == Mode::kWrite) return kUsage;  // change nothing when any file is wrong

  bool changed = false;
  for (const auto& f : files) {
    if (*mode == Mode::kPrint) {
      fmt::print("{}", f.text);
      continue;
    }
    if (f.text == f.original) continue;
    changed = true;
    if (*mode == Mode::kWrite && !replace_file(f.path, f.text)) {
      fmt::print(stderr, "edict: cannot write `{}`\n", f.path);
      return kUsage;
    }
    fmt::print("{}\n", f.path);
  }
  if (!all_ok) return kUsage;
  return *mode == Mode::kCheck && changed ? kTestsFailed : kOk;
}

}  // namespace edict::cli
