// Replacing a file whole or not at all, for `edict fmt --write` and `edict eval --receipt` (see commands.hpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace edict::cli {

namespace {

// The temporary file: closed, and removed unless it was renamed, on every path out.
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

}  // namespace

std::string replace_file_contents(const std::string& path, const std::string& text, const NewFile& file) {
  const auto failed = [&](const std::string& what) {
    return fmt::format("cannot write `{}`: {}: {}", path, what, describe_errno(errno));
  };
  const std::filesystem::path target(path);
  const auto dir = target.has_parent_path() ? target.parent_path().string() : std::string(".");
  std::string name =
      (std::filesystem::path(dir) / ("." + target.filename().string() + file.temporary_tag + "XXXXXX")).string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);  // O_CREAT | O_EXCL: never an existing file or link
  if (fd < 0) return failed(fmt::format("cannot create a temporary file in `{}`", dir));
  TemporaryFile temporary(fd, name);
  if (::fchmod(fd, file.mode) != 0) return failed("cannot set the temporary file's mode");
  if (file.owner && (file.owner->uid != ::geteuid() || file.owner->gid != ::getegid()) &&
      ::fchown(fd, file.owner->uid, file.owner->gid) != 0) {
    // Best effort, like an editor's atomic save: the owner is kept only by root; the group when we belong to
    // it. Otherwise the new file is ours.
    [[maybe_unused]] const int group_kept = ::fchown(fd, static_cast<uid_t>(-1), file.owner->gid);
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

}  // namespace edict::cli
