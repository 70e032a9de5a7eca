// Signals for the server, handled by a thread that waits for them (sigwait on a blocked mask), never inside a
// signal handler: SIGHUP reloads the policy, SIGTERM and SIGINT stop the server gracefully.
#pragma once

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace edict::serve {

class SignalThread {
 public:
  // Blocks SIGHUP, SIGTERM, SIGINT and SIGUSR2 in the calling thread (and so in every thread it starts
  // afterwards), and ignores SIGPIPE (a client that goes away is an error on its socket, not a signal).
  // Call before any other thread is started.
  static void block_signals();

  // Starts the thread: `on_reload` for SIGHUP, `on_stop(signal)` for the first SIGTERM or SIGINT (later ones
  // are ignored: the stop is under way).
  SignalThread(std::function<void()> on_reload, std::function<void(int)> on_stop);
  ~SignalThread();  // stop() then join
  SignalThread(const SignalThread&) = delete;
  SignalThread& operator=(const SignalThread&) = delete;

  // Ends the thread (it waits for no more signals).
  void stop();
  int stop_signal() const { return stop_signal_.load(); }  // 0 until a stop signal came

 private:
  void run();
  std::function<void()> on_reload_;
  std::function<void(int)> on_stop_;
  std::atomic<bool> done_{false};
  std::atomic<int> stop_signal_{0};
  std::thread thread_;
};

}  // namespace edict::serve
