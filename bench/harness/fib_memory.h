// What a structure and a Fib around it cost in memory on one route set:
// the structure's own account (MemoryBytes) beside what the process
// really grows by when it is built alone, and when Fib<Structure>::Add
// takes the same routes as route records (RouteTable, next-hop table and
// structure); the route table alone is measured too.
//
// Growth is read from /proc/self/statm (resident pages) and mallinfo2
// (heap bytes in use), each after malloc_trim(0), so that memory freed
// before a measurement and reused during it counts. Cost: builds each
// thing once (a few seconds on a full table). Not thread-safe (reads
// process-wide counters: run nothing beside it).
//
// Example:
//   absl::StatusOr<bench::MemoryRow> row = bench::MeasureFibMemory(
//       "poptrie", set, next_hops, "rr:255");
//   if (row.ok()) std::cout << row->fib_rss_mib << " MiB\n";
#ifndef NEXTHOP_BENCH_HARNESS_FIB_MEMORY_H_
#define NEXTHOP_BENCH_HARNESS_FIB_MEMORY_H_

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "bench/harness/workload.h"
#include "lpm/next_hop_id.h"

namespace nexthop::bench {

struct MemoryRow {
  std::string engine, nexthops;
  double structure_mib = 0;    // the structure's MemoryBytes()
  double alone_rss_mib = 0;    // RSS growth, the structure built alone
  double fib_rss_mib = 0;      // RSS growth, Fib<Structure>::Add
  double fib_heap_mib = 0;     // heap growth, Fib<Structure>::Add
  double routes_heap_mib = 0;  // heap growth, the RouteTable alone
  size_t next_hops = 0;        // distinct next hops of the routes
};

// `structure`: a name from lpm/structures.h (IPv4). The routes are the
// set's prefixes with `next_hops[i]` as gateway 10.0.x.y and metric 0.
absl::StatusOr<MemoryRow> MeasureFibMemory(const std::string& structure,
                                           const RouteSet& set,
                                           std::span<const NextHopId> next_hops,
                                           const std::string& nexthops_model);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_FIB_MEMORY_H_
