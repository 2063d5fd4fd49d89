#include "tests/test_data.h"

#include <cstdlib>
#include <iostream>

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

}  // namespace nexthop::testing
