#include "tests/test_data.h"

#include <cstdlib>
#include <iostream>

#include "bench/harness/ipv6_prefixes.h"
#include "rib/route_loader.h"

namespace nexthop::testing {

const std::vector<Ipv4Prefix>& RealTablePrefixes() {
  static const std::vector<Ipv4Prefix>* prefixes = [] {
    auto* out = new std::vector<Ipv4Prefix>;
    absl::StatusOr<LoadResult> r = LoadRouteFile(
        SourcePath("bench/data/bgp-tier1-2024.txt.gz"), LoadOptions{});
    if (!r.ok()) {
      std::cerr << r.status() << "\n";
      std::abort();
    }
    for (const Route& route : r->routes) out->push_back(route.prefix);
    return out;
  }();
  return *prefixes;
}

const std::vector<Ipv6Prefix>& RealTableIpv6Prefixes() {
  static const std::vector<Ipv6Prefix>* prefixes = [] {
    absl::StatusOr<std::vector<Ipv6Prefix>> r =
        bench::ReadIpv6Prefixes(SourcePath("bench/data/bgp-tier1-2024.txt.gz"));
    if (!r.ok()) {
      std::cerr << r.status() << "\n";
      std::abort();
    }
    return new std::vector<Ipv6Prefix>(*std::move(r));
  }();
  return *prefixes;
}

}  // namespace nexthop::testing
