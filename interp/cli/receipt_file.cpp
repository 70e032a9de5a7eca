// `edict eval --receipt`: decision records, written whole or not at all (see receipt_file.hpp).
#include "cli/receipt_file.hpp"


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

BatchReceipts::BatchReceipts(const Policy& policy, const BatchOptions& options)
    : policy_(policy), session_(policy), options_(options) {}

void BatchReceipts::add(std::string_view case_line) {
  if (core::CaseLine::is_blank(case_line) || !case_.read(case_line, policy_.limits())) return;
  EvalOptions options;
  options.as_of = case_.as_of ? case_.as_of : options_.as_of;
  if (!options.as_of) return;  // the batch answers such a line with an error object
  options.rules_as_of = case_.rules_as_of ? case_.rules_as_of : options_.rules_as_of;
  const auto result = session_.evaluate(case_.facts, options);
  if (!result.ok) return;
  const auto record = audit::make_record(result, case_.facts, audit::new_decision_id(), audit::now_utc());
  records_ += audit::to_log_line(record);
  records_ += '\n';
}

std::optional<int> BatchReceipts::write(const std::string& path) const {
  const auto problem = write_file_atomically(path, records_);
  if (problem.empty()) return std::nullopt;
  fmt::print(stderr, "edict: {}\n", problem);
  return kUsage;
}

}  // namespace edict::cli
