#include "bench/churn/readers.h"

#include <pthread.h>
#include <time.h>

#include <algorithm>

namespace nexthop::bench {

Readers::Readers(const ChurnEngine& engine,
                 const std::vector<std::vector<Ipv4Address>>& traffic,
                 size_t batch)
    : slots_(traffic.size()) {
  for (size_t t = 0; t < traffic.size(); ++t) {
    options_.push_back({traffic[t], batch, &quiescent_});
  }
  for (size_t t = 0; t < traffic.size(); ++t) {
    threads_.emplace_back([&, t] {
      engine.ReaderLoop(static_cast<int>(t), options_[t], slots_[t], stop_);
    });
  }
  // Counted from the moment every reader runs.
  while (std::any_of(slots_.begin(), slots_.end(), [](const ReaderSlot& s) {
    return s.lookups.load(std::memory_order_relaxed) == 0;
  })) {
    std::this_thread::yield();
  }
}

double Readers::CpuSeconds() const {
  double total = 0;
  for (const std::thread& t : threads_) {
    clockid_t clock;
    timespec ts{};
    if (pthread_getcpuclockid(const_cast<std::thread&>(t).native_handle(),
                              &clock) == 0 &&
        clock_gettime(clock, &ts) == 0) {
      total += ts.tv_sec + ts.tv_nsec / 1e9;
    }
  }
  return total;
}

void Readers::Stop() {
  stop_ = true;
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

Window ReaderRate(const Readers& readers, double seconds) {
  WindowTimer w(readers);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  return w.End();
}

}  // namespace nexthop::bench
