#include "tests/test_data.h"

#include <cstdlib>
#include <iostream>

#include "rib/route_loader.h"

namespace nexthop::testing {

namespace {

// The file as the loader reads it, once.
const LoadResult& RealTable() {
  static const LoadResult* table = [] {
    absl::StatusOr<LoadResult> r = LoadRouteFile(
        SourcePath("bench/data/bgp-tier1-2024.txt.gz"), LoadOptions{});
    if (!r.ok()) {
      std::cerr << r.status() << "\n";
      std::abort();
    }
    return new LoadResult(*std::move(r));
  }();
  return *table;
}

}  // namespace

const std::vector<Ipv4Prefix>& RealTablePrefixes() {
  static const std::vector<Ipv4Prefix>* prefixes = [] {
    auto* out = new std::vector<Ipv4Prefix>;
    for (const Route& route : RealTable().routes) out->push_back(route.prefix);
    return out;
  }();
  return *prefixes;
}

const std::vector<Ipv6Prefix>& RealTableIpv6Prefixes() {
  static const std::vector<Ipv6Prefix>* prefixes = [] {
    auto* out = new std::vector<Ipv6Prefix>;
    for (const Route6& route : RealTable().routes6) {
      out->push_back(route.prefix);
    }
    return out;
  }();
  return *prefixes;
}

}  // namespace nexthop::testing
