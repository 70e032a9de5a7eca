// The file rules: bounded reads of regular files, paths that stay inside the policy root, and policy
// directory listings that report every error (grammar/LANGUAGE.md section 8).
#include "edict/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace edict {

namespace fs = std::filesystem;

namespace {

FileProblem problem(std::string code, std::string message) { return {std::move(code), std::move(message)}; }

std::string code_of_errno(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR: return "file-not-found";
    case EACCES:
    case EPERM: return "permission-denied";
    case ELOOP: return "symlink-loop";
    case EISDIR: return "not-a-regular-file";
    default: return "read-error";
  }
}

FileProblem errno_problem(const std::string& path, int error) {
  return problem(code_of_errno(error), fmt::format("cannot read `{}`: {}", path, describe_errno(error)));
}

// Closes a file descriptor on every path out.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ > STDIN_FILENO) ::close(fd_);
  }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::string kind_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

bool kind_allowed(mode_t mode, FileKind kind) {
  if (S_ISREG(mode)) return true;
  return kind == FileKind::kStream && (S_ISFIFO(mode) || S_ISCHR(mode));
}

// Reads everything from `fd`, but at most max_bytes + 1 bytes.
FileText read_bounded(int fd, const std::string& path, std::size_t max_bytes) {
  FileText out;
  char buffer[1 << 16];
  for (;;) {
    const std::size_t room = max_bytes - std::min(max_bytes, out.text.size()) + 1;
    const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, room));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out.problem = errno_problem(path, errno);
      out.text.clear();
      return out;
    }
    if (n == 0) return out;
    out.text.append(buffer, static_cast<std::size_t>(n));
    if (out.text.size() > max_bytes) {
      out.text.clear();
      out.problem = problem("file-too-large", fmt::format("`{}` is larger than the limit of {} bytes", path, max_bytes));
      return out;
    }
  }
}

bool is_inside(const fs::path& path, const fs::path& dir) {
  const auto relative = path.lexically_relative(dir);
  return !relative.empty() && *relative.begin() != "..";
}

using Extensions = std::vector<std::string>;

void list_directory(const fs::path& dir, const fs::path& real_root, const Extensions& extensions,
                    PolicyDirectory& out);

void list_entry(const fs::directory_entry& entry, const fs::path& real_root, const Extensions& extensions,
                PolicyDirectory& out) {
  std::error_code ec;
  const auto& path = entry.path();
  const auto own = entry.symlink_status(ec);
  if (ec) {
    out.problems.push_back(errno_problem(path.string(), ec.value()));
    return;
  }
  if (fs::is_directory(own)) return list_directory(path, real_root, extensions, out);
  if (std::find(extensions.begin(), extensions.end(), path.extension().string()) == extensions.end()) return;
  if (fs::is_symlink(own)) {
    FileProblem link_problem;
    if (!resolves_inside_root(path.string(), real_root.string(), link_problem)) {
      out.problems.push_back(link_problem.code.empty()
                                 ? problem("file-outside-root", fmt::format("`{}` is a symbolic link that leads "
                                                                            "outside `{}`",
                                                                            path.string(), real_root.string()))
                                 : link_problem);
      return;
    }
  }
  const auto target = fs::status(path, ec);
  if (ec) {
    out.problems.push_back(errno_problem(path.string(), ec.value()));
  } else if (!fs::is_regular_file(target)) {
    out.problems.push_back(problem("not-a-regular-file", fmt::format("`{}` is not a regular file", path.string())));
  } else {
    out.files.push_back(path.string());
  }
}

void list_directory(const fs::path& dir, const fs::path& real_root, const Extensions& extensions,
                    PolicyDirectory& out) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) list_entry(*it, real_root, extensions, out);
  if (ec) {
    out.problems.push_back(problem(code_of_errno(ec.value()), fmt::format("cannot read directory `{}`: {}",
                                                                          dir.string(), describe_errno(ec.value()))));
  }
}

}  // namespace

