// The signal-waiting thread (see signals.hpp).
#include "serve/signals.hpp"

#include <utility>

namespace edict::serve {

namespace {
// SIGUSR2 is the thread's own wake-up call (stop()); one sent from outside is ignored.
sigset_t waited_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (const int s : {SIGHUP, SIGTERM, SIGINT, SIGUSR2}) sigaddset(&set, s);
  return set;
}
}  // namespace

void SignalThread::block_signals() {
  const sigset_t set = waited_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

SignalThread::SignalThread(std::function<void()> on_reload, std::function<void(int)> on_stop)
    : on_reload_(std::move(on_reload)), on_stop_(std::move(on_stop)), thread_([this] { run(); }) {}

SignalThread::~SignalThread() { stop(); }

void SignalThread::stop() {
  if (!thread_.joinable()) return;
  done_.store(true);
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

void SignalThread::run() {
  const sigset_t set = waited_signals();
  while (!done_.load()) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0) continue;
    if (signal_number == SIGHUP) {
      on_reload_();
    } else if ((signal_number == SIGTERM || signal_number == SIGINT) && stop_signal_.load() == 0) {
      stop_signal_.store(signal_number);
      on_stop_(signal_number);
    }
  }
}

}  // namespace edict::serve
