// What a benchmark run feeds the structures: a route set, a next-hop model
// and a traffic model, each reproducible from its spec and a seed; for
// IPv4 (RouteSet) and IPv6 (RouteSet6).
#ifndef NEXTHOP_BENCH_HARNESS_WORKLOAD_H_
#define NEXTHOP_BENCH_HARNESS_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lpm/lpm.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "rib/next_hop.h"
#include "rib/route_loader.h"

namespace nexthop::bench {

template <AddressFamily F>
struct BasicRouteSet {
  std::string name;  // "bgp-tier1-2024", "synthetic:100000"
  std::vector<typename F::Prefix> prefixes;  // distinct
  std::vector<std::string>
      file_next_hops;  // per prefix, when the file had them
};
using RouteSet = BasicRouteSet<Ipv4>;
using RouteSet6 = BasicRouteSet<Ipv6>;

// Any file the loaders read (duplicates of a prefix keep the first route).
absl::StatusOr<RouteSet> LoadRouteSet(const std::string& path,
                                      RouteFormat format);
// Its IPv6 routes, the same way; an error when it has none.
absl::StatusOr<RouteSet6> LoadRouteSet6(const std::string& path,
                                        RouteFormat format);
// `n` distinct prefixes whose length distribution and nesting (the share
// of prefixes covered by a shorter one) follow `model`.
RouteSet SyntheticRouteSet(const RouteSet& model, size_t n, uint64_t seed);
// A random subset of `n` prefixes (for the scaling curve).
template <AddressFamily F>
BasicRouteSet<F> Sample(const BasicRouteSet<F>& set, size_t n, uint64_t seed);

// "rr:N": route i gets i mod N. "block:N": a hash of the prefix's /16
// (IPv6: its /32), mod N, so neighbours share a next hop as in a FIB with a
// few upstreams. "file": the file's next-hop column.
template <AddressFamily F>
absl::StatusOr<std::vector<NextHopId>> AssignNextHops(
    const BasicRouteSet<F>& set, const std::string& model);

// "uniform": random 32-bit addresses (IPv6: random in 2000::/3, the
// announced global unicast space). "matched": a random address inside a
// random prefix of the set (no misses). "zipf:S": matched flows drawn with
// Zipf exponent S (a few hot flows, locality). "file:PATH": one address a
// line.
template <AddressFamily F>
absl::StatusOr<std::vector<typename F::Address>> MakeTraffic(
    const BasicRouteSet<F>& set, const std::string& model, size_t n,
    uint64_t seed);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_WORKLOAD_H_
