// The bookkeeping every concurrent structure shares for deferred frees:
// whether a GracePeriod is attached, how much unpublished memory waits for
// one, and what waiting has cost. The structure keeps its own lists of
// what is pending (groups, arena regions) and moves them to its free lists
// after Wait().
#ifndef NEXTHOP_LPM_INTERNAL_RECLAIM_H_
#define NEXTHOP_LPM_INTERNAL_RECLAIM_H_

#include <chrono>
#include <cstddef>

#include "lpm/grace_period.h"

namespace nexthop::internal {

class Reclaim {
 public:
  void Attach(GracePeriod* gp, size_t max_pending_bytes) {
    gp_ = gp;
    max_pending_ = max_pending_bytes;
  }
  // The attachment (grace period and budget) of `o`, not its counts: for
  // a structure rebuilt from scratch that replaces another.
  void CopyAttachment(const Reclaim& o) {
    gp_ = o.gp_;
    max_pending_ = o.max_pending_;
  }
  GracePeriod* grace_period() const { return gp_; }
  size_t max_pending_bytes() const { return max_pending_; }
  // Without a grace period, writes need exclusive access and memory is
  // reused at once.
  bool deferred() const { return gp_ != nullptr; }
  void Defer(size_t bytes) {
    stats_.pending_bytes += bytes;
    if (stats_.pending_bytes > stats_.max_pending_bytes)
      stats_.max_pending_bytes = stats_.pending_bytes;
  }
  bool OverBudget() const { return stats_.pending_bytes > max_pending_; }
  bool HasPending() const { return stats_.pending_bytes > 0; }
  // Waits for a grace period; afterwards everything deferred so far may be
  // reused.
  void Wait() {
    if (gp_ != nullptr) {
      const auto start = std::chrono::steady_clock::now();
      gp_->Synchronize();
      stats_.wait_ns += static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(
              std::chrono::steady_clock::now() - start)
              .count());
      ++stats_.grace_periods;
    }
    stats_.pending_bytes = 0;
  }
  // A grace period has passed since the last Defer (the owner of a
  // structure that shares this one's GracePeriod waited for it):
  // everything deferred may be reused, without waiting again.
  void Passed() { stats_.pending_bytes = 0; }
  const ReclaimStats& stats() const { return stats_; }

 private:
  GracePeriod* gp_ = nullptr;
  size_t max_pending_ = kDefaultMaxPendingBytes;
  ReclaimStats stats_;
};

// SetGracePeriod and reclaim_stats, the same for every structure that
// defers its frees: it inherits them and defines Reclaim() (wait, then make
// what waits reusable), calling reclaim_.Defer/OverBudget/Wait.
class DeferredFrees {
 public:
  // Lets one writer run beside lock-free readers: memory an update
  // unlinks waits for a grace period of `gp` (which must outlive the
  // structure) before reuse, and the writer waits for one when more than
  // `max_pending_bytes` wait. Call before readers start.
  void SetGracePeriod(GracePeriod* gp,
                      size_t max_pending_bytes = kDefaultMaxPendingBytes) {
    reclaim_.Attach(gp, max_pending_bytes);
  }
  const ReclaimStats& reclaim_stats() const noexcept {
    return reclaim_.stats();
  }

 protected:
  Reclaim reclaim_;
};

// Loads and stores of words that a writer changes while readers read them:
// atomic, so that neither the compiler nor ThreadSanitizer sees a plain
// race. On x86-64 each is a plain mov.
inline uint32_t LoadAcquire(const uint32_t* p) noexcept {
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
// Loads a word that publishes what the reader then reads through it (a
// node index, a group number), as the Linux kernel's rcu_dereference does:
// the hardware keeps a load that depends on this one after it (every CPU
// but Alpha), so no acquire is needed, and an acquire would also stop the
// compiler from overlapping independent lookups (it halved Poptrie's
// pipelined batch). ThreadSanitizer does not model dependencies: its
// builds use acquire.
inline uint32_t LoadDependent(const uint32_t* p) noexcept {
#if defined(__SANITIZE_THREAD__)
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
#else
  return __atomic_load_n(p, __ATOMIC_RELAXED);
#endif
}
// The same inside a pipelined batch loop. GCC schedules no other memory
// access across even a relaxed atomic load, which halved Poptrie's batch
// rate (measured against a plain load, alternating runs). So: a plain
// aligned 4-byte load (single-copy atomic on x86-64 and AArch64, as the
// AVX2 gather Dir24_8's batch uses), pinned in a register by an empty asm
// so that the compiler reads the word once and never again (no invented
// second load that could see a newer value). Formally a data race, which
// is why ThreadSanitizer builds use the acquire load.
inline uint32_t LoadDependentInBatch(const uint32_t* p) noexcept {
#if defined(__SANITIZE_THREAD__)
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
#else
  uint32_t v = *p;
  asm("" : "+r"(v));
  return v;
#endif
}
inline uint32_t LoadRelaxed(const uint32_t* p) noexcept {
  return __atomic_load_n(p, __ATOMIC_RELAXED);
}
inline void StoreRelease(uint32_t* p, uint32_t v) noexcept {
  __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
inline void StoreRelaxed(uint32_t* p, uint32_t v) noexcept {
  __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

}  // namespace nexthop::internal

#endif  // NEXTHOP_LPM_INTERNAL_RECLAIM_H_
