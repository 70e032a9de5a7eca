// Shared pieces of the `edict` commands.
#include "cli/commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <streambuf>

#include <fmt/format.h>

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

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    for (;;) {
      const ssize_t n = ::read(fd_, data_, sizeof data_);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error_ = errno;
        return traits_type::eof();
      }
      if (n == 0) return traits_type::eof();
      setg(data_, data_, data_ + n);
      return traits_type::to_int_type(*gptr());
    }
  }

 private:
  int fd_;
  int error_ = 0;
  char data_[1 << 16];
};

InputFile::InputFile(const std::string& path) {
  auto opened = open_file_for_reading(path, FileKind::kStream);
  name_ = opened.name;
  problem_ = opened.problem;
  buffer_ = std::make_unique<Buffer>(opened.ok() ? opened.fd : -1);
  stream_ = std::make_unique<std::istream>(buffer_.get());
  if (!opened.ok()) stream_->setstate(std::ios::badbit);
}

bool InputFile::failed() const { return !ok() || buffer_->error() != 0 || stream_->bad(); }

InputFile::~InputFile() = default;

std::istream& InputFile::stream() { return *stream_; }

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
