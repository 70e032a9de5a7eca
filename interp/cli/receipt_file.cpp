// `edict eval --receipt`: the decision record, written whole or not at all (see commands.hpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "audit/decision_record.hpp"
#include "cli/commands.hpp"

namespace edict::cli {

namespace {

// The temporary file: closed, and removed unless it was renamed, on every path out.
class Temporary {
 public:
  Temporary(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  ~Temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  bool close() { return ::close(std::exchange(fd_, -1)) == 0; }
  void renamed() { renamed_ = true; }

 private:
  int fd_;
  std::string path_;
  bool renamed_ = false;
};

}  // namespace

std::string write_file_atomically(const std::string& path, const std::string& text) {
  const auto failed = [&](const std::string& what) {
    return fmt::format("cannot write `{}`: {}: {}", path, what, describe_errno(errno));
  };
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
  const std::filesystem::path file(path);
  const auto dir = file.has_parent_path() ? file.parent_path().string() : std::string(".");
  std::string name = (std::filesystem::path(dir) / ("." + file.filename().string() + ".edict-XXXXXX")).string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);  // O_CREAT | O_EXCL: never an existing file or link
  if (fd < 0) return failed(fmt::format("cannot create a temporary file in `{}`", dir));
  Temporary temporary(fd, name);
  if (::fchmod(fd, mode) != 0) return failed("cannot set the temporary file's mode");
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failed("cannot write the temporary file");
    done += static_cast<std::size_t>(n);
  }
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
