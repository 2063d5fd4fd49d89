// Uses nexthop as an embedder would: installed headers, exported targets.
#include <cstdio>

#include "arp/neighbor_cache.h"
#include "fwd/checksum.h"
#include "lpm/dir24_8.h"
#include "lpm/fib.h"
#include "lpm/route_loader.h"

int main() {
  absl::StatusOr<nexthop::LoadResult> routes = nexthop::ParseRoutes(
      "Destination Gateway Genmask\n"
      "128.75.43.0 A 255.255.255.0\n"
      "128.75.43.0 B 255.255.255.128\n"
      "default D 0.0.0.0\n",
      "embedded", {});
  if (!routes.ok()) return 1;
  nexthop::Fib<nexthop::Dir24_8> fib;
  if (!fib.Add(routes->routes).ok()) return 1;
  auto m = fib.Lookup(*nexthop::Ipv4Address::Parse("128.75.43.16"));
  if (!m) return 1;
  nexthop::ManualClock clock;
  nexthop::NeighborCache cache(&clock, {});
  if (!cache
           .AddPermanent(*nexthop::Ipv4Address::Parse("10.0.0.1"),
                         *nexthop::MacAddress::Parse("02:00:00:00:00:01"))
           .ok()) {
    return 1;
  }
  std::printf("%s %s\n", m->route->next_hop.GatewayString().c_str(),
              cache.FormatArpA("eth0").c_str());
  const uint8_t zero_sum[] = {0xff, 0xff};
  if (nexthop::InternetChecksum(zero_sum) != 0) return 1;
  return m->route->next_hop.GatewayString() == "B" ? 0 : 1;
}
