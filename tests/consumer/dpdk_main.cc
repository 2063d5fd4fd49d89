// Uses nexthop::rcu_dpdk as an embedder would: a Dir24_8 whose grace
// periods come from the program's own rte_rcu_qsbr variable, one reader
// thread reporting to it. Exits non-zero on any wrong answer.
#include <rte_rcu_qsbr.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "lpm/dir24_8.h"
#include "rcu_dpdk/dpdk_qsbr.h"

int main() {
  const size_t bytes = (rte_rcu_qsbr_get_memsize(1) + 63) / 64 * 64;
  auto* qs = static_cast<rte_rcu_qsbr*>(std::aligned_alloc(64, bytes));
  if (qs == nullptr || rte_rcu_qsbr_init(qs, 1) != 0) return 1;
  absl::StatusOr<nexthop::DpdkQsbr> grace = nexthop::DpdkQsbr::Attach(qs);
  if (!grace.ok()) {
    std::fprintf(stderr, "%s\n", grace.status().ToString().c_str());
    return 1;
  }
  int failed = 0;
  {
    nexthop::Dir24_8 table;
    table.SetGracePeriod(&*grace);
    const auto a = *nexthop::Ipv4Address::Parse("10.1.2.3");
    std::atomic<bool> stop{false};
    std::thread reader([&] {
      rte_rcu_qsbr_thread_register(qs, 0);
      rte_rcu_qsbr_thread_online(qs, 0);
      while (!stop.load()) {
        (void)table.Lookup(a);
        rte_rcu_qsbr_quiescent(qs, 0);
      }
      rte_rcu_qsbr_thread_offline(qs, 0);
      rte_rcu_qsbr_thread_unregister(qs, 0);
    });
    for (int i = 0; i < 100 && failed == 0; ++i) {
      const auto p = *nexthop::Ipv4Prefix::Parse("10.1.2.0/25");
      if (!table.Insert(p, 7).ok() || table.Lookup(a) != 7 ||
          !table.Erase(p).ok() || table.Lookup(a) != nexthop::kNoRoute) {
        failed = 1;
      }
      table.Reclaim();  // waits for the reader's next report
    }
    stop = true;
    reader.join();
    if (table.reclaim_stats().grace_periods == 0) failed = 1;
  }
  std::free(qs);
  if (failed) std::fprintf(stderr, "dpdk_consumer: wrong answer\n");
  return failed;
}
