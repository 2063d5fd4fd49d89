// RouteTable: every route the control plane knows, several per prefix, of
// one address family: `RouteTable` (IPv4) and `RouteTable6` (IPv6) are
// `BasicRouteTable<Ipv4>` and `<Ipv6>`.
//
// Routes for one prefix are kept best first: lowest metric, then (a tie
// such as one prefix heard from two BGP peers) on-link before a gateway, a
// named gateway ("A") before an address, names and then addresses lowest
// first, then the device name. The choice never
// depends on the order routes arrived in. Lookups by prefix are O(log n).
// Memory: a route is stored as (metric, next hop index), ~30 bytes with
// its share of the map, and each distinct next hop once (a full Internet
// table of 900k routes: ~30 MiB; a vector of Route records per prefix
// took 165 bytes a route). Routes are therefore handed out by value. Not
// thread-safe. The table does no forwarding: Fib pairs it with an LPM
// structure.
//
// Example:
//   RouteTable table;
//   Route r{*Ipv4Prefix::Parse("10.0.0.0/8"), {}, /*metric=*/10};
//   r.next_hop.gateway = Ipv4Address::FromOctets(192, 168, 1, 1);
//   absl::Status s = table.Add(r);
//   std::optional<Route> best = table.Best(r.prefix);  // equal to r
#ifndef NEXTHOP_RIB_ROUTE_TABLE_H_
#define NEXTHOP_RIB_ROUTE_TABLE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
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

  // The route forwarded for `prefix`, or nullopt.
  std::optional<RouteType> Best(Prefix prefix) const;
  // Every route, in prefix order, best first within a prefix (each built
  // for the call).
  void ForEach(const std::function<void(const RouteType&)>& fn) const;
  size_t size() const { return size_; }
  // Distinct next hops of the routes.
  size_t next_hop_count() const { return hop_ids_.size(); }

 private:
  // A route of a prefix, without the prefix: its next hop is hops_[hop].
  struct Entry {
    uint32_t metric;
    uint32_t hop;
    friend bool operator==(const Entry&, const Entry&) = default;
  };
  // Whether `a` is kept before `b` (route_table.cc: the order above).
  bool Before(const Entry& a, const Entry& b) const;
  // The index of `hop`, interned with one more reference.
  uint32_t Ref(const NextHop& hop);
  void Unref(uint32_t id);
  RouteType Make(Prefix prefix, const Entry& e) const {
    return RouteType{prefix, hops_[e.hop], e.metric};
  }

  // Most prefixes have one route: it is stored in the map's node.
  absl::btree_map<Prefix, absl::InlinedVector<Entry, 1>> by_prefix_;
  std::vector<NextHop> hops_;
  std::vector<uint32_t> hop_refs_;  // routes using each; 0: a free slot
  std::vector<uint32_t> free_hops_;
  absl::flat_hash_map<NextHop, uint32_t> hop_ids_;
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
