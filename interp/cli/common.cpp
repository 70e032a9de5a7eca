// Shared pieces of the `edict` commands.
#include "cli/commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <functional>
#include <streambuf>

#include <fmt/format.h>

#include "cli/progress.hpp"
#include "core/suggest.hpp"

namespace edict::cli {

int usage_error(const std::string& message, const std::string& command) {
  fmt::print(stderr, "edict: {}\nRun 'edict {}--help' for usage.\n", message, command.empty() ? "" : command + " ");
  return kUsage;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const auto nearest = core::nearest_names(word, candidates, 1);
  return nearest.empty() ? std::string() : fmt::format(" (did you mean `{}`?)", nearest.front());
}

std::shared_ptr<const Policy> load_policy(const std::string& path) {
  auto compiled = compile_path(path);
  if (!compiled.ok()) fmt::print(stderr, "{}", render_all(compiled.diagnostics));
  return compiled.policy;
}

std::string catalog_folder(const std::string& policy_path, const std::string& given) {
  if (!given.empty()) return given;
  std::error_code ec;
  const auto folder = std::filesystem::path(policy_path) / "catalog";
  return std::filesystem::is_directory(folder, ec) ? folder.string() : std::string();
}

// ---------------------------------------------------------------- InputFile

// Reads a file descriptor in pieces. A read error ends the input as its end would, so that the bytes read
// before it still reach the reader (an exception would lose a partly filled read), and is kept for failed().
class InputFile::Buffer : public std::streambuf {
 public:
  explicit Buffer(int fd) : fd_(fd) {}
  ~Buffer() override {
    if (fd_ > STDIN_FILENO) ::close(fd_);
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  int error() const { return error_; }
  // `reader` is told the lines and bytes read after each read, and once more when the input ends (`ended`).
  void watch(std::function<void(std::size_t lines, std::size_t bytes, bool ended)> reader) {
    watcher_ = std::move(reader);
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    for (;;) {
      const ssize_t n = ::read(fd_, data_, sizeof data_);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n < 0) error_ = errno;
        if (watcher_) watcher_(lines_, bytes_, true);
        return traits_type::eof();
      }
      setg(data_, data_, data_ + n);
      if (watcher_) {
        bytes_ += static_cast<std::size_t>(n);
        lines_ += static_cast<std::size_t>(std::count(data_, data_ + n, '\n'));
        watcher_(lines_, bytes_, false);
      }
      return traits_type::to_int_type(*gptr());
    }
  }

 private:
  int fd_;
  int error_ = 0;
  std::function<void(std::size_t, std::size_t, bool)> watcher_;
  std::size_t bytes_ = 0, lines_ = 0;
  char data_[1 << 16];
};

InputFile::InputFile(const std::string& path) {
  auto opened = open_file_for_reading(path, FileKind::kStream);
  struct stat st {};
  if (opened.ok() && ::fstat(opened.fd, &st) == 0 && S_ISREG(st.st_mode)) {
    size_ = static_cast<std::size_t>(st.st_size);
  }
  name_ = opened.name;
  problem_ = opened.problem;
  buffer_ = std::make_unique<Buffer>(opened.ok() ? opened.fd : -1);
  stream_ = std::make_unique<std::istream>(buffer_.get());
  if (!opened.ok()) stream_->setstate(std::ios::badbit);
}

bool InputFile::failed() const { return !ok() || buffer_->error() != 0 || stream_->bad(); }

InputFile::~InputFile() = default;

std::istream& InputFile::stream() { return *stream_; }

void InputFile::show_progress(ProgressLine& line) {
  if (!line.shown()) return;
  // Erased when the input ends: what follows on standard error (a read error, a summary) starts a clean line.
  buffer_->watch([&line, total = size_](std::size_t lines, std::size_t bytes, bool ended) {
    if (ended) {
      line.clear();
    } else {
      line.input(lines, bytes, total);
    }
  });
}

std::string InputFile::read_error() const {
  if (!ok()) return problem_.message;
  return fmt::format("cannot read `{}`: {}", name_,
                     buffer_->error() != 0 ? describe_errno(buffer_->error()) : std::string("read error"));
}

// ---------------------------------------------------------------- output files

std::string write_output_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
  if (fd < 0) return fmt::format("cannot write `{}`: {}", path, describe_errno(errno));
  std::size_t done = 0;
  int error = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && error == 0 && errno != EINTR) error = errno;
  if (error != 0) return fmt::format("cannot write `{}`: {}", path, describe_errno(error));
  return {};
}

}  // namespace edict::cli
