// DPDK's EAL (environment abstraction layer), started once per process for
// every benchmark's DPDK peers (rte_fib, rte_lpm, rte_hash) as their users
// start it: on 2 MiB hugetlbfs pages when the page plan has them
// (pages.h; --in-memory, so runs side by side share no files), with
// --force-max-simd-bitwidth=512 so that rte_fib's AVX-512 lookup can be
// selected where the CPU has it, without devices or telemetry.
//
// rte_eal_init pins the thread that calls it to its one lcore (CPU 0),
// and every thread started later inherits that: a benchmark's reader and
// writer threads would share one CPU. StartDpdk puts the caller's CPU
// affinity back once the EAL runs.
//
// Thread-safety: the first call starts the EAL (call it before starting
// threads); later calls return the first call's result.
//
// Example:
//   absl::StatusOr<const DpdkEal*> eal = StartDpdk();
//   if (eal.ok()) std::cerr << "DPDK: " << (*eal)->summary << "\n";
#ifndef NEXTHOP_BENCH_HARNESS_DPDK_EAL_H_
#define NEXTHOP_BENCH_HARNESS_DPDK_EAL_H_

#include <string>

#include "absl/status/statusor.h"

namespace nexthop::bench {

struct DpdkEal {
  bool huge_pages = false;
  unsigned max_simd_bitwidth = 0;  // what the EAL allows vector code
  std::string args;                // the EAL's command line
  std::string summary;             // one line: pages, SIMD width, why not huge
};

// False when nexthop was built without DPDK (libdpdk-dev).
bool HaveDpdk();
// Starts the EAL on CurrentPagePlan()'s pages; an error (every call) when
// DPDK is not built in or the EAL does not start.
absl::StatusOr<const DpdkEal*> StartDpdk();

// A DPDK create call (rte_fib_create, ...) that answered NULL: rte_errno's
// message, and on hugetlbfs pages what to do when the pool ran out.
absl::Status DpdkCreateError(const std::string& call);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_DPDK_EAL_H_
