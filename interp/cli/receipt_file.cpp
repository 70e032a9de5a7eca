// `edict eval --receipt`: the decision record, written whole or not at all (see commands.hpp).
#include <sys/stat.h>

#include <cerrno>

#include <fmt/format.h>

#include "audit/decision_record.hpp"
#include "cli/commands.hpp"

namespace edict::cli {

std::string write_file_atomically(const std::string& path, const std::string& text) {
  mode_t mode = 0;
  struct stat target {};
  if (::lstat(path.c_str(), &target) == 0) {
    if (S_ISLNK(target.st_mode)) {
      return fmt::format("cannot write `{}`: it is a symbolic link (the file is replaced, never written through a "
                         "link: name the file it points to)",
                         path);
    }
    if (!S_ISREG(target.st_mode)) return fmt::format("cannot write `{}`: it is not a regular file", path);
    mode = target.st_mode & 07777;
  } else if (errno == ENOENT) {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  } else {
    return fmt::format("cannot write `{}`: {}", path, describe_errno(errno));
  }
  return replace_file_contents(path, text, NewFile{mode, std::nullopt, ".edict-"});
}

std::optional<int> write_receipt(const Policy& policy, const Facts& facts, EvalOptions options,
                                 const std::string& path) {
  options.trace = false;
  const auto result = policy.evaluate(facts, options);
  if (!result.ok) return std::nullopt;
  const auto record = audit::make_record(result, facts, audit::new_decision_id(), audit::now_utc());
  const auto problem = write_file_atomically(path, audit::to_log_line(record) + "\n");
  if (problem.empty()) return std::nullopt;
  fmt::print(stderr, "edict: {}\n", problem);
  return kUsage;
}

}  // namespace edict::cli
