// Load benchmark of `edict serve` (RESULTS.md, "Service"): starts the server on a free loopback port with a
// decision log, then POST /v1/decide (the EAR pack, an H800 to China on 2023-12-01, no trace) from N client
// threads, each with one keep-alive httplib::Client:
//   1. full rate: as fast as the server answers -> decisions/s, p50, p99;
//   2. half rate: paced at half the full rate (open loop: each request at its planned time) -> p50, p99;
//   3. a long run of --long requests at full rate, with the server's RSS after a warm-up and at the end;
// then SIGTERM, and the decision log's lines compared with the 200 responses. Bounded in requests, never in
// time; it reports, it asserts nothing about speed (the exit code is 1 only for errors or a log mismatch).
//
//   serve_load EDICT POLICY [--clients N] [--server-threads N] [--requests N] [--long N] [--client raw|httplib]
// The clients are minimal raw-socket ones by default (RawClient), httplib::Client with `--client httplib`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace {

using Clock = std::chrono::steady_clock;

const char* const kBody =
    R"({"facts":{"product":{"name":"H800","manufacturer":"NVIDIA","kind":"ic","tpp":15832,"die_area_mm2":814,)"
    R"("io_bandwidth_gbps":528,"memory_bandwidth_gbps":3350,"datacenter":true},"destination":{"country":"CN"}},)"
    R"("as_of":"2023-12-01"})";

struct Server {
  pid_t pid = -1;
  int port = 0;
};

// Starts `edict serve POLICY --listen 127.0.0.1:0 ...` and reads its port from the banner.
Server start(const std::string& edict, const std::string& policy, const std::string& log, int threads) {
  int out[2];
  if (pipe(out) != 0) std::exit(2);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    const std::string t = std::to_string(threads);
    execl(edict.c_str(), edict.c_str(), "serve", policy.c_str(), "--listen", "127.0.0.1:0", "--threads", t.c_str(),
          "--decision-log", log.c_str(), static_cast<char*>(nullptr));
    std::perror("exec");
    _exit(127);
  }
  close(out[1]);
  std::string banner;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n') banner += c;
  close(out[0]);
  const auto colon = banner.find("127.0.0.1:");
  if (colon == std::string::npos) {
    std::fprintf(stderr, "serve_load: no banner from the server: %s\n", banner.c_str());
    std::exit(2);
  }
  return {pid, std::atoi(banner.c_str() + colon + 10)};
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// CPU seconds (user + system) the process `pid` has used so far, from /proc/PID/stat (fields 14 and 15).
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "(comm) "
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds this process (the clients) has used so far.
double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Phase {
  std::vector<double> micros;  // latency of each answered request
  std::size_t ok = 0, errors = 0;
  double seconds = 0;
};

// A minimal keep-alive HTTP/1.1 client on one blocking loopback socket: one send of the prepared request and
// the reads of one response (status line, Content-Length, body), reconnecting when the server closes. It costs
// a few system calls per request, where an httplib::Client costs about as much CPU as the server's answer:
// on 2 shared cores the load generator would otherwise take half the machine (`--client httplib` keeps it).
class RawClient {
 public:
  explicit RawClient(int port) : port_(port) {
    request_ = std::string("POST /v1/decide HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n") +
               "Content-Length: " + std::to_string(std::strlen(kBody)) + "\r\n\r\n" + kBody;
  }
  ~RawClient() { close_socket(); }

  // The response's status, or 0 when the exchange failed.
  int post() {
    if (fd_ < 0 && !connect_socket()) return 0;
    if (!send_all()) return retry();
    const int status = read_response();
    return status == 0 ? retry() : status;
  }

 private:
  int retry() {  // once, on a fresh connection (the server closed an idle or exhausted keep-alive one)
    close_socket();
    if (!connect_socket() || !send_all()) return 0;
    return read_response();
  }

