// RouteTable: every route the control plane knows, several per prefix, of
// one address family: `RouteTable` (IPv4) and `RouteTable6` (IPv6) are
// `BasicRouteTable<Ipv4>` and `<Ipv6>`.
//
// Routes for one prefix are kept best first: lowest metric, then (a tie
// such as one prefix heard from two BGP peers) on-link before a gateway, a
// named gateway ("A") before an address, names and then addresses lowest
// first, then the device name. The choice never
// depends on the order routes arrived in. Lookups by prefix are O(log n);
// pointers it returns stay valid until the next change. Not thread-safe. The
// table does no forwarding: Fib pairs it with an LPM structure.
//
// Example:
//   RouteTable table;
//   Route r{*Ipv4Prefix::Parse("10.0.0.0/8"), {}, /*metric=*/10};
//   r.next_hop.gateway = Ipv4Address::FromOctets(192, 168, 1, 1);
//   absl::Status s = table.Add(r);
//   const Route* best = table.Best(r.prefix);  // a copy of r
#ifndef NEXTHOP_RIB_ROUTE_TABLE_H_
#define NEXTHOP_RIB_ROUTE_TABLE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "rib/next_hop.h"

namespace nexthop {

template <typename Family>
class BasicRouteTable {
 public:
  using Prefix = typename Family::Prefix;
  using RouteType = BasicRoute<Family>;

  // AlreadyExists if an identical route (prefix, next hop, metric) is in.
  absl::Status Add(const RouteType& route);
  // NotFound if no identical route is in.
  absl::Status Remove(const RouteType& route);

  // The route forwarded for `prefix`, or nullptr.
  const RouteType* Best(Prefix prefix) const;
  // Every route, in prefix order, best first within a prefix.
  void ForEach(const std::function<void(const RouteType&)>& fn) const;
  size_t size() const { return size_; }

 private:
  absl::btree_map<Prefix, std::vector<RouteType>> by_prefix_;
  size_t size_ = 0;
};
// Instantiated for both families in route_table.cc.
extern template class BasicRouteTable<Ipv4>;
extern template class BasicRouteTable<Ipv6>;
using RouteTable = BasicRouteTable<Ipv4>;
using RouteTable6 = BasicRouteTable<Ipv6>;

// Why `first` is kept before `later`, two routes of one prefix in the
// table's order (first the better): the rule that decided, for --explain.
// "metric 10 loses to metric 5", "ties on metric 5; loses to gateway
// 10.0.0.1 (the lower gateway address)".
template <typename Family>
std::string WhyBefore(const BasicRoute<Family>& first,
                      const BasicRoute<Family>& later);

// The table as `route -n` prints it (with its two header lines) and as
// `ip route` does ("default via 10.0.0.1 dev eth0", host routes without
// "/32").
std::string FormatRouteN(const RouteTable& routes);
std::string FormatIpRoute(const RouteTable& routes);
// The IPv6 table as `route -A inet6 -n` prints it ("Kernel IPv6 routing
// table", then Destination, Next Hop, Flag, Met, Ref, Use, If with the
// destination always as PREFIX/LEN and "::" for on-link) and as `ip -6
// route` does ("default via fe80::1 dev eth0 metric 1024", host routes
// without "/128", the metric always printed).
std::string FormatRouteN(const RouteTable6& routes);
std::string FormatIpRoute(const RouteTable6& routes);

}  // namespace nexthop

#endif  // NEXTHOP_RIB_ROUTE_TABLE_H_
