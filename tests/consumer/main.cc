// Uses nexthop as an embedder would: installed headers, exported targets,
// every module. Exits non-zero on any wrong answer.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "arp/neighbor_cache.h"
#include "lpm/dir24_8.h"
#include "net/checksum.h"
#include "rcu/urcu_qsbr.h"
#include "rib/fib.h"
#include "rib/route_loader.h"
#include "sim/network.h"
#include "sim/node.h"

int main() {
  absl::StatusOr<nexthop::LoadResult> routes = nexthop::ParseRoutes(
      "Destination Gateway Genmask\n"
      "128.75.43.0 A 255.255.255.0\n"
      "128.75.43.0 B 255.255.255.128\n"
      "default D 0.0.0.0\n",
      "embedded", {});
  if (!routes.ok()) return 1;
  nexthop::Fib<nexthop::Dir24_8> fib;
  // Lookups may run beside this thread's updates: liburcu grace periods.
  fib.SetGracePeriod(&nexthop::UrcuQsbr::Instance());
  if (!fib.Add(routes->routes).ok()) return 1;
  fib.Reclaim();
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
  std::printf("%s %s\n", m->route.next_hop.GatewayString().c_str(),
              cache.FormatArpA("eth0").c_str());
  const uint8_t zero_sum[] = {0xff, 0xff};
  if (nexthop::InternetChecksum(zero_sum) != 0) {
    std::fprintf(stderr, "checksum wrong\n");
    return 1;
  }
  // The simulator: one host pings its own address.
  nexthop::Network net;
  absl::StatusOr<nexthop::Node*> a = net.AddNode("A", /*router=*/false);
  if (!a.ok() || !(*a)->Configure("ip addr add 10.0.0.1/24 dev eth0").ok()) {
    return 1;
  }
  std::ostringstream out;
  if (!net.Run("A", "ping -c 1 10.0.0.1", out).ok() ||
      out.str().find("1 received") == std::string::npos) {
    std::fprintf(stderr, "ping failed: %s\n", out.str().c_str());
    return 1;
  }
  return m->route.next_hop.GatewayString() == "B" ? 0 : 1;
}
