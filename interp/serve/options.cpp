// Reading the --listen address (see options.hpp).
#include "serve/options.hpp"

#include <fmt/format.h>

namespace edict::serve {

std::optional<Listen> parse_listen(const std::string& text, std::string* error) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    *error = fmt::format("`{}`: expected HOST:PORT (e.g. 127.0.0.1:8181; port 0 picks a free one)", text);
    return std::nullopt;
  }
  Listen out;
  out.host = text.substr(0, colon);
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);  // [::1]
  }
  if (out.host.empty()) {
    *error = fmt::format("`{}`: the host is empty (e.g. 127.0.0.1:{})", text, text.substr(colon + 1));
    return std::nullopt;
  }
  const std::string port = text.substr(colon + 1);
  long value = 0;
  bool ok = !port.empty() && port.size() <= 5;
  for (const char c : port) {
    ok = ok && c >= '0' && c <= '9';
    if (ok) value = value * 10 + (c - '0');
  }
  if (!ok || value > 65535) {
    *error = fmt::format("`{}`: the port must be a whole number from 0 to 65535", text);
    return std::nullopt;
  }
  out.port = static_cast<int>(value);
  return out;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace edict::serve
