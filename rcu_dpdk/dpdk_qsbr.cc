#include "rcu_dpdk/dpdk_qsbr.h"

#include <rte_rcu_qsbr.h>
#include <sched.h>

#include "absl/status/status.h"

namespace nexthop {

absl::StatusOr<DpdkQsbr> DpdkQsbr::Attach(rte_rcu_qsbr* qs) {
  if (qs == nullptr) {
    return absl::InvalidArgumentError("DpdkQsbr: the rte_rcu_qsbr is null");
  }
  // rte_rcu_qsbr_init sets max_threads (it refuses 0) and the first token;
  // memory it has not initialised would answer every check at once.
  if (qs->max_threads == 0 ||
      __atomic_load_n(&qs->token, __ATOMIC_RELAXED) == 0) {
    return absl::InvalidArgumentError(
        "DpdkQsbr: the rte_rcu_qsbr is not initialised (rte_rcu_qsbr_init)");
  }
  return DpdkQsbr(qs);
}

void DpdkQsbr::Synchronize() {
  // rte_rcu_qsbr_synchronize without its own thread's report, and yielding
  // instead of spinning (the header says why).
  const uint64_t token = rte_rcu_qsbr_start(qs_);
  while (!rte_rcu_qsbr_check(qs_, token, /*wait=*/false)) sched_yield();
}

}  // namespace nexthop
