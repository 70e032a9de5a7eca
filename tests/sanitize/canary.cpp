// Commits the one error named by its argument (leak, use_after_free, overflow, race), so that a test can check
// that the sanitizer in use reports it (tests/sanitize/CMakeLists.txt). Not part of Edict.
#include <climits>
#include <cstdio>
#include <cstring>
#include <thread>

namespace {

int* volatile g_pointer = nullptr;  // volatile: the optimizer must keep every store and load
int g_counter = 0;                  // written by two threads without synchronisation (the race)

int leak() {
  g_pointer = new int[16];
  g_pointer = nullptr;  // the only pointer to the array is gone: leaked at exit
  return 0;
}

int use_after_free() {
  g_pointer = new int[4];
  int* freed = g_pointer;
  delete[] freed;
  return g_pointer[1];
}

int overflow(int argc) {
  volatile int big = INT_MAX;
  return big + argc;  // INT_MAX + 2: signed overflow
}

int race() {
  auto bump = [] {
    for (int i = 0; i < 1000; ++i) ++g_counter;
  };
  std::thread first(bump);
  std::thread second(bump);
  first.join();
  second.join();
  return g_counter > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  int result = 2;
  if (std::strcmp(mode, "leak") == 0) result = leak();
  if (std::strcmp(mode, "use_after_free") == 0) result = use_after_free();
  if (std::strcmp(mode, "overflow") == 0) result = overflow(argc);
  if (std::strcmp(mode, "race") == 0) result = race();
  std::printf("canary %s finished with %d (the sanitizer should have reported it)\n", mode, result);
  return result;
}