std::string describe_errno(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

OpenedFile open_file_for_reading(const std::string& path, FileKind kind) {
  OpenedFile out;
  const bool standard_input = path == "-" && kind == FileKind::kStream;
  out.name = standard_input ? std::string("standard input") : path;
  if (standard_input) {
    out.fd = STDIN_FILENO;
    return out;
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer before its type is checked.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    out.problem = errno_problem(path, errno);
    return out;
  }
  Descriptor file(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    out.problem = errno_problem(path, errno);
    return out;
  }
  if (!kind_allowed(info.st_mode, kind)) {
    out.problem = problem("not-a-regular-file", fmt::format("cannot read `{}`: it is {}", path, kind_name(info.st_mode)));
    return out;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  out.fd = file.release();
  return out;
}

FileText read_file_text(const std::string& path, std::size_t max_bytes, FileKind kind) {
  const auto opened = open_file_for_reading(path, kind);
  if (!opened.ok()) {
    FileText out;
    out.problem = opened.problem;
    return out;
  }
  Descriptor file(opened.fd);
  return read_bounded(opened.fd, opened.name, max_bytes);
}

bool resolves_inside_root(const std::string& path, const std::string& root, FileProblem& out) {
  std::error_code ec;
  // weakly_canonical leaves a relative path relative when not even its first component exists: make it
  // absolute first.
  const auto real_root = fs::weakly_canonical(fs::absolute(root.empty() ? "." : root), ec);
  if (ec) {
    out = errno_problem(root, ec.value());
    return false;
  }
  const auto real_path = fs::weakly_canonical(fs::absolute(path), ec);
  if (ec) {
    out = ec.value() == ELOOP ? problem("symlink-loop", fmt::format("`{}` is a loop of symbolic links", path))
                              : errno_problem(path, ec.value());
    return false;
  }
  return is_inside(real_path, real_root);
}

FileProblem check_inside_root(const std::string& path, const std::string& root, const std::string& what) {
  const auto normal_root = fs::absolute(root.empty() ? "." : root).lexically_normal();
  if (!is_inside(fs::absolute(path).lexically_normal(), normal_root)) {
    return problem("file-outside-root", fmt::format("{} leaves the policy root `{}`", what, root.empty() ? "." : root));
  }
  FileProblem link_problem;
  if (resolves_inside_root(path, root, link_problem)) return {};
  if (!link_problem.code.empty()) return link_problem;
  return problem("file-outside-root", fmt::format("{} leads outside the policy root `{}` through a symbolic link",
                                                  what, root.empty() ? "." : root));
}

RootedPath resolve_inside_root(const std::string& base_dir, const std::string& name, const std::string& root,
                               const std::string& what) {
  RootedPath out;
  const fs::path written(name);
  const auto refuse = [&](std::string message) {
    out.problem = problem("file-outside-root", std::move(message));
    return out;
  };
  if (name.empty()) return refuse(fmt::format("the {} path is empty", what));
  if (written.is_absolute()) {
    return refuse(fmt::format("{} `{}` is an absolute path; paths are relative to the policy", what, name));
  }
  if (!written.has_filename() || written.filename() == "." || written.filename() == "..") {
    return refuse(fmt::format("{} `{}` names a directory, not a file", what, name));
  }
  out.path = (fs::path(base_dir) / written).lexically_normal().string();
  out.problem = check_inside_root(out.path, root, fmt::format("{} `{}`", what, name));
  return out;
}

PolicyDirectory list_policy_files(const std::string& dir) { return list_files_below(dir, {".edict"}); }

PolicyDirectory list_files_below(const std::string& dir, const std::vector<std::string>& extensions) {
  PolicyDirectory out;
  std::error_code ec;
  const auto real_root = fs::weakly_canonical(fs::absolute(dir), ec);
  if (ec) {
    out.problems.push_back(errno_problem(dir, ec.value()));
    return out;
  }
  list_directory(fs::path(dir), real_root, extensions, out);
  // Directory order depends on the file system: sort, so that the same tree gives the same output.
  std::sort(out.files.begin(), out.files.end());
  std::sort(out.problems.begin(), out.problems.end(),
            [](const FileProblem& a, const FileProblem& b) { return a.message < b.message; });
  return out;
}

}  // namespace edict
