#include "core/parallel.h"

#include <utility>

namespace careabm {

Team::Team(int threads) {
  for (int i = 1; i < threads; ++i) helpers_.emplace_back([this] { help(); });
}

Team::~Team() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : helpers_) t.join();
}

// Takes parts until none is left (called with the mutex held; runs them without it).
void Team::take_parts() {
  std::unique_lock lock(mutex_, std::adopt_lock);
  while (next_ < parts_) {
    const int part = next_++;
    ++running_;
    lock.unlock();
    std::exception_ptr failed;
    try {
      (*body_)(part);
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    if (failed && !failure_) failure_ = failed;
    if (--running_ == 0 && next_ >= parts_) done_.notify_all();
  }
  lock.release();
}

void Team::help() {
  unsigned long seen = 0;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    lock.release();  // still held: take_parts adopts it
    take_parts();
    lock = std::unique_lock(mutex_, std::adopt_lock);
  }
}

void Team::run(int parts, const std::function<void(int)>& body) {
  if (helpers_.empty() || parts <= 1) {
    for (int k = 0; k < parts; ++k) body(k);
    return;
  }
  std::unique_lock lock(mutex_);
  body_ = &body, parts_ = parts, next_ = 0, failure_ = nullptr;
  ++generation_;
  wake_.notify_all();
  lock.release();
  take_parts();
  lock = std::unique_lock(mutex_, std::adopt_lock);
  done_.wait(lock, [&] { return next_ >= parts_ && running_ == 0; });
  body_ = nullptr;
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

}  // namespace careabm
