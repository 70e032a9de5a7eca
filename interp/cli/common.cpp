// Shared pieces of the `edict` commands.
#include "cli/commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <streambuf>

#include <fmt/format.h>

namespace edict::cli {

int usage_error(const std::string& message, const char* help) {
  fmt::print(stderr, "edict: {}\n\n{}", message, help);
  return kUsage;
}

std::optional<int> help_exit(const Args& args, const char* help) {
  if (!args.done() && args.peek() != "--help") return std::nullopt;
  fmt::print("{}", help);
  return args.done() ? kUsage : kOk;
}

std::optional<std::string> option_value(Args& args, const std::string& flag, std::string& error) {
  if (args.done()) {
    error = fmt::format("`{}` needs a value", flag);
    return std::nullopt;
  }
  return args.next();
}

std::optional<std::size_t> option_count(Args& args, const std::string& flag, std::size_t min, std::size_t max,
                                        std::string& error) {
  auto text = option_value(args, flag, error);
  if (!text) return std::nullopt;
  std::size_t value = 0;
  bool ok = !text->empty();
  for (const char c : *text) {
    const auto digit = static_cast<std::size_t>(c - '0');
    // Not a digit, or beyond max (checked before it could overflow).
    if (c < '0' || c > '9' || value > max / 10 || digit > max - value * 10) {
      ok = false;
      break;
    }
    value = value * 10 + digit;
  }
  if (!ok || value < min) {
    error = fmt::format("`{} {}`: expected a whole number from {} to {}", flag, *text, min, max);
    return std::nullopt;
  }
  return value;
}

std::optional<Date> option_date(Args& args, const std::string& flag, std::string& error) {
  auto text = option_value(args, flag, error);
  if (!text) return std::nullopt;
  auto date = Date::parse(*text);
  if (!date) error = fmt::format("`{}`: `{}` is not a valid date (YYYY-MM-DD)", flag, *text);
  return date;
}

std::optional<std::string> option_format(Args& args, const std::string& flag, std::string& error) {
  auto format = option_value(args, flag, error);
  if (format && *format != "text" && *format != "json") {
    error = fmt::format("`{} {}`: expected text or json", flag, *format);
    return std::nullopt;
  }
  return format;
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
