// ReadIpv6Prefixes: the IPv6 prefixes of a route file, for the benchmark
// and the tests, until rib's loaders take IPv6 (issue 16); then it becomes
// a call to LoadRouteFile, and nothing that calls it changes.
//
// Reads CIDR-list lines (gzip or plain, through zlib); lines without a ':'
// are IPv4 or comments and are skipped. Cost: one pass over the file.
// Thread-safe (no shared state).
//
// Example:
//   absl::StatusOr<std::vector<Ipv6Prefix>> v6 =
//       ReadIpv6Prefixes("bench/data/bgp-tier1-2024.txt.gz");
//   size_t n = v6.ok() ? v6->size() : 0;  // 160,147
#ifndef NEXTHOP_BENCH_HARNESS_IPV6_PREFIXES_H_
#define NEXTHOP_BENCH_HARNESS_IPV6_PREFIXES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "net/ipv6.h"

namespace nexthop::bench {

// Fails with FILE:LINE on a line that is not an IPv6 prefix, and when the
// file cannot be read or holds none.
absl::StatusOr<std::vector<Ipv6Prefix>> ReadIpv6Prefixes(
    const std::string& path);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_IPV6_PREFIXES_H_
