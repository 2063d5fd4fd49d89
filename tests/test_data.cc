#include "tests/test_data.h"

#include <cstdlib>
#include <iostream>

#include "lpm/route_loader.h"

namespace nexthop::testing {

const std::vector<Prefix>& RealTablePrefixes() {
  static const std::vector<Prefix>* prefixes = [] {
    auto* out = new std::vector<Prefix>;
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
