// GracePeriod: how a structure's writer waits until lock-free readers can
// no longer hold memory it has unpublished (RCU reclamation).
//
// A structure that takes one writer beside lock-free readers (Dir24_8,
// Poptrie: their header comments say so) never changes memory a reader may
// be reading in a way the reader could misread: it builds new data aside,
// publishes it with one atomic store, and keeps what it replaced until a
// grace period has passed, i.e. until every reader thread has passed a
// quiescent state (a point where it holds no pointer into the structure,
// typically between bursts of lookups). This interface is that wait; the
// structures call it, batched (see SetGracePeriod on each structure), and
// never on the lookup path.
//
// Implementations: UrcuQsbr (rcu/urcu_qsbr.h, liburcu's QSBR flavour, the
// usual choice), or an embedder's own, for example one that calls DPDK's
// rte_rcu_qsbr_synchronize() when its forwarding cores already report
// quiescent states to an rte_rcu_qsbr variable (see README, "Concurrent
// updates"). Synchronize() must not be called by a thread that is itself a
// registered, online reader (it would wait for itself).
//
// Example:
//   #include "lpm/dir24_8.h"
//   // Readers report to an external RCU; this one trusts that lookups
//   // never outlive a call (a single-threaded program, say).
//   struct NoReaders : GracePeriod {
//     void Synchronize() override {}
//   } none;
//   Dir24_8 t;
//   t.SetGracePeriod(&none);
//   t.Insert(*Ipv4Prefix::Parse("10.0.0.0/8"), 1).IgnoreError();
#ifndef NEXTHOP_LPM_GRACE_PERIOD_H_
#define NEXTHOP_LPM_GRACE_PERIOD_H_

#include <cstddef>
#include <cstdint>

namespace nexthop {

class GracePeriod {
 public:
  virtual ~GracePeriod() = default;
  // Returns once every reader that was between two quiescent states when
  // the call began has reached its next one.
  virtual void Synchronize() = 0;
};

// What a structure's deferred reclamation has cost so far.
struct ReclaimStats {
  uint64_t grace_periods = 0;    // Synchronize() calls
  uint64_t wait_ns = 0;          // time spent in them
  size_t pending_bytes = 0;      // unpublished memory held right now
  size_t max_pending_bytes = 0;  // the most ever held at once
};

// How much unpublished memory a structure may hold before its writer waits
// for a grace period (the bound on deferred frees, like Linux's
// fib_sync_mem). 1 MiB: ~1000 Dir24_8 groups, a few hundred Poptrie chunks.
inline constexpr size_t kDefaultMaxPendingBytes = size_t{1} << 20;

}  // namespace nexthop

#endif  // NEXTHOP_LPM_GRACE_PERIOD_H_
