// UrcuQsbr: grace periods from liburcu's QSBR flavour (quiescent-state-
// based RCU), the GracePeriod (lpm/grace_period.h) a concurrent structure's
// writer waits on.
//
// Reader threads (forwarding cores) register once, then report a quiescent
// state between bursts of lookups, at a point where they hold no pointer
// into any structure; lookups themselves cost nothing extra. A thread that
// is about to block (sleep, wait for packets) goes offline so that writers
// do not wait for it, and online again before its next lookup. The writer
// calls Synchronize() (the structures do it for you, batched), which
// returns once every registered online thread has reported a quiescent
// state since the call began. This is the model of DPDK's rte_rcu_qsbr and
// of the Linux kernel's RCU for networking.
//
// Cost: QuiescentState() is a call into liburcu-qsbr (a few loads and a
// store, no atomic read-modify-write); README measures it per burst.
// Synchronize() waits for the slowest reader's next report: about one
// burst. liburcu's QSBR domain is per process, so there is one instance.
//
// Thread-safety: Register/Unregister/QuiescentState/Offline/Online act on
// the calling thread; Synchronize() may be called from any thread that is
// not a registered online reader (it would wait for itself).
//
// ThreadSanitizer cannot see liburcu's own synchronisation (its barriers
// are plain volatile accesses and fences), so in TSAN builds each report
// releases, and each Synchronize() acquires, one annotation address: the
// happens-before edge RCU guarantees, from a reader's lookups before its
// quiescent state to the writer's reuse of memory after the grace period.
//
// Example:
//   #include <thread>
//   #include "lpm/poptrie.h"
//   Poptrie table;
//   table.SetGracePeriod(&UrcuQsbr::Instance());
//   std::atomic<bool> stop{false};
//   std::thread reader([&] {
//     UrcuQsbr::RegisterThread();
//     while (!stop) {
//       table.Lookup(Ipv4Address::FromOctets(10, 1, 2, 3));  // a burst
//       UrcuQsbr::QuiescentState();
//     }
//     UrcuQsbr::UnregisterThread();
//   });
//   table.Insert(*Ipv4Prefix::Parse("10.0.0.0/8"), 1).IgnoreError();
//   table.Erase(*Ipv4Prefix::Parse("10.0.0.0/8")).IgnoreError();
//   table.Reclaim();  // waits for the reader's next quiescent state
//   stop = true;
//   reader.join();
#ifndef NEXTHOP_RCU_URCU_QSBR_H_
#define NEXTHOP_RCU_URCU_QSBR_H_

#include "lpm/grace_period.h"

namespace nexthop {

class UrcuQsbr final : public GracePeriod {
 public:
  static UrcuQsbr& Instance();

  // liburcu's synchronize_rcu().
  void Synchronize() override;

  // The calling reader thread's side.
  static void RegisterThread();
  static void UnregisterThread();
  static void QuiescentState();
  static void Offline();
  static void Online();

 private:
  UrcuQsbr() = default;
};

}  // namespace nexthop

#endif  // NEXTHOP_RCU_URCU_QSBR_H_