  bool connect_socket() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close_socket();
      return false;
    }
    buffer_.clear();
    return true;
  }

  void close_socket() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  bool send_all() {
    for (std::size_t sent = 0; sent < request_.size();) {
      const auto n = send(fd_, request_.data() + sent, request_.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  bool fill() {
    char chunk[16384];
    const auto n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int read_response() {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return 0;
    }
    const std::string head = buffer_.substr(0, end);
    const int status = head.size() > 12 ? std::atoi(head.c_str() + 9) : 0;
    std::size_t length = 0;
    for (const char* key : {"Content-Length: ", "content-length: "}) {
      if (const auto at = head.find(key); at != std::string::npos) length = std::strtoull(head.c_str() + at + 16, nullptr, 10);
    }
    while (buffer_.size() < end + 4 + length) {
      if (!fill()) return 0;
    }
    buffer_.erase(0, end + 4 + length);
    if (head.find("Connection: close") != std::string::npos) close_socket();
    return status;
  }

  int port_;
  int fd_ = -1;
  std::string request_, buffer_;
};

bool g_raw_client = true;

// `total` requests over `clients` threads; `interval` > 0 paces each thread (open loop).
Phase run(int port, int clients, std::size_t total, std::chrono::nanoseconds interval) {
  Phase phase;
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::atomic<std::size_t> ok{0}, errors{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      RawClient raw(port);
      const std::size_t mine = total / static_cast<std::size_t>(clients) + (static_cast<std::size_t>(c) < total % static_cast<std::size_t>(clients) ? 1 : 0);
      auto& lat = latencies[static_cast<std::size_t>(c)];
      lat.reserve(mine);
      // Threads start their schedules staggered across one interval.
      const auto first = start + interval * c / clients;
      for (std::size_t i = 0; i < mine; ++i) {
        auto planned = first + interval * static_cast<long>(i);
        if (interval.count() > 0) std::this_thread::sleep_until(planned);
        const auto sent = interval.count() > 0 ? planned : Clock::now();
        int status = 0;
        if (g_raw_client) {
          status = raw.post();
        } else if (auto res = client.Post("/v1/decide", kBody, "application/json")) {
          status = res->status;
        }
        const auto done = Clock::now();
        if (status == 200) {
          ++ok;
        } else {
          ++errors;
        }
        lat.push_back(std::chrono::duration<double, std::micro>(done - sent).count());
      }
    });
  }
  for (auto& t : threads) t.join();
  phase.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& l : latencies) phase.micros.insert(phase.micros.end(), l.begin(), l.end());
  std::sort(phase.micros.begin(), phase.micros.end());
  phase.ok = ok;
  phase.errors = errors;
  return phase;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
}

void report(const char* name, const Phase& p) {
  std::printf("%-10s %8zu requests %8.0f decisions/s  p50 %7.0f us  p99 %7.0f us  errors %zu\n", name,
              p.ok + p.errors, static_cast<double>(p.ok) / p.seconds, percentile(p.micros, 0.50),
              percentile(p.micros, 0.99), p.errors);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: serve_load EDICT POLICY [--clients N] [--server-threads N] [--requests N] [--long N] "
                         "[--client raw|httplib]\n");
    return 2;
  }
  const std::string edict = argv[1], policy = argv[2];
  int clients = 4, server_threads = 8;
  std::size_t requests = 100000, long_requests = 1000000;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const auto value = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--clients") clients = static_cast<int>(value);
    else if (flag == "--server-threads") server_threads = static_cast<int>(value);
    else if (flag == "--requests") requests = value;
    else if (flag == "--long") long_requests = value;
    else if (flag == "--client") g_raw_client = std::string(argv[i + 1]) != "httplib";
  }
  char dir_template[] = "/tmp/edict-serve-load-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string log = dir + "/decisions.jsonl";
  const Server server = start(edict, policy, log, server_threads);
  std::printf("server pid %d on 127.0.0.1:%d, %d server threads, %d %s client threads (one keep-alive connection "
              "each), %u cores\n", server.pid, server.port, server_threads, clients, g_raw_client ? "raw" : "httplib",
              std::thread::hardware_concurrency());

  const Phase warm = run(server.port, clients, 2000, {});
  const double server_cpu_before = cpu_seconds(server.pid), client_cpu_before = own_cpu_seconds();
  const Phase full = run(server.port, clients, requests, {});
  const double server_cpu = cpu_seconds(server.pid) - server_cpu_before;
  const double client_cpu = own_cpu_seconds() - client_cpu_before;
  report("full rate", full);
  // Where the cores went: the server's CPU per decision gives the rate it could sustain on cores of its own,
  // which the full-rate figure cannot show while the clients run on the same cores.
  const double server_micros = 1e6 * server_cpu / static_cast<double>(full.ok);
  std::printf("CPU per decision: server %.1f us, clients %.1f us; the server alone on %u cores: %.0f decisions/s\n",
              server_micros, 1e6 * client_cpu / static_cast<double>(full.ok), std::thread::hardware_concurrency(),
              1e6 * std::thread::hardware_concurrency() / server_micros);
  const double half_rate = static_cast<double>(full.ok) / full.seconds / 2;
  const auto interval = std::chrono::nanoseconds(static_cast<long>(1e9 * clients / half_rate));
  const Phase half = run(server.port, clients, requests / 2, interval);
  report("half rate", half);
  std::printf("half rate target %.0f decisions/s\n", half_rate);

  const long rss_before = rss_kib(server.pid);
  const Phase longer = run(server.port, clients, long_requests, {});
  const long rss_after = rss_kib(server.pid);
  report("long run", longer);
  std::printf("server RSS: %ld KiB after %zu requests, %ld KiB after %zu more\n", rss_before, requests * 3 / 2 + 2000,
              rss_after, long_requests);

  kill(server.pid, SIGTERM);
  int status = 0;
  waitpid(server.pid, &status, 0);
  std::size_t lines = 0;
  {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) ++lines;
  }
  const std::size_t answered = warm.ok + full.ok + half.ok + longer.ok;
  std::printf("server exit %d; decision-log lines %zu, 200 responses %zu (warm-up included)\n",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1, lines, answered);
  std::remove(log.c_str());
  rmdir(dir.c_str());
  const bool bad = warm.errors + full.errors + half.errors + longer.errors != 0 || lines != answered || !WIFEXITED(status) ||
                   WEXITSTATUS(status) != 0;
  return bad ? 1 : 0;
}
