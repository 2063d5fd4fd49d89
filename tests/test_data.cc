#include "tests/test_data.h"

#include <zlib.h>

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

const std::vector<Ipv6Prefix>& RealTableIpv6Prefixes() {
  static const std::vector<Ipv6Prefix>* prefixes = [] {
    auto* out = new std::vector<Ipv6Prefix>;
    const std::string path = SourcePath("bench/data/bgp-tier1-2024.txt.gz");
    gzFile f = gzopen(path.c_str(), "rb");
    char line[256];
    while (f != nullptr && gzgets(f, line, sizeof(line)) != nullptr) {
      std::string text(line);
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
      if (text.find(':') == std::string::npos) continue;
      absl::StatusOr<Ipv6Prefix> p = Ipv6Prefix::Parse(text);
      if (!p.ok()) {
        std::cerr << path << ": " << p.status() << "\n";
        std::abort();
      }
      out->push_back(*p);
    }
    if (f == nullptr || gzclose(f) != Z_OK || out->empty()) {
      std::cerr << path << ": cannot read its IPv6 prefixes\n";
      std::abort();
    }
    return out;
  }();
  return *prefixes;
}

}  // namespace nexthop::testing
