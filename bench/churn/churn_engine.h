// ChurnEngine: one FIB structure as the churn replay drives it: a writer
// applying batches of FIB changes, and reader threads looking up at full
// speed beside it, each reporting a quiescent state per burst to the RCU
// its structure reclaims with (liburcu QSBR for nexthop's structures,
// DPDK's rte_rcu_qsbr for rte_lpm). The reader loop lives inside the
// engine, so a virtual call costs once per thread, never per lookup.
#ifndef NEXTHOP_BENCH_CHURN_CHURN_ENGINE_H_
#define NEXTHOP_BENCH_CHURN_CHURN_ENGINE_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lpm/grace_period.h"
#include "lpm/lpm.h"
#include "rcu/urcu_qsbr.h"

namespace nexthop::bench {

// Insert (next_hop != kNoRoute) or erase one prefix.
struct FibOp {
  Ipv4Prefix prefix;
  NextHopId next_hop = kNoRoute;
};

// One reader thread's counter, on its own cache line so that the writer
// and other readers never share it.
struct alignas(64) ReaderSlot {
  std::atomic<uint64_t> lookups{0};
  uint64_t checksum = 0;  // keeps the lookups from being optimised away
};

struct ReaderOptions {
  std::span<const Ipv4Address> addresses;
  size_t batch = 64;
  // Report a quiescent state after every burst; read once a burst, so that
  // the cost of reporting is measured by the same threads, off and on.
  const std::atomic<bool>* quiescent = nullptr;
};

// The loop every engine's reader runs: bursts of `o.batch` addresses,
// cycling through `o.addresses`, a quiescent state after each burst while
// `o.quiescent` says so, counting into `slot` until `stop`.
template <typename Lookup, typename Quiescent>
void RunReaderLoop(const ReaderOptions& o, ReaderSlot& slot,
                   const std::atomic<bool>& stop, Lookup lookup,
                   Quiescent quiescent) {
  std::vector<NextHopId> out(o.batch);
  uint64_t sum = 0, n = 0;
  size_t i = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    lookup(o.addresses.subspan(i, o.batch), std::span<NextHopId>(out));
    if (o.quiescent->load(std::memory_order_relaxed)) quiescent();
    sum += out[0] + out[o.batch - 1];
    n += o.batch;
    slot.lookups.store(n, std::memory_order_relaxed);
    i += o.batch;
    if (i + o.batch > o.addresses.size()) i = 0;
  }
  slot.checksum = sum;
}

class ChurnEngine {
 public:
  virtual ~ChurnEngine() = default;
  virtual std::string name() const = 0;
  // Whether readers may run beside the writer (the structure reclaims
  // memory through grace periods). rte_fib cannot in DPDK 22.11.
  virtual bool concurrent_readers() const = 0;
  virtual NextHopId max_next_hop() const = 0;
  // An empty structure (not timed), then every route (not timed): by
  // default the routes as inserts through Apply.
  virtual absl::Status Reset() = 0;
  virtual absl::Status Build(std::span<const Ipv4Prefix> prefixes,
                             std::span<const NextHopId> next_hops) {
    std::vector<FibOp> ops(prefixes.size());
    for (size_t i = 0; i < ops.size(); ++i)
      ops[i] = {prefixes[i], next_hops[i]};
    return Apply(ops);
  }
  // The writer: applies `ops` in order.
  virtual absl::Status Apply(std::span<const FibOp> ops) = 0;
  // A reader thread's whole life: register with the RCU, look up bursts of
  // `options.batch` addresses until `stop`, counting into `slot`.
  // `thread_index` < 64 numbers the readers of one run.
  virtual void ReaderLoop(int thread_index, const ReaderOptions& options,
                          ReaderSlot& slot,
                          const std::atomic<bool>& stop) const = 0;
  virtual void LookupBatch(std::span<const Ipv4Address> in,
                           std::span<NextHopId> out) const = 0;
  // Grace periods waited for since Reset(); zeros where not known.
  virtual ReclaimStats reclaim_stats() const { return {}; }
  // Each grace period's wait, where the engine times them (else nullptr);
  // the caller may clear it.
  virtual std::vector<int64_t>* grace_period_waits() { return nullptr; }
};

// liburcu QSBR grace periods, each one's wait recorded (ReclaimStats has
// only their sum; one slow wait, a reader preempted on a shared machine,
// should not pass for the usual one).
class TimedGracePeriod final : public GracePeriod {
 public:
  void Synchronize() override {
    const auto t0 = std::chrono::steady_clock::now();
    UrcuQsbr::Instance().Synchronize();
    waits_ns_.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - t0)
                            .count());
  }
  std::vector<int64_t>& waits_ns() { return waits_ns_; }

 private:
  std::vector<int64_t> waits_ns_;
};

// Dir24_8 or Poptrie with liburcu QSBR grace periods.
template <typename T>
class NexthopChurnEngine final : public ChurnEngine {
 public:
  std::string name() const override { return std::string(T::kName); }
  bool concurrent_readers() const override { return true; }
  NextHopId max_next_hop() const override { return T::kMaxNextHop; }
  absl::Status Reset() override {
    t_ = std::make_unique<T>();
    t_->SetGracePeriod(&grace_);
    return absl::OkStatus();
  }
  absl::Status Build(std::span<const Ipv4Prefix> prefixes,
                     std::span<const NextHopId> next_hops) override {
    if constexpr (requires { t_->Assign(prefixes, next_hops); }) {
      return t_->Assign(prefixes, next_hops);  // Poptrie's bulk build
    }
    return ChurnEngine::Build(prefixes, next_hops);
  }
  absl::Status Apply(std::span<const FibOp> ops) override {
    T& t = *t_;
    for (const FibOp& op : ops) {
      absl::Status s = op.next_hop == kNoRoute
                           ? t.Erase(op.prefix)
                           : t.Insert(op.prefix, op.next_hop);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  void ReaderLoop(int, const ReaderOptions& o, ReaderSlot& slot,
                  const std::atomic<bool>& stop) const override {
    UrcuQsbr::RegisterThread();
    const T& t = *t_;
    RunReaderLoop(
        o, slot, stop,
        [&](std::span<const Ipv4Address> in, std::span<NextHopId> out) {
          t.LookupBatch(in, out);
        },
        [] { UrcuQsbr::QuiescentState(); });
    UrcuQsbr::UnregisterThread();
  }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const override {
    t_->LookupBatch(in, out);
  }
  ReclaimStats reclaim_stats() const override { return t_->reclaim_stats(); }
  std::vector<int64_t>* grace_period_waits() override {
    return &grace_.waits_ns();
  }

 private:
  TimedGracePeriod grace_;
  std::unique_ptr<T> t_;
};

// "rte_fib" (no readers: no RCU in DPDK 22.11) or "rte_lpm" (readers
// report to an rte_rcu_qsbr variable attached with rte_lpm_rcu_qsbr_add).
// Unavailable, with the reason, when nexthop was built without DPDK.
absl::StatusOr<std::unique_ptr<ChurnEngine>> MakeDpdkChurnEngine(
    const std::string& name, int max_readers);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_CHURN_ENGINE_H_
