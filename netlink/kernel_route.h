// KernelRoute and RouteEvent: a route of a kernel routing table as the
// mirror (netlink/kernel_route_mirror.h) hands it to its sink.
//
// A `KernelRoute<Family>` is one single-path unicast route: prefix, gateway
// (none: on-link), output interface (index and name) and metric (the
// kernel's RTA_PRIORITY). The kernel identifies an IPv4 route of a table by
// (prefix, metric) (TOS aside, which nexthop does not forward on), so that
// pair is the mirror's key: a second RTM_NEWROUTE for it is a replace.
// A `RouteEvent<Family>` says what changed: a route added, replaced (with
// the route it replaced) or deleted. Templates over the address family so
// that IPv6 (`KernelRoute<Ipv6>`) fits once the rib takes IPv6 routes;
// `ToRibRoute` turns an IPv4 one into the rib's `Route`. Plain values:
// copyable, no thread-safety concerns.
//
// Example:
//   KernelRoute<Ipv4> k;
//   k.prefix = *Ipv4Prefix::Parse("10.1.2.0/24");
//   k.gateway = Ipv4Address::FromOctets(192, 0, 2, 1);
//   k.dev = "veth0";
//   Route r = ToRibRoute(k);
//   std::cout << k.ToString();  // "10.1.2.0/24 via 192.0.2.1 dev veth0"
#ifndef NEXTHOP_NETLINK_KERNEL_ROUTE_H_
#define NEXTHOP_NETLINK_KERNEL_ROUTE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "rib/next_hop.h"

namespace nexthop {

template <typename Family>
struct KernelRoute {
  typename Family::Prefix prefix;
  std::optional<typename Family::Address> gateway;  // nullopt: on-link
  uint32_t ifindex = 0;                             // RTA_OIF
  std::string dev;                                  // its name
  uint32_t metric = 0;                              // RTA_PRIORITY

  // The mirror's key: the kernel replaces a route of the same key.
  std::pair<typename Family::Prefix, uint32_t> key() const {
    return {prefix, metric};
  }
  // As `ip route show` prints it: "P via G dev D metric M" (no metric 0).
  std::string ToString() const {
    std::string s = prefix.ToString();
    if (gateway) absl::StrAppend(&s, " via ", gateway->ToString());
    if (!dev.empty()) absl::StrAppend(&s, " dev ", dev);
    if (metric != 0) absl::StrAppend(&s, " metric ", metric);
    return s;
  }
  friend bool operator==(const KernelRoute&, const KernelRoute&) = default;
};

enum class RouteEventKind { kAdd, kReplace, kDelete };

template <typename Family>
struct RouteEvent {
  RouteEventKind kind = RouteEventKind::kAdd;
  KernelRoute<Family> route;  // the route added, the new one, or the gone one
  std::optional<KernelRoute<Family>> old;  // kReplace: the route replaced
};

// The rib's route for a kernel route (the rib is IPv4 only so far).
inline Route ToRibRoute(const KernelRoute<Ipv4>& k) {
  Route r;
  r.prefix = k.prefix;
  r.next_hop.gateway = k.gateway;
  r.next_hop.dev = k.dev;
  r.metric = k.metric;
  return r;
}

}  // namespace nexthop

#endif  // NEXTHOP_NETLINK_KERNEL_ROUTE_H_
