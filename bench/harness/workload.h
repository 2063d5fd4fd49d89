// What a benchmark run feeds the structures: a route set, a next-hop model
// and a traffic model, each reproducible from its spec and a seed.
#ifndef NEXTHOP_BENCH_HARNESS_WORKLOAD_H_
#define NEXTHOP_BENCH_HARNESS_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "net/ipv4.h"
#include "rib/next_hop.h"
#include "rib/route_loader.h"

namespace nexthop::bench {

struct RouteSet {
  std::string name;                  // "bgp-tier1-2024", "synthetic:100000"
  std::vector<Ipv4Prefix> prefixes;  // distinct
  std::vector<std::string>
      file_next_hops;  // per prefix, when the file had them
};

// Any file the loaders read (duplicates of a prefix keep the first route).
absl::StatusOr<RouteSet> LoadRouteSet(const std::string& path,
                                      RouteFormat format);
// `n` distinct prefixes whose length distribution and nesting (the share
// of prefixes covered by a shorter one) follow `model`.
RouteSet SyntheticRouteSet(const RouteSet& model, size_t n, uint64_t seed);
// A random subset of `n` prefixes (for the scaling curve).
RouteSet Sample(const RouteSet& set, size_t n, uint64_t seed);

// "rr:N": route i gets i mod N. "block:N": a hash of the prefix's /16, mod
// N, so neighbours share a next hop as in a FIB with a few upstreams.
// "file": the file's next-hop column.
absl::StatusOr<std::vector<NextHopId>> AssignNextHops(const RouteSet& set,
                                                      const std::string& model);

// "uniform": random 32-bit addresses. "matched": a random address inside a
// random prefix of the set (no misses). "zipf:S": matched flows drawn with
// Zipf exponent S (a few hot flows, locality). "file:PATH": one address a
// line.
absl::StatusOr<std::vector<Ipv4Address>> MakeTraffic(const RouteSet& set,
                                                     const std::string& model,
                                                     size_t n, uint64_t seed);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_WORKLOAD_H_
