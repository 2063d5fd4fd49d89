// Reader threads of one churn engine, started, counted and stopped, and
// windows over which their lookup rate and share of their cores are
// measured (churn-bench's "before", "after" and "with the writer").
#ifndef NEXTHOP_BENCH_CHURN_READERS_H_
#define NEXTHOP_BENCH_CHURN_READERS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "bench/churn/churn_engine.h"
#include "bench/harness/measure.h"

namespace nexthop::bench {

// Reader threads of one engine: started, counted, stopped.
class Readers {
 public:
  // Starts one reader per traffic sample, each looking up `batch`
  // addresses per burst; returns once every one has counted lookups.
  Readers(const ChurnEngine& engine,
          const std::vector<std::vector<Ipv4Address>>& traffic, size_t batch);
  ~Readers() { Stop(); }
  // CPU time the reader threads have had, summed: divided by wall time, it
  // shows whether they kept their cores (a shared machine may take them).
  double CpuSeconds() const;
  int size() const { return static_cast<int>(slots_.size()); }
  // Whether readers report quiescent states (on from the start). Off is
  // only for measuring what reporting costs: no writer may wait then.
  void SetQuiescent(bool on) { quiescent_ = on; }
  uint64_t Count() const {
    uint64_t n = 0;
    for (const ReaderSlot& s : slots_)
      n += s.lookups.load(std::memory_order_relaxed);
    return n;
  }
  void Stop();

 private:
  std::vector<ReaderSlot> slots_;
  std::vector<ReaderOptions> options_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> quiescent_{true};
  std::vector<std::thread> threads_;
};

// CPU time the calling thread has had.
double ThreadCpuSeconds();

// What the readers did over a window: lookups/s, and the share of their
// cores they had (1.0: never preempted).
struct Window {
  double lookups_per_s = 0, cpu_share = 0;
  uint64_t lookups = 0;
  double seconds = 0;
};

class WindowTimer {
 public:
  explicit WindowTimer(const Readers& r)
      : r_(r),
        c0_(r.Count()),
        cpu0_(r.CpuSeconds()),
        t0_(std::chrono::steady_clock::now()) {}
  Window End() const {
    const double s = Seconds(t0_);
    const uint64_t n = r_.Count() - c0_;
    return {n / s, (r_.CpuSeconds() - cpu0_) / s / r_.size(), n, s};
  }

 private:
  const Readers& r_;
  uint64_t c0_;
  double cpu0_;
  std::chrono::steady_clock::time_point t0_;
};

// Readers alone (no writer) over `seconds`.
Window ReaderRate(const Readers& readers, double seconds);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_READERS_H_
