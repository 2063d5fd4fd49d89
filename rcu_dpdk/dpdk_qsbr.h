// DpdkQsbr: grace periods from a DPDK rte_rcu_qsbr variable that the
// embedder owns, the GracePeriod (lpm/grace_period.h) a concurrent
// structure's writer waits on. For routers whose forwarding cores already
// report quiescent states to DPDK; the others use UrcuQsbr (rcu/).
//
// The embedder creates and initialises the variable (rte_rcu_qsbr_init),
// registers each reader thread with its own id and sets it online, and the
// readers call rte_rcu_qsbr_quiescent between bursts, as DPDK's own
// rte_lpm_rcu_qsbr_add expects. Synchronize() returns once every
// registered online reader has reported a quiescent state since the call
// began: rte_rcu_qsbr_start, then rte_rcu_qsbr_check until it passes. That
// is rte_rcu_qsbr_synchronize(qs, RTE_QSBR_THRID_INVALID), written out for
// three reasons: (1) the adapter cannot know the calling thread's DPDK
// thread id (ids are the embedder's numbering), and reporting a quiescent
// state for the wrong thread would free memory a reader still holds, so it
// reports none; (2) between polls it yields the CPU instead of spinning
// with rte_pause, so that a reader sharing the writer's core (or a busy
// machine) can run and report: on 2 shared cores, 1.5x the updates of the
// spinning wait in tests/dpdk_qsbr_test.cc; (3) start and check are inline
// in DPDK's header, so ThreadSanitizer sees them (below).
//
// rte_rcu_qsbr needs no EAL: rte_eal_init is not required, and the variable
// may live in any 64-byte-aligned memory (rte_zmalloc in an EAL program).
//
// Cost: readers pay DPDK's rte_rcu_qsbr_quiescent per burst (a load of the
// token and, when a writer is waiting, one store to the thread's own cache
// line); lookups pay nothing. Synchronize() lasts about one burst of the
// slowest online reader, polling each reader's counter with a sched_yield
// between polls (liburcu's UrcuQsbr sleeps on a futex instead).
//
// Thread-safety: Synchronize() may be called from any thread that is not a
// registered, online reader of the same variable (it would wait for
// itself): a thread that both forwards and updates goes offline
// (rte_rcu_qsbr_thread_offline) around its updates. Readers go offline
// before blocking and before rte_rcu_qsbr_thread_unregister, as DPDK asks.
// Writers of several structures may share one variable (DPDK allows
// concurrent start and check), but rte_rcu_qsbr_check reads the variable's
// acked_token with a plain load, a race that ThreadSanitizer may report:
// under TSAN, serialise them or give each its own variable.
//
// ThreadSanitizer: no annotations are needed. rte_rcu_qsbr_quiescent,
// _thread_offline, _start and _check are inline functions of DPDK's header,
// built on __atomic builtins with release and acquire order: compiled into
// instrumented code (the reader's loop, this library), TSAN sees the edge
// from a reader's lookups before its report to the writer's reuse of memory
// after Synchronize(). rte_rcu_qsbr_synchronize itself is compiled into
// librte_rcu, which TSAN does not see.
//
// Example:
//   #include <rte_rcu_qsbr.h>
//   #include <atomic>
//   #include <cstdlib>
//   #include <thread>
//   #include "lpm/poptrie.h"
//   // The embedder's QS variable, for up to 4 reader threads.
//   size_t bytes = (rte_rcu_qsbr_get_memsize(4) + 63) / 64 * 64;
//   auto* qs = static_cast<rte_rcu_qsbr*>(std::aligned_alloc(64, bytes));
//   rte_rcu_qsbr_init(qs, 4);
//   absl::StatusOr<DpdkQsbr> grace = DpdkQsbr::Attach(qs);
//   Poptrie table;
//   table.SetGracePeriod(&grace.value());  // aborts if Attach failed
//   std::atomic<bool> stop{false};
//   std::thread reader([&] {
//     const unsigned id = 0;  // the embedder's numbering (an lcore id)
//     rte_rcu_qsbr_thread_register(qs, id);
//     rte_rcu_qsbr_thread_online(qs, id);
//     while (!stop) {
//       table.Lookup(Ipv4Address::FromOctets(10, 1, 2, 3));  // a burst
//       rte_rcu_qsbr_quiescent(qs, id);
//     }
//     rte_rcu_qsbr_thread_offline(qs, id);
//     rte_rcu_qsbr_thread_unregister(qs, id);
//   });
//   table.Insert(*Ipv4Prefix::Parse("10.0.0.0/8"), 1).IgnoreError();
//   table.Erase(*Ipv4Prefix::Parse("10.0.0.0/8")).IgnoreError();
//   table.Reclaim();  // waits for the reader's next quiescent state
//   stop = true;
//   reader.join();
//   std::free(qs);
#ifndef NEXTHOP_RCU_DPDK_DPDK_QSBR_H_
#define NEXTHOP_RCU_DPDK_DPDK_QSBR_H_

#include "absl/status/statusor.h"
#include "lpm/grace_period.h"

struct rte_rcu_qsbr;  // DPDK's QS variable (rte_rcu_qsbr.h)

namespace nexthop {

class DpdkQsbr final : public GracePeriod {
 public:
  // Waits on `qs`, which must have been initialised by rte_rcu_qsbr_init
  // and outlive this object and every structure it is attached to. A null
  // or uninitialised variable is InvalidArgument: a zeroed one would make
  // Synchronize() return at once, before readers are done.
  static absl::StatusOr<DpdkQsbr> Attach(rte_rcu_qsbr* qs);

  // rte_rcu_qsbr_start, then rte_rcu_qsbr_check(wait = false) and
  // sched_yield until it passes.
  void Synchronize() override;

  rte_rcu_qsbr* qs() const { return qs_; }

 private:
  explicit DpdkQsbr(rte_rcu_qsbr* qs) : qs_(qs) {}

  rte_rcu_qsbr* qs_;
};

}  // namespace nexthop

#endif  // NEXTHOP_RCU_DPDK_DPDK_QSBR_H_
