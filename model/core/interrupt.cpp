#include "core/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>

namespace careabm {

namespace {

// Everything the handler touches is a lock-free atomic or a buffer it only reads
// once the atomic says the buffer is complete: async-signal-safe.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

constexpr std::size_t kSlots = 8;
constexpr std::size_t kPathBytes = 4096;
std::array<std::array<char, kPathBytes>, kSlots> g_paths{};
std::array<std::atomic<int>, kSlots> g_in_use{};

extern "C" void careabm_stop_on_signal(int signal) {
  int none = 0;
  if (g_signal.compare_exchange_strong(none, signal)) return;  // the first: stop at the next safe point
  // The second: stop now. unlink(2) and _exit(2) are async-signal-safe.
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (g_in_use[i].load() == 1) ::unlink(g_paths[i].data());
  }
  ::_exit(kInterruptedExitStatus);
}

}  // namespace

Interrupted::Interrupted(int signal)
    : std::runtime_error(std::string("interrupted by ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT")),
      signal_(signal) {}

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = careabm_stop_on_signal;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);  // one handler at a time
  sigaddset(&action.sa_mask, SIGTERM);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int interrupt_signal() { return g_signal.load(); }

void throw_if_interrupted() {
  if (const int signal = g_signal.load()) throw Interrupted(signal);
}

void clear_interrupt() { g_signal.store(0); }

int register_temporary(const std::string& path) {
  if (path.size() + 1 > kPathBytes) return -1;
  for (std::size_t i = 0; i < kSlots; ++i) {
    int free = 0;
    // 2 = being filled: the handler skips the slot until it holds the whole path.
    if (!g_in_use[i].compare_exchange_strong(free, 2)) continue;
    std::memcpy(g_paths[i].data(), path.c_str(), path.size() + 1);
    g_in_use[i].store(1);
    return static_cast<int>(i);
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0 && static_cast<std::size_t>(slot) < kSlots) g_in_use[static_cast<std::size_t>(slot)].store(0);
}

}  // namespace careabm
