// FormatRouterShow: what `nexthop router show` prints - the router's
// counters, one `name{labels} value` line each under the same names as
// /metrics (router/counters_metrics.h, so one grep fits both), then its
// routes as `ip route` prints them, best first within a prefix, each
// mirrored one marked with its kernel table.
//
// Cost: O(counters + routes). A pure function; thread-safe.
//
// Example:
//   RouterCounters c;
//   std::vector<ShownRoute> routes = {
//       {Route{*Ipv4Prefix::Parse("10.0.0.0/8"), {}, 0}, std::nullopt}};
//   routes[0].route.next_hop.dev = "veth-a";
//   std::cout << FormatRouterShow(c, routes);
//   // counters:
//   // nexthop_forwarded_total 0
//   // ...
//   // routes: 1
//   // 10.0.0.0/8 dev veth-a
#ifndef NEXTHOP_ROUTER_SHOW_TEXT_H_
#define NEXTHOP_ROUTER_SHOW_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rib/next_hop.h"
#include "router/counters.h"

namespace nexthop {

struct ShownRoute {
  Route route;
  std::optional<uint32_t> kernel_table;  // set: mirrored from that table
};

std::string FormatRouterShow(const RouterCounters& counters,
                             const std::vector<ShownRoute>& routes);

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_SHOW_TEXT_H_
